"""What of an assignment's attempts a reader may see: the one rule, for every page and JSON.

A teacher chooses per assignment (feedback_after):
- 'submit': everything at once, after each submission.
- 'due': feedback held until the due date. Until it passes, nothing that tells how an attempt
  did (its score, its step results and marks, the answer key, the teacher's comment) reaches
  the assignment's students: a score alone, shown for attempt after attempt, gives the key away
  one phrase at a time (issue 13).
- 'guided': guided practice. Until the student asks for the answers or has made every attempt
  allowed, they see what they found (with the key's words and explanation for those: they found
  them), and for each thing missed only the step, the kind of problem and the paragraph to look
  in; never a missed item's words or explanation, a model answer, or which option is right
  (issue 15). Then everything, as with 'submit'.
The teacher sees everything. Every view that shows a student their attempts asks here, and
hands its template only what the rule lets through (unscored rows, guided_feedback), so that
what is held back is not there to be shown by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from .clock import is_past
from .content.layout import paragraph_ranges
from .content.snapshot import key_items_of
from .content.tasks import TASK_TYPES, Task
from .marks import marked_articles

Shown = Literal["all", "guided", "held"]

# The fields of the store's rows that tell how an attempt did: an attempt's (score, auto_score,
# result), an attempts list's (score), and the student's assignments' (last_score).
SCORED = frozenset({"score", "auto_score", "result", "last_score"})
# The fields of an attempt that hold the answer key: its exercise and its graded result.
KEYED = frozenset({"snapshot", "result"})


def feedback_shown(row: Mapping[str, Any], role: str) -> Shown:
    """How much of an assignment's attempts a reader in this role may see: 'all', 'guided'
    (guided practice, before the answers) or 'held' (nothing of how they did).

    row is an attempt (store.attempts.get_attempt) or an assignment with feedback_after and
    due_at, and for guided practice attempts_allowed, attempts (how many the student made)
    and answers_seen (when they first saw the answers, or None).
    """
    if role != "student":
        return "all"
    if feedback_held(row, role):
        return "held"
    if row["feedback_after"] == "guided" and not answers_given(row):
        return "guided"
    return "all"


def feedback_held(assignment: Mapping[str, Any], role: str) -> bool:
    """Whether how this assignment's attempts did is kept from a reader in this role: from its
    students, when feedback comes after the due date, until the due date has passed.

    assignment is any row with the assignment's feedback_after and due_at (an attempt has them).
    """
    return (
        role == "student"
        and assignment["feedback_after"] == "due"
        and not is_past(assignment["due_at"])
    )


def answers_given(row: Mapping[str, Any]) -> bool:
    """Whether guided practice has given the student the answers: they asked for them, or they
    have made every attempt the assignment allows."""
    allowed = row["attempts_allowed"]
    return row["answers_seen"] is not None or (allowed is not None and row["attempts"] >= allowed)


def unscored(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row without the fields that tell how an attempt did: what a held page may show."""
    return {name: value for name, value in row.items() if name not in SCORED}


def guided_feedback(attempt: Mapping[str, Any]) -> dict[str, Any]:
    """What a student in guided practice sees of a graded attempt: its title, the categories
    and articles (with their own highlights and the key items they found marked), and each
    step as its task type lets it be seen (Task.guided); with the attempt's fields but its
    exercise and result, which hold the key."""
    exercise, result = attempt["snapshot"], attempt["result"]
    places = item_places(exercise)
    steps = []
    for number, task in enumerate(exercise["tasks"], start=1):
        kind = TASK_TYPES.get(task["type"], Task)  # a type since removed shows its words only
        outcome = result["tasks"].get(task["id"], {})
        seen = kind.guided(task, outcome, attempt["answers"].get(task["id"]), places)
        steps.append({**seen, "number": number, "template": task["template"]})
    found = [
        item
        for task in result["tasks"].values()
        for item in task.get("items", [])
        if item["status"] == "found"
    ]
    found_ids = {item["id"] for item in found}
    shown_key = {
        **exercise,
        "tasks": [{"key": [k for k in key_items_of(exercise) if k["id"] in found_ids]}],
    }
    return {
        "attempt": {name: value for name, value in attempt.items() if name not in KEYED},
        "title": exercise["title"],
        "categories": exercise["categories"],
        "articles": marked_articles(
            shown_key,
            attempt["highlights"],
            key=True,
            statuses=dict.fromkeys(found_ids, "found"),
            reader="student",
        ),
        "steps": steps,
        "found": len(found),
        "key_size": len(key_items_of(exercise)),
    }


def item_places(exercise: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Where each key item is, as a hint says it: the title of its article and the number of
    the paragraph it starts in, from 1."""
    ranges = {a["id"]: paragraph_ranges(a["text"]) for a in exercise["articles"]}
    titles = {a["id"]: a["title"] for a in exercise["articles"]}
    return {
        item["id"]: {
            "article": titles[item["article"]],
            "paragraph": next(
                (n for n, (_, end) in enumerate(ranges[item["article"]], 1) if item["start"] < end),
                len(ranges[item["article"]]),
            ),
        }
        for item in key_items_of(exercise)
    }
