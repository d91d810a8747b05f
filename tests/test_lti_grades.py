"""Grade passback to the test platform's gradebook (LTI Assignment and Grade Services): the
whole story from the platform's picker to the score in its gradebook, a teacher's change, a
platform that is down (the submission still lands; the score follows later), and feedback held
until the due date (so is the score)."""

from __future__ import annotations

import json
import re

from classroom.db import get_db
from classroom.exercises import library
from classroom.lti import grades
from classroom.store import lti as lti_store

TOOL = "https://localhost"
REPORT = "la-detainers-report-1"


def csrf(page) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def course_with_an_assignment(app, platform, **settings):
    """The teacher links the course and adds report 1 from the platform's picker; the platform
    makes the link and its gradebook column. The teacher's client, the assignment id, the link."""
    teacher = app.test_client()
    platform.launch(teacher, "teacher", message="LtiDeepLinkingRequest", link=None)
    page = teacher.get("/lti/course", base_url=TOOL)
    teacher.post("/lti/course", base_url=TOOL, data={"class_id": "new", "csrf_token": csrf(page)})
    page = teacher.get("/lti/deep-link", base_url=TOOL)
    fields = {"exercise_id": REPORT, "feedback_after": "submit", "counting": "latest"} | settings
    answered = teacher.post(
        "/lti/deep-link",
        base_url=TOOL,
        data={f"assign-{k}": v for k, v in fields.items()} | {"assign-csrf_token": csrf(page)},
    )
    jwt_value = re.search(r'name="JWT" value="([^"]+)"', answered.text).group(1)
    (item,) = platform.receive_deep_link(jwt_value)
    return teacher, int(item["custom"]["assignment"]), item


def submit(client, assignment_id: int, quotes=("slammed",)):
    """The student submits highlights of these words of report 1; the response, closed (as a
    server closes it once it is sent: what runs after the response runs then)."""
    with client.application.app_context():
        article = library().exercises[REPORT].articles[0]
    highlights = [
        {"article": article.id, "category": "loaded_language", "note": "", "quote": q}
        | {"start": (s := article.text.index(q)), "end": s + len(q)}
        for q in quotes
    ]
    page = client.get(f"/assignments/{assignment_id}", base_url=TOOL)
    with client.post(
        f"/assignments/{assignment_id}/submit",
        base_url=TOOL,
        data={"highlights": json.dumps(highlights), "csrf_token": csrf(page)},
    ) as response:
        assert response.status_code == 302, response.text
        return response


def gradebook_row(app, assignment_id: int):
    with app.app_context():
        return next(
            get_db().query("select * from lti_grades where assignment_id = ?", [assignment_id]),
            None,
        )


def test_a_students_score_arrives_in_the_platforms_gradebook_and_so_does_the_teachers_change(
    app, platform
):
    teacher, assignment_id, item = course_with_an_assignment(app, platform)
    student = app.test_client()
    opened = platform.launch(student, "ada", link=item["link"], custom=item["custom"])
    assert opened.location == f"/assignments/{assignment_id}"
    submitted = submit(student, assignment_id)
    attempt_id = int(submitted.location.rsplit("/", 1)[1])
    (score,) = platform.grade_of("ada")
    assert score["lineitem"] == platform.links[item["link"]]
    assert score["scoreMaximum"] == 100 and 0 < score["scoreGiven"] < 100
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    # the teacher sees it was sent
    queue = teacher.get(f"/teacher/assignments/{assignment_id}/review", base_url=TOOL)
    assert "In Test Platform's gradebook" in queue.text
    assert f"Sent: {round(score['scoreGiven'])}%" in queue.text
    # the teacher's own score replaces it there
    review = teacher.get(f"/teacher/attempts/{attempt_id}/review", base_url=TOOL)
    with teacher.post(
        f"/teacher/attempts/{attempt_id}/score",
        base_url=TOOL,
        data={"score-percent": "55", "score-csrf_token": csrf(review)},
    ) as changed:
        assert changed.status_code == 302
    assert [s["scoreGiven"] for s in platform.grade_of("ada")] == [score["scoreGiven"], 55.0]
    assert platform.grade_of("ada")[1]["timestamp"] >= score["timestamp"]


