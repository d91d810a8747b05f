"""Sessions that can be ended, password changes that need the current password (or the
teacher's one-time code), and one-time codes that work once and expire."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from classroom.auth.routes import LOGGED_OUT, PASSWORD_RESET
from classroom.db import get_db
from classroom.store import accounts

NEW = "a brand new passphrase"
REPORT_1 = "la-detainers-report-1"


def logged_in(app, username, password):
    client = app.test_client()
    assert (
        client.post("/login", data={"username": username, "password": password}).status_code == 302
    )
    return client


def change(client, current, new=NEW):
    return client.post("/password", data={"current": current, "password": new, "confirm": new})


def reset(app, school, client_of, student=0) -> str:
    """The teacher resets the student's password; the one-time code shown."""
    teacher = client_of(app, school["teacher"])
    page = teacher.post(
        f"/teacher/classes/{school['class']['id']}/students/{school['students'][student]}"
        "/reset-password"
    )
    return re.search(r'class="one-time-code"><code>(\w+)</code>', page.text).group(1)


def test_a_copied_session_cookie_stops_working_after_logout(app, school, password):
    ada = logged_in(app, "ada", password)
    thief = app.test_client()
    thief.set_cookie("session", ada.get_cookie("session").value)
    assert thief.get("/home").status_code == 200
    ada.post("/logout")
    assert thief.get("/home").location.startswith("/login")


def test_log_out_everywhere_ends_every_session_of_the_user(app, school, password):
    at_school, at_home = logged_in(app, "ada", password), logged_in(app, "ada", password)
    ben = logged_in(app, "ben", password)
    assert b"Log out everywhere" in at_home.get("/password").data
    response = at_home.post("/logout/everywhere")
    assert response.location == "/login"
    assert at_school.get("/home").location.startswith("/login")
    assert at_home.get("/home").location.startswith("/login")
    assert ben.get("/home").status_code == 200


@pytest.mark.parametrize("username", ["ada", "teacher"])
def test_changing_a_password_needs_the_current_one(app, school, password, username):
    client = logged_in(app, username, password)
    for wrong in ("", "not my password"):
        response = change(client, wrong)
        assert response.status_code == 200
        assert b"Your new password is saved" not in response.data
    assert b"That is not your current password." in response.data
    with app.app_context():
        assert accounts.check_login(get_db(), username, password) is not None
        assert accounts.check_login(get_db(), username, NEW) is None
    assert change(client, password).status_code == 302
    with app.app_context():
        assert accounts.check_login(get_db(), username, NEW) is not None


def test_guessing_the_current_password_on_the_change_form_is_slowed_down(app, school, password):
    client = logged_in(app, "ada", password)
    for _ in range(10):
        change(client, "a guess")
    assert change(client, password).status_code == 429


def test_a_password_change_ends_the_users_other_sessions(app, school, password):
    left_open, changing = logged_in(app, "ada", password), logged_in(app, "ada", password)
    response = change(changing, password)
    assert response.location == "/"
    assert b"You are logged out everywhere else" in changing.get("/home").data
    assert left_open.get("/home").location.startswith("/login")


def test_a_reset_ends_the_students_sessions_and_only_the_code_sets_a_password(
    app, school, client_of, password
):
    old = logged_in(app, "ada", password)
    code = reset(app, school, client_of)
    assert old.get("/home").location.startswith("/login")  # not to /password
    assert old.post("/password", data={"password": NEW, "confirm": NEW}).location.startswith(
        "/login"
    )
    student = logged_in(app, "ada", code)
    page = student.get("/password")
    assert b"The one-time code from your teacher" in page.data
    assert change(student, "not the code").status_code == 200
    assert change(student, code).location == "/"
    assert student.get("/home").status_code == 200
    with app.app_context():
        assert accounts.check_login(get_db(), "ada", NEW) is not None


def test_a_one_time_code_works_once(app, school, client_of):
    code = reset(app, school, client_of)
    student = logged_in(app, "ada", code)
    change(student, code)
    again = app.test_client().post("/login", data={"username": "ada", "password": code})
    assert b"That username and password do not match an account." in again.data


def test_a_one_time_code_expires(app, school, client_of):
    code = reset(app, school, client_of)
    student = logged_in(app, "ada", code)  # logged in with it, but not yet chosen a password
    with app.app_context():
        db = get_db()
        past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat(timespec="seconds")
        db["users"].update(school["students"][0], {"code_expires_at": past})
    response = app.test_client().post("/login", data={"username": "ada", "password": code})
    assert response.status_code == 200
    assert b"This one-time code has expired. Ask your teacher for a new one." in response.data
    assert b"it has expired" in change(student, code).data


def test_a_session_idle_for_its_lifetime_ends_even_with_a_fresh_cookie(app, school, password):
    client = logged_in(app, "ada", password)
    with app.app_context():
        db = get_db()
        idle = datetime.now(UTC) - app.permanent_session_lifetime - timedelta(minutes=1)
        db.execute("update sessions set last_seen_at = ?", [idle.isoformat(timespec="seconds")])
    assert client.get("/home").location.startswith("/login")


def test_a_session_in_use_is_marked_seen_once_an_hour(app, school, password):
    client = logged_in(app, "ada", password)
    two_hours_ago = (datetime.now(UTC) - timedelta(hours=2)).isoformat(timespec="seconds")
    with app.app_context():
        get_db().execute("update sessions set last_seen_at = ?", [two_hours_ago])
    assert client.get("/home").status_code == 200
    with app.app_context():
        (seen,) = get_db().execute("select last_seen_at from sessions").fetchone()
    assert seen > two_hours_ago


