"""PostgreSQL behind the part of sqlite-utils the store uses, on psycopg 3 and its pool.

The store's functions take either engine's Database: query, execute, executemany, stream,
atomic, db[table].insert/update, and the DDL the migrations use. Statements are written with
SQLite's placeholders (? and :name) and translated once each (to_pyformat). Outside atomic()
each statement commits by itself, as with sqlite-utils.

What SQLite's write lock gave every transaction, PostgreSQL gives by its own means: READ
COMMITTED, and an advisory lock where a transaction counts or checks before it writes
(atomic(lock=...): a submission, the login throttle), a row lock where it reads what it then
appends to (reviews.lock_attempt). Imported only when DATABASE_URL names PostgreSQL, so the
SQLite default needs neither psycopg nor its pool.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import os
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from .postgres_table import Table, quoted

# lock_timeout plays the part of SQLite's busy timeout (a request waiting longer fails with 503
# and Retry-After); a statement or an idle transaction that runs away is ended.
OPTIONS = "-c lock_timeout=5s -c statement_timeout=30s -c idle_in_transaction_session_timeout=60s"
STREAM_BATCH = 500  # rows a streamed export fetches from the server at a time

# One pass over the SQL: quoted strings, quoted names and -- comments are copied (with % doubled
# inside quotes, as psycopg reads it there too); ? becomes %s, :name %(name)s (but not ::), and
# any other % becomes %%.
_TOKEN = re.compile(r"""--[^\n]*|'(?:[^']|'')*'|"(?:[^"]|"")*"|\?|(?<!:):([A-Za-z_]\w*)|%""")


@functools.lru_cache(maxsize=2048)
def to_pyformat(sql: str) -> str:
    """A statement with SQLite's placeholders (? or :name) in psycopg's (%s or %(name)s)."""
    kinds = set()

    def swap(match: re.Match) -> str:
        token = match.group(0)
        if token == "?":
            kinds.add("?")
            return "%s"
        if token == "%":
            return "%%"
        if match.group(1):
            kinds.add(":")
            return f"%({match.group(1)})s"
        return token if token.startswith("--") else token.replace("%", "%%")

    translated = _TOKEN.sub(swap, sql)
    if len(kinds) > 1:
        raise ValueError("a statement takes ? or :name placeholders, not both")
    return translated


def _args(sql: str, params: Any) -> tuple[str, Any]:
    """The statement and parameters as psycopg takes them: translated only when there are
    parameters, since psycopg reads no placeholders (nor %) in a statement sent without."""
    if params is None or (not isinstance(params, dict) and len(params) == 0):
        return sql, None
    return to_pyformat(sql), params if isinstance(params, dict) else list(params)


