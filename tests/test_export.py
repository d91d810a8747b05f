"""CSV exports: the class gradebook and the per-attempt export, streamed, safe in spreadsheets."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest

from classroom import csvfile
from classroom.db import get_db
from classroom.exercises import library
from classroom.store import accounts, attempts, classes, gradebook, roster

REPORT_1 = "la-detainers-report-1"
REPORT_2 = "la-detainers-report-2"
PAYLOADS = ["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=x", "\r=x"]
# Formulas behind what a spreadsheet may skip or fold: a space, a newline, a no-break space, a
# zero-width space, a byte-order mark, an ideographic space, or a fullwidth sign.
HIDDEN_PAYLOADS = [
    " =1+1",
    "\n=1+1",
    "\u00a0=1+1",
    "\u200b=1+1",
    "\ufeff=1+1",
    "\u3000@cmd",
    "\uff1d1+1",  # ＝
    "\uff0bSUM(A1)",  # ＋
    "\uff0d2",  # －
    "\uff20cmd",  # ＠
    " \u200b\u00a0\t\uff1dx",
]


@pytest.fixture
def teacher(client, auth, school):
    """The client, logged in as the teacher of Period 1."""
    auth.login("teacher")
    return client


def gradebook_url(school):
    return f"/teacher/classes/{school['class']['id']}/gradebook.csv"


def attempts_url(school, exercise_id=REPORT_1):
    return f"/teacher/assignments/{school['assignments'][exercise_id]}/attempts.csv"


def exercise(app, exercise_id=REPORT_1):
    with app.app_context():
        return library().exercises[exercise_id]


def submit_as(client, auth, username, assignment_id, highlights=(), choice=(), answer=""):
    """Submit an attempt as this student, as the exercise form does; returns its id."""
    auth.logout()
    auth.login(username)
    form = {"highlights": json.dumps(list(highlights)), "answer-reflect": answer}
    form["choice-quiz"] = [str(c) for c in choice]
    response = client.post(f"/assignments/{assignment_id}/submit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    return int(response.location.rsplit("/", 1)[1])


def attempt(app, attempt_id):
    with app.app_context():
        return attempts.get_attempt(get_db(), attempt_id)


def read_csv(response) -> list[list[str]]:
    """The rows of a downloaded CSV, after checking and stripping its byte-order mark."""
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.get_data(as_text=True).removeprefix(csvfile.BOM)
    return list(csv.reader(io.StringIO(text, newline="")))


def as_percent(cell: str, score: float) -> bool:
    """Whether a cell holds this stored score as a percentage to one decimal."""
    return bool(cell) and float(cell) == pytest.approx(score * 100, abs=0.05)


def set_display_name(app, user_id, name):
    with app.app_context():
        get_db()["users"].update(user_id, {"display_name": name})


# --- the domain, without the app -------------------------------------------------------------


@pytest.mark.parametrize("payload", [*PAYLOADS, "\r\n=x"])
def test_formula_starts_get_an_apostrophe(payload):
    assert csvfile.neutralise(payload) == "'" + payload


@pytest.mark.parametrize("payload", HIDDEN_PAYLOADS, ids=ascii)
def test_formulas_behind_spaces_invisible_marks_or_fullwidth_signs_get_an_apostrophe(payload):
    assert csvfile.neutralise(payload) == "'" + payload


@pytest.mark.parametrize(
    "cell, shown",
    [
        ("Ada", "Ada"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (12, "12"),
        ("'quoted", "'quoted"),
        (" Ada", " Ada"),
        ("\u00a0\u200bAda", "\u00a0\u200bAda"),
        ("\uff21da", "\uff21da"),  # a fullwidth letter is no formula
        (" \u200b", " \u200b"),
    ],
    ids=ascii,
)
def test_harmless_cells_are_kept_as_they_are(cell, shown):
    assert csvfile.neutralise(cell) == shown


@pytest.mark.parametrize(
    "score, shown", [(None, ""), (0.0, "0"), (1.0, "100"), (0.735, "73.5"), (2 / 3, "66.7")]
)
def test_scores_are_percentages_without_a_sign(score, shown):
    assert gradebook.percent(score) == shown


@pytest.mark.parametrize(
    "stored, shown",
    [('"My answer"', "My answer"), ("[0]", "1"), ("[0,2]", "1; 3"), ("[]", ""), ('""', "")],
)
def test_answers_read_as_text_or_options_counted_from_one(stored, shown):
    assert gradebook.answer_text(stored) == shown


@pytest.mark.parametrize(
    "parts, name",
    [
        (("Period 1", "gradebook"), "period-1-gradebook-2026-05-01.csv"),
        (("Période 1 / Média", "gradebook"), "periode-1-media-gradebook-2026-05-01.csv"),
        (('"; rm -rf /', "../../etc"), "rm-rf-etc-2026-05-01.csv"),
        (("日本語", "attempts"), "export-attempts-2026-05-01.csv"),
    ],
)
def test_download_names_are_safe_slugs_with_the_date(parts, name):
    assert csvfile.download_name(*parts, day=date(2026, 5, 1)) == name


def test_lines_come_one_record_at_a_time_through_the_generator():
    lines = csvfile.csv_lines([["a", "b"], ["x,y", 'say "hi"'], ["line\nbreak", None]])
    assert next(lines) == csvfile.BOM + "a,b\r\n"
    assert next(lines) == '"x,y","say ""hi"""\r\n'
    assert next(lines) == '"line\nbreak",\r\n'
    assert next(lines, None) is None


