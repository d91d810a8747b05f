"""Feedback held until the due date: no score, mark, key or comment of the assignment's attempts
reaches the student anywhere until the due date passes; the teacher sees everything (issue 13).

A score alone, shown for attempt after attempt, gives the key away one phrase at a time, so
each surface a student can reach is checked with the clock before the due date and after it.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import url_for
from markupsafe import escape

from classroom import clock
from classroom.db import get_db
from classroom.exercises import library
from classroom.feedback import capital, number

REPORT_1 = "la-detainers-report-1"
DUE = datetime.fromisoformat("2031-03-02T09:00:00+00:00")
DUE_SHOWN = "2 Mar 2031, 09:00 UTC"  # as the pages write it (the school's zone is UTC)
COMMENT = "Look again at who counted the requests."
WHY_SLAMMED = "makes a written statement sound like a blow"  # the key's explanation of a phrase

# What would tell a student how an attempt did. The student's pages hold no other percentage:
# the articles and the pages' own words have none.
SIGNS = {
    "a score": r"\d%",
    "a step's score": r"Step score",
    "a key item marked": r"Missed|Partly found|key-found|key-missed",
    "an option marked": r"Not correct",
    "the key": WHY_SLAMMED,
    "a model answer": r"A model answer",
    "the teacher's comment": COMMENT,
    "the summary": r"You found|still hiding|In short",
    "the list's filters": r"Missed or partly found|show=found",
}


def told(page: str) -> list[str]:
    """Which signs of how the attempts did a page (or a JSON body) shows."""
    return [sign for sign, pattern in SIGNS.items() if re.search(pattern, page)]


@pytest.fixture
def clock_at(monkeypatch):
    """clock_at(when): the app's clock reads this time from now on."""

    def clock_at(when: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: when)

    return clock_at


@pytest.fixture
def held(app, school, client_of, clock_at, highlight):
    """Ada's two attempts at report 1, whose teacher shows feedback after the due date: the
    first finds one key phrase and answers the quiz right, the latest is scored 87% by hand and
    commented on. The clock stands an hour before the due date; `passed()` moves it past."""
    aid = school["assignments"][REPORT_1]
    teacher = client_of(app, school["teacher"])
    student = client_of(app, school["students"][0])
    clock_at(DUE - timedelta(hours=1))
    response = teacher.post(
        f"/teacher/assignments/{aid}/settings",
        data={"due_date": "2031-03-02", "due_time": "09:00", "feedback_after": "due"},
    )
    assert response.status_code == 302
    with app.app_context():
        exercise = library().exercises[REPORT_1]
    found = [highlight(exercise, "slammed", "loaded_language")]
    first = student.post(
        f"/assignments/{aid}/submit",
        data={"highlights": json.dumps(found), "choice-quiz": "1"},
    ).location
    latest = student.post(f"/assignments/{aid}/submit", data={"highlights": "[]"}).location
    latest_id = int(latest.rsplit("/", 1)[1])
    teacher.post(f"/teacher/attempts/{latest_id}/score", data={"score-percent": "87"})
    teacher.post(f"/teacher/attempts/{latest_id}/comment", data={"comment-comment": COMMENT})
    return SimpleNamespace(
        assignment=aid,
        student=student,
        teacher=teacher,
        first=first,
        latest=latest,
        latest_id=latest_id,
        passed=lambda: clock_at(DUE + timedelta(minutes=1)),
    )


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_the_exercise_page_lists_earlier_attempts_without_scores_until_the_due_date(held):
    shown = page(held.student, f"/assignments/{held.assignment}")
    attempts = re.search(r"<h3>Earlier attempts</h3>(.*?)</ul>", shown, re.S).group(1)
    assert told(shown) == []
    assert attempts.count("submitted") == 2  # each attempt, with when it was submitted
    assert held.first in attempts and held.latest in attempts
    assert f"after the due date, {DUE_SHOWN}" in attempts
    held.passed()
    shown = page(held.student, f"/assignments/{held.assignment}")
    attempts = re.search(r"<h3>Earlier attempts</h3>(.*?)</ul>", shown, re.S).group(1)
    assert "87%" in attempts and len(re.findall(r"\d%", attempts)) == 2


