"""Whose is this: the logged-in user's assignment, class, student or attempt, or 404.

In the manner of flaskr's get_post(id, check_author): each view asks here for what its
address names, and what belongs to someone else is answered as if it did not exist.
"""

from __future__ import annotations

from flask import abort, g
from sqlite_utils import Database

from .auth import live
from .db import get_db, snapshots
from .store import attempts, classes, roster


def my_assignment(assignment_id: int) -> dict:
    """The logged-in user's assignment, or 404: given to a student's class, or in a teacher's."""
    db, user = get_db(), g.user
    if user["role"] == "student":
        loaded, assignment = live.students_assignment(assignment_id)  # with the user, if it was
        if not loaded:
            assignment = classes.student_assignment(db, assignment_id, user["id"])
    else:
        assignment = roster.owned_assignment(db, assignment_id, user["id"])
    if assignment is None:
        abort(404, "You have no assignment at this address.")
    return assignment


def my_class(class_id: int) -> dict:
    """The logged-in teacher's class, or 404: another teacher's classes do not exist here."""
    klass = roster.owned_class(get_db(), class_id, g.user["id"])
    if klass is None:
        abort(404, "You have no class at this address.")
    return klass


def my_student(class_id: int, student_id: int) -> dict:
    """A student of the logged-in teacher's class, or 404."""
    my_class(class_id)
    student = roster.student_in_class(get_db(), class_id, student_id)
    if student is None:
        abort(404, "There is no such student in this class.")
    return student


def my_attempt(attempt_id: int, to_review: bool = False) -> dict:
    """An attempt the logged-in user may read (their own, or from their class), or 404.

    to_review: the 404 of the teacher's review pages, which speak of the teacher's classes.
    """
    db = get_db()
    attempt = attempts.get_attempt(db, attempt_id, snapshots())
    if attempt is None or not may_read(db, attempt):
        if to_review:
            abort(404, "There is no attempt from your classes at this address.")
        abort(404, "There is no attempt of yours at this address.")
    return attempt


def may_read(db: Database, attempt: dict) -> bool:
    """The student who made the attempt, or the teacher of its class."""
    if g.user["role"] == "student":
        return attempt["student_id"] == g.user["id"]
    return classes.teaches_class(db, g.user["id"], attempt["class_id"])
