"""The teacher's review of submissions: the queue, and decisions recorded as events.

An attempt and its automatic score are never changed: every decision is a row appended to
review_events, and the score that counts, the credited highlights and the comment are all
derived from those rows (see the attempt_scores view in migrations.py). Crediting re-grades,
so it is decided in classroom/credit.py and recorded here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlite_utils import Database

from .connection import now, one
from .latest import latest

# The queue's filters, by the name used in the address, with what each shows.
FILTERS = {
    "needs-review": "Needs review",
    "late": "Late",
    "missing": "Not submitted",
}

# Each enrolled student with their latest attempt at the assignment, if any. The rank puts the
# work waiting for the teacher first; reviewed work, then students who sent nothing, follow.
QUEUE = f"""
    with {latest("assignment")},
    queue as (
      select u.id as student_id, u.display_name, u.username,
             l.attempt_id, l.submitted_at, l.auto_score, l.score,
             coalesce(a.due_at is not null and l.submitted_at > a.due_at, false) as late,
             coalesce(l.attempts, 0) as attempts,
             (select min(n.at) from answers_seen n
              where n.assignment_id = a.id and n.student_id = u.id) as answers_seen,
             case when l.attempt_id is null then 'not submitted'
                  when l.reviewed then 'reviewed' else 'needs review' end as status,
             case when l.attempt_id is null then 2 when l.reviewed then 1 else 0 end as rank
      from assignments a
      join enrolments e on e.class_id = a.class_id
      join users u on u.id = e.student_id
      left join latest l on l.student_id = u.id
      where a.id = :assignment)"""


class ReviewError(ValueError):
    """A review decision that does not apply to this attempt; the message says why."""


# --- the queue --------------------------------------------------------------------------------


def queue(db: Database, assignment_id: int, show: str | None = None) -> list[dict[str, Any]]:
    """The assignment's students in review order, each with their latest attempt's status;
    `show` keeps only the late, the missing ('not submitted') or those needing review."""
    return list(
        db.query(
            QUEUE
            + """
        select * from queue
        where cast(:show as text) is null
           or (:show = 'late' and late)
           or (:show = 'missing' and rank = 2)
           or (:show = 'needs-review' and rank = 0)
        -- the oldest submission has waited longest; the rest are easier to find by name
        order by rank, case when rank = 0 then submitted_at end,
                 lower(display_name), student_id""",
            {"assignment": assignment_id, "show": show if show in FILTERS else None},
        )
    )


def queue_counts(db: Database, assignment_id: int) -> dict[str, int]:
    """How many students the queue holds in all and under each filter."""
    row = next(
        db.query(
            QUEUE
            + """
        select count(*) as "all",
               count(*) filter (where rank = 0) as "needs-review",
               count(*) filter (where late) as "late",
               count(*) filter (where rank = 2) as "missing"
        from queue""",
            {"assignment": assignment_id},
        )
    )
    return dict(row)


def neighbours(db: Database, attempt_id: int, show: str | None = None) -> dict[str, int | None]:
    """The attempts before and after this one's student in the queue (within `show`), and the
    next attempt waiting for review, so the teacher can go on without going back to the list."""
    attempt = one(db, "select assignment_id, student_id from attempts where id = ?", [attempt_id])
    rows = queue(db, attempt["assignment_id"])
    shown = {r["student_id"] for r in queue(db, attempt["assignment_id"], show)}
    here = next((i for i, r in enumerate(rows) if r["student_id"] == attempt["student_id"]), None)

    def first(candidates: Iterable[dict], wanted: Callable[[dict], bool]) -> int | None:
        """The first other student's attempt among candidates that is wanted."""
        return next(
            (
                r["attempt_id"]
                for r in candidates
                if r["attempt_id"] and r["student_id"] != attempt["student_id"] and wanted(r)
            ),
            None,
        )

    def in_view(r: dict) -> bool:
        return r["student_id"] in shown

    def waiting(r: dict) -> bool:
        return r["rank"] == 0

    if here is None:  # a student who has left the class has no place in the queue
        return {"previous": None, "next": None, "next_to_review": first(rows, waiting)}
    return {
        "previous": first(reversed(rows[:here]), in_view),
        "next": first(rows[here + 1 :], in_view),
        # once reviewed, this attempt leaves the waiting group at the top: look past it, then
        # from the top
        "next_to_review": first(rows[here + 1 :], waiting) or first(rows, waiting),
    }


