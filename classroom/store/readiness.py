"""Whether the database can take the app's writes right now: what /readyz reports.

A write rolled back proves little: in WAL mode its pages never leave the page cache, so it
succeeds on a full disk. A write has to be committed to reach the -wal file, and even then a
full disk is noticed only when that file must grow (after a checkpoint it is written again from
its start). So the check commits a real write, and also looks at the room left to grow.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlite_utils import Database

from . import migrate
from .engine import database_errors

# Less room than this (on the disk, or under SQLite's page limit) and the database is as good
# as full: a submission with its snapshot takes tens of kilobytes, and a checkpoint more.
MIN_ROOM = 1024 * 1024


def touch(db: Database) -> None:
    """Commit a write that changes nothing: the header's user_version, set to what it is.

    It dirties one page (the header), so each call appends one page to the -wal file and
    fails as the app's own writes would (read-only, disk full, I/O error, locked past the busy
    timeout). Nothing reads user_version (the migrations keep their own table), and it is not
    the schema cookie, so other connections keep their prepared statements.
    On PostgreSQL, a transaction that updates no row (refused when the database or the server
    is read-only, a standby included) and takes a transaction id, so that its commit is written.
    """
    if db.engine == "postgresql":
        with db.atomic():
            db.execute("update schema_migrations set name = name where false")
            db.execute("select pg_current_xact_id()")
        return
    with db.atomic():
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        # a PRAGMA takes no parameters; the value is the integer just read
        db.execute(f"PRAGMA user_version = {version}")


def room(db: Database) -> int | None:
    """Bytes the database can still grow by: the least of its disk's free space and what
    SQLite's page limit leaves (unlimited unless a connection sets max_page_count). None on
    PostgreSQL, whose disk a client cannot see: it is watched on the database's own host."""
    if db.engine == "postgresql":
        return None
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    limit = db.execute("PRAGMA max_page_count").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    free_pages = db.execute("PRAGMA freelist_count").fetchone()[0]
    left = (limit - pages + free_pages) * page_size
    path = next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main")
    if path:  # not an in-memory database
        left = min(left, shutil.disk_usage(Path(path).parent).free)
    return left


def not_ready(db: Database) -> str | None:
    """Why the app cannot serve from this database now (None: it can read and write it)."""
    try:
        pending = [m.name for m in migrate.pending(db)]
    except database_errors() as err:
        return f"database cannot be read: {err}"
    if pending:
        return f"database is not up to date: run init-db (not applied: {', '.join(pending)})"
    try:
        touch(db)
        left = room(db)
    except (*database_errors(), OSError) as err:
        return f"database cannot be written: {err}"
    if left is not None and left < MIN_ROOM:
        return f"database cannot be written: the disk is full ({left // 1024} KB left)"
    return None
