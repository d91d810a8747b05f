"""The load generator: HTTP/1.1 requests, each on a new connection, sent on a schedule (open
loop) or by a few clients one after another (closed loop), every response's status checked.

Open loop is what a school does: a student's browser autosaves when it is due, whether or not
the server has answered the others yet. Each request is sent at its planned time and its latency
is counted from that time, so a server that falls behind shows it in the percentiles instead of
slowing the generator down (coordinated omission, which a closed loop like wrk's hides). The
generator's own lag (sent minus planned) is kept too: when it grows, the generator is the limit.

Only the standard library (asyncio); nothing here knows the app.
"""

from __future__ import annotations

import asyncio
import errno
import itertools
import math
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TIMEOUT = 10.0  # seconds a request may take before it counts as an error
MAX_IN_FLIGHT = 3000  # past this many open requests, a due request is dropped (an error)


@dataclass(frozen=True)
class Request:
    """One request: method, path, and what a logged-in browser sends with it."""

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

    def wire(self) -> bytes:
        """The request as sent: HTTP/1.1, closing the connection after the answer."""
        body = self.body.encode()
        lines = [f"{self.method} {self.path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in self.headers().items()]
        if body or self.method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass(frozen=True)
class Expect:
    """A right answer: its status and, for a redirect, where its Location must lead."""

    status: int = 200
    location: str = ""


OK = Expect()


def answered_right(status: int, location: str, expect: Expect) -> bool:
    """Whether an answer is the one expected: a redirect to the login page is fast and wrong."""
    if status != expect.status:
        return False
    return not expect.location or urlsplit(location).path.startswith(expect.location)


@dataclass(frozen=True)
class Planned:
    """A request due at a time (seconds from the start); follow names the kind of the GET sent
    to its redirect's Location as soon as the answer comes (the feedback after a submission)."""

    at: float
    kind: str
    request: Request
    expect: Expect = OK
    follow: str = ""
    follow_expect: Expect = OK


@dataclass
class Outcome:
    """What happened to one request: times in seconds from the start, status 0 for no answer."""

    kind: str
    scheduled: float
    started: float
    ended: float
    status: int
    ok: bool
    error: str = ""

    @property
    def latency_ms(self) -> float:
        """From when it was due to the last byte of the answer."""
        return (self.ended - self.scheduled) * 1000


async def exchange(
    address: tuple[str, int], data: bytes, timeout: float = TIMEOUT
) -> tuple[int, str]:
    """Send one request on a new connection and read the whole answer: (status, Location)."""
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(*address)
        try:
            writer.write(data)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            status = int(lines[0].split(b" ", 2)[1])
            length, location, chunked = None, "", False
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"location":
                    location = value.strip().decode("latin-1")
                elif name == b"transfer-encoding" and b"chunked" in value.lower():
                    chunked = True
            if chunked:
                while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                    await reader.readexactly(size + 2)
                await reader.readuntil(b"\r\n")
            elif length is not None:
                await reader.readexactly(length)
            else:
                await reader.read()
            return status, location
        finally:
            writer.close()


async def _send(
    address: tuple[str, int], data: bytes, expect: Expect, clock, timeout: float
) -> tuple[float, int, str, bool, str]:
    """One exchange, never raising: (ended, status, Location, right, error)."""
    try:
        status, location = await exchange(address, data, timeout)
    except TimeoutError:
        return clock(), 0, "", False, "timeout"
    except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as err:
        code = getattr(err, "errno", None)  # EADDRNOTAVAIL would be the generator's own
        name = type(err).__name__ + (f" {errno.errorcode.get(code, code)}" if code else "")
        return clock(), 0, "", False, name
    right = answered_right(status, location, expect)
    return clock(), status, location, right, "" if right else f"status {status}"


def follow_up(location: str, like: Request) -> Request:
    """The GET a browser sends after a redirect, with the same cookie."""
    parts = urlsplit(location)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return Request("GET", path, cookie=like.cookie)


async def _planned(address, p: Planned, clock, timeout, out: list[Outcome]) -> None:
    started = clock()
    data = p.request.wire()
    ended, status, location, right, error = await _send(address, data, p.expect, clock, timeout)
    out.append(Outcome(p.kind, p.at, started, ended, status, right, error))
    if not p.follow:
        return
    if not right:  # the follow-up never happens: the pair failed with the first
        out.append(Outcome(f"{p.kind}+{p.follow}", p.at, started, ended, status, False, error))
        return
    then = follow_up(location, p.request).wire()
    done, status2, _, right2, error2 = await _send(address, then, p.follow_expect, clock, timeout)
    out.append(Outcome(p.follow, ended, ended, done, status2, right2, error2))
    out.append(Outcome(f"{p.kind}+{p.follow}", p.at, started, done, status2, right2, error2))


async def _open_loop(addresses, plan, timeout, max_in_flight) -> list[Outcome]:
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05

    def clock() -> float:
        return loop.time() - start

    out: list[Outcome] = []
    in_flight: set[asyncio.Task] = set()
    for i, p in enumerate(plan):
        wait = p.at - clock()
        if wait > 0:
            await asyncio.sleep(wait)
        if len(in_flight) >= max_in_flight:
            now = clock()
            out.append(Outcome(p.kind, p.at, now, now, 0, False, "generator: too many in flight"))
            continue
        address = addresses[i % len(addresses)]
        task = loop.create_task(_planned(address, p, clock, timeout, out))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    if in_flight:
        await asyncio.gather(*in_flight)
    return out


def open_loop(
    addresses: Sequence[tuple[str, int]],
    plan: Sequence[Planned],
    timeout: float = TIMEOUT,
    max_in_flight: int = MAX_IN_FLIGHT,
) -> list[Outcome]:
    """Send every planned request at its time (in order of time), spreading them over the
    addresses in turn; returns what happened to each, follow-ups included."""
    return asyncio.run(
        _open_loop(list(addresses), sorted(plan, key=lambda p: p.at), timeout, max_in_flight)
    )


@dataclass
class Closed:
    """What a closed-loop run did: requests answered, wrong answers by status, seconds."""

    requests: int = 0
    wrong: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)


