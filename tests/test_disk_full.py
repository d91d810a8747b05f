"""When the disk cannot take a write: 503 with the truth, never a 500, and /readyz says so.

A full disk is SQLite's page limit (PRAGMA max_page_count) set on the connection the app's
requests use: the test client runs them in the test's thread, and each thread has one
connection. As on a real full disk, a write that needs more room fails ("database or disk is
full"); one that fits in pages already there may still succeed, so the work sent here is large
(a long answer, a submission with its exercise). A read-only database is PRAGMA query_only on
that connection ("attempt to write a readonly database").
"""

from __future__ import annotations

import sqlite3

import pytest

from classroom.store.connection import now

# SQLite's page limit and a read-only file: left out on PostgreSQL.
pytestmark = pytest.mark.sqlite_only

REPORT_1 = "la-detainers-report-1"
LONG_ANSWER = "A careful reader asks who is quoted, and why. " * 100  # 4,700 characters
NOT_SUBMITTED = "Your answers were not submitted"
CANNOT_LOG_IN = "Logging in is not possible just now"


@pytest.fixture
def db(app, school):
    """The connection this thread's requests use (lent once the school is in place)."""
    return app.extensions["classroom.db"].lend(app.config["DATABASE"])


def fill(db) -> None:
    """The disk is full: the database may not grow by a single page."""
    db.execute("VACUUM")  # no free pages left inside the file either
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


def make_read_only(db) -> None:
    db.execute("PRAGMA query_only = ON")


CANNOT_WRITE = {"full": fill, "read-only": make_read_only}
REASONS = {"full": "the disk is full", "read-only": "attempt to write a readonly database"}


@pytest.fixture
def ada(app, school, client_of):
    """Ada's client and her assignment of report 1."""
    return client_of(app, school["students"][0]), school["assignments"][REPORT_1]


def save(client, assignment, answer):
    work = {"highlights": [], "answers": {"reflect": answer}}
    return client.put(f"/api/assignments/{assignment}/draft", json=work)


def attempts(db) -> int:
    return db.execute("select count(*) from attempts").fetchone()[0]


@pytest.mark.parametrize("trouble", CANNOT_WRITE)
def test_an_autosave_the_disk_cannot_take_is_503_and_the_old_draft_is_kept(
    ada, db, trouble, caplog
):
    client, assignment = ada
    assert save(client, assignment, "my first thoughts").status_code == 200
    CANNOT_WRITE[trouble](db)
    response = save(client, assignment, LONG_ANSWER)
    assert response.status_code == 503
    assert response.json == {"error": "The server could not store it", "status": 503}
    assert int(response.headers["Retry-After"]) > 0
    assert "could not be written" in caplog.text  # the administrator hears of it
    draft = client.get(f"/api/assignments/{assignment}/draft").json["work"]
    assert draft["answers"]["reflect"] == "my first thoughts"


@pytest.mark.parametrize("trouble", CANNOT_WRITE)
def test_a_submission_the_disk_cannot_take_says_it_was_not_submitted(ada, db, trouble):
    client, assignment = ada
    CANNOT_WRITE[trouble](db)
    form = {"highlights": "[]", "answer-reflect": "my answer", "submission": "token-a"}
    response = client.post(f"/assignments/{assignment}/submit", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert 'class="site-header"' in page  # a page in the site's layout
    assert NOT_SUBMITTED in page and "keeps your work in this browser" in page
    assert "saved work is safe" not in page  # what the 500 page says, untrue here
    assert attempts(db) == 0


@pytest.mark.parametrize("password_is_right", [False, True])
def test_logging_in_when_the_database_is_read_only_is_503_not_500(
    app, db, password, password_is_right
):
    make_read_only(db)
    client = app.test_client()
    sent = password if password_is_right else "not the password"
    response = client.post("/login", data={"username": "ada", "password": sent})
    assert response.status_code == 503
    assert CANNOT_LOG_IN in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302  # not logged in: sent to the login page


def test_a_right_password_is_refused_like_a_wrong_one_when_failures_cannot_be_counted(
    app, db, password
):
    """A full disk where a failed login cannot be recorded: if the right password still got
    in, the 503 would tell a wrong guess from a right one, and no guess would be counted."""
    fill(db)
    for n in range(10_000):  # other people's failures, until the table takes no more
        try:
            db["login_failures"].insert(
                {
                    "username": f"someone-{n:05d}",
                    "address": f"10.0.{n // 256}.{n % 256}",
                    "at": now(),
                }
            )
        except sqlite3.OperationalError:
            break
    for _ in range(10_000):  # and rows as short as a login's, until not one more fits
        try:
            db["login_failures"].insert({"username": "", "address": "", "at": now()})
        except sqlite3.OperationalError:
            break
    client = app.test_client()
    for sent in ("not the password", password):
        response = client.post("/login", data={"username": "ada", "password": sent})
        assert response.status_code == 503, sent
        assert CANNOT_LOG_IN in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302


def test_a_form_the_database_cannot_take_says_nothing_of_it_was_saved(app, db, school, client_of):
    teacher = client_of(app, school["teacher"])
    make_read_only(db)
    response = teacher.post("/teacher/classes", data={"name": "Period 9"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Not saved: the server could not store what you just sent" in page
    assert "Work saved before is safe" in page


def test_a_write_that_waits_past_the_busy_timeout_is_503(app, ada, db):
    """Another writer holds the lock for longer than the busy timeout ("database is locked")."""
    client, assignment = ada
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    db.execute("PRAGMA busy_timeout = 0")  # rather than wait five seconds
    try:
        response = save(client, assignment, "my thoughts")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.status_code == 503
    assert response.json["error"] == "The server could not store it"


def test_another_database_error_is_still_a_crash(app, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/broken")
    def broken():
        raise sqlite3.OperationalError("no such table: nowhere")

    monkeypatch.setattr(app.logger, "disabled", True)  # the 'classroom' logger: shared
    assert app.test_client().get("/broken").status_code == 500


@pytest.mark.parametrize("trouble", CANNOT_WRITE)
def test_readyz_says_why_the_database_cannot_be_written_and_healthz_stays_ok(app, db, trouble):
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.data == b"ready\n"
    CANNOT_WRITE[trouble](db)
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.mimetype == "text/plain"
    assert ready.get_data(as_text=True) == (
        f"database cannot be written: {REASONS[trouble]}"
        + (" (0 KB left)\n" if trouble == "full" else "\n")
    )
    assert client.get("/healthz").data == b"ok\n"  # the process is alive: no restart


def test_readyz_is_ready_again_once_the_database_can_be_written(app, db):
    client = app.test_client()
    make_read_only(db)
    assert client.get("/readyz").status_code == 503
    db.execute("PRAGMA query_only = OFF")
    assert client.get("/readyz").data == b"ready\n"


def test_readyz_says_when_migrations_are_not_applied(app, db):
    db.execute("delete from _sqlite_migrations where name = 'm005_submission_keys'")
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503
    assert "not up to date" in ready.get_data(as_text=True)
    assert "m005_submission_keys" in ready.get_data(as_text=True)


def test_readyz_carries_the_security_headers_and_is_never_cached(app, school):
    response = app.test_client().get("/readyz")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
