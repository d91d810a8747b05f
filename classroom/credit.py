"""Crediting highlights the answer key missed: check one may be credited, re-grade, record it.

The score is worked out again from the exercise version the attempt was made on (its stored
snapshot), so later edits to the exercise change nothing; the decision is appended as a
review event (store/reviews.py).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from .content.tasks import TASK_TYPES, Task
from .grading import total
from .store import attempts, reviews


def extra_ids(attempt: dict[str, Any]) -> set[int]:
    """Ids of the attempt's highlights that touch no answer-key item: those a teacher may credit."""
    highlights = attempt["highlights"]
    return {highlights[i]["id"] for i in attempt["result"]["extras"]}


def regrade(attempt: dict[str, Any], credited: set[int]) -> float | None:
    """The attempt's score with every credited highlight counted as an answer-key item.

    Uses the exercise version the attempt was made on, so later edits change nothing; each
    task re-grades itself from its snapshot, and the tasks are weighted as in work.grade_work.
    """
    exercise, result, highlights = attempt["snapshot"], attempt["result"], attempt["highlights"]
    extra_key = [h for h in highlights if h["id"] in credited]
    scores = []
    for task in exercise["tasks"]:
        if not task.get("graded", True):
            continue
        # a type since removed keeps the score it was given
        kind = TASK_TYPES.get(task["type"], Task)
        stored = result["tasks"].get(task["id"], {})
        scores.append((task["points"], kind.regrade(task, stored, highlights, extra_key)))
    return total(scores)


# --- recording decisions ----------------------------------------------------------------------


def credit(db: Database, attempt_id: int, highlight_id: int, teacher_id: int) -> bool:
    """Count an extra highlight as correct and re-grade; False if it was already credited."""
    return _change_credit(db, attempt_id, highlight_id, teacher_id, credit=True)


def uncredit(db: Database, attempt_id: int, highlight_id: int, teacher_id: int) -> bool:
    """Stop counting a credited highlight and re-grade; False if it was not credited."""
    return _change_credit(db, attempt_id, highlight_id, teacher_id, credit=False)


def _change_credit(
    db: Database, attempt_id: int, highlight_id: int, teacher_id: int, credit: bool
) -> bool:
    """Record a credit or uncredit with the score it leads to, in one transaction."""
    with db.atomic():
        reviews.lock_attempt(db, attempt_id)
        attempt = attempts.get_attempt(db, attempt_id)
        if highlight_id not in {h["id"] for h in attempt["highlights"]}:
            raise reviews.ReviewError("This attempt has no such highlight.")
        if highlight_id not in extra_ids(attempt):
            raise reviews.ReviewError(
                "Only highlights that are not in the answer key can be credited."
            )
        credited = reviews.credited_ids(db, attempt_id)
        if (highlight_id in credited) == credit:
            return False
        credited = credited | {highlight_id} if credit else credited - {highlight_id}
        after = regrade(attempt, credited)
        reviews.record(
            db,
            attempt_id,
            teacher_id,
            "credit" if credit else "uncredit",
            highlight_id=highlight_id,
            old=reviews.score_text(attempt["score"]),
            new=reviews.score_text(after),
            score_after=after,
        )
    return True
