"""The JSON the exercise page needs: reading and autosaving the student's draft, and the
session a page left open finds again once the student has logged back in."""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from . import drafts
from .access import my_assignment
from .auth import login_required
from .csrf_tokens import generate_csrf
from .db import get_db
from .exercises import get_exercise
from .times import time_of_day
from .work import InvalidWork, read_json

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/assignments/<int:assignment_id>/draft")
@login_required("student")
def draft(assignment_id: int):
    """The saved draft, placed on the current version of the exercise."""
    assignment = my_assignment(assignment_id)
    exercise = get_exercise(assignment["exercise_id"])
    return jsonify(drafts.opened(get_db(), assignment, g.user["id"], exercise))


@bp.put("/assignments/<int:assignment_id>/draft")
@login_required("student")
def save_draft(assignment_id: int):
    """Autosave: replace the draft with the work sent, once it is checked.

    409 with the draft as it stands when it was saved from elsewhere since the revision sent.
    """
    assignment = my_assignment(assignment_id)
    exercise = get_exercise(assignment["exercise_id"])
    try:
        data = read_json(request.get_data()) if request.is_json else None
        if data is None:
            abort(400, "Send the draft as a JSON object with 'highlights' and 'answers'.")
        saved = drafts.save(get_db(), assignment, g.user["id"], exercise, data)
    except InvalidWork as err:
        abort(400, str(err))
    except drafts.ChangedElsewhere as changed:
        return jsonify(
            error="Your work was changed in another tab or on another device",
            status=409,
            draft=changed.current,
        ), 409
    return jsonify(saved | {"saved_time": time_of_day(saved["saved_at"])})


@bp.get("/session")
@login_required()
def session():
    """Who is logged in, with the token their pages send: a page left open while the student
    logged out and in again (or chose a new password) takes it up and saves what it kept."""
    return jsonify(user_id=g.user["id"], csrf_token=generate_csrf())
