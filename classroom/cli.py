"""Command-line tasks: create-teacher, demo, join-link, backup, copy-db, and exercises
check/new/export/suggest.

(init-db lives with the database, in db.py.)
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import click
from flask import Flask, current_app, url_for
from flask.cli import AppGroup, with_appcontext

from . import lan, usernames
from .auth.forms import MIN_PASSWORD
from .content import export as export_format
from .content.anchoring import line_of
from .content.loader import check_paths
from .content.scaffold import scaffold
from .content.suggest import suggest
from .db import get_db, init_db
from .exercises import library
from .store import accounts, classes, roster
from .store.addresses import AddressError, shown
from .store.backup import BackupError, backup, dump
from .store.connection import Database
from .store.copy import Check, CopyError, Mismatch, copy
from .store.engine import database_errors, target

DEMO_PASSWORD = "classroom-demo"  # a public demo login, printed and documented, never a secret
DEMO_CLASS = "Demo class"
DEMO_JOIN_CODE = "DEMO42"
DEMO_STUDENTS = (("ada", "Ada Lovelace"), ("ben", "Ben Okafor"))


@click.command("create-teacher")
@click.argument("username")
@click.option("--name", "display_name", help="The name students see (default: the username).")
@click.password_option(help="The password (asked for if not given).")
@with_appcontext
def create_teacher_command(username: str, display_name: str | None, password: str) -> None:
    """Create a teacher account."""
    if problem := usernames.problem(username):
        raise click.ClickException(f"the username '{username}' cannot be used: {problem}")
    db = get_db()
    init_db()
    if accounts.username_taken(db, username):
        raise click.ClickException(f"the username '{username}' is taken")
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"the password needs at least {MIN_PASSWORD} characters")
    accounts.create_user(db, username, display_name or username, password, "teacher")
    click.echo(f"Teacher '{username.lower()}' created. Log in at /login.")


@click.command("demo")
@click.option("--force", is_flag=True, help="Load the demo outside debug mode too.")
@with_appcontext
def demo_command(force: bool) -> None:
    """Load a demo teacher, class and two students, assign every exercise, print the logins.

    Its accounts have a public password, so it runs only in debug mode (flask --debug), or
    with --force: a school's database never gets them by mistake.
    """
    if not (current_app.debug or force):
        raise click.ClickException(
            "the demo makes the accounts teacher, ada and ben with the public password "
            f"'{DEMO_PASSWORD}', so it runs only in debug mode: "
            "'flask --app classroom --debug demo' (as make run does). "
            "To load it into this database anyway, add --force."
        )
    db = get_db()
    init_db()
    with db.atomic():
        teacher_id = _demo_user(db, "teacher", "Ms Demo", "teacher")
        klass = classes.class_named(db, teacher_id, DEMO_CLASS)
        if klass is None:
            klass = classes.create_class(db, teacher_id, DEMO_CLASS)
            if classes.set_join_code(db, klass["id"], DEMO_JOIN_CODE):
                klass["join_code"] = DEMO_JOIN_CODE
        for username, name in DEMO_STUDENTS:
            accounts.enrol(db, klass["id"], _demo_user(db, username, name, "student"))
        # one report at a time first, then what compares them: the order students meet them
        exercises = sorted(library().exercises.values(), key=lambda e: (len(e.articles), e.id))
        assigned = [classes.assign(db, klass["id"], exercise.id) for exercise in exercises]
        roster.set_order(db, klass["id"], assigned)
    click.echo(
        f"Demo class ready, join code {klass['join_code']}, with {len(exercises)} "
        "exercise(s) assigned."
    )
    click.echo("Demo logins (username / password):")
    click.echo(f"  teacher  teacher / {DEMO_PASSWORD}")
    for username, _ in DEMO_STUDENTS:
        click.echo(f"  student  {username} / {DEMO_PASSWORD}")


def _demo_user(db: Database, username: str, display_name: str, role: str) -> int:
    """The demo account with this username, created if missing, with the demo's name (an older
    demo put the role in it, which the header shows after the name already)."""
    user_id = accounts.user_id_by_username(db, username)
    if user_id is None:
        return accounts.create_user(db, username, display_name, DEMO_PASSWORD, role)
    accounts.rename(db, user_id, display_name)
    return user_id


@click.command("join-link")
@click.option("--port", default=8000, show_default=True, help="The port the server listens on.")
@click.option(
    "--class",
    "class_name",
    help="The class whose join link to show (default: the only class open to joining).",
)
@click.option(
    "--allow-demo", is_flag=True, help="Go on with the demo's public logins in the database."
)
@with_appcontext
def join_link_command(port: int, class_name: str | None, allow_demo: bool) -> None:
    """Print the address students' devices open on this network, and a class's join link as a
    QR code to scan.

    For a class served from a laptop (make classroom). Exits 1 without a teacher account, or
    with the demo's accounts and their public password (anyone on the network could log in as
    the teacher), unless --allow-demo.
    """
    db = get_db()
    if not accounts.has_teacher(db):
        raise click.ClickException(
            "there is no teacher account yet: create yours first with "
            "'flask --app classroom create-teacher USERNAME', then run this again."
        )
    demo = [name for name in ("teacher", *dict(DEMO_STUDENTS)) if _has_demo_password(db, name)]
    if demo and not allow_demo:
        raise click.ClickException(
            f"the accounts {', '.join(demo)} have the demo's public password "
            f"'{DEMO_PASSWORD}', so anyone on the network could log in as them. Serve another "
            "database (CLASSROOM_INSTANCE_PATH=another/folder) or change their passwords; "
            "--allow-demo (make classroom ALLOW_DEMO=1) goes on anyway."
        )
    address = lan.lan_address()
    if address is None:
        click.echo(
            "No network address found: only this computer will reach Classroom. Connect it to "
            "the school's network (Wi-Fi or cable) and run this again."
        )
        address = "127.0.0.1"
    base = f"http://{address}:{port}"
    rooms = classes.open_classes(db)
    if class_name is not None:
        rooms = [r for r in rooms if r["name"] == class_name]
        if not rooms:
            raise click.ClickException(f"no class named '{class_name}' is open to joining")
    with current_app.test_request_context(base_url=base):
        if len(rooms) == 1:
            link = url_for("auth.join", code=rooms[0]["join_code"], _external=True)
            click.echo(f"Students join {rooms[0]['name']} at {link} or by scanning:")
        else:
            link = url_for("auth.join", _external=True)
            click.echo(f"Students join at {link} with their class's code, or by scanning:")
            for room in rooms:
                click.echo(f"  {room['name']}: {room['join_code']}")
        login = url_for("auth.login", _external=True)
    terminal = sys.stdout.isatty()  # click strips colours on the way to anything else
    for line in lan.qr_lines(link, colour=terminal):
        click.echo(line)
    click.echo(f"You log in at {login} (open it from this computer too, so that pages")
    click.echo("show links the students can use). Ctrl+C stops the server.")


def _has_demo_password(db: Database, username: str) -> bool:
    """Whether the account logs in with the demo's public password."""
    return accounts.check_login(db, username, DEMO_PASSWORD) is not None


