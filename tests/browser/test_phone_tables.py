"""The teacher's wide tables on a phone, with the demo's data: every row a card whose links and
buttons are on the screen (none hidden off to the right), and axe's every rule passes (its
best practices too: a scroll region reachable by keyboard, landmarks named once)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from classroom.db import get_db
from classroom.exercises import library

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "classroom-demo"
REPORT_1 = "la-detainers-report-1"
# Whether anything on the page reaches past the window's right edge, or scrolls sideways.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const past = [...document.querySelectorAll('main *')].filter(
    e => e.getBoundingClientRect().right > width + 1 && !e.closest('.sr-only, .cards thead'));
  const scrolls = [...document.querySelectorAll('main *')].filter(e => {
    const style = getComputedStyle(e);
    return /(auto|scroll)/.test(style.overflowX) && e.scrollWidth > e.clientWidth + 1; });
  return { page: document.documentElement.scrollWidth > width,
           past: past.map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40)),
           scrolls: scrolls.map(e => e.tagName + '.' + e.className) };
}"""


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory, make_app, serve, csrf_token) -> Iterator[SimpleNamespace]:
    """The demo (`flask demo`) served on a free port, after Ada submitted report 1 with two
    highlights and the teacher changed her score (so the review has a history)."""
    app = make_app(tmp_path_factory.mktemp("demo"))  # CSRF on, as it runs for real
    done = app.test_cli_runner().invoke(args=["demo", "--force"])
    assert done.exit_code == 0, done.output
    ada, teacher = app.test_client(), app.test_client()
    for client, username in ((ada, "ada"), (teacher, "teacher")):
        token = csrf_token(client.get("/login"))
        form = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
        assert client.post("/login", data=form).status_code == 302
    with app.app_context():
        text = library().exercises[REPORT_1].articles[0].text
        assignment = (
            get_db()
            .execute("select id, class_id from assignments where exercise_id = ?", [REPORT_1])
            .fetchone()
        )
    highlights = [
        {"article": REPORT_1, "category": "loaded_language", "note": "judges"}
        | {"start": (at := text.index(quote)), "end": at + len(quote), "quote": quote}
        for quote in ("slammed", "Federal immigration")
    ]
    token = csrf_token(ada.get("/home"))
    submitted = ada.post(
        f"/assignments/{assignment[0]}/submit",
        data={"highlights": json.dumps(highlights), "csrf_token": token},
    )
    attempt = int(submitted.location.rsplit("/", 1)[1])
    token = csrf_token(teacher.get(f"/teacher/attempts/{attempt}/review"))
    scored = teacher.post(
        f"/teacher/attempts/{attempt}/score",
        data={"score-percent": "55", "score-csrf_token": token, "csrf_token": token},
    )
    assert scored.status_code == 302
    assert "review-history" in teacher.get(f"/teacher/attempts/{attempt}/review").text
    with serve(app) as url:
        yield SimpleNamespace(
            url=url,
            class_page=f"/teacher/classes/{assignment[1]}",
            review=f"/teacher/attempts/{attempt}/review",
            queue=f"/teacher/assignments/{assignment[0]}/review",
            insight=f"/teacher/assignments/{assignment[0]}/insight",
        )


@pytest.fixture
def teacher(make_page, demo_site, log_in) -> Page:
    page = make_page(base_url=demo_site.url)
    log_in(page, "teacher", DEMO_PASSWORD)
    return page


@pytest.mark.parametrize("width", [360, 768])
def test_the_class_page_shows_every_assignments_links_on_a_phone(teacher, demo_site, width):
    teacher.set_viewport_size({"width": width, "height": 740})
    teacher.goto(demo_site.class_page)
    rows = teacher.locator("section[aria-labelledby='assignments'] tbody tr")
    expect(rows).to_have_count(3)
    for row in rows.all():
        for name in ("Review", "Insight", "Attempts CSV", "Settings"):
            link = row.get_by_role("link", name=name, exact=True)
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
        # each value says what it is, as the hidden header did
        labels = row.locator("td").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)"
        )
        assert any(label.startswith('"Due: "') for label in labels), labels
    first = rows.first.locator("td").first.inner_text()
    rows.first.get_by_role("button", name=re.compile("^Move down")).click()  # on the screen too
    expect(rows.nth(1).locator("td").first).to_have_text(first)
    for path in (demo_site.class_page, demo_site.queue, demo_site.review, demo_site.insight):
        teacher.goto(path)
        spill = teacher.evaluate(OVERFLOW)
        assert spill == {"page": False, "past": [], "scrolls": []}, (path, spill)


def test_the_teachers_pages_pass_every_axe_rule_at_each_width(teacher, demo_site, screens):
    axe = Axe()
    for path in (demo_site.class_page, demo_site.queue, demo_site.review, demo_site.insight):
        teacher.goto(path)
        for screen, viewport in screens.items():
            teacher.set_viewport_size(viewport)
            violations = axe.run(teacher).response["violations"]
            found = [(v["id"], [n["target"][0] for n in v["nodes"][:3]]) for v in violations]
            assert found == [], f"{path} on a {screen}"
