"""The studio's forms: starting a draft from an article or from an exercise, another article,
a new step, and the form of each step, made from what its task type's editor declares."""

from __future__ import annotations

from collections.abc import Callable

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..content.html_text import paragraphs
from ..content.studio import MAX_TITLE, normalised
from ..content.tasks import Task
from ..content.tasks.editor import MAX_OPTIONS, OPTION_ROWS, EditorField, StepContext

MAX_ARTICLE_BYTES = 200_000  # an article's text: some 30,000 words, more than any news story
SOURCES = [
    SelectChoice("text", "Paste the text"),
    SelectChoice("html", "Paste HTML (copied from a web page's source)"),
    SelectChoice("file", "Upload a .txt file"),
]


class ArticleForm(FlaskForm):
    """A new exercise on an article: what is known of it, and its text by one of three ways."""

    title = StringField("Title of the article", validators=[DataRequired(), Length(max=MAX_TITLE)])
    outlet = StringField("Source or outlet", validators=[Optional(), Length(max=120)])
    date = StringField("Date published", validators=[Optional(), Length(max=40)])
    link = StringField(
        "Link",
        validators=[Optional(), URL(message="Give the whole address, https://…"), Length(max=500)],
    )
    source = RadioField("The article's text", choices=SOURCES, default="text")
    text = TextAreaField("Text or HTML of the article")
    upload = FileField(
        "Text file (.txt, UTF-8)",
        validators=[Optional(), FileAllowed(["txt"], "Upload a .txt file, saved as UTF-8 text.")],
    )
    submit = SubmitField("Start the exercise")

    article_text: str = ""

    def validate_text(self, field) -> None:
        """The article's text, by the way chosen: kept verbatim but for line endings."""
        if self.source.data == "file":
            upload = self.upload.data
            if not upload or not getattr(upload, "filename", ""):
                raise ValidationError("Choose the .txt file of the article.")
            raw = upload.read(MAX_ARTICLE_BYTES + 1)
            if len(raw) > MAX_ARTICLE_BYTES:
                raise ValidationError(
                    f"The file is over {MAX_ARTICLE_BYTES // 1000} KB: is it one article?"
                )
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as err:
                raise ValidationError(
                    "The file is not UTF-8 text: save it as UTF-8 and upload it again."
                ) from err
        else:
            text = field.data or ""
            if self.source.data == "html":
                text = paragraphs(text)
        text = normalised(text)
        if not text.strip():
            raise ValidationError("The article has no text: paste it, or upload its file.")
        if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
            raise ValidationError(
                f"The article is {len(text.encode('utf-8')) // 1000} KB; the limit is "
                f"{MAX_ARTICLE_BYTES // 1000} KB."
            )
        self.article_text = text


class FromExerciseForm(FlaskForm):
    """A draft of an exercise that exists, to edit it."""

    exercise_id = SelectField("Exercise", validators=[DataRequired()])
    submit = SubmitField("Open it in the studio")


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels with it."""

    submit = SubmitField("Go")


class NewArticleForm(ArticleForm):
    """Another article for the draft (to compare with), pasted or uploaded as the first was."""

    submit = SubmitField("Add the article")


class LibraryArticleForm(FlaskForm):
    """Another article for the draft, from the articles the exercises folder has."""

    article_id = SelectField("Article", validators=[DataRequired()])
    submit = SubmitField("Add this article")


class AddStepForm(FlaskForm):
    """A new step, of one of the kinds the task types offer for the draft."""

    step = SelectField("Kind of step", validators=[DataRequired()])
    submit = SubmitField("Add the step")


# --- the form of a step, made from what its task type's editor declares ---------------------


class OptionRow(Form):
    """One row of a choice step's options (a plain Form: the step's form carries the token)."""

    text = StringField("Text")
    correct = BooleanField("Correct answer")
    feedback = TextAreaField("Feedback", render_kw={"rows": 2})


def _checkboxes(f: EditorField, choices) -> SelectMultipleField:
    return SelectMultipleField(
        f.label,
        choices=[SelectChoice(value, label) for value, label in choices],
        validate_choice=False,  # the editor says what does not fit, in words
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=f.help,
    )


def _text_field(cls: type, f: EditorField, **render) -> Field:
    render |= {"placeholder": f.placeholder} if f.placeholder else {}
    return cls(f.label, description=f.help, render_kw=render)


FIELDS: dict[str, Callable[[EditorField, StepContext, int], Field]] = {
    "id": lambda f, ctx, rows: _text_field(StringField, f, maxlength=f.limit),
    "text": lambda f, ctx, rows: _text_field(StringField, f),
    "textarea": lambda f, ctx, rows: _text_field(TextAreaField, f, rows=f.rows),
    "lines": lambda f, ctx, rows: _text_field(TextAreaField, f, rows=f.rows),
    "points": lambda f, ctx, rows: _text_field(StringField, f, inputmode="decimal"),
    "article": lambda f, ctx, rows: SelectField(
        f.label,
        choices=[SelectChoice(value, label) for value, label in ctx.articles],
        validate_choice=False,
        description=f.help,
    ),
    "articles": lambda f, ctx, rows: _checkboxes(f, ctx.articles),
    "categories": lambda f, ctx, rows: _checkboxes(f, ctx.categories),
    "flag": lambda f, ctx, rows: BooleanField(f.label, description=f.help),
    "options": lambda f, ctx, rows: FieldList(
        FormField(OptionRow),
        f.label,
        min_entries=rows,
        max_entries=MAX_OPTIONS,
        description=f.help,
    ),
}


def step_form(task_type: type[Task], ctx: StepContext, task: dict) -> FlaskForm:
    """The form of a step of this task type, showing the step (on a POST, what was sent): the
    editor's fields, and the id the step had when the form was opened."""
    options = len(task.get("options") or []) if isinstance(task.get("options"), list) else 0
    rows = min(max(OPTION_ROWS, options + 1), MAX_OPTIONS)
    fields = {f.name: FIELDS[f.kind](f, ctx, rows) for f in task_type.editor_fields}
    fields["was"] = HiddenField()
    fields["submit"] = SubmitField("Save the step")
    form_class = type(f"{task_type.__name__}Form", (FlaskForm,), fields)
    return form_class(prefix="step", data=task_type.editor_values(task) | {"was": task.get("id")})


def step_values(task_type: type[Task], form: FlaskForm) -> dict:
    """What the step's form sent, by the editor's field names."""
    return {f.name: form[f.name].data for f in task_type.editor_fields}
