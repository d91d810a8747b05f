"""The teacher's pages: classes, assignments, review, insight and exports.

One blueprint; each area is a module that adds its views to it.
"""

from __future__ import annotations

from flask import Blueprint

from ..times import school_zone

bp = Blueprint("teacher", __name__, url_prefix="/teacher")

__all__ = ["bp", "school_zone"]

# The views register themselves on bp when their modules are imported.
from . import classes, export, insight, review  # noqa: E402,F401
