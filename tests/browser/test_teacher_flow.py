"""A teacher reviews an attempt, credits an extra highlight and comments; the student sees it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REPORT_1 = "la-detainers-report-1"
REPORT_1_TITLE = "Los Angeles jails and ICE requests: report 1"


def test_teacher_credits_and_comments_and_the_student_sees_it(
    make_page, log_in, join, open_exercise, select_word, tag_selection
):
    student = make_page()
    join(student, "eve", "Eve Reviewed")
    open_exercise(student, REPORT_1_TITLE)
    select_word(student, REPORT_1, "indicate")  # not in the answer key
    tag_selection(student, "indicate", "Loaded language", "sounds unsure")
    student.get_by_role("button", name="Submit my answers").click()
    expect(student.get_by_text("your teacher may credit this")).to_be_visible()
    before = student.locator(".score strong").inner_text()
    feedback_url = student.url

    teacher = make_page()
    log_in(teacher, "teacher")
    teacher.get_by_role("link", name="Period 1").click()
    row = teacher.locator("tr", has_text=REPORT_1_TITLE)
    row.get_by_role("link", name="Review").click()
    teacher.get_by_role("link", name="Review the attempt of Eve Reviewed").click()
    expect(teacher.get_by_text("sounds unsure")).to_be_visible()
    teacher.get_by_role("button", name="Credit “indicate”").click()
    expect(
        teacher.get_by_role("button", name="Take back the credit for “indicate”")
    ).to_be_visible()
    teacher.get_by_label("Comment for the student").fill("Good eye: 'indicate' hedges the claim.")
    teacher.get_by_role("button", name="Save the comment").click()
    history = teacher.locator("#history").locator("..")
    expect(history).to_contain_text("Credited “indicate”")
    expect(history).to_contain_text("Ms Teacher")

    student.goto(feedback_url)
    expect(student.get_by_text("Good eye: 'indicate' hedges the claim.")).to_be_visible()
    expect(student.get_by_text("credited by your teacher")).to_be_visible()
    after = student.locator(".score strong").inner_text()
    assert int(after.rstrip("%")) > int(before.rstrip("%"))
    expect(student.locator(".score")).to_contain_text(re.compile(r"automatic score was \d+%"))
