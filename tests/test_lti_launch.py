"""LTI 1.3 launches from the test platform (tests/lti_platform.py): the OIDC login and the
signed launch, accounts by (issuer, subject), classes by (issuer, context), roles from the
launch, the cookies a platform's frame needs, and every launch that must be refused."""

from __future__ import annotations

import os
import stat

import pytest

from classroom.db import get_db
from classroom.store import accounts, classes
from classroom.store import lti as lti_store

TOOL = "https://localhost"


def link_new_class(client, platform, csrf_token):
    """The teacher's first launch from the course, linking it to a new class; its page."""
    answer = platform.launch(client, "teacher")
    assert answer.status_code == 302 and answer.location == "/lti/course"
    page = client.get("/lti/course", base_url=TOOL)
    assert "Link “Period 3 Media Literacy” to a class" in page.text
    assert "Classroom cannot join the two accounts yet" in page.text
    return client.post(
        "/lti/course",
        base_url=TOOL,
        data={"class_id": "new", "csrf_token": csrf_token(page)},
    )


def user_of(app, platform, who):
    with app.app_context():
        user_id = lti_store.account(get_db(), platform.issuer, platform.people[who].sub)
        return accounts.get_user(get_db(), user_id) if user_id else None


def test_the_tool_key_is_made_in_the_instance_folder_and_served_as_a_key_set(
    make_app, tmp_path, monkeypatch
):
    monkeypatch.setenv("CLASSROOM_INSTANCE_PATH", str(tmp_path / "instance"))
    app = make_app(tmp_path, LTI_KEY_FILE=None)
    client = app.test_client()
    first = client.get("/lti/jwks").get_json()
    assert [k["kty"] for k in first["keys"]] == ["RSA"]
    key = first["keys"][0]
    assert key["alg"] == "RS256" and key["use"] == "sig" and key["kid"]
    assert "d" not in key, "the private part is never published"
    path = app.instance_path + "/lti_private_key.pem"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert client.get("/lti/jwks").get_json() == first, "the key is made once"


def test_a_teacher_launch_links_the_course_to_a_new_class(app, platform, csrf_token):
    client = app.test_client()
    answer = link_new_class(client, platform, csrf_token)
    assert answer.status_code == 302
    page = client.get(answer.location, base_url=TOOL)
    assert page.status_code == 200 and "Period 3 Media Literacy" in page.text
    teacher = user_of(app, platform, "teacher")
    assert teacher["role"] == "teacher" and teacher["display_name"] == "Grace Hopper"
    with app.app_context():
        course = lti_store.course(get_db(), platform.issuer, platform.course_id)
        assert course["teacher_id"] == teacher["id"]
        assert course["memberships_url"] == f"{platform.issuer}/memberships/{platform.course_id}"
        # no password opens the account: the platform's launch is the only way in
        for guess in ("", "password", accounts.NO_PASSWORD):
            assert accounts.check_login(get_db(), teacher["username"], guess) is None


def test_a_teacher_may_link_the_course_to_a_class_they_have(app, platform, csrf_token):
    client = app.test_client()
    platform.launch(client, "teacher")
    teacher = user_of(app, platform, "teacher")
    with app.app_context():
        mine = classes.create_class(get_db(), teacher["id"], "Period 3")
    page = client.get("/lti/course", base_url=TOOL)
    assert "Period 3" in page.text
    answer = client.post(
        "/lti/course",
        base_url=TOOL,
        data={"class_id": str(mine["id"]), "csrf_token": csrf_token(page)},
    )
    assert answer.location == f"/teacher/classes/{mine['id']}"
    with app.app_context():
        course = lti_store.course(get_db(), platform.issuer, platform.course_id)
    assert course["class_id"] == mine["id"]


def test_a_student_is_refused_until_the_teacher_has_linked_the_course(app, platform, csrf_token):
    client = app.test_client()
    refused = platform.launch(client, "ada")
    assert refused.status_code == 403
    assert "Your teacher has not set this course up in Classroom yet" in refused.text
    link_new_class(app.test_client(), platform, csrf_token)
    platform.launch(client, "ada", custom={})
    ada = user_of(app, platform, "ada")
    assert ada["role"] == "student" and ada["display_name"] == "Ada Lovelace"


def test_a_student_launch_opens_the_assignment_and_enrols_them(app, platform, csrf_token):
    teacher = app.test_client()
    class_page = link_new_class(teacher, platform, csrf_token).location
    class_id = int(class_page.rsplit("/", 1)[1])
    with app.app_context():
        assignment = classes.assign(get_db(), class_id, "la-detainers-report-1")
    client = app.test_client()
    answer = platform.launch(client, "ada", custom={"assignment": str(assignment)})
    assert answer.location == f"/assignments/{assignment}"
    page = client.get(answer.location, base_url=TOOL)
    assert page.status_code == 200 and "Ada Lovelace" in page.text
    # the same platform user again is the same account, enrolled once
    again = app.test_client()
    assert platform.launch(again, "ada").location == f"/assignments/{assignment}"
    with app.app_context():
        db = get_db()
        assert db.execute("select count(*) from lti_accounts").fetchone()[0] == 2
        assert (
            db.execute("select count(*) from enrolments where class_id = ?", [class_id]).fetchone()[
                0
            ]
            == 1
        )


