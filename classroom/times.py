"""The school's time zone in the app: checked once at start-up, and the filters that show a
stored time in it (the rules themselves are in clock.py, which knows nothing of Flask)."""

from __future__ import annotations

from datetime import tzinfo

from flask import Flask, current_app

from . import clock

EXTENSION = "classroom.zone"


def school_zone() -> tzinfo:
    """The time zone due dates are entered in and every time is shown in."""
    return current_app.extensions[EXTENSION]


def time_of_day(stored: str | None) -> str:
    """A stored time as the save status says it, in the school's zone: '18:50:12 BST'."""
    return clock.time_of_day(stored, school_zone())


def init_app(app: Flask) -> None:
    """Check TIMEZONE (a wrong name stops the app here, not on the first page that shows a
    time) and add the `when` and `time_of_day` filters."""
    name = app.config["TIMEZONE"]
    try:
        zone = clock.zone(name)
    except (ValueError, TypeError, OSError) as err:  # ZoneInfoNotFoundError is a KeyError
        raise RuntimeError(
            f"CLASSROOM_TIMEZONE (TIMEZONE in instance/config.py) is {name!r}, which is not a "
            "time zone: set it to an IANA name such as Europe/London, America/Chicago or "
            "Asia/Kolkata, or leave it out for UTC."
        ) from err
    app.extensions[EXTENSION] = zone
    app.add_template_filter(lambda stored: clock.readable(stored, zone), "when")
    app.add_template_filter(lambda stored: clock.time_of_day(stored, zone), "time_of_day")
