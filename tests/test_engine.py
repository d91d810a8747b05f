"""The engine seam: what the store offers on either engine, and errors in engine-neutral terms."""

from __future__ import annotations

import sqlite3

import pytest

from classroom.db import get_db
from classroom.store import accounts, engine


def test_the_app_speaks_the_engine_its_config_names(app):
    url = app.config.get("DATABASE_URL")  # set when the suite runs on PostgreSQL
    with app.app_context():
        assert get_db().engine == ("postgresql" if url else "sqlite")
    assert engine.target(app.config) == (url or app.config["DATABASE"])


def test_a_database_url_is_what_the_connections_open():
    config = {"DATABASE": "/tmp/x.sqlite", "DATABASE_URL": "postgresql://somewhere/school"}
    assert engine.target(config) == "postgresql://somewhere/school"


def test_a_taken_username_is_told_from_other_constraints(app):
    with app.app_context():
        db = get_db()
        accounts.create_user(db, "ada", "Ada", "pw-long-enough", "student")
        with pytest.raises(accounts.UsernameTaken):
            accounts.create_user(db, "Ada", "Another Ada", "pw-long-enough", "student")
        with pytest.raises(engine.database_errors()) as caught:
            db.execute("insert into users (username) values ('nobody')")  # no display name
        assert not engine.is_unique_violation(caught.value, "users", "username")


@pytest.mark.parametrize(
    "code, refused",
    [
        (sqlite3.SQLITE_FULL, True),
        (sqlite3.SQLITE_READONLY, True),
        (sqlite3.SQLITE_BUSY, True),
        (sqlite3.SQLITE_IOERR_WRITE, True),  # an extended code of SQLITE_IOERR
        (sqlite3.SQLITE_ERROR, False),  # a mistake in the statement: a crash, not a 503
    ],
)
def test_errors_that_mean_the_database_cannot_take_a_write(code, refused):
    error = sqlite3.OperationalError("as the engine says")
    error.sqlite_errorcode = code
    assert engine.cannot_write(error) is refused
    assert engine.cannot_write(ValueError("not the database's")) is False


def test_what_the_store_calls_beyond_sqlite_utils(app):
    with app.app_context():
        db = get_db()
        seen: list[str] = []
        db.set_tracer(seen.append)
        assert not db.in_transaction
        with db.atomic(lock="anything"):
            assert db.in_transaction
            db.executemany(
                "insert into login_failures (username, address, at) values (?, ?, ?)",
                [("ada", "10.0.0.1", "2026-01-01"), ("ben", "10.0.0.2", "2026-01-02")],
            )
        assert not db.in_transaction
        rows = db.stream("select username from login_failures order by at", [])
        assert [r["username"] for r in rows] == ["ada", "ben"]
        db.set_tracer(None)
        db.execute("select 1")
    assert any("insert into login_failures" in s for s in seen)
    assert not any(s == "select 1" for s in seen)
