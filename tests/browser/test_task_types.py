"""A task type's inputs in a real browser: the page's script finds them by the data attributes
its template gives them, autosaves what the student ticks, and the feedback follows."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

SELECT_ALL = {
    "id": "check-the-figure",
    "type": "select_all",
    "prompt": "Which would help you check the 25,000?",
    "options": [
        {"text": "ICE's own statistics", "correct": True, "feedback": "The agency counts."},
        {"text": "The original story", "correct": True, "feedback": "See what it first said."},
        {"text": "How often it was shared", "feedback": "Spread is not proof."},
    ],
}


@pytest.fixture(scope="module")
def server(tmp_path_factory, make_app, make_class, exercises_dir, serve) -> Iterator[str]:
    """A server with one exercise holding a select-all task, assigned to ada's class."""
    folder = tmp_path_factory.mktemp("select-all") / "exercises"
    shutil.copytree(exercises_dir / "articles", folder / "articles")
    exercise = {
        "title": "Checking a number",
        "articles": ["la-detainers-report-1"],
        "tasks": [SELECT_ALL],
    }
    (folder / "checking.yaml").write_text(yaml.safe_dump(exercise, allow_unicode=True))
    app = make_app(folder.parent, EXERCISES_DIR=str(folder))
    make_class(app, ["ada"], assign=["checking"])
    with serve(app) as url:
        yield url


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A page on that server; the test fails if the browser reports an error."""
    context = browser.new_context(base_url=server)
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(error.error.message))
    context.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield context.new_page()
    context.close()
    assert errors == []


def test_ticks_are_autosaved_kept_on_reload_and_graded_option_by_option(
    page: Page, log_in, assert_accessible
):
    log_in(page, "ada")
    page.get_by_role("link", name="Checking a number").click()
    step = page.locator("#step-check-the-figure")
    boxes = step.get_by_role("checkbox")
    expect(boxes).to_have_count(3)
    assert_accessible(page, "exercise page with a select-all step")
    # with the keyboard alone: Space ticks, Tab goes on to the next option
    boxes.nth(0).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(boxes.nth(2)).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#save-status")).to_have_attribute("data-kind", "saved")

    page.reload()
    expect(boxes.nth(0)).to_be_checked()
    expect(boxes.nth(1)).not_to_be_checked()
    expect(boxes.nth(2)).to_be_checked()

    page.get_by_role("button", name="Submit my answers").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    badges = page.locator(".options-feedback .status-badge")
    expect(badges).to_have_text(
        ["You ticked it · Right", "Right · you did not tick it", "You ticked it · Not right"]
    )
    expect(page.get_by_text("See what it first said.")).to_be_visible()  # the one not ticked
    expect(page.locator(".score")).to_contain_text("Your score: 0%")  # one right, one wrong
    assert_accessible(page, "feedback on a select-all step")
