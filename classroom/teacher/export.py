"""CSV downloads: a class's gradebook and every attempt at an assignment, streamed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial

from flask import Response, stream_with_context
from sqlite_utils import Database

from .. import csvfile
from ..access import my_assignment, my_class
from ..auth import login_required
from ..db import get_db
from ..exercises import library
from ..store import gradebook
from . import bp, school_zone


def csv_download(export: Callable[[Database], Iterator[str]], *name_parts: str) -> Response:
    """Stream the export as an attachment named after the parts and today's date at school."""

    @stream_with_context
    def lines() -> Iterator[str]:
        # Flask tears the app context down (giving the view's connection back) as soon as the
        # view returns; the stream borrows it again, and gives it back when the stream ends.
        yield from export(get_db())

    response = Response(lines(), mimetype="text/csv")
    filename = csvfile.download_name(*name_parts, day=datetime.now(school_zone()).date())
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    # grades are personal data: no shared cache may keep a copy
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/classes/<int:class_id>/gradebook.csv")
@login_required("teacher")
def download_gradebook(class_id: int):
    """The class's gradebook: a row per student, a column per assignment, latest scores."""
    klass = my_class(class_id)
    titles = {e.id: e.title for e in library().exercises.values()}
    export = partial(gradebook.class_gradebook, class_id=class_id, titles=titles)
    return csv_download(export, klass["name"], "gradebook")


@bp.get("/assignments/<int:assignment_id>/attempts.csv")
@login_required("teacher")
def download_attempts(assignment_id: int):
    """Every attempt at the assignment: its highlights and answers, a row each."""
    assignment = my_assignment(assignment_id)
    exercise = library().exercises.get(assignment["exercise_id"])
    title = exercise.title if exercise else assignment["exercise_id"]
    export = partial(gradebook.assignment_attempts, assignment_id=assignment_id)
    return csv_download(export, assignment["class_name"], title, "attempts")