@pytest.mark.parametrize("which", ["first", "latest"])
def test_the_feedback_page_shows_when_it_was_submitted_and_nothing_of_how_it_did(held, which):
    shown = page(held.student, getattr(held, which))
    assert told(shown) == []
    assert "Your answers were submitted" in shown and DUE_SHOWN in shown
    assert "All attempts" in shown  # listed, without their scores
    held.passed()
    shown = page(held.student, getattr(held, which))
    assert {"a score", "a step's score", "a key item marked", "the key", "the summary"} <= set(
        told(shown)
    )
    if which == "latest":
        assert "87%" in shown and COMMENT in shown
    else:
        assert "Not correct" in shown  # the quiz's options, marked


def test_the_dashboard_says_submitted_and_when_feedback_comes_not_the_score(held):
    shown = page(held.student, "/home")
    assert told(shown) == []
    assert f"feedback after the due date, {DUE_SHOWN}" in shown
    assert re.search(r"2 attempts, the last submitted \d+ \w+ \d{4}, \d\d:\d\d UTC", shown)
    held.passed()
    assert "latest score 87%" in page(held.student, "/home")


def test_the_api_carries_no_score_or_key(held):
    draft = held.student.get(f"/api/assignments/{held.assignment}/draft")
    saved = held.student.put(
        f"/api/assignments/{held.assignment}/draft",
        json={"highlights": [], "answers": {}, "revision": draft.json["revision"]},
    )
    for response in (draft, saved):
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert told(body) == [] and "score" not in body and "result" not in body


def student_gets(app, held, school) -> list[tuple[str, int, str]]:
    """Every GET route of the app, aimed at the held assignment, its attempt, the class and the
    student, as the student requests it: (url, status, body). Built from the URL map, so a new
    page or download is covered the day it is added."""
    values = {
        "assignment_id": held.assignment,
        "attempt_id": held.latest_id,
        "class_id": school["class"]["id"],
        "student_id": school["students"][0],
        "exercise_id": REPORT_1,
        "draft_id": 1,  # a studio draft: teachers only
        "index": 0,  # a step of it
        "token": "no-such-link",  # a Dynamic Registration link (LTI)
    }
    with app.test_request_context():
        urls = [
            url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in ("static", "asset")
        ]
    answers = []
    for url in urls:
        response = held.student.get(url)
        answers.append((url, response.status_code, response.get_data(as_text=True)))
    return answers


def test_no_page_download_or_json_a_student_can_get_tells_how_the_attempts_did(app, held, school):
    answers = student_gets(app, held, school)
    assert {url for url, _, body in answers if told(body)} == set()
    reached = {url for url, status, _ in answers if status == 200}
    assert {"/home", f"/assignments/{held.assignment}", held.latest} <= reached
    # the teacher's downloads are the only ones with scores, and they are not the student's
    refused = {url for url, status, _ in answers if status == 403}
    assert any(url.endswith(".csv") for url in refused)


def test_the_teacher_sees_everything_while_feedback_is_held(held):
    for url in (held.latest, f"/teacher/attempts/{held.latest_id}/review"):
        shown = page(held.teacher, url)
        assert "87%" in shown and COMMENT in shown and "Missed" in shown
    assert "Not correct" in page(held.teacher, held.first)


# --- guided practice: hints before answers (issue 15) -----------------------------------------


def key_texts(exercise, found_quotes=()) -> dict[str, str]:
    """What of the answer key a student in guided practice must not see, by what it is: each
    key item's explanation and how to check it (but those found), every option's feedback, the
    model answer and its key points."""
    texts = {}
    for item in exercise.key_items:
        if item.quote in found_quotes:
            continue
        texts[f"why {item.id}"] = item.why
        if item.check:
            texts[f"check {item.id}"] = item.check
    for task in exercise.tasks:
        for n, option in enumerate(getattr(task, "options", ())):
            if option.feedback:
                texts[f"feedback of {task.id} option {n + 1}"] = option.feedback
        if getattr(task, "model_answer", ""):
            texts[f"model answer of {task.id}"] = task.model_answer
            texts.update({f"key point of {task.id}": p for p in task.key_points})
    return texts


