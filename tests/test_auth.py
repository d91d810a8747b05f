"""Logging in and out, joining a class with its code, and who may open what."""

from __future__ import annotations

import re

import pytest

from classroom.db import get_db
from classroom.store import accounts


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"Log in" in response.data


def test_student_logs_in_and_lands_on_assignments(client, auth, school):
    response = auth.login("ada")
    assert response.status_code == 302
    assert client.get(response.location).status_code == 302  # / sends a student on
    home = client.get("/home")
    assert b"My assignments" in home.data


@pytest.mark.parametrize(
    "username, right_password", [("ada", False), ("nobody", True)], ids=["wrong", "unknown"]
)
def test_bad_login_says_the_same_for_unknown_user_and_wrong_password(
    client, auth, school, password, username, right_password
):
    response = auth.login(username, password if right_password else "wrong password")
    assert response.status_code == 200
    assert b"That username and password do not match an account." in response.data
    assert client.get("/home").status_code == 302


def test_usernames_are_case_insensitive(client, auth, school):
    assert auth.login("ADA").status_code == 302
    assert client.get("/home").status_code == 200


def test_login_follows_next_on_this_site_only(client, auth, school, password):
    response = client.post("/login?next=/home", data={"username": "ada", "password": password})
    assert response.location == "/home"
    auth.logout()
    response = client.post(
        "/login?next=//evil.example/", data={"username": "ada", "password": password}
    )
    assert response.location == "/"


def test_logout_forgets_the_session(client, auth, school):
    auth.login("ada")
    response = auth.logout()
    assert response.location == "/login"
    assert client.get("/home").status_code == 302


def test_join_with_code_creates_student_in_class(client, app, school):
    code = school["class"]["join_code"]
    response = client.post(
        "/join",
        data={
            "join_code": code.lower(),
            "display_name": "Dee",
            "username": "dee",
            "password": "long enough words",
            "confirm": "long enough words",
        },
    )
    assert response.location == "/home"
    home = client.get("/home")
    assert b"Welcome to Period 1" in home.data
    assert home.data.count(b'class="assignment ') == len(school["assignments"])
    with app.app_context():
        user = accounts.check_login(get_db(), "dee", "long enough words")
        assert user["role"] == "student"


def test_join_link_fills_in_the_code(client, school):
    code = school["class"]["join_code"]
    assert f'value="{code}"'.encode() in client.get(f"/join?code={code}").data


@pytest.mark.parametrize(
    "change, message",
    [
        ({"join_code": "NOPE99"}, b"No class has this join code"),
        ({"username": "ada"}, b"This username is taken"),
        ({"confirm": "something else"}, b"The passwords differ."),
        ({"password": "short", "confirm": "short"}, b"at least 12"),
        ({"username": "bad name!"}, b"Use letters, digits"),
    ],
)
def test_join_explains_what_is_wrong(client, school, change, message):
    form = {
        "join_code": school["class"]["join_code"],
        "display_name": "Dee",
        "username": "dee",
        "password": "long enough words",
        "confirm": "long enough words",
        **change,
    }
    response = client.post("/join", data=form)
    assert response.status_code == 200
    assert message in response.data
    assert client.get("/home").status_code == 302


def test_closed_join_code_is_refused(client, app, school):
    with app.app_context():
        get_db()["classes"].update(school["class"]["id"], {"join_open": 0})
    response = client.post(
        "/join",
        data={
            "join_code": school["class"]["join_code"],
            "display_name": "Dee",
            "username": "dee",
            "password": "long enough words",
            "confirm": "long enough words",
        },
    )
    assert b"No class has this join code" in response.data


@pytest.mark.parametrize("path", ["/home", "/assignments/1", "/attempts/1", "/teacher/"])
def test_pages_need_login(client, school, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_teacher_cannot_open_student_pages_and_student_not_teacher_pages(client, auth, school):
    auth.login("teacher")
    assert client.get("/home").status_code == 403
    assert b"This page is for students." in client.get("/home").data
    assert b"Period 1" in client.get("/teacher/").data
    auth.logout()
    auth.login("ada")
    assert client.get("/teacher/").status_code == 403


def test_teacher_sees_own_classes_only(client, auth, school):
    auth.login("teacher")
    page = client.get("/teacher/").data
    assert school["class"]["join_code"].encode() in page
    assert b"Elsewhere" not in page


class TestWithCsrf:
    """The real configuration: every POST needs the token from the page."""

    def test_login_without_token_is_refused(self, csrf_app):
        client = csrf_app.test_client()
        response = client.post("/login", data={"username": "x", "password": "y"})
        assert response.status_code == 400
        assert b"The form had expired" in response.data

    def test_login_with_token_works(self, csrf_app, password, csrf_token):
        with csrf_app.app_context():
            accounts.create_user(get_db(), "ada", "Ada", password, "student")
        client = csrf_app.test_client()
        token = csrf_token(client.get("/login"))
        response = client.post(
            "/login", data={"username": "ada", "password": password, "csrf_token": token}
        )
        assert response.status_code == 302

    def test_logout_without_token_keeps_the_session(self, csrf_app, password, csrf_token):
        with csrf_app.app_context():
            accounts.create_user(get_db(), "ada", "Ada", password, "student")
        client = csrf_app.test_client()
        token = csrf_token(client.get("/login"))
        client.post("/login", data={"username": "ada", "password": password, "csrf_token": token})
        assert client.post("/logout").status_code == 400
        assert client.get("/home").status_code == 200


ADVICE = "Three or four words you will remember, with spaces between them, make a good password"


@pytest.mark.parametrize("path", ["/join", "/password"])
def test_the_password_field_says_how_to_make_a_good_password(client, auth, school, path):
    """A rule alone ("at least 12 characters") leaves a child guessing: the field says what to
    do, and is described by it for a screen reader."""
    if path == "/password":
        auth.login("ada")
    page = client.get(path).get_data(as_text=True)
    hint = re.search(r'<p class="small field-help" id="([\w-]+)">([^<]*)</p>', page)
    assert hint and ADVICE in hint.group(2) and "your name" in hint.group(2)
    field = re.search(r'<input[^>]*id="password"[^>]*>', page).group(0)
    assert hint.group(1) in re.search(r'aria-describedby="([^"]*)"', field).group(1)


def test_a_password_too_short_says_what_to_do(client, school):
    form = {
        "join_code": school["class"]["join_code"],
        "display_name": "Dee",
        "username": "dee",
        "password": "dee2010",
        "confirm": "dee2010",
    }
    page = client.post("/join", data=form).get_data(as_text=True)
    errors = re.search(r'<ul class="errors" id="password-errors">(.*?)</ul>', page, re.S).group(1)
    assert "needs at least 12 characters" in errors and "add a word or two" in errors
    field = re.search(r'<input[^>]*id="password"[^>]*>', page).group(0)
    described = re.search(r'aria-describedby="([^"]*)"', field).group(1).split()
    assert described == ["password-help", "password-errors"]
