"""The launch's checks one at a time (classroom/lti/checks.py), each against a forger's token or
a platform's odd one: the algorithm (RS256 only), the key's id, the audience and authorized
party, the clocks' leeway, the nonce bound to its login's state, the deployment, the kind of
message and its version, the target link, and what a refused launch leaves behind (nothing)."""

from __future__ import annotations

import time

import pytest

from classroom.db import get_db
from classroom.store import lti as lti_store
from tests.lti_platform import CLIENT_ID
from tests.test_lti_launch import link_new_class, user_of

TOOL = "https://localhost"
SIGNATURE = "The launch&#39;s signature is not the platform&#39;s"
AUDIENCE = "This launch was meant for another tool"


@pytest.fixture
def linked(app, platform, csrf_token):
    """The course linked to a class by the teacher's first launch."""
    link_new_class(app.test_client(), platform, csrf_token)
    return platform


def refused_as(answer, headline: str, status: int = 400) -> None:
    assert answer.status_code == status, answer.text
    assert headline in answer.text
    assert "nothing was changed" in answer.text


def let_in(answer) -> None:
    """Let in: Ada's launch of a link that opens no assignment yet is told so (403), after
    every check passed (a refused check is a 400)."""
    assert answer.status_code == 403, answer.text
    assert "This link opens no assignment in Classroom" in answer.text


@pytest.mark.parametrize(
    "tamper",
    [
        {"alg": "none"},  # unsigned
        {"alg": "HS256"},  # an HMAC keyed with the platform's published public key
        {"kid": "a-key-the-platform-never-had"},
        {"without_kid": True},
    ],
    ids=["none", "hs256-with-the-public-key", "unknown-kid", "no-kid"],
)
def test_a_token_not_signed_rs256_by_a_key_of_the_platform_is_refused(app, linked, tamper):
    if tamper.pop("without_kid", False):
        tamper["kid"] = None
    client = app.test_client()
    refused_as(linked.launch(client, "ada", **tamper), SIGNATURE)
    assert user_of(app, linked, "ada") is None
    assert client.get("/home", base_url=TOOL).status_code == 302  # nobody logged in


def test_only_rs256_is_taken_even_where_the_platforms_key_set_names_another(app, linked):
    linked.key_set_alg = "RS512"  # the key set says RS512, and the token is RS512
    with app.app_context():  # the key set kept from the teacher's launch has expired
        get_db().execute("delete from lti_values where key like '%key-set%'")
    refused_as(linked.launch(app.test_client(), "ada", alg="RS512"), SIGNATURE)


def test_a_launch_signed_by_the_platforms_new_key_is_let_in_once_the_key_set_has_it(app, linked):
    """The key set read at the teacher's launch is kept for five minutes; a token whose kid
    it lacks has the key set read again (at most once a minute), so a platform that moves to
    a new key is not refused meanwhile; a made-up kid is refused all the same."""
    linked.key_name = "rotated"  # the platform's key set and its tokens move to a new key
    let_in(linked.launch(app.test_client(), "ada"))
    refused_as(linked.launch(app.test_client(), "ada", kid="made-up"), SIGNATURE)


@pytest.mark.parametrize(
    "claims, let",
    [
        ({"aud": [CLIENT_ID]}, True),
        ({"aud": [CLIENT_ID, "another-tool"], "azp": CLIENT_ID}, True),
        ({"aud": ["another-tool", CLIENT_ID], "azp": CLIENT_ID}, True),
        ({"aud": [CLIENT_ID, "another-tool"]}, False),  # several audiences and no azp
        ({"aud": [CLIENT_ID], "azp": "another-tool"}, False),  # azp must be us
        ({"aud": ["another-tool"], "azp": CLIENT_ID}, False),  # and one of the audiences
        ({"aud": []}, False),
    ],
    ids=["one-in-a-list", "azp-first", "azp-second", "no-azp", "azp-other", "azp-not-aud", "none"],
)
def test_an_audience_list_names_us_through_its_authorized_party(app, linked, claims, let):
    answer = linked.launch(app.test_client(), "ada", claims=claims)
    if let:
        let_in(answer)
    else:
        refused_as(answer, AUDIENCE)


@pytest.mark.parametrize(
    "iat, exp, outcome",
    [
        (+5, +300, "let"),  # the platform's clock a few seconds ahead of ours
        (-300, -5, "let"),  # expired a few seconds ago by our clock
        (-400, -120, "This launch has expired"),
        (+300, +600, "This launch is dated in the future"),
    ],
    ids=["iat-just-ahead", "exp-just-past", "expired", "from-the-future"],
)
def test_the_clocks_may_differ_by_a_minute_and_no_more(app, linked, iat, exp, outcome):
    now = int(time.time())
    answer = linked.launch(app.test_client(), "ada", claims={"iat": now + iat, "exp": now + exp})
    if outcome == "let":
        let_in(answer)
    else:
        refused_as(answer, outcome)


