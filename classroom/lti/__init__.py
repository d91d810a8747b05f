"""LTI 1.3: Classroom as a tool that a learning platform (Canvas, Moodle, Schoology,
Brightspace) launches, with deep linking, grade passback and rosters (docs/lti.md).

adapter.py is the only module that knows the LTI library; the rest sees classroom.lti.claims.
"""

from __future__ import annotations

from flask import Flask

from .routes import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the blueprint and the `flask lti` commands."""
    from . import cli, deep_linking, pages  # noqa: F401  (their views join bp)

    app.register_blueprint(bp)
    app.cli.add_command(cli.lti)
    app.jinja_env.globals["registers_platforms"] = pages.may_register  # the nav's link
