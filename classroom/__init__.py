"""Classroom: students read real news and learn to spot what a careful reader questions."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from .csrf_tokens import CSRFProtect
from .form_data import Request
from .templating import Environment

csrf = CSRFProtect()
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _asset_folder(name: str) -> str:
    """Templates and static files sit beside the package in a checkout, inside it in a wheel."""
    inside = Path(__file__).resolve().parent / name
    return str(inside if inside.is_dir() else PROJECT_ROOT / name)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, database, exercise library, blueprints and commands."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("CLASSROOM_INSTANCE_PATH"),  # None: Flask's default
        instance_relative_config=True,
        template_folder=_asset_folder("templates"),
        static_folder=_asset_folder("static"),
    )
    app.jinja_environment = Environment  # before anything asks for app.jinja_env
    app.request_class = Request
    app.config.from_mapping(
        DATABASE=os.path.join(app.instance_path, "classroom.sqlite"),
        EXERCISES_DIR=str(PROJECT_ROOT / "exercises"),
        EXERCISE_FILE_TIME_LIMIT=5.0,  # seconds one exercise or article file may take to load
        MAX_CONTENT_LENGTH=512 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        TIMEZONE="UTC",
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("CLASSROOM")
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        from .security import refuse_a_key_of_its_own

        refuse_a_key_of_its_own(app)
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    csrf.init_app(app)

    from . import (
        api,
        assets,
        auth,
        author,
        cli,
        db,
        errors,
        exercises,
        lti,
        parts,
        practice,
        security,
        student,
        studio,
        teacher,
        templating,
        times,
    )

    times.init_app(app)
    practice.init_app(app)
    parts.init_app(app)
    templating.init_app(app)
    db.init_app(app)
    assets.init_app(app)
    exercises.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(student.bp)
    app.register_blueprint(teacher.bp)
    app.register_blueprint(author.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(studio.bp)
    app.register_blueprint(studio.api_bp)
    lti.init_app(app)
    app.add_url_rule("/", endpoint="index", view_func=auth.index)
    app.add_url_rule("/healthz", endpoint="health", view_func=health)
    app.add_url_rule("/readyz", endpoint="ready", view_func=ready)
    return app


def health() -> tuple[str, int, dict[str, str]]:
    """A liveness check for load balancers: the process answers, nothing else is touched."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


def ready() -> tuple[str, int, dict[str, str]]:
    """A readiness check for load balancers: the database can be read and written, and is up
    to date; else 503 with the reason, in plain text."""
    from .db import get_db
    from .store.engine import database_errors
    from .store.readiness import not_ready

    try:
        reason = not_ready(get_db())
    except database_errors() as err:  # the database could not even be opened
        reason = f"database cannot be opened: {err}"
    headers = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
    return (f"{reason}\n", 503, headers) if reason else ("ready\n", 200, headers)


def _instance_secret(instance: Path) -> str:
    """The secret key kept in the instance folder, generated on first run."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
