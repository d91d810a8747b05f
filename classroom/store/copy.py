"""copy-db: a school's database copied into an empty one, from SQLite to PostgreSQL or back,
checked table by table before the copy is committed. No Flask here: cli.py's command calls copy.

The tables are those the migrations make (read from them, so that a table a new migration adds
is copied too), each after the tables it refers to, streamed in key order. The source is read
in one snapshot; the target is written in one transaction, which is rolled back unless every
table has as many rows as the source, with the same SHA-256 over them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from . import migrate
from .addresses import identity, opened, parse, shown
from .connection import Database
from .migrations import migrations
from .postgres_table import quoted

BATCH = 1000  # rows read, written and counted on the progress bar at a time
# Tables whose rows keep the order they were stored in, besides their key (a submission's
# answers, which the attempts export lists in that order): SQLite's rowid, a column seq on
# PostgreSQL (m012_answer_order). The copy carries it over as it is.
IN_ORDER = {"attempt_answers"}
ORDER_COLUMN = {"sqlite": "rowid", "postgresql": "seq"}
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # as json.dumps, made once
IDENTITY_COLUMNS = """select table_name, column_name from information_schema.columns
                      where table_schema = current_schema() and is_identity = 'YES'"""


class CopyError(Exception):
    """A copy refused, or failed with nothing committed; the message says why."""


class Mismatch(CopyError):
    """The target, written, differs from the source: the copy was rolled back."""

    def __init__(self, checks: list[Check]) -> None:
        self.checks = checks
        differ = ", ".join(c.table for c in checks if not c.ok)
        super().__init__(
            f"the copy differs from the source in {differ}: rolled back, nothing committed"
        )


@dataclass(frozen=True)
class Table:
    """A table as the migrations make it: its columns, and its primary key."""

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    """A table's rows and SHA-256 in the source, and as written into the target."""

    table: str
    rows: int
    sha256: str
    copied_rows: int
    copied_sha256: str

    @property
    def ok(self) -> bool:
        return (self.rows, self.sha256) == (self.copied_rows, self.copied_sha256)


@functools.cache
def tables() -> tuple[Table, ...]:
    """Every table the migrations make (applied to an empty SQLite database in memory), each
    after the tables its foreign keys refer to, else in the order they were made."""
    with contextlib.closing(Database(memory=True)) as db:
        migrations.apply(db)
        names = [n for n in db.table_names() if n != migrations.migrations_table]
        refers = {n: {fk.other_table for fk in db[n].foreign_keys} - {n} for n in names}
        made = {n: Table(n, tuple(c.name for c in db[n].columns), tuple(db[n].pks)) for n in names}
    ordered: list[Table] = []
    while len(ordered) < len(names):
        done = {t.name for t in ordered}
        ready = [n for n in names if n not in done and refers[n] <= done]
        if not ready:
            raise CopyError(f"the foreign keys of {', '.join(sorted(set(names) - done))} loop")
        ordered.append(made[ready[0]])
    return tuple(ordered)


def copy(
    source: str,
    target: str,
    progress: Callable[[int], ContextManager[Any]] | None = None,
) -> list[Check]:
    """Copy every row of the database at source into the empty database at target, migrated
    first, and commit only if every table checks out: a Check per table, and the migrations'.

    progress(total rows) gives a context manager with an update(rows) method, called per batch
    (click.progressbar fits). Raises CopyError, with nothing committed: the same database, a
    target with rows, migrations that differ, or a Mismatch. A target file this call made is
    removed again if the copy fails.
    """
    kind, where = parse(target)
    made = kind == "sqlite" and not Path(where).exists()
    try:
        with opened(source, source=True) as reading, opened(target, source=False) as writing:
            if identity(reading, source) == identity(writing, target):
                raise CopyError("the target is the database the app uses: copy into another")
            _check_migrations(reading, writing)
            if held := _tables_with_rows(writing):
                raise CopyError(
                    f"{shown(target)} is not empty ({', '.join(held)} have rows): copy-db "
                    "fills a new, empty database only"
                )
            migrate.apply(writing)
            checks = _copy(reading, writing, progress or _quietly)
            if writing.engine == "postgresql":
                writing.execute("analyze")  # the planner's statistics, from the first request
            return checks
    except BaseException:
        if made:
            for leftover in ("", "-wal", "-shm"):
                Path(where + leftover).unlink(missing_ok=True)
        raise


def _copy(reading: Any, writing: Any, progress: Callable[[int], ContextManager[Any]]) -> list:
    """Every table, from one snapshot of reading into one transaction on writing, checked."""
    for table in tables():
        _check_columns(reading, table)
        _check_columns(writing, table)
    with _snapshot(reading):
        counts = [_count(reading, t.name) for t in tables()]
        with writing.atomic(lock="classroom.copy-db"), progress(sum(counts)) as bar:
            if held := _tables_with_rows(writing):  # written since it was found empty
                raise CopyError(f"the target is not empty any more ({', '.join(held)})")
            read = [_copy_table(reading, writing, t, bar) for t in tables()]
            if writing.engine == "postgresql":
                _move_sequences_on(writing)
            checks = [
                Check(t.name, *r, *checksum(writing, t))
                for t, r in zip(tables(), read, strict=True)
            ]
            checks.append(_migrations_check(reading, writing))
            if not all(c.ok for c in checks):
                raise Mismatch(checks)
    return checks


class _Quiet:
    """A progress bar that shows nothing."""

    def update(self, rows: int) -> None:
        """Nothing shows the progress."""


def _quietly(total: int) -> ContextManager[_Quiet]:
    """No progress shown (copy called without a progress bar)."""
    return contextlib.nullcontext(_Quiet())


