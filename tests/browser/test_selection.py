"""Selecting words with the mouse: whole words, the headline once and selectable, and what a
selection that leaves the article's text is told."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REPORT_1 = "la-detainers-report-1"
REPORT_1_TITLE = "Los Angeles jails and ICE requests: report 1"
REPORT_2 = "la-detainers-report-2"
REPORT_2_TITLE = "Los Angeles jails and ICE requests: report 2"
HEADLINE = "Los Angeles Jails Have Refused to Hand Over 25,000 Criminal Illegal Aliens to ICE"

# Where a point a fraction of the way into a word is on screen: (x, y) of the first place the
# word stands alone in the article's text (the headline included), scrolled into view.
POINT_IN_WORD = r"""([article, word, fraction]) => {
  const root = document.querySelector(`.article-text[data-article="${article}"]`);
  const pattern = new RegExp(`\\b${word}\\b`);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.search(pattern);
    if (at < 0 || node.parentElement.closest(".sr-only")) continue;
    node.parentElement.scrollIntoView({ block: "center" });
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const r = range.getBoundingClientRect();
    return { x: r.left + r.width * fraction, y: (r.top + r.bottom) / 2 };
  }
  return null;
}"""


def point_in(page: Page, article: str, word: str, fraction: float) -> dict:
    point = page.evaluate(POINT_IN_WORD, [article, word, fraction])
    assert point, f"no '{word}' in {article}"
    return point


def drag_between(page: Page, start: dict, end: dict) -> None:
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(end["x"], end["y"], steps=8)
    page.mouse.up()


def highlight_list(page: Page, step: str):
    return page.locator(f"#step-{step} ul.my-highlights > li")


def test_a_drag_from_inside_a_word_to_inside_another_stores_the_whole_words(
    page: Page, join, open_exercise, tag_selection
):
    join(page, "sela", "Sela Snap")
    page.goto("/home")
    open_exercise(page, REPORT_1_TITLE)
    # "releasing more criminal illegal aliens": from the middle of one word to the middle of
    # the next, as a hurried hand does
    start = point_in(page, REPORT_1, "criminal", 0.4)
    end = point_in(page, REPORT_1, "illegal", 0.5)
    drag_between(page, start, end)
    tag_selection(page, "criminal illegal", "Loaded language", "")
    listed = highlight_list(page, "loaded-language")
    expect(listed.locator("q")).to_have_text(["criminal illegal"])
    expect(page.locator("#save-status")).to_have_attribute("data-kind", "saved")

    # A drag inside one word takes the word.
    inside = point_in(page, REPORT_1, "slammed", 0.3)
    drag_between(page, inside, {**inside, "x": inside["x"] + 8})
    tag_selection(page, "slammed", "Loaded language", "")
    expect(page.locator("#save-status")).to_have_attribute("data-kind", "saved")

    page.reload()  # what the server stored
    expect(listed.locator("q")).to_have_text(["criminal illegal", "slammed"])
    marks = page.locator(f'.article-text[data-article="{REPORT_1}"] mark.hl')
    expect(marks).to_have_text(["[Loaded language] criminal illegal", "[Loaded language] slammed"])