def test_an_ended_session_is_logged_out_for_the_exercise_pages_script(
    csrf_app, make_class, password, csrf_token
):
    """Saving from a page whose session was ended elsewhere ("log out everywhere") is told it
    is logged out (401), as after logging out, not that its token is forged."""
    school = make_class(csrf_app, ["ada"], assign=[REPORT_1])
    page_client, elsewhere = csrf_app.test_client(), csrf_app.test_client()
    for client in (page_client, elsewhere):
        token = csrf_token(client.get("/login"))
        data = {"username": "ada", "password": password, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 302
    aid = school["assignments"][REPORT_1]
    token = csrf_token(page_client.get(f"/assignments/{aid}"))
    other_token = csrf_token(elsewhere.get("/home"))
    elsewhere.post("/logout/everywhere", data={"csrf_token": other_token})
    url = f"/api/assignments/{aid}/draft"
    for headers in ({"X-CSRFToken": token}, {}):
        response = page_client.put(url, json={"answers": {}}, headers=headers)
        assert response.status_code == 401
        assert response.json == {"error": LOGGED_OUT, "status": 401}


@pytest.fixture
def reset_student(app, school, client_of):
    """Ada, logged in with a one-time code, not yet with a new password: her client."""
    code = reset(app, school, client_of)
    client = app.test_client()
    client.post("/login", data={"username": "ada", "password": code})
    return client


def test_after_a_reset_the_api_says_so_in_json(reset_student, school):
    response = reset_student.put(
        f"/api/assignments/{school['assignments'][REPORT_1]}/draft", json={"answers": {}}
    )
    assert response.status_code == 403
    assert response.json == {"error": PASSWORD_RESET, "status": 403}


def test_after_a_reset_the_password_page_has_its_stylesheet(reset_student):
    page = reset_student.get("/password")
    assert page.status_code == 200
    stylesheet = re.search(r'href="(/assets/[^"]+/app\.css)"', page.text).group(1)
    with reset_student.get(stylesheet) as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"


def test_after_a_reset_a_form_sent_is_sent_to_the_password_page_saying_it_was_not_saved(
    reset_student, school
):
    response = reset_student.post(
        f"/assignments/{school['assignments'][REPORT_1]}/submit", data={"highlights": "[]"}
    )
    assert response.location == "/password"
    page = reset_student.get("/password").text
    assert "What you sent was not saved yet" in page
    assert "Work on an exercise page is kept in that browser" in page


def test_a_page_open_before_logging_in_with_a_code_is_told_to_choose_a_password(
    csrf_app, make_class, password, csrf_token
):
    """Ada's exercise page stays open while her teacher resets her password and she logs in
    with the code in another tab: its saves hear about the reset, not about a forged token."""
    school = make_class(csrf_app, ["ada"], assign=[REPORT_1])
    ada, teacher = csrf_app.test_client(), csrf_app.test_client()
    for client, name in ((ada, "ada"), (teacher, "teacher")):
        data = {
            "username": name,
            "password": password,
            "csrf_token": csrf_token(client.get("/login")),
        }
        assert client.post("/login", data=data).status_code == 302
    aid = school["assignments"][REPORT_1]
    page_token = csrf_token(ada.get(f"/assignments/{aid}"))
    page = teacher.post(
        f"/teacher/classes/{school['class']['id']}/students/{school['students'][0]}/reset-password",
        data={"csrf_token": csrf_token(teacher.get("/teacher/"))},
    )
    code = re.search(r'class="one-time-code"><code>(\w+)</code>', page.text).group(1)
    data = {"username": "ada", "password": code, "csrf_token": csrf_token(ada.get("/login"))}
    assert ada.post("/login", data=data).status_code == 302
    response = ada.put(
        f"/api/assignments/{aid}/draft", json={"answers": {}}, headers={"X-CSRFToken": page_token}
    )
    assert response.status_code == 403
    assert response.json == {"error": PASSWORD_RESET, "status": 403}


@pytest.mark.parametrize("ended", ["elsewhere", "in this browser"])
def test_a_submission_sent_after_the_session_ended_says_it_was_not_submitted(
    csrf_app, make_class, password, csrf_token, ended
):
    """The exercise page's Submit, sent after the session ended ("log out everywhere" or a
    reset elsewhere, or logging out in another tab), is told that the student is logged out and
    the answers were not submitted, and logging in again leads back to the exercise page (not to
    the submission's address, or to "the form had expired")."""
    school = make_class(csrf_app, ["ada"], assign=[REPORT_1])
    page_client, elsewhere = csrf_app.test_client(), csrf_app.test_client()
    for client in (page_client, elsewhere):
        token = csrf_token(client.get("/login"))
        data = {"username": "ada", "password": password, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 302
    aid = school["assignments"][REPORT_1]
    token = csrf_token(page_client.get(f"/assignments/{aid}"))
    if ended == "elsewhere":
        other_token = csrf_token(elsewhere.get("/home"))
        elsewhere.post("/logout/everywhere", data={"csrf_token": other_token})
    else:
        page_client.post("/logout", data={"csrf_token": token})
    response = page_client.post(
        f"/assignments/{aid}/submit", data={"highlights": "[]", "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.location == f"/login?next=/assignments/{aid}"
    page = page_client.get(response.location).text
    assert "You are logged out, so your answers were not submitted" in page
    assert "keeps your work in this browser" in page
    with csrf_app.app_context():
        assert get_db().execute("select count(*) from attempts").fetchone()[0] == 0
