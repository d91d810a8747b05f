"""Everyday situations that used to lose a student's work, played out in the browser: two tabs,
an article edited under an open page, logging out in another tab, a server that cannot store.
Each ends with every word typed in the database or in front of the student, and a message that
says what happened."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from classroom import exercises as shelf_module
from classroom.db import get_db
from classroom.store import drafts, roster

pytestmark = pytest.mark.browser

REPORT_1 = "la-detainers-report-1"
REPORT_1_TITLE = "Los Angeles jails and ICE requests: report 1"
RIGHT_ANSWER = "More than 25,000 detainer requests from ICE"
LONG_ANSWER = (
    "I would check the 25,000 figure against ICE's own detainer statistics, and ask the "
    "sheriff's office which years it covers and how many of the people were ever convicted."
)
LEAVING_IS_STOPPED = """() => {
  const leaving = new Event("beforeunload", { cancelable: true });
  window.dispatchEvent(leaving);
  return leaving.defaultPrevented;
}"""


@pytest.fixture
def server(tmp_path, folder, monkeypatch, make_app, make_class, serve) -> Iterator[tuple]:
    """A server on a copied exercises folder, which sees an edited file at once; ada and bo in
    a class given report 1. The address, the app and the assignment's id."""
    monkeypatch.setattr(shelf_module, "CHECK_EVERY", 0)
    app = make_app(tmp_path, EXERCISES_DIR=str(folder))
    school = make_class(app, ["ada", "bo"], assign=[REPORT_1])
    with serve(app) as url:
        yield url, app, school


@pytest.fixture
def expected_statuses() -> set[int]:
    """The refusals a test expects the browser to log (a test adds its own)."""
    return {401, 403, 409, 503}


@pytest.fixture
def context(browser: Browser, server, expected_statuses) -> Iterator[BrowserContext]:
    """One browser (its tabs share the login), on that server; no console error goes unseen
    but a refusal the test expects."""
    context = browser.new_context(base_url=server[0])
    context.set_default_timeout(15_000)
    errors: list[str] = []

    def on_console(message) -> None:
        status = re.search(r"status of (\d+)", message.text)
        if message.type == "error" and not (status and int(status[1]) in expected_statuses):
            errors.append(message.text)

    context.on("console", on_console)
    yield context
    context.close()
    assert not errors, errors


def stored_draft(server) -> dict:
    """ada's draft as the database holds it."""
    _, app, school = server
    with app.app_context():
        return drafts.get_draft(get_db(), school["assignments"][REPORT_1], school["students"][0])


def open_tab(context: BrowserContext, open_exercise) -> Page:
    """A new tab on ada's report 1."""
    page = context.new_page()
    page.goto("/home")
    open_exercise(page, REPORT_1_TITLE)
    return page


def saved(page: Page) -> None:
    expect(page.locator("#save-status")).to_have_text(re.compile("^All changes saved"))


# --- 1. two tabs ----------------------------------------------------------------------------------


def test_two_tabs_put_their_work_together_and_say_so(
    context, server, log_in, open_exercise, select_word, tag_selection
):
    first = context.new_page()
    log_in(first, "ada")
    tab_b = open_tab(context, open_exercise)  # opened earlier, left behind
    tab_a = open_tab(context, open_exercise)
    tab_a.locator("#answer-reflect").fill(LONG_ANSWER)
    saved(tab_a)
    select_word(tab_a, REPORT_1, "slammed")
    tag_selection(tab_a, "slammed", "Loaded language", "a verb that pictures anger")
    saved(tab_a)

    tab_b.get_by_label(RIGHT_ANSWER).check()  # its save is based on what it opened with
    notice = tab_b.locator("#changed-elsewhere")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("changed in another tab or on another device")
    expect(notice).to_contain_text("1 highlight added")
    saved(tab_b)
    # tab A's answer and highlight are in front of the student in tab B, and its tick stands
    expect(tab_b.locator("#answer-reflect")).to_have_value(LONG_ANSWER)
    expect(tab_b.locator(".my-highlights q", has_text="slammed")).to_be_visible()
    expect(tab_b.get_by_label(RIGHT_ANSWER)).to_be_checked()
    work = stored_draft(server)["work"]
    assert work["answers"]["reflect"] == LONG_ANSWER
    assert work["answers"]["quiz"] == [1]
    assert [h["quote"] for h in work["highlights"]] == ["slammed"]

    # both tabs now write the same answer: this tab's stands, the other's is shown to copy
    tab_a.reload()
    expect(tab_a.locator(".article-text span[data-o]").first).to_be_attached()
    tab_a.locator("#answer-reflect").fill("Written in tab A.")
    saved(tab_a)
    tab_b.locator("#answer-reflect").fill("Written in tab B.")
    expect(notice).to_contain_text("was changed in both places. This page's answer is kept")
    expect(notice.locator("blockquote")).to_have_text("Written in tab A.")
    saved(tab_b)
    assert stored_draft(server)["work"]["answers"]["reflect"] == "Written in tab B."


# --- 2. an article edited while the page is open -----------------------------------------------


