"""The order of a class's assignments: the teacher chooses it, and students, the class page and
the gradebook follow it; a database from before keeps the order the work was assigned in."""

from __future__ import annotations

import csv
import io
import re

import pytest

from classroom.db import get_db
from classroom.exercises import library
from classroom.store import classes
from classroom.store.connection import connect
from classroom.store.migrations import migrations

COMPARE = "la-detainers-compare"
REPORT_1 = "la-detainers-report-1"
REPORT_2 = "la-detainers-report-2"


@pytest.fixture
def titles(app):
    """titles(*exercise ids): their titles, as the pages show them."""

    def titles(*ids: str) -> list[str]:
        with app.app_context():
            return [library().exercises[i].title for i in ids]

    return titles


def class_page_order(client, school) -> list[str]:
    page = client.get(f"/teacher/classes/{school['class']['id']}").get_data(as_text=True)
    table = page[page.index('aria-labelledby="assignments"') : page.index('id="roster"')]
    return re.findall(r"<tr>\s*<td[^>]*>(?:<span[^>]*>[^<]*</span>)?\s*([^<]+?)\s*<", table)


def student_order(client_of, app, student_id) -> list[str]:
    page = client_of(app, student_id).get("/home").get_data(as_text=True)
    return re.findall(r'<h2><a href="/assignments/\d+">([^<]+)</a></h2>', page)


def move(client, assignment_id: int, direction: str):
    return client.post(f"/teacher/assignments/{assignment_id}/move/{direction}")


def test_the_teacher_moves_an_assignment_and_students_see_the_same_order(
    app, school, client_of, titles
):
    teacher = client_of(app, school["teacher"])
    assigned = titles(COMPARE, REPORT_1, REPORT_2)  # the order they were assigned in
    assert class_page_order(teacher, school) == assigned
    assert student_order(client_of, app, school["students"][0]) == assigned

    compare = school["assignments"][COMPARE]
    moved = move(teacher, compare, "down")
    assert moved.status_code == 302
    assert "moved down" in teacher.get(moved.location).get_data(as_text=True)
    move(teacher, compare, "down")
    wanted = titles(REPORT_1, REPORT_2, COMPARE)
    assert class_page_order(teacher, school) == wanted
    for student in school["students"]:
        assert student_order(client_of, app, student) == wanted

    move(teacher, school["assignments"][REPORT_2], "up")
    assert class_page_order(teacher, school) == titles(REPORT_2, REPORT_1, COMPARE)


def test_the_first_cannot_move_up_nor_the_last_down(app, school, client_of, titles):
    teacher = client_of(app, school["teacher"])
    first, last = school["assignments"][COMPARE], school["assignments"][REPORT_2]
    for assignment, direction in ((first, "up"), (last, "down")):
        done = move(teacher, assignment, direction)
        assert done.status_code == 302
        assert "moved" not in teacher.get(done.location).get_data(as_text=True)
    assert class_page_order(teacher, school) == titles(COMPARE, REPORT_1, REPORT_2)
    page = teacher.get(f"/teacher/classes/{school['class']['id']}").get_data(as_text=True)
    assert f"/teacher/assignments/{first}/move/up" not in page
    assert f"/teacher/assignments/{first}/move/down" in page
    assert f"/teacher/assignments/{last}/move/down" not in page


def test_a_new_assignment_goes_last(app, school, client_of, titles):
    teacher = client_of(app, school["teacher"])
    move(teacher, school["assignments"][COMPARE], "down")
    with app.app_context():
        db = get_db()
        db.execute("delete from assignments where id = ?", [school["assignments"][REPORT_1]])
    teacher.post(
        f"/teacher/classes/{school['class']['id']}/assignments",
        data={"assign-exercise_id": REPORT_1, "assign-feedback_after": "submit"},
    )
    assert class_page_order(teacher, school) == titles(COMPARE, REPORT_2, REPORT_1)


def test_the_gradebook_has_its_columns_in_the_teachers_order(app, school, client_of, titles):
    teacher = client_of(app, school["teacher"])
    move(teacher, school["assignments"][REPORT_2], "up")
    move(teacher, school["assignments"][REPORT_2], "up")
    response = teacher.get(f"/teacher/classes/{school['class']['id']}/gradebook.csv")
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
    columns = [c for c in header if any(t in c for t in titles(COMPARE, REPORT_1, REPORT_2))]
    wanted = titles(REPORT_2, COMPARE, REPORT_1)
    assert [next(t for t in wanted if t in c) for c in columns] == wanted


def test_another_teacher_cannot_reorder_my_class(app, school, client_of, titles):
    other = client_of(app, school["other_teacher"])
    assert move(other, school["assignments"][COMPARE], "down").status_code == 404
    teacher = client_of(app, school["teacher"])
    assert class_page_order(teacher, school) == titles(COMPARE, REPORT_1, REPORT_2)


def test_a_database_from_before_keeps_the_order_work_was_assigned_in(tmp_path):
    db = connect(str(tmp_path / "old.sqlite"))
    migrations.apply(db, stop_before="m011_assignment_positions")
    db["users"].insert(
        {"username": "t", "display_name": "T", "password_hash": "-", "role": "teacher"}
        | {"created_at": "2026-01-01T00:00:00+00:00"}
    )
    first = classes.create_class(db, 1, "First")["id"]
    second = classes.create_class(db, 1, "Second")["id"]
    rows = [  # (class, exercise, assigned at): ids do not follow the dates
        (first, REPORT_2, "2026-02-03"),
        (second, REPORT_1, "2026-02-01"),
        (first, COMPARE, "2026-02-02"),
        (first, REPORT_1, "2026-02-02"),
    ]
    for class_id, exercise_id, day in rows:
        db["assignments"].insert(
            {"class_id": class_id, "exercise_id": exercise_id, "created_at": day + "T09:00"}
        )
    migrations.apply(db)
    placed = {
        (r["class_id"], r["exercise_id"]): r["position"]
        for r in db.query("select class_id, exercise_id, position from assignments")
    }
    assert placed == {
        (first, COMPARE): 1,
        (first, REPORT_1): 2,
        (first, REPORT_2): 3,
        (second, REPORT_1): 1,
    }
    assert classes.assign(db, second, COMPARE) and db.execute(
        "select position from assignments where class_id = ? and exercise_id = ?",
        [second, COMPARE],
    ).fetchone() == (2,)
    db.close()
