"""Load: logged-in requests for wrk, running wrk, and timing single requests."""

from __future__ import annotations

import http.client
import json
import re
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, session
from flask_wtf.csrf import generate_csrf

from classroom.db import get_db
from classroom.store import sessions

BENCH = Path(__file__).resolve().parent
LUA = BENCH / "requests.lua"


@dataclass
class Request:
    """One request as wrk replays it."""

    method: str
    path: str
    content_type: str = ""
    cookie: str = ""
    token: str = ""
    body: str = ""

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.content_type:
            headers["Content-Type"] = self.content_type
        if self.cookie:
            headers["Cookie"] = f"session={self.cookie}"
        if self.token:
            headers["X-CSRFToken"] = self.token
        return headers


def write_requests(path: Path, requests: list[Request]) -> Path:
    """The file requests.lua reads: one request a line, tab-separated."""
    lines = []
    for r in requests:
        fields = (r.method, r.path, r.content_type, r.cookie, r.token, r.body)
        if any("\t" in f or "\n" in f for f in fields):
            raise ValueError(f"a tab or newline in a request for {r.path}")
        lines.append("\t".join(fields))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def signer(app: Flask):
    """A function giving (session cookie, CSRF token) for a user id, as a login would.

    The cookie is made by the app's own session interface, its session row on the server as
    logging in makes it, and the token by Flask-WTF, so the server accepts them exactly as if
    the user had logged in through /login.
    """
    serializer = app.session_interface.get_signing_serializer(app)

    def sign(user_id: int) -> tuple[str, str]:
        with app.test_request_context("/"):
            token = generate_csrf()
            sid = sessions.start(get_db(), user_id, app.permanent_session_lifetime)
            session.update(user_id=user_id, sid=sid)
            session.permanent = True
            return serializer.dumps(dict(session)), token

    return sign


def run_wrk(
    address: tuple[str, int],
    requests_file: Path,
    duration: float,
    connections: int,
    threads: int = 1,
    timeout: float = 10.0,
) -> dict:
    """Run wrk on the requests for duration seconds; its figures, with requests per second."""
    host, port = address
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={round(timeout)}s",
        "-s",
        str(LUA),
        f"http://{host}:{port}",
        "--",
        str(requests_file),
    ]
    out = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + timeout + 30, check=True
    ).stdout
    match = re.search(r"^WRK_JSON (\{.*\})$", out, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk printed no figures:\n{out}")
    figures = json.loads(match.group(1))
    seconds = figures["duration_us"] / 1e6
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        **figures,
        "rps": figures["requests"] / seconds if seconds else 0.0,
        "p50_ms": figures["p50_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "errors": errors,
        "connections": connections,
    }


def fetch(address: tuple[str, int], r: Request, timeout: float = 60.0) -> dict:
    """Send one request and read the whole answer: status, headers, size, first byte, total."""
    conn = http.client.HTTPConnection(*address, timeout=timeout)
    started = time.perf_counter()
    conn.request(r.method, r.path, body=r.body.encode() or None, headers=r.headers())
    response = conn.getresponse()
    first = None
    size = 0
    lines = 0
    while chunk := response.read(64 * 1024):
        first = first or time.perf_counter()
        size += len(chunk)
        lines += chunk.count(b"\n")
    ended = time.perf_counter()
    conn.close()
    return {
        "status": response.status,
        "location": response.getheader("Location", ""),
        "content_type": response.getheader("Content-Type", ""),
        "bytes": size,
        "lines": lines,
        "first_byte_s": (first or ended) - started,
        "total_s": ended - started,
    }


def sequential(
    address: tuple[str, int], r: Request, count: int, budget: float, warm: int = 1
) -> dict:
    """Time up to count requests one after another, stopping early once budget seconds pass."""
    for _ in range(warm):
        fetch(address, r)
    times, statuses = [], set()
    deadline = time.monotonic() + budget
    while len(times) < count and (len(times) < 3 or time.monotonic() < deadline):
        answer = fetch(address, r)
        statuses.add(answer["status"])
        times.append(answer["total_s"])
    return {
        "requests": len(times),
        "p50_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "max_ms": max(times) * 1000,
        "statuses": sorted(statuses),
    }
