"""Phone, tablet and laptop: no sideways scrolling, nothing overlapping, steps below on a phone.

Set SCREENSHOTS_DIR to keep a screenshot of the exercise page at each size (make screenshots).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SIZES = {
    "phone": {"width": 360, "height": 740},
    "tablet": {"width": 768, "height": 1024},
    "laptop": {"width": 1366, "height": 768},
}
REPORT_1_TITLE = "Los Angeles jails and ICE requests: report 1"
COMPARE_TITLE = "Two reports, one story: Los Angeles and ICE requests"


def assert_no_sideways_scrolling(page: Page, what: str) -> None:
    # after a click that navigates, the page may still be between documents
    page.wait_for_load_state()
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{what} scrolls sideways by {wide}px"


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_the_exercise_page_fits_every_screen(make_page, log_in, open_exercise, size):
    page = make_page(viewport=SIZES[size])
    log_in(page, "ben")
    assert_no_sideways_scrolling(page, "the student home")
    for title in (REPORT_1_TITLE, COMPARE_TITLE):
        page.goto("/home")
        open_exercise(page, title)
        assert_no_sideways_scrolling(page, title)
        articles, steps = box(page, "section.articles"), box(page, "section.steps")
        if size == "laptop":  # side by side
            assert steps["x"] >= articles["x"] + articles["width"], "steps overlap the article"
        else:  # stacked, the steps below the article
            assert steps["y"] >= articles["y"] + articles["height"], "steps overlap the article"
        if title == REPORT_1_TITLE and os.environ.get("SCREENSHOTS_DIR"):
            folder = Path(os.environ["SCREENSHOTS_DIR"])
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"exercise-{size}.png"))


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_teacher_pages_fit_every_screen(make_page, log_in, size):
    page = make_page(viewport=SIZES[size])
    log_in(page, "teacher")
    assert_no_sideways_scrolling(page, "the dashboard")
    page.get_by_role("link", name="Period 1").click()
    expect(page.get_by_role("heading", name="Period 1", exact=True)).to_be_visible()
    assert_no_sideways_scrolling(page, "the class page")
    class_page = page.url
    for link in ("Review", "Insight", "Settings"):
        page.goto(class_page)
        page.get_by_role("link", name=link, exact=True).first.click()
        assert_no_sideways_scrolling(page, f"the {link.lower()} page")
    page.goto("/author/exercises")
    assert_no_sideways_scrolling(page, "the exercise files")
    page.get_by_role("link", name=COMPARE_TITLE).click()
    page.get_by_role("link", name="Show the answer key").click()
    assert_no_sideways_scrolling(page, "the preview with the key")


def test_reading_without_javascript(make_page, log_in):
    page = make_page(javascript=False)
    log_in(page, "ben")
    page.get_by_role("link", name=REPORT_1_TITLE).click()
    expect(page.get_by_text("Highlighting words in the article needs JavaScript")).to_be_visible()
    expect(page.locator(".article-text")).to_contain_text("Federal immigration enforcement data")
    expect(page.locator("#step-quiz fieldset")).to_be_visible()
    page.locator("#step-quiz input[type=radio]").first.check()
    page.locator("#step-reflect textarea").fill("Written with JavaScript off.")
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("Your score:")).to_be_visible()
    expect(page.get_by_text("Written with JavaScript off.")).to_be_visible()
    expect(page.get_by_text("A model answer")).to_be_visible()
