"""Nothing confirmed is lost when the server dies: gunicorn is killed mid-stream and restarted.

Students log in over real HTTP, autosave and submit while two gunicorn workers serve them; the
master and its workers get SIGKILL at once (a power cut, as far as the app can tell). After a
restart, every write the server confirmed (a 2xx for a draft, a redirect to the feedback for a
submission) is in the database, and the database passes its integrity check.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
REPORT_1 = "la-detainers-report-1"
STUDENTS = 8
PASSWORD = "crash test password"
KILL_AFTER = 40  # confirmed writes, all students together, before the server is killed
MAX_REQUESTS = 200  # per student: bounded whatever happens
TIMEOUT = 20.0  # seconds: for one request, for the server to start, for processes to die


def gunicorn_or_skip() -> None:
    """gunicorn is in the test extra; without it, fail on CI and skip elsewhere."""
    if find_spec("gunicorn") is None:
        reason = "gunicorn is not installed (pip install -e '.[test]')"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(make_app, make_class, instance: Path) -> tuple[int, list[str], Flask]:
    """A teacher, a class of STUDENTS students with report 1 assigned: (assignment, usernames,
    the app that made them, whose database the server is to use)."""
    database = instance / "classroom.sqlite"  # where the server will look for it
    app = make_app(instance, DATABASE=str(database))
    names = [f"student{n}" for n in range(STUDENTS)]
    klass = make_class(app, names, assign=[REPORT_1], password=PASSWORD)
    app.extensions["classroom.db"].close()  # everything in the file before the server opens it
    return klass["assignments"][REPORT_1], names, app


class Gunicorn:
    """The app under gunicorn with the project's settings, 2 workers on a free loopback port,
    in a process group of its own so that master and workers can be killed together."""

    def __init__(self, instance: Path, log: Path, database_url: str | None = None):
        self.instance, self.log, self.database_url = instance, log, database_url
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        command = [sys.executable, "-m", "gunicorn"]
        if (ROOT / "gunicorn.conf.py").exists():
            command += ["--config", str(ROOT / "gunicorn.conf.py")]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "2", "classroom.wsgi:app"]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CLASSROOM_", "GUNICORN"))}
        env["CLASSROOM_INSTANCE_PATH"] = str(self.instance)
        if self.database_url:  # PostgreSQL (make test-postgres): the seeded database, and the
            env["CLASSROOM_DATABASE_URL"] = self.database_url  # key the app then asks for
            env["CLASSROOM_SECRET_KEY"] = "the crash test's servers share this key"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log.read_text()}"
            try:
                if request(self.port, "GET", "/readyz").status == 200:  # the database too
                    return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start:\n{self.log.read_text()}")

    def workers(self) -> list[int]:
        """The master's children, from /proc."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: no shutdown, no cleanup."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=TIMEOUT)


