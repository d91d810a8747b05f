"""The two open-loop scenarios: a district morning, stepped up until it breaks, and a class's
burst of submissions. Schedules from mix.py, sent by loadgen.py, undone by undo.py."""

from __future__ import annotations

import dataclasses
import os
import random
import statistics
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


def run_plan(servers, plan, undo, database: Callable[[], float] | None, since: float):
    """Send a plan, with the CPU everyone used meanwhile; what it wrote is undone after.
    (every outcome, the figures)"""
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
    return outcomes, {
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


def step(g, traffic, students: int, m: mix.Mix, seconds: float, warmup: float) -> dict:
    """One step of the district morning on a group (cost.Group): this many active students
    for `seconds` (the first `warmup` of them not counted), and their teachers."""
    rng = random.Random(students)
    teachers = traffic.teachers[: mix.teachers_for(students, m)]
    plan = mix.district_plan(traffic.students[:students], teachers, m, seconds, rng)
    _, found = run_plan(g.servers, plan, g.undo, g.database, warmup)
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
        f"generator {found['generator_cores']:.2f}, others {found['other_cores']:.2f}; "
        + ", ".join(parts)
    )


def district(
    groups,
    traffic,
    steps: Sequence[int],
    m: mix.Mix,
    seconds: float,
    warmup: float,
    refine: int = 1,
    say: Callable[[str], None] = say,
) -> dict:
    """The district morning on each group at each number of active students, the groups
    taking turns at each step (each stops once saturated), then up to `refine` steps more
    between a group's last good step and its first bad one. By group."""
    most = len(traffic.students)
    steps = [n for n in steps if n <= most] or [most]
    for g in groups:  # a first, uncounted step: no worker meets its first page in a counted one
        step(g, traffic, steps[0], m, max(4.0, warmup), 0.0)
    found: dict[str, list[dict]] = {g.key: [] for g in groups}
    done: set[str] = set()

    def run(g, students: int) -> None:
        found[g.key].append(step(g, traffic, students, m, seconds, warmup))
        say(f"district: {students:,} students ({g.key}): {line(found[g.key][-1])}")
        if saturated(found[g.key][-1]):
            done.add(g.key)

    for students in steps:
        for g in groups:
            if g.key not in done:
                run(g, students)
    for _ in range(refine):
        for g in groups:
            students = mix.next_step(found[g.key], P99_MS, RESOLUTION)
            if students is not None:
                run(g, students)
    results = {}
    for g in groups:
        good, bad = mix.knee(found[g.key], P99_MS)
        met = [s["students"] for s in found[g.key] if mix.meets(s, P99_MS)]
        results[g.key] = {
            "steps": sorted(found[g.key], key=lambda s: s["students"]),
            "knee": good,
            "first_failing": bad,
            "largest_met": max(met, default=None),  # a passing step above a failing one
            "seconds": seconds,
            "warmup": warmup,
            "mix": dataclasses.asdict(m),
        }
    return results


def burst(groups, traffic, bursts: int, say=say) -> dict:
    """`bursts` classes of 30, one after another, each pressing Submit at the same moment and
    following the redirect to their feedback page; the groups take turns, a class at a time.
    By group."""
    size = 30
    outcomes: dict[str, list] = {g.key: [] for g in groups}
    rounds: dict[str, list[dict]] = {g.key: [] for g in groups}
    for b in range(bursts):
        plan = mix.burst_plan(traffic.students[b * size : (b + 1) * size], 1, 0.0)
        for g in groups:
            found_outcomes, found = run_plan(g.servers, plan, g.undo, g.database, since=0.0)
            outcomes[g.key] += found_outcomes
            rounds[g.key].append(found)
    results = {}
    for g in groups:
        kinds = summarise(outcomes[g.key])
        for found in rounds[g.key]:  # what the stored rows said
            for kind, k in found["kinds"].items():
                for name, n in k["error_kinds"].items():
                    if name.startswith("attempts stored"):
                        kinds[kind]["errors"] += n
                        kinds[kind]["error_kinds"][name] = n
        results[g.key] = {
            "bursts": bursts,
            "size": size,
            "kinds": kinds,
            "server_ms": statistics.median(f["server_ms"] for f in rounds[g.key]),
            "load": [rounds[g.key][0]["load"][0], rounds[g.key][-1]["load"][1]],
            "other_cores": max(f["other_cores"] for f in rounds[g.key]),
        }
        say(
            f"burst: {bursts} x {size} ({g.key}): submit p99 {kinds['submit']['p99_ms']:.0f} ms,"
            f" submit+feedback p99 {kinds['submit+feedback']['p99_ms']:.0f} ms, errors "
            f"{sum(k['errors'] for k in kinds.values())}"
        )
    return results
