"""The student's pages: assignments, the exercise page, submitting, and feedback."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, g, redirect, render_template, request

from . import credit, drafts
from .access import my_assignment, my_attempt
from .auth import login_required
from .db import get_db
from .exercises import get_exercise, library
from .feedback import FILTERS, filter_counts, shown_filter, step_results, summary
from .held import feedback_held, feedback_shown, guided_feedback, unscored
from .lti import grades
from .marks import item_statuses, marked_articles, reviewed_highlights
from .parts import exercise_parts
from .practice import attempts_in_words, attempts_left
from .store import attempts, classes, practice, reviews
from .templating import url_for
from .work import InvalidWork

bp = Blueprint("student", __name__)


def status_of(row: dict) -> str:
    """Not started, in progress or submitted, from the stored rows."""
    if row["attempts"]:
        return "submitted"
    return "in progress" if row["draft_saved_at"] else "not started"


@bp.get("/home")
@login_required("student")
def home():
    """My assigned exercises with their status and latest score (none while feedback is held)."""
    exercises = library().exercises
    rows = []
    for row in classes.student_assignments(get_db(), g.user["id"]):
        held = feedback_held(row, g.user["role"])
        rows.append(
            {
                **(unscored(row) if held else row),
                "status": status_of(row),
                "exercise": exercises.get(row["exercise_id"]),
                "held": held,
            }
        )
    return render_template("student/home.html", assignments=rows)


@bp.get("/assignments/<int:assignment_id>")
@login_required("student")
def exercise(assignment_id: int):
    """The exercise page: the article(s) beside the guided steps, and the earlier attempts."""
    assignment = my_assignment(assignment_id)
    exercise = get_exercise(assignment["exercise_id"])
    draft = drafts.opened(get_db(), assignment, g.user["id"], exercise)
    work = draft["work"]
    held = feedback_held(assignment, g.user["role"])
    earlier = attempts.attempts_for(get_db(), assignment_id, g.user["id"])
    left = attempts_left(assignment["attempts_allowed"], len(earlier))
    return render_template(
        "student/exercise.html",
        assignment=assignment,
        exercise=exercise,
        parts=exercise_parts(exercise),
        work=work,
        work_data={
            "draftUrl": url_for("api.draft", assignment_id=assignment_id),
            "sessionUrl": url_for("api.session"),
            "work": work,
            "revision": draft["revision"],  # what the page's saves are based on
            "userId": g.user["id"],
            # where this browser keeps work the server has not taken yet, per user and assignment
            "keptKey": f"classroom:unsaved:{g.user['id']}:{assignment_id}",
        },
        saved_at=draft["saved_at"],
        held=held,
        attempts=[unscored(a) for a in earlier] if held else earlier,
        attempts_left=left,
        # names what this page submits, so that a double click is recorded once
        submission_token=secrets.token_urlsafe(16),
    )


@bp.post("/assignments/<int:assignment_id>/submit")
@login_required("student")
def submit(assignment_id: int):
    """Record an attempt from the submitted form, grade it, and show the feedback."""
    assignment = my_assignment(assignment_id)
    exercise = get_exercise(assignment["exercise_id"])
    try:
        attempt_id = drafts.submit(get_db(), assignment, g.user["id"], exercise, request.form)
    except drafts.AssignmentClosed:
        abort(
            403,
            "This assignment is closed: your teacher no longer takes submissions. "
            "Your draft is kept.",
        )
    except drafts.AttemptsUsedUp as used:
        abort(
            403,
            f"You have made all {attempts_in_words(used.allowed)} your teacher allows at this "
            "assignment, so this was not submitted. Your work is kept as your draft.",
        )
    except drafts.UnreadableHighlights:
        abort(
            400,
            "The highlights sent with the form were not readable. Your saved draft is "
            "kept; reload the page and submit again.",
        )
    except InvalidWork as err:
        abort(400, f"{err}. Your saved draft is kept; reload the page and submit again.")
    grades.changed(get_db(), assignment_id, [g.user["id"]])  # to a platform's gradebook, after
    return redirect(url_for("student.feedback", attempt_id=attempt_id))


@bp.get("/attempts/<int:attempt_id>")
@login_required()
def feedback(attempt_id: int):
    """An attempt's feedback, for the student who made it or the class's teacher."""
    db = get_db()
    attempt = my_attempt(attempt_id)
    exercise = attempt["snapshot"]
    listed = attempts.attempts_for(db, attempt["assignment_id"], attempt["student_id"])
    shown = feedback_shown(attempt, g.user["role"])
    if shown == "guided":
        # what they found, and where to look for the rest: nothing of the key's other words
        highlights = reviewed_highlights(
            attempt["highlights"], credit.extra_ids(attempt), reviews.credited_ids(db, attempt_id)
        )
        extras = [h for h in highlights if h["extra"]]
        return render_template(
            "student/guided.html",
            guided=guided_feedback(attempt, len(extras)),
            extras=extras,
            comment=reviews.current_comment(db, attempt_id),
            attempts=listed,
        )
    if shown == "held":
        # when it was submitted and the student's own highlights: nothing of how it did, and
        # of the exercise (whose snapshot holds the key) only its title
        return render_template(
            "student/feedback.html",
            held=True,
            attempt=unscored(attempt),
            exercise={"title": exercise["title"]},
            articles=marked_articles(exercise, attempt["highlights"], reader="student"),
            attempts=[unscored(a) for a in listed],
        )
    if g.user["role"] == "student" and attempt["answers_seen"] is None:
        # the first page that shows the student the answers: attempts from now on come after
        reason = "attempts_used" if attempt["feedback_after"] == "guided" else "shown"
        practice.record_answers_seen(db, attempt["assignment_id"], attempt["student_id"], reason)
    result = attempt["result"]
    highlights = reviewed_highlights(
        attempt["highlights"], credit.extra_ids(attempt), reviews.credited_ids(db, attempt_id)
    )
    extras = [h for h in highlights if h["extra"]]
    steps = step_results(exercise, result)
    return render_template(
        "student/feedback.html",
        held=False,
        attempt=attempt,
        exercise=exercise,
        steps=steps,
        summary=summary(exercise, steps, len(extras)),
        counts=filter_counts(steps),
        show=shown_filter(request.args.get("show")),
        filters=FILTERS,
        filter_urls={
            name: url_for("student.feedback", attempt_id=attempt_id, show=name) + "#feedback-list"
            for name in FILTERS
        },
        articles=marked_articles(
            exercise,
            attempt["highlights"],
            key=True,
            statuses=item_statuses(result),
            reader="student",  # the student's page as they see it, even when a teacher opens it
        ),
        extras=extras,
        comment=reviews.current_comment(db, attempt_id),
        attempts=listed,
        seen=practice.answers_seen(db, attempt["assignment_id"], attempt["student_id"]),
    )


@bp.post("/assignments/<int:assignment_id>/answers")
@login_required("student")
def show_answers(assignment_id: int):
    """Guided practice: show me the answers. Recorded (once) for the teacher, and every attempt
    from now on is marked as made after seeing them; then the latest attempt's feedback."""
    assignment = my_assignment(assignment_id)
    db = get_db()
    listed = attempts.attempts_for(db, assignment_id, g.user["id"])
    if not listed:
        abort(400, "Submit an attempt first: the answers come after you have tried.")
    if feedback_held(assignment, g.user["role"]):
        abort(403, "Your teacher shows the answers after the due date.")
    if assignment["feedback_after"] == "guided":
        practice.record_answers_seen(db, assignment_id, g.user["id"], "asked")
    return redirect(url_for("student.feedback", attempt_id=listed[0]["id"]))
