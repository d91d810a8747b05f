"""The app as the benchmark serves it: Classroom, plus one route only the benchmark has.

`/bench/floor/<assignment>` does what every student's request does before its own work: read
the session, load the user and the student's assignment, and then, as the request's method
asks, make a CSRF token and answer `?size=` bytes (GET, like a page), read the JSON body and
answer a line of JSON (PUT, like an autosave), or read the form and redirect (POST, like a
submission); Flask-WTF checks the CSRF token of the PUT and the POST as for the real ones.
Measured beside the real requests, with the same cookies and bodies, it shows how much of
their cost is the stack's floor for a logged-in request and how much is their own work.
"""

from __future__ import annotations

from flask import jsonify, redirect, request

from classroom import create_app
from classroom.access import my_assignment
from classroom.auth import login_required
from classroom.csrf_tokens import generate_csrf


@login_required("student")
def floor(assignment_id: int):
    """The floor under a student's page, autosave or submission."""
    my_assignment(assignment_id)
    if request.method == "PUT":
        request.get_json()
        return jsonify(saved_at="2026-11-23T00:00:00+00:00", version="-")
    if request.method == "POST":
        request.form.get("highlights")
        return redirect(f"/attempts/{assignment_id}")
    token = generate_csrf()
    size = request.args.get("size", 0, type=int)
    return token + "x" * max(0, size - len(token)), 200, {"Content-Type": "text/html"}


def with_floor(app):
    """The app with the floor route (run.py's --profile adds it to its in-process app too)."""
    app.add_url_rule(
        "/bench/floor/<int:assignment_id>", view_func=floor, methods=["GET", "PUT", "POST"]
    )
    return app


def __getattr__(name: str):
    """`app`, made when gunicorn first asks for it (bench/app.py:app), not when run.py imports
    with_floor."""
    if name != "app":
        raise AttributeError(name)
    globals()["app"] = made = with_floor(create_app())
    return made
