"""Reviewing submissions: an assignment's queue, one attempt, and the teacher's decisions on it."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, g, redirect, render_template, request, url_for

from .. import credit
from ..access import my_assignment, my_attempt
from ..auth import login_required
from ..db import get_db
from ..exercises import library
from ..feedback import step_results
from ..lti import grades
from ..marks import item_statuses, marked_articles, reviewed_highlights
from ..store import accounts, attempts, practice, reviews, roster
from . import bp
from .forms import ActionForm, CommentForm, ScoreForm


def queue_filter() -> str | None:
    """The queue filter named in the address (?show=), if it is one we know."""
    show = request.args.get("show")
    return show if show in reviews.FILTERS else None


def percent(score: float | None) -> str:
    """A score as the teacher reads it in a message."""
    return "no score" if score is None else f"{round(score * 100)}%"


@bp.get("/assignments/<int:assignment_id>/review")
@login_required("teacher")
def review_queue(assignment_id: int):
    """An assignment's submissions to review: work waiting first, then the rest."""
    assignment = my_assignment(assignment_id)
    db = get_db()
    show = queue_filter()
    return render_template(
        "teacher/review_queue.html",
        assignment=assignment,
        exercise=library().exercises.get(assignment["exercise_id"]),
        students=reviews.queue(db, assignment_id, show),
        counts=reviews.queue_counts(db, assignment_id),
        gradebook=grades.gradebook_states(db, assignment_id),
        filters=reviews.FILTERS,
        show=show,
    )


@bp.get("/attempts/<int:attempt_id>/review")
@login_required("teacher")
def review_attempt(attempt_id: int):
    """One attempt laid over the answer key, with the forms to credit, score and comment."""
    return render_review(my_attempt(attempt_id, to_review=True))


def render_review(
    attempt: dict,
    score_form: ScoreForm | None = None,
    comment_form: CommentForm | None = None,
    status: int = 200,
):
    """The review page of an attempt; forms passed in carry the errors of a refused POST."""
    db = get_db()
    review = reviews.state(db, attempt["id"])
    exercise, result = attempt["snapshot"], attempt["result"]
    highlights = reviewed_highlights(
        attempt["highlights"], credit.extra_ids(attempt), review["credited"]
    )
    articles = marked_articles(
        exercise,
        attempt["highlights"],
        key=True,
        statuses=item_statuses(result),
        extras=[h for h in highlights if h["extra"]],
        reader="teacher",
    )
    if score_form is None:
        score = attempt["score"]
        score_form = ScoreForm(
            prefix="score",
            percent=None if score is None else Decimal(str(round(score * 100, 1))),
        )
    if comment_form is None:
        comment_form = CommentForm(prefix="comment", comment=review["comment"])
    show = queue_filter()
    page = render_template(
        "teacher/review.html",
        attempt=attempt,
        klass=roster.owned_class(db, attempt["class_id"], g.user["id"]),
        student=accounts.get_user(db, attempt["student_id"]),
        exercise=exercise,
        result=result,
        steps=step_results(exercise, result),
        articles=articles,
        highlights=highlights,
        review=review,
        attempts=attempts.attempts_for(db, attempt["assignment_id"], attempt["student_id"]),
        seen=practice.answers_seen(db, attempt["assignment_id"], attempt["student_id"]),
        counted=practice.counted_attempt(db, attempt["assignment_id"], attempt["student_id"]),
        around=reviews.neighbours(db, attempt["id"], show),
        show=show,
        filters=reviews.FILTERS,
        action=ActionForm(),
        score_form=score_form,
        comment_form=comment_form,
    )
    return page, status


def back_to(attempt_id: int):
    """Back to the attempt's review page, keeping the queue filter the teacher came with."""
    return redirect(url_for("teacher.review_attempt", attempt_id=attempt_id, show=queue_filter()))


@bp.post("/attempts/<int:attempt_id>/highlights/<int:highlight_id>/<any(credit, uncredit):change>")
@login_required("teacher")
def credit_highlight(attempt_id: int, highlight_id: int, change: str):
    """Count a highlight that is not in the key as correct, or stop counting it; re-grade."""
    my_attempt(attempt_id, to_review=True)
    if not ActionForm().validate_on_submit():
        abort(400, "The form could not be read. Reload the page and try again.")
    decide = credit.credit if change == "credit" else credit.uncredit
    try:
        changed = decide(get_db(), attempt_id, highlight_id, g.user["id"])
    except reviews.ReviewError as err:
        abort(400, str(err))
    score = attempts.get_attempt(get_db(), attempt_id)["score"]
    if changed:
        grades.changed_attempts(get_db(), [attempt_id])
    if not changed:
        flash(f"Nothing changed: that highlight was already {change}ed.", "info")
    elif change == "credit":
        flash(f"Highlight credited. The score is now {percent(score)}.", "success")
    else:
        flash(f"Credit taken back. The score is now {percent(score)}.", "success")
    return back_to(attempt_id)


@bp.post("/attempts/<int:attempt_id>/score")
@login_required("teacher")
def set_score(attempt_id: int):
    """Set the score that counts by hand; the automatic score is kept beside it."""
    attempt = my_attempt(attempt_id, to_review=True)
    form = ScoreForm(prefix="score")
    if not form.validate_on_submit():
        return render_review(attempt, score_form=form, status=400)
    score = float(form.percent.data) / 100
    reviews.set_score(get_db(), attempt_id, score, g.user["id"])
    grades.changed_attempts(get_db(), [attempt_id])
    flash(
        f"Score set to {percent(score)}. The automatic score, {percent(attempt['auto_score'])}, "
        "is kept.",
        "success",
    )
    return back_to(attempt_id)


@bp.post("/attempts/<int:attempt_id>/comment")
@login_required("teacher")
def set_comment(attempt_id: int):
    """Write, change or clear the comment the student sees with their feedback."""
    attempt = my_attempt(attempt_id, to_review=True)
    form = CommentForm(prefix="comment")
    if not form.validate_on_submit():
        return render_review(attempt, comment_form=form, status=400)
    text = form.comment.data or ""
    if not reviews.set_comment(get_db(), attempt_id, text, g.user["id"]):
        flash("The comment is unchanged.", "info")
    elif text.strip():
        flash("Comment saved. The student sees it with their feedback.", "success")
    else:
        flash("Comment removed.", "success")
    return back_to(attempt_id)
