"""The auth views and the decorator that checks who is logged in."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for

from ..db import get_db
from ..store import accounts, classes, throttle
from .forms import JoinForm, LoginForm, NewPasswordForm

bp = Blueprint("auth", __name__)

# What the exercise page's script is told when a save reaches the server with nobody logged in.
LOGGED_OUT = (
    "You are logged out, so this was not saved. Log in again in a new tab: your work is kept on "
    "this page and will be saved then."
)


@bp.before_app_request
def load_logged_in_user():
    """Put the logged-in user (or None) on g; one with a one-time code must choose a password."""
    user_id = session.get("user_id")
    g.user = accounts.get_user(get_db(), user_id) if user_id is not None else None
    if (
        g.user
        and g.user["must_change_password"]
        and request.endpoint not in ("auth.new_password", "auth.logout", "static")
    ):
        return redirect(url_for("auth.new_password"))
    return None


def login_required(role: str | None = None) -> Callable:
    """Let the view run only for a logged-in user, of the given role if one is named."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(**kwargs):
            if g.user is None:
                if request.path.startswith("/api/"):  # the page's script cannot follow a login
                    abort(401, LOGGED_OUT)
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if role is not None and g.user["role"] != role:
                abort(403, f"This page is for {role}s.")
            return view(**kwargs)

        return wrapped

    return decorator


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


def _start_session(user_id: int) -> None:
    """A fresh session for this user: nothing from before login carries over."""
    session.clear()
    session["user_id"] = user_id
    session.permanent = True


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with username and password."""
    form = LoginForm()
    if form.validate_on_submit():
        db, username, address = get_db(), form.username.data, request.remote_addr or "unknown"
        wait = throttle.wait_seconds(db, username, address)
        if wait:
            flash(
                f"Too many failed logins. Try again in {wait // 60 + 1} minute(s), or ask "
                "your teacher to reset your password.",
                "error",
            )
            return render_template("auth/login.html", form=form), 429
        # counted as a failure before the password is checked (and cleared if it is right): a
        # guess the database cannot count is refused (503) whether it is right or wrong
        throttle.record_failure(db, username, address)
        user = accounts.check_login(db, username, form.password.data)
        if user is None:
            flash("That username and password do not match an account.", "error")
        else:
            throttle.clear(db, username)
            _start_session(user["id"])
            return redirect(_safe_next(request.args.get("next")) or url_for("index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Log out and forget the session."""
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/join", methods=["GET", "POST"])
def join():
    """Create a student account in a class, using the class's join code."""
    form = JoinForm()
    if request.method == "GET" and request.args.get("code"):
        form.join_code.data = request.args["code"]
    if form.validate_on_submit():
        db = get_db()
        klass = classes.class_by_join_code(db, form.join_code.data)
        if klass is None:
            form.join_code.errors.append("No class has this join code. Check it with your teacher.")
        elif accounts.username_taken(db, form.username.data):
            form.username.errors.append("This username is taken. Try another.")
        else:
            user_id = accounts.create_student(
                db,
                klass["id"],
                form.display_name.data.strip(),
                form.username.data,
                form.password.data,
            )
            _start_session(user_id)
            flash(f"Welcome to {klass['name']}!", "success")
            return redirect(url_for("student.home"))
    return render_template("auth/join.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required()
def new_password():
    """Choose a new password (required after logging in with a one-time code)."""
    form = NewPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(get_db(), g.user["id"], form.password.data)
        _start_session(g.user["id"])
        flash("Your new password is saved.", "success")
        return redirect(url_for("index"))
    return render_template("auth/new_password.html", form=form)
