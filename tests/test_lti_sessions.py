"""What a launch does to the browser's session and to the pages that follow: a fresh session
(nothing planted before carries over), the session of someone else in that browser ended and
said so, a second instructor told whose class the course opens, every string the platform
sends shown escaped, and no password for an account that came from a platform (not even
through a teacher's reset)."""

from __future__ import annotations

import re

from classroom.db import get_db
from classroom.store import accounts, classes
from tests.test_lti_launch import link_new_class, user_of

TOOL = "https://localhost"
PASSWORD = "a long enough password"


def course_with_an_assignment(app, platform, csrf_token) -> dict:
    """The teacher's course linked to a new class with report 1 assigned; the custom
    parameter a platform link to it carries."""
    linked = link_new_class(app.test_client(), platform, csrf_token)
    with app.app_context():
        class_id = int(linked.location.rsplit("/", 1)[1])
        return {"assignment": str(classes.assign(get_db(), class_id, "la-detainers-report-1"))}


def session_cookie(client) -> str:
    return client.get_cookie("session", domain="localhost").value


def test_a_launch_ends_the_session_of_someone_else_in_the_browser_and_says_so(
    app, platform, csrf_token
):
    custom = course_with_an_assignment(app, platform, csrf_token)
    with app.app_context():
        accounts.create_user(get_db(), "plain", "Pat Plain", PASSWORD, "teacher")
    client = app.test_client()
    client.post("/login", base_url=TOOL, data={"username": "plain", "password": PASSWORD})
    before = session_cookie(client)
    assert client.get("/teacher/", base_url=TOOL).status_code == 200
    answer = platform.launch(client, "ada", custom=custom, follow=True)
    assert "Ada Lovelace" in answer.text
    assert (
        "Pat Plain was logged out in this browser: the learning platform opened Classroom as "
        "Ada Lovelace." in answer.text
    )
    # Pat's session is over on the server: a copy of its cookie opens nothing
    copy = app.test_client()
    copy.set_cookie("session", before, domain="localhost")
    assert copy.get("/teacher/", base_url=TOOL).status_code == 302
    # and this browser is Ada's alone
    assert client.get("/teacher/", base_url=TOOL).status_code == 403


def test_the_same_person_launching_again_gets_a_new_session_and_no_message(
    app, platform, csrf_token
):
    teacher = app.test_client()
    link_new_class(teacher, platform, csrf_token)
    first = session_cookie(teacher)
    page = platform.launch(teacher, "teacher", follow=True)
    assert "was logged out" not in page.text
    copy = app.test_client()
    copy.set_cookie("session", first, domain="localhost")
    assert copy.get("/teacher/", base_url=TOOL).status_code == 302  # the old one ended


def test_nothing_planted_in_the_session_before_a_launch_carries_over(app, platform):
    client = app.test_client()
    with client.session_transaction(base_url=TOOL) as planted:
        planted["user_id"] = 999
        planted["sid"] = "a-token-the-attacker-knows"
        planted["lti"] = {"launch": "theirs", "frame": ["https://evil.test"]}
        planted["extra"] = "planted"
    platform.launch(client, "teacher")
    with client.session_transaction(base_url=TOOL) as now:
        assert now["sid"] != "a-token-the-attacker-knows" and "extra" not in now
        assert now["user_id"] == user_of(app, platform, "teacher")["id"]
        assert now["lti"]["frame"] == [platform.issuer] and now["lti"]["launch"] != "theirs"


def test_a_second_instructor_is_told_whose_class_the_course_opens(app, platform, csrf_token):
    link_new_class(app.test_client(), platform, csrf_token)
    platform.add("second", "Sam Second", platform.instructor)
    refused = platform.launch(app.test_client(), "second")
    assert refused.status_code == 403
    assert "This course opens Grace Hopper's class “Period 3 Media Literacy”" in refused.text
    assert "every instructor of the course sees them" in refused.text


HOSTILE = '<img src=x onerror="alert(1)">'


