"""The teacher's LTI pages: reading a linked class's roster from its platform, and (for the
teachers who administer Classroom) registering platforms."""

from __future__ import annotations

import requests
from flask import abort, current_app, flash, g, redirect, render_template, request, url_for

from ..access import my_class
from ..auth import login_required
from ..db import get_db
from ..store import lti as store
from ..teacher.forms import ActionForm
from . import registration, rosters, services, urls
from .forms import DeploymentForm, PlatformForm
from .routes import bp


def may_register() -> bool:
    """Whether this teacher administers Classroom's platforms (their username is in
    LTI_ADMINS): registering one lets its launches in, as anyone that platform names."""
    user = g.get("user")
    if not user or user["role"] != "teacher":
        return False
    admins = current_app.config.get("LTI_ADMINS") or ()
    if isinstance(admins, str):
        admins = [a.strip() for a in admins.split(",")]
    return user["username"] in {a.lower() for a in admins}


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
        action=ActionForm(),
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
    except (services.LtiException, requests.RequestException):
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


@bp.post("/registrations")
@login_required("teacher")
def new_registration():
    """A one-time Dynamic Registration link, for a platform that registers tools by itself."""
    if not may_register():
        abort(403, "Only the teachers named in LTI_ADMINS register learning platforms.")
    if not ActionForm().validate_on_submit():
        abort(400, "The form could not be read. Reload the page and try again.")
    token = store.new_registration_link(get_db(), g.user["id"])
    url = url_for("lti.dynamic_registration", token=token, _external=True)
    flash(f"Paste this into the platform's tool registration URL within a day: {url}", "success")
    return redirect(url_for("lti.platforms"))


@bp.get("/register/<token>")
def dynamic_registration(token: str):
    """The platform opens a teacher's one-time link: read its configuration, register
    Classroom with it, and keep it as a platform. The link itself is the credential (made by
    a teacher in LTI_ADMINS, unguessable, used once, for a day): the platform's page opens it
    in a frame, where Classroom's session cookie may not come."""
    db = get_db()
    link = store.registration_link(db, token)
    configuration_url = request.args.get("openid_configuration", "")
    if link is None:
        abort(404, "This registration link has been used, has expired, or never was.")
    if not urls.secure_address(configuration_url):
        abort(400, "The platform did not say where its configuration is (openid_configuration).")
    tool = urls.tool_addresses()
    run = registration.Registration(configuration_url, request.args.get("registration_token"), tool)
    try:
        run.register()
        found = run.platform
        if problem := urls.problem(found["fields"]):
            raise registration.Refused(problem)
        if not store.use_registration_link(db, link["id"]):
            abort(404, "This registration link has been used, has expired, or never was.")
        store.add_platform(db, found["fields"], found["deployments"], link["teacher_id"])
    except (
        registration.Refused,
        store.PlatformTaken,
        services.LtiException,
        requests.RequestException,
        AssertionError,
        KeyError,
        ValueError,
    ) as err:
        current_app.logger.info("Dynamic Registration refused: %r", err)
        return render_template("lti/registered.html", done=False, reason=str(err)), 400
    return render_template("lti/registered.html", done=True, name=found["fields"]["name"])
