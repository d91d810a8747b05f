"""Deep linking: from the platform's picker a teacher chooses an exercise and its settings (due
date, feedback mode, attempts, which attempt counts), which assigns it to the course's class;
the signed answer goes back to the platform, which makes a link (and a gradebook column) that
launches that assignment."""

from __future__ import annotations

from flask import abort, g, make_response, redirect, render_template, url_for

from ..auth import login_required
from ..db import get_db
from ..exercises import library
from ..security import CSP
from ..store import classes
from ..store import lti as store
from ..teacher.classes import assign_form, save_settings
from . import services
from .claims import origin
from .routes import bp, this_launch


@bp.route("/deep-link", methods=["GET", "POST"])
@login_required("teacher")
def deep_link():
    """The platform's picker: choose an exercise and its settings; it is assigned to the
    course's class and sent back to the platform as a link to launch."""
    done = this_launch()
    if done.kind != "deep_link":
        abort(403, "This page follows the platform's 'add a Classroom activity' only.")
    db = get_db()
    course = store.course(db, done.issuer, done.context_id or "")
    if course is None:
        return redirect(url_for("lti.link_course"))
    if course["teacher_id"] != g.user["id"]:
        abort(403, "This course is linked to another teacher's class.")
    form = assign_form(set())
    form.submit.label.text = "Add it to the course"
    if not form.validate_on_submit():
        return render_template("lti/deep_link.html", form=form, launch=done, course=course)
    with db.atomic():
        assignment_id = classes.assign(db, course["class_id"], form.exercise_id.data)
        save_settings(db, assignment_id, form)
    exercise = library().exercises[form.exercise_id.data]
    item = services.Item(exercise.title, url_for("lti.launch", _external=True), assignment_id)
    return_url, answer = services.deep_link_answer(done.launch_id, [item])
    page = render_template(
        "lti/deep_link_return.html", return_url=return_url, answer=answer, title=exercise.title
    )
    response = make_response(page)
    # the page posts the answer to the platform: that one address joins 'self' as a form target
    csp = CSP.replace("form-action 'self'", f"form-action 'self' {origin(return_url)}")
    csp = csp.replace("frame-ancestors 'none'", f"frame-ancestors {g.get('frame_ancestors')}")
    response.headers["Content-Security-Policy"] = csp
    return response
