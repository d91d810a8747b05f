"""Deep linking from the test platform: the teacher picks an exercise and its settings in the
platform's picker, Classroom assigns it to the course's class and answers with a signed link,
and the platform's link then launches that assignment for a student."""

from __future__ import annotations

import re
from html import unescape

from classroom.db import get_db
from classroom.store import lti as lti_store

TOOL = "https://localhost"
DEEP_LINK = "LtiDeepLinkingRequest"
REPORT = "la-detainers-report-1"


def open_picker(app, platform, csrf_token):
    """The teacher opens 'add a Classroom activity' from an unlinked course, links it to a new
    class, and lands on the picker; the client and the picker page."""
    client = app.test_client()
    answer = platform.launch(client, "teacher", message=DEEP_LINK, link=None)
    assert answer.location == "/lti/course"
    page = client.get("/lti/course", base_url=TOOL)
    linked = client.post(
        "/lti/course", base_url=TOOL, data={"class_id": "new", "csrf_token": csrf_token(page)}
    )
    assert linked.location == "/lti/deep-link"
    return client, client.get("/lti/deep-link", base_url=TOOL)


def pick(client, page, csrf_token, **fields):
    data = {"exercise_id": REPORT, "feedback_after": "submit", "counting": "latest"} | fields
    data = {f"assign-{k}": v for k, v in data.items()}  # the assign form's prefix
    return client.post(
        "/lti/deep-link", base_url=TOOL, data=data | {"assign-csrf_token": csrf_token(page)}
    )


def the_answer(page) -> tuple[str, str]:
    """The return address and the signed answer in the page that posts them to the platform."""
    action = re.search(r'<form method="post" action="([^"]+)" id="lti-return"', page.text)
    answer = re.search(r'name="JWT" value="([^"]+)"', page.text)
    return unescape(action.group(1)), answer.group(1)


def test_the_picker_offers_the_exercises_with_their_settings(app, platform, csrf_token):
    _, page = open_picker(app, platform, csrf_token)
    assert page.status_code == 200
    assert "Add an exercise to “Period 3 Media Literacy”" in page.text
    for words in ("Due date", "Feedback after", "Attempts allowed", "Add it to the course"):
        assert words in page.text
    assert f'value="{REPORT}"' in page.text


def test_picking_an_exercise_assigns_it_with_its_settings_and_answers_the_platform(
    app, platform, csrf_token
):
    client, page = open_picker(app, platform, csrf_token)
    answered = pick(client, page, csrf_token, due_date="2031-05-01", feedback_after="due")
    assert answered.status_code == 200
    with app.app_context():
        db = get_db()
        course = lti_store.course(db, platform.issuer, platform.course_id)
        (assignment,) = db.query(
            "select * from assignments where class_id = ?", [course["class_id"]]
        )
    assert assignment["exercise_id"] == REPORT
    assert assignment["feedback_after"] == "due" and assignment["due_at"].startswith("2031-05-01")
    return_url, answer = the_answer(answered)
    assert return_url == f"{platform.issuer}/deep-link-return"
    # the page may post to the platform, and to nowhere else
    csp = answered.headers["Content-Security-Policy"]
    assert f"form-action 'self' {platform.issuer}" in csp
    assert "js/lti-return" in answered.text and "<script>" not in answered.text
    # the platform checks the answer with the tool's key set and makes a link with a column
    (item,) = platform.receive_deep_link(answer)
    assert item["type"] == "ltiResourceLink" and item["url"] == f"{TOOL}/lti/launch"
    assert item["custom"] == {"assignment": str(assignment["id"])}
    assert item["lineItem"]["scoreMaximum"] == 100
    assert item["title"] == item["lineItem"]["label"]
    # a student following the platform's new link opens the assignment, and its column is kept
    student = app.test_client()
    opened = platform.launch(student, "ada", link=item["link"], custom=item["custom"])
    assert opened.location == f"/assignments/{assignment['id']}"
    with app.app_context():
        kept = lti_store.link(get_db(), platform.issuer, item["link"])
    assert kept["assignment_id"] == assignment["id"]
    assert kept["lineitem_url"] == platform.links[item["link"]]
    # and the teacher following it opens the assignment's review
    teacher = app.test_client()
    assert platform.launch(teacher, "teacher", link=item["link"]).location == (
        f"/teacher/assignments/{assignment['id']}/review"
    )


def test_a_refused_setting_shows_the_picker_again_and_assigns_nothing(app, platform, csrf_token):
    client, page = open_picker(app, platform, csrf_token)
    refused = pick(client, page, csrf_token, feedback_after="due")  # 'due' needs a due date
    assert refused.status_code == 200 and "Add it to the course" in refused.text
    with app.app_context():
        assert get_db().execute("select count(*) from assignments").fetchone()[0] == 0


def test_a_student_cannot_deep_link(app, platform, csrf_token):
    open_picker(app, platform, csrf_token)
    refused = platform.launch(app.test_client(), "ada", message=DEEP_LINK, link=None)
    assert refused.status_code == 403
    assert "Classroom has pages for teachers and students only" in refused.text


def test_the_picker_follows_a_deep_linking_launch_only(app, platform, csrf_token):
    client = app.test_client()
    platform.launch(client, "teacher")  # a plain launch
    assert client.get("/lti/deep-link", base_url=TOOL).status_code == 403
