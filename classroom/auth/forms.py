"""The forms of logging in and joining a class."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from .. import usernames

MIN_PASSWORD = 12  # OWASP ASVS 2.1.1; a passphrase of a few words is easy to remember
MAX_PASSWORD = 200
# What a student (a child, often) reads under the field: what to do, not only the rule.
PASSWORD_ADVICE = (
    "Three or four words you will remember, with spaces between them, make a good password: "
    "long, and easy to type. Not your name or your username, and not one you use elsewhere."
)


def password_length(form, field) -> None:
    """Between MIN_PASSWORD and MAX_PASSWORD characters, saying what to do when it is not."""
    length = len(field.data or "")
    if length < MIN_PASSWORD:
        raise ValidationError(
            f"Your password needs at least {MIN_PASSWORD} characters (it has {length}): "
            "add a word or two."
        )
    if length > MAX_PASSWORD:
        raise ValidationError(f"Your password can have at most {MAX_PASSWORD} characters.")


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(
        "Username",
        validators=[DataRequired(), Length(max=32)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Log in")


class JoinForm(FlaskForm):
    """A new student account in the class whose join code is given."""

    join_code = StringField(
        "Class join code",
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocapitalize": "characters", "autocomplete": "off"},
    )
    display_name = StringField(
        "Your name, as your teacher will see it",
        validators=[DataRequired(), Length(max=80)],
        render_kw={"autocomplete": "name"},
    )
    username = StringField(
        "Choose a username",
        validators=[DataRequired()],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        "Choose a password (at least 12 characters)",
        validators=[DataRequired(), password_length],
        description=PASSWORD_ADVICE,
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Type the password again",
        validators=[DataRequired(), EqualTo("password", "The passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Join the class")

    def validate_username(self, field):
        """The username rule of every new account (usernames.py), as create-teacher's."""
        if problem := usernames.problem(field.data):
            raise ValidationError(problem)


class NewPasswordForm(FlaskForm):
    """A new password, given the current one (or, after a teacher's reset, the one-time code:
    the view relabels the field), so that a session left open cannot take the account."""

    current = PasswordField(
        "Your current password",
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        "New password (at least 12 characters)",
        validators=[DataRequired(), password_length],
        description=PASSWORD_ADVICE,
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Type it again",
        validators=[DataRequired(), EqualTo("password", "The passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Save my new password")
