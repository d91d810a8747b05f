"""The authoring studio in a real browser: a teacher turns an article the project has never seen
into a published exercise (suggestions accepted and dismissed, an item marked by hand, whys
written, previewed, published), a student completes it; axe on every studio page; the keyboard
alone does all of it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from classroom.db import get_db

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "harbour-ferry.txt"
ARTICLE = FIXTURE.read_text(encoding="utf-8")
TITLE = "Ferry fares on the island"
CHOICE_WHY = "Right: the words are the reporter's, and who the critics are is not said."
EXERCISE = "ferry-fares-on-the-island"
FURY_WHY = "Fury is a feeling the reporter names for a whole island."


@pytest.fixture(scope="module")
def studio_site(tmp_path_factory, make_app, make_class, exercises_dir, serve) -> Iterator[dict]:
    """An app on a copy of the exercises folder (the studio publishes into it), a teacher and a
    class of one student with nothing assigned, served on a free port."""
    root = tmp_path_factory.mktemp("studio")
    folder = root / "exercises"
    shutil.copytree(exercises_dir, folder)
    app = make_app(root, EXERCISES_DIR=str(folder))
    klass = make_class(app, ["ada"], teacher=("teacher", "Ms Teacher"))
    with serve(app) as url:
        yield {"url": url, "app": app, "folder": folder, "class": klass["class"]["id"]}


@pytest.fixture
def studio_page(make_page, studio_site):
    """studio_page(**make_page options): a page on the studio site."""
    return lambda **options: make_page(base_url=studio_site["url"], **options)


def expect_saved(page: Page) -> None:
    status = page.locator("#save-status")
    expect(status).to_have_attribute("data-kind", "saved")
    expect(status).to_contain_text("All changes saved")


def start_draft(page: Page, title: str = TITLE) -> None:
    """Paste the fixture article into the studio's first form and start the draft."""
    page.goto("/author/studio/")
    page.get_by_label("Title of the article").fill(title)
    page.get_by_label("Source or outlet").fill("Island Courier")
    page.get_by_label("Date published").fill("2026-11-30")
    page.get_by_label("Link").fill("https://courier.example/ferry-fares")
    page.get_by_label("Paste the text").check()
    page.get_by_label("Text or HTML of the article").fill(ARTICLE)
    page.get_by_role("button", name="Start the exercise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".article-text span[data-o]").first).to_be_attached()


def suggestion(page: Page, quote: str):
    return page.locator("#suggestion-list > li").filter(has=page.locator("q", has_text=quote))


def accept(page: Page, quote: str, why: str) -> None:
    """Accept the suggestion, check its category is chosen, write why and add it."""
    page.get_by_role("button", name=f"Accept suggestion “{quote}”").click()
    tagger = page.locator("#tagger")
    expect(tagger).to_be_visible()
    expect(tagger.locator("#tagger-quote")).to_have_text(quote)
    expect(tagger.locator("#tagger-reason")).to_contain_text("Suggested because:")
    expect(page.locator("#tagger-why")).to_be_focused()
    page.locator("#tagger-why").fill(why)
    tagger.get_by_role("button", name="Add key item").click()
    expect(tagger).to_be_hidden()


def key_quotes(page: Page, step: int) -> list[str]:
    return page.locator(f"#step-{step} .key-list > li.key-item q").all_inner_texts()


def test_a_teacher_turns_a_new_article_into_an_exercise_a_student_then_completes(
    studio_page, studio_site, log_in, word_rect, drag, select_word
):
    page = studio_page()
    log_in(page, "teacher")
    start_draft(page)
    count = page.locator("#suggestion-count")
    expect(count).to_have_text("12 suggestions left.")

    accept(page, "slammed", "A loaded verb: 'criticised' would report the same fact.")
    accept(page, "designed to", "It claims to know the motive; the chair denied it.")
    accept(page, "18 percent", "From what to what, and how does it compare with costs?")
    expect(count).to_have_text("9 suggestions left.")
    suggestion(page, "Fuel").get_by_role("button", name="Dismiss").click()
    expect(suggestion(page, "Fuel")).to_have_count(0)
    expect(count).to_have_text("8 suggestions left.")

    # One the studio did not suggest, marked by hand: "cash grab" in the reporter's voice.
    cash = word_rect(page, EXERCISE, "cash")
    drag(page, cash, word_rect(page, EXERCISE, "grab", scroll=False))
    tagger = page.locator("#tagger")
    expect(tagger.locator("#tagger-quote")).to_have_text("cash grab")
    tagger.get_by_role("radio", name="Loaded language").check()
    page.locator("#tagger-why").fill("A label that judges the motive instead of describing it.")
    tagger.get_by_role("button", name="Add key item").click()
    expect(tagger).to_be_hidden()
    # and an unnamed source, for the missing-context step
    sources = word_rect(page, EXERCISE, "Sources")
    drag(page, sources, word_rect(page, EXERCISE, "said", scroll=False))
    expect(tagger.locator("#tagger-quote")).to_have_text("Sources close to the authority said")
    tagger.get_by_role("radio", name="Missing context").check()
    page.locator("#tagger-why").fill("Who are they? Unnamed sources cannot be checked.")
    page.locator("#tagger-check").fill("Look for the same claim with a name attached.")
    tagger.get_by_role("button", name="Add key item").click()
    expect_saved(page)
    assert key_quotes(page, 0) == ["slammed", "cash grab", "designed to"]  # reading order
    assert key_quotes(page, 1) == ["18 percent"]
    assert key_quotes(page, 2) == ["Sources close to the authority said"]

    # Everything survives a reload, the dismissal too.
    page.reload()
    expect(page.locator("#step-0 .key-list > li.key-item")).to_have_count(3)
    expect(count).to_have_text("8 suggestions left.")
    expect(suggestion(page, "Fuel")).to_have_count(0)
    expect(page.locator(".problem-error")).to_have_count(0)

    page.get_by_label("Summary (what students will do)").fill(
        "Read a report of a fare rise and find how its words lean."
    )
    expect_saved(page)

    # A choice question, in its own form.
    page.get_by_label("Add a step").select_option("choice")
    page.get_by_role("button", name="Add the step").click()
    page.get_by_label("Question").fill("Who calls the rise a cash grab?")
    options = [
        ("Critics, in the reporter's words; no critic is named", True, CHOICE_WHY),
        ("The chair of the harbour authority", False, "She defends the rise."),
        ("Tom Hale, the baker", False, "He speaks of its cost to him, not of a cash grab."),
    ]
    for n, (text, correct, feedback) in enumerate(options, start=1):
        row = page.get_by_role("group", name=f"Option {n}", exact=True)
        row.get_by_label("Text").fill(text)
        if correct:
            row.get_by_label("Correct answer").check()
        row.get_by_label("Feedback").fill(feedback)
    page.get_by_role("button", name="Save the step").click()
    expect(page.get_by_role("status").filter(has_text="Step 4 saved.")).to_be_visible()
    expect(page.locator("#step-3 .instruction")).to_have_text("Who calls the rise a cash grab?")

    # Preview as a student, then with the key.
    page.get_by_role("link", name="Preview as a student").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("mark")).to_have_count(0)
    page.get_by_role("link", name="Show the answer key").click()
    expect(page.locator("mark", has_text="cash grab")).to_be_visible()
    page.get_by_role("link", name="Back to the studio").click()

    page.get_by_role("button", name="Publish").click()
    published = page.get_by_role("status").filter(has_text="Published:")
    files = f"articles/{EXERCISE}.txt, articles/{EXERCISE}.yaml, {EXERCISE}.yaml"
    expect(published).to_contain_text(files)
    written = studio_site["folder"] / f"{EXERCISE}.yaml"
    checked = studio_site["app"].test_cli_runner().invoke(args=["exercises", "check", str(written)])
    assert checked.exit_code == 0, checked.output
    assert (studio_site["folder"] / "articles" / f"{EXERCISE}.txt").read_text() == ARTICLE

    # The teacher assigns it; a student finds "slammed", misses the rest and reads why.
    page.goto(f"/teacher/classes/{studio_site['class']}")
    page.get_by_label("Exercise").select_option(label=TITLE)
    # new assignments default to guided practice; this one shows the answers at once
    page.get_by_label("The answers at once, after each submission").check()
    page.get_by_role("button", name="Assign").click()
    student = studio_page()
    log_in(student, "ada")
    student.get_by_role("link", name=TITLE).click()
    expect(student.locator(".article-text span[data-o]").first).to_be_attached()
    select_word(student, EXERCISE, "slammed")
    student.locator("#tagger").get_by_role("radio", name="Loaded language").check()
    student.locator("#tagger-save").click()
    student.get_by_label("The chair of the harbour authority").check()
    student.get_by_role("button", name="Submit my answers").click()
    why = "A loaded verb: 'criticised' would report the same fact."
    for reason in student.locator("summary", has_text="Why it counts").all():
        reason.click()  # each key item's why is one click away
    expect(student.get_by_text(why)).to_be_visible()
    expect(student.get_by_text("Who are they? Unnamed sources cannot be checked.")).to_be_visible()
    expect(student.get_by_text("She defends the rise.")).to_be_visible()
    expect(student.get_by_text(CHOICE_WHY)).to_be_visible()  # the right answer's, shown too
    with studio_site["app"].app_context():
        attempts = get_db().execute("select count(*) from attempts").fetchone()[0]
    assert attempts == 1


