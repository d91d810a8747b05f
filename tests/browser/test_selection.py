"""Selecting words with the mouse: whole words, the headline once and selectable, and what a
selection that leaves the article's text is told."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REPORT_1 = "la-detainers-report-1"
REPORT_1_TITLE = "Los Angeles jails and ICE requests: report 1"
REPORT_2 = "la-detainers-report-2"
REPORT_2_TITLE = "Los Angeles jails and ICE requests: report 2"
HEADLINE = "Los Angeles Jails Have Refused to Hand Over 25,000 Criminal Illegal Aliens to ICE"

# Where a point a fraction of the way into a word is on screen: (x, y) of the first place the
# word stands alone under root (a CSS selector), scrolled into view.
POINT_IN_WORD = r"""([root, word, fraction]) => {
  root = document.querySelector(root);
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


def point_in(page: Page, article: str, word: str, fraction: float, root: str = "") -> dict:
    """A point in the word in the article's text, or under root (a CSS selector) if given."""
    root = root or f'.article-text[data-article="{article}"]'
    point = page.evaluate(POINT_IN_WORD, [root, word, fraction])
    assert point, f"no '{word}' in {root}"
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


def test_the_headline_is_shown_once_and_a_key_item_in_it_can_be_highlighted_and_is_credited(
    page: Page, join, open_exercise, tag_selection
):
    join(page, "hedda", "Hedda Headline")
    page.goto("/home")
    open_exercise(page, REPORT_1_TITLE)
    article = page.locator("section.articles > article")
    expect(article.get_by_role("heading", level=2)).to_have_text(HEADLINE)
    expect(article).to_have_accessible_name(HEADLINE)
    assert article.inner_text().count("Los Angeles Jails Have") == 1, "the headline is shown twice"
    text = page.locator(f'.article-text[data-article="{REPORT_1}"]')
    expect(text.locator("p[data-start]").first).to_contain_text("Federal immigration")

    # The headline holds three key items: its label is selected like any words of the text.
    drag_between(
        page,
        point_in(page, REPORT_1, "Criminal", 0.1),
        point_in(page, REPORT_1, "Aliens", 0.9),
    )
    tag_selection(page, "Criminal Illegal Aliens", "Loaded language", "a label")
    expect(text.get_by_role("heading", level=2).locator("mark.hl")).to_have_text(
        "[Loaded language] Criminal Illegal Aliens"
    )
    expect(page.locator("#save-status")).to_have_attribute("data-kind", "saved")

    page.get_by_role("button", name="Submit my answers").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    item = page.locator("li.key-item").filter(
        has=page.locator("blockquote", has_text=re.compile("^“Criminal Illegal Aliens”$"))
    )
    expect(item.locator(".status-badge")).to_have_text("Found")
    # the feedback's article too shows the headline once, the key item found in it
    shown = page.locator("section.articles > article")
    expect(shown.get_by_role("heading", level=2).locator("mark.key-found")).to_contain_text(
        "Criminal Illegal Aliens"
    )
    assert shown.inner_text().count("Los Angeles Jails Have") == 1


def test_a_selection_from_the_headline_into_the_text_is_the_articles_words(
    page: Page, join, open_exercise
):
    join(page, "hugo", "Hugo Heading")
    page.goto("/home")
    open_exercise(page, REPORT_1_TITLE)
    drag_between(
        page, point_in(page, REPORT_1, "ICE", 0.2), point_in(page, REPORT_1, "Federal", 0.6)
    )
    expect(page.locator("#tagger-quote")).to_have_text("ICE Federal")  # across the break
    page.locator("#tagger-cancel").click()
    # from the line about the source, under the headline, into the text: the text's words only
    drag_between(
        page,
        point_in(page, REPORT_1, "given", 0.5),
        point_in(page, REPORT_1, "immigration", 0.5),
    )
    expect(page.locator("#tagger-quote")).to_have_text("Federal immigration")


def test_a_selection_from_a_title_the_editors_added_into_the_text_is_told_so(
    page: Page, join, open_exercise
):
    join(page, "tess", "Tess Title")
    page.goto("/home")
    open_exercise(page, REPORT_2_TITLE)
    title = f"#title-{REPORT_2}"
    expect(page.locator(title)).to_have_text(
        "Report on Los Angeles and 25,000 ICE requests (second version of the story)"
    )
    drag_between(
        page,
        point_in(page, REPORT_2, "version", 0.2, root=title),
        point_in(page, REPORT_2, "ignored", 0.5),
    )
    expect(page.locator("#announcer")).to_have_text(
        "The title above the article is not part of its text, so it cannot be highlighted: "
        "select words in the text."
    )
    expect(page.locator("#tagger")).to_be_hidden()
    # and the other way, from the text up into the title
    drag_between(
        page,
        point_in(page, REPORT_2, "ignored", 0.5),
        point_in(page, REPORT_2, "Angeles", 0.5, root=title),
    )
    expect(page.locator("#tagger")).to_be_hidden()
    expect(page.locator("#announcer")).to_contain_text("The title above the article")
