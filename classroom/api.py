"""The JSON the exercise page needs: reading and autosaving the student's draft."""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from . import drafts
from .access import my_assignment
from .auth import login_required
from .db import get_db
from .exercises import get_exercise
from .work import InvalidWork

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/assignments/<int:assignment_id>/draft")
@login_required("student")
def draft(assignment_id: int):
    """The saved draft, placed on the current version of the exercise."""
    assignment = my_assignment(assignment_id)
    exercise = get_exercise(assignment["exercise_id"])
    work, saved_at = drafts.load(get_db(), assignment, g.user["id"], exercise)
    return jsonify(version=exercise.version, work=work, saved_at=saved_at)


@bp.put("/assignments/<int:assignment_id>/draft")
@login_required("student")
def save_draft(assignment_id: int):
    """Autosave: replace the draft with the work sent, once it is checked."""
    assignment = my_assignment(assignment_id)
    exercise = get_exercise(assignment["exercise_id"])
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON parser goes
        data = None
    if data is None:
        abort(400, "Send the draft as a JSON object with 'highlights' and 'answers'.")
    try:
        saved_at = drafts.autosave(get_db(), assignment, g.user["id"], exercise, data)
    except InvalidWork as err:
        abort(400, str(err))
    return jsonify(saved_at=saved_at, version=exercise.version)
