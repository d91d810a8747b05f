"""A double click on Submit makes one attempt, not two, even when the server is slow to answer
the first (the browser then sends the second before the first has come back)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from classroom.db import get_db

pytestmark = pytest.mark.browser

REPORT_1 = "la-detainers-report-1"
REPORT_1_TITLE = "Los Angeles jails and ICE requests: report 1"


def slow_submissions(app, seconds: float):
    """The app, answering each submission only after a while, as a busy server does."""

    def middleware(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"].endswith("/submit"):
            time.sleep(seconds)
        return app(environ, start_response)

    return middleware


@pytest.fixture
def server(tmp_path, make_app, make_class, serve) -> Iterator[tuple[str, object]]:
    """A server whose submissions take half a second, with ada's class given report 1."""
    app = make_app(tmp_path)
    make_class(app, ["ada"], assign=[REPORT_1])
    with serve(slow_submissions(app, 0.5)) as url:
        yield url, app


@pytest.fixture
def page(browser: Browser, server) -> Iterator[Page]:
    """A page on that server."""
    context = browser.new_context(base_url=server[0])
    yield context.new_page()
    context.close()


def test_a_double_click_on_submit_records_one_attempt(page: Page, server, log_in, open_exercise):
    _, app = server
    log_in(page, "ada")
    open_exercise(page, REPORT_1_TITLE)
    page.locator("#answer-reflect").fill("I would check the 25,000 against ICE's own data.")
    # two clicks 60 ms apart, as an impatient student makes them
    page.evaluate(
        """() => {
          const button = document.querySelector("#work-form button[type=submit]");
          button.click();
          setTimeout(() => button.click(), 60);
        }"""
    )
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    time.sleep(1)  # let a second submission, if one was sent, reach the database
    with app.app_context():
        count = get_db().execute("select count(*) from attempts").fetchone()[0]
    assert count == 1
    expect(page.get_by_role("heading", name="All attempts")).to_have_count(0)