# --- the class gradebook -----------------------------------------------------------------------


def test_gradebook_has_a_row_per_student_and_a_column_per_assignment(
    teacher, client, auth, app, school, highlight
):
    ex = exercise(app)
    first = submit_as(
        client,
        auth,
        "ada",
        school["assignments"][REPORT_1],
        [highlight(ex, "slammed", "loaded_language")],
    )
    latest = submit_as(client, auth, "ada", school["assignments"][REPORT_1])
    empty = submit_as(client, auth, "ada", school["assignments"][REPORT_2])
    auth.login("teacher")
    rows = read_csv(client.get(gradebook_url(school)))
    titles = [
        exercise(app, e).title for e in sorted(school["assignments"], key=school["assignments"].get)
    ]
    assert rows[0] == ["Student", "Username", *titles]
    assert [row[:2] for row in rows[1:]] == [["Ada", "ada"], ["Ben", "ben"]]  # by display name
    ada = dict(zip(titles, rows[1][2:], strict=True))
    assert attempt(app, first)["score"] > attempt(app, latest)["score"]
    assert as_percent(ada[exercise(app).title], attempt(app, latest)["score"])  # latest counts
    assert ada[exercise(app, REPORT_2).title] == "0" and attempt(app, empty)["score"] == 0
    assert ada[exercise(app, "la-detainers-compare").title] == ""  # not submitted
    assert rows[2][2:] == ["", "", ""]  # Ben has submitted nothing


def test_gradebook_shows_the_teachers_score_over_the_automatic_one(
    teacher, client, auth, app, school, highlight
):
    ex = exercise(app)
    attempt_id = submit_as(
        client,
        auth,
        "ada",
        school["assignments"][REPORT_1],
        [highlight(ex, "slammed", "loaded_language")],
    )
    with app.app_context():
        get_db()["review_events"].insert(
            {
                "attempt_id": attempt_id,
                "teacher_id": school["teacher"],
                "kind": "score",
                "at": "2026-01-01T00:00:00+00:00",
                "old": "",
                "new": "",
                "score_after": 0.5,
            }
        )
    auth.login("teacher")
    book = read_csv(client.get(gradebook_url(school)))
    assert book[1][book[0].index(ex.title)] == "50"
    rows = rows_by_column(read_csv(client.get(attempts_url(school))))
    auto_score = attempt(app, attempt_id)["auto_score"]
    assert auto_score != 0.5 and all(as_percent(r["auto_score"], auto_score) for r in rows)
    assert {r["score"] for r in rows} == {"50"}


def test_gradebook_leaves_out_removed_students_and_other_classes(
    teacher, client, auth, app, school
):
    submit_as(client, auth, "ben", school["assignments"][REPORT_1])
    with app.app_context():
        roster.remove_student(get_db(), school["class"]["id"], school["students"][1])
    auth.login("teacher")
    rows = read_csv(client.get(gradebook_url(school)))
    assert [row[:2] for row in rows[1:]] == [["Ada", "ada"]]
    assert read_csv(client.get(attempts_url(school))) == [list(gradebook.ATTEMPT_COLUMNS)]


def test_gradebook_of_a_class_without_assignments_lists_its_students(teacher, app, school):
    with app.app_context():
        db = get_db()
        klass = classes.create_class(db, school["teacher"], "Empty room")
        accounts.enrol(db, klass["id"], school["students"][0])
    rows = read_csv(teacher.get(f"/teacher/classes/{klass['id']}/gradebook.csv"))
    assert rows == [["Student", "Username"], ["Ada", "ada"]]


def test_gradebook_queries_do_not_grow_with_the_class(
    client, auth, app, school, monkeypatch, trace_statements, enrol_students
):
    statements = trace_statements(monkeypatch)  # the stream opens its own connection too
    with app.app_context():
        db = get_db()
        klass = classes.create_class(db, school["teacher"], "Big class")
        for exercise_id in sorted(school["assignments"]):
            classes.assign(db, klass["id"], exercise_id)
    auth.login("teacher")
    counts = {}
    for size in (5, 50):
        add_students(enrol_students, app, klass["id"], size)
        statements.clear()
        rows = read_csv(client.get(f"/teacher/classes/{klass['id']}/gradebook.csv"))
        assert len(rows) == size + 1 and len(rows[0]) == 2 + len(school["assignments"])
        assert sum("attempt_scores" in s for s in statements) == 1  # the gradebook ran, once
        counts[size] = len(statements)
    assert counts[5] == counts[50]


