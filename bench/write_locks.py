"""Concurrent writers: sqlite-utils' deferred transactions against the store's IMMEDIATE ones.

    .venv/bin/python bench/write_locks.py

Four processes each run 300 transactions shaped like a submission (sqlite-utils inserts, which
read the table's schema before writing) on one WAL database, first with sqlite-utils' own
Database (BEGIN, deferred), then with the store's Database (BEGIN IMMEDIATE), and count the
transactions that failed with "database is locked". docs/performance.md quotes the result.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlite_utils  # noqa: E402

from classroom.store.connection import Database  # noqa: E402

PROCESSES, TRANSACTIONS = 4, 300


def writer(job: tuple[str, bool]) -> int:
    """Run the transactions; how many failed because the database was locked."""
    path, immediate = job
    failed = 0
    for n in range(TRANSACTIONS):
        db = (Database if immediate else sqlite_utils.Database)(path, execute_plugins=False)
        db.execute("PRAGMA busy_timeout = 5000")
        try:
            with db.atomic():
                db["attempts"].insert({"n": n, "result": "x" * 2000})
                db["answers"].insert_all([{"attempt": n, "task": t} for t in range(3)])
        except sqlite3.OperationalError as err:
            failed += "locked" in str(err)
        db.close()
    return failed


def main() -> None:
    for immediate in (False, True):
        with tempfile.TemporaryDirectory(prefix="classroom-locks-") as folder:
            path = str(Path(folder) / "locks.sqlite")
            db = sqlite_utils.Database(path)
            db.enable_wal()
            db["attempts"].create({"id": int, "n": int, "result": str}, pk="id")
            db["answers"].create({"attempt": int, "task": int})
            db.close()
            started = time.perf_counter()
            with multiprocessing.Pool(PROCESSES) as pool:
                failed = sum(pool.map(writer, [(path, immediate)] * PROCESSES))
            took = time.perf_counter() - started
        kind = "BEGIN IMMEDIATE" if immediate else "deferred BEGIN"
        print(f"{kind:16} {failed:5} of {PROCESSES * TRANSACTIONS} failed ({took:.1f} s)")


if __name__ == "__main__":
    main()
