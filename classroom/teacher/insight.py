"""Class insight: one assignment's completion, scores, key items and heatmap, in pictures."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for

from .. import charts, credit
from ..access import my_assignment
from ..auth import login_required
from ..content.snapshot import snapshot
from ..db import get_db
from ..exercises import get_exercise
from ..lti import grades
from ..store import insight, reviews
from . import bp
from .forms import CreditAllForm


@bp.get("/assignments/<int:assignment_id>/insight")
@login_required("teacher")
def assignment_insight(assignment_id: int):
    """How the class did on an assignment: who submitted, scores, what was found, where."""
    assignment = my_assignment(assignment_id)
    exercise = snapshot(get_exercise(assignment["exercise_id"]))
    db = get_db()
    completion = insight.completion(db, assignment_id, exercise["version"])
    distribution = insight.score_distribution(db, assignment_id)
    return render_template(
        "teacher/insight.html",
        assignment=assignment,
        exercise=exercise,
        completion=completion,
        completion_bar=charts.stacked_bar(completion),
        distribution=distribution,
        columns=charts.column_chart(distribution["buckets"]),
        key_items=insight.key_item_shares(db, assignment_id, exercise),
        articles=insight.heatmap(db, assignment_id, exercise, completion["on_version"]),
        extras=insight.common_extras(db, assignment_id, exercise),
        heat_legend=charts.heat_legend(),
        credit_form=CreditAllForm(),
    )


@bp.post("/assignments/<int:assignment_id>/insight/credit")
@login_required("teacher")
def credit_for_all(assignment_id: int):
    """Credit one highlight that is not in the key for every student who made it."""
    my_assignment(assignment_id)
    form = CreditAllForm()
    if not form.validate_on_submit():
        abort(400, "Nothing to credit: reload the insight page and try again.")
    db = get_db()
    # Only latest attempts of students still in the class: the page may be older than the data.
    targets = insight.creditable(db, assignment_id, form.highlight_ids())
    try:
        with db.atomic():
            credited = sum(
                credit.credit(db, t["attempt_id"], t["highlight_id"], g.user["id"]) for t in targets
            )
    except reviews.ReviewError as err:
        abort(400, f"Nothing was credited: {err}")
    grades.changed_attempts(db, sorted({t["attempt_id"] for t in targets}))
    flash(
        f"Credited {credited} highlight{'' if credited == 1 else 's'}; "
        "the students' scores are updated.",
        "success",
    )
    return redirect(url_for("teacher.assignment_insight", assignment_id=assignment_id))