def add_students(enrol_students, app, class_id, up_to):
    """Enrol students until the class has up_to, half of them with an attempt at each task."""
    with app.app_context():
        have = get_db().execute("select count(*) from enrolments where class_id = ?", [class_id])
        have = have.fetchone()[0]
    new = enrol_students(app, class_id, [f"pupil{class_id}-{n}" for n in range(have, up_to)])
    with app.app_context():
        db = get_db()
        assignments = [
            r["id"] for r in db.query("select id from assignments where class_id = ?", [class_id])
        ]
        for n, user in enumerate(new, start=have):
            for assignment_id in assignments if n % 2 else ():
                db["attempts"].insert(
                    {
                        "assignment_id": assignment_id,
                        "student_id": user,
                        "exercise_id": "x",
                        "version": "v",
                        "score": 0.5,
                        "result": "{}",
                        "submitted_at": "2026-01-02",
                    }
                )


# --- every attempt at an assignment --------------------------------------------------------------


def rows_by_column(rows: list[list[str]]) -> list[dict[str, str]]:
    assert rows[0] == list(gradebook.ATTEMPT_COLUMNS)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def expected_rows(app, attempt_id, student, late, answers):
    """The rows one attempt should export, from the attempt as the app stored it."""
    stored = attempt(app, attempt_id)
    common = {
        "attempt_id": str(attempt_id),
        "student": student.title(),
        "username": student,
        "submitted_at": stored["submitted_at"],
        "late": late,
        "version": stored["version"],
        "after_answers": "yes" if stored["after_answers"] else "no",
    }
    no_highlight = dict.fromkeys(("article", "start", "end", "quote", "category", "note"), "")
    highlights = [
        {
            "row_type": "highlight",
            **common,
            "article": h["article"],
            "start": str(h["start"]),
            "end": str(h["end"]),
            "quote": h["quote"],
            "category": h["category"],
            "note": h["note"],
            "task": "",
            "answer": "",
        }
        for h in stored["highlights"]
    ]
    return highlights + [
        {"row_type": "answer", **common, **no_highlight, "task": task, "answer": answer}
        for task, answer in answers
    ]


def without_scores(row):
    return {k: v for k, v in row.items() if k not in ("auto_score", "score")}


def test_attempts_export_has_a_row_per_highlight_and_answer(
    teacher, client, auth, app, school, highlight
):
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    with app.app_context():  # due in the past: every submission is late
        roster.update_assignment(get_db(), aid, "2020-01-01T00:00:00+00:00", "submit")
    right = next(i for i, o in enumerate(ex.task("quiz").options) if o.correct)
    marks = [
        highlight(ex, "slammed", "loaded_language", note="for said"),
        highlight(ex, "so-called", "missing_context", note="a label, not a term, in quotes"),
    ]
    by_ben = submit_as(client, auth, "ben", aid, answer="")
    first = submit_as(client, auth, "ada", aid, marks, [right], 'Where does, "25,000"\ncome from?')
    second = submit_as(client, auth, "ada", aid)
    auth.login("teacher")
    rows = rows_by_column(read_csv(client.get(attempts_url(school))))
    expected = (
        expected_rows(
            app,
            first,
            "ada",
            "yes",
            [("quiz", str(right + 1)), ("reflect", 'Where does, "25,000"\ncome from?')],
        )
        + expected_rows(app, second, "ada", "yes", [("quiz", ""), ("reflect", "")])
        + expected_rows(app, by_ben, "ben", "yes", [("quiz", ""), ("reflect", "")])
    )
    assert [without_scores(r) for r in rows] == expected
    assert {
        (r["quote"], r["category"], r["note"]) for r in rows if r["row_type"] == "highlight"
    } == {(m["quote"], m["category"], m["note"]) for m in marks}
    for row in rows:
        stored = attempt(app, int(row["attempt_id"]))
        assert as_percent(row["auto_score"], stored["auto_score"])
        assert as_percent(row["score"], stored["score"])


def test_attempts_on_time_are_not_late(teacher, client, auth, app, school):
    submit_as(client, auth, "ada", school["assignments"][REPORT_1])
    auth.login("teacher")
    rows = rows_by_column(read_csv(client.get(attempts_url(school))))
    assert {r["late"] for r in rows} == {"no"}


