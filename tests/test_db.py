"""The connections requests are lent: kept open between requests, never carrying anything over."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from classroom.db import get_db

# SQLite's connection per thread, kept between requests (PostgreSQL lends from a pool): left
# out on PostgreSQL.
pytestmark = pytest.mark.sqlite_only


def lent(app):
    """The connection one request is lent."""
    with app.test_request_context():
        return get_db()


def test_requests_in_a_thread_share_one_open_connection(app):
    first, second = lent(app), lent(app)
    assert first is second
    assert first.execute("select 1").fetchone() == (1,)  # still open between requests


def test_each_thread_has_its_own_connection(app):
    other = []
    thread = threading.Thread(target=lambda: other.append(lent(app)))
    thread.start()
    thread.join()
    assert other[0] is not lent(app)


def test_a_transaction_a_request_left_open_is_rolled_back(app):
    with app.test_request_context():
        db = get_db()
        db.execute("begin immediate")
        db.execute(
            "insert into users (username, display_name, password_hash, role, created_at)"
            " values ('half', 'Half', '-', 'student', '2026-01-01')"
        )
    with contextlib.closing(sqlite3.connect(app.config["DATABASE"], timeout=0.1)) as elsewhere:
        elsewhere.execute("update users set display_name = display_name")  # not locked
        assert elsewhere.execute(
            "select count(*) from users where username = 'half'"
        ).fetchone() == (0,)
    assert not lent(app).conn.in_transaction


def test_a_failed_write_leaves_the_next_request_a_clean_connection(app):
    with app.test_request_context(), pytest.raises(sqlite3.IntegrityError):  # noqa: SIM117
        with get_db().atomic() as db:  # the transaction begins inside the request
            db.execute("insert into users (username) values (null)")
    db = lent(app)
    assert not db.conn.in_transaction
    assert db.execute("select count(*) from users").fetchone() == (0,)


def test_closing_opens_a_fresh_connection_for_the_next_request(app):
    before = lent(app)
    app.extensions["classroom.db"].close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        before.execute("select 1")
    after = lent(app)
    assert after is not before and after.execute("select 1").fetchone() == (1,)


def open_files_of(path: str) -> int:
    """How many file descriptors of this process are the database file (Linux)."""
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd) == os.path.realpath(path))


def test_a_server_with_a_thread_per_request_does_not_pile_up_connections(app):
    """`flask run` serves each request on a new thread: the connections of threads that have
    ended are closed, so the open files stay few however many requests come."""

    def one_request():
        with app.test_request_context():
            get_db().execute("select count(*) from users").fetchone()

    for _ in range(200):
        thread = threading.Thread(target=one_request)
        thread.start()
        thread.join()
    assert open_files_of(app.config["DATABASE"]) <= 2


def traced(db) -> list[str]:
    """The statements the connection runs from now on."""
    statements: list[str] = []
    db.set_tracer(statements.append)
    return statements


@pytest.mark.parametrize(
    "sql",
    [
        "select count(*) as n from users",
        "with found as (select id from users) select count(*) as n from found",
    ],
)
def test_a_read_runs_as_one_statement(app, sql):
    # sqlite-utils wraps every query() in SAVEPOINT ... RELEASE; a read needs neither
    with app.test_request_context():
        db = get_db()
        statements = traced(db)
        assert list(db.query(sql)) == [{"n": 0}]
    assert statements == [sql]
    assert not db.conn.in_transaction


def test_rows_of_a_read_keep_repeated_column_names_apart(app):
    with app.test_request_context():
        assert list(get_db().query("select 1 as id, 2 as id")) == [{"id": 1, "id_2": 2}]


def test_a_write_given_to_query_is_still_refused_and_undone(app):
    with app.test_request_context():
        db = get_db()
        with pytest.raises(ValueError, match="returns rows"):
            db.query(
                "with named as (select 'late' as username) insert into users (username,"
                " display_name, password_hash, role, created_at) select username, 'Late', '-',"
                " 'student', '2026-01-01' from named"
            )
        assert db.execute("select count(*) from users").fetchone() == (0,)