def _check_migrations(reading: Any, writing: Any) -> None:
    """Refuse a source not up to date, or either side migrated by another version."""
    known = [step.name for step in migrate.steps()]
    for side, db in (("source", reading), ("target", writing)):
        unknown = [name for name in migrate.applied(db) if name not in known]
        if unknown:
            raise CopyError(
                f"the {side} database has migrations this version of Classroom does not "
                f"know ({', '.join(unknown)}): copy it with the version that made them"
            )
    pending = [name for name in known if name not in migrate.applied(reading)]
    if pending:
        raise CopyError(
            f"the source database is not up to date ({len(pending)} migration(s) pending): "
            "run 'flask --app classroom init-db' first"
        )


def _tables_with_rows(db: Any) -> list[str]:
    """The database's tables that hold rows, the record of its migrations aside."""
    record = {migrations.migrations_table, migrate.TABLE}
    names = [n for n in db.table_names() if n not in record and not n.startswith("sqlite_")]
    return [n for n in names if db.execute(f"select 1 from {quoted(n)} limit 1").fetchall()]


def _columns(db: Any, table: Table) -> list[str]:
    """The columns the copy reads and writes: the table's, and its order where it is kept."""
    extra = [ORDER_COLUMN[db.engine]] if table.name in IN_ORDER else []
    return [*table.columns, *extra]


def _check_columns(db: Any, table: Table) -> None:
    """Refuse a table whose columns are not those the migrations make."""
    found = [d[0] for d in db.execute(f"select * from {quoted(table.name)} limit 0").description]
    expected = [c for c in _columns(db, table) if c != "rowid"]
    if sorted(found) != sorted(expected):
        raise CopyError(
            f"{table.name} has the columns {', '.join(found)} where the migrations make "
            f"{', '.join(expected)}: its schema is not the migrations' (changed by hand?)"
        )


def _select(db: Any, table: Table) -> str:
    """The table's rows in key order, its columns in the migrations' order (the order kept
    last, as seq)."""
    columns = [quoted(c) for c in table.columns]
    if table.name in IN_ORDER:
        columns.append(f"{ORDER_COLUMN[db.engine]} as seq")
    key = ", ".join(quoted(k) for k in table.key)
    return f"select {', '.join(columns)} from {quoted(table.name)} order by {key}"


def _count(db: Any, name: str) -> int:
    """How many rows the table has."""
    return db.execute(f"select count(*) from {quoted(name)}").fetchone()[0]


def _line(row: Sequence[Any]) -> bytes:
    """A row as the checksums take it: both engines read these columns as int, float (JSON
    writes its repr), str or None."""
    return _JSON.encode(list(row)).encode() + b"\n"


def checksum(db: Any, table: Table) -> tuple[int, str]:
    """The table's rows, and the SHA-256 of them in key order."""
    digest, rows = hashlib.sha256(), 0
    for row in db.stream(_select(db, table)):
        digest.update(_line(row.values()))
        rows += 1
    return rows, digest.hexdigest()


def _copy_table(reading: Any, writing: Any, table: Table, bar: Any) -> tuple[int, str]:
    """Stream the table's rows from reading into writing; how many, and their SHA-256."""
    digest, count = hashlib.sha256(), 0
    rows = (tuple(row.values()) for row in reading.stream(_select(reading, table)))
    with _writer(writing, table) as write:
        while batch := list(islice(rows, BATCH)):
            write(batch)
            for row in batch:
                digest.update(_line(row))
            count += len(batch)
            bar.update(len(batch))
    return count, digest.hexdigest()


@contextlib.contextmanager
def _writer(db: Any, table: Table) -> Iterator[Callable[[list[tuple]], None]]:
    """A function that writes a batch of rows into the table: PostgreSQL's COPY (one for the
    whole table), or SQLite's executemany."""
    names = ", ".join(quoted(c) if c != "rowid" else c for c in _columns(db, table))
    if db.engine == "postgresql":
        sql = f"copy {quoted(table.name)} ({names}) from stdin"
        with db.conn.cursor() as cursor, cursor.copy(sql) as copying:

            def write(batch: list[tuple]) -> None:
                for row in batch:
                    copying.write_row(row)

            yield write
        return
    marks = ", ".join("?" for _ in _columns(db, table))
    sql = f"insert into {quoted(table.name)} ({names}) values ({marks})"
    yield lambda batch: db.executemany(sql, batch)


def _move_sequences_on(db: Any) -> None:
    """Each identity column's next value past the rows copied in (PostgreSQL): otherwise the
    next insert would take a copied id."""
    for table, column in db.execute(IDENTITY_COLUMNS).fetchall():
        db.execute(
            f"select setval(pg_get_serial_sequence(?, ?), coalesce(max({quoted(column)}), 0) + 1,"
            f" false) from {quoted(table)}",
            [quoted(table), column],
        )


def _migrations_check(reading: Any, writing: Any) -> Check:
    """The migrations recorded on each side, compared by name."""
    sides = []
    for db in (reading, writing):
        names = sorted(migrate.applied(db))
        sides += [len(names), hashlib.sha256("\n".join(names).encode()).hexdigest()]
    return Check("migrations", *sides)


@contextlib.contextmanager
def _snapshot(db: Any) -> Iterator[None]:
    """One read-only transaction for the whole copy: every table as of one moment (SQLite's
    WAL and PostgreSQL's REPEATABLE READ let the app's writers carry on meanwhile)."""
    if db.engine == "postgresql":
        from psycopg import IsolationLevel

        db.conn.isolation_level = IsolationLevel.REPEATABLE_READ
        db.conn.read_only = True
        with db.conn.transaction():
            yield
        return
    db.conn.execute("begin")
    try:
        yield
    finally:
        db.conn.rollback()