def test_an_attempt_with_no_highlight_or_answer_still_gets_a_row(teacher, app, school):
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    snapshot = {"id": ex.id, "version": ex.version, "title": ex.title}
    with app.app_context():
        attempt_id = attempts.record_attempt(
            get_db(),
            aid,
            school["students"][0],
            snapshot,
            {"highlights": [], "answers": {}},
            {"score": 0.0, "tasks": {}},
        )
    rows = rows_by_column(read_csv(teacher.get(attempts_url(school))))
    assert [(r["row_type"], r["attempt_id"], r["score"], r["quote"], r["task"]) for r in rows] == [
        ("attempt", str(attempt_id), "0", "", "")
    ]


# --- spreadsheet safety -----------------------------------------------------------------------


@pytest.mark.parametrize("payload", [*PAYLOADS, *HIDDEN_PAYLOADS], ids=ascii)
def test_formulas_in_names_and_notes_are_neutralised(
    teacher, client, auth, app, school, payload, highlight
):
    ex = exercise(app)
    set_display_name(app, school["students"][0], payload)
    attempt_id = submit_as(
        client,
        auth,
        "ada",
        school["assignments"][REPORT_1],
        [highlight(ex, "slammed", "loaded_language", note=payload)],
    )
    note = attempt(app, attempt_id)["highlights"][0]["note"]  # notes are stored stripped
    auth.login("teacher")
    book = read_csv(client.get(gradebook_url(school)))
    assert ["'" + payload, "ada"] in [row[:2] for row in book]
    rows = rows_by_column(read_csv(client.get(attempts_url(school))))
    assert {r["student"] for r in rows} == {"'" + payload}
    assert [r["note"] for r in rows if r["row_type"] == "highlight"] == ["'" + note]
    for row in book + [list(r.values()) for r in rows]:
        assert not any(cell.startswith(csvfile.FORMULA_STARTS) for cell in row)


def test_names_outside_ascii_survive_the_round_trip(teacher, app, school, client, auth):
    set_display_name(app, school["students"][0], "Zoë Ørsted 李")
    submit_as(client, auth, "ada", school["assignments"][REPORT_1])
    auth.login("teacher")
    book = read_csv(client.get(gradebook_url(school)))
    assert [row[:2] for row in book[1:]] == [["Ben", "ben"], ["Zoë Ørsted 李", "ada"]]
    rows = rows_by_column(read_csv(client.get(attempts_url(school))))
    assert {r["student"] for r in rows} == {"Zoë Ørsted 李"}


# --- responses and access ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, name",
    [
        (gradebook_url, r"period-1-gradebook"),
        (attempts_url, r"period-1-los-angeles-jails-and-ice-requests-report-1-attempts"),
    ],
)
def test_downloads_are_streamed_csv_attachments(teacher, school, url, name):
    response = teacher.get(url(school))
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        rf"attachment; filename={name}-\d{{4}}-\d\d-\d\d\.csv",
        response.headers["Content-Disposition"],
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.data.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("url", [gradebook_url, attempts_url])
@pytest.mark.parametrize("read_to_the_end", [True, False])
def test_a_download_leaves_nothing_open(
    teacher, auth, app, school, url, read_to_the_end, enrol_students, elsewhere
):
    """Read to the end or dropped after a few lines, a download leaves no transaction open on
    the connection the next request is lent: that request sees what was written since."""
    add_students(enrol_students, app, school["class"]["id"], 40)
    response = teacher.get(url(school), buffered=False)
    lines = iter(response.response)
    first = [next(lines) for _ in range(3)]
    if read_to_the_end:
        assert len(b"".join([*first, *lines]).splitlines()) > 10
    response.close()
    with elsewhere(app) as db:
        db.execute(
            "update users set display_name = 'Renamed Pupil' where username = ?", ["pupil1-39"]
        )
    assert "Renamed Pupil" in teacher.get(url(school)).get_data(as_text=True)


@pytest.mark.parametrize("url", [gradebook_url, attempts_url])
def test_another_teachers_class_is_not_found(client, auth, school, url):
    auth.login("other")
    assert client.get(url(school)).status_code == 404


def test_my_routes_do_not_reach_the_other_teachers_class(teacher, school):
    their_class = f"/teacher/classes/{school['other_class']['id']}/gradebook.csv"
    their_assignment = f"/teacher/assignments/{school['other_assignment']}/attempts.csv"
    assert teacher.get(their_class).status_code == 404
    assert teacher.get(their_assignment).status_code == 404
    assert teacher.get("/teacher/classes/9999/gradebook.csv").status_code == 404


@pytest.mark.parametrize("url", [gradebook_url, attempts_url])
def test_students_are_forbidden_and_visitors_sent_to_log_in(client, auth, school, url):
    assert client.get(url(school)).status_code == 302
    auth.login("ada")
    assert client.get(url(school)).status_code == 403
