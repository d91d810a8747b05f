"""Submitted attempts: appended with their highlights and answers, never changed."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from sqlite_utils import Database

from .connection import dumps, now, one
from .drafts import save_draft


class AttemptsUsedUp(Exception):
    """The student has made every attempt the assignment allows: nothing was recorded."""

    def __init__(self, allowed: int):
        super().__init__(f"all {allowed} attempts are used")
        self.allowed = allowed


def record_attempt(
    db: Database,
    assignment_id: int,
    student_id: int,
    snapshot: dict,
    work: dict[str, Any],
    result: dict[str, Any],
    started_at: str | None = None,
    key: str | None = None,
) -> int:
    """Append an attempt with its highlights and answers and make its work the draft, at once.

    started_at is when the work was begun (now if not given). key names the submission: one
    already recorded under the same key is not recorded again, and its id is returned. What
    the draft keeps (its unplaced work, its start) is classroom/drafts.py's to decide: this
    stores what it is given. Raises AttemptsUsedUp when the student has made as many attempts
    as the assignment allows (a repeat of the last one is still that one); the attempt keeps
    whether the student had seen the answers before it (after_answers).
    Plain INSERTs rather than sqlite-utils' insert(): on this path, the busiest write, its
    schema look-ups were twenty statements of thirty-seven and a fifth of the time.
    """
    with db.atomic(lock=("submit", assignment_id, student_id)):
        # inside the lock, so a repeat sent at the same moment waits and finds this one,
        # and two submissions sent at once cannot both take the last attempt
        state = one(
            db,
            """select (select id from attempts where assignment_id = :assignment
                       and student_id = :student and submission_key = :key) as repeat,
                      (select attempts_allowed from assignments where id = :assignment)
                        as allowed,
                      (select count(*) from attempts where assignment_id = :assignment
                       and student_id = :student) as made,
                      exists(select 1 from answers_seen where assignment_id = :assignment
                             and student_id = :student) as after_answers""",
            {"assignment": assignment_id, "student": student_id, "key": key},
        )
        if state["repeat"] is not None:
            return state["repeat"]
        if state["allowed"] is not None and state["made"] >= state["allowed"]:
            raise AttemptsUsedUp(state["allowed"])
        # the exercise as it stood is kept once per version; it is large, so dump it only once
        if (
            one(
                db,
                "select 1 from exercise_versions where exercise_id = ? and version = ?",
                [snapshot["id"], snapshot["version"]],
            )
            is None
        ):
            db.execute(
                "insert into exercise_versions (exercise_id, version, title, snapshot, "
                "created_at) values (?, ?, ?, ?, ?) on conflict (exercise_id, version) do nothing",
                [snapshot["id"], snapshot["version"], snapshot["title"], dumps(snapshot), now()],
            )
        attempt_id = db.execute(
            "insert into attempts (assignment_id, student_id, exercise_id, version, score, "
            "result, started_at, submitted_at, submission_key, after_answers) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
            [
                assignment_id,
                student_id,
                snapshot["id"],
                snapshot["version"],
                result["score"],
                dumps(result),
                started_at or now(),
                now(),
                key,
                int(state["after_answers"]),  # PostgreSQL's exists() is a boolean
            ],
        ).fetchall()[0][0]  # all: a RETURNING statement is done once read out
        db.executemany(
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
        db.executemany(
            "insert into attempt_answers (attempt_id, task_id, answer, score) values (?, ?, ?, ?)",
            [
                (attempt_id, task_id, dumps(answer), result["tasks"].get(task_id, {}).get("score"))
                for task_id, answer in work["answers"].items()
            ],
        )
        save_draft(db, assignment_id, student_id, snapshot["version"], work)
    return attempt_id


class Snapshots:
    """Exercise versions' snapshots as stored, each parsed once and kept (the most recently
    used, up to size). A version's row is written once and never changed, and a snapshot is
    tens of kilobytes of JSON that every feedback page of an attempt on it would read and
    parse again. Shared by every request of a process: read a snapshot, never change it."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, exercise_id: str, version: str) -> dict[str, Any] | None:
        """The kept snapshot of this version, or None."""
        with self._lock:
            found = self._kept.get((exercise_id, version))
            if found is not None:
                self._kept.move_to_end((exercise_id, version))
            return found

    def keep(self, exercise_id: str, version: str, snapshot: dict[str, Any]) -> None:
        """Keep this version's snapshot, letting the least recently used go past size."""
        with self._lock:
            self._kept[(exercise_id, version)] = snapshot
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


def stored_snapshot(
    db: Database, exercise_id: str, version: str, snapshots: Snapshots | None = None
) -> dict[str, Any] | None:
    """The snapshot stored for this exercise version (kept in snapshots, if given), or None."""
    found = snapshots.get(exercise_id, version) if snapshots is not None else None
    if found is None:
        row = one(
            db,
            "select snapshot from exercise_versions where exercise_id = ? and version = ?",
            [exercise_id, version],
        )
        if row is None:
            return None
        found = json.loads(row["snapshot"])
        if snapshots is not None:
            snapshots.keep(exercise_id, version, found)
    return found


def get_attempt(
    db: Database, attempt_id: int, snapshots: Snapshots | None = None
) -> dict[str, Any] | None:
    """An attempt with its stored result, highlights and the exercise version it was made on
    (its snapshot taken from snapshots when kept there)."""
    row = one(
        db,
        """select t.id, t.assignment_id, t.student_id, t.exercise_id, t.version,
                  s.score, s.auto_score, t.result, t.submitted_at, a.class_id, a.due_at,
                  a.feedback_after, a.attempts_allowed, a.counting, t.after_answers,
                  a.due_at is not null and t.submitted_at > a.due_at as late,
                  (select count(*) from attempts x where x.assignment_id = t.assignment_id
                   and x.student_id = t.student_id) as attempts,
                  (select min(n.at) from answers_seen n where n.assignment_id = t.assignment_id
                   and n.student_id = t.student_id) as answers_seen
                      from attempts t join assignments a on a.id = t.assignment_id
                      join attempt_scores s on s.attempt_id = t.id
                      where t.id = ?""",
        [attempt_id],
    )
    if row is None:
        return None
    snapshot = stored_snapshot(db, row["exercise_id"], row["version"], snapshots)
    if snapshot is None:  # no version row: as if there were no such attempt
        return None
    row["result"], row["snapshot"] = json.loads(row["result"]), snapshot
    row["highlights"] = [
        {**h, "article": h.pop("article_id")}
        for h in db.query(
            'select id, article_id, start, "end", quote, category, note '
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
    """Every attempt of this student at this assignment, newest first, each saying whether it
    was made after the student saw the answers."""
    return list(
        db.query(
            "select attempt_id as id, score, submitted_at, after_answers from attempt_scores "
            "where assignment_id = ? and student_id = ? order by attempt_id desc",
            [assignment_id, student_id],
        )
    )
