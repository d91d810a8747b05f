"""Run the suite on SQLite and on PostgreSQL at the same time, one run per core: `make ci`.

    python tests/both_engines.py PYTEST [ARGS...]

Each run writes its own log and base temporary folder; both logs are printed once both have
ended, then one closing line with the sums ("N passed, N failed"). Exits non-zero if either
run failed. Only the standard library is used.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COUNTS = re.compile(r"(\d+) (passed|failed|errors?)\b")


def summary(log: str) -> dict[str, int]:
    """pytest's counts from the last summary line of a log."""
    lines = [line for line in log.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    found = {"passed": 0, "failed": 0}
    for number, word in COUNTS.findall(lines[-1] if lines else ""):
        key = "passed" if word == "passed" else "failed"  # errors count as failures
        found[key] += int(number)
    return found


def main(pytest: list[str]) -> int:
    if not pytest:
        sys.exit("usage: python tests/both_engines.py PYTEST [ARGS...]")
    folder = Path(tempfile.mkdtemp(prefix="classroom-ci-"))
    runs = {
        "SQLite": [*pytest, f"--basetemp={folder / 'sqlite'}"],
        "PostgreSQL": [
            sys.executable,
            str(HERE / "pg_cluster.py"),
            "--",
            *pytest,
            f"--basetemp={folder / 'postgresql'}",
        ],
    }
    started = time.monotonic()
    processes = {}
    for name, command in runs.items():
        log = (folder / f"{name}.log").open("w")
        env = {k: v for k, v in os.environ.items() if k != "CLASSROOM_TEST_POSTGRES"}
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        processes[name] = (process, log)
    totals = {"passed": 0, "failed": 0}
    failed = False
    for name, (process, log) in processes.items():
        failed |= process.wait() != 0
        log.close()
        text = (folder / f"{name}.log").read_text(errors="replace")
        print(f"===== {name} =====\n{text}", flush=True)
        for key, value in summary(text).items():
            totals[key] += value
    print(f"both engines: {time.monotonic() - started:.0f} s")
    print(f"{totals['passed']} passed, {totals['failed']} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
