"""Login throttling, session cookies, the secret key, and security headers."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

import classroom.security
from classroom import create_app
from classroom.store import throttle


def fail(auth, username, times):
    for _ in range(times):
        auth.login(username, "wrong password")


def test_an_account_is_locked_after_repeated_failures(client, auth, school, password):
    fail(auth, "ada", throttle.MAX_PER_ACCOUNT)
    response = auth.login("ada", password)  # even the right password is refused now
    assert response.status_code == 429
    assert b"Too many failed logins. Try again in" in response.data
    assert client.get("/home").status_code == 302
    assert auth.login("ben", password).status_code == 302  # other accounts are not affected


def test_an_unknown_username_is_throttled_the_same_way(auth, school):
    fail(auth, "nobody", throttle.MAX_PER_ACCOUNT)
    response = auth.login("nobody", "anything")
    assert response.status_code == 429
    assert b"Too many failed logins" in response.data


def test_one_address_is_throttled_across_usernames(auth, school, password):
    for n in range(throttle.MAX_PER_ADDRESS):
        auth.login(f"guess{n}", "wrong password")
    assert auth.login("ada", password).status_code == 429


def test_a_good_login_clears_the_failures(auth, school, password):
    fail(auth, "ada", throttle.MAX_PER_ACCOUNT - 1)
    assert auth.login("ada", password).status_code == 302
    auth.logout()
    fail(auth, "ada", throttle.MAX_PER_ACCOUNT - 1)
    assert auth.login("ada", password).status_code == 302


def session_cookie(client):
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_the_session_is_replaced_on_login_and_cleared_on_logout(client, auth, school):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = session_cookie(client)
    auth.login("ada")
    with client.session_transaction() as session:
        assert "planted" not in session and session["user_id"] == school["students"][0]
    assert session_cookie(client) != before
    auth.logout()
    with client.session_transaction() as session:
        assert "user_id" not in session


def test_session_cookie_flags(app, school, password):
    client = app.test_client()
    response = client.post("/login", data={"username": "ada", "password": password})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = app.test_client().post(
        "/login", base_url="https://localhost", data={"username": "ben", "password": password}
    )
    assert "Secure" in secure.headers["Set-Cookie"]


def test_the_session_cookie_is_sent_again_once_an_hour(app, school, monkeypatch, password):
    """A logged-in student's cookie is not re-signed with every page; once it is an hour old
    the next page sends it again, pushing the 31-day expiry on, with the same login in it."""
    client = app.test_client()
    login = client.post("/login", data={"username": "ada", "password": password})
    assert "Expires=" in login.headers["Set-Cookie"]
    client.get("/home")  # the first page after login puts a fresh CSRF secret in the session
    assert "Set-Cookie" not in client.get("/home").headers
    monkeypatch.setattr(classroom.security, "REFRESH_AFTER", timedelta(0))
    refreshed = client.get("/home")
    assert refreshed.status_code == 200 and "Expires=" in refreshed.headers["Set-Cookie"]
    with client.session_transaction() as session:
        assert session["user_id"] == school["students"][0]


NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    "age, lifetime, due",
    [
        (timedelta(minutes=59), timedelta(days=31), False),
        (timedelta(hours=1), timedelta(days=31), True),
        # a short lifetime (an idle timeout) is refreshed at half its length, so that a
        # student who keeps working is never logged out by it
        (timedelta(minutes=14), timedelta(minutes=30), False),
        (timedelta(minutes=15), timedelta(minutes=30), True),
    ],
)
def test_a_session_cookie_is_sent_again_when_due(age, lifetime, due):
    assert classroom.security.refresh_due(NOON - age, lifetime, NOON) is due
    assert classroom.security.refresh_due(None, lifetime, NOON)  # not from a cookie: send it


def test_a_new_secret_key_ends_old_sessions_unless_kept_as_a_fallback(app, school, password):
    client = app.test_client()
    client.post("/login", data={"username": "ada", "password": password})
    assert client.get("/home").status_code == 200
    old = app.secret_key
    app.secret_key = "another-test-only-secret"
    assert client.get("/home").status_code == 302
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    assert client.get("/home").status_code == 200


def test_an_expired_or_forged_session_cookie_logs_nobody_in(app, school, password):
    client = app.test_client()
    client.post("/login", data={"username": "ada", "password": password})
    client.set_cookie("session", session_cookie(client)[:-2] + "xx")
    assert client.get("/home").status_code == 302
    client.post("/login", data={"username": "ada", "password": password})
    app.permanent_session_lifetime = timedelta(seconds=-1)
    assert client.get("/home").headers["Location"].startswith("/login")


@pytest.mark.parametrize("key", ["dev", "change-me", "short"])
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY is missing or too weak"):
        create_app({"SECRET_KEY": key, "DATABASE": str(tmp_path / "db.sqlite")})


def test_a_secret_key_is_generated_into_the_instance_folder_once(tmp_path, monkeypatch):
    monkeypatch.setenv("CLASSROOM_INSTANCE_PATH", str(tmp_path / "instance"))
    first = create_app({"DATABASE": str(tmp_path / "db.sqlite")})
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text().strip() == first.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    again = create_app({"DATABASE": str(tmp_path / "db.sqlite")})
    assert again.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_on_postgresql_the_app_refuses_to_start_without_a_secret_key_set(tmp_path, monkeypatch):
    """With CLASSROOM_DATABASE_URL, several servers may serve the same users: a key generated
    per instance folder would sign cookies that the other servers refuse."""
    monkeypatch.setenv("CLASSROOM_INSTANCE_PATH", str(tmp_path / "instance"))
    config = {"DATABASE_URL": "postgresql://db.example.org/school", "DATABASE": "unused"}
    with pytest.raises(RuntimeError, match="^CLASSROOM_SECRET_KEY is not set: with CLASS") as err:
        create_app(config)
    assert "\n" not in str(err.value)  # one line, the last of the traceback
    assert not (tmp_path / "instance" / "secret_key").exists()
    key = "the same on every server, 24+ characters"
    assert create_app(config | {"SECRET_KEY": key}).secret_key == key
    assert create_app(config | {"DEBUG": True}).secret_key  # generated, for development


def test_the_api_says_logged_out_instead_of_redirecting(client, school):
    response = client.put(
        f"/api/assignments/{school['assignments']['la-detainers-report-1']}/draft",
        json={"highlights": [], "answers": {}},
    )
    assert response.status_code == 401
    assert "You are logged out, so this was not saved" in response.json["error"]


@pytest.fixture
def open_page_of_ada(csrf_app, make_class, password, csrf_token):
    """ada logged in with her exercise page open: her client, the page's token, the draft URL."""
    school = make_class(csrf_app, ["ada"], assign=["la-detainers-report-1"])
    client = csrf_app.test_client()
    token = csrf_token(client.get("/login"))
    client.post("/login", data={"username": "ada", "password": password, "csrf_token": token})
    assignment = school["assignments"]["la-detainers-report-1"]
    page_token = csrf_token(client.get(f"/assignments/{assignment}"))
    return client, page_token, f"/api/assignments/{assignment}/draft"


