"""The launch path: the platform's OIDC login initiation, the launch it posts back, the tool's
key set, and the page where a teacher links a platform course to a class.

The platform posts the login and the launch from its own pages, so those two take no CSRF
token (docs/security.md says why that is safe: the launch is a token signed by the platform,
bound to this browser by the state cookie and used once by its nonce). Inside the platform's
frame, the launch's state cookie and the session cookie it leads to are SameSite=None; Secure
(classroom.security), and the session's pages may be framed by the platform's own addresses.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from .. import csrf
from ..auth import live, login_required
from ..db import get_db
from ..store import accounts, roster
from ..store import lti as store
from . import adapter, arrival, keys
from .claims import REASONS, Launch, Refused, origin
from .forms import LinkCourseForm

bp = Blueprint("lti", __name__, url_prefix="/lti")

# The launch path's own pages (a refusal, the new-window page) hold nothing of anyone's and no
# form: any platform may show them in its frame.
OPEN_TO_FRAMES = {"lti.login", "lti.launch", "lti.dynamic_registration"}


@bp.before_app_request
def allow_the_platforms_frame():
    """Let the platform frame the pages of a session its launch began (and anyone frame the
    launch path's own pages, which hold nothing): classroom.security reads g.frame_ancestors."""
    if request.endpoint in OPEN_TO_FRAMES:
        g.frame_ancestors = "*"
    elif (framed := session.get("lti")) and framed.get("frame"):
        g.frame_ancestors = " ".join(["'self'", *framed["frame"]])


def refused(reason: str, status: int = 400, **extra):
    """The page that says why a launch was not let in, and what to do."""
    headline, advice = REASONS[reason]
    current_app.logger.info("LTI launch refused: %s", reason)
    page = render_template(
        "lti/refused.html", headline=headline, advice=advice, reason=reason, **extra
    )
    return page, status


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    """OIDC login initiation: the platform names itself and the user; the browser goes to the
    platform's authorization address with a new state (its cookie set) and nonce. The link
    it would open must be one of Classroom's own addresses."""
    target = (request.form if request.method == "POST" else request.args).get("target_link_uri")
    if target and origin(target) != origin(request.host_url):
        return refused("elsewhere")
    try:
        url, cookies = adapter.begin_login(url_for("lti.launch", _external=True))
    except Refused as err:
        return refused(err.reason)
    return cookies.apply(redirect(url))


@bp.post("/launch")
@csrf.exempt
def launch():
    """The platform's signed launch: every check, then the user's account, class and page."""
    try:
        done = adapter.finish_launch()
    except Refused as err:
        if err.reason == "no_state" and (params := adapter.login_params(request.form.get("state"))):
            # the login began here, but its cookie did not come back: a browser that blocks
            # cookies in frames. In a window of its own, the cookie is this site's.
            again = url_for("lti.login") + "?" + urlencode(params | {"lti1p3_new_window": "1"})
            return refused("no_state", status=403, new_window=again)
        return refused(err.reason)
    try:
        arrived = arrival.arrive(get_db(), done)
    except Refused as err:
        return refused(err.reason, status=403, **err.shown)
    begin_session(arrived.user_id, done)
    return without_the_other_session_cookie(redirect(destination(arrived)))


def framed_here() -> bool:
    """Whether this request is a page in another site's frame (Sec-Fetch-Dest, which every
    browser that partitions cookies sends; without it, as if framed)."""
    return request.headers.get("Sec-Fetch-Dest", "iframe") in ("iframe", "frame")


def without_the_other_session_cookie(response):
    """A framed launch's session cookie is Partitioned (kept in the platform's partition), a
    launch in a window of its own has a plain one, which replaces any session cookie Classroom
    set before. The browser keeps the two kinds apart and would send both, the older first:
    so the kind this launch does not set is cleared, and the new session is the one that
    comes back."""
    cookies, app = current_app.session_interface, current_app._get_current_object()
    if cookies.framed(app):
        response.delete_cookie(
            cookies.get_cookie_name(app),
            path=cookies.get_cookie_path(app),
            secure=True,
            httponly=True,
            samesite="None",
            partitioned=not session["lti"]["partitioned"],
        )
    return response


def begin_session(user_id: int, done: Launch) -> None:
    """Log the launch's user in (a fresh session), remembering the launch for what follows
    it and the platform's addresses that may frame its pages. A session this browser had is
    ended, on the server too, never carried on or merged into the new one: the platform says
    who is at the keyboard now; if it was someone else's, the next page says so."""
    before, now = live.user(), accounts.get_user(get_db(), user_id)
    live.end()
    live.start(user_id)
    g.pop("user", None)
    session["lti"] = {
        "launch": done.launch_id,
        "frame": list(done.frame_origins),
        "partitioned": framed_here(),
    }
    if before and before["id"] != user_id:
        flash(
            f"{before['display_name']} was logged out in this browser: the learning platform "
            f"opened Classroom as {now['display_name']}.",
            "info",
        )


def destination(arrived: arrival.Arrival) -> str:
    """The page a launch opens."""
    if arrived.next == "link_course":
        return url_for("lti.link_course")
    if arrived.next == "deep_link":
        return url_for("lti.deep_link")
    if arrived.next == "class":
        return url_for("teacher.class_page", class_id=arrived.class_id)
    if arrived.role == "teacher":
        return url_for("teacher.review_queue", assignment_id=arrived.assignment_id)
    return url_for("student.exercise", assignment_id=arrived.assignment_id)


@bp.get("/jwks")
def jwks():
    """The tool's public key set, for platforms to check what Classroom signs."""
    pem = adapter.private_key()
    response = jsonify(keys.jwks(pem))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def this_launch() -> Launch:
    """The launch that began this session, kept on the server, or 403 if there is none."""
    kept = session.get("lti") or {}
    found = adapter.kept_launch(kept.get("launch", ""))
    if found is None:
        abort(403, "This page follows a launch from a learning platform: open Classroom there.")
    return found


@bp.route("/course", methods=["GET", "POST"])
@login_required("teacher")
def link_course():
    """A platform course seen for the first time: make a class for it, or link one of mine."""
    done = this_launch()
    db = get_db()
    if store.course(db, done.issuer, done.context_id or ""):
        abort(409, "This course is linked to a class already: open Classroom from it again.")
    form = LinkCourseForm()
    mine = [
        c
        for c in roster.classes_overview(db, g.user["id"])
        if not store.course_of_class(db, c["id"])
    ]
    form.class_id.choices = [("new", f"A new class, “{done.context_title or 'the course'}”")]
    form.class_id.choices += [(str(c["id"]), c["name"]) for c in mine]
    if form.validate_on_submit():
        picked = None if form.class_id.data == "new" else int(form.class_id.data)
        class_id = arrival.link_course(db, done, g.user["id"], picked)
        try:
            again = arrival.arrive(db, done)
        except Refused as err:  # another instructor linked the course a moment before
            return refused(err.reason, status=403, **err.shown)
        return redirect(
            destination(again)
            if again.next != "class"
            else url_for("teacher.class_page", class_id=class_id)
        )
    return render_template("lti/link_course.html", form=form, launch=done)
