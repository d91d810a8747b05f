"""Two app servers on one database, as behind a load balancer: whatever a student starts on
one carries on on the other.

Two gunicorns (one worker each, on two ports) share the database (PostgreSQL under
`make test-postgres`; the same SQLite file otherwise, as two servers on one machine may) and
CLASSROOM_SECRET_KEY. Each case works as a student no other case touches, so the cases share
the two servers, started once for the module (a start loads the app: one to two seconds).
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.cookiejar
import json
import os
import re
import shutil
import ssl
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


def csrf_token(page: str) -> str:
    """The CSRF token a page carries, for its forms and its script's requests."""
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


class DoNotFollow(urllib.request.HTTPRedirectHandler):
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
            DoNotFollow,
        )

    def send(self, port: int, path: str, data=None, headers=None, method=None):
        """The response (its body read into .text), whatever its status. What it sends, it
        sends as from a page of the site, as a browser does (over HTTPS, the CSRF check wants
        a Referer of the same origin)."""
        origin = f"{self.scheme}://127.0.0.1:{port}"
        headers = dict(headers or {}) | ({"Referer": f"{origin}/"} if data else {})
        request = urllib.request.Request(origin + path, data, headers, method=method)
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
        return csrf_token(self.get(port, path).text)

    def log_in(self, port: int, username: str, password: str):
        form = {"username": username, "password": password}
        return self.post(port, "/login", form | {"csrf_token": self.token(port, "/login")})

    def cookie(self, name: str = "session") -> str:
        """name=value of the cookie, as a Cookie header carries it."""
        [value] = [c.value for c in self.jar if c.name == name]
        return f"{name}={value}"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, make_app, make_class):
    """A teacher's class of ada, ben, cy, dee, eve and fay with report 1 assigned, in the
    database the servers are to use: (the instance folder, the app that made it, its ids)."""
    instance = tmp_path_factory.mktemp("two-servers") / "instance"
    instance.mkdir()
    app = make_app(instance, DATABASE=str(instance / "classroom.sqlite"))
    ids = make_class(app, ["ada", "ben", "cy", "dee", "eve", "fay"], assign=[REPORT_1])
    app.extensions["classroom.db"].close()  # all in the file before the servers open it
    return instance, app, ids


@pytest.fixture(scope="module")
def server(seeded, gunicorn_server):
    """server(name): a context manager running one gunicorn worker on the seeded database
    with the shared key, behind one proxy (CLASSROOM_PROXY_COUNT=1), giving its port; it logs
    to <name>.log beside the instance folder."""
    instance = seeded[0]

    def server(name: str):
        env = {"CLASSROOM_SECRET_KEY": KEY, "CLASSROOM_PROXY_COUNT": "1"}
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
    token = csrf_token(page)
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


# --- nginx in front, with the config docs/deployment.md gives ----------------------------------

DEPLOYMENT = ROOT / "docs" / "deployment.md"
MARK = "<!-- nginx: tests/test_two_servers.py runs this block -->"
NGINX = "/usr/sbin/nginx"  # Debian's nginx package


def documented_config() -> str:
    """The nginx config under MARK in docs/deployment.md."""
    text = DEPLOYMENT.read_text()
    assert MARK in text, f"no '{MARK}' in docs/deployment.md"
    block = re.match(r"\s*```nginx\n(.*?)^```", text.split(MARK, 1)[1], re.S | re.M)
    assert block, "the mark is not followed by a fenced nginx block"
    return block.group(1)


def rewritten(config: str, upstreams: tuple[int, int], https: int, http: int, tls: Path) -> str:
    """The config on these loopback ports, with a certificate of the test's own."""
    servers = re.findall(r"^\s*server 127\.0\.0\.1:(\d+)\b", config, re.M)
    assert len(servers) == 2, f"the upstream should list two servers, not {servers}"
    for documented, port in zip(servers, upstreams, strict=True):
        config = config.replace(f"server 127.0.0.1:{documented}", f"server 127.0.0.1:{port}")
    swaps = {
        r"listen 443 ssl;": f"listen 127.0.0.1:{https} ssl;",
        r"listen 80;": f"listen 127.0.0.1:{http};",
        r"ssl_certificate +\S+;": f"ssl_certificate {tls / 'cert.pem'};",
        r"ssl_certificate_key +\S+;": f"ssl_certificate_key {tls / 'key.pem'};",
    }
    for pattern, replacement in swaps.items():
        config, found = re.subn(pattern, replacement, config)
        assert found == 1, f"'{pattern}' should be in the config once"
    return config


@pytest.fixture(scope="module")
def tls(tmp_path_factory, required) -> Path:
    """A folder with a self-signed certificate for 127.0.0.1 (cert.pem) and its key."""
    required(shutil.which("openssl"), "openssl is not installed (apt-get install openssl)")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        + ["-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2"]
        + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    return folder