def test_what_the_platform_sends_is_shown_escaped_on_every_page(app, platform, csrf_token):
    platform.course_title = f"Period 3 {HOSTILE}"
    platform.people["teacher"].name = f"Grace {HOSTILE}"
    platform.add("second", f"Sam {HOSTILE}", platform.instructor)
    teacher = app.test_client()
    pages = [platform.launch(teacher, "teacher", follow=True)]  # the link page
    linked = link_new_class_after_launch(teacher, csrf_token)
    pages.append(teacher.get(linked.location, base_url=TOOL))  # the class page
    pages.append(platform.launch(app.test_client(), "second"))  # whose class it is
    platform.launch(teacher, "teacher", message="LtiDeepLinkingRequest", link=None)
    pages.append(teacher.get("/lti/deep-link", base_url=TOOL))  # the picker
    other = app.test_client()
    with app.app_context():
        accounts.create_user(get_db(), "plain", "Pat Plain", PASSWORD, "teacher")
    other.post("/login", base_url=TOOL, data={"username": "plain", "password": PASSWORD})
    platform.add("ada2", f"Ada {HOSTILE}", platform.learner)
    custom = {"assignment": str(assign_report(app, linked.location))}
    pages.append(platform.launch(other, "ada2", custom=custom, follow=True))  # logged out
    for page in pages:
        assert "<img" not in page.text, page.text
    assert all("&lt;img src=x" in page.text for page in pages), "each page shows one"


def assign_report(app, class_page: str) -> int:
    with app.app_context():
        class_id = int(class_page.rsplit("/", 1)[1])
        return classes.assign(get_db(), class_id, "la-detainers-report-1")


def link_new_class_after_launch(client, csrf_token):
    page = client.get("/lti/course", base_url=TOOL)
    return client.post(
        "/lti/course", base_url=TOOL, data={"class_id": "new", "csrf_token": csrf_token(page)}
    )


def test_a_student_from_the_platform_gets_no_password_from_a_teachers_reset(
    app, platform, csrf_token
):
    teacher = app.test_client()
    class_id = int(link_new_class(teacher, platform, csrf_token).location.rsplit("/", 1)[1])
    platform.launch(app.test_client(), "ada")
    ada = user_of(app, platform, "ada")
    with app.app_context():  # a student of the same class who joined with the code
        dee = accounts.create_student(get_db(), class_id, "Dee Coder", "dee", PASSWORD)
    page = teacher.get(f"/teacher/classes/{class_id}", base_url=TOOL)
    assert "Signs in through the platform" in page.text
    assert f"Reset the password of {ada['display_name']}" not in page.text
    assert "Reset the password of Dee Coder" in page.text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    answer = teacher.post(
        f"/teacher/classes/{class_id}/students/{ada['id']}/reset-password",
        base_url=TOOL,
        data={"csrf_token": token},
    )
    assert answer.status_code == 409
    assert "signs in through the learning platform" in answer.text
    with app.app_context():
        db = get_db()
        row = db.execute(
            "select password_hash, must_change_password from users where id = ?", [ada["id"]]
        ).fetchone()
        assert row[0] == accounts.NO_PASSWORD and not row[1]
    assert dee  # (Dee's reset is the teacher's as before: tests/test_teacher.py)


def test_a_launched_session_has_no_password_link(app, platform):
    client = app.test_client()
    page = platform.launch(client, "teacher", follow=True)
    assert page.status_code == 200
    assert 'href="/password"' not in page.text


def test_a_framed_launchs_cookie_is_partitioned_and_a_new_windows_is_not(app, platform):
    """Partitioned only where it is needed: in the platform's frame. In a window of its own
    the cookie is first-party and plain, so that it replaces a session cookie set before
    (a browser keeps a partitioned and a plain cookie of one name apart and sends both, the
    older first); each launch clears the kind it does not set."""
    framed = platform.launch(app.test_client(), "teacher", headers={"Sec-Fetch-Dest": "iframe"})
    window = platform.launch(app.test_client(), "teacher", headers={"Sec-Fetch-Dest": "document"})
    for answer, partitioned in ((framed, True), (window, False)):
        cookies = [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session=")]
        cleared, kept = cookies  # the other kind cleared first, then this session's
        assert "Max-Age=0" in cleared and ("Partitioned" in cleared) != partitioned
        assert ("Partitioned" in kept) == partitioned
        for flag in ("SameSite=None", "Secure", "HttpOnly"):
            assert flag in kept and flag in cleared
