"""Which attempt counts: the teacher's rule per assignment, followed by the gradebook CSV (which
names it), the class page's mean score, and the review pages, which also show the attempts
made after the student saw the answers."""

from __future__ import annotations

import csv
import io
import re

import pytest

from classroom import csvfile
from classroom.content.snapshot import snapshot
from classroom.db import get_db
from classroom.exercises import library
from classroom.store import attempts, practice, reviews
from classroom.work import clean_work, grade_work

REPORT_1 = "la-detainers-report-1"
# Ada's four attempts at report 1, in order: she sees the answers after the second.
SCORES = (0.2, 0.6, 0.9, 0.5)
COUNTED = {"first": 0.2, "best": 0.9, "latest": 0.5, "best_before_answers": 0.6}


@pytest.fixture
def ada(app, school):
    """Ada's four attempts (ids in order) at report 1, the answers seen after the second."""
    aid, student = school["assignments"][REPORT_1], school["students"][0]
    with app.app_context():
        exercise = library().exercises[REPORT_1]
        db = get_db()
        work = clean_work(exercise, {"highlights": [], "answers": {}})
        ids = []
        for n, score in enumerate(SCORES):
            if n == 2:
                practice.record_answers_seen(db, aid, student, "asked")
            result = grade_work(exercise, work) | {"score": score}  # as if graded so
            ids.append(attempts.record_attempt(db, aid, student, snapshot(exercise), work, result))
    return ids


def set_counting(app, school, counting: str) -> None:
    with app.app_context():
        practice.set_practice(get_db(), school["assignments"][REPORT_1], None, counting)


def gradebook(client, school) -> list[list[str]]:
    response = client.get(f"/teacher/classes/{school['class']['id']}/gradebook.csv")
    assert response.status_code == 200
    text = response.get_data(as_text=True).removeprefix(csvfile.BOM)
    return list(csv.reader(io.StringIO(text, newline="")))


def title(app) -> str:
    with app.app_context():
        return library().exercises[REPORT_1].title


@pytest.mark.parametrize("counting", COUNTED)
def test_the_gradebook_counts_the_attempt_the_rule_names_and_says_which(
    app, school, ada, client_of, counting
):
    set_counting(app, school, counting)
    rows = gradebook(client_of(app, school["teacher"]), school)
    heading = {
        "first": f"{title(app)} (first counts)",
        "best": f"{title(app)} (best counts)",
        "best_before_answers": f"{title(app)} (best before seeing the answers counts)",
        "latest": title(app),  # as gradebooks always headed it
    }[counting]
    column = rows[0].index(heading)
    assert rows[1][:2] == ["Ada", "ada"]
    assert rows[1][column] == f"{COUNTED[counting] * 100:g}"
    assert rows[2][column] == ""  # Ben has not submitted


def test_the_teachers_score_is_what_the_rule_compares(app, school, ada, client_of):
    set_counting(app, school, "best")
    with app.app_context():
        reviews.set_score(get_db(), ada[0], 1.0, school["teacher"])  # the first, rescored
    rows = gradebook(client_of(app, school["teacher"]), school)
    assert rows[1][rows[0].index(f"{title(app)} (best counts)")] == "100"


def test_when_every_attempt_came_after_the_answers_the_first_counts(app, school, client_of):
    aid, ben = school["assignments"][REPORT_1], school["students"][1]
    with app.app_context():
        db = get_db()
        practice.record_answers_seen(db, aid, ben, "asked")
        for score in (0.3, 0.8):
            attempts.record_attempt(
                db,
                aid,
                ben,
                {"id": REPORT_1, "version": "v", "title": "t"},
                {"highlights": [], "answers": {}},
                {"score": score, "tasks": {}},
            )
    set_counting(app, school, "best_before_answers")
    rows = gradebook(client_of(app, school["teacher"]), school)
    column = rows[0].index(f"{title(app)} (best before seeing the answers counts)")
    assert rows[2][:2] == ["Ben", "ben"] and rows[2][column] == "30"


def test_the_gradebook_runs_one_query_of_cells_whatever_the_rule(
    app, school, ada, client_of, monkeypatch, trace_statements
):
    teacher = client_of(app, school["teacher"])
    counts = set()
    statements = trace_statements(monkeypatch)
    for counting in COUNTED:
        set_counting(app, school, counting)
        statements.clear()
        gradebook(teacher, school)
        assert sum("attempt_scores" in s for s in statements) == 1
        counts.add(len(statements))
    assert len(counts) == 1


def test_the_class_pages_mean_score_follows_the_rule(app, school, ada, client_of):
    teacher = client_of(app, school["teacher"])
    for counting, shown in (("latest", "50%"), ("best", "90%"), ("first", "20%")):
        set_counting(app, school, counting)
        page = teacher.get(f"/teacher/classes/{school['class']['id']}").get_data(as_text=True)
        row = re.search(r"<td>Ada</td>.*?</tr>", page, re.S).group(0)
        assert shown in row, counting


def test_the_attempts_csv_marks_those_after_the_answers(app, school, ada, client_of):
    teacher = client_of(app, school["teacher"])
    response = teacher.get(f"/teacher/assignments/{school['assignments'][REPORT_1]}/attempts.csv")
    text = response.get_data(as_text=True).removeprefix(csvfile.BOM)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    marked = {int(r["attempt_id"]): r["after_answers"] for r in rows}
    assert marked == dict(zip(ada, ["no", "no", "yes", "yes"], strict=True))


def test_the_review_pages_show_the_attempts_after_the_answers_and_the_one_that_counts(
    app, school, ada, client_of
):
    set_counting(app, school, "best_before_answers")
    teacher = client_of(app, school["teacher"])
    after = teacher.get(f"/teacher/attempts/{ada[2]}/review").get_data(as_text=True)
    assert "Made <strong>after seeing the answers</strong>: Ada saw them" in after
    assert "(asked for them)" in after
    assert "best before seeing the answers counts" in after
    listed = re.search(r"All attempts of Ada</h2>(.*?)</ul>", after, re.S).group(1)
    assert listed.count("after seeing the answers") == 2 and listed.count(">counts<") == 1
    before = teacher.get(f"/teacher/attempts/{ada[1]}/review").get_data(as_text=True)
    assert "This attempt counts in the gradebook." in before
    assert "Ada saw the answers" in before and "after this attempt" in before
    queue = teacher.get(f"/teacher/assignments/{school['assignments'][REPORT_1]}/review")
    row = re.search(r"<td>Ada</td>.*?</tr>", queue.get_data(as_text=True), re.S).group(0)
    assert re.search(r"<td[^>]*>\d+ \w+ \d{4}, \d\d:\d\d UTC</td>", row)  # when she saw them
    page = teacher.get(f"/teacher/classes/{school['class']['id']}").get_data(as_text=True)
    assignment = re.search(r"report 1.*?</tr>", page, re.S | re.I).group(0)
    assert "answers at once · no attempt limit · best before seeing the answers counts" in (
        assignment
    )
