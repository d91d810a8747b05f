"""A save the server refuses loses nothing: the work stays marked unsaved, is kept in this
browser until the server has it, and is offered back when the page is opened again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Route, expect

pytestmark = pytest.mark.browser

REPORT_2_TITLE = "Los Angeles jails and ICE requests: report 2"
LEAVING_IS_STOPPED = """() => {
  const leaving = new Event("beforeunload", { cancelable: true });
  window.dispatchEvent(leaving);
  return leaving.defaultPrevented;
}"""
TYPED = "I would ask the sheriff's office how many of these people were ever convicted."


def refuse(route: Route) -> None:
    """Answer a save as the server does when it will not take it."""
    if route.request.method == "PUT":
        route.fulfill(status=400, json={"error": "The draft could not be read.", "status": 400})
    else:
        route.continue_()


def test_work_refused_by_the_server_is_kept_and_offered_back_after_a_reload(
    make_page, join, open_exercise, assert_accessible
):
    # the refused save, logged by Chromium; and the save tried as the page is reloaded, which
    # Playwright's route does not hold back (a keepalive request), so that it may land after the
    # new page opened: the restored work is then refused as changed elsewhere (409) and merged
    page = make_page(expected_error=("400", "409"))
    join(page, "rhea", "Rhea Refused")
    open_exercise(page, REPORT_2_TITLE)
    page.route("**/api/assignments/*/draft", refuse)
    page.locator("#answer-reflect").fill(TYPED)
    status = page.locator("#save-status")
    expect(status).to_have_attribute("data-kind", "error")
    expect(status).to_have_text(
        "Not saved: The draft could not be read. Your work is kept in this browser."
    )
    # leaving the page now would ask first
    assert page.evaluate(LEAVING_IS_STOPPED) is True

    page.unroute("**/api/assignments/*/draft")
    page.reload()
    expect(page.locator(".article-text span[data-o]").first).to_be_attached()
    offer = page.locator("#kept-work")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("kept in this browser")
    assert_accessible(page, "exercise page offering kept work back")
    page.get_by_role("button", name="Put my unsaved work back").focus()
    page.keyboard.press("Enter")  # the keyboard alone
    expect(page.locator("#answer-reflect")).to_have_value(TYPED)
    expect(offer).to_be_hidden()
    expect(status).to_have_text(re.compile("^All changes saved"))

    page.reload()  # saved now: nothing is offered again, and the server has it
    expect(page.locator(".article-text span[data-o]").first).to_be_attached()
    expect(page.locator("#answer-reflect")).to_have_value(TYPED)
    expect(page.locator("#kept-work")).to_be_hidden()
