"""Who may do what: every route in the app's URL map, for every kind of visitor.

The cases are read from app.url_map (pytest_generate_tests), so a new route fails here until
MATRIX says who may use it.
Every response is also checked for the security headers, error pages included; and every
state-changing route is tried without a CSRF token, with CSRF checks on.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import tempfile
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import url_for
from werkzeug.routing import AnyConverter

from classroom import create_app
from classroom.content import studio
from classroom.db import get_db
from classroom.exercises import library
from classroom.store import accounts, classes
from classroom.store import studio as studio_drafts

REPORT_1 = "la-detainers-report-1"
REPORT_2 = "la-detainers-report-2"
FLAG = "Federal immigration"  # words of report 1 that no answer-key item touches

ROLES = ("anonymous", "student", "classmate", "outsider", "teacher", "other_teacher")
# Outcomes besides plain status codes: sent to log in first, or sent on somewhere else.
LOGIN = "login"
MOVED = "moved"
ALL_OK = (200,) * 6

# Each route with what each role gets. The class is 'Period 1' of teacher 'teacher'; the
# student is Ada, who made the attempt in the URLs; the classmate is Ben, in the same class;
# the outsider is Cy, a student of another teacher's class; the other teacher is that teacher.
# fmt: off
MATRIX = {
    #                                         anonymous student classmate outsider teacher other
    ("GET", "static"):                        ALL_OK,
    ("GET", "asset"):                         ALL_OK,
    ("GET", "health"):                        ALL_OK,
    ("GET", "ready"):                         ALL_OK,
    ("GET", "index"):                         (MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    ("GET", "auth.login"):                    ALL_OK,
    ("POST", "auth.login"):                   ALL_OK,  # a wrong password: the form again
    ("POST", "auth.logout"):                  (MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    ("POST", "auth.logout_everywhere"):       (LOGIN, MOVED, MOVED, MOVED, MOVED, MOVED),
    ("GET", "auth.join"):                     ALL_OK,
    ("POST", "auth.join"):                    ALL_OK,  # an unknown join code: the form again
    ("GET", "auth.new_password"):             (LOGIN, 200, 200, 200, 200, 200),
    ("POST", "auth.new_password"):            (LOGIN, MOVED, MOVED, MOVED, MOVED, MOVED),
    ("GET", "student.home"):                  (LOGIN, 200, 200, 200, 403, 403),
    ("GET", "student.exercise"):              (LOGIN, 200, 200, 404, 403, 403),
    ("POST", "student.submit"):               (LOGIN, MOVED, MOVED, 404, 403, 403),
    ("GET", "student.feedback"):              (LOGIN, 200, 404, 404, 200, 404),
    ("POST", "student.show_answers"):         (LOGIN, MOVED, 400, 404, 403, 403),  # Ben: no attempt
    ("GET", "api.draft"):                     (401, 200, 200, 404, 403, 403),
    ("PUT", "api.save_draft"):                (401, 200, 200, 404, 403, 403),
    ("GET", "api.session"):                   (401, 200, 200, 200, 200, 200),
    ("GET", "teacher.home"):                  (LOGIN, 403, 403, 403, 200, 200),
    ("POST", "teacher.create_class"):         (LOGIN, 403, 403, 403, MOVED, MOVED),
    ("GET", "teacher.class_page"):            (LOGIN, 403, 403, 403, 200, 404),
    ("POST", "teacher.rename_class"):         (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "teacher.new_join_code"):        (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "teacher.set_joining"):          (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "teacher.remove_student"):       (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "teacher.reset_password"):       (LOGIN, 403, 403, 403, 200, 404),
    ("POST", "teacher.assign"):               (LOGIN, 403, 403, 403, MOVED, 404),
    ("GET", "teacher.assignment_settings"):   (LOGIN, 403, 403, 403, 200, 404),
    ("POST", "teacher.assignment_settings"):  (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "teacher.close_assignment"):     (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "teacher.move_assignment"):      (LOGIN, 403, 403, 403, MOVED, 404),
    ("GET", "teacher.download_gradebook"):    (LOGIN, 403, 403, 403, 200, 404),
    ("GET", "teacher.download_attempts"):     (LOGIN, 403, 403, 403, 200, 404),
    ("GET", "teacher.assignment_insight"):    (LOGIN, 403, 403, 403, 200, 404),
    ("POST", "teacher.credit_for_all"):       (LOGIN, 403, 403, 403, MOVED, 404),
    ("GET", "teacher.review_queue"):          (LOGIN, 403, 403, 403, 200, 404),
    ("GET", "teacher.review_attempt"):        (LOGIN, 403, 403, 403, 200, 404),
    ("POST", "teacher.credit_highlight"):     (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "teacher.set_score"):            (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "teacher.set_comment"):          (LOGIN, 403, 403, 403, MOVED, 404),
    ("GET", "author.files"):                  (LOGIN, 403, 403, 403, 200, 200),
    ("GET", "author.preview"):                (LOGIN, 403, 403, 403, 200, 200),
    ("GET", "studio.drafts"):                 (LOGIN, 403, 403, 403, 200, 200),
    ("POST", "studio.new"):                   (LOGIN, 403, 403, 403, MOVED, MOVED),
    ("POST", "studio.from_exercise"):         (LOGIN, 403, 403, 403, MOVED, MOVED),
    ("GET", "studio.edit"):                   (LOGIN, 403, 403, 403, 200, 404),
    ("GET", "studio.preview"):                (LOGIN, 403, 403, 403, 200, 404),
    ("POST", "studio.delete"):                (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "studio.publish_draft"):         (LOGIN, 403, 403, 403, MOVED, 404),  # not ready
    ("GET", "studio.download"):               (LOGIN, 403, 403, 403, 200, 404),
    ("POST", "studio.add_step"):              (LOGIN, 403, 403, 403, MOVED, 404),
    ("GET", "studio.edit_step"):              (LOGIN, 403, 403, 403, 200, 404),
    ("POST", "studio.save_step"):             (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "studio.remove_step"):           (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "studio.move_step"):             (LOGIN, 403, 403, 403, MOVED, 404),
    ("GET", "studio.new_article"):            (LOGIN, 403, 403, 403, 200, 404),
    ("POST", "studio.add_article"):           (LOGIN, 403, 403, 403, MOVED, 404),
    ("POST", "studio.add_library_article"):   (LOGIN, 403, 403, 403, MOVED, 404),
    ("PUT", "studio_api.save"):               (401, 403, 403, 403, 200, 404),
    # LTI: without a platform's launch the login and launch are refused with a page (400); the
    # course page follows a teacher's launch only (tests/test_lti_*.py go through launches)
    ("GET", "lti.login"):                     (400, 400, 400, 400, 400, 400),
    ("POST", "lti.login"):                    (400, 400, 400, 400, 400, 400),
    ("POST", "lti.launch"):                   (400, 400, 400, 400, 400, 400),
    ("GET", "lti.jwks"):                      ALL_OK,
    ("GET", "lti.link_course"):               (LOGIN, 403, 403, 403, 403, 403),
    ("POST", "lti.link_course"):              (LOGIN, 403, 403, 403, 403, 403),
    ("GET", "lti.deep_link"):                 (LOGIN, 403, 403, 403, 403, 403),
    ("POST", "lti.deep_link"):                (LOGIN, 403, 403, 403, 403, 403),
    ("POST", "lti.sync_roster"):              (LOGIN, 403, 403, 403, 400, 404),  # not linked
    # registering platforms: the teachers named in LTI_ADMINS only ('teacher' in this world)
    ("GET", "lti.platforms"):                 (LOGIN, 403, 403, 403, 200, 403),
    ("POST", "lti.platforms"):                (LOGIN, 403, 403, 403, 200, 403),  # form again
    ("POST", "lti.add_deployment"):           (LOGIN, 403, 403, 403, 404, 403),  # no platform
    ("POST", "lti.new_registration"):         (LOGIN, 403, 403, 403, MOVED, 403),
    # a platform opens a one-time link: the link is the credential, not a session
    ("GET", "lti.dynamic_registration"):      (404, 404, 404, 404, 404, 404),  # no such link
}
# fmt: on

# Harmless bodies that the view would accept from someone allowed to send them.
BODIES = {
    "auth.login": {"username": "nobody", "password": "not the password"},
    "auth.join": {
        "join_code": "NOSUCH",
        "display_name": "New Student",
        "username": "newbie",
        "password": "{password}",  # the school's: bodies are formatted with world.values
        "confirm": "{password}",
    },
    "auth.new_password": {
        "current": "{password}",
        "password": "a brand new password",
        "confirm": "a brand new password",
    },
    "student.submit": {"highlights": "[]"},
    "teacher.create_class": {"name": "Period 2"},
    "teacher.rename_class": {"rename-name": "Period 1b"},
    "teacher.assign": {"assign-exercise_id": REPORT_2, "assign-feedback_after": "submit"},
    "teacher.assignment_settings": {"feedback_after": "submit"},
    "teacher.credit_for_all": {"highlights": "{highlight_id}"},
    "teacher.set_score": {"score-percent": "80"},
    "teacher.set_comment": {"comment-comment": "Well read."},
    "studio.new": {"title": "A new story", "source": "text", "text": "Some words of a story."},
    "studio.from_exercise": {"exercise_id": REPORT_2},
    "studio.add_step": {"step": "choice"},
    "studio.save_step": {
        "step-was": "loaded-language",
        "step-id": "loaded-language",
        "step-article": "a-draft",
        "step-categories": "loaded_language",
        "step-instruction": "Highlight the loaded words.",
    },
    "studio.remove_step": {"step": "loaded-language"},
    "studio.move_step": {"step": "loaded-language"},
    "studio.add_article": {"title": "Another story", "source": "text", "text": "Other words."},
    "studio.add_library_article": {"article_id": REPORT_2},
}
JSON_BODIES = {
    "api.save_draft": {"highlights": [], "answers": {}},
    "studio_api.save": {"title": "Renamed"},
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def routes(app) -> list[tuple[str, str, dict]]:
    """(method, endpoint, values of its `any` parts) for every route, each choice of an `any`
    part (open/closed, credit/uncredit...) a route of its own."""
    found = []
    for rule in app.url_map.iter_rules():
        choices = {
            name: sorted(converter.items)
            for name, converter in rule._converters.items()
            if isinstance(converter, AnyConverter)
        }
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for picked in itertools.product(*choices.values()):
                found.append((method, rule.endpoint, dict(zip(choices, picked, strict=True))))
    return found


@cache
def url_map_routes() -> list[tuple[str, str, dict]]:
    """The routes of the URL map as the app builds it, read once as the tests are collected. No
    database is opened to read it, and the instance folder the app makes is a temporary one, so
    collecting leaves nothing behind."""
    with tempfile.TemporaryDirectory() as instance, pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLASSROOM_INSTANCE_PATH", instance)
        return routes(create_app({"TESTING": True, "SECRET_KEY": "only-reading-the-url-map"}))


def pytest_generate_tests(metafunc):
    """A test here that takes `route` is run for every route; one that takes `change`, for every
    state-changing route."""
    if "route" in metafunc.fixturenames:
        found = url_map_routes()
        metafunc.parametrize("route", found, ids=map(route_id, found))
    if "change" in metafunc.fixturenames:
        found = [
            r
            for r in url_map_routes()
            if r[0] not in ("GET", "HEAD", "OPTIONS") and r[1] not in CSRF_EXEMPT
        ]
        metafunc.parametrize("change", found, ids=map(route_id, found))


def route_id(route) -> str:
    method, endpoint, choices = route
    return " ".join([method, endpoint, *choices.values()])


@pytest.fixture(scope="module")
def build_world(school_template, make_app, copy_database, snapshot, log_in, csrf_token, password):
    """build_world(folder, **config): an app on a copy of the school, where Ada has submitted an
    attempt at report 1 with a highlight in the key and one outside it, and report 2 is free to
    be assigned again; the database is kept as a template that restore() puts back before each
    request."""

    def build_world(folder: Path, **config) -> SimpleNamespace:
        path, school = school_template
        app = make_app(folder, **config)
        copy_database(path, app)
        with app.app_context():
            db = get_db()
            db.execute(
                "delete from assignments where class_id = ? and exercise_id = ?",
                [school["class"]["id"], REPORT_2],
            )
            exercise = library().exercises[REPORT_1]
            article = exercise.articles[0]
            highlights = [
                {"article": article.id, "category": "loaded_language", "note": ""}
                | {"start": (s := article.text.index(q)), "end": s + len(q), "quote": q}
                for q in ("slammed", FLAG)
            ]
        client = app.test_client()
        log_in(client, school["students"][0])
        if config.get("WTF_CSRF_ENABLED", True):
            token = csrf_token(client.get("/home"))
            extra = {"csrf_token": token}
        else:
            extra = {}
        response = client.post(
            f"/assignments/{school['assignments'][REPORT_1]}/submit",
            data={"highlights": json.dumps(highlights), **extra},
        )
        attempt = int(response.location.rsplit("/", 1)[1])
        with app.app_context():
            highlight = next(
                get_db().query(
                    "select id from attempt_highlights where attempt_id = ? and quote = ?",
                    [attempt, FLAG],
                )
            )["id"]
            # the teacher's draft in the studio, which only they may open
            draft = studio.new_draft("A draft", article.text, "a-draft")
            draft_id = studio_drafts.create_draft(db, school["teacher"], "a-draft", draft)
        template = snapshot(app)
        users = {
            "anonymous": None,
            "student": school["students"][0],
            "classmate": school["students"][1],
            "outsider": school["outsider"],
            "teacher": school["teacher"],
            "other_teacher": school["other_teacher"],
        }
        values = {
            "class_id": school["class"]["id"],
            "assignment_id": school["assignments"][REPORT_1],
            "attempt_id": attempt,
            "highlight_id": highlight,
            "student_id": school["students"][0],
            "exercise_id": REPORT_1,
            "filename": "app.css",
            "draft_id": draft_id,
            "index": 0,  # the draft's first step
            "platform_id": 1,  # no platform is registered in this world
            "token": "no-such-registration-link",
            "password": password,  # for the bodies only: no URL has a part of that name
        }
        return SimpleNamespace(app=app, template=template, users=users, values=values)

    return build_world


@pytest.fixture(scope="module")
def restore(copy_database):
    """restore(world): put the world's database back as it was built."""
    return lambda world: copy_database(world.template, world.app)