def test_a_save_after_logging_out_elsewhere_is_told_logged_out_not_bad_request(open_page_of_ada):
    client, token, url = open_page_of_ada
    client.post("/logout", data={"csrf_token": token})  # in another tab
    response = client.put(
        url, json={"answers": {"reflect": "typed"}}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 401
    assert "You are logged out, so this was not saved" in response.json["error"]


def test_a_bad_token_from_someone_logged_in_is_still_refused_as_forged(open_page_of_ada):
    client, _, url = open_page_of_ada
    response = client.put(url, json={"answers": {}}, headers={"X-CSRFToken": "forged"})
    assert response.status_code == 400
    assert "sent from elsewhere" in response.json["error"]


def test_a_session_cookie_used_once_is_still_refused_once_expired(app, school, password):
    # the cookie's signature is verified once a process; its age is checked on every request
    client = app.test_client()
    client.post("/login", data={"username": "ada", "password": password})
    assert client.get("/home").status_code == 200
    assert client.get("/home").status_code == 200
    app.permanent_session_lifetime = timedelta(seconds=-1)
    assert client.get("/home").headers["Location"].startswith("/login")


def test_a_session_cookie_used_once_is_refused_once_logged_out_elsewhere(app, school, password):
    client, copy = app.test_client(), app.test_client()
    client.post("/login", data={"username": "ada", "password": password})
    copy.set_cookie("session", session_cookie(client))  # the cookie, copied to another browser
    assert copy.get("/home").status_code == 200
    client.post("/logout")
    assert copy.get("/home").status_code == 302


def ada_and_ben_pages(csrf_app, make_class, password, csrf_token):
    """ada and ben logged in, each with the exercise page open: (client, token, page URL)."""
    school = make_class(csrf_app, ["ada", "ben"], assign=["la-detainers-report-1"])
    page = f"/assignments/{school['assignments']['la-detainers-report-1']}"
    pages = []
    for username in ("ada", "ben"):
        client = csrf_app.test_client()
        form = {"username": username, "password": password}
        client.post("/login", data={**form, "csrf_token": csrf_token(client.get("/login"))})
        pages.append((client, csrf_token(client.get(page)), page))
    return pages


def save(page, token=None):
    """An autosave from the page, with its own token or the one given."""
    client, own, url = page
    return client.put(
        f"/api{url}/draft",
        json={"answers": {"reflect": "typed"}},
        headers={"X-CSRFToken": token or own},
    )


def test_a_token_that_passed_for_one_session_is_refused_for_another(
    csrf_app, make_class, password, csrf_token
):
    ada, ben = ada_and_ben_pages(csrf_app, make_class, password, csrf_token)
    assert save(ada).status_code == 200
    assert save(ada).status_code == 200  # the same token again: still good
    refused = save(ben, token=ada[1])
    assert refused.status_code == 400 and "sent from elsewhere" in refused.json["error"]
    assert save(ben).status_code == 200


def test_a_token_that_passed_is_refused_once_its_signing_key_changed(
    csrf_app, make_class, password, csrf_token
):
    ada, _ = ada_and_ben_pages(csrf_app, make_class, password, csrf_token)
    assert save(ada).status_code == 200
    csrf_app.config["WTF_CSRF_SECRET_KEY"] = "another-test-only-secret"
    assert save(ada).status_code == 400
    client, _, page = ada
    assert save(ada, token=csrf_token(client.get(page))).status_code == 200  # the page's new one


def test_pages_of_one_session_give_one_token_that_keeps_working(
    csrf_app, make_class, password, csrf_token
):
    ada, _ = ada_and_ben_pages(csrf_app, make_class, password, csrf_token)
    client, token, page = ada
    assert csrf_token(client.get(page)) == token
    assert client.get("/api/session").json["csrf_token"] == token
    assert save(ada).status_code == 200


def test_with_a_time_limit_an_old_token_is_refused(
    csrf_app, make_class, password, csrf_token, monkeypatch
):
    csrf_app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    ada, _ = ada_and_ben_pages(csrf_app, make_class, password, csrf_token)
    assert save(ada).status_code == 200
    later = time.time() + 7200
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    refused = save(ada)
    assert refused.status_code == 400 and "sent from elsewhere" in refused.json["error"]
