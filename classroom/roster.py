"""The teacher's side of the rows: classes, rosters, assignments and their progress.

Every function takes the teacher's id where ownership matters, so a query can never reach
another teacher's class. Counts are computed in SQL.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlite_utils import Database
from werkzeug.security import generate_password_hash

from .db import now
from .records import JOIN_CODE_ALPHABET, _one, new_join_code

# The latest attempt of each student at each assignment, with the score that counts.
LATEST = """
    latest as (
      select s.* from attempt_scores s
      where s.attempt_id = (select max(t.id) from attempts t
                            where t.assignment_id = s.assignment_id
                              and t.student_id = s.student_id))"""


def classes_overview(db: Database, teacher_id: int) -> list[dict[str, Any]]:
    """The teacher's classes: students, open assignments, latest attempts awaiting review."""
    return list(
        db.query(
            f"""with {LATEST}
        select c.id, c.name, c.join_code, c.join_open,
               (select count(*) from enrolments e where e.class_id = c.id) as students,
               (select count(*) from assignments a
                where a.class_id = c.id and a.closed_at is null) as open_assignments,
               (select count(*) from latest l join assignments a on a.id = l.assignment_id
                join enrolments e on e.class_id = a.class_id and e.student_id = l.student_id
                where a.class_id = c.id and not l.reviewed) as to_review
        from classes c where c.teacher_id = ? order by c.name collate nocase""",
            [teacher_id],
        )
    )


def owned_class(db: Database, class_id: int, teacher_id: int) -> dict[str, Any] | None:
    """The class, if this teacher owns it."""
    return _one(db, "select * from classes where id = ? and teacher_id = ?", [class_id, teacher_id])


def owned_assignment(db: Database, assignment_id: int, teacher_id: int) -> dict | None:
    """The assignment with its class name, if this teacher owns the class."""
    return _one(
        db,
        """select a.*, c.name as class_name from assignments a
           join classes c on c.id = a.class_id
           where a.id = ? and c.teacher_id = ?""",
        [assignment_id, teacher_id],
    )


def rename_class(db: Database, class_id: int, name: str) -> None:
    """Give the class a new name."""
    db["classes"].update(class_id, {"name": name})


def set_joining(db: Database, class_id: int, open_: bool) -> None:
    """Let students join with the code, or stop them."""
    db["classes"].update(class_id, {"join_open": int(open_)})


def new_code(db: Database, class_id: int) -> str:
    """Replace the join code; the old one stops working."""
    code = new_join_code(db)
    db["classes"].update(class_id, {"join_code": code})
    return code


def roster(db: Database, class_id: int) -> list[dict[str, Any]]:
    """The class's students with their progress: submitted, in progress, mean latest score."""
    return list(
        db.query(
            f"""with {LATEST}
        select u.id, u.username, u.display_name, e.joined_at,
               (select count(*) from assignments a where a.class_id = e.class_id) as assigned,
               (select count(*) from latest l join assignments a on a.id = l.assignment_id
                where a.class_id = e.class_id and l.student_id = u.id) as submitted,
               (select count(*) from drafts d join assignments a on a.id = d.assignment_id
                where a.class_id = e.class_id and d.student_id = u.id
                  and not exists (select 1 from attempts t where t.assignment_id = a.id
                                  and t.student_id = u.id)) as in_progress,
               (select avg(l.score) from latest l join assignments a on a.id = l.assignment_id
                where a.class_id = e.class_id and l.student_id = u.id) as mean_score,
               (select max(l.submitted_at) from latest l
                join assignments a on a.id = l.assignment_id
                where a.class_id = e.class_id and l.student_id = u.id) as last_submitted
        from enrolments e join users u on u.id = e.student_id
        where e.class_id = ? order by u.display_name collate nocase""",
            [class_id],
        )
    )


def student_in_class(db: Database, class_id: int, student_id: int) -> dict | None:
    """The student, if enrolled in this class."""
    return _one(
        db,
        """select u.id, u.username, u.display_name from enrolments e
           join users u on u.id = e.student_id where e.class_id = ? and e.student_id = ?""",
        [class_id, student_id],
    )


def remove_student(db: Database, class_id: int, student_id: int) -> None:
    """Take a student out of the class; their account and past work are kept."""
    db.execute(
        "delete from enrolments where class_id = ? and student_id = ?", [class_id, student_id]
    )


def reset_password(db: Database, student_id: int) -> str:
    """Give the student a one-time code to log in with; they must choose a new password."""
    code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(10))
    db["users"].update(
        student_id, {"password_hash": generate_password_hash(code), "must_change_password": 1}
    )
    return code


def class_assignments(db: Database, class_id: int) -> list[dict[str, Any]]:
    """The class's assignments with completion counts, late and awaiting review, in one query."""
    return list(
        db.query(
            f"""with {LATEST}
        select a.id, a.exercise_id, a.due_at, a.feedback_after, a.closed_at, a.created_at,
               (select count(*) from enrolments e where e.class_id = a.class_id) as students,
               (select count(*) from latest l join enrolments e on e.student_id = l.student_id
                and e.class_id = a.class_id where l.assignment_id = a.id) as submitted,
               (select count(*) from drafts d join enrolments e on e.student_id = d.student_id
                and e.class_id = a.class_id where d.assignment_id = a.id
                  and not exists (select 1 from attempts t where t.assignment_id = a.id
                                  and t.student_id = d.student_id)) as in_progress,
               (select count(*) from latest l join enrolments e on e.student_id = l.student_id
                and e.class_id = a.class_id
                where l.assignment_id = a.id and a.due_at is not null
                  and l.submitted_at > a.due_at) as late,
               (select count(*) from latest l join enrolments e on e.student_id = l.student_id
                and e.class_id = a.class_id
                where l.assignment_id = a.id and not l.reviewed) as to_review
        from assignments a where a.class_id = ? order by a.created_at, a.id""",
            [class_id],
        )
    )


def update_assignment(
    db: Database, assignment_id: int, due_at: str | None, feedback_after: str
) -> None:
    """Set the due date and when feedback shows."""
    db["assignments"].update(assignment_id, {"due_at": due_at, "feedback_after": feedback_after})


def set_closed(db: Database, assignment_id: int, closed: bool) -> None:
    """Close an assignment (no more submissions) or open it again."""
    db["assignments"].update(assignment_id, {"closed_at": now() if closed else None})