def accept_by_keyboard(page: Page, tab_to, quote: str, why: str) -> None:
    """Accept a suggestion, write its why and save it, with the keyboard alone."""
    tab_to(page, f'button[aria-label="Accept suggestion “{quote}”"]')
    page.keyboard.press("Enter")
    expect(page.locator("#tagger-why")).to_be_focused()
    page.keyboard.type(why)
    tab_to(page, "#tagger-save", limit=5)
    page.keyboard.press("Enter")
    expect(page.locator("#tagger")).to_be_hidden()


def test_the_keyboard_alone_accepts_dismisses_and_marks(studio_page, log_in, tab_to):
    page = studio_page()
    log_in(page, "teacher")
    start_draft(page, "Ferry fares by keyboard")
    article_id = "ferry-fares-by-keyboard"
    announcer = page.locator("#announcer")
    count = page.locator("#suggestion-count")

    accept_by_keyboard(page, tab_to, "Fury", FURY_WHY)
    expect(count).to_have_text("11 suggestions left.")
    # the focus went on to the next suggestion, "anger": dismiss it with the keyboard
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Accept suggestion “anger”")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Dismiss suggestion “anger”")
    page.keyboard.press("Enter")
    expect(announcer).to_have_text("Dismissed the suggestion “anger”.")
    expect(count).to_have_text("10 suggestions left.")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Accept suggestion “on Monday”")

    # Word by word in the article: the headline's "Ferry Fare Hike", from the title field on
    page.locator("#draft-title").focus()
    tab_to(page, f'.article-text[data-article="{article_id}"]')
    page.keyboard.press("Enter")
    expect(announcer).to_contain_text("Word by word selection. Ferry.")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    expect(announcer).to_have_text("Selected: Ferry Fare Hike")
    page.keyboard.press("Enter")
    tagger = page.locator("#tagger")
    expect(tagger.locator("#tagger-quote")).to_have_text("Ferry Fare Hike")
    expect(tagger.get_by_role("radio", name="Loaded language")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("'Hike' makes a rise sound sudden and steep.")
    tab_to(page, "#tagger-save", limit=5)
    page.keyboard.press("Enter")
    expect(tagger).to_be_hidden()
    expect(announcer).to_have_text("Marked “Ferry Fare Hike” as Loaded language.")
    expect(page.locator(f'.article-text[data-article="{article_id}"]')).to_be_focused()
    page.keyboard.press("Escape")

    # Edit, then remove, with the keyboard
    tab_to(page, 'button[aria-label="Edit key item “Ferry Fare Hike”"]')
    page.keyboard.press("Enter")
    expect(tagger.get_by_role("radio", name="Loaded language")).to_be_focused()
    tab_to(page, "#tagger-check", limit=5)
    page.keyboard.type("Compare with the fare table: 18 percent.")
    tab_to(page, "#tagger-save", limit=5)
    page.keyboard.press("Enter")
    expect(page.locator("#step-0 .key-list .check").first).to_have_text(
        "How to check: Compare with the fare table: 18 percent."
    )
    # Resize it to the whole headline's first four words, with the keyboard
    tab_to(page, 'button[aria-label="Move or resize key item “Ferry Fare Hike”"]')
    page.keyboard.press("Enter")
    expect(announcer).to_have_text("Select the words “Ferry Fare Hike” should cover now.")
    page.locator("#draft-title").focus()
    tab_to(page, f'.article-text[data-article="{article_id}"]')
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Shift+ArrowRight")
    expect(announcer).to_have_text("Selected: Ferry Fare Hike Sparks")
    page.keyboard.press("Enter")
    expect(announcer).to_have_text("The key item now covers “Ferry Fare Hike Sparks”.")
    page.keyboard.press("Escape")
    tab_to(page, 'button[aria-label="Remove key item “Fury”"]')
    page.keyboard.press("Enter")
    expect(announcer).to_have_text("Removed the key item “Fury”.")
    expect_saved(page)
    page.reload()
    assert key_quotes(page, 0) == ["Ferry Fare Hike Sparks"]
    expect(count).to_have_text("11 suggestions left.")  # "Fury" is offered again, "anger" not


def test_every_studio_page_is_accessible(studio_page, log_in, assert_accessible):
    page = studio_page(expected_error="status of 400")  # the form sent empty, on purpose
    log_in(page, "teacher")
    page.goto("/author/studio/")
    assert_accessible(page, "the studio's start page")
    page.get_by_role("button", name="Start the exercise").click()
    expect(page.locator("ul.errors").first).to_be_visible()
    assert_accessible(page, "the studio's start page with errors")

    start_draft(page, "Ferry fares, checked by axe")
    assert_accessible(page, "a new draft with its suggestions")
    page.get_by_role("button", name="Accept suggestion “slammed”").click()
    expect(page.locator("#tagger")).to_be_visible()
    assert_accessible(page, "a draft with the tagger open")
    page.locator("#tagger-why").fill("A loaded verb.")
    page.get_by_role("button", name="Add key item").click()
    expect_saved(page)
    page.reload()
    assert_accessible(page, "a draft with a key item and problems")

    page.get_by_role("link", name="Preview as a student").click()
    expect(page.get_by_role("heading", name="Not ready to preview")).to_be_visible()
    assert_accessible(page, "a draft not ready to preview")
    page.goto("/author/studio/")
    expect(page.get_by_role("link", name="Ferry fares, checked by axe")).to_be_visible()
    assert_accessible(page, "the studio's start page with drafts")


def test_a_save_answered_while_a_key_item_has_focus_leaves_the_focus_there(
    studio_page, log_in, tab_to
):
    """The lists are redrawn when a save is answered (the server says which step an item is in):
    a keyboard user on an item's button stays on it, not sent back to the page's top."""
    page = studio_page()
    log_in(page, "teacher")
    start_draft(page, "Ferry fares with a slow save")
    held: list = []  # the saves, answered only when the test says

    def hold(route):
        if route.request.method == "PUT":
            held.append(route)
        else:
            route.continue_()

    page.route("**/drafts/*", hold)

    accept_by_keyboard(page, tab_to, "Fury", FURY_WHY)
    edit = 'button[aria-label="Edit key item “Fury”"]'
    tab_to(page, edit)
    expect(page.locator(edit)).to_be_focused()

    expect(page.locator("#save-status")).not_to_have_attribute("data-kind", "saved")
    assert held, "the save was not sent"
    for route in held:
        route.continue_()
    expect_saved(page)
    expect(page.locator(edit)).to_be_focused()


def test_a_key_item_is_marked_core_and_grouped_and_keeps_both(studio_page, studio_site, log_in):
    page = studio_page()
    log_in(page, "teacher")
    start_draft(page, "Ferry fares, weighed")
    tagger = page.locator("#tagger")
    for quote, group in (("Fury", "feelings"), ("anger", "feelings")):
        page.get_by_role("button", name=f"Accept suggestion “{quote}”").click()
        page.locator("#tagger-why").fill("A feeling named for a whole island.")
        tagger.get_by_label("Core: every careful reader should find this").check()
        tagger.get_by_label("Group (optional)").fill(group)
        tagger.get_by_role("button", name="Add key item").click()
        expect(tagger).to_be_hidden()
    expect_saved(page)
    items = page.locator("#step-0 .key-list > li.key-item")
    expect(items.filter(has_text="Fury")).to_contain_text("Core · Group: feelings")

    page.reload()
    expect(items.filter(has_text="anger")).to_contain_text("Core · Group: feelings")
    page.get_by_role("button", name="Edit key item “anger”").click()
    expect(tagger.get_by_label("Core: every careful reader should find this")).to_be_checked()
    expect(tagger.get_by_label("Group (optional)")).to_have_value("feelings")
    # the names already given are offered, so each repeat gets the same one
    expect(page.locator("#tagger-groups option")).to_have_text("feelings")
    tagger.get_by_label("Core: every careful reader should find this").uncheck()
    tagger.get_by_role("button", name="Save changes").click()
    expect_saved(page)
    expect(items.filter(has_text="anger")).to_contain_text("Group: feelings")
    expect(items.filter(has_text="anger")).not_to_contain_text("Core")
    with studio_site["app"].app_context():
        row = get_db().execute("select draft from studio_drafts order by id desc").fetchone()
    key = json.loads(row[0])["key"]
    assert [(k["core"], k["group"]) for k in key if k["group"]] == [
        (True, "feelings"),
        (False, "feelings"),
    ]
