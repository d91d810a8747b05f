"""Which database engine the app speaks to, and its errors in terms that fit either engine.

SQLite (through sqlite-utils, a file in the instance folder) unless DATABASE_URL names a
PostgreSQL database (postgres.py, on psycopg). Outside the store, code asks this module what an
error means, and never imports sqlite3 or psycopg itself. psycopg is imported only when the
config names PostgreSQL: the SQLite default does not need it installed.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Mapping
from typing import Any

from .connection import Connections

SCHEMES = ("postgresql://", "postgres://")

# SQLite's primary result codes for a write the database could not take: the disk is full, the
# file or its disk is read-only, the disk failed, or other writers held the lock past the busy
# timeout. Nothing of the transaction is stored; it may well work again in a few minutes.
_SQLITE_CANNOT_WRITE = {
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_BUSY,
}
# PostgreSQL's, by SQLSTATE: insufficient resources (53: disk full, out of memory, too many
# connections), a read-only transaction (a standby), a serialization failure or deadlock, a lock
# not had within lock_timeout, a statement cancelled (statement_timeout), the server shutting
# down or starting (57P01-57P03), and a lost connection (class 08).
_POSTGRES_CANNOT_WRITE = {"25006", "40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03"}
_POSTGRES_CANNOT_WRITE_CLASSES = {"08", "53"}


def database_errors() -> tuple[type[Exception], ...]:
    """The errors of either engine, for `except database_errors():` (psycopg's once it is in
    use: before that, none of its errors can have been raised)."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error, psycopg.Error) if psycopg else (sqlite3.Error,)


def target(config: Mapping[str, Any]) -> str:
    """What the app's connections open: the database URL if one is set, else the file."""
    return config.get("DATABASE_URL") or config["DATABASE"]


def check(config: Mapping[str, Any]) -> None:
    """Refuse a DATABASE_URL that names no PostgreSQL database, at start-up."""
    url = config.get("DATABASE_URL")
    if url and not str(url).startswith(SCHEMES):
        raise RuntimeError(
            "CLASSROOM_DATABASE_URL (DATABASE_URL in instance/config.py) must start with "
            "postgresql:// (or leave it unset to keep SQLite in the instance folder)."
        )


def connections(config: Mapping[str, Any]) -> Any:
    """The connections for the engine the config names, opened as each thread needs one."""
    check(config)
    if config.get("DATABASE_URL"):
        from . import postgres

        return postgres.Connections(pool_size=int(config.get("DATABASE_POOL_SIZE", 4)))
    return Connections()


def cannot_write(error: BaseException) -> bool:
    """Whether the error says the database cannot take a write just now (answer 503, nothing
    stored), rather than that the statement or the code is wrong."""
    if isinstance(error, sqlite3.Error):
        return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in _SQLITE_CANNOT_WRITE
    psycopg = sys.modules.get("psycopg")
    if psycopg is None or not isinstance(error, psycopg.Error):
        return False
    code = error.sqlstate
    if code is None:  # raised by the client: no connection could be had, or it was lost
        return isinstance(error, psycopg.OperationalError)
    return code in _POSTGRES_CANNOT_WRITE or code[:2] in _POSTGRES_CANNOT_WRITE_CLASSES


def is_unique_violation(error: BaseException, table: str, column: str) -> bool:
    """Whether the error is the unique index on table.column refusing a second row."""
    if isinstance(error, sqlite3.IntegrityError):  # "UNIQUE constraint failed: users.username"
        message = str(error)
        return message.startswith("UNIQUE") and f"{table}.{column}" in message.split(": ", 1)[-1]
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None and isinstance(error, psycopg.errors.UniqueViolation):
        return error.diag.constraint_name == f"idx_{table}_{column}"  # as migrations name it
    return False
