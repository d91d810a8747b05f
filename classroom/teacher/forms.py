"""The teacher's forms: classes, assignments, and buttons that change something."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

FEEDBACK_CHOICES = [
    SelectChoice("submit", "Right after the student submits"),
    SelectChoice("due", "After the due date"),
]


class ClassForm(FlaskForm):
    """A class's name (new or renamed)."""

    name = StringField("Class name", validators=[DataRequired(), Length(max=80)])
    submit = SubmitField("Save")


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels with it."""

    submit = SubmitField("Go")


class AssignmentForm(FlaskForm):
    """When an assignment is due, and when students see feedback and the answer key."""

    due_date = DateField("Due date (optional)", validators=[Optional()])
    due_time = TimeField("Due time", validators=[Optional()])
    feedback_after = RadioField(
        "Show feedback and the answer key", choices=FEEDBACK_CHOICES, default="submit"
    )
    submit = SubmitField("Save")

    def validate_feedback_after(self, field):
        """Feedback after the due date needs a due date."""
        if field.data == "due" and not self.due_date.data:
            raise ValidationError("Set a due date, or show feedback right after submitting.")


class AssignForm(AssignmentForm):
    """Assign an exercise to the class."""

    exercise_id = SelectField("Exercise", validators=[DataRequired()])
    submit = SubmitField("Assign")
