"""The teacher's LTI pages: reading a linked class's roster from its platform, and (for the
teachers who administer Classroom) registering platforms."""

from __future__ import annotations

import requests
from flask import abort, flash, redirect, url_for

from ..access import my_class
from ..auth import login_required
from ..db import get_db
from ..teacher.forms import ActionForm
from . import adapter, rosters
from .routes import bp


@bp.post("/classes/<int:class_id>/roster")
@login_required("teacher")
def sync_roster(class_id: int):
    """Make the class's students follow its platform course's roster."""
    my_class(class_id)
    if not ActionForm().validate_on_submit():
        abort(400, "The form could not be read. Reload the page and try again.")
    try:
        counts = rosters.sync(get_db(), class_id)
    except rosters.NoRoster:
        abort(400, "This class is not linked to a platform course that shares its roster.")
    except (adapter.LtiException, requests.RequestException):
        flash(
            "The platform did not give the roster just now, so nothing changed. Try again "
            "in a few minutes.",
            "error",
        )
    else:
        flash(
            f"Roster read from the platform: {counts['added']} student(s) added, "
            f"{counts['removed']} removed (their work is kept), {counts['kept']} already here.",
            "success",
        )
    return redirect(url_for("teacher.class_page", class_id=class_id))
