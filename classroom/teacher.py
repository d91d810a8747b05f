"""The teacher's pages. For now: the classes they own, with join codes."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from . import records
from .auth import login_required
from .db import get_db

bp = Blueprint("teacher", __name__, url_prefix="/teacher")


@bp.get("/")
@login_required("teacher")
def home():
    """My classes, each with its join code and size."""
    return render_template(
        "teacher/home.html", classes=records.teacher_classes(get_db(), g.user["id"])
    )