def backup_command(config: Mapping) -> click.Command:
    """The `backup FILE` command, for the database named in the app's config."""

    @click.command("backup")
    @click.argument("target", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
    def command(target: Path) -> None:
        """Copy the database to FILE while the app runs: a consistent online backup."""
        if config.get("DATABASE_URL"):
            try:
                size = dump(config["DATABASE_URL"], target)
            except BackupError as err:
                raise click.ClickException(f"no backup made: {err}") from err
            click.echo(f"Backed up the PostgreSQL database to {target} ({size:,} bytes, pg_dump).")
            return
        source = config["DATABASE"]
        try:
            size = backup(source, target)
        except (BackupError, *database_errors()) as err:
            raise click.ClickException(f"no backup made: {err}") from err
        click.echo(f"Backed up {source} to {target} ({size:,} bytes, integrity check ok).")

    return command


def copy_db_command(config: Mapping) -> click.Command:
    """The `copy-db TARGET` command, from the database named in the app's config."""

    @click.command("copy-db")
    @click.argument("destination", metavar="TARGET")
    def command(destination: str) -> None:
        """Copy the database into the empty database TARGET: postgresql://..., sqlite:///PATH
        or a file's path (made if missing).

        Stop the app first: what it writes during the copy is not in it. TARGET is migrated,
        then filled in one transaction, committed only once every table has the source's
        rows and SHA-256. Exits 1, nothing committed, if TARGET is the app's own database,
        has rows, or was migrated by another version, or if any table differs.
        """
        try:
            checks = copy(
                target(config),
                destination,
                lambda total: click.progressbar(length=total, label="Copying", show_pos=True),
            )
        except Mismatch as err:
            _echo_checks(err.checks)
            raise click.ClickException(str(err)) from err
        except (AddressError, CopyError, *database_errors()) as err:
            raise click.ClickException(f"nothing copied: {err}") from err
        _echo_checks(checks)
        rows = sum(c.rows for c in checks if c.table != "migrations")
        click.echo(f"Copied {rows:,} rows into {shown(destination)}, every table checked.")

    return command


def _echo_checks(checks: list[Check]) -> None:
    """A table's rows and SHA-256 (its first 16 digits), a line each, and whether the copy
    has the same."""
    width = max(len(c.table) for c in checks)
    click.echo(f"{'table':<{width}}  {'rows':>8}  {'sha256':<16}  ok")
    for c in checks:
        verdict = "ok" if c.ok else f"DIFFERS: {c.copied_rows} rows, {c.copied_sha256[:16]}"
        click.echo(f"{c.table:<{width}}  {c.rows:>8}  {c.sha256[:16]}  {verdict}")


exercises_cli = AppGroup("exercises", help="Check, create and export exercise files.")


@exercises_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def check_command(paths: tuple[Path, ...]) -> None:
    """Check exercise files (default: the whole exercises folder); exit 1 on any error."""
    targets = list(paths) or [Path(current_app.config["EXERCISES_DIR"])]
    checked, problems = check_paths(targets, current_app.config["EXERCISE_FILE_TIME_LIMIT"])
    for problem in sorted(problems, key=lambda p: (p.path, p.line, p.column)):
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    broken = len({p.path for p in problems if p.severity == "error"})
    click.echo(
        f"{checked} file(s) checked: {errors} error(s), {warnings} warning(s)"
        + (f" in {broken} file(s)" if errors else "; all good")
    )
    if errors:
        raise SystemExit(1)


@exercises_cli.command("new")
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "exercise_id", help="The exercise id (default: from the file name).")
def new_command(article: Path, exercise_id: str | None) -> None:
    """Start an exercise from a plain-text article: copies it and writes a file to fill in."""
    try:
        written = scaffold(article, Path(current_app.config["EXERCISES_DIR"]), exercise_id)
    except FileExistsError as err:
        raise click.ClickException(f"{err} exists already; choose another --id") from err
    except (UnicodeDecodeError, ValueError) as err:
        raise click.ClickException(f"cannot use {article}: {err}") from err
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(
        f"Next: replace the TODOs in {written[-1]}, then run "
        f"'flask --app classroom exercises check {written[-1]}'."
    )


