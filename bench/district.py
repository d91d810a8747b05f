"""The two open-loop scenarios: a district morning, stepped up until it breaks, and a class's
burst of submissions. Schedules from mix.py, sent by loadgen.py, undone by undo.py."""

from __future__ import annotations

import dataclasses
import os
import random
import time
from collections.abc import Callable, Sequence

import mix
from loadgen import cpu_clock, open_loop, summarise
from machine import say
from server import busy_seconds, settle

P99_MS = 250.0  # the district target: p99 under this at every kind a student sends, no error
BURST_P99_MS = 300.0  # the burst target, for the submission and for submission + feedback
SATURATED_MS = 2000.0  # a step this slow (or with 1 % errors) ends the stepping up
RESOLUTION = 500  # the knee is looked for to this many students


def run_plan(servers, plan, undo, database: Callable[[], float] | None, since: float) -> dict:
    """Send a plan, with the CPU everyone used meanwhile; what it wrote is undone after."""
    load = os.getloadavg()[0]
    busy, cpu, gen = busy_seconds(), sum(s.cpu_seconds() for s in servers), cpu_clock()
    db = database() if database else 0.0
    started = time.monotonic()
    outcomes = open_loop([s.address for s in servers], plan)
    wall = time.monotonic() - started
    server = sum(s.cpu_seconds() for s in servers) - cpu
    db = (database() - db) if database else 0.0
    gen = cpu_clock() - gen
    settle(servers)  # what timed out here may still be running there: let it end first
    removed = undo.undo()
    kinds = summarise(outcomes, since)
    right = sum(o.ok for o in outcomes if o.kind == "submit")
    if removed.get("attempts") != right and "submit" in kinds:  # every attempt answered, no more
        kinds["submit"]["errors"] += 1
        kinds["submit"]["error_kinds"]["attempts stored != submissions answered"] = 1
    answered = sum(1 for o in outcomes if o.scheduled >= since and "+" not in o.kind)
    served = max(1, sum(1 for o in outcomes if "+" not in o.kind))  # warm-up's too: CPU is
    return {
        "kinds": kinds,
        "requests": answered,
        "server_ms": server / served * 1000,
        "db_ms": db / served * 1000 if database else None,
        "rps": answered / max(0.001, plan[-1].at - since) if plan else 0.0,
        "server_cores": server / wall,
        "db_cores": db / wall if database else None,
        "generator_cores": gen / wall,
        "other_cores": max(0.0, (busy_seconds() - busy - server - db - gen) / wall),
        "load": [load, os.getloadavg()[0]],
        "written": removed,
    }


def step(servers, traffic, students: int, m: mix.Mix, seconds, warmup, undo, database) -> dict:
    """One step of the district morning: this many active students for `seconds` (the first
    `warmup` of them not counted), and their teachers."""
    rng = random.Random(students)
    teachers = traffic.teachers[: mix.teachers_for(students, m)]
    plan = mix.district_plan(traffic.students[:students], teachers, m, seconds, rng)
    found = run_plan(servers, plan, undo, database, warmup)
    return {"students": students, "teachers": len(teachers), **found}


def saturated(found: dict) -> bool:
    """Whether a step is so far past the knee that bigger ones would only say the same."""
    kinds = found["kinds"]
    requests = sum(k["requests"] for k in kinds.values())
    errors = sum(k["errors"] for k in kinds.values())
    slow = any(kinds[k]["p99_ms"] > SATURATED_MS for k in mix.STUDENT_KINDS if k in kinds)
    return slow or errors > 0.01 * max(1, requests)


def line(found: dict) -> str:
    """A step as the progress messages show it."""
    kinds = found["kinds"]
    parts = [
        f"{k} p99 {kinds[k]['p99_ms']:.0f}"
        + (f" ({kinds[k]['errors']} err)" if kinds[k]["errors"] else "")
        for k in mix.KINDS
        if k in kinds
    ]
    return (
        f"{found['rps']:.0f} req/s, server {found['server_cores']:.2f} cores, "
        f"generator {found['generator_cores']:.2f}, others {found['other_cores']:.2f}, "
        f"load {found['load'][0]:.1f}; " + ", ".join(parts)
    )


def district(
    servers,
    traffic,
    steps: Sequence[int],
    m: mix.Mix,
    seconds: float,
    warmup: float,
    undo,
    database=None,
    refine: int = 1,
    say: Callable[[str], None] = say,
) -> dict:
    """The district morning at each number of active students (stopping once saturated),
    then up to `refine` steps more between the last good step and the first bad one."""
    most = len(traffic.students)
    # a first, uncounted step, so that no worker meets its first page (templates, caches) in
    # a counted one
    step(servers, traffic, min(steps[0], most), m, max(4.0, warmup), 0.0, undo, database)
    found = []
    for students in steps:
        if students > most:
            say(f"district: only {most} students in the school, not {students}")
            break
        found.append(step(servers, traffic, students, m, seconds, warmup, undo, database))
        say(f"district: {students:,} students: {line(found[-1])}")
        if saturated(found[-1]):
            break
    for _ in range(refine):
        students = mix.next_step(found, P99_MS, RESOLUTION)
        if students is None or students > most:
            break
        found.append(step(servers, traffic, students, m, seconds, warmup, undo, database))
        say(f"district: {students:,} students: {line(found[-1])}")
    good, bad = mix.knee(found, P99_MS)
    return {
        "steps": sorted(found, key=lambda s: s["students"]),
        "knee": good,
        "first_failing": bad,
        "seconds": seconds,
        "warmup": warmup,
        "mix": dataclasses.asdict(m),
    }


def burst(servers, traffic, bursts: int, gap: float, undo, database=None, say=say) -> dict:
    """`bursts` classes of 30, one after another, each pressing Submit at the same moment and
    following the redirect to their feedback page."""
    size = 30
    plan = mix.burst_plan(traffic.students[: bursts * size], bursts, gap)
    found = run_plan(servers, plan, undo, database, since=0.0)
    kinds = found["kinds"]
    say(
        f"burst: {bursts} x {size}: submit p99 {kinds['submit']['p99_ms']:.0f} ms, "
        f"submit+feedback p99 {kinds['submit+feedback']['p99_ms']:.0f} ms, errors "
        f"{sum(k['errors'] for k in kinds.values())}, load {found['load'][0]:.1f}"
    )
    return {"bursts": bursts, "size": size, "gap": gap, **found}