def test_a_nonce_works_only_with_the_state_of_its_own_login(app, linked):
    """Two logins begun in one browser: the token of the first posted with the state of the
    second (as a token injected with a planted state cookie would be) is refused; the first's
    own launch still works, once."""
    client = app.test_client()
    first, second = linked.begin(client, "ada"), linked.begin(client, "ada")
    token = linked.id_token(
        linked.people["ada"], first["nonce"], "LtiResourceLinkRequest", "link-1", {}
    )
    refused_as(linked.post(client, token, second), "This launch belongs to another sign-in")
    assert user_of(app, linked, "ada") is None
    let_in(linked.post(client, token, first))
    refused_as(linked.post(client, token, first), "This launch was used already")


def test_a_login_lasts_five_minutes_its_nonce_too(app, linked):
    client = app.test_client()
    query = linked.begin(client, "ada")
    with app.app_context():
        rows = list(get_db().query("select key, expires_at from lti_values"))
    kept = [r for r in rows if query["nonce"] in r["key"] or query["state"] in r["key"]]
    assert len(kept) == 2  # the nonce, and the state with what the login was begun with
    soon = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() + 5 * 60 + 5))
    assert all(r["expires_at"] <= soon for r in kept), kept


def test_a_deployment_of_another_platform_is_not_this_ones(app, linked):
    with app.app_context():
        db = get_db()
        other = lti_store.add_platform(
            db,
            linked.registration() | {"issuer": "https://other.test", "client_id": "x"},
            ["deployment-of-other"],
            added_by=None,
        )
        assert other
    refused_as(
        linked.launch(app.test_client(), "ada", deployment="deployment-of-other"),
        "This deployment of the platform is not registered",
    )


@pytest.mark.parametrize(
    "message", ["LtiSubmissionReviewRequest", "DataPrivacyLaunchRequest", "SomethingElse"]
)
def test_only_course_links_and_the_picker_are_opened(app, linked, message):
    claims = {
        "https://purl.imsglobal.org/spec/lti/claim/for_user": {"user_id": "user-ada"},
        "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {"lineitem": "x"},
    }
    answer = linked.launch(app.test_client(), "teacher", message=message, claims=claims)
    refused_as(answer, "Classroom does not open this kind of launch")


@pytest.mark.parametrize(
    "tamper",
    [
        {"claims": {"https://purl.imsglobal.org/spec/lti/claim/version": "1.1"}},
        {"without": ["https://purl.imsglobal.org/spec/lti/claim/roles"]},
        {"without": ["https://purl.imsglobal.org/spec/lti/claim/resource_link"]},
        {"without": ["sub"]},
    ],
    ids=["version-1.1", "no-roles", "no-resource-link", "no-subject"],
)
def test_a_message_that_is_not_lti_1_3_in_form_is_refused(app, linked, tamper):
    answer = linked.launch(app.test_client(), "ada", **tamper)
    refused_as(answer, "The platform&#39;s message could not be read")


def test_a_launch_without_a_course_makes_no_account(app, linked):
    answer = linked.launch(
        app.test_client(), "ada", without=["https://purl.imsglobal.org/spec/lti/claim/context"]
    )
    refused_as(answer, "This launch names no course", status=403)
    assert user_of(app, linked, "ada") is None


def test_a_classroom_teacher_who_is_a_learner_in_a_course_gets_no_teachers_pages_there(
    app, platform
):
    """Roles come from this launch: a platform user whose Classroom account is a teacher's
    (an instructor elsewhere) who launches as a learner from a course nobody linked yet is
    refused, and cannot claim the course for a class of theirs."""
    platform.launch(app.test_client(), "teacher")  # their account: a teacher's
    platform.people["teacher"].roles = [platform.learner]
    platform.course_id = "course-where-they-learn"
    client = app.test_client()
    refused_as(platform.launch(client, "teacher"), "This account is of the other kind", status=403)
    assert client.get("/lti/course", base_url=TOOL).status_code in (302, 403)
    with app.app_context():
        assert lti_store.course(get_db(), platform.issuer, "course-where-they-learn") is None


def test_a_login_for_a_link_elsewhere_is_refused(app, linked):
    client = app.test_client()
    answer = client.post(
        "/lti/login",
        base_url=TOOL,
        data={
            "iss": linked.issuer,
            "login_hint": linked.people["ada"].sub,
            "target_link_uri": "https://elsewhere.test/lti/launch",
            "client_id": CLIENT_ID,
        },
    )
    refused_as(answer, "This launch is for another address")
    assert not [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("lti1p3")]


def test_the_redirects_of_a_launch_stay_on_classroom(app, linked, csrf_token):
    """Whatever the token's target link URI or return URL says, a launch leads to one of
    Classroom's own pages (a path here, never another site)."""
    claims = {
        "https://purl.imsglobal.org/spec/lti/claim/target_link_uri": "https://evil.test/",
        "https://purl.imsglobal.org/spec/lti/claim/launch_presentation": {
            "return_url": "https://evil.test/back"
        },
    }
    answer = linked.launch(app.test_client(), "teacher", claims=claims)
    assert answer.status_code == 302 and answer.location.startswith("/")


def test_a_refused_launch_leaves_nothing_behind(app, linked):
    def counts():
        with app.app_context():
            db = get_db()
            return [db.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES]

    before = counts()
    for tamper in ({"alg": "none"}, {"aud": "another-tool"}, {"exp": 1}, {"deployment": "x"}):
        linked.launch(app.test_client(), "ada", **tamper)
    assert counts() == before


TABLES = ("users", "sessions", "lti_accounts", "enrolments", "lti_links")