async def _closed_loop(addresses, items, clients, seconds, timeout) -> Closed:
    loop = asyncio.get_running_loop()
    wires = [[(r.wire(), e) for r, e in items] for _ in addresses]
    found = Closed()
    counter = iter(range(1 << 62))
    start = loop.time()
    deadline = start + seconds

    async def client() -> None:
        while loop.time() < deadline:
            n = next(counter)
            a = n % len(addresses)
            data, expect = wires[a][(n // len(addresses)) % len(items)]
            sent = loop.time()
            _, status, location, right, error = await _send(
                addresses[a], data, expect, loop.time, timeout
            )
            found.requests += 1
            found.latencies_ms.append((loop.time() - sent) * 1000)
            if not right:
                found.wrong[error] += 1

    await asyncio.gather(*(client() for _ in range(clients)))
    found.seconds = loop.time() - start
    return found


def closed_loop(
    addresses: Sequence[tuple[str, int]],
    items: Sequence[tuple[Request, Expect]],
    clients: int,
    seconds: float,
    timeout: float = TIMEOUT,
) -> Closed:
    """clients send the requests in turn, each waiting for its answer before the next, for
    seconds (the answers to the last ones are waited for); addresses are taken in turn."""
    return asyncio.run(_closed_loop(list(addresses), list(items), clients, seconds, timeout))


def paced_loop(
    addresses: Sequence[tuple[str, int]],
    items: Sequence[tuple[Request, Expect]],
    rate: float,
    seconds: float,
    timeout: float = TIMEOUT,
) -> Closed:
    """The requests in turn at a fixed rate (an open loop: each sent when due, answered or
    not), for seconds, with what closed_loop reports; a server measured this way pays the
    same wake-ups a request as any other at that rate, however fast it is."""
    plan = [
        Planned(i / rate, "paced", r, e)
        for i, (r, e) in zip(range(int(rate * seconds)), itertools.cycle(items), strict=False)
    ]
    outcomes = open_loop(addresses, plan, timeout)
    found = Closed(seconds=max((o.ended for o in outcomes), default=0.0))
    for o in outcomes:
        found.requests += 1
        found.latencies_ms.append(o.latency_ms)
        if not o.ok:
            found.wrong[o.error] += 1
    return found


# --- figures --------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile (p in 0-100): the smallest value with at least p % of the
    values at or below it; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(outcomes: Iterable[Outcome], since: float = 0.0) -> dict[str, dict]:
    """By kind, for the requests due from `since` on: how many, errors (wrong status, no
    answer), latency p50/p90/p99/max from when each was due, the generator's lag p99, and the
    statuses seen."""
    by_kind: dict[str, list[Outcome]] = {}
    for o in outcomes:
        if o.scheduled >= since:
            by_kind.setdefault(o.kind, []).append(o)
    figures = {}
    for kind, found in by_kind.items():
        latencies = [o.latency_ms for o in found]
        figures[kind] = {
            "requests": len(found),
            "errors": sum(not o.ok for o in found),
            "p50_ms": percentile(latencies, 50),
            "p90_ms": percentile(latencies, 90),
            "p99_ms": percentile(latencies, 99),
            "max_ms": max(latencies),
            "lag_p99_ms": percentile([(o.started - o.scheduled) * 1000 for o in found], 99),
            "statuses": dict(Counter(str(o.status) for o in found)),
            "error_kinds": dict(Counter(o.error for o in found if o.error)),
        }
    return figures


def cpu_clock() -> float:
    """This process's CPU seconds so far (the generator's share of the machine)."""
    return time.process_time()
