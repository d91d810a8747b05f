"""The requests the benchmark sends, made from the school it built: each student's page,
autosave and submission on the assignment their class works on, each teacher's review queue
and insight page, and the lines of the cost table (with the floors that explain them).

Every request carries the session cookie of its user, signed by the app's own session
interface (load.signer), and for writes that user's CSRF token, exactly as after a login.
"""

from __future__ import annotations

import dataclasses
import json
import random
import sqlite3
import urllib.parse
from dataclasses import dataclass

import school
from loadgen import OK, Expect, Request
from mix import SUBMITTED, Student, Teacher

from classroom.content.tasks.choice import ChoiceTask
from classroom.content.tasks.short_answer import ShortAnswerTask

COST_SAMPLE = 2000  # students whose requests the cost lines cycle through


@dataclass
class Line:
    """One line of the cost table: requests to send in turn, each with its right answer."""

    key: str
    label: str
    shown: str  # the address as the table shows it
    items: list[tuple[Request, Expect]]
    writes: bool = False  # what it writes is removed before the next measurement
    floor: bool = False  # a diagnostic line, not a request the app's users make


@dataclass
class Traffic:
    """Everything the scenarios send, by who sends it."""

    students: list[Student]  # in class order: a class's 30 students follow one another
    teachers: list[Teacher]  # one per five classes, in the same order
    lines: dict[str, Line]
    assignments: list[int]  # the assignments the students work on (what Undo restores)


def submit_form(exercise, raw: dict) -> str:
    """The exercise page's form as the browser posts it: highlights as JSON, then answers."""
    fields = [("highlights", json.dumps(raw["highlights"], ensure_ascii=False))]
    for task in exercise.tasks:
        answer = raw["answers"].get(task.id)
        if isinstance(task, ChoiceTask):
            fields += [(f"choice-{task.id}", str(i)) for i in answer or []]
        elif isinstance(task, ShortAnswerTask):
            fields.append((f"answer-{task.id}", answer or ""))
    return urllib.parse.urlencode(fields)


def make(built: school.Built, sign, rng: random.Random) -> Traffic:
    """The requests of every student and teacher of the built school, and the cost lines."""
    students, keys, teachers, current = [], [], [], []
    exercise_of = {assignment: exercise_id for _, assignment, exercise_id in built.pairs}
    by_teacher: dict[int, list[dict]] = {}
    for klass in built.classes:
        if klass["role"] != "regular":
            continue
        assignment = klass["assignments"][-1]  # what the class works on this morning
        current.append(assignment)
        exercise_id = exercise_of[assignment]
        exercise = built.exercises[exercise_id]
        for student_id in klass["student_ids"]:
            cookie, token = sign(student_id)
            raw = rng.choice(built.variants[school.seed_of(exercise_id)]).raw
            draft = json.dumps(
                {"highlights": raw["highlights"], "answers": raw["answers"]}, ensure_ascii=False
            )
            path = f"/assignments/{assignment}"
            keys.append((assignment, student_id))
            students.append(
                Student(
                    page=Request("GET", path, cookie=cookie),
                    autosave=Request(
                        "PUT", f"/api{path}/draft", "application/json", cookie, token, draft
                    ),
                    submit=Request(
                        "POST",
                        f"{path}/submit",
                        "application/x-www-form-urlencoded",
                        cookie,
                        token,
                        submit_form(exercise, raw),
                    ),
                )
            )
        by_teacher.setdefault(klass["teacher_id"], []).append(klass)
    for teacher_id, taught in by_teacher.items():
        cookie, _ = sign(teacher_id)
        assignment = taught[0]["assignments"][-1]
        teachers.append(
            Teacher(
                review=Request("GET", f"/teacher/assignments/{assignment}/review", cookie=cookie),
                insight=Request("GET", f"/teacher/assignments/{assignment}/insight", cookie=cookie),
            )
        )
    lines = cost_lines(built.path, students, keys, teachers, current, rng)
    return Traffic(students, teachers, lines, current)


def latest_attempts(database, assignments: list[int]) -> dict[tuple[int, int], int]:
    """Each student's latest attempt at the given assignments: (assignment, student) -> id."""
    conn = sqlite3.connect(database)
    try:
        marks = ", ".join("?" for _ in assignments)
        rows = conn.execute(
            f"select assignment_id, student_id, max(id) from attempts "
            f"where assignment_id in ({marks}) group by 1, 2",
            assignments,
        ).fetchall()
    finally:
        conn.close()
    return {(a, s): t for a, s, t in rows}


def cost_lines(database, students, keys, teachers, assignments, rng) -> dict[str, Line]:
    """The cost table's lines: the four requests a student makes (the feedback page of each
    sampled student's latest attempt), the floors under them, and the teachers' two pages."""
    chosen = rng.sample(range(len(students)), min(COST_SAMPLE, len(students)))
    sample = [students[i] for i in chosen]
    latest = latest_attempts(database, assignments)
    feedback = [
        Request("GET", f"/attempts/{latest[keys[i]]}", cookie=students[i].page.cookie)
        for i in chosen
        if keys[i] in latest
    ]

    def floor(r: Request, query: str = "") -> Request:
        assignment = r.path.split("/assignments/", 1)[1].split("/", 1)[0]
        return dataclasses.replace(r, path=f"/bench/floor/{assignment}{query}")

    def line(key, label, shown, requests, expect=OK, **kw) -> Line:
        return Line(key, label, shown, [(r, expect) for r in requests], **kw)

    pages = [s.page for s in sample]
    saves = [s.autosave for s in sample]
    submits = [s.submit for s in sample]
    found = [
        line("page", "exercise page (student, with a draft)", "GET /assignments/<id>", pages),
        line(
            "autosave",
            "autosave a draft (JSON + X-CSRFToken)",
            "PUT /api/assignments/<id>/draft",
            saves,
            writes=True,
        ),
        line(
            "submit",
            "submit an attempt (grade + write)",
            "POST /assignments/<id>/submit",
            submits,
            SUBMITTED,
            writes=True,
        ),
        line("feedback", "feedback page (latest attempt)", "GET /attempts/<id>", feedback),
        line(
            "review",
            "teacher: an assignment's review queue (30 students)",
            "GET /teacher/assignments/<id>/review",
            [t.review for t in teachers],
        ),
        line(
            "insight",
            "teacher: insight (30 students)",
            "GET /teacher/assignments/<id>/insight",
            [t.insight for t in teachers],
        ),
        line(
            "healthz",
            "floor: the health check",
            "GET /healthz",
            [Request("GET", "/healthz")],
            floor=True,
        ),
        line(
            "floor",
            "floor: a student's GET that does nothing",
            "GET /bench/floor/<id>",
            [floor(r, "?size=0") for r in pages],
            floor=True,
        ),
        line(
            "floor-autosave",
            "floor: the autosave's PUT, doing nothing",
            "PUT /bench/floor/<id>",
            [floor(r) for r in saves],
            floor=True,
        ),
        line(
            "floor-submit",
            "floor: the submission's POST, doing nothing",
            "POST /bench/floor/<id>",
            [floor(r) for r in submits],
            SUBMITTED,
            floor=True,
        ),
    ]
    return {x.key: x for x in found}
