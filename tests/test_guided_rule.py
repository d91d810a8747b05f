"""The rule of what a student sees (classroom/held.py) for every mode and state, and what each
task type lets through in guided practice, without the app."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from classroom import clock
from classroom.content.tasks import TASK_TYPES, Task
from classroom.held import answers_given, feedback_shown

NOW = datetime.fromisoformat("2031-03-02T09:00:00+00:00")
PAST, FUTURE = (NOW - timedelta(days=1)).isoformat(), (NOW + timedelta(days=1)).isoformat()


@pytest.fixture(autouse=True)
def clock_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def row(mode, due=None, allowed=None, made=1, seen=None):
    return {
        "feedback_after": mode,
        "due_at": due,
        "attempts_allowed": allowed,
        "attempts": made,
        "answers_seen": seen,
    }


@pytest.mark.parametrize(
    "assignment, student_sees",
    [
        (row("submit"), "all"),
        (row("due", FUTURE), "held"),
        (row("due", PAST), "all"),
        (row("guided"), "guided"),
        (row("guided", allowed=3, made=2), "guided"),
        (row("guided", allowed=3, made=3), "all"),  # every attempt used
        (row("guided", seen=PAST), "all"),  # asked for the answers
        (row("guided", FUTURE), "guided"),  # a due date does not hold guided practice
        (row("guided", PAST), "guided"),  # nor give the answers away once past
    ],
)
def test_what_a_student_sees_in_each_mode_and_state(assignment, student_sees):
    assert feedback_shown(assignment, "student") == student_sees
    assert feedback_shown(assignment, "teacher") == "all"


def test_the_answers_are_given_by_asking_or_by_the_last_attempt():
    assert not answers_given(row("guided"))
    assert not answers_given(row("guided", allowed=2, made=1))
    assert answers_given(row("guided", allowed=2, made=2))
    assert answers_given(row("guided", seen=PAST))


ARTICLE = "One two three.\n\nFour five six.\n\nSeven eight nine."


def item(n, start, end, category="loaded_language", article="a"):
    return {
        "id": f"k.{n}",
        "article": article,
        "start": start,
        "end": end,
        "quote": ARTICLE[start:end],
        "category": category,
        "explanation": f"why {n}",
        "check": f"check {n}",
    }


def test_a_highlight_step_shows_what_was_found_and_counts_the_rest_by_paragraph():
    key = [item(1, 0, 3), item(2, 4, 7), item(3, 16, 20), item(4, 32, 37, "unverified_statistic")]
    task = {"type": "highlight", "instruction": "Find.", "hint": "Look.", "key": key}
    task["article_ids"] = ["a"]
    statuses = ["found", "missed", "missed", "partly"]
    result = {
        "score": 0.4,
        "items": [{"id": k["id"], "status": s} for k, s in zip(key, statuses, strict=True)],
    }
    places = {"k.1": 1, "k.2": 1, "k.3": 2, "k.4": 3}
    places = {k: {"paragraph": n, "article": "A"} for k, n in places.items()}
    seen = TASK_TYPES["highlight"].guided(task, result, None, places)
    assert seen["found"] == [
        {
            "quote": "One",
            "category": "loaded_language",
            "explanation": "why 1",
            "check": "check 1",
            "article": "a",
        }
    ]
    assert seen["hints"] == [
        {
            "status": "missed",
            "category": "loaded_language",
            "article": None,
            "count": 2,
            "paragraphs": [(1, 1), (2, 1)],
        },
        {
            "status": "partly",
            "category": "unverified_statistic",
            "article": None,
            "count": 1,
            "paragraphs": [(3, 1)],
        },
    ]
    text = repr(seen)
    assert not any(word in text for word in ("two", "Four", "why 2", "check 3", "eight"))


@pytest.mark.parametrize(
    "chosen, score, verdict, feedback",
    [
        ([], 0.0, "unanswered", []),
        ([0], 0.0, "not yet", []),
        ([1], 1.0, "right", ["Yes: it counts requests."]),
        ([1, 2], 0.5, "partly", []),
    ],
)
def test_a_choice_step_says_whether_the_answer_is_right_never_which_is(
    chosen, score, verdict, feedback
):
    options = [
        {"text": "People", "correct": False, "feedback": "No: it never says people."},
        {"text": "Requests", "correct": True, "feedback": "Yes: it counts requests."},
        {"text": "Arrests", "correct": True, "feedback": "Partly: it does mention arrests."},
    ]
    task = {"type": "choice", "instruction": "What?", "hint": "", "options": options}
    result = {"score": score, "chosen": chosen}
    for kind in ("choice", "select_all"):
        seen = TASK_TYPES[kind].guided(task, result, chosen, {})
        assert seen["verdict"] == verdict and seen["feedback"] == feedback
        assert seen["chosen"] == [options[i]["text"] for i in chosen]
        assert "correct" not in repr(seen)


def test_a_short_answer_step_shows_the_students_answer_not_the_model():
    task = {"type": "short_answer", "instruction": "Why?", "hint": "", "model_answer": "Model."}
    task["key_points"] = ["A point."]
    seen = TASK_TYPES["short_answer"].guided(task, {"score": None}, "Mine.", {})
    assert seen == {"instruction": "Why?", "hint": "", "answer": "Mine."}


def test_a_type_that_says_nothing_shows_its_words_alone():
    task = {"type": "new", "instruction": "Do.", "hint": "Try.", "key": ["secret"]}
    assert Task.guided(task, {"score": 1, "secret": 1}, "x", {}) == {
        "instruction": "Do.",
        "hint": "Try.",
    }