def request(port: int, method: str, path: str, body=None, headers=None):
    """One request on a fresh connection; the response, read to its end."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.data = response.read()
        return response
    finally:
        connection.close()


class Student(threading.Thread):
    """A browser, more or less: logs in with the form and its CSRF token, then autosaves and
    submits in turns, keeping every write the server confirmed; stops when the server dies."""

    def __init__(self, port: int, username: str, assignment_id: int, go: threading.Event):
        super().__init__(name=username, daemon=True)
        self.port, self.username, self.aid, self.go = port, username, assignment_id, go
        self.cookies: dict[str, str] = {}
        self.drafts: list[int] = []  # numbers of the confirmed drafts
        self.attempts: dict[int, str] = {}  # confirmed attempt id -> the answer sent
        self.sent = 0  # the number of the last write sent
        self.ready = threading.Event()  # logged in
        self.error: BaseException | None = None

    def call(self, method: str, path: str, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = request(self.port, method, path, body, headers)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response

    def token(self, path: str) -> str:
        page = self.call("GET", path).data.decode()
        return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)

    def log_in(self) -> str:
        form = {"username": self.username, "password": PASSWORD, "csrf_token": self.token("/login")}
        response = self.call(
            "POST",
            "/login",
            urlencode(form),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status == 302 and response.getheader("Location") == "/", response.status
        return self.token(f"/assignments/{self.aid}")

    def run(self) -> None:
        try:
            token = self.log_in()
            self.ready.set()
            self.go.wait(TIMEOUT)  # everyone logged in: write together
            for n in range(1, MAX_REQUESTS + 1):
                self.sent = n
                if n % 4:
                    self.save(token, n)
                else:
                    self.submit(token, n)
        except (OSError, http.client.HTTPException):
            return  # the server is gone: what was confirmed is recorded
        except BaseException as err:  # noqa: BLE001 - the test reports it
            self.error = err

    def save(self, token: str, n: int) -> None:
        body = json.dumps({"highlights": [], "answers": {"reflect": f"{self.username} {n}"}})
        response = self.call(
            "PUT",
            f"/api/assignments/{self.aid}/draft",
            body,
            {"Content-Type": "application/json", "X-CSRFToken": token},
        )
        assert response.status == 200, (response.status, response.data[:200])
        self.drafts.append(n)

    def submit(self, token: str, n: int) -> None:
        answer = f"{self.username} {n}"
        form = {"highlights": "[]", "answer-reflect": answer, "csrf_token": token}
        response = self.call(
            "POST",
            f"/assignments/{self.aid}/submit",
            urlencode(form),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        location = response.getheader("Location") or ""
        assert response.status == 302 and location.startswith("/attempts/"), response.status
        self.attempts[int(location.rsplit("/", 1)[1])] = answer

    def confirmed(self) -> int:
        return len(self.drafts) + len(self.attempts)


def gone(pid: int) -> bool:
    """Whether the process has exited (a zombie waiting for its reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


def test_writes_confirmed_before_a_kill_survive_it(
    tmp_path, make_app, make_class, elsewhere, integrity_check
):
    gunicorn_or_skip()
    instance = tmp_path / "instance"
    instance.mkdir()
    assignment, names, app = seed(make_app, make_class, instance)
    url = app.config.get("DATABASE_URL")
    server = Gunicorn(instance, tmp_path / "gunicorn.log", url)
    restarted = None
    try:
        server.start()
        go = threading.Event()
        students = [Student(server.port, name, assignment, go) for name in names]
        for student in students:
            student.start()
        for student in students:
            assert student.ready.wait(TIMEOUT), (student.username, student.error)
        go.set()
        deadline = time.monotonic() + TIMEOUT
        while sum(s.confirmed() for s in students) < KILL_AFTER:
            assert time.monotonic() < deadline, "the students could not write"
            assert all(s.error is None for s in students), [s.error for s in students]
            time.sleep(0.005)
        workers = server.workers()
        assert len(workers) == 2
        server.kill()
        for student in students:
            student.join(timeout=TIMEOUT)
        assert not any(s.is_alive() for s in students)
        assert all(s.error is None for s in students), [s.error for s in students]
        deadline = time.monotonic() + TIMEOUT
        while not all(gone(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived SIGKILL"
            time.sleep(0.05)

        restarted = Gunicorn(instance, tmp_path / "gunicorn.log", url).start()
        assert integrity_check(app) == "ok"
        with elsewhere(app) as db:
            for student in students:
                (user_id,) = db.execute(
                    "select id from users where username = ?", [student.username]
                ).fetchone()
                stored = {
                    attempt: json.loads(answer)
                    for attempt, answer in db.execute(
                        "select t.id, a.answer from attempts t "
                        "join attempt_answers a on a.attempt_id = t.id and a.task_id = 'reflect' "
                        "where t.student_id = ?",
                        [user_id],
                    ).fetchall()
                }
                assert student.attempts.items() <= stored.items(), student.username
                confirmed = student.drafts + [int(a.split()[1]) for a in student.attempts.values()]
                if not confirmed:
                    continue
                (work,) = db.execute(
                    "select work from drafts where student_id = ?", [user_id]
                ).fetchone()
                number = int(json.loads(work)["answers"]["reflect"].split()[1])
                # the last confirmed write, or the one in flight when the server died
                assert max(confirmed) <= number <= student.sent, student.username
        # and the restarted server serves the saved work
        first = next(s for s in students if s.drafts or s.attempts)
        again = Student(restarted.port, first.username, assignment, threading.Event())
        again.log_in()
        draft = json.loads(again.call("GET", f"/api/assignments/{assignment}/draft").data)
        assert draft["work"]["answers"]["reflect"].startswith(first.username)
        assert sum(s.confirmed() for s in students) >= KILL_AFTER
    finally:
        for process in (server, restarted):
            if process is not None:
                process.kill()
        shutil.rmtree(instance, ignore_errors=True)
