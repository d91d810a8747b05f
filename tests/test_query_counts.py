"""SQL statements per page do not grow with the class: no query per student or per assignment.

Two schools are built alike, one with a class of 5 students and one with a class of 50, each
with several assignments holding attempts (some resubmitted), drafts and a teacher's comment.
Every page is requested once in each, counting the statements its connection runs; the counts
must be equal. Nothing here depends on timing.
"""

from __future__ import annotations

import pytest

from classroom.content.snapshot import snapshot
from classroom.db import get_db
from classroom.exercises import library
from classroom.store import attempts, drafts, reviews
from classroom.work import clean_work, grade_work

SIZES = (5, 50)
PAGES = ("student home", "exercise page", "feedback page", "teacher dashboard", "class page")


def build_school(make_class, app, students: int) -> dict[str, int]:
    """A teacher with a class of `students`: every exercise assigned, the first one submitted
    by everyone (twice by every third student, with a comment on some), the second drafted."""
    with app.app_context():
        exercises = [library().exercises[e] for e in sorted(library().exercises)]
    klass = make_class(app, students, assign=[e.id for e in exercises])
    teacher, student_ids = klass["teacher"], klass["students"]
    assignments = list(klass["assignments"].values())
    with app.app_context():
        db = get_db()
        for n, student in enumerate(student_ids):
            first, second = exercises[0], exercises[1]
            work = clean_work(first, {"highlights": key_spans(first, n), "answers": {}})
            for _ in range(2 if n % 3 == 0 else 1):
                attempt = attempts.record_attempt(
                    db, assignments[0], student, snapshot(first), work, grade_work(first, work)
                )
            if n % 4 == 0:
                reviews.set_comment(db, attempt, "Look again at the numbers.", teacher)
            draft = clean_work(second, {"highlights": key_spans(second, n), "answers": {}})
            drafts.save_draft(db, assignments[1], student, second.version, draft)
        first_attempt = db.execute(
            "select max(id) from attempts where student_id = ?", [student_ids[0]]
        ).fetchone()[0]
    return {
        "teacher": teacher,
        "class": klass["class"]["id"],
        "student": student_ids[0],
        "drafted": assignments[1],
        "attempt": first_attempt,
    }


def key_spans(exercise, n: int) -> list[dict]:
    """Some of the exercise's key items as highlights, a different few for each student."""
    items = exercise.key_items
    return [
        {"article": k.article, "start": k.start, "end": k.end, "category": k.category}
        for k in items[n % 3 :: 3]
    ]


def addresses(school: dict[str, int]) -> dict[str, tuple[int, str]]:
    """Each page: who looks at it, and where."""
    return {
        "student home": (school["student"], "/home"),
        "exercise page": (school["student"], f"/assignments/{school['drafted']}"),
        "feedback page": (school["student"], f"/attempts/{school['attempt']}"),
        "teacher dashboard": (school["teacher"], "/teacher/"),
        "class page": (school["teacher"], f"/teacher/classes/{school['class']}"),
    }


@pytest.fixture(scope="module")
def counts(
    tmp_path_factory, make_app, make_class, trace_statements, log_in
) -> dict[int, dict[str, list[str]]]:
    """The statements each page runs, by class size and page."""
    found: dict[int, dict[str, list[str]]] = {}
    with pytest.MonkeyPatch.context() as patch:
        statements = trace_statements(patch)
        for size in SIZES:
            app = make_app(tmp_path_factory.mktemp(f"class-of-{size}"))
            school = build_school(make_class, app, size)
            client = app.test_client()
            found[size] = {}
            for page, (user, url) in addresses(school).items():
                log_in(client, user)
                statements.clear()
                response = client.get(url)
                assert response.status_code == 200, (page, response.status_code)
                found[size][page] = list(statements)
    return found


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_as_many_statements_for_50_students_as_for_5(counts, page):
    small, large = (counts[size][page] for size in SIZES)
    assert len(small) == len(large), "\n".join(large)


@pytest.mark.parametrize("page", PAGES)
def test_page_is_traced(counts, page):
    # the user is read on every page, so an empty list would mean the tracer is not wired in
    assert any("from users" in s for s in counts[SIZES[0]][page])


@pytest.mark.parametrize("request_kind", ["page", "autosave", "submission"])
def test_a_students_request_on_an_assignment_reads_the_user_and_it_in_one_statement(
    app, make_class, log_in, trace_statements, monkeypatch, request_kind
):
    klass = make_class(app, ["ada"], assign=["la-detainers-report-1"])
    assignment = klass["assignments"]["la-detainers-report-1"]
    client = app.test_client()
    log_in(client, klass["students"][0])
    statements = trace_statements(monkeypatch)
    if request_kind == "page":
        response = client.get(f"/assignments/{assignment}")
    elif request_kind == "autosave":
        response = client.put(
            f"/api/assignments/{assignment}/draft", json={"highlights": [], "answers": {}}
        )
    else:
        response = client.post(f"/assignments/{assignment}/submit", data={"highlights": "[]"})
    assert response.status_code in (200, 302)
    reads = [s for s in statements if "from assignments a" in s or "join assignments a" in s]
    assert len(reads) == 1 and "sessions" in reads[0], "\n".join(statements)
