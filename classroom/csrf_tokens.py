"""CSRF tokens as Flask-WTF makes and checks them, each signed once and verified once a process.

Flask-WTF signs the session's secret anew on every page (a serializer, JSON, base64, HMACs) and
verifies a token from scratch on every form and autosave, after parsing the request's form even
when the body is JSON. A token has no time limit here (WTF_CSRF_TIME_LIMIT is None), so one
signed once stays as good as one signed now for as long as the session's secret lasts: each
secret is signed once and its token given again. A token that passed verification is
remembered, so checking it again is a look-up; what is compared with this session's secret, on
every request, is the secret the token carries, as before. With a time limit configured,
Flask-WTF's own functions run unchanged.
"""

from __future__ import annotations

import hmac
import logging

from flask import Flask, current_app, g, request, session
from flask_wtf import csrf as wtf
from flask_wtf.csrf import CSRFError, ValidationError

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")  # what carries a form
FIELD = "csrf_token"  # Flask-WTF's name for the form field and the session's secret, as the
# templates name the field too
KEPT = 4096  # tokens remembered a process, each way; past that, they start again

logger = logging.getLogger(wtf.__name__)  # where Flask-WTF says why it refused


class Remembered:
    """The tokens signed and verified under one secret key, by the session's secret and by
    token."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.signed: dict[str, str] = {}  # the session's secret -> its token
        self.secrets: dict[str, str] = {}  # a token that passed -> the secret it carries

    @staticmethod
    def keep(found: dict[str, str], key: str, value: str) -> None:
        if len(found) >= KEPT:
            found.clear()
        found[key] = value


def remembered() -> Remembered | None:
    """This app's tokens under its current key, or None when tokens have a time limit (their
    age then matters, and Flask-WTF checks it)."""
    config = current_app.config
    if config["WTF_CSRF_TIME_LIMIT"] is not None:
        return None
    key = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    kept = current_app.extensions.get("classroom.csrf")
    if kept is None or kept.key != key:  # a new key: nothing signed under the old one counts
        kept = current_app.extensions["classroom.csrf"] = Remembered(key)
    return kept


def generate_csrf() -> str:
    """This session's CSRF token, as Flask-WTF's generate_csrf gives it (and with it: the same
    token for the whole request, the session's secret made if there is none yet)."""
    if FIELD in g:
        return g.get(FIELD)
    kept = remembered()
    secret = session.get(FIELD)
    token = kept.signed.get(secret) if kept is not None and isinstance(secret, str) else None
    if token is None:
        token = wtf.generate_csrf()
        if kept is not None:
            kept.keep(kept.signed, session[FIELD], token)
    setattr(g, FIELD, token)
    return token


def validate_csrf(token: str | None) -> None:
    """Flask-WTF's validate_csrf: raises ValidationError unless token is this session's."""
    kept = remembered()
    secret = kept.secrets.get(token) if kept is not None and isinstance(token, str) else None
    if secret is None:
        wtf.validate_csrf(token)  # the whole check: present, signed by us, this session's
        if kept is not None:
            kept.keep(kept.secrets, token, session[FIELD])
        return
    if FIELD not in session:
        raise ValidationError("The CSRF session token is missing.")
    if not hmac.compare_digest(session[FIELD], secret):
        raise ValidationError("The CSRF tokens do not match.")


class CSRFProtect(wtf.CSRFProtect):
    """Flask-WTF's check of every POST, PUT, PATCH and DELETE, with the tokens remembered and
    a body that is no form (an autosave's JSON) not parsed as one to look for a token field."""

    def _get_csrf_token(self) -> str | None:
        if request.mimetype in FORMS:
            return super()._get_csrf_token()
        for header in current_app.config["WTF_CSRF_HEADERS"]:
            token = request.headers.get(header)
            if token:
                return token
        return None

    def protect(self, apply_exemptions: bool = False) -> None:
        """As Flask-WTF's protect, with the token checked by validate_csrf above."""
        if apply_exemptions and (not request.endpoint or self._is_exempt()):
            return
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        try:
            validate_csrf(self._get_csrf_token())
        except ValidationError as err:
            logger.info(err.args[0])
            self._error_response(err.args[0])
        if request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"]:
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not wtf.same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True  # as Flask-WTF marks it: a form's own check is then skipped

    def init_app(self, app: Flask) -> None:
        """Flask-WTF's set-up, with templates given this module's generate_csrf."""
        super().init_app(app)
        app.jinja_env.globals["csrf_token"] = generate_csrf
        app.context_processor(lambda: {"csrf_token": generate_csrf})


__all__ = ["CSRFError", "CSRFProtect", "generate_csrf", "validate_csrf"]
