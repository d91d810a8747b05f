"""Guided practice in a real browser: the teacher sets it up; the student gets hints for what
they missed, tries again from their work, asks for the answers (told it is recorded), and the
teacher sees the attempts made after that, and which one counts."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REPORT_1 = "la-detainers-report-1"
TITLE = "Los Angeles jails and ICE requests: report 1"
WHY_SLAMMED = "makes a written statement sound like a blow"  # the key's word on "slammed"
# as the summary counts them: the shipped key marks its core items, the main problems
IN_THE_KEY = "main problems"
WHY_HEADLINE = "labels the person rather than their situation"  # on "Criminal Illegal Aliens"


@pytest.fixture(scope="module")
def guided_site(tmp_path_factory, make_app, make_class, serve) -> Iterator[str]:
    """A class of Ada and Ben with report 1 assigned (answers at once, as existing assignments
    are), served on a free port, for the teacher to turn into guided practice."""
    app = make_app(tmp_path_factory.mktemp("guided"))
    make_class(app, ["ada", "ben"], assign=[REPORT_1])
    with serve(app) as url:
        yield url


def submit(page: Page) -> None:
    """Submit the exercise page and wait for the feedback."""
    page.get_by_role("button", name="Submit my answers").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))


def set_guided(make_page, site: str, log_in, attempts: str, counting: str = "") -> Page:
    """The teacher sets the assignment to guided practice with this many attempts (and this
    attempt counting, by its label); the teacher's page, for what the test does next."""
    teacher = make_page(base_url=site)
    log_in(teacher, "teacher")
    teacher.get_by_role("link", name="Period 1").click()
    teacher.get_by_role("link", name="Settings").click()
    teacher.get_by_label("Guided practice: hints first, the answers when the student asks").check()
    teacher.get_by_label("Attempts allowed").fill(attempts)
    if counting:
        teacher.get_by_label(counting).check()
    teacher.get_by_role("button", name="Save").click()
    expect(teacher.get_by_text("Assignment saved.")).to_be_visible()
    return teacher


