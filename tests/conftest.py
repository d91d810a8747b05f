"""Fixtures: an app with a fresh database per test, its clients, a school to work in, and the
helpers tests share, as fixtures (factories where a helper takes arguments). Tests reach all of
it through pytest, never by importing this file or another test module."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from importlib.util import find_spec
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from classroom import create_app
from classroom.db import get_db, init_db
from classroom.store import accounts, classes, sessions
from classroom.store.connection import now

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
STATIC = ROOT / "static"
PASSWORD = "correct horse battery"

# One profile for every run, on a laptop or on CI (Hypothesis would load its own "ci" profile
# when CI is set, and its default elsewhere). Tests that need more examples say so with their
# own @settings, which start from this profile.
settings.register_profile(
    "classroom",
    max_examples=100,
    # The same examples on every run: a failure is never luck, and running again reproduces
    # it, so no database of failing examples is kept either.
    derandomize=True,
    # A shared machine's pauses are not the code's slowness.
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("classroom")


@pytest.fixture(scope="session")
def password() -> str:
    """The password of every account the fixtures make."""
    return PASSWORD


@pytest.fixture(scope="session")
def exercises_dir() -> Path:
    """The project's exercises folder, which the apps read (copy it with `folder` to edit)."""
    return EXERCISES


@pytest.fixture(scope="session")
def make_app():
    """make_app(tmp_path, **config): an app on a database in tmp_path, with the real exercises
    unless told otherwise, its database created as `flask init-db` would."""

    def make_app(tmp_path: Path, **config):
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

    return make_app


@pytest.fixture
def app(make_app, tmp_path):
    """The app with CSRF off, so tests can post forms directly; security tests turn it on."""
    return make_app(tmp_path, WTF_CSRF_ENABLED=False)


@pytest.fixture
def csrf_app(make_app, tmp_path):
    """The app as it runs for real, CSRF checks on."""
    return make_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def password_hash():
    """password_hash(password): its hash, made once for the whole run. Every account the
    fixtures make with one password shares it: hashing is slow on purpose, and a class of fifty
    would otherwise spend seconds on it."""
    return functools.cache(generate_password_hash)


def add_user(db, username: str, display_name: str, hashed: str, role: str) -> int:
    """A user row as accounts.create_user writes it, with a hash made beforehand."""
    row = {"username": username.strip().lower(), "display_name": display_name, "role": role}
    return db["users"].insert(row | {"password_hash": hashed, "created_at": now()}).last_pk


@pytest.fixture(scope="session")
def enrol_students(password_hash):
    """enrol_students(app, class_id, students, password=...): new student accounts in a class,
    their ids in order. students is a number (usernames c<class id>-student01, -student02...,
    shown as "Student 01"...) or a list of usernames (shown title-cased, "ada" as "Ada")."""

    def enrol_students(
        app, class_id: int, students: int | Iterable[str], password: str = PASSWORD
    ) -> list[int]:
        if isinstance(students, int):
            people = [
                (f"c{class_id}-student{n:02d}", f"Student {n:02d}") for n in range(1, students + 1)
            ]
        else:
            people = [(username, username.title()) for username in students]
        hashed = password_hash(password)
        with app.app_context():
            db = get_db()
            ids = []
            with db.atomic():
                for username, display_name in people:
                    ids.append(add_user(db, username, display_name, hashed, "student"))
                    accounts.enrol(db, class_id, ids[-1])
        return ids

    return enrol_students


@pytest.fixture(scope="session")
def make_class(password_hash, enrol_students):
    """make_class(app, students, name=..., teacher=..., assign=..., password=...): a teacher's
    class, its students enrolled as enrol_students makes them, and exercises assigned in the
    order given. teacher is a (username, display name) to create with the same password, or the
    id of one who exists. Returns ids as `school` does: {"teacher": id, "class": the class row,
    "students": [ids], "assignments": {exercise id: assignment id}}."""

    def make_class(
        app,
        students: int | Iterable[str],
        *,
        name: str = "Period 1",
        teacher: tuple[str, str] | int = ("teacher", "Ms Teacher"),
        assign: Iterable[str] = (),
        password: str = PASSWORD,
    ) -> dict:
        with app.app_context():
            db = get_db()
            if isinstance(teacher, int):
                teacher_id = teacher
            else:
                teacher_id = add_user(db, *teacher, password_hash(password), "teacher")
            klass = classes.create_class(db, teacher_id, name)
        ids = {"teacher": teacher_id, "class": klass}
        ids["students"] = enrol_students(app, klass["id"], students, password)
        with app.app_context():
            db = get_db()
            ids["assignments"] = {e: classes.assign(db, klass["id"], e) for e in assign}
        return ids

    return make_class


@pytest.fixture(scope="session")
def school_template(make_app, make_class, tmp_path_factory):
    """A database with a school in it, built once for the session: a teacher with a class, two
    students, every exercise assigned, and a second teacher with a class of one student of
    their own."""
    folder = tmp_path_factory.mktemp("school")
    app = make_app(folder)
    exercises = sorted(p.stem for p in EXERCISES.glob("*.yaml"))
    period_1 = make_class(app, ["ada", "ben"], assign=exercises)
    elsewhere = make_class(
        app, ["cy"], name="Elsewhere", teacher=("other", "Mr Other"), assign=exercises[:1]
    )
    app.extensions["classroom.db"].close()  # everything in the file, nothing left in its -wal
    ids = {
        "teacher": period_1["teacher"],
        "class": period_1["class"],
        "students": period_1["students"],
        "assignments": period_1["assignments"],
        "other_teacher": elsewhere["teacher"],
        "other_class": elsewhere["class"],
        "outsider": elsewhere["students"][0],
        "other_assignment": elsewhere["assignments"][exercises[0]],
    }
    return app.config["DATABASE"], ids


