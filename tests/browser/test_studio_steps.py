"""The studio's step editors in a real browser: a choice step added, filled and moved with the
keyboard alone, a second article pasted and a compare step added; axe on the step forms (with
errors too), the article page and the draft's steps; and all of it without JavaScript."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ARTICLE = (FIXTURES / "harbour-ferry.txt").read_text(encoding="utf-8")
SECOND = (FIXTURES / "millbrook-library.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def steps_site(tmp_path_factory, make_app, make_class, exercises_dir, serve) -> Iterator[str]:
    """An app (CSRF on) on a copy of the exercises folder with a teacher, served on a free port."""
    root = tmp_path_factory.mktemp("studio-steps")
    folder = root / "exercises"
    shutil.copytree(exercises_dir, folder)
    app = make_app(root, EXERCISES_DIR=str(folder))
    make_class(app, ["ada"], teacher=("teacher", "Ms Teacher"))
    with serve(app) as url:
        yield url


@pytest.fixture
def steps_page(make_page, steps_site):
    return lambda **options: make_page(base_url=steps_site, **options)


def start_draft(page: Page, title: str) -> None:
    page.goto("/author/studio/")
    page.get_by_label("Title of the article").fill(title)
    page.get_by_label("Paste the text").check()
    page.get_by_label("Text or HTML of the article").fill(ARTICLE)
    page.get_by_role("button", name="Start the exercise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def step_ids(page: Page) -> list[str]:
    return page.locator(".studio-steps > li h3 code").all_inner_texts()


def test_a_choice_step_is_added_filled_and_moved_with_the_keyboard_alone(
    steps_page, log_in, tab_to
):
    page = steps_page()
    log_in(page, "teacher")
    start_draft(page, "Ferry fares, step by step")
    tab_to(page, "#add-step-kind", limit=200)
    page.keyboard.type("Choice")  # the list's own type-ahead picks "Choice: a multiple-choice..."
    expect(page.locator("#add-step-kind")).to_have_value("choice")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 4: A multiple-choice question")

    page.locator("#step-id").focus()
    page.keyboard.press("Tab")  # the question, with its starting text
    page.keyboard.press("Control+a")
    page.keyboard.type("Who says the new fares are a cash grab?")
    page.keyboard.press("Tab")  # several answers: no
    page.keyboard.press("Tab")
    page.keyboard.type("The reporter")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # correct
    page.keyboard.press("Tab")
    page.keyboard.type("Right: no one is quoted saying it.")
    page.keyboard.press("Tab")
    page.keyboard.type("The ferry authority")
    tab_to(page, "#step-submit", limit=40)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/author/studio/\d+#step-3$"))
    expect(page.get_by_role("status").filter(has_text="Step 4 saved.")).to_be_visible()
    expect(page.locator("#step-3 .instruction")).to_have_text(
        "Who says the new fares are a cash grab?"
    )

    tab_to(page, '#step-3 form[action$="/move/up"] button', limit=300)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#step-2$"))
    assert step_ids(page) == ["loaded-language", "statistics", "choice", "missing-context"]


def test_step_forms_article_page_and_steps_are_accessible(steps_page, log_in, assert_accessible):
    page = steps_page(expected_error="status of 400")  # forms sent wrong, on purpose
    log_in(page, "teacher")
    start_draft(page, "Ferry fares, checked by axe too")
    assert_accessible(page, "a draft's steps with their buttons and the add form")
    page.get_by_role("link", name="Edit step 1").click()
    expect(page.get_by_role("heading", name="What the check says of this step")).to_be_visible()
    assert_accessible(page, "a highlight step's form with its problems")
    page.get_by_label("Loaded language").uncheck()
    page.get_by_role("button", name="Save the step").click()
    expect(page.get_by_text("Choose categories students tag with.")).to_be_visible()
    assert_accessible(page, "a highlight step's form with an error")

    page.get_by_role("link", name="Back to the draft").click()
    page.get_by_role("link", name="Add another article").click()
    assert_accessible(page, "the page to add an article")
    page.get_by_label("Title of the article").fill("Millbrook library hours")
    page.get_by_label("Paste the text").check()
    page.get_by_label("Text or HTML of the article").fill(SECOND)
    page.get_by_role("button", name="Add the article").click()
    expect(page.locator('.article-text[data-article="millbrook-library-hours"]')).to_be_visible()

    page.get_by_label("Add a step").select_option("compare:loaded_language")
    page.get_by_role("button", name="Add the step").click()
    assert_accessible(page, "a compare step's form")
    page.get_by_role("link", name="Back to the draft").click()
    page.get_by_label("Add a step").select_option("select_all")
    page.get_by_role("button", name="Add the step").click()
    page.get_by_role("button", name="Save the step").click()
    expect(page.get_by_text("Write at least two options.")).to_be_visible()
    assert_accessible(page, "a select-all step's form with an error")
    page.get_by_role("link", name="Back to the draft").click()
    page.get_by_label("Add a step").select_option("short_answer")
    page.get_by_role("button", name="Add the step").click()
    assert_accessible(page, "a short-answer step's form")


def test_steps_are_added_edited_and_removed_without_javascript(steps_page, log_in):
    page = steps_page(javascript=False)
    log_in(page, "teacher")
    start_draft(page, "Ferry fares without a script")
    page.get_by_label("Add a step").select_option("short_answer")
    page.get_by_role("button", name="Add the step").click()
    page.get_by_label("Model answer").fill("I would ask the ferry authority for the fare table.")
    page.get_by_label("Key points (optional, one a line)").fill("Names a source\nSays what to ask")
    page.get_by_role("button", name="Save the step").click()
    expect(page.get_by_role("status").filter(has_text="Step 4 saved.")).to_be_visible()
    page.get_by_role("button", name="Remove step 1").click()
    expect(
        page.get_by_role("status").filter(has_text="Step 1 (loaded-language) removed.")
    ).to_be_visible()
    assert step_ids(page) == ["statistics", "missing-context", "short-answer"]
