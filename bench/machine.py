"""What the figures were measured on: the machine, how busy it was, and how fast one core is.

Boxes differ by three times in speed, so every run records a fixed calibration: the time a
fixed pure-Python loop takes (best of several), at the start and at the end of the run. A
figure in milliseconds is only comparable across runs next to its calibration.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import time
from importlib import metadata
from pathlib import Path

MIB = 1024 * 1024
STARTED = time.monotonic()


def say(text: str) -> None:
    """A progress message on stderr, with the seconds since the run began and the load."""
    print(
        f"[{time.monotonic() - STARTED:4.0f} s, load {os.getloadavg()[0]:4.1f}] {text}",
        file=sys.stderr,
        flush=True,
    )


def calibrate(rounds: int = 7) -> float:
    """Milliseconds a fixed pure-Python loop takes on one core (the best of `rounds`)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - started)
    assert total == 1_999_998  # the loop is what it says
    return best * 1000


def machine() -> dict:
    """The machine, the software, and the load average as the run starts."""
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
        platform.processor(),
    )
    mem = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(mem) * 1024 / MIB / 1024, 1),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": metadata.version("gunicorn"),
        "kernel": platform.release(),
    }