@pytest.fixture(scope="module")
def nginx(tmp_path_factory, tls, free_port, wait_until_listening, required):
    """nginx(upstream_a, upstream_b): a context manager running Debian's nginx with the
    documented config in front of those two ports, giving a Proxy: its HTTPS and HTTP ports,
    and, once stopped, the app servers that answered each request. Without nginx, fails on CI
    and skips elsewhere."""
    required(Path(NGINX).exists(), "nginx is not installed (apt-get install nginx)")

    @contextlib.contextmanager
    def nginx(a: int, b: int):
        folder = tmp_path_factory.mktemp("nginx")
        https, http = free_port(), free_port()
        (folder / "classroom.conf").write_text(
            rewritten(documented_config(), (a, b), https, http, tls)
        )
        temp = " ".join(
            f"{kind}_temp_path {folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        proxy = Proxy(https, http, folder / "access.log")
        (folder / "nginx.conf").write_text(
            # one process, as whoever runs the tests, in the foreground; files in the folder;
            # each request logged with the app servers nginx passed it to, in order
            f"daemon off; master_process off; pid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'};\n"
            "events { worker_connections 64; }\n"
            "http { log_format upstreams '$status $upstream_addr';\n"
            f"  access_log {proxy.log} upstreams; {temp}\n"
            f"  include {folder / 'classroom.conf'};\n}}\n"
        )
        log = folder / "error.log"
        command = [NGINX, "-p", f"{folder}/", "-c", str(folder / "nginx.conf"), "-e", str(log)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            wait_until_listening(https, process, log, "nginx")
            yield proxy
        finally:
            process.terminate()
            process.wait(timeout=TIMEOUT)

    return nginx


@dataclasses.dataclass
class Proxy:
    """nginx's ports, and its log of the requests it passed on."""

    https: int
    http: int
    log: Path

    def tried(self) -> list[list[int]]:
        """For each request passed to the app servers, in order, the ports it was sent to
        (more than one when the first could not take it); read once nginx has stopped."""
        lines = [line.split(" ", 1) for line in self.log.read_text().splitlines()]
        return [[int(a.rsplit(":", 1)[1]) for a in to.split(", ")] for _, to in lines if to != "-"]


def test_the_documented_nginx_config_spreads_a_students_work_over_both_servers(
    two, seeded, nginx, tls, password, elsewhere
):
    a, b = two
    _, app, ids = seeded
    assignment = ids["assignments"][REPORT_1]
    with nginx(a, b) as proxy:
        eve = Visitor("https", ssl.create_default_context(cafile=tls / "cert.pem"))
        logged_in = eve.log_in(proxy.https, "eve", password)
        assert logged_in.status == 302 and logged_in.headers["Location"] == "/"
        # the app knows it is served over HTTPS (X-Forwarded-Proto, CLASSROOM_PROXY_COUNT=1)
        assert logged_in.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert [c.secure for c in eve.jar if c.name == "session"] == [True]
        token = csrf_token(eve.get(proxy.https, f"/assignments/{assignment}").text)
        work = {"highlights": [], "answers": {"reflect": "through the proxy"}, "revision": 0}
        for revision in (1, 2):
            url = f"/api/assignments/{assignment}/draft"
            saved = eve.put_json(proxy.https, url, work, token)
            assert saved.status == 200 and json.loads(saved.text)["revision"] == revision
            work["revision"] = revision
        form = {"highlights": "[]", "answer-reflect": "through the proxy", "csrf_token": token}
        submitted = eve.post(proxy.https, f"/assignments/{assignment}/submit", form)
        assert submitted.status == 302, submitted.text
        assert "through the proxy" in eve.get(proxy.https, submitted.headers["Location"]).text
        assert eve.get(proxy.https, "/readyz").text == "ready\n"
        plain = Visitor().get(proxy.http, "/login")
        assert plain.status == 301 and plain.headers["Location"] == "https://127.0.0.1/login"
    # each request went to one server, the two taking turns: the session held on both
    answered = [to for [to] in proxy.tried()]
    assert set(answered[:2]) == {a, b} and answered == answered[:2] * 4
    with elsewhere(app) as db:
        (count,) = db.execute(
            "select count(*) from attempts where student_id = ?", [ids["students"][4]]
        ).fetchone()
    assert count == 1


def test_with_one_server_down_the_documented_nginx_config_sends_everything_to_the_other(
    two, nginx, tls, password, free_port
):
    a, _ = two
    down = free_port()  # nothing listens there
    with nginx(down, a) as proxy:
        fay = Visitor("https", ssl.create_default_context(cafile=tls / "cert.pem"))
        assert fay.get(proxy.https, "/readyz").status == 200
        assert fay.log_in(proxy.https, "fay", password).status == 302  # a POST too
        assert fay.get(proxy.https, "/home").status == 200
    tried = proxy.tried()
    assert tried[0] == [down, a]  # refused, so passed on to the other
    assert len(tried) == 4 and all(ports[-1] == a for ports in tried)
