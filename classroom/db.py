"""The database: one sqlite-utils connection per request, migrations, and the init-db command."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import click
import sqlite_utils
from flask import Flask, current_app, g
from flask.cli import with_appcontext

from .migrations import migrations


class Database(sqlite_utils.Database):
    """sqlite-utils' Database whose transactions take the write lock as they begin."""

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """A transaction (a savepoint inside one) that waits its turn to write.

        sqlite-utils begins a deferred transaction; one that reads (even the table's schema,
        as insert does) before it writes fails at once with "database is locked" when another
        connection wrote in between, and the busy timeout cannot help. BEGIN IMMEDIATE waits.
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


def connect(path: str) -> Database:
    """Open the database with WAL, foreign keys and a busy timeout."""
    db = Database(path, execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    db.execute("PRAGMA synchronous = NORMAL")
    if db.journal_mode != "wal":
        db.enable_wal()
    return db


def get_db() -> Database:
    """This request's database connection, opened on first use."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(exception: BaseException | None = None) -> None:
    """Close the request's connection, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db() -> list[str]:
    """Apply pending migrations; returns the names of those applied."""
    db = get_db()
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending


def now() -> str:
    """The current time as stored: ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def dumps(value: Any) -> str:
    """JSON as stored in text columns."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database or bring it up to date (safe to run again)."""
    applied = init_db()
    click.echo(f"Applied {len(applied)} migration(s)." if applied else "Database is up to date.")


def init_app(app: Flask) -> None:
    """Register the teardown and the init-db command with the app."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
