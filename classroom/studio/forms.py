"""The studio's forms: starting a draft from an article or from an exercise."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from ..content.html_text import paragraphs
from ..content.studio import MAX_TITLE, normalised

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
