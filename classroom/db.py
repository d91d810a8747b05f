"""The Flask side of the database: a connection lent to each request, and the init-db command.

Everything that speaks SQL is in classroom.store; this module only ties it to the app.
"""

from __future__ import annotations

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext

from .store import engine, migrate
from .store.attempts import Snapshots
from .store.connection import Database


def get_db() -> Database:
    """This request's database connection."""
    if "db" not in g:
        g.db = current_app.extensions["classroom.db"].lend(engine.target(current_app.config))
    return g.db


def snapshots() -> Snapshots:
    """The exercise versions' snapshots this process has read, kept (store.attempts)."""
    return current_app.extensions["classroom.snapshots"]


def close_db(exception: BaseException | None = None) -> None:
    """Give the request's connection back, with anything it left unfinished rolled back."""
    if g.pop("db", None) is not None:
        current_app.extensions["classroom.db"].give_back()


def init_db() -> list[str]:
    """Apply pending migrations; returns the names of those applied."""
    return migrate.apply(get_db())


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database or bring it up to date (safe to run again)."""
    applied = init_db()
    click.echo(f"Applied {len(applied)} migration(s)." if applied else "Database is up to date.")


def init_app(app: Flask) -> None:
    """Register the connections, the snapshots kept, the teardown and the init-db command."""
    app.extensions["classroom.db"] = engine.connections(app.config)
    app.extensions["classroom.snapshots"] = Snapshots()
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
