"""The flask commands: init-db, create-teacher, demo; each has help and is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from classroom.db import get_db
from classroom.store import classes

DOCS = Path(__file__).resolve().parent.parent / "docs"
OUR_COMMANDS = (
    "init-db",
    "create-teacher",
    "demo",
    "exercises check",
    "exercises new",
    "exercises export",
    "exercises suggest",
    "backup",
)


def our_commands(app) -> set[str]:
    """Every command the app registers from its own package, groups walked into."""
    found = set()
    for name, command in app.cli.commands.items():
        if getattr(command, "commands", None):
            found |= {f"{name} {sub}" for sub in command.commands}
        elif command.callback and command.callback.__module__.startswith("classroom"):
            found.add(name)
    return found


def test_init_db_is_safe_to_run_again(runner, app):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert "up to date" in result.output
    with app.app_context():
        db = get_db()
        assert {"users", "classes", "attempts", "drafts"} <= set(db.table_names())
        assert db.journal_mode == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_create_teacher_then_log_in(runner, app, client, auth):
    result = runner.invoke(
        args=["create-teacher", "Grace", "--name", "Ms Hopper", "--password", "a good password"]
    )
    assert result.exit_code == 0, result.output
    assert "Teacher 'grace' created" in result.output
    auth.login("grace", "a good password")
    assert client.get("/teacher/").status_code == 200


@pytest.mark.parametrize(
    "args, message",
    [
        (["create-teacher", "x", "--password", "short"], "at least 12 characters"),
    ],
)
def test_create_teacher_refuses_bad_input(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output


def test_create_teacher_refuses_a_taken_username(runner):
    runner.invoke(args=["create-teacher", "grace", "--password", "a good password"])
    result = runner.invoke(args=["create-teacher", "grace", "--password", "another password"])
    assert result.exit_code != 0
    assert "taken" in result.output


def test_demo_loads_class_assigns_every_exercise_and_prints_logins(runner, app, client, auth):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "join code DEMO42" in result.output
    for login in ("teacher / classroom-demo", "ada / classroom-demo", "ben / classroom-demo"):
        assert login in result.output
    again = runner.invoke(args=["demo"])  # running it twice changes nothing
    assert again.exit_code == 0
    with app.app_context():
        db = get_db()
        assert db["classes"].count == 1 and db["users"].count == 3
        assigned = {r["exercise_id"] for r in db.query("select exercise_id from assignments")}
    exercises = {p.stem for p in (Path(app.config["EXERCISES_DIR"])).glob("*.yaml")}
    assert assigned == exercises
    auth.login("ada", "classroom-demo")
    assert client.get("/home").get_data(as_text=True).count("Not started") == len(exercises)
    with app.app_context():
        assert classes.class_by_join_code(get_db(), "demo42")["name"] == "Demo class"


@pytest.mark.parametrize("name", OUR_COMMANDS)
def test_every_command_has_help_and_is_documented(app, runner, name):
    *group, leaf = name.split()
    parent = app.cli.commands[group[0]] if group else app.cli
    command = parent.commands.get(leaf) if group else app.cli.commands.get(leaf)
    assert command is not None, f"{name} is not registered"
    assert command.help and len(command.help.strip()) > 10, f"{name} has no help text"
    result = runner.invoke(args=[*name.split(), "--help"])
    assert result.exit_code == 0 and command.help.split(".")[0][:40] in result.output
    documented = "\n".join(p.read_text() for p in DOCS.glob("*.md"))
    assert f"flask --app classroom {name}" in documented, f"{name} is missing from docs/"


def test_no_undocumented_command_of_ours(app):
    assert our_commands(app) == set(OUR_COMMANDS)
