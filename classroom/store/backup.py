"""A consistent copy of the live database, taken while the app runs: SQLite's backup API, or
pg_dump for PostgreSQL.

The `backup` command (cli.py) calls it with the database the app's config names.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path


class BackupError(Exception):
    """A backup that could not be made; the message says why."""


def backup(source: str | Path, target: str | Path) -> int:
    """Copy the database at source to target as it stood at one moment; returns its size.

    The copy is made in one step of the backup API, inside one read transaction: in WAL mode
    the app's writers carry on meanwhile, and every write committed before the step began is
    in the copy. The copy is a single self-contained file (no -wal), readable by its owner only,
    checked with PRAGMA integrity_check, and put in place only once complete.
    """
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if target.exists() and target.resolve() == source.resolve():
        raise BackupError("the backup would overwrite the database itself")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)  # password hashes and students' work: not for other accounts
    try:
        with (
            closing(sqlite3.connect(source, timeout=30)) as live,
            closing(sqlite3.connect(partial)) as copy,
        ):
            live.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"the copy failed its integrity check: {result}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def dump(url: str, target: str | Path) -> int:
    """Copy the PostgreSQL database at url to target with pg_dump's custom format (restored
    with pg_restore), as of one moment; returns its size. Put in place only once complete."""
    target = Path(target)
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    try:
        done = subprocess.run(
            ["pg_dump", "--format=custom", f"--file={partial}", "--dbname", url],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size
