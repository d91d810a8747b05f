"""Scores waiting for a platform's gradebook (LTI Assignment and Grade Services), one row per
assignment and student: `wanted` moves on with every change to the score that counts (a
submission, a teacher's decision), `sent` is the `wanted` last sent, so the row is due while
sent < wanted. A send that fails counts a try, keeps the platform's words and waits longer
before the next (next_try_at); a sender claims a row by moving next_try_at on, so two servers
do not send one score twice at once. No Flask, no LTI library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from .connection import now, one
from .practice import counted_attempt

# How long to wait after each failed try before the next (then the last, again and again).
BACKOFF = (60, 5 * 60, 15 * 60, 60 * 60, 6 * 60 * 60)
LEASE = 120  # seconds a sender holds a row it claimed, in case it dies sending


def later(seconds: float) -> str:
    """A time that many seconds from now, as stored."""
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def want(db: Database, assignment_id: int, student_id: int) -> bool:
    """The student's score at the assignment changed: send it, if the assignment has a column
    in a platform's gradebook and the student came from that platform. Whether it will be."""
    stamp = now()
    cursor = db.execute(
        """insert into lti_grades
             (assignment_id, student_id, wanted, sent, changed_at, tries, next_try_at)
           select :assignment, :student, 1, 0, :now, 0, :now
           where exists (select 1 from lti_links l
                         join lti_accounts c on c.issuer = l.issuer and c.user_id = :student
                         where l.assignment_id = :assignment and l.lineitem_url is not null)
           on conflict (assignment_id, student_id) do update set
             wanted = lti_grades.wanted + 1, changed_at = excluded.changed_at, tries = 0,
             next_try_at = excluded.next_try_at, last_error = null""",
        {"assignment": assignment_id, "student": student_id, "now": stamp},
    )
    return cursor.rowcount == 1


def pair_of(db: Database, attempt_id: int) -> tuple[int, int] | None:
    """The assignment and student of an attempt."""
    row = one(db, "select assignment_id, student_id from attempts where id = ?", [attempt_id])
    return (row["assignment_id"], row["student_id"]) if row else None


def due(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    """Rows due to be sent now, those waiting longest first."""
    return list(
        db.query(
            """select assignment_id, student_id from lti_grades
               where sent < wanted and next_try_at <= ? order by next_try_at limit ?""",
            [now(), limit],
        )
    )


def claim(db: Database, assignment_id: int, student_id: int) -> dict[str, Any] | None:
    """Take the row to send it (for LEASE seconds), if it is due and nobody else has it; the
    row as it was claimed."""
    stamp = now()
    cursor = db.execute(
        """update lti_grades set next_try_at = :lease
           where assignment_id = :assignment and student_id = :student
             and sent < wanted and next_try_at <= :now""",
        {"assignment": assignment_id, "student": student_id, "now": stamp, "lease": later(LEASE)},
    )
    if cursor.rowcount != 1:
        return None
    return one(
        db,
        "select * from lti_grades where assignment_id = ? and student_id = ?",
        [assignment_id, student_id],
    )


def counted_score(db: Database, assignment_id: int, student_id: int) -> tuple[bool, float | None]:
    """Whether the student has an attempt that counts, and its score (the teacher's if set)."""
    attempt_id = counted_attempt(db, assignment_id, student_id)
    if attempt_id is None:
        return False, None
    row = one(db, "select score from attempt_scores where attempt_id = ?", [attempt_id])
    return True, row["score"] if row else None


def feedback_rule(db: Database, assignment_id: int) -> dict[str, Any]:
    """When the assignment's students see how they did (its feedback_after and due_at), and
    which attempt counts (counting): what decides the score a platform's gradebook shows."""
    return one(
        db,
        "select feedback_after, due_at, counting from assignments where id = ?",
        [assignment_id],
    )


def students_at(db: Database, assignment_id: int) -> list[int]:
    """The students who have submitted at the assignment."""
    return [
        r["student_id"]
        for r in db.query(
            "select distinct student_id from attempts where assignment_id = ? order by student_id",
            [assignment_id],
        )
    ]


def hidden(db: Database, row: dict[str, Any]) -> None:
    """The platform was sent 'no score' for the claimed row (feedback is held again): the
    row stays due, for the due date."""
    db.execute(
        """update lti_grades set sent_at = ?, sent_score = null, tries = 0, last_error = null
           where assignment_id = ? and student_id = ?""",
        [now(), row["assignment_id"], row["student_id"]],
    )


def sent(db: Database, row: dict[str, Any], score: float | None) -> None:
    """The claimed row's score reached the platform (a change since is due at once)."""
    db.execute(
        """update lti_grades set sent = :wanted, sent_at = :now, sent_score = :score, tries = 0,
                                 last_error = null, next_try_at = :now
           where assignment_id = :assignment and student_id = :student and sent < :wanted""",
        {
            "wanted": row["wanted"],
            "now": now(),
            "score": score,
            "assignment": row["assignment_id"],
            "student": row["student_id"],
        },
    )


def failed(db: Database, row: dict[str, Any], error: str) -> str:
    """The platform refused or did not answer: count the try and wait; when it is tried next."""
    wait = BACKOFF[min(row["tries"], len(BACKOFF) - 1)]
    when = later(wait)
    db.execute(
        """update lti_grades set tries = tries + 1, last_error = ?, next_try_at = ?
           where assignment_id = ? and student_id = ? and wanted = ?""",
        [error[:500], when, row["assignment_id"], row["student_id"], row["wanted"]],
    )
    return when


def wait_until(db: Database, row: dict[str, Any], when: str) -> None:
    """Send the claimed row no sooner than then (feedback held until the due date)."""
    db.execute(
        "update lti_grades set next_try_at = ? where assignment_id = ? and student_id = ?",
        [when, row["assignment_id"], row["student_id"]],
    )


def drop(db: Database, row: dict[str, Any]) -> None:
    """Nothing can be sent for the row (its column or the student's account is gone)."""
    db.execute(
        "update lti_grades set sent = wanted where assignment_id = ? and student_id = ?",
        [row["assignment_id"], row["student_id"]],
    )


def states(db: Database, assignment_id: int) -> dict[int, dict[str, Any]]:
    """Each student's gradebook row at the assignment, by student id (students with none are
    not there)."""
    return {
        r["student_id"]: r
        for r in db.query(
            """select student_id, sent < wanted as waiting, tries, next_try_at, last_error,
                      sent_at, sent_score from lti_grades where assignment_id = ?""",
            [assignment_id],
        )
    }
