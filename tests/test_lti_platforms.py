"""Registering learning platforms: by `flask lti add-platform` and by the Learning platforms
page (for the teachers named in LTI_ADMINS), with the values to paste into the platform."""

from __future__ import annotations

import re

import pytest

from classroom.db import get_db
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
        from classroom.store import accounts

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