def test_highlights_keep_their_words_when_the_article_is_edited_under_the_page(
    context, server, folder, log_in, open_exercise, word_rect, drag, tag_selection
):
    page = context.new_page()
    log_in(page, "ada")
    open_exercise(page, REPORT_1_TITLE)
    drag(page, word_rect(page, REPORT_1, "criminal"), word_rect(page, REPORT_1, "aliens"))
    tag_selection(page, "criminal illegal aliens", "Loaded language", "a label for people")
    saved(page)

    # the author shortens the words before it and saves
    path = folder / "articles" / f"{REPORT_1}.txt"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Federal immigration enforcement data", "Data", 1), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))

    page.locator("#answer-reflect").fill(LONG_ANSWER)
    changed = page.locator("#exercise-changed")
    expect(changed).to_contain_text("The author changed this exercise while you worked")
    saved(page)
    [highlight] = stored_draft(server)["work"]["highlights"]
    assert highlight["quote"] == "criminal illegal aliens"
    assert highlight["note"] == "a label for people"

    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", name=re.compile("Feedback"))).to_be_visible()
    [highlight] = stored_draft(server)["work"]["highlights"]  # the attempt's work
    assert highlight["quote"] == "criminal illegal aliens"
    page.goto("/home")
    open_exercise(page, REPORT_1_TITLE)  # the new version, the highlight on its words
    expect(page.locator(".my-highlights q")).to_have_text(["criminal illegal aliens"])
    expect(page.locator(".article-text mark.hl").first).to_contain_text("criminal illegal aliens")


# --- 4. logged out in another tab -----------------------------------------------------------------


def test_work_typed_after_logging_out_elsewhere_is_saved_once_back(
    context, server, log_in, open_exercise
):
    page = context.new_page()
    log_in(page, "ada")
    open_exercise(page, REPORT_1_TITLE)
    other = context.new_page()
    other.goto("/home")
    other.get_by_role("button", name="Log out").click()

    page.locator("#answer-reflect").fill(LONG_ANSWER)
    status = page.locator("#save-status")
    expect(status).to_have_text(
        "You are logged out, so this was not saved. Log in again in a new tab: your work is "
        "kept on this page and will be saved then."
    )
    assert page.evaluate(LEAVING_IS_STOPPED) is True
    page.locator("#answer-reflect").press_sequentially(" And the date.")

    log_in(other, "ada")
    page.bring_to_front()
    saved(page)
    assert stored_draft(server)["work"]["answers"]["reflect"] == LONG_ANSWER + " And the date."
    # the page's forms belong to the new session: submitting works
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", name=re.compile("Feedback"))).to_be_visible()


def test_work_is_never_saved_into_someone_elses_account(
    context, server, log_in, open_exercise, expected_statuses
):
    expected_statuses.add(400)  # the page's token is not the classmate's session's: refused
    page = context.new_page()
    log_in(page, "ada")
    open_exercise(page, REPORT_1_TITLE)
    other = context.new_page()
    other.goto("/home")
    other.get_by_role("button", name="Log out").click()
    log_in(other, "bo")  # a classmate sits down at the same computer

    page.locator("#answer-reflect").fill(LONG_ANSWER)
    expect(page.locator("#save-status")).to_contain_text("someone else is logged in")
    _, app, school = server
    with app.app_context():
        theirs = drafts.get_draft(get_db(), school["assignments"][REPORT_1], school["students"][1])
    assert theirs is None
    assert stored_draft(server) is None


# --- when the server cannot store it --------------------------------------------------------------


def test_a_server_that_cannot_store_the_work_keeps_it_and_tries_again(
    context, server, log_in, open_exercise
):
    page = context.new_page()
    log_in(page, "ada")
    open_exercise(page, REPORT_1_TITLE)

    def full(route: Route) -> None:
        if route.request.method == "PUT":  # as the server answers with its disk full
            refusal = {"error": "The server could not store it", "status": 503}
            route.fulfill(status=503, json=refusal)
        else:
            route.continue_()

    page.route("**/api/assignments/*/draft", full)
    page.locator("#answer-reflect").fill(LONG_ANSWER)
    status = page.locator("#save-status")
    expect(status).to_have_text(
        "Not saved: The server could not store it. Your work is kept in this browser; trying again…"
    )
    assert page.evaluate(LEAVING_IS_STOPPED) is True
    page.unroute("**/api/assignments/*/draft")
    saved(page)
    assert stored_draft(server)["work"]["answers"]["reflect"] == LONG_ANSWER


# --- 5. a password reset while the student works ---------------------------------------------


def test_a_reset_mid_work_keeps_the_work_and_saves_it_once_a_password_is_chosen(
    context, server, log_in, open_exercise
):
    page = context.new_page()
    log_in(page, "ada")
    open_exercise(page, REPORT_1_TITLE)
    _, app, school = server
    with app.app_context():  # the teacher resets ada's password from the class page
        code = roster.reset_password(get_db(), school["students"][0])

    page.locator("#answer-reflect").fill(LONG_ANSWER)
    status = page.locator("#save-status")
    expect(status).to_contain_text("You are logged out, so this was not saved")
    # submitting now does not drop the answers: they are kept and offered back
    page.get_by_role("button", name="Submit my answers").click()
    expect(
        page.get_by_text("You are logged out, so your answers were not submitted")
    ).to_be_visible()
    other = context.new_page()
    log_in_with_code = other.goto("/login")
    assert log_in_with_code.ok
    other.get_by_label("Username").fill("ada")
    other.get_by_label("Password").fill(code)
    other.get_by_role("button", name="Log in").click()
    other.get_by_label("The one-time code from your teacher").fill(code)
    other.get_by_label("New password (at least 12 characters)").fill("a brand new password")
    other.get_by_label("Type it again").fill("a brand new password")
    other.get_by_role("button", name="Save my new password").click()
    expect(other.get_by_text("Your new password is saved.")).to_be_visible()

    other.goto("/home")
    open_exercise(other, REPORT_1_TITLE)
    offer = other.locator("#kept-work")
    expect(offer).to_be_visible()
    other.get_by_role("button", name="Put my unsaved work back").click()
    expect(other.locator("#answer-reflect")).to_have_value(LONG_ANSWER)
    saved(other)
    assert stored_draft(server)["work"]["answers"]["reflect"] == LONG_ANSWER
