"""The teacher's pages: classes, assignments, review, insight and exports.

One blueprint; each area is a module that adds its views to it.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g

from ..clock import zone
from ..db import get_db
from ..store import roster

bp = Blueprint("teacher", __name__, url_prefix="/teacher")


def my_class(class_id: int) -> dict:
    """The logged-in teacher's class, or 404: another teacher's classes do not exist here."""
    klass = roster.owned_class(get_db(), class_id, g.user["id"])
    if klass is None:
        abort(404, "You have no class at this address.")
    return klass


def my_assignment(assignment_id: int) -> dict:
    """The logged-in teacher's assignment, or 404."""
    assignment = roster.owned_assignment(get_db(), assignment_id, g.user["id"])
    if assignment is None:
        abort(404, "You have no assignment at this address.")
    return assignment


def school_zone():
    """The time zone due dates are entered and shown in."""
    return zone(current_app.config["TIMEZONE"])


# The views register themselves on bp when their modules are imported.
from . import classes, export, insight, review  # noqa: E402,F401
