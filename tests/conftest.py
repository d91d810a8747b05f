"""Fixtures: an app with a fresh database per test, its clients, and a demo class to work in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from classroom import create_app
from classroom.db import get_db, init_db
from classroom.store import accounts, classes

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
PASSWORD = "correct horse battery"


def make_app(tmp_path: Path, **config):
    """An app on a database in tmp_path, with the real exercises unless told otherwise."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "DATABASE": str(tmp_path / "test.sqlite"),
            "EXERCISES_DIR": str(EXERCISES),
            **config,
        }
    )
    with app.app_context():
        init_db()
    app.extensions["classroom.db"].close()  # as after `flask init-db`: the file is complete
    return app


@pytest.fixture
def app(tmp_path):
    """The app with CSRF off, so tests can post forms directly; security tests turn it on."""
    return make_app(tmp_path, WTF_CSRF_ENABLED=False)


@pytest.fixture
def csrf_app(tmp_path):
    """The app as it runs for real, CSRF checks on."""
    return make_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def school_template(tmp_path_factory):
    """A database with a school in it, built once (password hashing is slow on purpose):
    a teacher with a class, two students, every exercise assigned, and a second teacher with
    a class of one student of their own."""
    folder = tmp_path_factory.mktemp("school")
    app = make_app(folder)
    with app.app_context():
        db = get_db()
        teacher = accounts.create_user(db, "teacher", "Ms Teacher", PASSWORD, "teacher")
        klass = classes.create_class(db, teacher, "Period 1")
        students = [
            accounts.create_student(db, klass["id"], name.title(), name, PASSWORD)
            for name in ("ada", "ben")
        ]
        exercises = sorted(p.stem for p in EXERCISES.glob("*.yaml"))
        assignments = {e: classes.assign(db, klass["id"], e) for e in exercises}
        other_teacher = accounts.create_user(db, "other", "Mr Other", PASSWORD, "teacher")
        other_class = classes.create_class(db, other_teacher, "Elsewhere")
        outsider = accounts.create_student(db, other_class["id"], "Cy", "cy", PASSWORD)
        other_assignment = classes.assign(db, other_class["id"], exercises[0])
    app.extensions["classroom.db"].close()  # everything in the file, nothing left in its -wal
    ids = {
        "teacher": teacher,
        "class": klass,
        "students": students,
        "assignments": assignments,
        "other_teacher": other_teacher,
        "other_class": other_class,
        "outsider": outsider,
        "other_assignment": other_assignment,
    }
    return app.config["DATABASE"], ids


@pytest.fixture
def school(app, school_template):
    """The school of school_template, copied into this test's own database."""
    path, ids = school_template
    copy_database(path, app)
    return ids


@pytest.fixture
def folder(tmp_path):
    """A copy of the real exercises folder that a test may edit."""
    target = tmp_path / "exercises"
    shutil.copytree(EXERCISES, target)
    return target


def copy_database(source, app) -> None:
    """Put a copy of the database file source under app, as an administrator restoring a
    backup would: with the app's connections closed and no -wal or -shm file left beside it."""
    app.extensions["classroom.db"].close()
    for leftover in ("-wal", "-shm"):
        Path(app.config["DATABASE"] + leftover).unlink(missing_ok=True)
    shutil.copyfile(source, app.config["DATABASE"])


def trace_statements(patch) -> list[str]:
    """Record every SQL statement the app's requests run from now on (patch is a pytest
    MonkeyPatch, which undoes this when its test or context ends)."""
    import classroom.store.connection

    statements: list[str] = []
    lend = classroom.store.connection.Connections.lend

    def traced(self, path):
        db = lend(self, path)
        db.conn.set_trace_callback(statements.append)
        return db

    patch.setattr(classroom.store.connection.Connections, "lend", traced)
    return statements


def highlight(exercise, quote, category, note="", article=None) -> dict:
    """A highlight on the first occurrence of quote (in the first article unless told), as
    the exercise page's script sends it."""
    article = article or exercise.articles[0].id
    start = exercise.article(article).text.index(quote)
    return {
        "article": article,
        "start": start,
        "end": start + len(quote),
        "quote": quote,
        "category": category,
        "note": note,
    }


class Auth:
    """Log a test client in and out."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


def csrf_token(response) -> str:
    """The CSRF token in a rendered page."""
    match = re.search(r'name="csrf-token" content="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page carries no CSRF token"
    return match.group(1)
