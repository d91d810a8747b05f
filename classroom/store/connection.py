"""Connections to the SQLite database, and what every store module shares: transactions that
take the write lock, the time as stored, JSON as stored, one row. No Flask here."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlite_utils
from sqlite_utils.utils import dedupe_keys


class Database(sqlite_utils.Database):
    """sqlite-utils' Database whose transactions take the write lock as they begin, with the
    few methods the store uses that PostgreSQL's Database (postgres.py) has too."""

    engine = "sqlite"

    @contextlib.contextmanager
    def atomic(self, lock: object = None) -> Iterator[Database]:
        """A transaction (a savepoint inside one) that waits its turn to write.

        sqlite-utils begins a deferred transaction; one that reads (even the table's schema,
        as insert does) before it writes fails at once with "database is locked" when another
        connection wrote in between, and the busy timeout cannot help. BEGIN IMMEDIATE waits.
        lock names what the transaction must have to itself (see postgres.py); here the write
        lock already serialises every writer, so it is not needed.
        """
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    def query(self, sql: str, params: dict | Sequence | None = None) -> Iterator[dict[str, Any]]:
        """The rows of a query as dicts, as sqlite-utils gives them, without its savepoint for
        a statement that only reads.

        sqlite-utils runs every query() inside SAVEPOINT ... RELEASE so that it can undo a
        statement that turns out to return no rows; a SELECT always returns rows and changes
        nothing, and every page runs several: three statements each become one.
        """
        if not reads_only(sql):
            return super().query(sql, params)
        if self._tracer:
            self._tracer(sql, params)
        cursor = self.conn.execute(sql, () if params is None else params)
        names = [d[0] for d in cursor.description]
        keys = names if len(set(names)) == len(names) else dedupe_keys(names)
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on the connection."""
        return self.conn.in_transaction

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""
        self.conn.executemany(sql, rows)

    def stream(self, sql: str, params: dict | Sequence = ()) -> Iterator[dict[str, Any]]:
        """The rows of a query as dicts, read as they are consumed (for the large exports)."""
        return self.query(sql, params)

    def set_tracer(self, tracer: Callable[[str], object] | None) -> None:
        """Call tracer with every statement run from now on (None: stop)."""
        self.conn.set_trace_callback(tracer)


# A statement that can only read: a SELECT, or a WITH whose text names no writing statement
# (a WITH may lead to an INSERT, UPDATE or DELETE: those keep sqlite-utils' savepoint).
_SELECT = re.compile(r"\s*select\b", re.IGNORECASE)
_WITH = re.compile(r"\s*with\b", re.IGNORECASE)
_WRITES = re.compile(r"\b(insert|update|delete|replace)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def reads_only(sql: str) -> bool:
    """Whether the statement is a SELECT (or a WITH ... SELECT) that writes nothing."""
    if _SELECT.match(sql):
        return True
    return bool(_WITH.match(sql)) and not _WRITES.search(sql)


def connect(path: str) -> Database:
    """Open the database with WAL, foreign keys and a busy timeout.

    One thread uses a connection at a time (see Connections); another may close it once that
    thread has ended, hence check_same_thread off.
    """
    db = Database(sqlite3.connect(path, check_same_thread=False), execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    db.execute("PRAGMA synchronous = NORMAL")
    if db.journal_mode != "wal":
        db.enable_wal()
    return db


class Connections:
    """One open connection per thread, lent to each of its requests in turn.

    Opening a connection, setting its pragmas and reading the schema again cost a quarter of
    a millisecond, as much as the rest of a small page. A connection is used by one thread
    only and never across a fork; each request gets it with no transaction open; a thread
    that ends (a development server starts one per request) has its connection closed when
    the next one is opened.
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._opened: list[tuple[int, threading.Thread, Database]] = []
        self._generation = 0  # moves on when close() is called: every thread opens anew
        self._lock = threading.Lock()  # over _opened, which every thread's first request changes
        weakref.finalize(self, _close_all, self._opened)  # when the app goes, or at exit

    def lend(self, path: str) -> Database:
        """This thread's connection to path, opened if there is none yet."""
        key = (os.getpid(), self._generation, path)
        if getattr(self._local, "key", None) != key:
            self._local.db = connect(path)  # a forked child never uses its parent's connection
            self._local.key = key
            with self._lock:
                _close_all(self._opened, only_ended=True)
                self._opened.append((key[0], threading.current_thread(), self._local.db))
        return self._local.db

    def give_back(self) -> None:
        """End what the request left open, so the next one starts clean."""
        db = getattr(self._local, "db", None)
        if db is not None and db.in_transaction:
            db.conn.rollback()

    def close(self) -> None:
        """Close every connection this process opened (to stop using the database file, as
        before a restore); each thread opens a new one on its next request."""
        self._generation += 1
        with self._lock:
            _close_all(self._opened)


def _close_all(opened: list[tuple[int, threading.Thread, Database]], only_ended=False) -> None:
    """Close the connections this process opened (all, or only those of ended threads); a
    parent's, inherited across a fork, are left alone."""
    kept = []
    for pid, thread, db in opened:
        if pid == os.getpid() and not (only_ended and thread.is_alive()):
            db.close()
        else:
            kept.append((pid, thread, db))
    opened[:] = kept


def now() -> str:
    """The current time as stored: ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def dumps(value: Any) -> str:
    """JSON as stored in text columns."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def one(db: Database, sql: str, params: dict | list = ()) -> dict[str, Any] | None:
    """The first row the query returns, or None."""
    return next(iter(db.query(sql, params)), None)
