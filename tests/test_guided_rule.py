"""The rule of what a student sees (classroom/held.py) for every mode and state, and what each
task type lets through in guided practice, without the app."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from classroom import clock
from classroom.content.tasks import TASK_TYPES, Task
from classroom.held import answers_given, feedback_shown, hints

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


def entry(n, status, category="loaded_language", paragraph=1, repeats=()):
    """A problem as feedback.step_results lists it: a key item with its status and place."""
    return {
        "id": f"k.{n}",
        "article": "a",
        "start": 0,
        "end": 3,
        "quote": f"words {n}",
        "category": category,
        "explanation": f"why {n}",
        "check": f"check {n}",
        "number": n,
        "article_index": 0,
        "paragraph": paragraph,
        "place": "the headline" if paragraph == 0 else f"paragraph {paragraph}",
        "status": status,
        "core": n == 1,
        "repeats": list(repeats),
    }


def test_a_highlight_step_shows_the_problems_found_and_only_where_the_rest_are():
    repeats = [entry(5, "found", paragraph=3), entry(6, "missed", paragraph=4)]
    repeats.append(entry(7, "missed", paragraph=0))
    found = entry(1, "found", repeats=repeats)
    entries = [found, entry(2, "missed"), entry(3, "missed", paragraph=2)]
    entries.append(entry(4, "partly", "unverified_statistic", paragraph=3))
    task = {"type": "highlight", "instruction": "Find.", "hint": "Look.", "article_ids": ["a"]}
    seen = TASK_TYPES["highlight"].guided(task, {"score": 0.4, "entries": entries}, None)
    assert seen["problems"] == 4
    assert seen["found"] == [
        {
            "id": "k.1",
            "status": "found",
            "category": "loaded_language",
            "core": True,
            "quote": "words 1",
            "paragraph": 1,
            "place": "paragraph 1",
            "article": "a",
            "explanation": "why 1",
            "check": "check 1",
            "repeats": [
                {"id": "k.5", "quote": "words 5", "paragraph": 3, "place": "paragraph 3"}
                | {"status": "found"}
            ],
            "elsewhere": ["paragraph 4", "the headline"],  # repeats not found: where, not words
        }
    ]
    place = {"category": "loaded_language", "core": False, "article_index": 0, "repeats": []}
    assert seen["to_find"] == [
        {**place, "status": "missed", "paragraph": 1},
        {**place, "status": "missed", "paragraph": 2},
        {**place, "status": "partly", "paragraph": 3, "category": "unverified_statistic"},
    ]
    text = repr(seen)
    assert not any(
        f"{what} {n}" in text for what in ("words", "why", "check") for n in (2, 3, 4, 6, 7)
    )


def test_the_hints_count_what_is_left_by_paragraph_and_article():
    categories = {
        "loaded_language": {"label": "Loaded language"},
        "unverified_statistic": {"label": "Unverified statistic"},
    }
    one = {"articles": [{"id": "a"}], "categories": categories}
    to_find = [
        {"status": "missed", "category": "loaded_language", "article_index": 0, "paragraph": p}
        for p in (0, 2, 2, 5)
    ] + [
        {"status": "partly", "category": "unverified_statistic", "article_index": 0, "paragraph": 3}
    ]
    assert hints(one, to_find) == [
        "Loaded language: four more to find (1 in the headline, 2 in paragraph 2 and 1 in "
        "paragraph 5).",
        "One you marked in the right place but as another kind: it is Unverified statistic "
        "(1 in paragraph 3).",
    ]
    two = {"articles": [{"id": "a"}, {"id": "b"}], "categories": categories}
    to_find = [
        {"status": "missed", "category": "loaded_language", "article_index": a, "paragraph": p}
        for a, p in ((0, 1), (1, 4))
    ]
    assert hints(two, to_find) == [
        "Loaded language: two more to find (1 in paragraph 1 of the first article; "
        "1 in paragraph 4 of the second article)."
    ]


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
        seen = TASK_TYPES[kind].guided(task, result, chosen)
        assert seen["verdict"] == verdict and seen["feedback"] == feedback
        assert seen["chosen"] == [options[i]["text"] for i in chosen]
        assert "correct" not in repr(seen)


def test_a_short_answer_step_shows_the_students_answer_not_the_model():
    task = {"type": "short_answer", "instruction": "Why?", "hint": "", "model_answer": "Model."}
    task["key_points"] = ["A point."]
    seen = TASK_TYPES["short_answer"].guided(task, {"score": None}, "Mine.")
    assert seen == {"instruction": "Why?", "hint": "", "answer": "Mine."}


def test_a_type_that_says_nothing_shows_its_words_alone():
    task = {"type": "new", "instruction": "Do.", "hint": "Try.", "key": ["secret"]}
    assert Task.guided(task, {"score": 1, "secret": 1}, "x") == {
        "instruction": "Do.",
        "hint": "Try.",
    }
