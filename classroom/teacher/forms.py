"""The teacher's forms: classes, assignments, and buttons that change something."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
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
    SelectChoice("guided", "Guided practice: hints first, the answers when the student asks"),
    SelectChoice("submit", "The answers at once, after each submission"),
    SelectChoice("due", "Everything after the due date"),
]
COUNTING_CHOICES = [
    SelectChoice("best_before_answers", "The best attempt made before seeing the answers"),
    SelectChoice("best", "The best attempt"),
    SelectChoice("latest", "The latest attempt"),
    SelectChoice("first", "The first attempt"),
]
# What each choice means, shown under it (templates/teacher/_assignment_fields.html).
CHOICE_HELP = {
    "feedback_after": {
        "guided": "After each submission the student sees what they found and, for each thing "
        "they missed, the step, the kind of problem and the paragraph to look in, never its "
        "words; then they try again. The answers show when they ask for them (you see that "
        "they did, and which attempts came after) or once their attempts are used up.",
        "submit": "Every submission shows the score, the whole answer key and the model "
        "answers. A student can read them and submit again.",
        "due": "Until the due date passes, students see only that their work was submitted: "
        "no score, mark, answer or comment. Needs a due date.",
    },
    "counting": {
        "best_before_answers": "Retries after looking at the answers do not raise the grade. "
        "With the answers shown at once, this is the first attempt.",
        "best": "The highest score of all attempts, whenever they were made.",
        "latest": "The last attempt submitted, even if an earlier one scored higher.",
        "first": "The first attempt; later ones are practice.",
    },
}
MAX_ATTEMPTS = 100
ATTEMPTS_RANGE = (
    f"Attempts allowed is a whole number from 1 to {MAX_ATTEMPTS}, or blank for no limit."
)


class ClassForm(FlaskForm):
    """A class's name (new or renamed)."""

    name = StringField("Class name", validators=[DataRequired(), Length(max=80)])
    submit = SubmitField("Save")


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels with it."""

    submit = SubmitField("Go")


class AttemptsField(IntegerField):
    """A number of attempts, blank for no limit: what is not a whole number is None, for
    attempts_in_range to say so once, in words."""

    def process_formdata(self, valuelist):
        """The whole number sent, or None."""
        if valuelist:
            text = valuelist[0].strip()
            self.data = whole_number(text) if text else None


def attempts_in_range(form, field):
    """From 1 to MAX_ATTEMPTS (Optional before it lets a blank through)."""
    if field.data is None or not 1 <= field.data <= MAX_ATTEMPTS:
        raise StopValidation(ATTEMPTS_RANGE)


class AssignmentForm(FlaskForm):
    """When an assignment is due, what feedback students get, how many attempts they have and
    which one counts. A field the request leaves out keeps the value the form was made with."""

    choice_help = CHOICE_HELP
    due_date = DateField("Due date (optional)", validators=[Optional()])
    due_time = TimeField("Due time", validators=[Optional()])
    feedback_after = RadioField(
        "Feedback after each attempt", choices=FEEDBACK_CHOICES, default="guided"
    )
    attempts_allowed = AttemptsField(
        "Attempts allowed",
        validators=[Optional(), attempts_in_range],
        description="Leave blank for no limit. A student who has used every attempt keeps "
        "their draft but cannot submit again.",
        render_kw={"min": 1, "max": MAX_ATTEMPTS, "inputmode": "numeric"},
    )
    counting = RadioField(
        "The attempt that counts in the gradebook",
        choices=COUNTING_CHOICES,
        default="best_before_answers",
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
