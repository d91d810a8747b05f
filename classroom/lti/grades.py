"""Grade passback (LTI Assignment and Grade Services): a student's score that counts goes to the
platform's gradebook column of the assignment, after a submission and after a teacher changes
it, and again later while the platform refuses or does not answer.

A change is recorded in the same request (store.lti_grades.want: one row); the sending happens
after the response has gone (Werkzeug's call_on_close), so a platform that is down never
slows or fails the student's submission or the teacher's decision. What is still due is sent
by the next change's sender (a few at a time) and by `flask lti send-grades` (run it from
cron). The score sent is read when it is sent, so a late send carries the latest score.
"""

from __future__ import annotations

from collections import Counter

import requests
from flask import after_this_request, current_app, has_request_context
from sqlite_utils import Database

from ..held import feedback_held
from ..store import lti as store
from ..store import lti_grades
from ..store.engine import database_errors
from . import services

ALONG = 5  # rows already due that each change's sender takes along


def changed_attempts(db: Database, attempt_ids: list[int]) -> None:
    """These attempts' scores changed (a teacher's decision): see changed."""
    for attempt_id in attempt_ids:
        if pair := lti_grades.pair_of(db, attempt_id):
            changed(db, pair[0], [pair[1]])


def changed(db: Database, assignment_id: int, student_ids: list[int]) -> None:
    """These students' scores at the assignment changed: record it, and send after the
    response (in a request; at once outside one, as in a command). The change is already
    stored: a failure here is logged, never the request's."""
    try:
        wanted = [s for s in student_ids if lti_grades.want(db, assignment_id, s)]
    except database_errors():
        current_app.logger.exception("scores for the platform not recorded")
        return
    if not wanted:
        return
    if not has_request_context():
        for student_id in wanted:
            send_one(db, assignment_id, student_id)
        return
    app = current_app._get_current_object()

    @after_this_request
    def send_after(response):
        response.call_on_close(lambda: _send_later(app, assignment_id, wanted))
        return response


def _send_later(app, assignment_id: int, student_ids: list[int]) -> None:
    """After the response: these rows, then a few others that are due; never raises."""
    try:
        with app.app_context():
            from ..db import get_db

            db = get_db()
            for student_id in student_ids:
                send_one(db, assignment_id, student_id)
            send_due(db, limit=ALONG)
    except Exception:  # after the response there is nobody to tell but the log
        app.logger.exception("sending scores to the platform failed")


def gradebook_states(db: Database, assignment_id: int) -> dict | None:
    """For the teacher's review queue: the platform gradebook the assignment's scores go to
    (its platform's name) and each student's row there; None if they go to none."""
    column = store.gradebook_column(db, assignment_id)
    if column is None:
        return None
    return {"platform": column["platform"]["name"], "rows": lti_grades.states(db, assignment_id)}


def send_due(db: Database, limit: int = 100) -> Counter:
    """Send the rows that are due now; how many were sent, failed, held or dropped."""
    done: Counter = Counter()
    for row in lti_grades.due(db, limit):
        done[send_one(db, row["assignment_id"], row["student_id"])] += 1
    return done


def send_one(db: Database, assignment_id: int, student_id: int) -> str:
    """Send one student's score at one assignment if it is due: 'sent', 'failed', 'held'
    (feedback comes after the due date: sent then), 'dropped' (nowhere to send it) or 'busy'
    (not due, or another sender has it)."""
    row = lti_grades.claim(db, assignment_id, student_id)
    if row is None:
        return "busy"
    column = store.gradebook_column(db, assignment_id)
    subject = column and store.subject_of(db, student_id, column["issuer"])
    if not column or not subject or not column["platform"]:
        lti_grades.drop(db, row)
        return "dropped"
    assignment = lti_grades.feedback_rule(db, assignment_id)
    held = feedback_held(assignment, "student")  # the platform would show it to the student
    if held and row["sent_score"] is None:  # nothing shown there: wait for the due date
        lti_grades.wait_until(db, row, assignment["due_at"])
        return "held"
    # held again after a score went (a due date moved on): the platform gets "no score yet"
    _, score = (False, None) if held else lti_grades.counted_score(db, assignment_id, student_id)
    try:
        services.send_score(
            column["platform"], column["lineitem_url"], column["scopes"].split(), subject, score
        )
    except (services.LtiException, requests.RequestException) as err:
        when = lti_grades.failed(db, row, _words(err))
        current_app.logger.warning(
            "score for assignment %s, student %s not sent (%s); next try %s",
            assignment_id,
            student_id,
            _words(err),
            when,
        )
        return "failed"
    if held:
        lti_grades.hidden(db, row)
        lti_grades.wait_until(db, row, assignment["due_at"])
        return "held"
    lti_grades.sent(db, row, score)
    return "sent"


def _words(err: Exception) -> str:
    """What went wrong, in a line the teacher can read: the platform's status, if it gave one."""
    response = getattr(err, "response", None)
    if response is None and err.args and isinstance(err.args[-1], requests.Response):
        response = err.args[-1]
    if response is not None:
        return f"the platform answered {response.status_code} {response.reason or ''}".strip()
    return f"the platform could not be reached ({type(err).__name__})"
