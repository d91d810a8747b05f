"""Guided practice: when a student saw an assignment's answers, and which attempt counts.

Seeing the answers is appended as a row (never changed): the first time a page showed them to
the student, or the moment the student asked for them. Each attempt records, as it is made,
whether such a row existed (attempts.after_answers): a retry after seeing the answers is not a
new achievement, and the teacher is told so.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from .connection import now, one
from .latest import counted_id

FEEDBACK_MODES = ("guided", "submit", "due")  # feedback_after: hints first, at once, after due
COUNTING_RULES = ("best_before_answers", "best", "latest", "first")
# Why the answers were shown: the student asked; their attempts were used up; they were shown
# by the assignment's mode (at once on submitting, or once the due date passed).
SEEN_REASONS = ("asked", "attempts_used", "shown")


def answers_seen(db: Database, assignment_id: int, student_id: int) -> dict[str, Any] | None:
    """When (at) and why (reason) the student first saw the assignment's answers, if they did."""
    return one(
        db,
        "select at, reason from answers_seen where assignment_id = ? and student_id = ? "
        "order by id limit 1",
        [assignment_id, student_id],
    )


def record_answers_seen(db: Database, assignment_id: int, student_id: int, reason: str) -> bool:
    """Append that the student saw the answers now, unless they had already; whether it did.

    In the write lock, so that two pages shown at once record it once.
    """
    if reason not in SEEN_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    with db.atomic():
        cursor = db.execute(
            """insert into answers_seen (assignment_id, student_id, at, reason)
               select :assignment, :student, :at, :reason
               where not exists (select 1 from answers_seen
                                 where assignment_id = :assignment and student_id = :student)""",
            {"assignment": assignment_id, "student": student_id, "at": now(), "reason": reason},
        )
    return cursor.rowcount == 1


def set_practice(
    db: Database, assignment_id: int, attempts_allowed: int | None, counting: str
) -> None:
    """Set how many attempts a student has (None: no limit) and which attempt counts."""
    if counting not in COUNTING_RULES:
        raise ValueError(f"unknown counting rule {counting!r}")
    db.execute(
        "update assignments set attempts_allowed = ?, counting = ? where id = ?",
        [attempts_allowed, counting, assignment_id],
    )


def counted_attempt(db: Database, assignment_id: int, student_id: int) -> int | None:
    """The id of the student's attempt that counts in the gradebook, under the assignment's
    rule (latest.counted_id); None before any."""
    row = one(
        db,
        f"""select {counted_id(":assignment", ":student", "a.counting")} as id
            from assignments a where a.id = :assignment""",
        {"assignment": assignment_id, "student": student_id},
    )
    return row["id"] if row else None
