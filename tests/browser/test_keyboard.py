"""Highlighting with the keyboard alone: word by word, tagged, and announced."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REPORT_1 = "la-detainers-report-1"
REPORT_1_TITLE = "Los Angeles jails and ICE requests: report 1"


def test_a_student_highlights_and_tags_without_a_mouse(page: Page, log_in, open_exercise, tab_to):
    log_in(page, "ada")
    open_exercise(page, REPORT_1_TITLE)
    article = page.locator(f'.article-text[data-article="{REPORT_1}"]')
    announcer = page.locator("#announcer")

    tab_to(page, f'.article-text[data-article="{REPORT_1}"]', limit=60)
    page.keyboard.press("Enter")
    expect(announcer).to_contain_text("Word by word selection. Los.")
    for _ in range(4):  # Los Angeles Jails Have Refused
        page.keyboard.press("ArrowRight")
    expect(announcer).to_have_text("Refused")
    expect(article.locator("mark.kb")).to_have_text("Refused")

    page.keyboard.press("Enter")
    tagger = page.locator("#tagger")
    expect(tagger).to_be_visible()
    expect(tagger.locator("#tagger-quote")).to_have_text("Refused")
    expect(tagger.get_by_role("radio", name="Loaded language")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("a verb that judges")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(tagger).to_be_hidden()
    expect(announcer).to_have_text("Highlighted “Refused” as Loaded language.")
    expect(article).to_be_focused()  # back where the student was, to go on
    mark = article.locator("mark.hl", has_text="Refused")
    expect(mark).to_have_class("hl cat-0 kb")  # tagged, and the cursor still on it
    expect(mark.locator(".sr-only")).to_have_text("[Loaded language] ")

    # Shift+arrows select several words: "Hand Over 25,000"
    for _ in range(2):  # Refused → to → Hand
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    expect(announcer).to_have_text("Selected: Hand Over 25,000")
    page.keyboard.press("Enter")
    expect(tagger.locator("#tagger-quote")).to_have_text("Hand Over 25,000")
    page.keyboard.press("ArrowDown")  # the radio group: down to the next category
    expect(tagger.get_by_role("radio", name="Unverified statistic")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    stats = page.locator("#step-statistics ul.my-highlights > li")
    expect(stats).to_have_count(1)
    expect(stats.first).to_contain_text("Unverified statistic Hand Over 25,000")
    expect(article.locator("mark.hl.cat-1")).to_have_count(2)  # cut where the cursor stands

    page.keyboard.press("Escape")
    expect(announcer).to_have_text("Word by word selection stopped.")
    expect(article.locator("mark.kb")).to_have_count(0)
    items = page.locator("#step-loaded-language ul.my-highlights > li")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Refused")
    expect(page.locator("#save-status")).to_contain_text("All changes saved")