def problems_of(task) -> dict[str, list]:
    """A step's key as its problems: each group's items together (the first is the one the
    feedback list shows, with its why; its repeats are named by their words), every other item
    alone."""
    problems: dict[str, list] = {}
    for item in task.key:
        problems.setdefault(item.group or item.id, []).append(item)
    return problems


def key_shown(body: str, secrets: dict[str, str]) -> list[str]:
    """Which of the key's texts (as HTML escapes them, and as JSON) a page or body holds,
    and whether any missed item is marked in the text."""
    shown = [
        name
        for name, text in secrets.items()
        if escape(text) in body or json.dumps(text)[1:-1] in body
    ]
    shown += [sign for sign in ("key-missed", "key-partly", "A model answer") if sign in body]
    return shown


@pytest.fixture
def guided(app, school, client_of, highlight):
    """Ada's attempt at report 1 in guided practice with three attempts: she finds "slammed",
    answers the quiz wrong and writes a reflection."""
    aid = school["assignments"][REPORT_1]
    teacher = client_of(app, school["teacher"])
    student = client_of(app, school["students"][0])
    response = teacher.post(
        f"/teacher/assignments/{aid}/settings",
        data={"feedback_after": "guided", "attempts_allowed": "3", "counting": "latest"},
    )
    assert response.status_code == 302
    with app.app_context():
        exercise = library().exercises[REPORT_1]
    wrong = next(n for n, o in enumerate(exercise.task("quiz").options) if not o.correct)
    form = {
        "highlights": json.dumps([highlight(exercise, "slammed", "loaded_language")]),
        "choice-quiz": str(wrong),
        "answer-reflect": "I would ask who counted.",
    }
    latest = student.post(f"/assignments/{aid}/submit", data=form).location
    return SimpleNamespace(
        assignment=aid,
        student=student,
        teacher=teacher,
        form=form,
        latest=latest,
        latest_id=int(latest.rsplit("/", 1)[1]),
        secrets=key_texts(exercise, found_quotes={"slammed"}),
        exercise=exercise,
    )


def test_guided_feedback_shows_what_was_found_and_where_to_look_not_the_rest(guided):
    shown = page(guided.student, guided.latest)
    assert key_shown(shown, guided.secrets) == []
    assert WHY_SLAMMED in shown  # what she found, with why: that is fair
    # the shipped key has core items and groups: the summary counts the main problems (core),
    # a group once, and each step's hints every problem of the step still to find
    steps = [t for t in guided.exercise.tasks if t.key_items]
    core = [any(k.core for k in p) for t in steps for p in problems_of(t).values()]
    assert f"You found 1 of the {sum(core)} main problems." in shown  # "slammed" is core
    loaded = problems_of(guided.exercise.task("loaded-language")).values()
    still = capital(number(sum(any(k.core for k in p) for p in loaded) - 1))
    hiding = rf"<li>{still} loaded words or phrases are still hiding in (the headline and )?"
    assert re.search(hiding + r"paragraphs [\d, and to]+\.", shown)
    place = r"\d+ in (the headline|paragraph \d+)(, | and )?"
    hints = rf"<li>Loaded language: {number(len(loaded) - 1)} more to find \(({place})+\)\.</li>"
    assert re.search(hints, shown)
    assert "Unverified statistic" in shown and "Missing context" in shown
    assert "Your answer: <strong>" in shown and "Not right yet" in shown
    assert (
        "I would ask who counted." in shown and "You see the model answer with the answers" in shown
    )
    assert "Show me the answers" in shown and "Your teacher will see that you asked" in shown
    assert "You have 2 attempts left." in shown