@exercises_cli.command("export")
def export_command() -> None:
    """Print every exercise, with answer keys as offsets and W3C annotations, as JSON."""
    library = current_app.extensions["classroom.shelf"].current()
    for problem in library.problems:
        click.echo(f"skipped: {problem}", err=True)
    click.echo(json.dumps(export_format.export(library), ensure_ascii=False, indent=2))


@exercises_cli.command("suggest")
@click.argument("article", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="A JSON list with offsets into the text.")
def suggest_command(article: Path, as_json: bool) -> None:
    """Suggest key items for a plain-text article: loaded words, figures, missing context."""
    try:
        text = article.read_text("utf-8")
    except UnicodeDecodeError as err:
        raise click.ClickException(f"cannot read {article}: it is not UTF-8 text") from err
    except OSError as err:
        raise click.ClickException(f"cannot read {article}: {err.strerror or err}") from err
    found = suggest(text)
    if as_json:
        rows = [dataclasses.asdict(s) for s in found]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for s in found:
        column = s.start - text.rfind("\n", 0, s.start)
        words = " ".join(s.quote.split())
        click.echo(f"{line_of(text, s.start)}:{column} {s.category} “{words}”: {s.reason}")
    counts = Counter(s.category for s in found)
    click.echo(
        f"{len(found)} suggestion(s)"
        + "".join(f", {n} {category}" for category, n in sorted(counts.items()))
    )


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(create_teacher_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(join_link_command)
    app.cli.add_command(exercises_cli)
    app.cli.add_command(backup_command(app.config))
    app.cli.add_command(copy_db_command(app.config))
