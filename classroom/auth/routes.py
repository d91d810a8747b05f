"""The auth views and the decorator that checks who is logged in."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from ..db import get_db
from ..store import accounts, sessions, throttle
from . import devices, live
from .forms import JoinForm, LoginForm, NewPasswordForm

bp = Blueprint("auth", __name__)

# What the exercise page's script is told when a save reaches the server with nobody logged in.
LOGGED_OUT = (
    "You are logged out, so this was not saved. Log in again in a new tab: your work is kept on "
    "this page and will be saved then."
)


# What the exercise page's script is told when a save reaches the server from a user whose
# password a teacher reset: the page keeps the work and saves it once a new one is chosen.
PASSWORD_RESET = (
    "Your password was reset: choose a new one in another tab. Your work is kept on this page "
    "and will be saved."
)
# What a form sent while logged out is told (a page left open after logging out in another tab,
# or whose session ended elsewhere): nothing of it was kept, and logging in again leads back to
# the page it came from, whose script keeps the work in this browser.
NOT_KEPT = {
    "student.submit": (
        "You are logged out, so your answers were not submitted. Log in again: the exercise page "
        "keeps your work in this browser and offers it back."
    )
}
NOT_SAVED = "You are logged out, so what you sent was not saved. Log in again, then send it again."
BACK_TO = {"student.submit": "student.exercise"}
# Pages a user who must choose a new password can still reach: that choice, leaving, and the
# stylesheet and icons the page needs.
WHILE_RESET = {"auth.new_password", "auth.logout", "static", "asset", "health"}


@bp.before_app_request
def load_logged_in_user():
    """Put the user of the live session (or None) on g; one with a one-time code must choose a
    password before anything else: the API says so in JSON, other pages send them there."""
    user = live.user()
    if not user or not user["must_change_password"] or request.endpoint in WHILE_RESET:
        return None
    if request.path.startswith("/api/"):  # the page's script cannot follow a redirect
        abort(403, PASSWORD_RESET)
    if request.method not in ("GET", "HEAD"):
        flash(
            "What you sent was not saved yet: your password was reset, so choose a new one "
            "first. Work on an exercise page is kept in that browser, and saved once you have.",
            "error",
        )
    return redirect(url_for("auth.new_password"))


def login_required(role: str | None = None) -> Callable:
    """Let the view run only for a logged-in user, of the given role if one is named."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(**kwargs):
            if g.user is None:
                if request.path.startswith("/api/"):  # the page's script cannot follow a login
                    abort(401, LOGGED_OUT)
                return to_login()
            if role is not None and g.user["role"] != role:
                abort(403, f"This page is for {role}s.")
            return view(**kwargs)

        return wrapped

    return decorator


def to_login():
    """Send a logged-out visitor to log in, and back here after; a form they sent is told it
    was not kept, and comes back to the page it was sent from."""
    if request.method in ("GET", "HEAD"):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    flash(NOT_KEPT.get(request.endpoint, NOT_SAVED), "error")
    back = BACK_TO.get(request.endpoint)
    there = url_for(back, **request.view_args) if back else request.full_path.rstrip("?")
    return redirect(url_for("auth.login", next=there))


def index():
    """Send each visitor to their own start page."""
    if g.user is None:
        return redirect(url_for("auth.login"))
    if g.user["role"] == "teacher":
        return redirect(url_for("teacher.home"))
    return redirect(url_for("student.home"))


# A path on this site: browsers read a backslash as a slash and drop tabs and newlines, so
# "/\evil.example" or "/<tab>/evil.example" would lead to another site.
SAME_SITE_PATH = re.compile(r"/(?![/\\])[^\\\x00-\x20\x7f]*")


def _safe_next(target: str | None) -> str | None:
    """Only follow a 'next' that stays on this site."""
    if target and SAME_SITE_PATH.fullmatch(target):
        return target
    return None


def _address() -> str:
    return request.remote_addr or "unknown"


