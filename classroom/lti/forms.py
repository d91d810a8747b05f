"""The forms of the LTI pages: linking a platform course to a class, choosing an exercise for
a platform's picker, and registering a platform."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length


class LinkCourseForm(FlaskForm):
    """Which class a platform course opens: a new one, or one of the teacher's own."""

    class_id = SelectField("Open this course as", choices=[])
    submit = SubmitField("Link the course")


class PlatformForm(FlaskForm):
    """A learning platform's values, as its page for the tool shows them."""

    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=80)],
        description="What teachers call it, such as “District Canvas”.",
    )
    issuer = StringField("Issuer", validators=[DataRequired(), Length(max=500)])
    client_id = StringField("Client id", validators=[DataRequired(), Length(max=500)])
    deployments = TextAreaField(
        "Deployment ids",
        validators=[Length(max=5000)],
        description="One a line; more can be added later.",
    )
    login_url = URLField("Authorization (OIDC login) URL", validators=[DataRequired()])
    token_url = URLField("Access token URL", validators=[DataRequired()])
    keyset_url = URLField("Public key set (JWKS) URL", validators=[DataRequired()])
    token_audience = StringField(
        "Token audience (if the platform names one)", validators=[Length(max=500)]
    )
    submit = SubmitField("Register the platform")

    def fields(self) -> dict:
        """The platform's row, as store.lti.add_platform takes it."""
        keys = ("name", "issuer", "client_id", "login_url", "token_url", "keyset_url")
        return {k: getattr(self, k).data.strip() for k in keys} | {
            "token_audience": (self.token_audience.data or "").strip() or None
        }

    def deployment_ids(self) -> list[str]:
        return [d.strip() for d in (self.deployments.data or "").splitlines() if d.strip()]


class DeploymentForm(FlaskForm):
    """Another deployment id of a registered platform."""

    deployment_id = StringField("Deployment id", validators=[DataRequired(), Length(max=500)])
    submit = SubmitField("Add the deployment")
