"""Fixtures: an app with a fresh database per test, its clients, a school to work in, and the
helpers tests share, as fixtures (factories where a helper takes arguments). Tests reach all of
it through pytest, never by importing this file or another test module."""

from __future__ import annotations

import contextlib
import functools
import itertools
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
from urllib.parse import urlsplit, urlunsplit

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
# Set by tests/pg_cluster.py (make test-postgres): the whole suite then runs on PostgreSQL, each
# app on a database of its own, and the tests marked sqlite_only are left out.
POSTGRES = os.environ.get("CLASSROOM_TEST_POSTGRES")


class PostgresServer:
    """The test run's PostgreSQL server: a database per app, migrated once and emptied for the
    next test when its test ends (creating a database copies 8 MB of catalogs: 0.3 to 1.5 s on
    a busy 2-core machine, where emptying one takes tens of milliseconds)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.psycopg = psycopg
        self.url = url
        self.admin = psycopg.connect(url, autocommit=True)
        self.prefix = f"classroom_{os.getpid()}"
        self.numbers = itertools.count(1)
        self.migrated: str | None = None
        self.free: list[str] = []  # emptied, as migrated, for the next app
        self.by_file: dict[str, str] = {}  # an app's DATABASE (never made) -> its database
        # (app, the database made for it, or None if it shares another app's), in order made
        self.made: list[tuple[object, str | None]] = []

    def url_of(self, name: str) -> str:
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def connect(self, name: str):
        return self.psycopg.connect(self.url_of(name), autocommit=True)

    def create(self, template: str | None = None) -> str:
        """A new database, empty or a copy of template (whose connections are ended)."""
        name = f"{self.prefix}_{next(self.numbers)}"
        if template:
            self.end_connections(template)
            self.admin.execute(f"create database {name} template {template}")
        else:
            self.admin.execute(f"create database {name}")
        return name

    def end_connections(self, name: str) -> None:
        self.admin.execute(
            "select pg_terminate_backend(pid, 5000) from pg_stat_activity "
            "where datname = %s and pid <> pg_backend_pid()",
            [name],
        )

    def drop(self, name: str) -> None:
        self.admin.execute(f"drop database if exists {name} with (force)")

    def new_app_database(self) -> str:
        """A database with every migration applied, for a new app."""
        if self.migrated is None:
            name = self.create()
            config = {"TESTING": True, "SECRET_KEY": "-", "DATABASE_URL": self.url_of(name)}
            app = create_app(config)
            with app.app_context():
                init_db()
            app.extensions["classroom.db"].close()
            self.migrated = name
        return self.free.pop() if self.free else self.create(template=self.migrated)

    def copy(self, source: str, target: str) -> None:
        """Make target's rows those of source (both migrated alike), ids and sequences too."""
        self.end_connections(target)
        with self.connect(source) as reading, self.connect(target) as writing:
            tables = self.tables(writing)
            with writing.transaction():
                self.delete_rows(writing, tables)
                for table in tables:
                    with (
                        reading.cursor().copy(f"copy {table} to stdout (format binary)") as out,
                        writing.cursor().copy(f"copy {table} from stdin (format binary)") as into,
                    ):
                        for data in out:
                            into.write(data)
                self.move_sequences_on(writing)

    @staticmethod
    def tables(conn) -> list[str]:
        """The tables the app writes (the migrations' record is left as it is)."""
        rows = conn.execute(
            "select tablename from pg_tables where schemaname = current_schema() "
            "and tablename <> 'schema_migrations' order by 1"
        ).fetchall()
        return [r[0] for r in rows]

    @staticmethod
    def move_sequences_on(conn) -> None:
        """Each identity column's next value past the rows copied in."""
        columns = conn.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = current_schema() and is_identity = 'YES'"
        ).fetchall()
        for table, column in columns:
            conn.execute(
                f"select setval(pg_get_serial_sequence('{table}', '{column}'), "
                f'coalesce(max("{column}"), 0) + 1, false) from {table}'
            )

    @classmethod
    def delete_rows(cls, conn, tables: list[str]) -> None:
        """Every row of the tables, in the transaction open on conn, and the sequences back to
        1: DELETE, as TRUNCATE makes new files for every table and index (0.3-0.5 s here)."""
        conn.execute("set local session_replication_role = replica")  # no FK checks
        for table in tables:
            conn.execute(f"delete from {table}")
        cls.move_sequences_on(conn)

    def empty(self, name: str) -> None:
        """Back to as migrated: no rows, ids from 1 again."""
        self.end_connections(name)
        with self.connect(name) as conn, conn.transaction():
            self.delete_rows(conn, self.tables(conn))

    def forget(self, since: int) -> None:
        """Close the apps made since then, and empty the databases made for them for reuse."""
        for app, _ in self.made[since:]:
            app.extensions["classroom.db"].close()
        done = {name for _, name in self.made[since:] if name}
        for name in done:
            self.empty(name)
            self.free.append(name)
        self.by_file = {f: n for f, n in self.by_file.items() if n not in done}
        del self.made[since:]

    def sweep(self) -> None:
        """Drop every database this run made."""
        rows = self.admin.execute(
            "select datname from pg_database where datname like %s", [self.prefix + "%"]
        )
        for (name,) in rows.fetchall():
            self.drop(name)
        self.admin.close()


