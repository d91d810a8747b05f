"""The forms of the LTI pages: linking a platform course to a class, choosing an exercise for
a platform's picker, and registering a platform."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField


class LinkCourseForm(FlaskForm):
    """Which class a platform course opens: a new one, or one of the teacher's own."""

    class_id = SelectField("Open this course as", choices=[])
    submit = SubmitField("Link the course")