@pytest.fixture
def school(app, school_template, copy_database):
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


@pytest.fixture(scope="session")
def copy_database():
    """copy_database(source, app): put a copy of the database file source under app, as an
    administrator restoring a backup would: with the app's connections closed and no -wal or
    -shm file left beside it."""

    def copy_database(source, app) -> None:
        app.extensions["classroom.db"].close()
        for leftover in ("-wal", "-shm"):
            Path(app.config["DATABASE"] + leftover).unlink(missing_ok=True)
        shutil.copyfile(source, app.config["DATABASE"])

    return copy_database


@pytest.fixture(scope="session")
def trace_statements():
    """trace_statements(patch): a list that records every SQL statement the app's requests run
    from then on (patch is a pytest MonkeyPatch, which undoes this when its test or context
    ends)."""
    import classroom.store.connection

    def trace_statements(patch) -> list[str]:
        statements: list[str] = []
        lend = classroom.store.connection.Connections.lend

        def traced(self, path):
            db = lend(self, path)
            db.set_tracer(statements.append)
            return db

        patch.setattr(classroom.store.connection.Connections, "lend", traced)
        return statements

    return trace_statements


@pytest.fixture(scope="session")
def highlight():
    """highlight(exercise, quote, category, note="", article=None): a highlight on the first
    occurrence of quote (in the first article unless told), as the exercise page's script
    sends it."""

    def highlight(exercise, quote, category, note="", article=None) -> dict:
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

    return highlight


class Auth:
    """Log a test client in and out through the login form."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture(scope="session")
def log_in():
    """log_in(client, user_id): be this user from the client's next request on (None: nobody),
    without the login form. Logging in itself is tested in test_auth and test_security; where
    this is used, only who the session says you are matters. (tests/browser has a log_in of its
    own, through the form in a real browser.)"""

    def log_in(client, user_id: int | None) -> None:
        token = None
        if user_id is not None:  # a session on the server too, as logging in makes
            app = client.application
            with app.app_context():
                token = sessions.start(get_db(), user_id, app.permanent_session_lifetime)
        with client.session_transaction() as session:
            session.clear()
            if user_id is not None:
                session.update(user_id=user_id, sid=token)
                session.permanent = True

    return log_in


@pytest.fixture(scope="session")
def client_of(log_in):
    """client_of(app, user_id): a new test client of app, logged in as the user (see log_in)."""

    def client_of(app, user_id: int | None):
        client = app.test_client()
        log_in(client, user_id)
        return client

    return client_of


@pytest.fixture(scope="session")
def csrf_token():
    """csrf_token(response): the CSRF token in a rendered page."""

    def csrf_token(response) -> str:
        match = re.search(r'name="csrf-token" content="([^"]+)"', response.get_data(as_text=True))
        assert match, "the page carries no CSRF token"
        return match.group(1)

    return csrf_token


@pytest.fixture
def exercise_page_files(client, auth, school) -> list[Path]:
    """The exercise page's own CSS and JS, as the comparison exercise (two articles, the most
    to draw) links them for a student, with the ES modules its scripts import; sorted. The
    page-weight budget (test_assets) and table (docs/accessibility.md) are of these files."""
    auth.login("ada")
    page = client.get(f"/assignments/{school['assignments']['la-detainers-compare']}")
    urls = re.findall(r'(?:href|src)="(/assets/[^"]+\.(?:css|js))"', page.get_data(as_text=True))
    files = {STATIC / u.split("/", 3)[3] for u in urls}
    todo = [f for f in files if f.suffix == ".js"]
    while todo:  # the modules those import, and the ones they import in turn
        script = todo.pop()
        for name in re.findall(r'from "\./([\w-]+\.js)"', script.read_text()):
            if script.parent / name not in files:
                files.add(script.parent / name)
                todo.append(script.parent / name)
    return sorted(files)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def threaded_server():
    """threaded_server(app): a context manager serving the app as `flask run` does (a thread
    per request) on a free loopback port, giving the port."""

    @contextlib.contextmanager
    def threaded_server(app) -> Iterator[int]:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.port
        finally:
            server.shutdown()
            server.server_close()
            thread.join()

    return threaded_server


@pytest.fixture(scope="session")
def gunicorn_server():
    """gunicorn_server(instance, log, *flags): a context manager running the app under gunicorn
    with the project's settings and the flags given, on the instance folder, on a free loopback
    port, giving the port. Without gunicorn, fails on CI and skips elsewhere."""

    @contextlib.contextmanager
    def gunicorn_server(instance: Path, log: Path, *flags: str) -> Iterator[int]:
        if find_spec("gunicorn") is None:
            reason = "gunicorn is not installed (pip install -e '.[test]')"
            if os.environ.get("CI") == "true":
                pytest.fail(reason, pytrace=False)
            pytest.skip(reason)
        port = _free_port()
        command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]
        command += ["--bind", f"127.0.0.1:{port}", *flags, "classroom.wsgi:app"]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CLASSROOM_", "GUNICORN"))}
        env["CLASSROOM_INSTANCE_PATH"] = str(instance)
        with log.open("ab") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
            )
        try:
            for _ in range(200):  # up to 20 s for a slow, shared machine
                assert process.poll() is None, f"gunicorn exited:\n{log.read_text()}"
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise AssertionError(f"gunicorn did not start:\n{log.read_text()}")
            yield port
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    return gunicorn_server
