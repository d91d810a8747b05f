"""Reading and writing the app's rows: accounts, classes, assignments, drafts and attempts.

Plain functions over a sqlite-utils Database; the views call these and never build SQL.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from .db import dumps, now

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread
# Checked against when the username is unknown, so that both failures take the same time.
_NO_SUCH_USER = generate_password_hash("no such user, no such password")


def _one(db: Database, sql: str, params: dict | list = ()) -> dict[str, Any] | None:
    return next(iter(db.query(sql, params)), None)


# --- accounts -------------------------------------------------------------------------------


def get_user(db: Database, user_id: int) -> dict[str, Any] | None:
    """The user with this id, without the password hash."""
    return _one(
        db,
        "select id, username, display_name, role, must_change_password from users where id = ?",
        [user_id],
    )


def check_login(db: Database, username: str, password: str) -> dict[str, Any] | None:
    """The user if the password is right, else None (unknown users cost the same time)."""
    row = _one(
        db, "select id, password_hash from users where username = ?", [username.strip().lower()]
    )
    ok = check_password_hash(row["password_hash"] if row else _NO_SUCH_USER, password)
    return get_user(db, row["id"]) if row and ok else None


def set_password(db: Database, user_id: int, password: str) -> None:
    """A new password chosen by its owner; any one-time code stops working."""
    db["users"].update(
        user_id, {"password_hash": generate_password_hash(password), "must_change_password": 0}
    )


def username_taken(db: Database, username: str) -> bool:
    """Whether an account already has this username."""
    return (
        _one(db, "select 1 from users where username = ?", [username.strip().lower()]) is not None
    )


def create_user(db: Database, username: str, display_name: str, password: str, role: str) -> int:
    """A new account; usernames are stored in lower case."""
    return (
        db["users"]
        .insert(
            {
                "username": username.strip().lower(),
                "display_name": display_name,
                "password_hash": generate_password_hash(password),
                "role": role,
                "created_at": now(),
            }
        )
        .last_pk
    )


def create_student(
    db: Database, class_id: int, display_name: str, username: str, password: str
) -> int:
    """A student account, enrolled in the class."""
    with db.atomic():
        user_id = create_user(db, username, display_name, password, "student")
        enrol(db, class_id, user_id)
    return user_id


def enrol(db: Database, class_id: int, student_id: int) -> None:
    """Put a student in a class (nothing happens if already there)."""
    db["enrolments"].insert(
        {"class_id": class_id, "student_id": student_id, "joined_at": now()}, ignore=True
    )


# --- classes and assignments ------------------------------------------------------------------


def new_join_code(db: Database) -> str:
    """A join code that no class has yet."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(6))
        if _one(db, "select 1 from classes where join_code = ?", [code]) is None:
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


def class_by_join_code(db: Database, code: str) -> dict[str, Any] | None:
    """The class this join code opens, if joining is open."""
    return _one(
        db,
        "select id, name from classes where join_code = ? and join_open = 1",
        [code.strip().upper()],
    )


def assign(db: Database, class_id: int, exercise_id: str, due_at: str | None = None) -> int:
    """Assign an exercise to a class; assigning it again returns the existing assignment."""
    db["assignments"].insert(
        {"class_id": class_id, "exercise_id": exercise_id, "due_at": due_at, "created_at": now()},
        ignore=True,
    )
    row = _one(
        db,
        "select id from assignments where class_id = ? and exercise_id = ?",
        [class_id, exercise_id],
    )
    return row["id"]


def teacher_classes(db: Database, teacher_id: int) -> list[dict[str, Any]]:
    """The teacher's classes with their student and assignment counts."""
    return list(
        db.query(
            """select c.id, c.name, c.join_code, c.join_open,
                  (select count(*) from enrolments e where e.class_id = c.id) as students,
                  (select count(*) from assignments a where a.class_id = c.id) as assignments
           from classes c where c.teacher_id = ? order by c.name""",
            [teacher_id],
        )
    )


def student_assignments(db: Database, student_id: int) -> list[dict[str, Any]]:
    """The student's assignments with draft, attempt count and latest score, in one query."""
    return list(
        db.query(
            """with mine as (
             select assignment_id, count(*) as attempts, max(id) as last_attempt_id
             from attempts where student_id = :s group by assignment_id)
           select a.id, a.exercise_id, a.due_at, a.feedback_after, a.closed_at,
                  c.name as class_name,
                  d.updated_at as draft_saved_at, coalesce(m.attempts, 0) as attempts,
                  m.last_attempt_id, t.score as last_score, t.submitted_at as last_submitted_at
           from assignments a
           join classes c on c.id = a.class_id
           join enrolments e on e.class_id = a.class_id and e.student_id = :s
           left join drafts d on d.assignment_id = a.id and d.student_id = :s
           left join mine m on m.assignment_id = a.id
           left join attempt_scores t on t.attempt_id = m.last_attempt_id
           order by c.name, a.id""",
            {"s": student_id},
        )
    )


def student_assignment(db: Database, assignment_id: int, student_id: int) -> dict | None:
    """The assignment, if it was given to a class this student is in."""
    return _one(
        db,
        """select a.id, a.exercise_id, a.due_at, a.feedback_after, a.closed_at, a.class_id,
                  c.name as class_name
                       from assignments a join classes c on c.id = a.class_id
                       join enrolments e on e.class_id = a.class_id and e.student_id = ?
                       where a.id = ?""",
        [student_id, assignment_id],
    )


# --- drafts and attempts ----------------------------------------------------------------------