def test_an_assignment_named_by_a_link_must_be_in_the_courses_class(app, platform, csrf_token):
    link_new_class(app.test_client(), platform, csrf_token)
    with app.app_context():
        db = get_db()
        other = accounts.create_user(db, "other", "Other", "a long enough password", "teacher")
        elsewhere = classes.create_class(db, other, "Elsewhere")
        theirs = classes.assign(db, elsewhere["id"], "la-detainers-report-1")
    refused = platform.launch(app.test_client(), "ada", custom={"assignment": str(theirs)})
    assert refused.status_code == 403
    assert "This link opens no assignment in Classroom" in refused.text


@pytest.mark.parametrize(
    "tamper, headline",
    [
        ({"key": "forged"}, "The launch&#39;s signature is not the platform&#39;s"),
        ({"aud": "some-other-tool"}, "This launch was meant for another tool"),
        ({"replay": True}, "This launch was used already"),
        ({"exp": 1_000_000_000}, "This launch has expired"),
        ({"deployment": "deployment-unknown"}, "This deployment of the platform is not registered"),
    ],
)
def test_a_launch_that_fails_a_check_is_refused_with_a_page_saying_why(
    app, platform, csrf_token, tamper, headline
):
    link_new_class(app.test_client(), platform, csrf_token)
    client = app.test_client()
    refused = platform.launch(client, "ada", **tamper)
    assert refused.status_code == 400
    assert headline in refused.text
    assert "nothing was changed" in refused.text
    # nobody is logged in by it
    assert client.get("/home", base_url=TOOL).status_code == 302
    if not tamper.get("replay"):
        assert user_of(app, platform, "ada") is None


def test_an_unknown_platform_is_refused_at_login(app):
    answer = app.test_client().post(
        "/lti/login", base_url=TOOL, data={"iss": "https://nobody.test", "login_hint": "x"}
    )
    assert answer.status_code == 400
    assert "This platform is not registered with Classroom" in answer.text


def test_the_state_cookie_is_for_a_third_party_frame_on_the_launch_path(app, platform):
    answer = app.test_client().post(
        "/lti/login",
        base_url=TOOL,
        data={"iss": platform.issuer, "login_hint": "x", "target_link_uri": f"{TOOL}/lti/launch"},
    )
    (cookie,) = answer.headers.getlist("Set-Cookie")
    assert cookie.startswith("lti1p3-state-")
    for flag in ("Secure", "HttpOnly", "SameSite=None", "Partitioned", "Path=/lti/"):
        assert flag in cookie


def test_a_launched_session_may_be_framed_by_the_platform_and_its_cookie_goes_there(app, platform):
    client = app.test_client()
    launched = platform.launch(client, "teacher")
    *_, session_cookie = [  # (the plain one cleared first: tests/test_lti_sessions.py)
        c for c in launched.headers.getlist("Set-Cookie") if c.startswith("session=")
    ]
    for flag in ("SameSite=None", "Secure", "HttpOnly", "Partitioned"):
        assert flag in session_cookie
    page = client.get(launched.location, base_url=TOOL)
    csp = page.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {platform.issuer}" in csp
    assert "X-Frame-Options" not in page.headers
    # a session logged in with a password is not framed, as before
    other = app.test_client()
    with app.app_context():
        accounts.create_user(get_db(), "plain", "Plain", "a long enough password", "teacher")
    login = other.post("/login", data={"username": "plain", "password": "a long enough password"})
    assert "SameSite=Lax" in login.headers["Set-Cookie"]
    home = other.get("/teacher/")
    assert home.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]


def test_a_browser_that_keeps_the_cookie_out_of_the_frame_is_offered_a_new_window(
    app, platform, csrf_token
):
    link_new_class(app.test_client(), platform, csrf_token)
    client = app.test_client()
    refused = platform.launch(client, "ada", no_cookie=True)
    assert refused.status_code == 403
    assert "Open Classroom in a new window" in refused.text
    assert 'target="_blank"' in refused.text
    assert user_of(app, platform, "ada") is None


def test_a_login_begun_on_one_server_is_finished_on_another(
    make_app, tmp_path, platform, csrf_token, app
):
    link_new_class(app.test_client(), platform, csrf_token)
    other = make_app(tmp_path)  # the same database, another app (another server's process)
    other.extensions["classroom.lti.transport"] = platform.adapter()
    assert other is not app
    # the login on this app, the launch on the other: the state and nonce are in the database
    answer = platform.launch(app.test_client(), "ada", via=other)
    assert answer.status_code == 403  # let in, and told the link opens no assignment yet
    assert "This link opens no assignment in Classroom" in answer.text


def test_roles_come_from_the_launch(app, platform, csrf_token):
    link_new_class(app.test_client(), platform, csrf_token)
    platform.add(
        "observer", "Otto Observer", "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"
    )
    refused = platform.launch(app.test_client(), "observer")
    assert refused.status_code == 403
    assert "Classroom has pages for teachers and students only" in refused.text
    platform.add("ta", "Tara Assistant", platform.instructor)
    platform.launch(app.test_client(), "ta")
    assert user_of(app, platform, "ta")["role"] == "teacher"
    platform.add("bo", "Bo Learner", platform.learner)
    platform.launch(app.test_client(), "bo")
    assert user_of(app, platform, "bo")["role"] == "student"
