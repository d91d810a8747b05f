"""The JSON the exercise page needs: reading and autosaving the student's draft."""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from .access import my_assignment
from .auth import login_required
from .db import get_db
from .exercises import get_exercise
from .store import drafts
from .student import current_work
from .work import InvalidWork, clean_work

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/assignments/<int:assignment_id>/draft")
@login_required("student")
def draft(assignment_id: int):
    """The saved draft, placed on the current version of the exercise."""
    assignment = my_assignment(assignment_id)
    exercise = get_exercise(assignment["exercise_id"])
    work, saved_at = current_work(assignment, exercise)
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
        work = clean_work(exercise, data)
    except InvalidWork as err:
        abort(400, str(err))
    stored = drafts.draft_state(get_db(), assignment_id, g.user["id"])
    if stored is None or stored["version"] == exercise.version:
        work["unplaced"] = stored["unplaced"] if stored else []
    else:  # saved on an older version: what could not be placed on this one joins the list
        work["unplaced"] = current_work(assignment, exercise)[0].get("unplaced", [])
    saved_at = drafts.save_draft(get_db(), assignment_id, g.user["id"], exercise.version, work)
    return jsonify(saved_at=saved_at, version=exercise.version)
