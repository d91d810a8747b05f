"""The flask commands: init-db, create-teacher, demo; each has help and is documented."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from classroom.db import get_db
from classroom.store import classes
from classroom.store.engine import database_errors

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# The demo runs in debug mode, as `flask --debug demo` sets it (the test runner reads the
# environment variable the option sets); FLASK_DEBUG None takes it away.
DEBUG = {"FLASK_DEBUG": "1"}
NOT_DEBUG = {"FLASK_DEBUG": None}
OUR_COMMANDS = (
    "init-db",
    "create-teacher",
    "demo",
    "join-link",
    "exercises check",
    "exercises new",
    "exercises export",
    "exercises suggest",
    "backup",
    "copy-db",
    "lti add-platform",
    "lti add-deployment",
    "lti platforms",
    "lti send-grades",
    "lti sync-rosters",
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
        if db.engine == "sqlite":
            assert db.journal_mode == "wal"
            assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(database_errors()):  # foreign keys are enforced, on either engine
            db.execute(
                "insert into enrolments (class_id, student_id, joined_at) values (998, 999, 'x')"
            )


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
        (["create-teacher", "xavier", "--password", "short"], "at least 12 characters"),
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
    result = runner.invoke(args=["demo"], env=DEBUG)
    assert result.exit_code == 0, result.output
    assert "join code DEMO42" in result.output
    for login in ("teacher / classroom-demo", "ada / classroom-demo", "ben / classroom-demo"):
        assert login in result.output
    again = runner.invoke(args=["demo"], env=DEBUG)  # running it twice changes nothing
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


def test_demo_refuses_outside_debug_mode_and_changes_nothing(runner, app):
    result = runner.invoke(args=["demo"], env=NOT_DEBUG)
    assert result.exit_code == 1
    assert "only in debug mode" in result.output
    assert "flask --app classroom --debug demo" in result.output and "--force" in result.output
    with app.app_context():
        assert get_db()["users"].count == 0 and get_db()["classes"].count == 0


def test_demo_with_force_loads_outside_debug_mode(runner, app):
    result = runner.invoke(args=["demo", "--force"], env=NOT_DEBUG)
    assert result.exit_code == 0, result.output
    assert "teacher / classroom-demo" in result.output
    with app.app_context():
        assert get_db()["users"].count == 3


def test_make_run_loads_the_demo_as_the_makefile_calls_it(tmp_path):
    """The run target's demo line, run as written (no FLASK_DEBUG set): the demo loads."""
    makefile = (ROOT / "Makefile").read_text()
    flask = re.search(r"^FLASK := \$\(BIN\)/flask (.*)$", makefile, re.M).group(1)
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    [line] = [step for step in recipe.splitlines() if re.search(r"\bdemo\b", step)]
    options = line.strip().removeprefix("$(FLASK) ")
    command = [sys.executable, "-m", "flask", *shlex.split(flask), *shlex.split(options)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLASSROOM_", "FLASK_"))}
    env["CLASSROOM_INSTANCE_PATH"] = str(tmp_path)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "teacher / classroom-demo" in done.stdout


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
    # Flask's own options may stand before the command: flask --app classroom --debug demo
    shown = re.compile(rf"flask --app classroom (--[a-z-]+ )*{re.escape(name)}\b")
    assert shown.search(documented), f"{name} is missing from docs/"


def test_no_undocumented_command_of_ours(app):
    assert our_commands(app) == set(OUR_COMMANDS)


def test_the_header_names_the_demo_teacher_and_their_role_once(runner, app, client, auth):
    assert runner.invoke(args=["demo"], env=DEBUG).exit_code == 0
    auth.login("teacher", "classroom-demo")
    page = client.get("/teacher/").get_data(as_text=True)
    who = re.search(r'<span class="who">(.*?)</span></span>', page).group(1)
    assert re.sub(r"<[^>]+>", "", who) == "Ms Demo (teacher)"


def test_the_demo_renames_a_teacher_it_made_before_with_the_role_in_the_name(runner, app):
    """A database from an older demo had 'Ms Demo (teacher)' as the name: running it again
    puts the name right, as `make run` does each time."""
    assert runner.invoke(args=["demo"], env=DEBUG).exit_code == 0
    with app.app_context():
        get_db()["users"].update(1, {"display_name": "Ms Demo (teacher)"})
    assert runner.invoke(args=["demo"], env=DEBUG).exit_code == 0
    with app.app_context():
        assert get_db()["users"].get(1)["display_name"] == "Ms Demo"


def test_the_demo_lists_the_reports_before_the_comparison_that_follows_them(
    runner, app, client, auth
):
    assert runner.invoke(args=["demo"], env=DEBUG).exit_code == 0
    with app.app_context():
        db = get_db()
        db.execute("update assignments set position = 4 - position")  # turned round...
    assert runner.invoke(args=["demo"], env=DEBUG).exit_code == 0  # ...and put back
    auth.login("ada", "classroom-demo")
    home = client.get("/home").get_data(as_text=True)
    shown = re.findall(r'<h2><a href="/assignments/\d+">([^<]+)</a></h2>', home)
    assert [("report 1" in t, "report 2" in t, "Two reports" in t) for t in shown] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
