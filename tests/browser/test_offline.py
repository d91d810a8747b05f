"""Work typed while the server cannot be reached is kept, shown as not saved, and saved when the
server is back: autosave retries (static/js/autosave.js)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser

# Each test joins as a student of its own, so no other browser test writes to its work.
REPORT_1_TITLE = "Los Angeles jails and ICE requests: report 1"
REPORT_2_TITLE = "Los Angeles jails and ICE requests: report 2"


@pytest.fixture
def join_and_open(join_code, password):
    """join_and_open(page, username, title): join the seeded class as a new student and open an
    exercise; returns its draft's API address."""

    def join_and_open(page: Page, username: str, title: str) -> str:
        page.goto(f"/join?code={join_code}")
        page.get_by_label("Your name, as your teacher will see it").fill(username.title())
        page.get_by_label("Choose a username").fill(username)
        page.get_by_label("Choose a password (at least 12 characters)").fill(password)
        page.get_by_label("Type the password again").fill(password)
        page.get_by_role("button", name="Join the class").click()
        page.get_by_role("link", name=title).click()
        expect(page.locator(".article-text span[data-o]").first).to_be_attached()  # script ran
        return page.url.replace("/assignments/", "/api/assignments/") + "/draft"

    return join_and_open


def saved_answer(page: Page, draft_url: str) -> str | None:
    """The written answer in the draft on the server (the API request is not routed)."""
    response = page.request.get(draft_url)
    assert response.ok
    return response.json()["work"]["answers"].get("reflect")


def test_an_unreachable_server_keeps_the_work_and_saves_it_when_back(make_page, join_and_open):
    page = make_page(expected_error="net::ERR_FAILED")  # the aborted saves, logged by Chromium
    draft_url = join_and_open(page, "olive", REPORT_1_TITLE)
    status = page.locator("#save-status")
    failed: list[str] = []

    def refuse_saves(route: Route) -> None:
        if route.request.method == "PUT":
            failed.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/api/assignments/*/draft", refuse_saves)
    answer = page.locator("#answer-reflect")
    answer.fill("I would look for ICE's own figures")
    expect(status).to_have_text(re.compile("^Not saved yet"))
    expect(status).to_have_attribute("data-kind", "error")
    answer.press_sequentially(" and the sheriff's statement.")  # typed while still cut off
    expect(status).to_have_attribute("data-kind", "error")
    for _ in range(150):  # until the retry has failed too: at most 15 s
        if len(failed) >= 2:
            break
        page.wait_for_timeout(100)
    assert len(failed) >= 2, "autosave did not try again"
    assert saved_answer(page, draft_url) is None  # nothing reached the server meanwhile
    expect(answer).to_have_value("I would look for ICE's own figures and the sheriff's statement.")

    page.unroute("**/api/assignments/*/draft")
    expect(status).to_have_text(re.compile(r"^All changes saved"))
    expect(status).to_have_attribute("data-kind", "saved")
    assert saved_answer(page, draft_url) == (
        "I would look for ICE's own figures and the sheriff's statement."
    )


def test_going_offline_and_back_online_loses_nothing(make_page, join_and_open):
    page = make_page(expected_error="net::ERR_INTERNET_DISCONNECTED")
    draft_url = join_and_open(page, "otto", REPORT_2_TITLE)
    status = page.locator("#save-status")
    answer = page.locator("#answer-reflect")
    answer.fill("First thoughts, saved.")
    expect(status).to_have_text(re.compile(r"^All changes saved"))

    page.context.set_offline(True)
    answer.fill("Second thoughts, written offline.")
    expect(status).to_have_text(re.compile("^Not saved yet"))
    expect(status).to_have_attribute("data-kind", "error")
    assert saved_answer(page, draft_url) == "First thoughts, saved."

    page.context.set_offline(False)
    expect(status).to_have_text(re.compile(r"^All changes saved"))
    expect(status).to_have_attribute("data-kind", "saved")
    assert saved_answer(page, draft_url) == "Second thoughts, written offline."
