"""Guided practice in the store: the migration keeps what existing assignments meant, seeing the
answers is appended once, attempts after it are marked, and the attempt limit holds."""

from __future__ import annotations

import threading

import pytest

from classroom.content.snapshot import snapshot
from classroom.db import get_db
from classroom.exercises import library
from classroom.store import attempts, practice
from classroom.store.connection import connect
from classroom.store.migrations import migrations
from classroom.work import clean_work, grade_work

REPORT_1 = "la-detainers-report-1"


def test_the_migration_keeps_what_existing_assignments_meant(tmp_path):
    db = connect(str(tmp_path / "old.sqlite"))
    migrations.apply(db, stop_before="m010_guided_practice")
    db["users"].insert_all(
        [
            {"id": 1, "username": "t", "display_name": "T", "password_hash": "x", "role": "teacher"}
            | {"created_at": "2026-01-01"},
            {"id": 2, "username": "s", "display_name": "S", "password_hash": "x", "role": "student"}
            | {"created_at": "2026-01-01"},
        ]
    )
    db["classes"].insert(
        {"id": 1, "name": "P1", "teacher_id": 1, "join_code": "ABCDEF", "created_at": "2026"}
    )
    for n, feedback in enumerate(("submit", "due"), start=1):
        db["assignments"].insert(
            {"id": n, "class_id": 1, "exercise_id": f"e{n}", "created_at": "2026"}
            | {"feedback_after": feedback, "due_at": "2030-01-01T00:00:00+00:00"}
        )
    db["attempts"].insert(
        {"id": 1, "assignment_id": 1, "student_id": 2, "exercise_id": "e1", "version": "v"}
        | {"score": 0.4, "result": "{}", "submitted_at": "2026-01-02"}
    )
    migrations.apply(db)
    rows = list(db.query("select feedback_after, attempts_allowed, counting from assignments"))
    assert rows == [
        {"feedback_after": "submit", "attempts_allowed": None, "counting": "latest"},
        {"feedback_after": "due", "attempts_allowed": None, "counting": "latest"},
    ]
    scores = list(db.query("select attempt_id, score, reviewed, after_answers from attempt_scores"))
    assert scores == [{"attempt_id": 1, "score": 0.4, "reviewed": 0, "after_answers": 0}]
    assert db["answers_seen"].count == 0


@pytest.fixture
def ada(app, school):
    """Ada's id and her assignment at report 1, with the exercise and a way to submit."""
    with app.app_context():
        exercise = library().exercises[REPORT_1]

    def submit(key: str | None = None) -> int:
        work = clean_work(exercise, {"highlights": [], "answers": {}})
        with app.app_context():
            return attempts.record_attempt(
                get_db(),
                school["assignments"][REPORT_1],
                school["students"][0],
                snapshot(exercise),
                work,
                grade_work(exercise, work),
                key=key,
            )

    return school["students"][0], school["assignments"][REPORT_1], submit


def seen_rows(app) -> list[dict]:
    with app.app_context():
        return list(get_db().query("select assignment_id, student_id, reason from answers_seen"))


def test_seeing_the_answers_is_appended_once_and_kept(app, ada):
    student, assignment, _ = ada
    with app.app_context():
        db = get_db()
        assert practice.answers_seen(db, assignment, student) is None
        assert practice.record_answers_seen(db, assignment, student, "asked") is True
        assert practice.record_answers_seen(db, assignment, student, "shown") is False
        seen = practice.answers_seen(db, assignment, student)
    assert seen["reason"] == "asked" and seen["at"]
    row = {"assignment_id": assignment, "student_id": student, "reason": "asked"}
    assert seen_rows(app) == [row]


def test_an_unknown_reason_or_rule_is_refused(app, ada):
    student, assignment, _ = ada
    with app.app_context(), pytest.raises(ValueError):
        practice.record_answers_seen(get_db(), assignment, student, "peeked")
    with app.app_context(), pytest.raises(ValueError):
        practice.set_practice(get_db(), assignment, 3, "average")


def test_attempts_after_seeing_the_answers_are_marked(app, ada):
    student, assignment, submit = ada
    before = submit()
    with app.app_context():
        practice.record_answers_seen(get_db(), assignment, student, "asked")
    after = submit()
    with app.app_context():
        db = get_db()
        listed = attempts.attempts_for(db, assignment, student)
        shown = attempts.get_attempt(db, after)
    assert [(a["id"], a["after_answers"]) for a in listed] == [(after, 1), (before, 0)]
    assert shown["after_answers"] == 1 and shown["attempts"] == 2 and shown["answers_seen"]


def test_the_limit_refuses_the_attempt_past_it_but_not_a_repeat_of_the_last(app, ada):
    student, assignment, submit = ada
    with app.app_context():
        practice.set_practice(get_db(), assignment, 2, "best")
    submit()
    last = submit(key="k")
    assert submit(key="k") == last  # the same submission sent again is still that attempt
    with pytest.raises(attempts.AttemptsUsedUp) as refused:
        submit(key="other")
    assert refused.value.allowed == 2
    with app.app_context():
        assert len(attempts.attempts_for(get_db(), assignment, student)) == 2
        practice.set_practice(get_db(), assignment, None, "best")  # the teacher lifts it
    submit()


def test_submissions_sent_at_once_cannot_pass_the_limit(app, ada):
    student, assignment, submit = ada
    with app.app_context():
        practice.set_practice(get_db(), assignment, 3, "best")
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def send(n: int) -> None:
        start.wait()
        try:
            submit(key=f"page-{n}")
            outcomes.append("recorded")
        except attempts.AttemptsUsedUp:
            outcomes.append("refused")

    threads = [threading.Thread(target=send, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["recorded"] * 3 + ["refused"] * 5
    with app.app_context():
        assert len(attempts.attempts_for(get_db(), assignment, student)) == 3
