"""Which database engine the app speaks to, and its errors in terms that fit either engine.

SQLite (through sqlite-utils, a file in the instance folder) unless DATABASE_URL names a
PostgreSQL database. Outside the store, code asks this module what an error means, and never
imports sqlite3 or psycopg itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from .connection import Connections

# The errors of either engine: what a caller catches when the database failed it.
DatabaseError: tuple[type[Exception], ...] = (sqlite3.Error,)

# SQLite's primary result codes for a write the database could not take: the disk is full, the
# file or its disk is read-only, the disk failed, or other writers held the lock past the busy
# timeout. Nothing of the transaction is stored; it may well work again in a few minutes.
_SQLITE_CANNOT_WRITE = {
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_BUSY,
}


def target(config: Mapping[str, Any]) -> str:
    """What the app's connections open: the database URL if one is set, else the file."""
    return config.get("DATABASE_URL") or config["DATABASE"]


def connections(config: Mapping[str, Any]) -> Connections:
    """The connections for the engine the config names, opened as each thread needs one."""
    return Connections()


def cannot_write(error: BaseException) -> bool:
    """Whether the error says the database cannot take a write just now (answer 503, nothing
    stored), rather than that the statement or the code is wrong."""
    if isinstance(error, sqlite3.Error):
        return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in _SQLITE_CANNOT_WRITE
    return False


def is_unique_violation(error: BaseException, table: str, column: str) -> bool:
    """Whether the error is the unique index on table.column refusing a second row."""
    if isinstance(error, sqlite3.IntegrityError):  # "UNIQUE constraint failed: users.username"
        message = str(error)
        return message.startswith("UNIQUE") and f"{table}.{column}" in message.split(": ", 1)[-1]
    return False
