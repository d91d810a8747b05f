"""The teacher's pages: classes, assignments, review, insight and exports.

One blueprint; each area is a module that adds its views to it.
"""

from __future__ import annotations

from flask import Blueprint, current_app

from ..clock import zone

bp = Blueprint("teacher", __name__, url_prefix="/teacher")


def school_zone():
    """The time zone due dates are entered and shown in."""
    return zone(current_app.config["TIMEZONE"])


# The views register themselves on bp when their modules are imported.
from . import classes, export, insight, review  # noqa: E402,F401
