"""Classes and assignments: the dashboard, a class's page, roster actions, assigning work."""

from __future__ import annotations

from datetime import time

from flask import abort, flash, g, redirect, render_template, url_for
from wtforms.fields.choices import SelectChoice

from ..access import my_assignment, my_class, my_student
from ..auth import login_required
from ..clock import local, to_utc
from ..db import get_db
from ..exercises import library
from ..lti import grades
from ..store import classes, lti, lti_grades, practice, roster
from . import bp, school_zone
from .forms import ActionForm, AssignForm, AssignmentForm, ClassForm

END_OF_DAY = time(23, 59)


@bp.get("/")
@login_required("teacher")
def home():
    """My classes with their students, open assignments and work waiting for review."""
    return render_template(
        "teacher/home.html",
        classes=roster.classes_overview(get_db(), g.user["id"]),
        form=ClassForm(),
    )


@bp.post("/classes")
@login_required("teacher")
def create_class():
    """Create a class with a fresh join code."""
    form = ClassForm()
    if not form.validate_on_submit():
        abort(400, "A class needs a name of at most 80 characters.")
    klass = classes.create_class(get_db(), g.user["id"], form.name.data.strip())
    flash(f"Class created. Students join with the code {klass['join_code']}.", "success")
    return redirect(url_for("teacher.class_page", class_id=klass["id"]))


def assign_form(taken: set[str]) -> AssignForm:
    """The assign form, offering the exercises not assigned to the class yet (not in taken)."""
    form = AssignForm(prefix="assign")
    form.exercise_id.choices = [
        SelectChoice(e.id, e.title)
        for e in sorted(library().exercises.values(), key=lambda e: e.title)
        if e.id not in taken
    ]
    return form


@bp.get("/classes/<int:class_id>")
@login_required("teacher")
def class_page(class_id: int):
    """A class: its join code, roster with progress, and assignments with completion."""
    klass = my_class(class_id)
    db = get_db()
    exercises = library().exercises
    assignments = [
        {**a, "exercise": exercises.get(a["exercise_id"])}
        for a in roster.class_assignments(db, class_id)
    ]
    return render_template(
        "teacher/class.html",
        klass=klass,
        students=roster.roster(db, class_id),
        from_platform=lti.students_from_platforms(db, class_id),
        course=lti.course_of_class(db, class_id),
        assignments=assignments,
        rename_form=ClassForm(name=klass["name"], prefix="rename"),
        assign_form=assign_form({a["exercise_id"] for a in assignments}),
        action=ActionForm(),
    )


@bp.post("/classes/<int:class_id>/rename")
@login_required("teacher")
def rename_class(class_id: int):
    """Rename a class."""
    my_class(class_id)
    form = ClassForm(prefix="rename")
    if not form.validate_on_submit():
        abort(400, "A class needs a name of at most 80 characters.")
    roster.rename_class(get_db(), class_id, form.name.data.strip())
    flash("Class renamed.", "success")
    return redirect(url_for("teacher.class_page", class_id=class_id))


@bp.post("/classes/<int:class_id>/join-code")
@login_required("teacher")
def new_join_code(class_id: int):
    """Replace the join code: the old one stops working at once."""
    my_class(class_id)
    ActionForm().validate_on_submit()
    code = roster.new_code(get_db(), class_id)
    flash(f"New join code: {code}. The old code no longer works.", "success")
    return redirect(url_for("teacher.class_page", class_id=class_id))


@bp.post("/classes/<int:class_id>/joining/<any(open, closed):state>")
@login_required("teacher")
def set_joining(class_id: int, state: str):
    """Turn joining with the code on or off."""
    my_class(class_id)
    roster.set_joining(get_db(), class_id, state == "open")
    flash(
        "Students can join with the code."
        if state == "open"
        else "Joining is off: the code no longer works.",
        "success",
    )
    return redirect(url_for("teacher.class_page", class_id=class_id))


@bp.post("/classes/<int:class_id>/students/<int:student_id>/remove")
@login_required("teacher")
def remove_student(class_id: int, student_id: int):
    """Take a student out of the class; their account and past work are kept."""
    student = my_student(class_id, student_id)
    roster.remove_student(get_db(), class_id, student_id)
    flash(f"{student['display_name']} was removed from the class. Their work is kept.", "success")
    return redirect(url_for("teacher.class_page", class_id=class_id))


