"""The feedback page as a student reads it: the summary first, the article in view beside the
list on a laptop, each key item a link to its place in the article and back, the list's
filters, and on a phone the list first (issue 15)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from classroom.content.loader import load_library

pytestmark = pytest.mark.browser

REPORT_1 = "la-detainers-report-1"
REPORT_1_TITLE = "Los Angeles jails and ICE requests: report 1"
PASSWORD = "a long password"  # the join fixture's
# Seven sensible highlights on report 1, each on an answer-key item in its category.
SEVEN = [
    ("slammed", "loaded_language"),
    ("so-called", "loaded_language"),
    ("Democrat", "loaded_language"),
    ("back into the shadows", "loaded_language"),
    ("open borders", "loaded_language"),
    ("over 25,000", "unverified_statistic"),
    ("sanctuary city", "missing_context"),
]
EXERCISE = load_library(Path(__file__).resolve().parents[2] / "exercises").exercises[REPORT_1]
KEY = EXERCISE.snapshot["tasks"][0]["key"]  # the loaded-language step's
LAST = KEY[-1]  # "willing subversion", in the last paragraph: far down the article
# the list has an entry per problem (the repeats of one, a group, are one entry); the summary
# counts the core ones, the main problems (the seven highlights are all on core items)
PROBLEMS = {
    (t["id"], k["group"] or k["id"]): k["core"]
    for t in EXERCISE.snapshot["tasks"]
    for k in t.get("key", [])
}
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
SIZES = {"phone": PHONE, "tablet": {"width": 768, "height": 1024}, "laptop": LAPTOP}

SAVE_DRAFT = """async ([url, work]) => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const response = await fetch(url, {method: "PUT", body: JSON.stringify(work),
    headers: {"Content-Type": "application/json", "X-CSRFToken": token}});
  return response.status;
}"""


@pytest.fixture(scope="module")
def feedback_url(browser: Browser, live_server: str, join) -> str:
    """The feedback on the new student Fin's attempt at report 1 with the seven highlights."""
    context = browser.new_context(base_url=live_server, viewport=LAPTOP)
    page = context.new_page()
    join(page, "fin", "Fin Feedback")
    page.get_by_role("link", name=REPORT_1_TITLE).click()
    expect(page.locator(".article-text span[data-o]").first).to_be_attached()
    text = EXERCISE.article(REPORT_1).text
    highlights = [
        {
            "article": REPORT_1,
            "start": text.index(quote),
            "end": text.index(quote) + len(quote),
            "quote": quote,
            "category": category,
            "note": "",
        }
        for quote, category in SEVEN
    ]
    draft = page.url.replace("/assignments/", "/api/assignments/") + "/draft"
    work = {"highlights": highlights, "answers": {}}
    assert page.evaluate(SAVE_DRAFT, [draft, work]) == 200
    page.reload()
    expect(page.locator("mark.hl")).to_have_count(len(SEVEN))
    page.get_by_role("button", name="Submit my answers").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    url = page.url
    context.close()
    return url


def open_feedback(make_page, log_in, url: str, **options) -> Page:
    page = make_page(**options)
    log_in(page, "fin", PASSWORD)
    page.goto(url)
    return page


def mark_of(page: Page, item_id: str):
    """The first part of a key item's words in the article."""
    return page.locator(f'mark[data-keys~="{item_id}"]').first


def in_window(page: Page, locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= page.viewport_size["height"]
    )


