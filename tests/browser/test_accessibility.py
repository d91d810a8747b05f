"""axe-core finds no WCAG 2.1 AA violation on any page, for any role; joining works in a browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_anonymous_pages(page: Page, make_page, assert_accessible):
    for path in ("/login", "/join"):
        page.goto(path)
        assert_accessible(page, path)
    missing = make_page(expected_error="status of 404")
    missing.goto("/no/such/page")
    expect(missing.get_by_role("heading", name="Not Found (404)")).to_be_visible()
    assert_accessible(missing, "the 404 page")


def test_a_new_student_joins_and_every_student_page_is_accessible(
    page: Page, join_code, assert_accessible
):
    page.goto(f"/join?code={join_code}")
    expect(page.get_by_label("Class join code")).to_have_value(join_code)
    page.get_by_label("Your name, as your teacher will see it").fill("Dara")
    page.get_by_label("Choose a username").fill("dara")
    page.get_by_label("Choose a password (at least 12 characters)").fill("a long password")
    page.get_by_label("Type the password again").fill("a long password")
    page.get_by_role("button", name="Join the class").click()
    expect(page.get_by_text("Welcome to Period 1!")).to_be_visible()
    assert_accessible(page, "student home")

    links = page.locator(".assignment h2 a")
    titles = links.all_inner_texts()
    assert len(titles) == 3
    for title in titles:
        page.goto("/home")
        page.get_by_role("link", name=title).click()
        expect(page.locator(".article-text span[data-o]").first).to_be_attached()
        assert_accessible(page, f"exercise page: {title}")

    # with the tagger open, and a highlight drawn
    text = page.locator(".article-text").first
    text.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(page.locator("#tagger")).to_be_visible()
    assert_accessible(page, "exercise page with the tagger open")
    page.keyboard.press("Space")
    page.locator("#tagger-save").click()
    expect(page.locator("mark.hl").first).to_be_visible()
    assert_accessible(page, "exercise page with a highlight")

    page.get_by_role("button", name="Submit my answers").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    assert_accessible(page, "feedback page")

    # the list filtered to what was missed, and one of them chosen: shown in the article
    page.get_by_role("link", name=re.compile(r"^Missed or partly found")).click()
    page.locator(".feedback-items a.to-text:visible").first.click()
    expect(page.get_by_role("button", name="Back to the list")).to_be_visible()
    assert_accessible(page, "feedback page, the missed only, one shown in the article")


def test_teacher_pages(page: Page, make_page, log_in, join, assert_accessible):
    student = make_page()  # someone's work to review first
    join(student, "fay", "Fay Accessible")
    student.get_by_role("link", name=re.compile("report 2")).click()
    student.get_by_role("button", name="Submit my answers").click()
    expect(student).to_have_url(re.compile(r"/attempts/\d+$"))

    log_in(page, "teacher")
    assert_accessible(page, "teacher dashboard")
    page.get_by_role("link", name="Period 1").click()
    assert_accessible(page, "class page")
    class_page = page.url
    row = page.locator("tr", has_text="report 2")
    row.get_by_role("link", name="Review").click()
    assert_accessible(page, "review queue")
    page.get_by_role("link", name="Review the attempt of Fay Accessible").click()
    assert_accessible(page, "review page")
    page.goto(class_page)
    page.locator("tr", has_text="report 2").get_by_role("link", name="Insight").click()
    assert_accessible(page, "class insight")
    page.goto(class_page)
    page.get_by_role("link", name="Settings").first.click()
    assert_accessible(page, "assignment settings")
    page.goto(class_page)
    fay = page.locator("tr", has_text="Fay Accessible")
    fay.get_by_role("button", name=re.compile("Reset")).click()
    assert_accessible(page, "one-time code")
    code = page.locator(".one-time-code code").inner_text()
    page.goto("/author/exercises")
    assert_accessible(page, "exercise files")
    page.get_by_role("link", name=re.compile("report 1")).click()
    page.get_by_role("link", name="Show the answer key").click()
    expect(page.locator(".key-item").first).to_be_visible()
    assert_accessible(page, "preview with the answer key")

    student.get_by_role("button", name="Log out").click()
    log_in(student, "fay", code)  # with the one-time code, a new password comes first
    expect(student.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(student, "choose a new password")


@pytest.fixture(scope="module")
def guided_site(tmp_path_factory, make_app, make_class, serve):
    """A class with report 1 in guided practice, two attempts allowed: the pages of its states."""
    from classroom.db import get_db
    from classroom.store import practice

    app = make_app(tmp_path_factory.mktemp("guided-axe"))
    school = make_class(app, ["gil"], assign=["la-detainers-report-1"])
    with app.app_context():
        db = get_db()
        aid = school["assignments"]["la-detainers-report-1"]
        db["assignments"].update(aid, {"feedback_after": "guided"})
        practice.set_practice(db, aid, 2, "best_before_answers")
    with serve(app) as url:
        yield url


def test_guided_practice_pages(make_page, guided_site, log_in, assert_accessible):
    teacher = make_page(base_url=guided_site, expected_error="status of 400")  # refused, on purpose
    log_in(teacher, "teacher")
    teacher.get_by_role("link", name="Period 1").click()
    teacher.get_by_role("link", name="Settings").click()
    teacher.get_by_label("Attempts allowed").fill("0")
    teacher.get_by_role("button", name="Save").click()
    expect(teacher.get_by_text("Nothing was saved")).to_be_visible()
    assert_accessible(teacher, "assignment settings, refused")

    page = make_page(base_url=guided_site)
    log_in(page, "gil")
    page.get_by_role("link", name=re.compile("report 1")).click()
    expect(page.locator("#attempts-left")).to_be_visible()
    assert_accessible(page, "exercise page with attempts left")
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text(re.compile("You found none of the"))).to_be_visible()
    assert_accessible(page, "guided feedback")
    page.get_by_text("Show me the answers", exact=True).click()
    expect(page.get_by_role("button", name="Yes, show me the answers")).to_be_visible()
    assert_accessible(page, "guided feedback, asking for the answers")
    page.get_by_role("button", name="Yes, show me the answers").click()
    expect(page.get_by_text(re.compile("You asked for the answers"))).to_be_visible()
    assert_accessible(page, "feedback after asking for the answers")
    page.get_by_role("link", name="Try again").click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    page.get_by_role("link", name="Try again").click()
    expect(page.locator("#no-attempts-left")).to_be_visible()
    assert_accessible(page, "exercise page with no attempts left")

    teacher.goto("/teacher/")
    teacher.get_by_role("link", name="Period 1").click()
    assert_accessible(teacher, "class page with guided practice")
    teacher.get_by_role("link", name="Review").click()
    assert_accessible(teacher, "review queue with the answers seen")
    teacher.get_by_role("link", name=re.compile("Review the attempt")).click()
    expect(teacher.get_by_text("after seeing the answers").first).to_be_visible()
    assert_accessible(teacher, "review page of an attempt after the answers")
