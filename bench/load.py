"""Logged-in requests: session cookies signed as a login makes them, and single requests timed
one after another (the load itself is loadgen.py's)."""

from __future__ import annotations

import http.client
import statistics
import time

from flask import Flask, session
from flask_wtf.csrf import generate_csrf
from loadgen import Request

from classroom.db import get_db
from classroom.store import sessions

__all__ = ["Request", "fetch", "sequential", "signer"]


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