@pytest.fixture(scope="session")
def postgres():
    """The PostgreSQL server the suite runs on, or None (SQLite, as by default)."""
    if not POSTGRES:
        yield None
        return
    server = PostgresServer(POSTGRES)
    yield server
    server.sweep()


@pytest.fixture(autouse=True)
def _empty_the_tests_databases(request):
    """On PostgreSQL, the databases of the apps a test made are emptied for reuse when it ends
    (those of longer-lived fixtures, made before this runs, are kept for them). It asks for the
    server only when the test uses it, so that "postgres" names the tests that use a database."""
    if not POSTGRES or "postgres" not in request.fixturenames:
        yield
        return
    postgres = request.getfixturevalue("postgres")
    since = len(postgres.made)
    yield
    postgres.forget(since)


# What only PostgreSQL does is tested on PostgreSQL only.
collect_ignore = [] if POSTGRES else ["test_on_postgres.py"]


def on_postgresql_too(item) -> bool:
    """Whether a test belongs in the PostgreSQL run: it uses a database (through the postgres
    fixture: every app, server and copy does) and is not about what only SQLite has (its file,
    its backup API). The others, the domain's (loader, grading, scoring...), run the very same
    code on either engine, so the SQLite run has them."""
    return "postgres" in item.fixturenames and item.get_closest_marker("sqlite_only") is None


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, keep only the tests whose outcome can depend on the engine."""
    if not POSTGRES:
        return
    kept = [item for item in items if on_postgresql_too(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


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
def migrated_file(tmp_path_factory) -> Path:
    """A SQLite database file with every migration applied, made once for the session: a new
    app's file starts as a copy of it (copying takes under a millisecond, migrating a new file
    tens), and init_db then finds it up to date, as it would a file made by `flask init-db`."""
    path = tmp_path_factory.mktemp("migrated") / "migrated.sqlite"
    app = create_app({"TESTING": True, "SECRET_KEY": "-", "DATABASE": str(path)})
    with app.app_context():
        init_db()
    app.extensions["classroom.db"].close()  # everything in the file, nothing left in its -wal
    return path


@pytest.fixture(scope="session")
def make_app(postgres, migrated_file):
    """make_app(tmp_path, **config): an app on a database in tmp_path (on PostgreSQL, a
    database of its own), with the real exercises unless told otherwise, its database created
    as `flask init-db` would."""

    def make_app(tmp_path: Path, **config):
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "DATABASE": str(tmp_path / "test.sqlite"),
            "EXERCISES_DIR": str(EXERCISES),
            "LTI_KEY_FILE": str(tmp_path / "lti_private_key.pem"),  # not the project's instance/
            **config,
        }
        if postgres is not None:  # two apps on one file share a database, as on SQLite
            name = postgres.by_file.get(config["DATABASE"])
            new = name is None
            if new:
                name = postgres.new_app_database()
                postgres.by_file[config["DATABASE"]] = name
            config["DATABASE_URL"] = postgres.url_of(name)
        elif not Path(config["DATABASE"]).exists():
            shutil.copyfile(migrated_file, config["DATABASE"])
        app = create_app(config)
        if postgres is not None:
            postgres.made.append((app, name if new else None))
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
def copy_database(postgres):
    """copy_database(source, app): put a copy of the database file source under app, as an
    administrator restoring a backup would: with the app's connections closed and no -wal or
    -shm file left beside it. (On PostgreSQL: the database of the app whose file it is.)"""

    def copy_database(source, app) -> None:
        app.extensions["classroom.db"].close()
        if postgres is not None:  # the rows copied, so that every app on it has the copy
            postgres.copy(postgres.by_file[str(source)], postgres.by_file[app.config["DATABASE"]])
            return
        for leftover in ("-wal", "-shm"):
            Path(app.config["DATABASE"] + leftover).unlink(missing_ok=True)
        shutil.copyfile(source, app.config["DATABASE"])

    return copy_database


@pytest.fixture(scope="session")
def snapshot(postgres):
    """snapshot(app): a copy of the app's database as it is now, for copy_database to put back
    (a file beside it; on PostgreSQL, a database of its own)."""

    def snapshot(app) -> str:
        app.extensions["classroom.db"].close()
        copy = app.config["DATABASE"] + ".snapshot"
        if postgres is not None:
            source = postgres.by_file[app.config["DATABASE"]]
            postgres.by_file[copy] = postgres.create(template=source)
        else:
            shutil.copyfile(app.config["DATABASE"], copy)
        return copy

    return snapshot


@pytest.fixture(scope="session")
def integrity_check():
    """integrity_check(app): "ok" if the app's database is sound, else what is wrong (SQLite's
    integrity_check; on PostgreSQL, amcheck's check of every B-tree index)."""

    def integrity_check(app) -> str:
        with app.app_context():
            db = get_db()
            if db.engine == "sqlite":
                return db.execute("PRAGMA integrity_check").fetchone()[0]
            db.execute("create extension if not exists amcheck")
            db.execute(
                "select bt_index_check(c.oid) from pg_index i join pg_class c "
                "on c.oid = i.indexrelid join pg_am a on a.oid = c.relam where a.amname = 'btree'"
            ).fetchall()
            return "ok"  # bt_index_check raises on the first index that is not

    return integrity_check


