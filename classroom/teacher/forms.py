"""The teacher's forms: classes, assignments, and buttons that change something."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from ..numbers import whole_number

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


SCORE_RANGE = "A score is from 0 to 100."


def finite(form, field):
    """Stop at NaN and the infinities, which Decimal reads ("sNaN", "inf"): no score, and
    a signalling NaN cannot even be compared with the range's ends."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(SCORE_RANGE)


class ScoreForm(FlaskForm):
    """The score that counts for an attempt, set by the teacher as a percentage."""

    # InputRequired, not DataRequired: a score of 0 is a real answer.
    percent = DecimalField(
        "Score (%)",
        places=1,
        validators=[
            InputRequired("Enter a score from 0 to 100."),
            finite,
            NumberRange(0, 100, SCORE_RANGE),
        ],
    )
    submit = SubmitField("Set the score")


class CommentForm(FlaskForm):
    """The teacher's comment on an attempt, shown to the student with their feedback."""

    comment = TextAreaField("Comment for the student", validators=[Length(max=2000)])
    submit = SubmitField("Save the comment")


class CreditAllForm(FlaskForm):
    """Credit a highlight that is not in the answer key, for every student who made it."""

    # attempt_highlights ids, comma-separated; the view keeps only those it may credit.
    highlights = StringField("Highlights", validators=[DataRequired(), Length(max=20_000)])
    submit = SubmitField("Credit for all")

    def validate_highlights(self, field):
        """Ids are whole numbers separated by commas, none past the largest a row can have."""
        if None in self.highlight_ids():
            raise ValidationError("Highlight ids are whole numbers separated by commas.")

    def highlight_ids(self) -> list[int | None]:
        """The highlight ids sent (None for each that is not an id, once validated none)."""
        return [whole_number(part) for part in self.highlights.data.split(",")]
