"""Cost per request: the server CPU a request takes, as a multiple of what Flask's hello world
takes on the same gunicorn, measured in the same run and paired within each round.

Each round measures, for each line, the hello world and then the app's requests (the other way
round in every other round), a few seconds each, closed loop (a few clients, each sending its
next request when the answer to the last has come). The ratio of a line is taken within its
pair, so that whatever else the machine was doing in those seconds falls on both sides; the
table gives the median ratio of the rounds and their range. Server CPU is read from /proc for
the gunicorn master and its workers (the hello world's server sits idle meanwhile, and
PostgreSQL's backends are counted apart, as database time). What a line writes is removed
before the next measurement (undo.py), and every answer's status is checked.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from loadgen import OK, Request, closed_loop, cpu_clock, percentile
from machine import say
from server import busy_seconds, settle

if TYPE_CHECKING:
    from server import Server
    from traffic import Line

HELLO = [(Request("GET", "/"), OK)]
CLIENTS = 8
# the targets (server CPU as a multiple of the hello world's); the floors at most 1.5
TARGETS = {"page": 4.0, "autosave": 2.5, "submit": 5.0, "feedback": 6.0}
FLOOR_TARGET = 1.5


def target_of(line: Line) -> float | None:
    """The most a line's ratio may be, if the issue names it."""
    return FLOOR_TARGET if line.floor else TARGETS.get(line.key)


def window(
    servers: Sequence[Server],
    items,
    seconds: float,
    clients: int = CLIENTS,
    database: Callable[[], float] | None = None,
) -> dict:
    """One measurement: closed loop on the servers (taken in turn) for `seconds`, with the CPU
    everyone used meanwhile: the servers, the database, this generator, and the rest."""
    load = os.getloadavg()[0]
    busy, cpu, gen = busy_seconds(), sum(s.cpu_seconds() for s in servers), cpu_clock()
    db = database() if database else 0.0
    started = time.monotonic()
    found = closed_loop([s.address for s in servers], items, clients, seconds)
    wall = time.monotonic() - started
    server = sum(s.cpu_seconds() for s in servers) - cpu
    db = (database() - db) if database else 0.0
    gen = cpu_clock() - gen
    n = max(1, found.requests)
    return {
        "requests": found.requests,
        "wrong": dict(found.wrong),
        "rps": found.requests / wall,
        "server_ms": server / n * 1000,
        "db_ms": db / n * 1000 if database else None,
        "p50_ms": percentile(found.latencies_ms, 50),
        "p99_ms": percentile(found.latencies_ms, 99),
        "server_cores": server / wall,
        "generator_cores": gen / wall,
        "other_cores": max(0.0, (busy_seconds() - busy - server - db - gen) / wall),
        "load": [load, os.getloadavg()[0]],
    }


def pair(hello: dict, app: dict) -> float:
    """A line's ratio within one round: its server CPU a request over the hello world's."""
    return app["server_ms"] / hello["server_ms"] if hello["server_ms"] else float("inf")


def spread(values: Sequence[float]) -> dict:
    """The median of a line's rounds and their range."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def measure(
    hello: Server,
    servers: Sequence[Server],
    lines: Sequence[Line],
    rounds: int,
    seconds: float,
    undo,
    database: Callable[[], float] | None = None,
    say: Callable[[str], None] = say,
) -> dict:
    """Every line, paired with the hello world, for `rounds` rounds; by line: each round's
    pair, and the median ratio with its range, errors, and the rows its writes left."""
    for line in lines:  # warm both servers' caches and templates
        window([hello], HELLO, 0.3)
        window(servers, line.items, 0.5)
        if line.writes:
            undo.undo()
    found: dict[str, list[dict]] = {line.key: [] for line in lines}
    written: dict[str, Counter] = {line.key: Counter() for line in lines}
    for r in range(rounds):
        say(f"cost: round {r + 1} of {rounds}")
        for line in lines:
            if r % 2 == 0:
                h = window([hello], HELLO, seconds)
                a = window(servers, line.items, seconds, database=database)
            else:
                a = window(servers, line.items, seconds, database=database)
                h = window([hello], HELLO, seconds)
            if line.writes:
                settle(servers)
            removed = undo.undo() if line.writes else {}
            written[line.key].update(removed)
            if line.key == "submit":  # each right answer is one attempt stored, and no more
                right = a["requests"] - sum(a["wrong"].values())
                if removed.get("attempts") != right:
                    a["wrong"]["attempts stored != submissions answered"] = 1
            found[line.key].append({"hello": h, "app": a, "ratio": pair(h, a)})
            say(
                f"  {line.key:15} {a['server_ms']:6.2f} ms / hello {h['server_ms']:5.2f} ms = "
                f"{pair(h, a):5.2f}x  wrong {sum(a['wrong'].values())}  "
                f"others {a['other_cores']:.2f} cores  load {a['load'][0]:.1f}"
            )
    return {
        line.key: {
            "label": line.label,
            "shown": line.shown,
            "floor": line.floor,
            "target": target_of(line),
            "rounds": found[line.key],
            "ratio": spread([p["ratio"] for p in found[line.key]]),
            "server_ms": statistics.median(p["app"]["server_ms"] for p in found[line.key]),
            "hello_ms": statistics.median(p["hello"]["server_ms"] for p in found[line.key]),
            "db_ms": (
                statistics.median(p["app"]["db_ms"] for p in found[line.key]) if database else None
            ),
            "requests": sum(p["app"]["requests"] for p in found[line.key]),
            "errors": sum(
                sum(p["app"]["wrong"].values()) + sum(p["hello"]["wrong"].values())
                for p in found[line.key]
            ),
            "written": dict(written[line.key]),
            "load": [
                min(p["app"]["load"][0] for p in found[line.key]),
                max(p["app"]["load"][1] for p in found[line.key]),
            ],
            "other_cores": max(p["app"]["other_cores"] for p in found[line.key]),
        }
        for line in lines
    }
