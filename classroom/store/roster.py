"""The teacher's side of the rows: classes, rosters, assignments and their progress.

Every function takes the teacher's id where ownership matters, so a query can never reach
another teacher's class. Counts are computed in SQL.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from sqlite_utils import Database

from . import accounts
from .classes import JOIN_CODE_ALPHABET, new_join_code
from .connection import now, one
from .latest import counted_id, latest

# A class's (:class) assignments, its latest attempts, and the drafts of its enrolled students
# who have not submitted yet: what the class page counts.
CLASS_WORK = f"""
    given as (select id, due_at, counting from assignments where class_id = :class),
    {latest("class")},
    drafting as (
      select d.assignment_id, d.student_id from drafts d
      join enrolments e on e.class_id = :class and e.student_id = d.student_id
      where d.assignment_id in (select id from given)
        and not exists (select 1 from attempts t where t.assignment_id = d.assignment_id
                        and t.student_id = d.student_id))"""


def classes_overview(db: Database, teacher_id: int) -> list[dict[str, Any]]:
    """The teacher's classes: students, open assignments, latest attempts awaiting review."""
    return list(
        db.query(
            f"""with {latest("teacher")}
        select c.id, c.name, c.join_code, c.join_open,
               (select count(*) from enrolments e where e.class_id = c.id) as students,
               (select count(*) from assignments a
                where a.class_id = c.id and a.closed_at is null) as open_assignments,
               (select count(*) from latest l join assignments a on a.id = l.assignment_id
                where a.class_id = c.id and not l.reviewed) as to_review
        from classes c where c.teacher_id = :teacher order by lower(c.name)""",
            {"teacher": teacher_id},
        )
    )


def owned_class(db: Database, class_id: int, teacher_id: int) -> dict[str, Any] | None:
    """The class, if this teacher owns it."""
    return one(db, "select * from classes where id = ? and teacher_id = ?", [class_id, teacher_id])


def owned_assignment(db: Database, assignment_id: int, teacher_id: int) -> dict | None:
    """The assignment with its class name, if this teacher owns the class."""
    return one(
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


# The score that counts of a `latest` row l of an assignment in `given` g, under its rule.
COUNTED_SCORE = f"""
    case g.counting when 'latest' then l.score
         else (select c.score from attempt_scores c
               where c.attempt_id = {counted_id("l.assignment_id", "l.student_id", "g.counting")})
    end"""


def roster(db: Database, class_id: int) -> list[dict[str, Any]]:
    """The class's students with their progress: submitted, in progress, and the mean of the
    scores that count (each assignment's rule: the latest attempt, the best...)."""
    return list(
        db.query(
            f"""with {CLASS_WORK},
        submitted as (
          select l.student_id, count(*) as submitted, avg({COUNTED_SCORE}) as mean_score,
                 max(l.submitted_at) as last_submitted
          from latest l join given g on g.id = l.assignment_id group by l.student_id),
        in_progress as (
          select student_id, count(*) as in_progress from drafting group by student_id)
        select u.id, u.username, u.display_name, e.joined_at,
               (select count(*) from given) as assigned,
               coalesce(s.submitted, 0) as submitted,
               coalesce(p.in_progress, 0) as in_progress,
               s.mean_score, s.last_submitted
        from enrolments e join users u on u.id = e.student_id
        left join submitted s on s.student_id = u.id
        left join in_progress p on p.student_id = u.id
        where e.class_id = :class order by lower(u.display_name)""",
            {"class": class_id},
        )
    )


def student_in_class(db: Database, class_id: int, student_id: int) -> dict | None:
    """The student, if enrolled in this class."""
    return one(
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
    """Give the student a one-time code to log in with; they must choose a new password, and
    every session they had open ends (see accounts.give_one_time_code)."""
    code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(10))
    accounts.give_one_time_code(db, student_id, code)
    return code


def class_assignments(db: Database, class_id: int) -> list[dict[str, Any]]:
    """The class's assignments with completion counts, late and awaiting review, in one query."""
    return list(
        db.query(
            f"""with {CLASS_WORK},
        submitted as (
          select l.assignment_id, count(*) as submitted,
                 count(*) filter (where g.due_at is not null
                                  and l.submitted_at > g.due_at) as late,
                 count(*) filter (where not l.reviewed) as to_review
          from latest l join given g on g.id = l.assignment_id group by l.assignment_id),
        in_progress as (
          select assignment_id, count(*) as in_progress from drafting group by assignment_id)
        select a.id, a.exercise_id, a.due_at, a.feedback_after, a.closed_at, a.created_at,
               a.attempts_allowed, a.counting,
               (select count(*) from enrolments e where e.class_id = a.class_id) as students,
               coalesce(s.submitted, 0) as submitted,
               coalesce(p.in_progress, 0) as in_progress,
               coalesce(s.late, 0) as late,
               coalesce(s.to_review, 0) as to_review,
               (select count(*) from answers_seen n
                join enrolments e on e.class_id = a.class_id and e.student_id = n.student_id
                where n.assignment_id = a.id) as saw_answers
        from assignments a
        left join submitted s on s.assignment_id = a.id
        left join in_progress p on p.assignment_id = a.id
        where a.class_id = :class order by a.position, a.id""",
            {"class": class_id},
        )
    )


def assigned_exercises(db: Database, class_id: int) -> set[str]:
    """The ids of the exercises already assigned to the class."""
    return {
        r["exercise_id"]
        for r in db.query("select exercise_id from assignments where class_id = ?", [class_id])
    }


def move_assignment(db: Database, assignment_id: int, class_id: int, step: int) -> bool:
    """Move the assignment step places up (-1) or down (+1) in its class's list; whether it
    moved (not past either end)."""
    order = [
        r["id"]
        for r in db.query(
            "select id from assignments where class_id = ? order by position, id", [class_id]
        )
    ]
    at = order.index(assignment_id)
    to = at + step
    if not 0 <= to < len(order):
        return False
    order.insert(to, order.pop(at))
    set_order(db, class_id, order)
    return True


# The ids in a JSON array with their place in it, from 1: as `placed`, (value, place).
PLACED = {
    "sqlite": "(select value, key + 1 as place from json_each(:ids)) placed",
    "postgresql": (
        "(select cast(value as bigint) as value, place from "
        "json_array_elements_text(cast(:ids as json)) with ordinality as t(value, place)) placed"
    ),
}


def set_order(db: Database, class_id: int, assignment_ids: list[int]) -> None:
    """Number the class's assignments in this order, 1 upward (ids of other classes ignored)."""
    db.execute(
        f"""update assignments set position = placed.place
           from {PLACED[db.engine]}
           where assignments.id = placed.value and assignments.class_id = :class""",
        {"ids": json.dumps(assignment_ids), "class": class_id},
    )


def update_assignment(
    db: Database, assignment_id: int, due_at: str | None, feedback_after: str
) -> None:
    """Set the due date and when feedback shows."""
    db["assignments"].update(assignment_id, {"due_at": due_at, "feedback_after": feedback_after})


def set_closed(db: Database, assignment_id: int, closed: bool) -> None:
    """Close an assignment (no more submissions) or open it again."""
    db["assignments"].update(assignment_id, {"closed_at": now() if closed else None})
