"""Sessions kept on the server, so that they can be ended: by logging out, by "log out
everywhere", by a password change, or by a teacher's reset.

The session cookie carries a random token; the table keeps only its SHA-256, as the session's
id, so a copy of the database lets nobody in. A session is live while its row exists and was
seen within the lifetime the app gives (Flask's PERMANENT_SESSION_LIFETIME, 31 days unless
configured): the row is checked in the same query that loads the user on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from .classes import ASSIGNMENT_COLUMNS
from .connection import now

# last_seen_at moves on at most this often: writing it on every request would cost a write per
# page; the idle expiry only needs it to the hour (as the cookie's own refresh does).
TOUCH_AFTER = timedelta(hours=1)


def digest(token: str) -> str:
    """What is stored for a token the browser holds (a session's or a device's)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _ago(lifetime: timedelta) -> str:
    return (datetime.now(UTC) - lifetime).isoformat(timespec="seconds")


def start(db: Database, user_id: int, lifetime: timedelta) -> str:
    """A new session for the user; returns the token for the cookie. Sessions idle for longer
    than the lifetime are cleared on the way."""
    token = secrets.token_urlsafe(32)
    stamp = now()
    with db.atomic():
        db.execute("delete from sessions where last_seen_at <= ?", [_ago(lifetime)])
        db["sessions"].insert(
            {"id": digest(token), "user_id": user_id, "created_at": stamp, "last_seen_at": stamp}
        )
    return token


USER_KEYS = ("id", "username", "display_name", "role", "must_change_password", "code_expires_at")
USER = ", ".join(f"u.{c}" for c in USER_KEYS) + ", s.last_seen_at as seen"
LIVE = "from users u join sessions s on s.user_id = u.id"
# The assignment a request names, as classes.student_assignment gives it, if it was given to a
# class the user is in (else its columns are null).
ASSIGNMENT = ", ".join([*(f"a.{c}" for c in ASSIGNMENT_COLUMNS), "c.name"])
STUDENTS_ASSIGNMENT = """left join assignments a on a.id = :assignment and exists (
             select 1 from enrolments e where e.class_id = a.class_id and e.student_id = u.id)
           left join classes c on c.id = a.class_id"""


def user_of(db: Database, token: str, user_id: int, lifetime: timedelta) -> dict[str, Any] | None:
    """The user of a live session (without the password hash), or None; in one query, since it
    runs on every request. The session's last_seen_at comes with it, as `seen`."""
    row = db.execute(
        f"select {USER} {LIVE} where s.id = ? and u.id = ? and s.last_seen_at > ?",
        [digest(token), user_id, _ago(lifetime)],
    ).fetchone()
    return None if row is None else dict(zip((*USER_KEYS, "seen"), row, strict=True))


def user_with_assignment(
    db: Database, token: str, user_id: int, lifetime: timedelta, assignment_id: int
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """user_of, and the assignment as classes.student_assignment gives it for this user (None
    if not theirs), in the same query: every request of a student's on an assignment asks for
    both."""
    row = db.execute(
        f"""select {USER}, {ASSIGNMENT} {LIVE} {STUDENTS_ASSIGNMENT}
            where s.id = :session and u.id = :user and s.last_seen_at > :since""",
        {
            "session": digest(token),
            "user": user_id,
            "since": _ago(lifetime),
            "assignment": assignment_id,
        },
    ).fetchone()
    if row is None:
        return None, None
    n = len(USER_KEYS) + 1  # with seen
    user = dict(zip((*USER_KEYS, "seen"), row[:n], strict=True))
    if row[n] is None:
        return user, None
    return user, dict(zip((*ASSIGNMENT_COLUMNS, "class_name"), row[n:], strict=True))


def touch_due(seen: str) -> bool:
    """Whether a session last seen then should be marked as seen now."""
    return datetime.now(UTC) - datetime.fromisoformat(seen) >= TOUCH_AFTER


def touch(db: Database, token: str) -> None:
    """Mark the session as seen now (see TOUCH_AFTER)."""
    db.execute("update sessions set last_seen_at = ? where id = ?", [now(), digest(token)])


def end(db: Database, token: str) -> None:
    """End one session (logging out): a copy of its cookie stops working too."""
    db.execute("delete from sessions where id = ?", [digest(token)])


def end_all(db: Database, user_id: int, keep: str | None = None) -> int:
    """End the user's sessions, all but the one whose token is kept; how many ended."""
    return db.execute(
        "delete from sessions where user_id = ? and id != ?",
        [user_id, digest(keep) if keep else ""],
    ).rowcount


def count(db: Database, user_id: int) -> int:
    """How many sessions the user has open (live or not yet cleared)."""
    return db.execute("select count(*) from sessions where user_id = ?", [user_id]).fetchone()[0]
