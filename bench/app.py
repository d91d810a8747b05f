"""The app as the benchmark serves it: Classroom, plus one route only the benchmark has.

`/bench/floor/<assignment>?size=N` does what every student's page does before its own work
(read the session, load the user and the student's assignment, make a CSRF token) and
answers N bytes. Measured beside the real pages, it shows how much of their cost is the stack's
floor for a logged-in request, and how much is the size of the answer alone.
"""

from __future__ import annotations

from flask import request
from flask_wtf.csrf import generate_csrf

from classroom import create_app
from classroom.auth import login_required
from classroom.student import my_assignment

app = create_app()


@app.get("/bench/floor/<int:assignment_id>")
@login_required("student")
def floor(assignment_id: int) -> tuple[str, int, dict[str, str]]:
    """The floor of a student's page, padded to the size asked for."""
    my_assignment(assignment_id)
    token = generate_csrf()
    size = request.args.get("size", 0, type=int)
    return token + "x" * max(0, size - len(token)), 200, {"Content-Type": "text/html"}
