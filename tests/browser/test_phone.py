"""The exercise page on a phone: the steps a tap away from anywhere in the article, the words
selected kept across the trip, and the save status always in view."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 768}
REPORT_1 = "la-detainers-report-1"
REPORT_1_TITLE = "Los Angeles jails and ICE requests: report 1"

SELECTED = "() => window.getSelection().toString()"


def bottom_of(page: Page, selector: str) -> float:
    """Where the element ends, measured from the top of the page."""
    return page.evaluate(
        "(s) => document.querySelector(s).getBoundingClientRect().bottom + window.scrollY",
        selector,
    )


def test_on_a_phone_the_steps_are_a_tap_away_and_the_selection_survives_the_trip(
    make_page, join, open_exercise, select_word, tag_selection
):
    page: Page = make_page(viewport=PHONE)
    join(page, "pia", "Pia Phone")
    page.goto("/home")
    open_exercise(page, REPORT_1_TITLE)
    to_steps = page.get_by_role("link", name="Steps")
    to_article = page.get_by_role("link", name="Article")
    status = page.locator("#save-status")
    first_step = page.locator("#step-loaded-language")
    expect(to_steps).to_be_in_viewport()
    expect(status).to_be_in_viewport()
    article_ends = bottom_of(page, "section.articles")
    assert article_ends > 3 * PHONE["height"], "the article is long on a phone"

    # Straight to the steps, from the top of the page.
    to_steps.click()
    expect(first_step.get_by_role("heading", name="Step 1 of 5")).to_be_in_viewport()
    expect(first_step.locator(".instruction")).to_be_in_viewport()
    expect(to_article).to_have_attribute("aria-current", "false")
    expect(to_steps).to_have_attribute("aria-current", "location")
    to_article.click()
    expect(page.locator(f"#title-{REPORT_1}")).to_be_in_viewport()

    # Deep in the article, select words, read the steps, come back to the same place.
    select_word(page, REPORT_1, "slammed")
    tagger = page.locator("#tagger")
    expect(tagger.locator("#tagger-quote")).to_have_text("slammed")
    tagger.get_by_role("radio", name="Loaded language").check()
    reading_at = page.evaluate("window.scrollY")
    expect(status).to_be_in_viewport()
    to_steps.click()
    expect(first_step.locator(".instruction")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") < article_ends  # not past the whole article
    assert page.evaluate(SELECTED) == "slammed"
    expect(tagger.locator("#tagger-quote")).to_have_text("slammed")
    expect(tagger.get_by_role("radio", name="Loaded language")).to_be_checked()

    to_article.click()
    assert abs(page.evaluate("window.scrollY") - reading_at) < 2, "not back where I was reading"
    assert page.evaluate(SELECTED) == "slammed"
    expect(tagger.get_by_role("radio", name="Loaded language")).to_be_checked()
    tag_selection(page, "slammed", "Loaded language", "a blow, for a statement")
    expect(status).to_be_in_viewport()
    expect(status).to_have_attribute("data-kind", "saved")

    to_steps.click()
    listed = first_step.locator("ul.my-highlights > li")
    expect(listed.locator("q")).to_have_text(["slammed"])
    expect(status).to_be_in_viewport()
    expect(status).to_contain_text("All changes saved")

    # Further down in the steps, too, the status stays at the top of the screen.
    page.locator("#work-form button[type=submit]").scroll_into_view_if_needed()
    expect(status).to_be_in_viewport()
    box = status.bounding_box()
    assert box and box["y"] < 150, "the save status is not at the top of the screen"

    # From the keyboard, the switch takes the focus along: to the article, and to the steps.
    to_article.focus()
    page.keyboard.press("Enter")
    expect(page.locator("section.articles")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is the article's text, to select words in
    expect(page.locator(f'.article-text[data-article="{REPORT_1}"]')).to_be_focused()
    to_steps.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#steps-title")).to_be_focused()
    expect(first_step.locator(".instruction")).to_be_in_viewport()


def test_on_a_laptop_the_steps_stand_beside_the_article_without_the_switch(
    make_page, log_in, open_exercise
):
    page: Page = make_page(viewport=LAPTOP)
    log_in(page, "ben")
    open_exercise(page, REPORT_1_TITLE)
    expect(page.get_by_role("link", name="Steps")).to_be_hidden()
    expect(page.locator("#step-loaded-language")).to_be_in_viewport()
    page.mouse.wheel(0, 3000)  # reading far down the article
    expect(page.locator("#save-status")).to_be_in_viewport()