def get_draft(db: Database, assignment_id: int, student_id: int) -> dict[str, Any] | None:
    """The saved work in progress: its version, work and when it was saved."""
    row = _one(
        db,
        "select version, work, started_at, updated_at from drafts "
        "where assignment_id = ? and student_id = ?",
        [assignment_id, student_id],
    )
    return {**row, "work": json.loads(row["work"])} if row else None


def draft_state(db: Database, assignment_id: int, student_id: int) -> dict[str, Any] | None:
    """Of the saved draft, its version, when it was started and its unplaced work: what a save
    or a submission keeps, without reading the whole work."""
    row = _one(
        db,
        "select version, started_at, coalesce(json_extract(work, '$.unplaced'), '[]') "
        "as unplaced from drafts where assignment_id = ? and student_id = ?",
        [assignment_id, student_id],
    )
    return {**row, "unplaced": json.loads(row["unplaced"])} if row else None


def save_draft(
    db: Database, assignment_id: int, student_id: int, version: str, work: dict[str, Any]
) -> str:
    """Store the work in progress, replacing the last draft; returns when it was saved.

    started_at is set by the first save and kept by every later one.
    """
    saved_at = now()
    db.execute(
        """insert into drafts (assignment_id, student_id, version, work, started_at, updated_at)
           values (?, ?, ?, ?, ?, ?)
           on conflict (assignment_id, student_id) do update set
             version = excluded.version, work = excluded.work, updated_at = excluded.updated_at""",
        [assignment_id, student_id, version, dumps(work), saved_at, saved_at],
    )
    return saved_at


def record_attempt(
    db: Database,
    assignment_id: int,
    student_id: int,
    snapshot: dict,
    work: dict[str, Any],
    result: dict[str, Any],
) -> int:
    """Append an attempt with its highlights and answers, in one transaction.

    Plain INSERTs rather than sqlite-utils' insert(): on this path, the busiest write, its
    schema look-ups were twenty statements of thirty-seven and a fifth of the time.
    """
    draft = draft_state(db, assignment_id, student_id)
    with db.atomic():
        # the exercise as it stood is kept once per version; it is large, so dump it only once
        if (
            _one(
                db,
                "select 1 from exercise_versions where exercise_id = ? and version = ?",
                [snapshot["id"], snapshot["version"]],
            )
            is None
        ):
            db.execute(
                "insert into exercise_versions (exercise_id, version, title, snapshot, "
                "created_at) values (?, ?, ?, ?, ?)",
                [snapshot["id"], snapshot["version"], snapshot["title"], dumps(snapshot), now()],
            )
        attempt_id = db.execute(
            "insert into attempts (assignment_id, student_id, exercise_id, version, score, "
            "result, started_at, submitted_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                assignment_id,
                student_id,
                snapshot["id"],
                snapshot["version"],
                result["score"],
                dumps(result),
                draft["started_at"] if draft else now(),
                now(),
            ],
        ).lastrowid
        db.conn.executemany(
            'insert into attempt_highlights (attempt_id, article_id, start, "end", quote, '
            "category, note) values (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    attempt_id,
                    h["article"],
                    h["start"],
                    h["end"],
                    h["quote"],
                    h["category"],
                    h["note"],
                )
                for h in work["highlights"]
            ],
        )
        db.conn.executemany(
            "insert into attempt_answers (attempt_id, task_id, answer, score) values (?, ?, ?, ?)",
            [
                (attempt_id, task_id, dumps(answer), result["tasks"].get(task_id, {}).get("score"))
                for task_id, answer in work["answers"].items()
            ],
        )
        save_draft(
            db,
            assignment_id,
            student_id,
            snapshot["version"],
            {**work, "unplaced": draft["unplaced"] if draft else []},
        )
    return attempt_id


def get_attempt(db: Database, attempt_id: int) -> dict[str, Any] | None:
    """An attempt with its stored result, highlights and the exercise version it was made on."""
    row = _one(
        db,
        """select t.id, t.assignment_id, t.student_id, t.exercise_id, t.version,
                  s.score, s.auto_score, t.result, t.submitted_at, a.class_id, a.due_at,
                  a.feedback_after, v.snapshot,
                  a.due_at is not null and t.submitted_at > a.due_at as late
                      from attempts t join assignments a on a.id = t.assignment_id
                      join attempt_scores s on s.attempt_id = t.id
                      join exercise_versions v on v.exercise_id = t.exercise_id
                                              and v.version = t.version
                      where t.id = ?""",
        [attempt_id],
    )
    if row is None:
        return None
    row["result"], row["snapshot"] = json.loads(row["result"]), json.loads(row["snapshot"])
    row["highlights"] = [
        {**h, "article": h.pop("article_id")}
        for h in db.query(
            "select id, article_id, start, end, quote, category, note "
            "from attempt_highlights where attempt_id = ? order by id",
            [attempt_id],
        )
    ]
    row["answers"] = {
        r["task_id"]: json.loads(r["answer"])
        for r in db.query(
            "select task_id, answer from attempt_answers where attempt_id = ?", [attempt_id]
        )
    }
    return row


def attempts_for(db: Database, assignment_id: int, student_id: int) -> list[dict[str, Any]]:
    """Every attempt of this student at this assignment, newest first."""
    return list(
        db.query(
            "select attempt_id as id, score, submitted_at from attempt_scores "
            "where assignment_id = ? and student_id = ? order by attempt_id desc",
            [assignment_id, student_id],
        )
    )


def teaches_class(db: Database, teacher_id: int, class_id: int) -> bool:
    """Whether this teacher owns this class."""
    return (
        _one(db, "select 1 from classes where id = ? and teacher_id = ?", [class_id, teacher_id])
        is not None
    )