# --- what has been decided --------------------------------------------------------------------


def credited_ids(db: Database, attempt_id: int) -> set[int]:
    """Ids of the highlights the teacher currently credits: the latest credit or uncredit of
    each highlight is a credit."""
    return {
        r["highlight_id"]
        for r in db.query(
            """select e.highlight_id from review_events e
               where e.attempt_id = ? and e.kind = 'credit'
                 and e.id = (select max(x.id) from review_events x
                             where x.attempt_id = e.attempt_id
                               and x.highlight_id = e.highlight_id
                               and x.kind in ('credit', 'uncredit'))""",
            [attempt_id],
        )
    }


def current_comment(db: Database, attempt_id: int) -> str:
    """The teacher's comment on the attempt as it now stands ('' if none)."""
    row = one(
        db,
        "select new from review_events where attempt_id = ? and kind = 'comment' "
        "order by id desc limit 1",
        [attempt_id],
    )
    return (row["new"] or "") if row else ""


def history(db: Database, attempt_id: int) -> list[dict[str, Any]]:
    """Every review decision on the attempt, oldest first: who, when, what, from and to.

    For decisions that move the score, old and new are scores in [0, 1] (None if none).
    """
    rows = list(
        db.query(
            """select e.id, e.at, e.kind, e.old, e.new, e.score_after, e.highlight_id,
                      u.display_name as teacher, h.quote, h.category
               from review_events e join users u on u.id = e.teacher_id
               left join attempt_highlights h on h.id = e.highlight_id
               where e.attempt_id = ? order by e.id""",
            [attempt_id],
        )
    )
    for row in rows:
        if row["kind"] != "comment":
            row["old"], row["new"] = _score(row["old"]), _score(row["new"])
    return rows


def state(db: Database, attempt_id: int) -> dict[str, Any]:
    """What the review of an attempt amounts to: credited highlights, comment and history."""
    return {
        "credited": credited_ids(db, attempt_id),
        "comment": current_comment(db, attempt_id),
        "history": history(db, attempt_id),
    }


# --- recording decisions ----------------------------------------------------------------------


def set_score(db: Database, attempt_id: int, score: float, teacher_id: int) -> None:
    """Set the score that counts, by hand; the automatic score is kept beside it."""
    if not 0 <= score <= 1:
        raise ReviewError("A score is between 0 and 100%.")
    with db.atomic():
        lock_attempt(db, attempt_id)
        old = one(db, "select score from attempt_scores where attempt_id = ?", [attempt_id])[
            "score"
        ]
        record(
            db,
            attempt_id,
            teacher_id,
            "score",
            old=score_text(old),
            new=score_text(score),
            score_after=score,
        )


def set_comment(db: Database, attempt_id: int, comment: str, teacher_id: int) -> bool:
    """Write (or clear, with '') the comment the student sees; False if it is unchanged."""
    comment = comment.strip()
    with db.atomic():
        lock_attempt(db, attempt_id)
        old = current_comment(db, attempt_id)
        if comment == old:
            return False
        record(db, attempt_id, teacher_id, "comment", old=old, new=comment)
    return True


def lock_attempt(db: Database, attempt_id: int) -> None:
    """Keep other review decisions on the attempt waiting until this transaction ends: each
    decision is worked out from the events before it, and two at once would each miss the
    other's. SQLite's write lock already makes them wait; PostgreSQL locks the attempt's row."""
    if db.engine == "postgresql":
        db.execute("select 1 from attempts where id = ? for update", [attempt_id])


def record(db: Database, attempt_id: int, teacher_id: int, kind: str, **fields: Any) -> None:
    """Append one review event."""
    db["review_events"].insert(
        {"attempt_id": attempt_id, "teacher_id": teacher_id, "at": now(), "kind": kind, **fields}
    )


def score_text(score: float | None) -> str | None:
    """A score as stored in an event's old and new columns."""
    return None if score is None else repr(float(score))


def _score(text: str | None) -> float | None:
    """A score read back from an event's old or new column."""
    return None if text in (None, "") else float(text)