def url_of(world, endpoint: str, method: str, choices: dict) -> str:
    """The route's URL aimed at the world's class, assignment, attempt, highlight, student."""
    rule = next(r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {k: v for k, v in world.values.items() if k in rule.arguments}
    with world.app.test_request_context():
        return url_for(endpoint, _method=method, **values, **choices)


def send(world, client, method: str, endpoint: str, choices: dict, extra: dict | None = None):
    """The request a route expects, with a harmless body if it takes one."""
    url = url_of(world, endpoint, method, choices)
    if endpoint in JSON_BODIES:
        headers = {"X-CSRFToken": extra["csrf_token"]} if extra else {}
        return client.open(url, method=method, json=JSON_BODIES[endpoint], headers=headers)
    data = None
    if method != "GET":
        data = {
            k: v.format(**world.values) for k, v in BODIES.get(endpoint, {}).items()
        } | with_prefixes(BODIES.get(endpoint, {}), extra or {})
    return client.open(url, method=method, data=data)


def with_prefixes(body: dict, extra: dict) -> dict:
    """The token under its own name and under each form prefix the body uses ('score-'...)."""
    prefixes = {key.split("-", 1)[0] + "-" for key in body if "-" in key} | {""}
    return {prefix + key: value for key, value in extra.items() for prefix in prefixes}


def outcome(response):
    """What a response amounts to, in the terms of MATRIX."""
    if response.status_code == 302:
        return LOGIN if response.location.startswith("/login?next=") else MOVED
    return response.status_code


# The LTI launch path's own pages (a refusal, the new-window page), which hold nothing and no
# form: a platform shows them in its frame (docs/security.md).
FRAMED_BY_ANY = {"lti.login", "lti.launch", "lti.dynamic_registration"}


def assert_security_headers(response, logged_in: bool, endpoint: str | None = None) -> None:
    """The headers every response carries, whatever its status."""
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp and "unsafe-inline" not in csp
    assert headers.get("X-Content-Type-Options") == "nosniff"
    if endpoint in FRAMED_BY_ANY:
        assert "frame-ancestors *" in csp and "X-Frame-Options" not in headers
    else:
        assert "frame-ancestors 'none'" in csp
        assert headers.get("X-Frame-Options") == "DENY"
    assert headers.get("Referrer-Policy") == "same-origin"
    if logged_in and endpoint not in ("static", "asset", "lti.jwks"):  # public, the same for all
        assert "no-store" in headers.get("Cache-Control", ""), "a logged-in page may be cached"


def assert_described(response) -> None:
    """Every page, error pages too, has a meta description for search engines and link
    previews (Lighthouse's SEO audit counts it)."""
    described = re.search(
        r'<meta name="description" content="([^"]{50,160})">', response.get_data(as_text=True)
    )
    assert described, f"{response.request.path} has no meta description of 50 to 160 characters"


@pytest.fixture(scope="module")
def world(tmp_path_factory, build_world):
    return build_world(
        tmp_path_factory.mktemp("matrix"), WTF_CSRF_ENABLED=False, LTI_ADMINS=["teacher"]
    )


@pytest.fixture(scope="module")
def csrf_world(tmp_path_factory, build_world):
    return build_world(tmp_path_factory.mktemp("csrf-matrix"), LTI_ADMINS=["teacher"])


def test_every_route_has_an_entry_in_the_matrix(world):
    in_map = {(method, endpoint) for method, endpoint, _ in routes(world.app)}
    assert in_map - set(MATRIX) == set(), "a route with no rule for who may use it"
    assert set(MATRIX) - in_map == set(), "an entry for a route that no longer exists"


def test_who_may_use_each_route(world, restore, log_in, route):
    method, endpoint, choices = route
    expected = MATRIX.get((method, endpoint))
    assert expected is not None, f"{method} {endpoint} has no entry in MATRIX"
    got = {}
    for role, want in zip(ROLES, expected, strict=True):
        restore(world)
        client = world.app.test_client()
        log_in(client, world.users[role])
        with send(world, client, method, endpoint, choices) as response:
            got[role] = outcome(response)
            assert_security_headers(response, role != "anonymous", endpoint)
            if want in (200, MOVED) and response.status_code == 200:
                response.get_data()  # a streamed download runs to its end
            if response.mimetype == "text/html" and response.status_code // 100 != 3:
                assert_described(response)
    assert got == dict(zip(ROLES, expected, strict=True))


def test_other_methods_are_refused_with_405(world, route):
    method, endpoint, choices = route
    url = url_of(world, endpoint, method, choices)
    allowed = world.app.url_map.bind("localhost").allowed_methods(url.split("?")[0])
    client = world.app.test_client()
    for other in set(METHODS) - set(allowed):
        response = client.open(url, method=other)
        assert response.status_code == 405, (other, url)
        assert_security_headers(response, logged_in=False)


@pytest.mark.parametrize(
    "path, status",
    [
        ("/no/such/page", 404),
        ("/assignments/not-a-number", 404),
        (f"/assignments/{2**63}", 404),  # past SQLite's integers
        ("/assets/0000000000/../pyproject.toml", 404),  # no telling what exists outside
    ],
)
def test_error_pages_carry_the_headers_too(world, path, status):
    response = world.app.test_client().get(path)
    assert response.status_code == status
    assert_security_headers(response, logged_in=False)


def test_a_crash_page_carries_the_headers_too(tmp_path, make_app, monkeypatch):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(app.logger, "disabled", True)  # the 'classroom' logger: shared

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert_security_headers(response, logged_in=False)


# --- CSRF: every state-changing route, with CSRF checks on, as they run for real ---------------


# Who is allowed to send each state-changing request, so that a refusal can only be the token's.
ALLOWED = {
    "auth": "anonymous",
    "student": "student",
    "api": "student",
    "teacher": "teacher",
    "studio": "teacher",
    "studio_api": "teacher",
    "lti": "teacher",
}
# The platform's own POSTs, which carry no token of ours: what stands in for it is the launch's
# signature, state cookie and nonce (docs/security.md; tests/test_lti_launch.py refuses each).
CSRF_EXEMPT = {"lti.login", "lti.launch"}
ALLOWED_HERE = {
    "auth.logout": "student",
    "auth.logout_everywhere": "student",
    "auth.new_password": "student",
}


def fingerprint(app) -> str:
    """A hash of every row of the database, to tell that nothing changed."""
    with app.app_context():
        db = get_db()
        if db.engine == "sqlite":
            dump = "\n".join(db.conn.iterdump())
        else:  # every row of every table, in an order that does not depend on where it lies
            dump = "\n".join(
                sorted(repr(r) for t in db.table_names() for r in db.query(f"select * from {t}"))
            )
    return hashlib.sha256(dump.encode()).hexdigest()


def test_every_state_changing_route_refuses_a_request_without_a_csrf_token(
    csrf_world, restore, log_in, csrf_token, change
):
    method, endpoint, choices = change
    role = ALLOWED_HERE.get(endpoint) or ALLOWED[endpoint.split(".")[0]]
    restore(csrf_world)
    client = csrf_world.app.test_client()
    log_in(client, csrf_world.users[role])  # a session row, made before the fingerprint
    before = fingerprint(csrf_world.app)
    refused = send(csrf_world, client, method, endpoint, choices)
    assert refused.status_code == 400
    message = refused.json["error"] if endpoint.startswith("api.") else refused.text
    assert "The form had expired or was sent from elsewhere" in message
    assert fingerprint(csrf_world.app) == before, "a refused request changed the database"
    # The same request with the page's token is let through, so the token was the reason.
    token = csrf_token(client.get("/login"))
    accepted = send(csrf_world, client, method, endpoint, choices, {"csrf_token": token})
    assert outcome(accepted) == MATRIX[(method, endpoint)][ROLES.index(role)]


def test_the_platforms_posts_take_no_token_and_change_nothing_without_a_signed_launch(
    csrf_world, restore, log_in
):
    restore(csrf_world)
    client = csrf_world.app.test_client()
    log_in(client, csrf_world.users["student"])
    before = fingerprint(csrf_world.app)
    for endpoint in sorted(CSRF_EXEMPT):
        answer = send(csrf_world, client, "POST", endpoint, {})
        assert answer.status_code == 400, endpoint
        assert "The form had expired" not in answer.text  # not refused for the token
        assert "Classroom refused this launch" in answer.text
    assert fingerprint(csrf_world.app) == before


# --- ids swapped: a URL or body naming someone else's things reaches nothing -------------------


@pytest.fixture
def town(app, school, log_in):
    """The school with work in both classes: Ada's attempt at report 1 with an extra highlight,
    Ben's too, and Cy's at report 1 given to the other class. Returns ids by name."""
    with app.app_context():
        db = get_db()
        cy_assignment = classes.assign(db, school["other_class"]["id"], REPORT_1)
        article = library().exercises[REPORT_1].articles[0]
    start = article.text.index(FLAG)
    flag = {"article": article.id, "start": start, "end": start + len(FLAG)}
    flag |= {"quote": FLAG, "category": "loaded_language", "note": ""}
    ids = {"cy_assignment": cy_assignment}
    for name, user, assignment in (
        ("ada", school["students"][0], school["assignments"][REPORT_1]),
        ("ben", school["students"][1], school["assignments"][REPORT_1]),
        ("cy", school["outsider"], cy_assignment),
    ):
        client = app.test_client()
        log_in(client, user)
        response = client.post(
            f"/assignments/{assignment}/submit", data={"highlights": json.dumps([flag])}
        )
        ids[name] = attempt = int(response.location.rsplit("/", 1)[1])
        with app.app_context():
            ids[f"{name}_flag"] = next(
                get_db().query("select id from attempt_highlights where attempt_id = ?", [attempt])
            )["id"]
    return ids


def events(app) -> int:
    with app.app_context():
        return get_db()["review_events"].count


def test_a_highlight_of_another_attempt_cannot_be_credited_through_this_one(
    app, school, town, client_of
):
    teacher = client_of(app, school["teacher"])
    for stranger in ("ben_flag", "cy_flag"):
        for change in ("credit", "uncredit"):
            url = f"/teacher/attempts/{town['ada']}/highlights/{town[stranger]}/{change}"
            response = teacher.post(url)
            assert response.status_code == 400, (stranger, change)
            assert b"This attempt has no such highlight" in response.data
    assert events(app) == 0
    # the class's own highlight, through its own attempt, is credited
    url = f"/teacher/attempts/{town['ada']}/highlights/{town['ada_flag']}/credit"
    assert teacher.post(url).status_code == 302
    assert events(app) == 1


def test_credit_for_all_reaches_only_the_assignments_own_latest_attempts(
    app, school, town, client_of
):
    teacher = client_of(app, school["teacher"])
    url = f"/teacher/assignments/{school['assignments'][REPORT_1]}/insight/credit"
    response = teacher.post(url, data={"highlights": str(town["cy_flag"])}, follow_redirects=True)
    assert response.status_code == 200 and "Credited 0 highlights" in response.text
    assert events(app) == 0
    # Cy's teacher may not credit through Period 1's assignment either, nor Cy's through it
    other = client_of(app, school["other_teacher"])
    assert other.post(url, data={"highlights": str(town["ada_flag"])}).status_code == 404
    assert events(app) == 0
    both = f"{town['ada_flag']},{town['ben_flag']},{town['cy_flag']}"
    response = teacher.post(url, data={"highlights": both}, follow_redirects=True)
    assert "Credited 2 highlights" in response.text
    with app.app_context():
        credited = {r["attempt_id"] for r in get_db().query("select * from review_events")}
    assert credited == {town["ada"], town["ben"]}


def test_a_teacher_cannot_reach_another_classs_student_through_their_own_class(
    app, school, password, client_of
):
    teacher = client_of(app, school["teacher"])
    mine, cy = school["class"]["id"], school["outsider"]
    for action in ("remove", "reset-password"):
        response = teacher.post(f"/teacher/classes/{mine}/students/{cy}/{action}")
        assert response.status_code == 404, action
    with app.app_context():
        db = get_db()
        assert accounts.check_login(db, "cy", password) is not None  # password unchanged
        enrolled = db.execute("select count(*) from enrolments where student_id = ?", [cy])
        assert enrolled.fetchone()[0] == 1


def test_a_student_cannot_touch_another_classs_assignment(app, school, town, client_of):
    ada = client_of(app, school["students"][0])
    theirs = town["cy_assignment"]
    assert ada.get(f"/api/assignments/{theirs}/draft").status_code == 404
    saved = ada.put(f"/api/assignments/{theirs}/draft", json={"highlights": [], "answers": {}})
    assert saved.status_code == 404
    assert ada.post(f"/assignments/{theirs}/submit", data={"highlights": "[]"}).status_code == 404
    assert ada.get(f"/attempts/{town['cy']}").status_code == 404
    assert ada.get(f"/attempts/{town['ben']}").status_code == 404  # a classmate's, too
    with app.app_context():
        db = get_db()
        for table in ("drafts", "attempts"):  # Cy's own, from submitting, and nobody else's
            rows = db.execute(f"select student_id from {table} where assignment_id = ?", [theirs])
            assert rows.fetchall() == [(school["outsider"],)], table


def test_a_student_removed_from_the_class_can_no_longer_save_or_submit(app, school, client_of):
    teacher = client_of(app, school["teacher"])
    ada_id, aid = school["students"][0], school["assignments"][REPORT_1]
    teacher.post(f"/teacher/classes/{school['class']['id']}/students/{ada_id}/remove")
    ada = client_of(app, ada_id)
    assert ada.put(f"/api/assignments/{aid}/draft", json={"highlights": []}).status_code == 404
    assert ada.post(f"/assignments/{aid}/submit", data={"highlights": "[]"}).status_code == 404
    with app.app_context():
        assert get_db()["drafts"].count == 0 and get_db()["attempts"].count == 0


# --- login: what test_auth and test_security do not cover yet ----------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "/%09/evil.example/",  # a tab, which browsers drop: "//evil.example/"
        "/%0a/evil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
    ],
)
def test_login_never_sends_you_to_another_site(client, school, target, password):
    response = client.post(f"/login?next={target}", data={"username": "ada", "password": password})
    assert response.status_code == 302 and response.location == "/"


