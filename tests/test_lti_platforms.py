"""Registering learning platforms: by `flask lti add-platform` and by the Learning platforms
page (for the teachers named in LTI_ADMINS), with the values to paste into the platform."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from classroom.db import get_db
from classroom.lti import urls
from classroom.store import accounts
from classroom.store import lti as lti_store

TOOL = "https://localhost"
OPTIONS = [
    "--name", "District Canvas",
    "--issuer", "https://canvas.test",
    "--client-id", "10000000000123",
    "--login-url", "https://sso.canvas.test/api/lti/authorize_redirect",
    "--token-url", "https://sso.canvas.test/login/oauth2/token",
    "--keyset-url", "https://sso.canvas.test/api/lti/security/jwks",
]  # fmt: skip


def csrf(page) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def test_a_platform_is_registered_from_the_command_line(app, runner):
    result = runner.invoke(args=["lti", "add-platform", *OPTIONS, "--deployment", "1:abc"])
    assert result.exit_code == 0 and "registered with 1 deployment(s)" in result.output
    again = runner.invoke(args=["lti", "add-platform", *OPTIONS])
    assert again.exit_code == 1 and "is registered already" in again.output
    added = runner.invoke(
        args=["lti", "add-deployment", "https://canvas.test", "10000000000123", "2:def"]
    )
    assert added.exit_code == 0
    listed = runner.invoke(args=["lti", "platforms", "--url", "https://classroom.school.org"])
    assert "District Canvas: https://canvas.test client 10000000000123 (1:abc, 2:def)" in (
        listed.output
    )
    assert "Login (OIDC initiation) URL: https://classroom.school.org/lti/login" in listed.output
    assert "Public key set (JWKS) URL: https://classroom.school.org/lti/jwks" in listed.output


@pytest.mark.parametrize("option", ["--login-url", "--keyset-url"])
def test_an_address_that_is_not_a_full_url_is_refused(app, runner, option):
    options = list(OPTIONS)
    options[options.index(option) + 1] = "sso.canvas.test/jwks"
    result = runner.invoke(args=["lti", "add-platform", *options])
    assert result.exit_code == 1 and "must be a full address" in result.output
    with app.app_context():
        assert lti_store.platforms(get_db()) == []


@pytest.fixture
def admin(make_app, tmp_path, client_of):
    """An app whose LTI_ADMINS names the teacher 'head', and head's client."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, LTI_ADMINS="head, other")
    with app.app_context():
        head = accounts.create_user(get_db(), "head", "Head", "a long enough password", "teacher")
        plain = accounts.create_user(
            get_db(), "plain", "Plain", "a long enough password", "teacher"
        )
    return app, client_of(app, head), client_of(app, plain)


def test_the_page_shows_the_values_to_paste_and_registers_a_platform(admin):
    app, head, plain = admin
    page = head.get("/lti/platforms", base_url=TOOL)
    assert page.status_code == 200
    for label, path in (
        ("Login (OIDC initiation) URL", "/lti/login"),
        ("Redirect (launch) URL", "/lti/launch"),
        ("Public key set (JWKS) URL", "/lti/jwks"),
    ):
        assert f"<dt>{label}</dt><dd><code>{TOOL}{path}</code></dd>" in page.text
    form = {
        "name": "District Canvas",
        "issuer": "https://canvas.test",
        "client_id": "10000000000123",
        "deployments": "1:abc\n\n2:def\n",
        "login_url": "https://sso.canvas.test/auth",
        "token_url": "https://sso.canvas.test/token",
        "keyset_url": "https://sso.canvas.test/jwks",
        "csrf_token": csrf(page),
    }
    answer = head.post("/lti/platforms", base_url=TOOL, data=form, follow_redirects=True)
    assert "“District Canvas” is registered" in answer.text
    with app.app_context():
        (row,) = lti_store.platforms(get_db())
    assert row["deployments"] == ["1:abc", "2:def"] and row["added_by"] is not None
    again = head.post("/lti/platforms", base_url=TOOL, data=form)
    assert "This issuer and client id are registered already." in again.text
    added = head.post(
        f"/lti/platforms/{row['id']}/deployments",
        base_url=TOOL,
        data={"deployment_id": "3:ghi", "csrf_token": csrf(page)},
        follow_redirects=True,
    )
    assert "<code>3:ghi</code>" in added.text
    # a teacher who does not administer Classroom registers nothing
    assert plain.get("/lti/platforms", base_url=TOOL).status_code == 403
    assert plain.post("/lti/platforms", base_url=TOOL, data=form).status_code == 403


