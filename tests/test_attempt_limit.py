"""The attempts a teacher allows: counted down on the exercise page, enforced on submit (the
store's write lock makes it race-safe, tests/test_practice_store.py), the draft always kept."""

from __future__ import annotations

import re

import pytest

from classroom.db import get_db
from classroom.store import practice

REPORT_1 = "la-detainers-report-1"


@pytest.fixture
def ada(app, school, client_of):
    """Ada's client and her assignment at report 1, which allows two attempts."""
    aid = school["assignments"][REPORT_1]
    with app.app_context():
        practice.set_practice(get_db(), aid, 2, "best")
    return client_of(app, school["students"][0]), aid


def send(client, aid, answer="", token="page"):
    form = {"highlights": "[]", "answer-reflect": answer, "submission": token}
    return client.post(f"/assignments/{aid}/submit", data=form)


def exercise_page(client, aid) -> str:
    response = client.get(f"/assignments/{aid}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def count_attempts(app, aid) -> int:
    with app.app_context():
        return (
            get_db()
            .execute("select count(*) from attempts where assignment_id = ?", [aid])
            .fetchone()[0]
        )


def test_the_exercise_page_counts_the_attempts_down(app, ada):
    client, aid = ada
    assert "You have 2 of 2 attempts left." in exercise_page(client, aid)
    send(client, aid, "one", "a")
    assert "You have 1 of 2 attempts left: this is your last." in exercise_page(client, aid)
    send(client, aid, "two", "b")
    page = exercise_page(client, aid)
    assert "No attempts left." in page
    assert "You have made all 2 attempts your teacher allows" in page
    button = re.search(r"<button type=\"submit\"[^>]*>Submit my answers", page).group(0)
    assert "disabled" in button


def test_without_a_limit_the_page_does_not_count(client_of, app, school):
    client = client_of(app, school["students"][0])
    page = exercise_page(client, school["assignments"][REPORT_1])
    assert "attempts left" not in page and 'id="attempts-left"' not in page


def test_a_submission_past_the_limit_is_refused_and_its_work_kept_as_the_draft(app, ada):
    client, aid = ada
    send(client, aid, "one", "a")
    send(client, aid, "two", "b")
    refused = send(client, aid, "my third thoughts, never autosaved", "c")
    assert refused.status_code == 403
    message = refused.get_data(as_text=True)
    assert "You have made all 2 attempts your teacher allows at this assignment" in message
    assert "Your work is kept as your draft" in message
    assert count_attempts(app, aid) == 2
    draft = client.get(f"/api/assignments/{aid}/draft").json
    assert draft["work"]["answers"]["reflect"] == "my third thoughts, never autosaved"
    assert "my third thoughts, never autosaved" in exercise_page(client, aid)


def test_the_last_attempt_sent_twice_is_that_attempt_not_a_refusal(app, ada):
    client, aid = ada
    send(client, aid, "one", "a")
    last = send(client, aid, "two", "b")
    again = send(client, aid, "two", "b")  # a double click on the last attempt
    assert again.status_code == 302 and again.location == last.location
    assert count_attempts(app, aid) == 2


def test_a_teacher_who_lowers_the_limit_or_lifts_it_is_followed(app, ada, school):
    client, aid = ada
    send(client, aid, "one", "a")
    with app.app_context():
        practice.set_practice(get_db(), aid, 1, "best")
    assert "No attempts left." in exercise_page(client, aid)
    assert send(client, aid, "two", "b").status_code == 403
    with app.app_context():
        practice.set_practice(get_db(), aid, None, "best")
    assert "attempts left" not in exercise_page(client, aid)
    assert send(client, aid, "two", "b").status_code == 302
