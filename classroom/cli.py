"""Command-line tasks: create-teacher and demo (init-db lives with the database)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from . import records
from .db import get_db, init_db
from .exercises import library

DEMO_PASSWORD = "classroom-demo"  # a public demo login, printed and documented, never a secret
DEMO_JOIN_CODE = "DEMO42"
DEMO_STUDENTS = (("ada", "Ada Lovelace"), ("ben", "Ben Okafor"))


@click.command("create-teacher")
@click.argument("username")
@click.option("--name", "display_name", help="The name students see (default: the username).")
@click.password_option(help="The password (asked for if not given).")
@with_appcontext
def create_teacher_command(username: str, display_name: str | None, password: str) -> None:
    """Create a teacher account."""
    db = get_db()
    init_db()
    if records.username_taken(db, username):
        raise click.ClickException(f"the username '{username}' is taken")
    if len(password) < 8:
        raise click.ClickException("the password needs at least 8 characters")
    records.create_user(db, username, display_name or username, password, "teacher")
    click.echo(f"Teacher '{username.lower()}' created. Log in at /login.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load a demo teacher, class and two students, assign every exercise, print the logins."""
    db = get_db()
    init_db()
    with db.atomic():
        teacher_id = _demo_user(db, "teacher", "Ms Demo (teacher)", "teacher")
        klass = next(
            iter(
                db.query(
                    "select id, join_code from classes where teacher_id = ? "
                    "and name = 'Demo class'",
                    [teacher_id],
                )
            ),
            None,
        )
        if klass is None:
            klass = records.create_class(db, teacher_id, "Demo class")
            if not db.execute(
                "select 1 from classes where join_code = ?", [DEMO_JOIN_CODE]
            ).fetchone():
                db["classes"].update(klass["id"], {"join_code": DEMO_JOIN_CODE})
                klass["join_code"] = DEMO_JOIN_CODE
        for username, name in DEMO_STUDENTS:
            records.enrol(db, klass["id"], _demo_user(db, username, name, "student"))
        exercises = sorted(library().exercises)
        for exercise_id in exercises:
            records.assign(db, klass["id"], exercise_id)
    click.echo(
        f"Demo class ready, join code {klass['join_code']}, with {len(exercises)} "
        "exercise(s) assigned."
    )
    click.echo("Demo logins (username / password):")
    click.echo(f"  teacher  teacher / {DEMO_PASSWORD}")
    for username, _ in DEMO_STUDENTS:
        click.echo(f"  student  {username} / {DEMO_PASSWORD}")


def _demo_user(db, username: str, display_name: str, role: str) -> int:
    """The demo account with this username, created if missing."""
    row = next(iter(db.query("select id from users where username = ?", [username])), None)
    if row:
        return row["id"]
    return records.create_user(db, username, display_name, DEMO_PASSWORD, role)


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(create_teacher_command)
    app.cli.add_command(demo_command)
