"""A submission is recorded once however often it is sent, and never swallows new work."""

from __future__ import annotations

import re

import pytest

from classroom.db import get_db

REPORT_1 = "la-detainers-report-1"


@pytest.fixture
def ada(app, school, client_of):
    return client_of(app, school["students"][0]), school["assignments"][REPORT_1]


def send(client, assignment, answer, token):
    form = {"highlights": "[]", "answer-reflect": answer}
    if token is not None:
        form["submission"] = token
    return client.post(f"/assignments/{assignment}/submit", data=form)


def attempts(app) -> list[str]:
    with app.app_context():
        return [
            r["answer"]
            for r in get_db().query(
                "select a.answer from attempts t join attempt_answers a "
                "on a.attempt_id = t.id and a.task_id = 'reflect' order by t.id"
            )
        ]


def test_the_same_page_sent_twice_is_one_attempt_and_both_see_it(app, ada):
    client, assignment = ada
    first = send(client, assignment, "my answer", "token-a")
    again = send(client, assignment, "my answer", "token-a")
    assert first.status_code == again.status_code == 302
    assert first.location == again.location
    assert attempts(app) == ['"my answer"']


def test_changed_work_sent_from_the_same_page_is_a_new_attempt(app, ada):
    """Back to the page after submitting, an edit, submit again: that work must be kept."""
    client, assignment = ada
    send(client, assignment, "first thoughts", "token-a")
    send(client, assignment, "second thoughts", "token-a")
    assert attempts(app) == ['"first thoughts"', '"second thoughts"']


def test_a_new_page_is_a_new_attempt_even_with_the_same_work(app, ada):
    client, assignment = ada
    send(client, assignment, "same", "token-a")
    send(client, assignment, "same", "token-b")
    send(client, assignment, "same", None)  # a form from before tokens, or without one
    assert len(attempts(app)) == 3


def test_the_exercise_page_gives_each_visit_its_own_token(app, ada):
    client, assignment = ada
    pages = [client.get(f"/assignments/{assignment}").get_data(as_text=True) for _ in range(2)]
    tokens = [re.search(r'name="submission" value="([\w-]+)"', p).group(1) for p in pages]
    assert len(set(tokens)) == 2 and all(len(t) >= 20 for t in tokens)