@bp.post("/classes/<int:class_id>/students/<int:student_id>/reset-password")
@login_required("teacher")
def reset_password(class_id: int, student_id: int):
    """Show a one-time code once; the student logs in with it and chooses a new password. A
    student who signs in through a learning platform has no password, and gets none here: a
    code would open a second way in that the platform does not control."""
    student = my_student(class_id, student_id)
    if lti.from_platform(get_db(), student_id):
        abort(409, "This student signs in through the learning platform: there is no password.")
    code = roster.reset_password(get_db(), student_id)
    return render_template(
        "teacher/reset.html", klass=my_class(class_id), student=student, code=code
    )


@bp.post("/classes/<int:class_id>/assignments")
@login_required("teacher")
def assign(class_id: int):
    """Assign an exercise to the class, with an optional due date."""
    my_class(class_id)
    form = assign_form(roster.assigned_exercises(get_db(), class_id))
    if not form.validate_on_submit():
        errors = "; ".join(e for field in form for e in field.errors)
        abort(400, f"The exercise could not be assigned: {errors}")
    db = get_db()
    with db.atomic():
        assignment_id = classes.assign(db, class_id, form.exercise_id.data)
        save_settings(db, assignment_id, form)
    flash("Exercise assigned.", "success")
    return redirect(url_for("teacher.class_page", class_id=class_id))


def save_settings(db, assignment_id: int, form: AssignmentForm) -> None:
    """Store what the form says: due date, feedback mode, attempts allowed, which one counts.
    A change to which attempt counts or to when feedback shows changes what a platform's
    gradebook should show (another score, or none until the due date): each student's score
    there is sent again (classroom.lti.grades decides what, and when)."""
    with db.atomic():
        before = lti_grades.feedback_rule(db, assignment_id)
        roster.update_assignment(db, assignment_id, due_from(form), form.feedback_after.data)
        practice.set_practice(db, assignment_id, form.attempts_allowed.data, form.counting.data)
        after = lti_grades.feedback_rule(db, assignment_id)
    if before != after:
        grades.changed(db, assignment_id, lti_grades.students_at(db, assignment_id))


def due_from(form: AssignmentForm) -> str | None:
    """The due date and time from the form, stored in UTC (the end of the day by default)."""
    if not form.due_date.data:
        return None
    return to_utc(form.due_date.data, form.due_time.data or END_OF_DAY, school_zone())


@bp.route("/assignments/<int:assignment_id>/settings", methods=["GET", "POST"])
@login_required("teacher")
def assignment_settings(assignment_id: int):
    """Change an assignment's due date, feedback mode, attempts allowed and which one counts.

    A field the request leaves out keeps its value; a refused form comes back with its errors,
    as 400."""
    assignment = my_assignment(assignment_id)
    due = local(assignment["due_at"], school_zone())
    form = AssignmentForm(
        due_date=due.date() if due else None,
        due_time=due.time() if due else None,
        feedback_after=assignment["feedback_after"],
        attempts_allowed=assignment["attempts_allowed"],
        counting=assignment["counting"],
    )
    if form.validate_on_submit():
        save_settings(get_db(), assignment_id, form)
        flash("Assignment saved.", "success")
        return redirect(url_for("teacher.class_page", class_id=assignment["class_id"]))
    exercise = library().exercises.get(assignment["exercise_id"])
    page = render_template(
        "teacher/assignment_settings.html",
        assignment=assignment,
        exercise=exercise,
        form=form,
        action=ActionForm(),
    )
    return page, 400 if form.is_submitted() else 200


@bp.post("/assignments/<int:assignment_id>/<any(close, reopen):change>")
@login_required("teacher")
def close_assignment(assignment_id: int, change: str):
    """Close an assignment to new submissions, or open it again."""
    assignment = my_assignment(assignment_id)
    roster.set_closed(get_db(), assignment_id, change == "close")
    flash(
        "Assignment closed: students can read it but not submit."
        if change == "close"
        else "Assignment open again.",
        "success",
    )
    return redirect(url_for("teacher.class_page", class_id=assignment["class_id"]))


@bp.post("/assignments/<int:assignment_id>/move/<any(up, down):direction>")
@login_required("teacher")
def move_assignment(assignment_id: int, direction: str):
    """Move an assignment up or down the class's list: students see it in the same order."""
    assignment = my_assignment(assignment_id)
    db = get_db()
    with db.atomic():
        moved = roster.move_assignment(
            db, assignment_id, assignment["class_id"], -1 if direction == "up" else 1
        )
    if moved:
        exercise = library().exercises.get(assignment["exercise_id"])
        title = exercise.title if exercise else assignment["exercise_id"]
        flash(f"“{title}” moved {direction}: students see the list in this order.", "success")
    return redirect(url_for("teacher.class_page", class_id=assignment["class_id"]))