def test_no_page_download_or_json_a_student_can_get_shows_the_key_in_guided_practice(
    app, guided, school
):
    answers = student_gets(app, guided, school) + [
        (
            "PUT draft",
            200,
            guided.student.put(
                f"/api/assignments/{guided.assignment}/draft",
                json={"highlights": [], "answers": {}, "revision": 1},
            ).get_data(as_text=True),
        )
    ]
    leaks = {url: key_shown(body, guided.secrets) for url, _, body in answers}
    assert {url: signs for url, signs in leaks.items() if signs} == {}
    reached = {url for url, status, _ in answers if status == 200}
    assert {"/home", f"/assignments/{guided.assignment}", guided.latest} <= reached


def test_asking_for_the_answers_shows_them_records_it_and_marks_the_next_attempt(app, guided):
    response = guided.student.post(f"/assignments/{guided.assignment}/answers")
    assert response.status_code == 302 and response.location == guided.latest
    shown = page(guided.student, guided.latest)
    assert set(key_shown(shown, guided.secrets)) >= {"A model answer", "key-missed"}
    repeats = {
        k.id
        for t in guided.exercise.tasks
        if t.key_items
        for p in problems_of(t).values()
        for k in p[1:]
    }  # a repeat is named by its words beside its group's first item, which has the why
    listed = [text for name, text in guided.secrets.items() if name.split()[-1] not in repeats]
    assert all(text in shown for text in listed[:5])
    with app.app_context():
        seen = list(get_db().query("select reason from answers_seen"))
    assert seen == [{"reason": "asked"}]
    again = guided.student.post(f"/assignments/{guided.assignment}/submit", data=guided.form)
    next_id = int(again.location.rsplit("/", 1)[1])
    mine = page(guided.student, again.location)
    assert "You asked for the answers" in mine and "Your teacher can see this" in mine
    assert "after seeing the answers</span>" in mine  # the new attempt, in the list
    review = page(guided.teacher, f"/teacher/attempts/{next_id}/review")
    assert "after seeing the answers" in review and "(asked for them)" in review
    guided.student.post(f"/assignments/{guided.assignment}/answers")  # asked twice: one row
    with app.app_context():
        assert get_db().execute("select count(*) from answers_seen").fetchone()[0] == 1


def test_the_answers_come_once_every_attempt_is_used_and_that_is_recorded(app, guided):
    for _ in range(2):
        last = guided.student.post(f"/assignments/{guided.assignment}/submit", data=guided.form)
    shown = page(guided.student, last.location)
    assert "A model answer" in shown and "key-missed" in shown
    assert "Show me the answers" not in shown
    with app.app_context():
        seen = list(get_db().query("select reason from answers_seen"))
    assert seen == [{"reason": "attempts_used"}]


def test_answers_asked_for_before_any_attempt_or_while_held_are_refused(app, school, client_of):
    aid = school["assignments"][REPORT_1]
    ben = client_of(app, school["students"][1])
    response = ben.post(f"/assignments/{aid}/answers")
    assert response.status_code == 400 and b"Submit an attempt first" in response.data
    teacher = client_of(app, school["teacher"])
    teacher.post(
        f"/teacher/assignments/{aid}/settings",
        data={"due_date": "2099-03-02", "due_time": "09:00", "feedback_after": "due"},
    )
    ben.post(f"/assignments/{aid}/submit", data={"highlights": "[]"})
    response = ben.post(f"/assignments/{aid}/answers")
    assert response.status_code == 403 and b"after the due date" in response.data
    with app.app_context():
        assert get_db().execute("select count(*) from answers_seen").fetchone()[0] == 0


def test_the_teacher_sees_everything_in_guided_practice(guided):
    shown = page(guided.teacher, guided.latest)
    assert "A model answer" in shown and "key-missed" in shown
    with guided.teacher.application.app_context():
        assert get_db().execute("select count(*) from answers_seen").fetchone()[0] == 0