def _too_many(wait: int, form) -> tuple[str, int]:
    """The login form again, saying how long to wait (429)."""
    flash(
        f"Too many failed logins. Try again in {wait // 60 + 1} minute(s), or ask your teacher "
        "to reset your password. On a computer you have logged in from before, you can log in "
        "now.",
        "error",
    )
    return render_template("auth/login.html", form=form), 429


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with username and password (guessing slowed down: see store.throttle)."""
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        turn = throttle.take_turn(db, form.username.data, _address(), devices.tokens())
        if turn.wait:
            return _too_many(turn.wait, form)
        user = accounts.check_login(db, form.username.data, form.password.data)
        throttle.end_turn(db, turn, password_was_right=user is not None)
        if user is None:
            flash("That username and password do not match an account.", "error")
        elif accounts.code_expired(user):
            flash("This one-time code has expired. Ask your teacher for a new one.", "error")
        else:
            if turn.device is None:  # from now on, this browser is trusted for the account
                devices.remember(throttle.new_device(db, user["id"]))
            live.start(user["id"])
            return redirect(_safe_next(request.args.get("next")) or url_for("index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Log out: the session ends on the server, so a copy of its cookie stops working too."""
    live.end()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout/everywhere")
@login_required()
def logout_everywhere():
    """End every session of this user, on every computer, this one included."""
    sessions.end_all(get_db(), g.user["id"])
    live.end()
    flash("You are logged out on every computer and browser.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/join", methods=["GET", "POST"])
def join():
    """Create a student account in a class, using the class's join code (wrong codes are
    counted per address, so codes cannot be guessed quickly: see store.throttle)."""
    form = JoinForm()
    if request.method == "GET" and request.args.get("code"):
        form.join_code.data = request.args["code"]
    if not form.validate_on_submit():
        return render_template("auth/join.html", form=form)
    db = get_db()
    klass, wait = throttle.join_turn(db, _address(), form.join_code.data)
    if wait:
        form.join_code.errors.append(
            f"Too many wrong join codes from this network. Try again in {wait // 60 + 1} "
            "minute(s), or open the join link your teacher gave you."
        )
        return render_template("auth/join.html", form=form), 429
    if klass is None:
        form.join_code.errors.append("No class has this join code. Check it with your teacher.")
        return render_template("auth/join.html", form=form)
    if accounts.username_taken(db, form.username.data):
        form.username.errors.append("This username is taken. Try another.")
        return render_template("auth/join.html", form=form)
    try:
        user_id = accounts.create_student(
            db, klass["id"], form.display_name.data.strip(), form.username.data, form.password.data
        )
    except accounts.UsernameTaken:  # someone else took it a moment ago
        form.username.errors.append("This username is taken. Try another.")
        return render_template("auth/join.html", form=form), 409
    live.start(user_id)
    devices.remember(throttle.new_device(db, user_id))
    flash(f"Welcome to {klass['name']}!", "success")
    return redirect(url_for("student.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required()
def new_password():
    """Change the password, given the current one; after a teacher's reset, given the one-time
    code (the only way in, since the reset ended every other session). Every other session ends,
    and guessing the current password here is slowed down like logging in."""
    form = NewPasswordForm()
    reset = bool(g.user["must_change_password"])
    if reset:
        form.current.label.text = "The one-time code from your teacher"
        form.current.render_kw = {"autocomplete": "one-time-code"}
    if form.validate_on_submit():
        db, user = get_db(), g.user
        turn = throttle.take_turn(db, user["username"], _address(), devices.tokens())
        if turn.wait:
            flash(f"Too many wrong tries. Try again in {turn.wait // 60 + 1} minute(s).", "error")
            return render_template("auth/new_password.html", form=form, reset=reset), 429
        right = accounts.check_password(db, user["id"], form.current.data)
        throttle.end_turn(db, turn, password_was_right=right)
        if not right:
            form.current.errors.append(
                "That is not the code, or it has expired: ask your teacher for a new one."
                if reset
                else "That is not your current password."
            )
            return render_template("auth/new_password.html", form=form, reset=reset)
        accounts.set_password(db, user["id"], form.password.data, keep_session=None)
        live.start(user["id"])
        devices.remember(throttle.new_device(db, user["id"]))
        flash("Your new password is saved. You are logged out everywhere else.", "success")
        return redirect(url_for("index"))
    return render_template("auth/new_password.html", form=form, reset=reset)
