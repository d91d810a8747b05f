"""What a measurement adds to the school, taken away before the next one.

A submission appends an attempt (with its highlights and answers) and replaces the draft; an
autosave replaces the draft; a feedback page may append that the answers were seen. Left in
place, they pile up on the same students, and every later page of theirs costs more (an
exercise page cost 1.9 ms in a first round and 3.1 ms by the third). So each measurement
starts from the same school: rows past the marks are deleted and the drafts put back as they
were. The counts deleted are what the measurement wrote, which run.py checks against the
answers it got. Works on a SQLite file (sqlite3) or a PostgreSQL URL (psycopg).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

CHILDREN = ("attempt_highlights", "attempt_answers", "review_events")  # by attempt_id


class Undo:
    """Marks the school as it is (the last ids, the drafts of some assignments); undo() puts
    it back and says how many attempts and answers_seen rows it removed and drafts it put
    back."""

    def __init__(self, target: str, assignments: Sequence[int]):
        self.target = target
        self.postgres = target.startswith(("postgresql://", "postgres://"))
        self.assignments = sorted(set(assignments))
        self.marks: dict[str, int] = {}
        self.columns: list[str] = []
        self.drafts: dict[tuple[int, int], tuple] = {}
        self.mark()

    def _connect(self) -> Any:
        if self.postgres:
            import psycopg

            return psycopg.connect(self.target, autocommit=True)
        conn = sqlite3.connect(self.target, timeout=60, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 60000")
        return conn

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def _in(self) -> str:
        return ", ".join(str(int(a)) for a in self.assignments) or "null"

    def mark(self) -> None:
        """Remember the school as it stands now."""
        conn = self._connect()
        try:
            cur = conn.cursor()
            for table in ("attempts", "answers_seen"):
                cur.execute(f"select coalesce(max(id), 0) from {table}")
                self.marks[table] = cur.fetchone()[0]
            cur.execute(f"select * from drafts where assignment_id in ({self._in()})")
            self.columns = [d[0] for d in cur.description]
            key = (self.columns.index("assignment_id"), self.columns.index("student_id"))
            self.drafts = {(row[key[0]], row[key[1]]): row for row in cur.fetchall()}
            cur.execute(f"select max(updated_at) from drafts where assignment_id in ({self._in()})")
            self.marks["drafts"] = cur.fetchone()[0] or ""
        finally:
            conn.close()

    def undo(self) -> dict[str, int]:
        """Delete what was added since the mark and put the drafts back; the rows removed."""
        conn = self._connect()
        removed = {}
        try:
            cur = conn.cursor()
            if self.postgres:  # as SQLite's immediate transaction: no writer in between
                cur.execute("begin")
                cur.execute(
                    "lock table attempts, attempt_highlights, attempt_answers, review_events, "
                    "answers_seen, drafts in share row exclusive mode"
                )
            else:
                cur.execute("begin immediate")
            mark = self.marks["attempts"]
            for table in CHILDREN:
                cur.execute(self._sql(f"delete from {table} where attempt_id > ?"), [mark])
            cur.execute(self._sql("delete from attempts where id > ?"), [mark])
            removed["attempts"] = cur.rowcount
            cur.execute(
                self._sql("delete from answers_seen where id > ?"), [self.marks["answers_seen"]]
            )
            removed["answers_seen"] = cur.rowcount
            # a draft saved since the mark is newer than every draft then: only those go back
            cur.execute(
                self._sql(
                    f"select assignment_id, student_id from drafts where assignment_id in "
                    f"({self._in()}) and updated_at > ?"
                ),
                [self.marks["drafts"]],
            )
            changed = cur.fetchall()
            cur.executemany(
                self._sql("delete from drafts where assignment_id = ? and student_id = ?"),
                changed,
            )
            before = [self.drafts[tuple(k)] for k in changed if tuple(k) in self.drafts]
            if before:
                names = ", ".join(f'"{c}"' for c in self.columns)
                marks = ", ".join("?" for _ in self.columns)
                cur.executemany(self._sql(f"insert into drafts ({names}) values ({marks})"), before)
            removed["drafts"] = len(changed)
            cur.execute("commit")
        finally:
            conn.close()
        return removed
