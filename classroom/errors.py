"""Friendly error pages in the site's layout, and JSON errors for the API."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .auth import live
from .auth.routes import BACK_TO, LOGGED_OUT, PASSWORD_RESET, to_login
from .store import engine

ADVICE = {
    400: "Something in the request was not as expected.",
    403: "This page belongs to someone else, or needs another kind of account.",
    404: "There is no page at this address.",
    405: "This address does not take that kind of request.",
    413: "What was sent is too large.",
    500: "Something went wrong on our side. Your saved work is safe; please try again.",
}
# A request that sent something and then failed: its transaction was rolled back, so what it
# sent may well not be stored (a form that claimed otherwise would be believed).
FAILED_AFTER_SENDING = (
    "Something went wrong on our side, so what you just sent may not have been saved. Work "
    "saved before is safe; please try again."
)
READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")

# When the database could not take a write (engine.cannot_write: the disk is full, the database
# is read-only, the disk failed, or other writers held the lock too long), the request's
# transaction was rolled back, so nothing of it is stored; it may well work again in a while.
RETRY_AFTER = 120  # seconds
# What the API says: the exercise page's script adds that the work is kept in the browser.
NOT_STORED = "The server could not store it"
LATER = "Please try again in a few minutes."
# What a page says (title, what happened, what to do), for the views that need their own words.
NOT_STORED_PAGES = {
    "student.submit": (
        "Not submitted",
        "Your answers were not submitted: the server could not store them.",
        "Work saved before is safe, and the exercise page keeps your work in this browser: go "
        "back to it and submit again in a few minutes.",
    ),
    "auth.login": (
        "Cannot log in just now",
        "Logging in is not possible just now: the server cannot store anything at the moment.",
        LATER,
    ),
}
NOT_STORED_SENT = (
    "Not saved",
    "Not saved: the server could not store what you just sent, so nothing of it was saved.",
    f"Work saved before is safe. {LATER}",
)
NOT_STORED_SHOWN = (
    "Not available just now",
    "This page cannot be shown just now: the server could not store what it needed.",
    f"Work saved before is safe. {LATER}",
)


def handle_http_error(error: HTTPException):
    """Render an HTTP error as a page, or as JSON for the API. The page says what happened once:
    in the view's own words where it gave some, else in the general words for the status."""
    code = error.code or 500
    if isinstance(error, CSRFError) and request.endpoint in BACK_TO and not logged_in():
        return to_login()  # the exercise page's form, from a session that ended: say so
    if isinstance(error, CSRFError) and request.path.startswith("/api/") and not logged_in():
        # a page left open after logging out (in another tab, or the session ended) sends a
        # token of the old session: what the student needs to hear is that they are logged out
        code, message = 401, LOGGED_OUT
    elif isinstance(error, CSRFError) and request.path.startswith("/api/") and must_choose():
        # the same page after logging in with a teacher's one-time code elsewhere
        code, message = 403, PASSWORD_RESET
    elif isinstance(error, CSRFError):
        message = "The form had expired or was sent from elsewhere. Reload the page and try again."
    elif code == 500 and request.method not in READ_ONLY_METHODS:
        message = FAILED_AFTER_SENDING
    elif code == 500:
        message = ADVICE[500]
    elif error.description != type(error).description:
        message = error.description  # the view said what happened
    else:
        message = ADVICE.get(code, error.description)
    if request.path.startswith("/api/"):
        return jsonify(error=message, status=code), code
    return render_template("errors/error.html", code=code, name=error.name, message=message), code


def handle_database_error(error: Exception):
    """A write the database could not take answers 503, saying nothing was stored; any other
    database error is a crash (500) as before."""
    if not engine.cannot_write(error):
        raise error
    current_app.logger.error(
        "%s %s not done: the database could not be written (%s)",
        request.method,
        request.path,
        error,
    )
    if request.path.startswith("/api/"):
        response = jsonify(error=NOT_STORED, status=503)
    else:
        fallback = NOT_STORED_SHOWN if request.method in READ_ONLY_METHODS else NOT_STORED_SENT
        name, message, advice = NOT_STORED_PAGES.get(request.endpoint, fallback)
        response = current_app.make_response(
            render_template(
                "errors/error.html", code=503, name=name, message=message, advice=advice
            )
        )
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def logged_in() -> bool:
    """Whether the request comes from a live session (the CSRF check runs before the user is
    loaded for the view, so it is looked up here: a session ended elsewhere is logged out)."""
    return live.user() is not None


def must_choose() -> bool:
    """Whether the live session's user must choose a new password (a teacher reset it)."""
    user = live.user()
    return bool(user and user["must_change_password"])


def init_app(app: Flask) -> None:
    """Register the handlers; Flask logs an uncaught exception, then hands it here as a 500."""
    app.register_error_handler(HTTPException, handle_http_error)
    for kind in engine.database_errors():
        app.register_error_handler(kind, handle_database_error)