def test_the_summary_comes_first_in_plain_words(make_page, log_in, feedback_url):
    page = open_feedback(make_page, log_in, feedback_url, viewport=LAPTOP)
    summary = page.locator(".feedback-summary")
    main = sum(PROBLEMS.values())
    expect(summary).to_contain_text(f"You found 7 of the {main} main problems.")
    expect(summary.locator(".hiding li").first).to_contain_text(
        re.compile(r"loaded words or phrases are still hiding in the headline and paragraphs")
    )
    assert summary.bounding_box()["y"] < page.locator(".feedback-list").bounding_box()["y"]


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_the_feedback_page_fits_every_screen(make_page, log_in, feedback_url, size):
    """Beside the article on a laptop, above it on smaller screens; never sideways. Set
    SCREENSHOTS_DIR to keep a screenshot at each size (make screenshots)."""
    page = open_feedback(make_page, log_in, feedback_url, viewport=SIZES[size])
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    steps, pane = (page.locator(s).bounding_box() for s in (".feedback-list", ".articles.pane"))
    if size == "laptop":
        assert pane["x"] + pane["width"] <= steps["x"], "the list overlaps the article"
    else:
        assert pane["y"] >= steps["y"] + steps["height"], "the article overlaps the list"
    if os.environ.get("SCREENSHOTS_DIR"):
        folder = Path(os.environ["SCREENSHOTS_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"feedback-{size}.png"))


def test_the_article_stays_in_view_while_the_list_scrolls(make_page, log_in, feedback_url):
    page = open_feedback(make_page, log_in, feedback_url, viewport=LAPTOP)
    pane, steps = page.locator(".articles.pane"), page.locator(".feedback-list")
    assert pane.bounding_box()["x"] + pane.bounding_box()["width"] <= steps.bounding_box()["x"]
    page.get_by_role("heading", name="Step 3").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 2 * LAPTOP["height"]  # far down the list
    box = pane.bounding_box()
    assert 0 <= box["y"] < 20 and box["y"] + box["height"] <= LAPTOP["height"]
    assert box["height"] > LAPTOP["height"] * 0.9  # the article fills the window beside the list
    # its own scroll: the article's last words are reached without moving the list
    before = page.evaluate("window.scrollY")
    pane.hover()
    page.mouse.wheel(0, 5000)
    expect(page.get_by_text("willing subversion", exact=False).last).to_be_in_viewport()
    assert page.evaluate("window.scrollY") == before


def test_choosing_an_item_shows_it_in_the_article_and_the_way_back(make_page, log_in, feedback_url):
    page = open_feedback(make_page, log_in, feedback_url, viewport=LAPTOP)
    link = page.get_by_role("link", name=f"Show in paragraph 7 (“{LAST['quote']}”)")
    link.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    link.click()
    mark = mark_of(page, LAST["id"])
    expect(mark).to_be_focused()
    expect(mark).to_have_class(re.compile(r"\bcurrent\b"))
    expect(mark).to_be_in_viewport()
    assert in_window(page, mark)
    assert page.evaluate("window.scrollY") == before, "the list moved"
    # the paragraph the link names is the one the article's numbers call 7
    numbered = "(m) => [...m.closest('.article-text').children].indexOf(m.closest('p')) + 1"
    assert mark.evaluate(numbered) == 7
    expect(page.locator(f"#item-{re.escape(LAST['id'])} details.why")).to_have_attribute("open", "")
    assert page.url.endswith(f"#at-{LAST['id']}")

    # back with the keyboard: Tab reaches the button after the item, Enter returns to the list
    page.keyboard.press("Tab")
    back = page.get_by_role("button", name="Back to the list")
    expect(back).to_be_focused()
    page.keyboard.press("Enter")
    expect(link).to_be_focused()
    expect(back).to_have_count(0)
    expect(page.locator(".article-text mark.current")).to_have_count(0)
    assert in_window(page, link)

    # Escape in the article, and the browser's Back, return to the list too
    first = page.get_by_role("link", name=f"Show in the headline (“{KEY[0]['quote']}”)")
    first.focus()
    page.keyboard.press("Enter")
    expect(mark_of(page, KEY[0]["id"])).to_be_focused()
    page.keyboard.press("Escape")
    expect(first).to_be_focused()
    link.click()
    expect(mark).to_be_focused()
    page.go_back()
    expect(link).to_be_focused()
    expect(page.locator(".article-text mark.current")).to_have_count(0)


def visible_statuses(page: Page) -> list[str]:
    return page.locator(
        ".feedback-items li.key-item:visible .entry-head .status-badge"
    ).all_inner_texts()


def test_the_filters_show_only_the_missed_the_found_or_all(make_page, log_in, feedback_url):
    page = open_feedback(make_page, log_in, feedback_url, viewport=LAPTOP)
    total = len(PROBLEMS)
    assert len(visible_statuses(page)) == total
    filters = page.get_by_role("navigation", name="Which key items the list shows")

    filters.get_by_role("link", name="Found (7)").click()
    expect(page.get_by_role("status")).to_have_text(f"Showing 7 of {total} key items: found.")
    assert visible_statuses(page) == ["Found"] * 7
    assert page.url.endswith("?show=found")
    expect(filters.get_by_role("link", name="Found (7)")).to_have_attribute("aria-current", "true")
    expect(page.get_by_text("Nothing found in this step yet.")).to_have_count(0)

    filters.get_by_role("link", name=re.compile(r"^Missed or partly found")).click()
    shown = visible_statuses(page)
    assert len(shown) == total - 7 and "Found" not in shown
    expect(page.get_by_text("You found everything in this step.")).to_have_count(0)

    filters.get_by_role("link", name=f"All ({total})").click()
    assert len(visible_statuses(page)) == total

    # the summary's link shows the missed, and the list
    page.get_by_role("link", name=re.compile("See only what you missed")).click()
    assert len(visible_statuses(page)) == total - 7
    expect(filters.get_by_role("link", name=re.compile("^Missed"))).to_be_focused()


def test_the_filters_work_without_javascript(make_page, log_in, feedback_url):
    page = open_feedback(make_page, log_in, feedback_url, viewport=LAPTOP, javascript=False)
    page.get_by_role("link", name="Found (7)").click()
    assert visible_statuses(page) == ["Found"] * 7
    page.get_by_role("link", name=re.compile(r"^Missed or partly found")).click()
    assert "Found" not in visible_statuses(page)
    # an item's link still lands on its place in the article
    page.get_by_role("link", name=f"Show in paragraph 7 (“{LAST['quote']}”)").click()
    expect(mark_of(page, LAST["id"])).to_be_in_viewport()


def test_on_a_phone_the_list_comes_first_and_each_item_jumps_to_the_article_and_back(
    make_page, log_in, feedback_url
):
    page = open_feedback(make_page, log_in, feedback_url, viewport=PHONE)
    summary, steps, pane = (
        page.locator(s).bounding_box()
        for s in (".feedback-summary", ".feedback-list", ".articles.pane")
    )
    assert summary["y"] < steps["y"] < pane["y"]
    link = page.get_by_role("link", name="Show in paragraph 4 (“slammed”)")
    link.click()
    slammed = next(i for i in KEY if i["quote"] == "slammed")
    mark = mark_of(page, slammed["id"])
    expect(mark).to_be_focused()
    assert in_window(page, mark)
    page.get_by_role("button", name="Back to the list").click()
    expect(link).to_be_focused()
    assert in_window(page, link)


def test_a_teacher_sees_the_students_page(make_page, log_in, feedback_url):
    page = make_page(viewport=LAPTOP)
    log_in(page, "teacher")
    page.goto(feedback_url)
    expect(page.locator(".feedback-summary")).to_contain_text("You found 7 of the")
    expect(page.get_by_role("link", name="Try again")).to_have_count(0)
    page.get_by_role("link", name=f"Show in paragraph 7 (“{LAST['quote']}”)").click()
    expect(mark_of(page, LAST["id"])).to_be_focused()


def test_the_feedback_page_is_accessible_filtered_and_with_an_item_chosen(
    make_page, log_in, feedback_url, assert_accessible
):
    page = open_feedback(make_page, log_in, feedback_url, viewport=LAPTOP)
    page.get_by_role("link", name=re.compile(r"^Missed or partly found")).click()
    page.get_by_role("link", name=f"Show in paragraph 7 (“{LAST['quote']}”)").click()
    expect(page.get_by_role("button", name="Back to the list")).to_be_visible()
    assert_accessible(page, "feedback page, the missed only, an item chosen")
    page.get_by_role("link", name="Found (7)").click()
    assert_accessible(page, "feedback page, the found only")
