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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from loadgen import OK, Request, closed_loop, cpu_clock, paced_loop, percentile
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
# Closed loop, the hello world answers three times as many requests a second as a page, and a
# server answering more requests at once spends less CPU on each (fewer wake-ups and polls a
# request): the ratio then counts that against the app. --rate sends both sides the same
# requests a second, as a district's students do, to see how much of a ratio that is.


def target_of(line: Line) -> float | None:
    """The most a line's ratio may be, if the issue names it."""
    return FLOOR_TARGET if line.floor else TARGETS.get(line.key)


def window(
    servers: Sequence[Server],
    items,
    seconds: float,
    clients: int = CLIENTS,
    database: Callable[[], float] | None = None,
    rate: float = 0.0,
) -> dict:
    """One measurement: closed loop on the servers (taken in turn) for `seconds`, or at a fixed
    rate of requests a second if one is given, with the CPU everyone used meanwhile: the
    servers, the database, this generator, and the rest."""
    load = os.getloadavg()[0]
    busy, cpu, gen = busy_seconds(), sum(s.cpu_seconds() for s in servers), cpu_clock()
    db = database() if database else 0.0
    started = time.monotonic()
    addresses = [s.address for s in servers]
    if rate:
        found = paced_loop(addresses, items, rate, seconds)
    else:
        found = closed_loop(addresses, items, clients, seconds)
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


@dataclass
class Group:
    """What a measurement is taken on: app servers (one, or several taking requests in turn)
    on one database, the hello world served like them, and what undoes their writes."""

    key: str
    servers: Sequence[Server]
    hello: Server | None
    undo: Any
    database: Callable[[], float] | None = None


def measure(
    groups: Sequence[Group],
    lines: Sequence[Line],
    rounds: int,
    seconds: float,
    say: Callable[[str], None] = say,
    rate: float = 0.0,
) -> dict:
    """Every line on every group, each paired with the hello world, for `rounds` rounds (the
    groups take turns within a round, so that the machine's moods fall on all of them); by
    group and line: each round's pair, and the median ratio with its range, errors, and the
    rows its writes left. With a rate, both sides of a pair are sent that many requests a
    second instead of as fast as they answer (see PACED)."""
    for g in groups:  # warm the servers' caches and templates
        for line in lines:
            window([g.hello], HELLO, 0.3)
            window(g.servers, line.items, 0.5)
            if line.writes:
                settle(g.servers)
                g.undo.undo()
    found = {g.key: {line.key: [] for line in lines} for g in groups}
    written = {g.key: {line.key: Counter() for line in lines} for g in groups}
    for r in range(rounds):
        say(f"cost: round {r + 1} of {rounds}")
        for line in lines:
            for n, g in enumerate(groups):
                if (r + n) % 2 == 0:
                    h = window([g.hello], HELLO, seconds, rate=rate)
                    a = window(g.servers, line.items, seconds, database=g.database, rate=rate)
                else:
                    a = window(g.servers, line.items, seconds, database=g.database, rate=rate)
                    h = window([g.hello], HELLO, seconds, rate=rate)
                removed = {}
                if line.writes:
                    settle(g.servers)
                    removed = g.undo.undo()
                written[g.key][line.key].update(removed)
                if line.key == "submit":  # each right answer is one attempt stored, no more
                    right = a["requests"] - sum(a["wrong"].values())
                    if removed.get("attempts") != right:
                        a["wrong"]["attempts stored != submissions answered"] = 1
                found[g.key][line.key].append({"hello": h, "app": a, "ratio": pair(h, a)})
                db = f" + DB {a['db_ms']:.2f}" if a["db_ms"] is not None else ""
                say(
                    f"  {line.key:15} {a['server_ms']:6.2f}{db} ms / hello {h['server_ms']:5.2f}"
                    f" ms = {pair(h, a):5.2f}x  wrong {sum(a['wrong'].values())}  others "
                    f"{a['other_cores']:.2f} cores  ({g.key})"
                )
    return {
        g.key: {
            line.key: summary(line, found[g.key][line.key], written[g.key][line.key])
            for line in lines
        }
        for g in groups
    }


def summary(line: Line, pairs: list[dict], written: Counter) -> dict:
    """A line's figures over its rounds."""
    dbs = [p["app"]["db_ms"] for p in pairs if p["app"]["db_ms"] is not None]
    return {
        "label": line.label,
        "shown": line.shown,
        "floor": line.floor,
        "target": target_of(line),
        "rounds": pairs,
        "ratio": spread([p["ratio"] for p in pairs]),
        "server_ms": statistics.median(p["app"]["server_ms"] for p in pairs),
        "hello_ms": statistics.median(p["hello"]["server_ms"] for p in pairs),
        "db_ms": statistics.median(dbs) if dbs else None,
        "requests": sum(p["app"]["requests"] for p in pairs),
        "errors": sum(
            sum(p["app"]["wrong"].values()) + sum(p["hello"]["wrong"].values()) for p in pairs
        ),
        "written": dict(written),
        "load": [min(p["app"]["load"][0] for p in pairs), max(p["app"]["load"][1] for p in pairs)],
        "other_cores": max(p["app"]["other_cores"] for p in pairs),
    }