def test_login_keeps_a_next_on_this_site_with_its_query(client, school, password):
    target = "/teacher/assignments/3/review?show=late"
    response = client.post(
        "/login", query_string={"next": target}, data={"username": "teacher", "password": password}
    )
    assert response.location == target


def test_a_user_is_who_the_database_says_not_what_the_session_remembers(app, school, client_of):
    """Roles come from the users table on every request: a session cannot carry one."""
    client = client_of(app, school["students"][0])
    with client.session_transaction() as session:
        session.update(role="teacher")
    assert client.get("/teacher/").status_code == 403
    with client.session_transaction() as session:
        session["user_id"] = 10**9  # an account that does not exist
    assert client.get("/home").status_code == 302


# --- HTTPS, directly or behind a proxy ------------------------------------------------------


def test_over_https_the_browser_is_told_to_stay_on_https(world):
    client = world.app.test_client()
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/login").headers


@pytest.mark.parametrize("proxies, trusted", [(0, False), (1, True)])
def test_a_proxys_https_is_believed_only_when_configured(
    tmp_path, school, proxies, trusted, password, copy_database, make_app
):
    """With CLASSROOM_PROXY_COUNT=1 behind a TLS proxy, the app sees HTTPS: Secure cookie, HSTS.
    Without it, a client cannot claim HTTPS (or another address) with the headers."""
    (tmp_path / "proxy").mkdir()
    app = make_app(tmp_path / "proxy", PROXY_COUNT=proxies, WTF_CSRF_ENABLED=False)
    copy_database(tmp_path / "test.sqlite", app)  # the school's copy
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    response = app.test_client().post(
        "/login", data={"username": "ada", "password": password}, headers=forwarded
    )
    assert response.status_code == 302
    assert ("Secure" in response.headers["Set-Cookie"]) is trusted
    assert ("Strict-Transport-Security" in response.headers) is trusted


# --- docs/security.md names real tests ------------------------------------------------------


def test_every_test_named_in_the_security_doc_exists():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "security.md").read_text()
    named, current = [], None
    for path, name in re.findall(r"`(tests/[\w/]+\.py)?::(\w+)`", doc):
        current = path or current  # "::name" goes on in the file named before it
        named.append((current, name))
    assert len(named) > 40
    root = Path(__file__).resolve().parent.parent
    missing = [
        f"{path}::{name}"
        for path, name in named
        if not re.search(rf"^def {name}\(", (root / path).read_text(), re.M)
    ]
    assert missing == []