def test_a_platform_that_is_down_gets_the_score_later_and_the_teacher_sees_why(
    app, platform, runner
):
    teacher, assignment_id, item = course_with_an_assignment(app, platform)
    student = app.test_client()
    platform.launch(student, "ada", link=item["link"], custom=item["custom"])
    platform.down = True
    submitted = submit(student, assignment_id)  # the submission lands all the same
    assert submitted.location.startswith("/attempts/")
    assert platform.grade_of("ada") == []
    row = gradebook_row(app, assignment_id)
    assert row["tries"] == 1 and "503" in row["last_error"] and row["sent"] < row["wanted"]
    queue = teacher.get(f"/teacher/assignments/{assignment_id}/review", base_url=TOOL)
    assert "Not sent yet" in queue.text and "the platform answered 503" in queue.text
    # not due again yet: the command leaves it for its next try
    assert "Sent 0" in runner.invoke(args=["lti", "send-grades"]).output
    platform.down = False
    with app.app_context():  # time passes: the next try is due
        get_db().execute("update lti_grades set next_try_at = '2000-01-01T00:00:00+00:00'")
    result = runner.invoke(args=["lti", "send-grades"])
    assert result.exit_code == 0 and "Sent 1" in result.output
    assert len(platform.grade_of("ada")) == 1
    row = gradebook_row(app, assignment_id)
    assert row["sent"] == row["wanted"] and row["tries"] == 0 and row["last_error"] is None
    queue = teacher.get(f"/teacher/assignments/{assignment_id}/review", base_url=TOOL)
    assert "Sent: " in queue.text and "Not sent yet" not in queue.text


def test_failures_wait_longer_each_time(app, platform):
    _, assignment_id, item = course_with_an_assignment(app, platform)
    student = app.test_client()
    platform.launch(student, "ada", link=item["link"], custom=item["custom"])
    platform.down = True
    submit(student, assignment_id)
    waits = []
    for _ in range(3):
        with app.app_context():
            db = get_db()
            db.execute("update lti_grades set next_try_at = '2000-01-01T00:00:00+00:00'")
            assert grades.send_due(db)["failed"] == 1
            waits.append(gradebook_row(app, assignment_id)["next_try_at"])
    assert waits == sorted(waits) and len(set(waits)) == 3


def test_a_score_held_until_the_due_date_goes_to_the_platform_after_it(app, platform, runner):
    _, assignment_id, item = course_with_an_assignment(
        app, platform, feedback_after="due", due_date="2099-01-01"
    )
    student = app.test_client()
    platform.launch(student, "ada", link=item["link"], custom=item["custom"])
    submit(student, assignment_id)
    assert platform.grade_of("ada") == [], "the platform would show the score to the student"
    assert gradebook_row(app, assignment_id)["next_try_at"].startswith("2099-01-01")
    with app.app_context():  # the due date passes
        db = get_db()
        db.execute("update assignments set due_at = '2001-01-01T00:00:00+00:00'")
        db.execute("update lti_grades set next_try_at = '2001-01-01T00:00:00+00:00'")
    assert "Sent 1" in runner.invoke(args=["lti", "send-grades"]).output
    assert len(platform.grade_of("ada")) == 1


def test_a_student_who_joined_with_a_code_has_nothing_sent(app, platform, school, client_of):
    with app.app_context():
        rows = get_db().execute("select count(*) from lti_grades").fetchone()[0]
    student = client_of(app, school["students"][0])
    submit(student, school["assignments"][REPORT])
    with app.app_context():
        assert get_db().execute("select count(*) from lti_grades").fetchone()[0] == rows
    assert platform.scores == []


def test_a_service_token_serves_until_it_expires_and_is_never_logged(app, platform, caplog):
    """One token per platform and scopes while it lasts (a class's submissions do not each ask
    for one); a token the platform stops taking is dropped and a new one asked for on the
    next try; no token reaches the log, even when a send fails."""
    caplog.set_level("DEBUG")
    teacher, assignment_id, item = course_with_an_assignment(app, platform)
    for who in ("ada", "ben"):
        if who not in platform.people:
            platform.add(who, "Ben Okafor", platform.learner)
        student = app.test_client()
        platform.launch(student, who, link=item["link"], custom=item["custom"])
        submit(student, assignment_id)
    assert len(platform.scores) == 2 and platform.tokens_issued == 1
    platform.revoked.add("token-1")  # the platform ends it early
    student = app.test_client()
    platform.launch(student, "ada", link=item["link"], custom=item["custom"])
    submit(student, assignment_id, quotes=("slammed", "so-called"))
    row = gradebook_row_of(app, assignment_id, "ada", platform)
    assert "401" in row["last_error"] and row["sent"] < row["wanted"]
    with app.app_context():  # the next try
        db = get_db()
        db.execute("update lti_grades set next_try_at = '2000-01-01T00:00:00+00:00'")
        assert grades.send_due(db)["sent"] == 1
    assert platform.tokens_issued == 2 and len(platform.scores) == 3
    assert "token-1" not in caplog.text and "token-2" not in caplog.text
    assert "Bearer" not in caplog.text


