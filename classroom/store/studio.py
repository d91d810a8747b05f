"""The authoring studio's drafts: one row per exercise a teacher is writing, seen only by them.

Each save moves the draft's revision on; a save that names the revision it was based on is made
only if the draft is still at that revision (another tab saved in between: refused).
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from .connection import dumps, now, one

# The draft's title, read out of its JSON.
TITLE = {
    "sqlite": "json_extract(draft, '$.title')",
    "postgresql": "cast(draft as json) ->> 'title'",
}


def create_draft(db: Database, author_id: int, exercise_id: str, draft: dict[str, Any]) -> int:
    """Store a new draft of the author's; returns its id."""
    at = now()
    with db.atomic():
        rows = db.execute(
            "insert into studio_drafts (author_id, exercise_id, draft, revision, created, updated)"
            " values (?, ?, ?, 1, ?, ?) returning id",
            [author_id, exercise_id, dumps(draft), at, at],
        ).fetchall()  # all: a RETURNING statement is done once read out
    return rows[0][0]


def get_draft(db: Database, draft_id: int, author_id: int) -> dict[str, Any] | None:
    """The author's draft with this id (None for anyone else's), its JSON read."""
    row = one(
        db,
        "select id, author_id, exercise_id, draft, revision, created, updated, published "
        "from studio_drafts where id = ? and author_id = ?",
        [draft_id, author_id],
    )
    return {**row, "draft": json.loads(row["draft"])} if row else None


def author_drafts(db: Database, author_id: int) -> list[dict[str, Any]]:
    """The author's drafts, the last changed first: id, exercise id, title, when."""
    return list(
        db.query(
            f"select id, exercise_id, {TITLE[db.engine]} as title, updated, published "
            "from studio_drafts where author_id = ? order by updated desc, id desc",
            [author_id],
        )
    )


def save_draft(
    db: Database,
    draft_id: int,
    author_id: int,
    exercise_id: str,
    draft: dict[str, Any],
    base: int | None = None,
) -> dict[str, Any] | None:
    """Replace the draft: its new revision and when it was saved; None when it is not the
    author's, or (with base) has moved on from that revision, and nothing is written."""
    at = now()
    with db.atomic():
        rows = db.execute(
            "update studio_drafts set exercise_id = ?, draft = ?, updated = ?, "
            "revision = revision + 1 where id = ? and author_id = ? "
            "and (cast(? as integer) is null or revision = cast(? as integer)) returning revision",
            [exercise_id, dumps(draft), at, draft_id, author_id, base, base],
        ).fetchall()
    return {"revision": rows[0][0], "saved_at": at} if rows else None


def mark_published(db: Database, draft_id: int, author_id: int) -> str:
    """Note that the draft was published now; returns when."""
    at = now()
    with db.atomic():
        db.execute(
            "update studio_drafts set published = ? where id = ? and author_id = ?",
            [at, draft_id, author_id],
        )
    return at


def delete_draft(db: Database, draft_id: int, author_id: int) -> bool:
    """Remove the author's draft; whether there was one."""
    with db.atomic():
        cursor = db.execute(
            "delete from studio_drafts where id = ? and author_id = ?", [draft_id, author_id]
        )
    return cursor.rowcount > 0