def test_guided_practice_hints_retry_answers_on_request_recorded_for_the_teacher(
    make_page, guided_site, log_in, open_exercise, select_word, tag_selection
):
    teacher = set_guided(
        make_page,
        guided_site,
        log_in,
        attempts="3",
        counting="The best attempt made before seeing the answers",
    )
    rules = "guided practice · 3 attempts · best before seeing the answers counts"
    expect(teacher.locator("tr", has_text="report 1")).to_contain_text(rules)

    # The first attempt: one phrase found; hints, not answers, for the rest.
    student = make_page(base_url=guided_site)
    log_in(student, "ada")
    open_exercise(student, TITLE)
    expect(student.locator("#attempts-left")).to_have_text("You have 3 of 3 attempts left.")
    select_word(student, REPORT_1, "slammed")
    tag_selection(student, "slammed", "Loaded language", "a blow, not a statement")
    submit(student)
    expect(student.get_by_text(re.compile(rf"You found 1 of the \d+ {IN_THE_KEY}"))).to_be_visible()
    expect(student.get_by_text(WHY_SLAMMED)).to_be_attached()  # what she found, with why
    expect(student.locator(".hiding li").first).to_contain_text(
        re.compile(r"loaded words or phrases are still hiding in (the headline and )?paragraphs 1")
    )
    hints = student.locator(".guided-hints li").filter(has_text="Loaded language")
    expect(hints).to_contain_text(re.compile(r"\d+ more to find \(.*\d+ in paragraph 1\b"))
    student.get_by_role("link", name=re.compile("Show in paragraph")).click()  # to its place
    expect(student.locator(".article-text mark.current")).to_contain_text("slammed")
    expect(student.get_by_text(WHY_HEADLINE)).to_have_count(0)  # a missed item's why: not yet
    expect(student.locator(".article-text mark.key-missed")).to_have_count(0)
    expect(student.locator(".article-text mark.key-found")).to_contain_text("slammed")

    # Try again: her work is there; she finds one more.
    student.get_by_role("link", name="Try again").click()
    expect(student.locator("#step-loaded-language ul.my-highlights q")).to_have_text(["slammed"])
    expect(student.locator("#attempts-left")).to_have_text("You have 2 of 3 attempts left.")
    expect(student.locator(".article-text span[data-o]").first).to_be_attached()
    select_word(student, REPORT_1, "Democrat")  # a core item too, so one more main problem
    tag_selection(student, "Democrat", "Loaded language", "")
    submit(student)
    expect(student.get_by_text(re.compile(rf"You found 2 of the \d+ {IN_THE_KEY}"))).to_be_visible()

    # The answers, on request: she is told it is recorded before she confirms.
    student.get_by_text("Show me the answers", exact=True).click()
    expect(student.get_by_text("Your teacher will see that you asked")).to_be_visible()
    expect(student.get_by_text("it will not raise your grade")).to_be_visible()
    student.get_by_role("button", name="Yes, show me the answers").click()
    expect(student.get_by_text(re.compile("You asked for the answers"))).to_be_visible()
    expect(student.get_by_text(WHY_HEADLINE)).to_be_attached()
    expect(student.locator(".article-text mark.key-missed").first).to_be_attached()

    # A retry after the answers is marked, for her and for the teacher.
    student.get_by_role("link", name="Try again").click()
    expect(student.locator("#attempts-left")).to_have_text(
        "You have 1 of 3 attempts left: this is your last."
    )
    submit(student)
    expect(student.locator(".attempts .after-answers")).to_have_count(1)

    teacher.get_by_role("link", name="Review").click()
    ada = teacher.locator("tr", has_text="Ada")
    saw = ada.locator("td").nth(4)  # the column "Saw the answers"
    expect(saw).to_have_text(re.compile(r"\d+ \w+ \d{4}, \d\d:\d\d UTC"))
    ada.get_by_role("link", name=re.compile("Review")).click()
    expect(teacher.locator(".after-answers").first).to_contain_text("after seeing the answers")
    expect(teacher.get_by_text("(asked for them)")).to_be_visible()
    listed = teacher.locator(".attempts li")
    expect(listed).to_have_count(3)
    expect(listed.nth(0)).to_contain_text("after seeing the answers")  # newest first
    expect(listed.nth(1)).to_contain_text("counts")  # the best before the answers: the second
    expect(listed.nth(2)).not_to_contain_text("counts")

    teacher.get_by_role("link", name="Period 1").click()
    with teacher.expect_download() as download:
        teacher.get_by_role("link", name="Download the gradebook (CSV)").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert rows[0] == ["Student", "Username", f"{TITLE} (best before seeing the answers counts)"]
    assert rows[1][:2] == ["Ada", "ada"] and rows[1][2]


def test_once_the_attempts_are_used_the_answers_show_and_the_draft_stays(
    make_page, guided_site, log_in, open_exercise, select_word, tag_selection
):
    set_guided(make_page, guided_site, log_in, attempts="1")

    student = make_page(base_url=guided_site)
    log_in(student, "ben")
    open_exercise(student, TITLE)
    expect(student.locator("#attempts-left")).to_have_text(
        "You have 1 of 1 attempt left: this is your last."
    )
    select_word(student, REPORT_1, "Democrat")
    tag_selection(student, "Democrat", "Loaded language", "")
    submit(student)
    expect(student.get_by_text(WHY_HEADLINE)).to_be_attached()  # no attempt left: the answers
    expect(student.get_by_text("Show me the answers", exact=True)).to_have_count(0)
    student.get_by_role("link", name="Try again").click()
    expect(student.locator("#no-attempts-left")).to_contain_text("You have made all 1 attempt")
    expect(student.get_by_role("button", name="Submit my answers")).to_be_disabled()
    expect(student.locator("#step-loaded-language ul.my-highlights q")).to_have_text(["Democrat"])