def gradebook_row_of(app, assignment_id: int, who: str, platform):
    with app.app_context():
        db = get_db()
        user_id = lti_store.account(db, platform.issuer, platform.people[who].sub)
        return next(
            db.query(
                "select * from lti_grades where assignment_id = ? and student_id = ?",
                [assignment_id, user_id],
            )
        )


def test_service_tokens_are_kept_apart_per_platform_and_scope(app, platform):
    from classroom.lti import services

    with app.app_context():
        (row,) = lti_store.platforms(get_db())
        kept: dict = {}
        one = services.Connector(services.registration(row), None, kept)
        other = services.Connector(
            services.registration(row | {"client_id": "another-client"}), None, kept
        )
        one._cache_access_token("scope-a", "token-of-one", 3600)
        assert one._get_cached_access_token("scope-a") == "token-of-one"
        assert other._get_cached_access_token("scope-a") is None
        assert one._get_cached_access_token("scope-b") is None
        one._cache_access_token("scope-c", "short", 30)  # gone within the minute: not kept
        assert one._get_cached_access_token("scope-c") is None


def change_settings(teacher, assignment_id: int, **fields) -> None:
    """The teacher saves the assignment's settings page with these fields changed (the
    response closed, as a server closes it: what runs after it runs then)."""
    page = teacher.get(f"/teacher/assignments/{assignment_id}/settings", base_url=TOOL)
    with teacher.post(
        f"/teacher/assignments/{assignment_id}/settings",
        base_url=TOOL,
        data=fields | {"csrf_token": csrf(page)},
    ) as saved:
        assert saved.status_code == 302, saved.text


def test_changing_which_attempt_counts_sends_the_score_that_counts_now(app, platform):
    teacher, assignment_id, item = course_with_an_assignment(app, platform, counting="latest")
    student = app.test_client()
    platform.launch(student, "ada", link=item["link"], custom=item["custom"])
    submit(student, assignment_id, quotes=("slammed", "so-called"))
    submit(student, assignment_id, quotes=("slammed",))
    first, latest = [s["scoreGiven"] for s in platform.grade_of("ada")]
    assert first != latest
    change_settings(teacher, assignment_id, feedback_after="submit", counting="first")
    assert [s["scoreGiven"] for s in platform.grade_of("ada")] == [first, latest, first]
    # a change that changes nothing the gradebook shows sends nothing
    change_settings(teacher, assignment_id, feedback_after="submit", counting="first")
    change_settings(
        teacher, assignment_id, feedback_after="submit", counting="first", attempts_allowed="9"
    )
    assert len(platform.grade_of("ada")) == 3


def test_a_due_date_moved_sends_the_held_score_or_takes_it_back_until_then(app, platform):
    teacher, assignment_id, item = course_with_an_assignment(
        app, platform, feedback_after="due", due_date="2099-01-01"
    )
    student = app.test_client()
    platform.launch(student, "ada", link=item["link"], custom=item["custom"])
    submit(student, assignment_id)
    assert platform.grade_of("ada") == []  # held until 2099
    # the teacher brings the due date back to the past: the score is shown, so it is sent
    settings = {"feedback_after": "due", "counting": "latest"}
    change_settings(teacher, assignment_id, due_date="2001-01-01", **settings)
    (shown,) = platform.grade_of("ada")
    assert shown["gradingProgress"] == "FullyGraded" and shown["scoreGiven"] > 0
    # and moves it on again: the student no longer sees the score, nor should the platform
    change_settings(teacher, assignment_id, due_date="2098-06-01", **settings)
    hidden = platform.grade_of("ada")[-1]
    assert hidden["gradingProgress"] == "Pending" and "scoreGiven" not in hidden
    row = gradebook_row(app, assignment_id)
    assert row["next_try_at"].startswith("2098-06-0") and row["sent"] < row["wanted"]
    with app.app_context():  # the due date passes: the score goes again
        db = get_db()
        db.execute("update assignments set due_at = '2001-01-01T00:00:00+00:00'")
        db.execute("update lti_grades set next_try_at = '2001-01-01T00:00:00+00:00'")
        assert grades.send_due(db)["sent"] == 1
    assert platform.grade_of("ada")[-1]["scoreGiven"] == shown["scoreGiven"]
