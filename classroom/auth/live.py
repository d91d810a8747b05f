"""Who is logged in: the session cookie names a user and a session token, and the session's
row on the server must still be there (classroom.store.sessions), so that logging out, a
password change or a teacher's reset ends it, wherever the cookie was copied to."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request, session

from ..db import get_db
from ..store import sessions


def user() -> dict[str, Any] | None:
    """The user of this request's live session, or None; looked up once a request (the CSRF
    check asks before the user is loaded for the view, see classroom.errors), with the
    assignment the request names, if any, in the same query."""
    if "user" not in g:
        g.user = _load()
    return g.user


def _load() -> dict[str, Any] | None:
    user_id, token = session.get("user_id"), session.get("sid")
    if not isinstance(user_id, int) or not isinstance(token, str):
        return None
    db, lifetime = get_db(), current_app.permanent_session_lifetime
    assignment_id = (request.view_args or {}).get("assignment_id")
    if type(assignment_id) is int:  # a student's page, save or submission on an assignment
        found, assignment = sessions.user_with_assignment(
            db, token, user_id, lifetime, assignment_id
        )
        g.students_assignment = (assignment_id, assignment)  # access.my_assignment takes it
    else:
        found = sessions.user_of(db, token, user_id, lifetime)
    if found and sessions.touch_due(found["seen"]):
        sessions.touch(db, token)
    return found


def students_assignment(assignment_id: int) -> tuple[bool, dict[str, Any] | None]:
    """(True, the assignment or None) when the user was loaded with it (see _load): the
    assignment as classes.student_assignment gives it, if it is this student's; (False, None)
    otherwise."""
    kept = g.pop("students_assignment", None)
    if kept is None or kept[0] != assignment_id:
        return False, None
    return True, kept[1]


def start(user_id: int) -> None:
    """A fresh session for this user: nothing from before login carries over."""
    token = sessions.start(get_db(), user_id, current_app.permanent_session_lifetime)
    session.clear()
    session["user_id"] = user_id
    session["sid"] = token
    session.permanent = True


def end() -> None:
    """End this browser's session, on the server too: a copy of the cookie stops working."""
    token = session.get("sid")
    if isinstance(token, str):
        sessions.end(get_db(), token)
    session.clear()


def token() -> str | None:
    """This session's token, if there is one."""
    found = session.get("sid")
    return found if isinstance(found, str) else None
