"""A student's work in progress: one draft per student and assignment, replaced by each save.

Each save moves the draft's revision on (1 for the first); a save that names the revision it was
based on is made only if the draft is still at that revision.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from .connection import dumps, now, one

# The draft's unplaced work as JSON text ('[]' if it has none), read without the rest.
UNPLACED = {
    "sqlite": "coalesce(json_extract(work, '$.unplaced'), '[]')",
    "postgresql": "coalesce(nullif(cast(cast(work as json) -> 'unplaced' as text), 'null'), '[]')",
}


def get_draft(db: Database, assignment_id: int, student_id: int) -> dict[str, Any] | None:
    """The saved work in progress: its version, work, revision and when it was saved."""
    row = one(
        db,
        "select version, work, revision, started_at, updated_at from drafts "
        "where assignment_id = ? and student_id = ?",
        [assignment_id, student_id],
    )
    return {**row, "work": json.loads(row["work"])} if row else None


def draft_state(
    db: Database, assignment_id: int, student_id: int, version: str
) -> dict[str, Any] | None:
    """What a save or a submission keeps of the saved draft, in one read.

    Its version, revision, when it was started and its unplaced work; its whole work only if it
    was saved on another version than this one (else None), as the work is large and rarely
    needed.
    """
    row = one(
        db,
        f"select version, revision, started_at, {UNPLACED[db.engine]} as unplaced, "
        "case when version = ? then null else work end as work "
        "from drafts where assignment_id = ? and student_id = ?",
        [version, assignment_id, student_id],
    )
    if row is None:
        return None
    work = json.loads(row["work"]) if row["work"] is not None else None
    return {**row, "unplaced": json.loads(row["unplaced"]), "work": work}


def save_draft(
    db: Database,
    assignment_id: int,
    student_id: int,
    version: str,
    work: dict[str, Any],
    base: int | None = None,
) -> dict[str, Any] | None:
    """Store the work in progress, replacing the last draft: when it was saved, its revision.

    With base, only over the draft at that revision (a page that saw no draft sends 0); None
    when the draft has moved on since, and nothing is written. started_at is set by the first
    save and kept by every later one. One statement checks and writes: no save comes between.
    """
    saved_at = now()
    with db.atomic():  # a statement that returns rows is not committed by execute() alone
        rows = db.execute(
            """insert into drafts (assignment_id, student_id, version, work, started_at, updated_at,
                                   revision)
               values (?, ?, ?, ?, ?, ?, 1)
               on conflict (assignment_id, student_id) do update set
                 version = excluded.version, work = excluded.work, updated_at = excluded.updated_at,
                 revision = drafts.revision + 1
               where cast(? as integer) is null or drafts.revision = cast(? as integer)
               returning revision""",
            [assignment_id, student_id, version, dumps(work), saved_at, saved_at, base, base],
        ).fetchall()  # all: a RETURNING statement is done once read out
    return {"saved_at": saved_at, "revision": rows[0][0]} if rows else None
