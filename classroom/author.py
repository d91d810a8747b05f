"""The author's pages: every exercise file with its problems, and a preview with the key."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from .auth import login_required
from .content.snapshot import snapshot
from .exercises import get_exercise, library
from .marks import marked_articles
from .work import empty_work

bp = Blueprint("author", __name__, url_prefix="/author")


@bp.get("/exercises")
@login_required("teacher")
def files():
    """The exercise files: the ones that load, and every problem of the ones that do not."""
    current = library()
    problems = sorted(current.problems, key=lambda p: (p.path, p.line, p.column))
    return render_template(
        "author/files.html",
        exercises=sorted(current.exercises.values(), key=lambda e: e.title.lower()),
        problems=problems,
        broken_files=sorted({p.path for p in problems if p.severity == "error"}),
    )


@bp.get("/exercises/<exercise_id>")
@login_required("teacher")
def preview(exercise_id: str):
    """The exercise as a student sees it; with ?key=1, every key item in place, explained."""
    return render_preview(snapshot(get_exercise(exercise_id)))


def render_preview(exercise: dict, back: str | None = None, toggle: str | None = None) -> str:
    """The preview page of an exercise's snapshot, with its key when the address asks
    (?key=1); back and toggle are the studio's own links, where it previews a draft."""
    show_key = request.args.get("key") == "1"
    return render_template(
        "author/preview.html",
        exercise=exercise,
        articles=marked_articles(exercise, key=show_key),
        show_key=show_key,
        work=empty_work(),
        back=back,
        toggle=toggle,
    )