class Database:
    """A PostgreSQL connection lent from the pool, with the methods the store calls."""

    engine = "postgresql"

    def __init__(self, conn: psycopg.Connection, keys: dict[str, list[str]]) -> None:
        self.conn = conn
        self._keys = keys  # primary key columns by table, shared by the pool's connections
        self._tracer: Callable[[str], object] | None = None
        self._streams = itertools.count()

    def _trace(self, sql: str) -> None:
        if self._tracer is not None:
            self._tracer(sql)

    def set_tracer(self, tracer: Callable[[str], object] | None) -> None:
        """Call tracer with every statement run from now on (None: stop)."""
        self._tracer = tracer

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        """The rows of a query as dicts (fetched whole: see stream for large results)."""
        self._trace(sql)
        cursor = self.conn.cursor(row_factory=dict_row)
        return iter(cursor.execute(*_args(sql, params)).fetchall())

    def execute(self, sql: str, params: Any = None) -> psycopg.Cursor:
        """Run a statement; the cursor gives its rows as tuples, and its rowcount."""
        self._trace(sql)
        return self.conn.execute(*_args(sql, params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""
        rows = list(rows)
        if rows:
            self._trace(sql)
            with self.conn.cursor() as cursor:
                cursor.executemany(to_pyformat(sql), rows)

    def stream(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        """The rows of a query as dicts, fetched a batch at a time from a cursor on the server
        (inside a transaction of its own, or a savepoint: closing early rolls it back)."""
        self._trace(sql)
        with (
            self.conn.transaction(),
            self.conn.cursor(f"stream_{next(self._streams)}", row_factory=dict_row) as cursor,
        ):
            cursor.itersize = STREAM_BATCH
            cursor.execute(*_args(sql, params))
            yield from cursor

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on the connection."""
        return self.conn.info.transaction_status != TransactionStatus.IDLE

    @contextlib.contextmanager
    def atomic(self, lock: object = None) -> Iterator[Database]:
        """A transaction (a savepoint inside one), holding the advisory lock named by lock, if
        given, until it ends: transactions with the same lock run one after another."""
        with self.conn.transaction():
            if lock is not None:
                key = ":".join(map(str, lock)) if isinstance(lock, tuple) else str(lock)
                self.execute("select pg_advisory_xact_lock(hashtextextended(?, 0))", [key])
            yield self

    def rollback(self) -> None:
        """End the open transaction, if any, keeping none of it."""
        if self.in_transaction:
            self.conn.rollback()

    def __getitem__(self, name: str) -> Table:
        return Table(self, name)

    def primary_key(self, table: str) -> list[str]:
        """The table's primary key columns (read once per pool)."""
        if table not in self._keys:
            rows = self.execute(
                """select a.attname from pg_index i
                   join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                   where i.indrelid = cast(? as regclass) and i.indisprimary
                   order by array_position(cast(i.indkey as int2[]), a.attnum)""",
                [table],
            ).fetchall()
            self._keys[table] = [r[0] for r in rows]
        return self._keys[table]

    def create_view(self, name: str, sql: str, replace: bool = False) -> None:
        """A view, as sqlite-utils' create_view makes it (replace: in place of the one there,
        whose columns must come first and alike, as PostgreSQL requires)."""
        self.execute(f"create {'or replace ' if replace else ''}view {quoted(name)} as {sql}")

    def table_names(self) -> list[str]:
        """The tables in the database's default schema."""
        rows = self.execute(
            "select tablename from pg_tables where schemaname = current_schema() order by 1"
        )
        return [r[0] for r in rows]


class Connections:
    """A pool per process, opened on the first connection it lends (never in gunicorn's master,
    whose pool would die with the fork); each thread is lent one connection at a time.

    Sizing: servers x workers x pool_size must stay under the server's max_connections.
    """

    def __init__(self, pool_size: int = 4) -> None:
        self.pool_size = pool_size
        self._local = threading.local()
        self._pools: dict[tuple[int, int, str], ConnectionPool] = {}
        self._keys: dict[str, list[str]] = {}
        self._generation = 0  # moves on when close() is called: every thread opens anew
        self._lock = threading.Lock()
        weakref.finalize(self, _close_pools, self._pools)

    def _pool(self, url: str) -> ConnectionPool:
        key = (os.getpid(), self._generation, url)
        with self._lock:
            if key not in self._pools:
                self._pools[key] = ConnectionPool(
                    url,
                    min_size=1,
                    max_size=self.pool_size,
                    timeout=10,
                    kwargs={
                        "autocommit": True,
                        "options": OPTIONS,
                        "application_name": "classroom",
                    },
                    check=ConnectionPool.check_connection,
                    name="classroom",
                    open=True,
                )
            return self._pools[key]

    def lend(self, url: str) -> Database:
        """A connection for this thread, from the pool, until it is given back (lent again
        before that, the same one: a count is kept)."""
        key = (os.getpid(), self._generation, url)
        lent: _Lent | None = getattr(self._local, "lent", None)
        if lent is not None and lent.key == key:
            lent.count += 1
            return lent.db
        if lent is not None:  # lent before close(), and not given back: back it goes
            lent.put_back()
        pool = self._pool(url)
        self._local.lent = lent = _Lent(key, pool, Database(pool.getconn(), self._keys))
        return lent.db

    def give_back(self) -> None:
        """End what the request left open and return the connection to its pool."""
        lent: _Lent | None = getattr(self._local, "lent", None)
        if lent is not None:
            lent.count -= 1
            if lent.count == 0:
                self._local.lent = None
                lent.put_back()

    def close(self) -> None:
        """Close this process's pools; each thread is lent from a new pool next time."""
        self._generation += 1
        lent: _Lent | None = getattr(self._local, "lent", None)
        if lent is not None:
            self._local.lent = None
            lent.put_back()
        _close_pools(self._pools)


@dataclasses.dataclass
class _Lent:
    """The connection a thread has been lent, and how many times over."""

    key: tuple[int, int, str]
    pool: ConnectionPool
    db: Database
    count: int = 1

    def put_back(self) -> None:
        """Roll back what is open, and return the connection (a broken one is thrown away)."""
        self.db.set_tracer(None)
        if self.key[0] != os.getpid():
            return  # a forked child never uses its parent's connection
        try:
            self.db.rollback()
        except psycopg.Error:
            pass  # the connection is broken: the pool will not keep it
        finally:
            self.pool.putconn(self.db.conn)


def _close_pools(pools: dict[tuple[int, int, str], ConnectionPool]) -> None:
    """Close the pools this process opened; a parent's, inherited across a fork, are left."""
    for key in [k for k in pools if k[0] == os.getpid()]:
        pools.pop(key).close()
