"""What a teacher chooses per assignment: the feedback mode, how many attempts, which one counts;
on the assign form and the settings page alike, with what each choice means."""

from __future__ import annotations

import re

import pytest

from classroom.db import get_db

REPORT_1 = "la-detainers-report-1"
RANGE = "Attempts allowed is a whole number from 1 to 100, or blank for no limit."


@pytest.fixture
def teacher(app, school, client_of):
    return client_of(app, school["teacher"])


def stored(app, assignment_id: int) -> dict:
    with app.app_context():
        return next(
            get_db().query(
                "select feedback_after, attempts_allowed, counting, due_at from assignments "
                "where id = ?",
                [assignment_id],
            )
        )


def settings_url(assignment_id: int) -> str:
    return f"/teacher/assignments/{assignment_id}/settings"


def test_the_settings_page_explains_every_choice(teacher, school):
    page = teacher.get(settings_url(school["assignments"][REPORT_1])).get_data(as_text=True)
    assert "<legend>Feedback after each attempt</legend>" in page
    assert "<legend>The attempt that counts in the gradebook</legend>" in page
    for label in (
        "Guided practice: hints first, the answers when the student asks",
        "The answers at once, after each submission",
        "Everything after the due date",
        "The best attempt made before seeing the answers",
        "The best attempt",
        "The latest attempt",
        "The first attempt",
    ):
        assert f">{label}</label>" in page
    assert "the step, the kind of problem and the paragraph to look in" in page
    assert "Retries after looking at the answers do not raise the grade" in page
    assert re.search(r'<input[^>]*aria-describedby="attempts_allowed-help"', page)
    assert "Leave blank for no limit" in page
    # an existing assignment keeps what it meant: answers at once, the latest counts
    assert re.search(r'<input[^>]*checked[^>]*value="submit"|value="submit"[^>]*checked', page)
    assert re.search(r'value="latest"[^>]*checked|checked[^>]*value="latest"', page)


def test_settings_are_saved_and_shown_on_the_class_page(teacher, app, school):
    aid = school["assignments"][REPORT_1]
    response = teacher.post(
        settings_url(aid),
        data={"feedback_after": "guided", "attempts_allowed": "3", "counting": "best"},
    )
    assert response.status_code == 302
    assert stored(app, aid) == {
        "feedback_after": "guided",
        "attempts_allowed": 3,
        "counting": "best",
        "due_at": None,
    }
    page = teacher.get(f"/teacher/classes/{school['class']['id']}").get_data(as_text=True)
    assert "guided practice · 3 attempts · best counts" in page
    teacher.post(settings_url(aid), data={"attempts_allowed": " ", "counting": "first"})
    assert stored(app, aid)["attempts_allowed"] is None  # blank: no limit
    page = teacher.get(f"/teacher/classes/{school['class']['id']}").get_data(as_text=True)
    assert "guided practice · no attempt limit · first counts" in page


def test_a_field_left_out_keeps_its_value(teacher, app, school):
    aid = school["assignments"][REPORT_1]
    teacher.post(settings_url(aid), data={"attempts_allowed": "2", "counting": "first"})
    teacher.post(settings_url(aid), data={"feedback_after": "guided"})
    assert stored(app, aid) == {
        "feedback_after": "guided",
        "attempts_allowed": 2,
        "counting": "first",
        "due_at": None,
    }


@pytest.mark.parametrize(
    "form, message",
    [
        ({"attempts_allowed": "0"}, RANGE),
        ({"attempts_allowed": "101"}, RANGE),
        ({"attempts_allowed": "three"}, RANGE),
        ({"attempts_allowed": "2.5"}, RANGE),
        ({"attempts_allowed": "9" * 40}, RANGE),
        ({"counting": "average"}, "Not a valid choice"),
        ({"feedback_after": "never"}, "Not a valid choice"),
        ({"feedback_after": "due"}, "Set a due date"),
    ],
)
def test_a_refused_setting_is_400_with_a_message_and_nothing_changes(
    teacher, app, school, form, message
):
    aid = school["assignments"][REPORT_1]
    before = stored(app, aid)
    response = teacher.post(settings_url(aid), data={"feedback_after": "guided", **form})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "Nothing was saved" in page
    assert stored(app, aid) == before


def test_a_new_assignment_is_guided_and_counts_the_best_before_the_answers(teacher, app, school):
    with app.app_context():
        get_db().execute("delete from assignments where exercise_id = ?", [REPORT_1])
    page = teacher.get(f"/teacher/classes/{school['class']['id']}").get_data(as_text=True)
    form = page[page.index("Assign an exercise") :]
    assert re.search(r'value="guided"[^>]*checked|checked[^>]*value="guided"', form)
    assert "The attempt that counts in the gradebook" in form
    response = teacher.post(
        f"/teacher/classes/{school['class']['id']}/assignments",
        data={"assign-exercise_id": REPORT_1},
    )
    assert response.status_code == 302
    with app.app_context():
        row = next(
            get_db().query(
                "select feedback_after, attempts_allowed, counting from assignments "
                "where exercise_id = ? and class_id = ?",
                [REPORT_1, school["class"]["id"]],
            )
        )
    assert row == {
        "feedback_after": "guided",
        "attempts_allowed": None,
        "counting": "best_before_answers",
    }


def test_assigning_with_a_limit_and_a_rule(teacher, app, school):
    with app.app_context():
        get_db().execute("delete from assignments where exercise_id = ?", [REPORT_1])
    response = teacher.post(
        f"/teacher/classes/{school['class']['id']}/assignments",
        data={
            "assign-exercise_id": REPORT_1,
            "assign-feedback_after": "submit",
            "assign-attempts_allowed": "1",
            "assign-counting": "first",
        },
    )
    assert response.status_code == 302
    page = teacher.get(f"/teacher/classes/{school['class']['id']}").get_data(as_text=True)
    assert "answers at once · 1 attempt · first counts" in page
    refused = teacher.post(
        f"/teacher/classes/{school['class']['id']}/assignments",
        data={"assign-exercise_id": "la-detainers-report-2", "assign-attempts_allowed": "-1"},
    )
    assert refused.status_code == 400 and RANGE in refused.get_data(as_text=True)


def test_settings_need_the_csrf_token(csrf_app, make_class, client_of, csrf_token):
    school = make_class(csrf_app, ["ada"], assign=[REPORT_1])
    aid = school["assignments"][REPORT_1]
    teacher = client_of(csrf_app, school["teacher"])
    form = {"feedback_after": "guided", "attempts_allowed": "2", "counting": "best"}
    assert teacher.post(settings_url(aid), data=form).status_code == 400
    assert stored(csrf_app, aid)["attempts_allowed"] is None
    token = csrf_token(teacher.get(settings_url(aid)))
    assert teacher.post(settings_url(aid), data={**form, "csrf_token": token}).status_code == 302
    assert stored(csrf_app, aid)["attempts_allowed"] == 2