@pytest.fixture(scope="session")
def elsewhere(postgres):
    """elsewhere(app): a context manager giving a connection of its own to the app's database,
    as another process would have (each statement commits by itself)."""
    from classroom.store.connection import connect

    @contextlib.contextmanager
    def elsewhere(app) -> Iterator:
        if postgres is None:
            db = connect(app.config["DATABASE"])
        else:
            import psycopg

            from classroom.store.postgres import Database

            db = Database(psycopg.connect(app.config["DATABASE_URL"], autocommit=True), {})
        try:
            yield db
        finally:
            db.conn.close()

    return elsewhere


@pytest.fixture(scope="session")
def trace_statements():
    """trace_statements(patch): a list that records every SQL statement the app's requests run
    from then on (patch is a pytest MonkeyPatch, which undoes this when its test or context
    ends)."""
    import classroom.store.connection

    kinds = [classroom.store.connection.Connections]
    if POSTGRES:
        import classroom.store.postgres

        kinds.append(classroom.store.postgres.Connections)

    def trace_statements(patch) -> list[str]:
        statements: list[str] = []
        for kind in kinds:

            def traced(self, path, lend=kind.lend):
                db = lend(self, path)
                db.set_tracer(statements.append)
                return db

            patch.setattr(kind, "lend", traced)
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


def _required(found: object, reason: str) -> None:
    """Go on if what a test needs is found; else fail on CI (CI=true), where it must be
    installed, and skip elsewhere."""
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def required():
    """required(found, reason): go on if found is true; else fail on CI, skip elsewhere."""
    return _required


@pytest.fixture(scope="session")
def free_port():
    """free_port(): a loopback port nothing listens on just now."""
    return _free_port


def _wait_until_listening(port: int, process: subprocess.Popen, log: Path, name: str) -> None:
    """Until the process listens on the loopback port; fails, with its log, if it exits or
    takes over 20 s (a slow, shared machine)."""
    for _ in range(200):
        assert process.poll() is None, f"{name} exited:\n{log.read_text()}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{name} did not start:\n{log.read_text()}")


@pytest.fixture(scope="session")
def wait_until_listening():
    """wait_until_listening(port, process, log, name): until the process started listens on
    the loopback port; fails with its log if it exits first, or takes over 20 s."""
    return _wait_until_listening


# The secret key of every server gunicorn_server starts: shared, as several servers need
# (with CLASSROOM_DATABASE_URL the app refuses to start without one).
SERVERS_SECRET_KEY = "the key every test server shares, and no one else"


@pytest.fixture(scope="session")
def gunicorn_server(postgres):
    """gunicorn_server(instance, log, *flags, variables={}): a context manager running the app
    under gunicorn with the project's settings, the flags given and the CLASSROOM_* variables
    given (CLASSROOM_SECRET_KEY is set for all), on the instance folder, on a free loopback
    port, giving the port. Without gunicorn, fails on CI and skips elsewhere."""

    @contextlib.contextmanager
    def gunicorn_server(
        instance: Path, log: Path, *flags: str, variables: dict[str, str] | None = None
    ) -> Iterator[int]:
        _required(find_spec("gunicorn"), "gunicorn is not installed (pip install -e '.[test]')")
        port = _free_port()
        command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]
        command += ["--bind", f"127.0.0.1:{port}", *flags, "classroom.wsgi:app"]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CLASSROOM_", "GUNICORN"))}
        env["CLASSROOM_INSTANCE_PATH"] = str(instance)
        env["CLASSROOM_SECRET_KEY"] = SERVERS_SECRET_KEY
        if postgres is not None:  # the database of the app made on the instance folder's file
            env["CLASSROOM_DATABASE_URL"] = postgres.url_of(
                postgres.by_file[str(instance / "classroom.sqlite")]
            )
        env.update(variables or {})
        with log.open("ab") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
            )
        try:
            _wait_until_listening(port, process, log, "gunicorn")
            yield port
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    return gunicorn_server


@pytest.fixture
def platform(app):
    """An LTI 1.3 platform of our own (tests/lti_platform.py), registered with the app (issuer,
    client id, deployment) and answering the app's outgoing requests in process. A teacher and
    a student (Ada) are in its course."""
    from classroom.store import lti
    from tests.lti_platform import DEPLOYMENT, Platform

    found = Platform(app)
    with app.app_context():
        lti.add_platform(get_db(), found.registration(), [DEPLOYMENT], added_by=None)
    app.extensions["classroom.lti.transport"] = found.adapter()
    return found
