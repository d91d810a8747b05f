"""LTI in a real browser, where only a browser can tell: Classroom inside the platform's frame
(a third party's cookies: SameSite=None; Secure; Partitioned, and framing allowed for the
platform's address), and the new window offered when the browser keeps the cookie out.

The platform's pages (the course page with its frame, its authorization page) are served by
the test on 127.0.0.1; Classroom on localhost, another site. The authorization page waits for
a click, so that a test can clear the cookies first as a browser that blocks them would."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect
from werkzeug.wrappers import Request, Response

from classroom.db import get_db
from classroom.store import accounts

WAIT_MS = 15_000


@pytest.fixture
def app(make_app, tmp_path):
    """The app as it runs behind HTTPS: Secure cookies (browsers keep Secure cookies from
    http://localhost, which the test serves Classroom on)."""
    return make_app(tmp_path, SESSION_COOKIE_SECURE=True)


@pytest.fixture
def course_page(app, platform, serve):
    """The platform's course page framing Classroom's login for the teacher: its URL."""
    person = platform.people["teacher"]
    where = {}

    def platform_pages(environ, start_response):
        request = Request(environ)
        if request.path == "/course":
            query = {
                "iss": platform.issuer,
                "login_hint": person.sub,
                "target_link_uri": f"{where['tool']}/lti/launch",
                "client_id": platform.registration()["client_id"],
            }
            body = (
                "<!doctype html><title>Course</title><h1>Period 3 on the platform</h1>"
                f'<iframe name="tool" width="1100" height="700" '
                f'src="{where["tool"]}/lti/login?{html.escape(urlencode(query))}"></iframe>'
            )
        elif request.path != "/auth":  # the browser's own asks, such as /favicon.ico
            return Response("Not found", status=404)(environ, start_response)
        else:  # the authorization endpoint: the signed launch, posted on a click
            asked = {k: v[0] for k, v in parse_qs(request.query_string.decode()).items()}
            claims = {
                "https://purl.imsglobal.org/spec/lti/claim/launch_presentation": {
                    "return_url": f"{where['platform']}/course"
                }
            }
            token = platform.id_token(
                person, asked["nonce"], "LtiResourceLinkRequest", "link-1", {}, claims=claims
            )
            body = (
                "<!doctype html><title>Signing in</title>"
                f'<form method="post" action="{html.escape(asked["redirect_uri"])}">'
                f'<input type="hidden" name="id_token" value="{token}">'
                f'<input type="hidden" name="state" value="{html.escape(asked["state"])}">'
                "<button>Continue to Classroom</button></form>"
            )
        return Response(body, mimetype="text/html")(environ, start_response)

    with serve(app) as tool, serve(platform_pages) as pages:
        where["tool"] = tool.replace("127.0.0.1", "localhost")  # another site than the pages
        where["platform"] = pages
        with app.app_context():
            get_db().execute("update lti_platforms set login_url = ?", [f"{pages}/auth"])
        yield f"{pages}/course"


@pytest.mark.browser
def test_classroom_works_inside_the_platforms_frame(browser, course_page):
    context = browser.new_context()
    page = context.new_page()
    page.goto(course_page)
    frame = page.frame_locator("iframe[name=tool]")
    frame.get_by_role("button", name="Continue to Classroom").click()
    expect(frame.get_by_role("heading", level=1)).to_contain_text("to a class", timeout=WAIT_MS)
    # the session's cookie comes back inside the frame: the form is let through, logged in
    frame.get_by_role("button", name="Link the course").click()
    expect(frame.get_by_role("heading", level=1)).to_have_text(
        "Period 3 Media Literacy", timeout=WAIT_MS
    )
    expect(frame.get_by_text("Grace Hopper")).to_be_visible()
    context.close()


@pytest.mark.browser
def test_a_browser_that_keeps_the_cookie_out_of_the_frame_opens_a_new_window(browser, course_page):
    context = browser.new_context()
    page = context.new_page()
    page.goto(course_page)
    frame = page.frame_locator("iframe[name=tool]")
    expect(frame.get_by_role("button", name="Continue to Classroom")).to_be_visible()
    context.clear_cookies()  # as a browser blocking third-party cookies would have
    frame.get_by_role("button", name="Continue to Classroom").click()
    expect(frame.get_by_role("heading", level=1)).to_have_text(
        "This launch did not come back to the browser that began it", timeout=WAIT_MS
    )
    with page.expect_popup() as opened:
        frame.get_by_role("link", name="Open Classroom in a new window").click()
    window = opened.value
    assert urlsplit(window.url).path in ("/lti/login", "/auth")
    window.get_by_role("button", name="Continue to Classroom").click()
    expect(window.get_by_role("heading", level=1)).to_contain_text("to a class", timeout=WAIT_MS)
    assert urlsplit(window.url).path == "/lti/course"
    context.close()


@pytest.mark.browser
def test_a_new_window_launch_where_someone_is_logged_in_with_a_password_is_the_launchs_user(
    browser, course_page, app
):
    """Someone logged in to Classroom with a password in this browser (its own cookie, not
    partitioned) and a launch in a new window: the window is the platform's user's, not the
    password's (two cookies named session would both come, the older first)."""
    with app.app_context():
        accounts.create_user(get_db(), "plain", "Pat Plain", "a long enough password", "teacher")
    context = browser.new_context()
    page = context.new_page()
    page.goto(course_page)
    src = page.locator("iframe[name=tool]").get_attribute("src")
    tool = "{0.scheme}://{0.netloc}".format(urlsplit(src))
    own = context.new_page()
    own.goto(f"{tool}/login")
    own.get_by_label("Username").fill("plain")
    own.get_by_label("Password").fill("a long enough password")
    own.get_by_role("button", name="Log in").click()
    expect(own.get_by_role("button", name="Log out")).to_be_visible(timeout=WAIT_MS)
    frame = page.frame_locator("iframe[name=tool]")
    expect(frame.get_by_role("button", name="Continue to Classroom")).to_be_visible()
    context.clear_cookies(name=re.compile("^lti1p3-"))  # the state cookie kept out of the frame
    frame.get_by_role("button", name="Continue to Classroom").click()
    expect(frame.get_by_role("heading", level=1)).to_have_text(
        "This launch did not come back to the browser that began it", timeout=WAIT_MS
    )
    with page.expect_popup() as opened:
        frame.get_by_role("link", name="Open Classroom in a new window").click()
    window = opened.value
    window.get_by_role("button", name="Continue to Classroom").click()
    expect(window.get_by_role("heading", level=1)).to_contain_text("to a class", timeout=WAIT_MS)
    expect(window.locator(".who")).to_contain_text("Grace Hopper")
    context.close()
