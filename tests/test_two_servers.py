"""Two app servers on one database, as behind a load balancer: whatever a student starts on
one carries on on the other.

Two gunicorns (one worker each, on two ports) share the database (PostgreSQL under
`make test-postgres`; the same SQLite file otherwise, as two servers on one machine may) and
CLASSROOM_SECRET_KEY. Each case works as a student no other case touches, so the cases share
the two servers, started once for the module (a start loads the app: one to two seconds).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from classroom.store import throttle

ROOT = Path(__file__).resolve().parent.parent
REPORT_1 = "la-detainers-report-1"
KEY = "shared by both servers, and by no one else"
TIMEOUT = 20  # seconds, for one request


class Keep(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to look at, not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser: one cookie jar for every server (cookies do not care about the port)."""

    def __init__(self, scheme: str = "http", context=None) -> None:
        self.scheme = scheme
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # straight to loopback, whatever the environment
            urllib.request.HTTPCookieProcessor(self.jar),
            urllib.request.HTTPSHandler(context=context),
            Keep,
        )

    def send(self, port: int, path: str, data=None, headers=None, method=None):
        """The response (its body read into .text), whatever its status."""
        url = f"{self.scheme}://127.0.0.1:{port}{path}"
        request = urllib.request.Request(url, data, headers or {}, method=method)
        try:
            response = self.opener.open(request, timeout=TIMEOUT)
        except urllib.error.HTTPError as error:  # 3xx, 4xx, 5xx: answers too
            response = error
        with response:
            response.text = response.read().decode()
        return response

    def get(self, port: int, path: str, cookie: str | None = None):
        return self.send(port, path, headers={"Cookie": cookie} if cookie else None)

    def post(self, port: int, path: str, form: dict):
        body = urlencode(form).encode()
        return self.send(port, path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def put_json(self, port: int, path: str, data: dict, token: str):
        headers = {"Content-Type": "application/json", "X-CSRFToken": token}
        return self.send(port, path, json.dumps(data).encode(), headers, method="PUT")

    def token(self, port: int, path: str) -> str:
        """The CSRF token of the page at path."""
        page = self.get(port, path).text
        return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)

    def log_in(self, port: int, username: str, password: str):
        form = {"username": username, "password": password}
        return self.post(port, "/login", form | {"csrf_token": self.token(port, "/login")})

    def cookie(self, name: str = "session") -> str:
        """name=value of the cookie, as a Cookie header carries it."""
        [value] = [c.value for c in self.jar if c.name == name]
        return f"{name}={value}"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, make_app, make_class):
    """A teacher's class of ada, ben, cy and dee with report 1 assigned, in the database the
    servers are to use: (the instance folder, the app that made it, the class's ids)."""
    instance = tmp_path_factory.mktemp("two-servers") / "instance"
    instance.mkdir()
    app = make_app(instance, DATABASE=str(instance / "classroom.sqlite"))
    ids = make_class(app, ["ada", "ben", "cy", "dee"], assign=[REPORT_1])
    app.extensions["classroom.db"].close()  # all in the file before the servers open it
    return instance, app, ids


@pytest.fixture(scope="module")
def server(seeded, gunicorn_server):
    """server(name): a context manager running one gunicorn worker on the seeded database
    with the shared key (behind one proxy, CLASSROOM_PROXY_COUNT=1), giving its port; it logs
    to <name>.log and its requests to <name>-access.log in the instance folder's parent."""
    instance = seeded[0]

    def server(name: str):
        env = {
            "CLASSROOM_SECRET_KEY": KEY,
            "CLASSROOM_PROXY_COUNT": "1",
            "CLASSROOM_ACCESS_LOG": str(instance.parent / f"{name}-access.log"),
        }
        log = instance.parent / f"{name}.log"
        return gunicorn_server(instance, log, "--workers", "1", variables=env)

    return server


@pytest.fixture(scope="module")
def two(server):
    """The ports of servers a and b, running for the module."""
    with server("a") as a, server("b") as b:
        yield a, b


