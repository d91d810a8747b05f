"""Friendly error pages in the site's layout, and JSON errors for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .auth import live
from .auth.routes import LOGGED_OUT, PASSWORD_RESET

ADVICE = {
    400: "Something in the request was not as expected.",
    403: "This page belongs to someone else, or needs another kind of account.",
    404: "There is no page at this address.",
    405: "This address does not take that kind of request.",
    413: "What was sent is too large.",
    500: "Something went wrong on our side. Your saved work is safe; please try again.",
}


def handle_http_error(error: HTTPException):
    """Render an HTTP error as a page, or as JSON for the API."""
    code = error.code or 500
    if isinstance(error, CSRFError) and request.path.startswith("/api/") and not logged_in():
        # a page left open after logging out (in another tab, or the session ended) sends a
        # token of the old session: what the student needs to hear is that they are logged out
        code, message = 401, LOGGED_OUT
    elif isinstance(error, CSRFError) and request.path.startswith("/api/") and must_choose():
        # the same page after logging in with a teacher's one-time code elsewhere
        code, message = 403, PASSWORD_RESET
    elif isinstance(error, CSRFError):
        message = "The form had expired or was sent from elsewhere. Reload the page and try again."
    elif code == 500:
        message = ADVICE[500]
    elif error.description != type(error).description:
        message = error.description  # the view said what happened
    else:
        message = ADVICE.get(code, error.description)
    if request.path.startswith("/api/"):
        return jsonify(error=message, status=code), code
    return render_template(
        "errors/error.html",
        code=code,
        name=error.name,
        message=message,
        advice=ADVICE.get(code, ""),
    ), code


def logged_in() -> bool:
    """Whether the request comes from a live session (the CSRF check runs before the user is
    loaded for the view, so it is looked up here: a session ended elsewhere is logged out)."""
    return live.user() is not None


def must_choose() -> bool:
    """Whether the live session's user must choose a new password (a teacher reset it)."""
    user = live.user()
    return bool(user and user["must_change_password"])


def init_app(app: Flask) -> None:
    """Register the handler; Flask logs an uncaught exception, then hands it here as a 500."""
    app.register_error_handler(HTTPException, handle_http_error)
