"""The teacher's LTI pages: reading a linked class's roster from its platform, and (for the
teachers who administer Classroom) registering platforms."""

from __future__ import annotations

import requests
from flask import abort, current_app, flash, g, redirect, render_template, url_for

from ..access import my_class
from ..auth import login_required
from ..db import get_db
from ..store import lti as store
from ..teacher.forms import ActionForm
from . import adapter, rosters, urls
from .forms import DeploymentForm, PlatformForm
from .routes import bp


def may_register() -> bool:
    """Whether this teacher administers Classroom's platforms (their username is in
    LTI_ADMINS): registering one lets its launches in, as anyone that platform names."""
    admins = current_app.config.get("LTI_ADMINS") or ()
    if isinstance(admins, str):
        admins = [a.strip() for a in admins.split(",")]
    return g.user["username"] in {a.lower() for a in admins}


@bp.route("/platforms", methods=["GET", "POST"])
@login_required("teacher")
def platforms():
    """The platforms registered, the values to paste into a platform, and (for the teachers
    who administer Classroom) the form that registers another."""
    if not may_register():
        abort(403, "Only the teachers named in LTI_ADMINS register learning platforms.")
    db = get_db()
    form = PlatformForm()
    if form.validate_on_submit():
        problem = urls.problem(form.fields())
        if problem is None:
            try:
                store.add_platform(db, form.fields(), form.deployment_ids(), g.user["id"])
            except store.PlatformTaken:
                problem = "This issuer and client id are registered already."
            else:
                flash(f"“{form.name.data}” is registered: its launches are let in.", "success")
                return redirect(url_for("lti.platforms"))
        form.issuer.errors.append(problem)
    return render_template(
        "lti/platforms.html",
        form=form,
        deployment_form=DeploymentForm(),
        platforms=store.platforms(db),
        tool=urls.tool_urls(),
    )


@bp.post("/platforms/<int:platform_id>/deployments")
@login_required("teacher")
def add_deployment(platform_id: int):
    """Accept launches from another deployment of a registered platform."""
    if not may_register():
        abort(403, "Only the teachers named in LTI_ADMINS register learning platforms.")
    db = get_db()
    found = store.platform(db, platform_id)
    if found is None:
        abort(404, "There is no such platform.")
    form = DeploymentForm()
    if not form.validate_on_submit():
        abort(400, "A deployment id is needed.")
    store.add_deployment(db, platform_id, form.deployment_id.data)
    flash(f"Deployment added to “{found['name']}”.", "success")
    return redirect(url_for("lti.platforms"))


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