def test_work_autosaved_through_one_server_is_submitted_through_the_other(
    two, seeded, password, elsewhere
):
    a, b = two
    _, app, ids = seeded
    assignment = ids["assignments"][REPORT_1]
    ada = Visitor()
    assert ada.log_in(a, "ada", password).status == 302
    page = ada.get(a, f"/assignments/{assignment}").text
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    submission = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    work = {"highlights": [], "answers": {"reflect": "who counted it?"}, "revision": 0}
    saved = ada.put_json(a, f"/api/assignments/{assignment}/draft", work, token)
    assert saved.status == 200 and json.loads(saved.text)["revision"] == 1

    form = {"highlights": "[]", "answer-reflect": "who counted it, and when?"}
    form |= {"csrf_token": token, "submission": submission}
    submitted = ada.post(b, f"/assignments/{assignment}/submit", form)
    assert submitted.status == 302, submitted.text
    attempt = submitted.headers["Location"]
    assert re.fullmatch(r"/attempts/\d+", attempt)
    feedback = ada.get(a, attempt)
    assert feedback.status == 200
    assert "who counted it, and when?" in feedback.text

    with elsewhere(app) as db:
        ada_id = ids["students"][0]
        attempts = db.execute("select id from attempts where student_id = ?", [ada_id]).fetchall()
        assert [f"/attempts/{row[0]}" for row in attempts] == [attempt]
        revision, draft = db.execute(
            "select revision, work from drafts where student_id = ?", [ada_id]
        ).fetchone()
    assert revision == 2  # the autosave, then the submission
    assert json.loads(draft)["answers"]["reflect"] == "who counted it, and when?"


def test_a_login_throttled_through_one_server_is_throttled_through_the_other(two, password):
    a, b = two
    guesser = Visitor()
    for _ in range(throttle.MAX_PER_ACCOUNT):
        wrong = guesser.log_in(a, "ben", "a wrong guess")
        assert wrong.status == 200 and "do not match an account" in wrong.text
    assert guesser.log_in(b, "ben", "a wrong guess").status == 429
    held = guesser.log_in(b, "ben", password)
    assert held.status == 429
    assert "Too many failed logins" in held.text


def test_a_logout_through_one_server_ends_the_session_on_the_other(two, password):
    a, b = two
    cy = Visitor()
    assert cy.log_in(a, "cy", password).status == 302
    assert cy.get(b, "/home").status == 200
    cookie = cy.cookie()  # a copy of the session cookie, as a thief would keep
    assert cy.post(a, "/logout", {"csrf_token": cy.token(a, "/home")}).status == 302
    for visitor in (cy, Visitor()):
        again = visitor.get(b, "/home", cookie=cookie)
        assert again.status == 302 and again.headers["Location"].startswith("/login")


def test_a_cookie_signed_with_another_secret_key_is_refused(two, seeded, make_app, client_of):
    """Why every server needs the same key: the session is in the shared database either way,
    but a server accepts only the cookies signed with its own key."""
    a, _ = two
    instance, app, ids = seeded
    dee = ids["students"][3]
    assert app.secret_key != KEY  # the app that made the school signs with a key of its own
    shared = make_app(instance, DATABASE=str(instance / "classroom.sqlite"), SECRET_KEY=KEY)
    for signer, status in ((app, 302), (shared, 200)):
        client = client_of(signer, dee)  # logged in: a session row in the database
        cookie = f"session={client.get_cookie('session').value}"
        assert Visitor().get(a, "/home", cookie=cookie).status == status


def test_on_postgresql_a_server_without_a_secret_key_set_refuses_to_start(tmp_path):
    """A server that made a key of its own would refuse the others' cookies and forms."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLASSROOM_", "GUNICORN"))}
    env["CLASSROOM_INSTANCE_PATH"] = str(tmp_path)
    env["CLASSROOM_DATABASE_URL"] = "postgresql://classroom@db.invalid/classroom"
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    done = subprocess.run(
        [*command, "--check-config"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("RuntimeError: CLASSROOM_SECRET_KEY is not set:"), done.stderr
    assert not (tmp_path / "secret_key").exists()
