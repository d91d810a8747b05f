"""Classes and assignments as a student meets them: join codes, what is assigned to whom."""

from __future__ import annotations

import secrets
from typing import Any

from sqlite_utils import Database

from .connection import now, one
from .latest import latest

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread


def new_join_code(db: Database) -> str:
    """A join code that no class has yet."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(6))
        if one(db, "select 1 from classes where join_code = ?", [code]) is None:
            return code


def create_class(db: Database, teacher_id: int, name: str) -> dict[str, Any]:
    """A new class owned by the teacher, with a fresh join code."""
    row = {
        "name": name,
        "teacher_id": teacher_id,
        "join_code": new_join_code(db),
        "join_open": 1,
        "created_at": now(),
    }
    row["id"] = db["classes"].insert(row).last_pk
    return row


def class_named(db: Database, teacher_id: int, name: str) -> dict[str, Any] | None:
    """The teacher's class with this name (the first made, if there are several)."""
    return one(
        db,
        "select id, name, join_code from classes where teacher_id = ? and name = ? order by id",
        [teacher_id, name],
    )


def set_join_code(db: Database, class_id: int, code: str) -> bool:
    """Give the class this join code, unless another class has it; whether it did."""
    cursor = db.execute(
        """update classes set join_code = :code
           where id = :class and not exists (select 1 from classes where join_code = :code)""",
        {"class": class_id, "code": code},
    )
    return cursor.rowcount == 1


def open_classes(db: Database) -> list[dict[str, Any]]:
    """Every class that students can join now, by name: its name and join code."""
    return list(
        db.query("select name, join_code from classes where join_open = 1 order by lower(name)")
    )


def class_by_join_code(db: Database, code: str) -> dict[str, Any] | None:
    """The class this join code opens, if joining is open."""
    return one(
        db,
        "select id, name from classes where join_code = ? and join_open = 1",
        [code.strip().upper()],
    )


def assign(db: Database, class_id: int, exercise_id: str, due_at: str | None = None) -> int:
    """Assign an exercise to a class, last in its list; assigning it again returns the existing
    assignment."""
    db.execute(
        """insert into assignments (class_id, exercise_id, due_at, created_at, position)
           select :class, :exercise, :due, :now, coalesce(max(position), 0) + 1
           from assignments where class_id = :class
           on conflict do nothing""",
        {"class": class_id, "exercise": exercise_id, "due": due_at, "now": now()},
    )
    row = one(
        db,
        "select id from assignments where class_id = ? and exercise_id = ?",
        [class_id, exercise_id],
    )
    return row["id"]


def student_assignments(db: Database, student_id: int) -> list[dict[str, Any]]:
    """The student's assignments with draft, attempt count and latest score, in one query."""
    return list(
        db.query(
            f"""with {latest("student")}
           select a.id, a.exercise_id, a.due_at, a.feedback_after, a.closed_at,
                  a.attempts_allowed, c.name as class_name,
                  d.updated_at as draft_saved_at, coalesce(l.attempts, 0) as attempts,
                  l.attempt_id as last_attempt_id, l.score as last_score,
                  l.submitted_at as last_submitted_at
           from assignments a
           join classes c on c.id = a.class_id
           join enrolments e on e.class_id = a.class_id and e.student_id = :student
           left join drafts d on d.assignment_id = a.id and d.student_id = :student
           left join latest l on l.assignment_id = a.id
           order by c.name, a.position, a.id""",
            {"student": student_id},
        )
    )


# What a student's page knows of an assignment (student_assignment, and sessions.user_of
# when a request names an assignment): a.<each>, and the class's name as class_name.
ASSIGNMENT_COLUMNS = (
    "id",
    "exercise_id",
    "due_at",
    "feedback_after",
    "closed_at",
    "class_id",
    "attempts_allowed",
    "counting",
)


def student_assignment(db: Database, assignment_id: int, student_id: int) -> dict | None:
    """The assignment, if it was given to a class this student is in."""
    return one(
        db,
        f"""select {", ".join(f"a.{c}" for c in ASSIGNMENT_COLUMNS)}, c.name as class_name
                       from assignments a join classes c on c.id = a.class_id
                       join enrolments e on e.class_id = a.class_id and e.student_id = ?
                       where a.id = ?""",
        [student_id, assignment_id],
    )


def teaches_class(db: Database, teacher_id: int, class_id: int) -> bool:
    """Whether this teacher owns this class."""
    return (
        one(db, "select 1 from classes where id = ? and teacher_id = ?", [class_id, teacher_id])
        is not None
    )