def test_a_platform_registers_classroom_by_itself_from_a_one_time_link(app, platform, client_of):
    with app.app_context():  # the platform is not registered yet: it will register itself
        db = get_db()
        db.execute("delete from lti_deployments")
        db.execute("delete from lti_platforms")
        head = accounts.create_user(db, "head", "Head", "a long enough password", "teacher")
    app.config["LTI_ADMINS"] = ["head"]
    teacher = client_of(app, head)
    page = teacher.get("/lti/platforms", base_url=TOOL)
    made = teacher.post(
        "/lti/registrations", base_url=TOOL, data={"csrf_token": csrf(page)}, follow_redirects=True
    )
    link = re.search(r"registration URL within a day: (\S+)</p>", made.text).group(1)
    assert link.startswith(f"{TOOL}/lti/register/")
    # the platform opens it, with its configuration's address and a registration token
    query = {
        "openid_configuration": f"{platform.issuer}/.well-known/openid-configuration",
        "registration_token": "registration-token-1",
    }
    opened = app.test_client().get(link.removeprefix(TOOL), base_url=TOOL, query_string=query)
    assert opened.status_code == 200, opened.text
    assert "Classroom is registered with test-platform" in opened.text
    assert "js/lti-registered" in opened.text
    sent = platform.registered
    assert sent["initiate_login_uri"] == f"{TOOL}/lti/login"
    assert (
        sent["redirect_uris"] == [f"{TOOL}/lti/launch"] and sent["jwks_uri"] == f"{TOOL}/lti/jwks"
    )
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in sent["scope"]
    with app.app_context():
        (row,) = lti_store.platforms(get_db())
    assert (row["issuer"], row["client_id"]) == (platform.issuer, "classroom-on-platform-test")
    assert row["deployments"] == ["deployment-1"] and row["login_url"] == f"{platform.issuer}/auth"
    # its launches are let in; the link works once
    assert platform.launch(app.test_client(), "teacher").location == "/lti/course"
    again = app.test_client().get(link.removeprefix(TOOL), base_url=TOOL, query_string=query)
    assert again.status_code == 404


def test_a_registration_whose_issuer_is_not_its_address_is_refused(app, platform, client_of):
    with app.app_context():
        db = get_db()
        token = lti_store.new_registration_link(
            db, accounts.create_user(db, "head", "Head", "a long enough password", "teacher")
        )
    query = {"openid_configuration": "https://elsewhere.test/.well-known/openid-configuration"}
    refused = app.test_client().get(f"/lti/register/{token}", base_url=TOOL, query_string=query)
    assert refused.status_code == 400
    assert "Classroom could not be registered" in refused.text
    with app.app_context():
        assert len(lti_store.platforms(get_db())) == 1  # only the fixture's


def test_only_the_lti_packages_adapter_modules_know_the_library():
    package = Path(__file__).resolve().parent.parent / "classroom"
    knowing = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "pylti1p3" for n in names):
                knowing.add(str(path.relative_to(package)))
    assert knowing == {
        "lti/adapter.py",
        "lti/checks.py",
        "lti/services.py",
        "lti/registration.py",
    }


def test_a_plain_http_address_is_refused_outside_debug_mode(app, runner):
    """Classroom's server fetches a platform's addresses (key set, tokens, scores, rosters):
    plain http:// would let anyone on the way forge keys or read tokens, so it is for a
    platform on the same machine in debug mode only."""
    options = list(OPTIONS)
    options[options.index("--keyset-url") + 1] = "http://sso.canvas.test/jwks"
    result = runner.invoke(args=["lti", "add-platform", *options])
    assert result.exit_code == 1 and "starting https://" in result.output
    with app.app_context():
        assert lti_store.platforms(get_db()) == []
        fields = dict(zip(options[::2], options[1::2], strict=True))
        fields = {k.removeprefix("--").replace("-", "_"): v for k, v in fields.items()}
        assert urls.problem(fields) is not None
        app.debug = True  # `flask --debug run`, with a platform on this machine
        assert urls.problem(fields) is None


@pytest.mark.parametrize(
    "configuration",
    [
        "https://platform.test.evil.test/.well-known/openid-configuration",  # a longer host
        "https://evil.test/platform.test/.well-known/openid-configuration",
        "http://platform.test/.well-known/openid-configuration",  # not https
    ],
)
def test_a_registration_must_come_from_its_issuers_own_host(
    app, platform, client_of, configuration
):
    """The configuration names its issuer; a configuration served from another host (even one
    whose name begins with the issuer's) could register that issuer with another's keys, and
    then launch as any of its users."""
    with app.app_context():
        db = get_db()
        db.execute("delete from lti_deployments")
        db.execute("delete from lti_platforms")
        token = lti_store.new_registration_link(
            db, accounts.create_user(db, "head", "Head", "a long enough password", "teacher")
        )
    query = {"openid_configuration": configuration, "registration_token": "registration-token-1"}
    refused = app.test_client().get(f"/lti/register/{token}", base_url=TOOL, query_string=query)
    assert refused.status_code == 400
    assert platform.registered is None, "nothing was sent to the platform"
    with app.app_context():
        assert lti_store.platforms(get_db()) == []


def test_the_teachers_who_register_platforms_find_the_page_in_the_navigation(admin):
    app, head, plain = admin
    link = '<a href="/lti/platforms">Learning platforms</a>'
    assert link in head.get("/teacher/", base_url=TOOL).text
    assert link not in plain.get("/teacher/", base_url=TOOL).text
