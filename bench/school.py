"""Realistic databases for the benchmark: teachers, classes, students, drafts, graded attempts.

Everything the pages read is real: exercise files copied from exercises/ (each copy its own id
and version), work made of the answer keys' own spans plus stray highlights, and results from
the app's own grading. Rows go in with sqlite-utils insert_all inside one transaction, and
every account shares ONE scrypt hash, so a school of thousands is built in seconds.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils
from werkzeug.security import generate_password_hash

from classroom.content.loader import load_library
from classroom.content.model import Exercise
from classroom.content.snapshot import snapshot
from classroom.content.tasks.choice import ChoiceTask
from classroom.content.tasks.highlight import HighlightTask
from classroom.content.tasks.short_answer import ShortAnswerTask
from classroom.store.connection import dumps
from classroom.store.migrations import migrations
from classroom.work import clean_work, grade_work

ROOT = Path(__file__).resolve().parent.parent
SEED_EXERCISES = ROOT / "exercises"
PASSWORD = "bench-password-not-a-secret"
VARIANTS = 24  # distinct graded pieces of work per seed exercise, reused across students
NOTES = (
    "",
    "",
    "sounds like it wants me to be scared",
    "who counted this?",
    "no source given",
    "what happened before this?",
    "a label, not a fact",
)
ANSWERS = (
    "The report quotes one side at length and never says how the numbers were counted.",
    "I would want to know who collected the figures and over what period.",
    "Both articles use loaded words, but the first leaves out what a detainer is.",
    "",
)


def copy_exercises(folder: Path, count: int) -> list[str]:
    """Fill folder with count exercise files copied from the real ones; returns their ids.

    Each copy gets its own id (its file name) and, through a trailing comment, its own version.
    """
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SEED_EXERCISES / "articles", folder / "articles", dirs_exist_ok=True)
    seeds = sorted(SEED_EXERCISES.glob("*.yaml"))
    ids = []
    for i in range(count):
        seed = seeds[i % len(seeds)]
        exercise_id = f"{seed.stem}-copy-{i + 1:04d}"
        text = seed.read_bytes() + f"\n# benchmark copy {i + 1}\n".encode()
        (folder / f"{exercise_id}.yaml").write_bytes(text)
        ids.append(exercise_id)
    return ids


def seed_of(exercise_id: str) -> str:
    """The real exercise a copy was made from."""
    return exercise_id.rsplit("-copy-", 1)[0]


# --- work a student might send --------------------------------------------------------------


def raw_work(exercise: Exercise, rng: random.Random, skill: float) -> dict[str, Any]:
    """Work as the browser sends it: some key spans (some cut short, some mis-tagged), a few
    stray highlights, an option chosen and a sentence written."""
    highlights = []
    for task in exercise.tasks:
        if not isinstance(task, HighlightTask):
            continue
        for item in task.key:
            if rng.random() > skill:
                continue
            start, end = item.start, item.end
            if rng.random() < 0.2:  # partly found
                end = start + max(1, (end - start) // 2)
            category = item.category if rng.random() < 0.85 else rng.choice(task.categories)
            highlights.append(
                {
                    "article": item.article,
                    "start": start,
                    "end": end,
                    "category": category,
                    "note": rng.choice(NOTES),
                }
            )
        for _ in range(rng.randint(0, 3)):  # words the key does not hold
            article = rng.choice(task.article_ids)
            text = exercise.article(article).text
            start = rng.randrange(0, len(text) - 40)
            start = text.find(" ", start) + 1
            end = text.find(" ", start + 3)
            if 0 < start < end:
                highlights.append(
                    {
                        "article": article,
                        "start": start,
                        "end": end,
                        "category": rng.choice(task.categories),
                        "note": rng.choice(NOTES),
                    }
                )
    answers: dict[str, Any] = {}
    for task in exercise.tasks:
        if isinstance(task, ChoiceTask):
            right = [i for i, o in enumerate(task.options) if o.correct]
            chosen = right if rng.random() < skill else [rng.randrange(len(task.options))]
            answers[task.id] = chosen if task.multiple else chosen[:1]
        elif isinstance(task, ShortAnswerTask):
            answers[task.id] = rng.choice(ANSWERS)
    return {"highlights": highlights, "answers": answers}


@dataclass
class Variant:
    """One graded piece of work: what the browser sent, its canonical form and its result."""

    raw: dict[str, Any]
    work: dict[str, Any]
    result: dict[str, Any]
    result_json: str
    draft_json: str


def variants(exercise: Exercise, count: int = VARIANTS, seed: int = 7) -> list[Variant]:
    """count pieces of work on the exercise, from weak to strong, graded by the app."""
    rng = random.Random(f"{seed}-{exercise.id}")
    out = []
    for i in range(count):
        raw = raw_work(exercise, rng, skill=0.15 + 0.8 * i / max(1, count - 1))
        work = clean_work(exercise, raw)
        result = grade_work(exercise, work)
        out.append(Variant(raw, work, result, dumps(result), dumps({**work, "unplaced": []})))
    return out


# --- the school -----------------------------------------------------------------------------


@dataclass
class ClassPlan:
    """One class to build: who teaches it, how big, and how far its students got."""

    name: str
    teacher: str
    students: int
    assignments: int  # the first N exercises are assigned
    submitted: float = 0.85  # share of (student, assignment) pairs with an attempt
    resubmitted: float = 0.25  # share of those with a second attempt
    in_progress: float = 0.5  # share of the rest with a draft only
    attempted: int | None = None  # only the first N assignments get work (None: all)
    role: str = "regular"


CLASS_SIZE = 30
CLASSES_PER_TEACHER = 5


def district_plan(students: int, assignments: int = 6) -> list[ClassPlan]:
    """A district's schools: classes of 30 (enough for `students`), five to a teacher, each
    given `assignments` exercises with work on all of them (85 % submitted, a quarter of those
    twice, half of the rest a draft); the last one given is the one they work on now."""
    count = -(-students // CLASS_SIZE)
    return [
        ClassPlan(
            f"Period {i + 1}",
            f"teacher{i // CLASSES_PER_TEACHER + 1}",
            CLASS_SIZE,
            assignments,
        )
        for i in range(count)
    ]


def archive_plan(quick: bool = False) -> list[ClassPlan]:
    """A school's year, for the teacher's pages and the exports: a class of 200 with work on
    20 assignments, and two gradebook classes whose students submitted every one of 20
    assignments twice, 100,000 and 10,000 attempts (a tenth of that for a quick run)."""
    big, small = (250, 25) if quick else (2500, 250)
    return [ClassPlan("Year 10 all sections", "insight", 200, 20, role="insight")] + [
        ClassPlan(
            name,
            "gradebook",
            students,
            20,
            submitted=1.0,
            resubmitted=1.0,
            in_progress=0.0,
            role=name,
        )
        for name, students in (("gradebook-big", big), ("gradebook-small", small))
    ]


def insight_plan(factor: int) -> list[ClassPlan]:
    """One class of 200 x factor students with 20 assignments; only the first one has work."""
    return [
        ClassPlan(f"Insight x{factor}", "insight", 200 * factor, 20, attempted=1, role="insight")
    ]


@dataclass
class Built:
    """What the benchmark needs to know about a built database."""

    path: Path
    exercises: dict[str, Exercise]
    variants: dict[str, list[Variant]]
    users: dict[str, int]  # teacher usernames -> id
    classes: list[dict[str, Any]]  # id, name, teacher_id, role, students, assignments
    pairs: list[tuple[int, int, str]]  # (student, assignment, exercise) with a draft
    rows: dict[str, int]
    attempts_by_class: dict[int, int]


def build(path: Path, exercises_dir: Path, plans: list[ClassPlan], seed: int = 1) -> Built:
    """Create the database at path from the plans (the schema by the app's own migrations)."""
    library = load_library(exercises_dir)
    exercise_ids = sorted(library.exercises)
    # copies of one seed share its articles and key, so one set of graded work serves them all
    first_copy = {seed_of(e): e for e in reversed(exercise_ids)}
    by_seed = {s: variants(library.exercises[e]) for s, e in first_copy.items()}
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)

    def stamp(days_ago: float) -> str:
        return (now - timedelta(days=days_ago)).isoformat(timespec="seconds")

    db = sqlite_utils.Database(path, execute_plugins=False)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    migrations.apply(db)
    password_hash = generate_password_hash(PASSWORD)  # one scrypt hash for everyone

    users, classes, enrolments, assignments, drafts = [], [], [], [], []
    seen: list[dict] = []  # answers_seen: the feedback page after a first submission shows them
    attempts: list[dict] = []  # the rows, plus "_variant" and "_seed" used for children
    teacher_ids: dict[str, int] = {}
    pairs: list[tuple[int, int, str]] = []
    attempts_by_class: dict[int, int] = {}
    next_user, next_class, next_assignment, next_attempt = 1, 1, 1, 1

    for plan in plans:
        if plan.teacher not in teacher_ids:
            teacher_ids[plan.teacher] = next_user
            users.append(
                _user(
                    next_user,
                    plan.teacher,
                    f"Teacher {plan.teacher}",
                    "teacher",
                    password_hash,
                    stamp(200),
                )
            )
            next_user += 1
        class_id = next_class
        next_class += 1
        classes.append(
            {
                "id": class_id,
                "name": plan.name,
                "teacher_id": teacher_ids[plan.teacher],
                "join_code": f"B{class_id:05d}",
                "join_open": 1,
                "created_at": stamp(120),
                "role": plan.role,
                "students": plan.students,
                "assignments": [],
                "student_ids": [],
            }
        )
        given = []
        for i, exercise_id in enumerate(exercise_ids[: plan.assignments]):
            due = rng.choice([None, 40 - 2 * i, 20 - i, -5])  # past, recent or still to come
            row = {
                "id": next_assignment,
                "class_id": class_id,
                "exercise_id": exercise_id,
                "due_at": stamp(due) if due is not None else None,
                "created_at": stamp(60 - 2 * i),
                "feedback_after": "submit",
                "closed_at": None,
            }
            assignments.append(row)
            given.append(row)
            classes[-1]["assignments"].append(next_assignment)
            next_assignment += 1
        worked = given if plan.attempted is None else given[: plan.attempted]
        for n in range(plan.students):
            student_id = next_user
            next_user += 1
            username = f"{_slug(plan.name)}-s{n + 1:05d}"
            users.append(
                _user(student_id, username, _name(rng), "student", password_hash, stamp(100))
            )
            enrolments.append(
                {"class_id": class_id, "student_id": student_id, "joined_at": stamp(99)}
            )
            classes[-1]["student_ids"].append(student_id)
            for a in worked:
                seed_id = seed_of(a["exercise_id"])
                exercise = library.exercises[a["exercise_id"]]
                started = rng.uniform(1, 50)
                if rng.random() < plan.submitted:
                    count = 2 if rng.random() < plan.resubmitted else 1
                    for k in range(count):
                        v = rng.randrange(VARIANTS)
                        variant = by_seed[seed_id][v]
                        attempts.append(
                            {
                                "id": next_attempt,
                                "assignment_id": a["id"],
                                "student_id": student_id,
                                "exercise_id": a["exercise_id"],
                                "version": exercise.version,
                                "score": variant.result["score"],
                                "result": variant.result_json,
                                "started_at": stamp(started),
                                "submitted_at": stamp(started - 0.5 - k * 0.2),
                                # the feedback shown on submitting showed the answers
                                "after_answers": int(k > 0),
                                "_seed": seed_id,
                                "_variant": v,
                            }
                        )
                        attempts_by_class[class_id] = attempts_by_class.get(class_id, 0) + 1
                        next_attempt += 1
                    seen.append(
                        {
                            "assignment_id": a["id"],
                            "student_id": student_id,
                            "at": stamp(started - 0.5),
                            "reason": "shown",
                        }
                    )
                    saved = variant
                elif rng.random() < plan.in_progress:
                    saved = by_seed[seed_id][rng.randrange(VARIANTS)]
                else:
                    continue
                drafts.append(
                    {
                        "assignment_id": a["id"],
                        "student_id": student_id,
                        "version": exercise.version,
                        "work": saved.draft_json,
                        "started_at": stamp(started),
                        "updated_at": stamp(started - 0.4),
                    }
                )
                pairs.append((student_id, a["id"], a["exercise_id"]))

    used = sorted({a["exercise_id"] for a in assignments})
    versions = [
        {
            "exercise_id": e,
            "version": library.exercises[e].version,
            "title": library.exercises[e].title,
            "snapshot": dumps(snapshot(library.exercises[e])),
            "created_at": stamp(60),
        }
        for e in used
    ]
    rows = {}
    with db.atomic():
        rows["users"] = _insert(db, "users", users)
        rows["classes"] = _insert(
            db,
            "classes",
            (
                {
                    k: c[k]
                    for k in ("id", "name", "teacher_id", "join_code", "join_open", "created_at")
                }
                for c in classes
            ),
        )
        rows["enrolments"] = _insert(db, "enrolments", enrolments)
        rows["assignments"] = _insert(db, "assignments", assignments)
        rows["exercise_versions"] = _insert(db, "exercise_versions", versions)
        rows["drafts"] = _insert(db, "drafts", drafts)
        rows["attempts"] = _insert(
            db,
            "attempts",
            ({k: v for k, v in t.items() if not k.startswith("_")} for t in attempts),
        )
        rows["attempt_highlights"] = _insert(
            db, "attempt_highlights", _highlights(attempts, by_seed)
        )
        rows["attempt_answers"] = _insert(db, "attempt_answers", _answers(attempts, by_seed))
        rows["answers_seen"] = _insert(db, "answers_seen", seen)
        rows["review_events"] = _insert(
            db, "review_events", _reviews(attempts, classes, rng, stamp)
        )
    db.execute("PRAGMA optimize")
    db.close()
    return Built(
        path, dict(library.exercises), by_seed, teacher_ids, classes, pairs, rows, attempts_by_class
    )


def _insert(db: sqlite_utils.Database, table: str, rows) -> int:
    """Bulk insert; returns how many rows went in."""
    counted = _Counter(rows)
    db[table].insert_all(counted, batch_size=2000)
    return counted.n


class _Counter:
    """Passes rows through, counting them."""

    def __init__(self, rows):
        self.rows, self.n = iter(rows), 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row


def _highlights(attempts: list[dict], by_seed: dict[str, list[Variant]]) -> Iterator[dict]:
    for t in attempts:
        for h in by_seed[t["_seed"]][t["_variant"]].work["highlights"]:
            yield {
                "attempt_id": t["id"],
                "article_id": h["article"],
                "start": h["start"],
                "end": h["end"],
                "quote": h["quote"],
                "category": h["category"],
                "note": h["note"],
            }


def _answers(attempts: list[dict], by_seed: dict[str, list[Variant]]) -> Iterator[dict]:
    for t in attempts:
        variant = by_seed[t["_seed"]][t["_variant"]]
        for task_id, answer in variant.work["answers"].items():
            yield {
                "attempt_id": t["id"],
                "task_id": task_id,
                "answer": dumps(answer),
                "score": variant.result["tasks"].get(task_id, {}).get("score"),
            }


def _reviews(attempts: list[dict], classes: list[dict], rng: random.Random, stamp):
    """A teacher's comment on some attempts and a changed score on fewer."""
    teacher_of = {}
    for c in classes:
        for a in c["assignments"]:
            teacher_of[a] = c["teacher_id"]
    event_id = 1
    for t in attempts:
        roll = rng.random()
        if roll < 0.08:
            yield {
                "id": event_id,
                "attempt_id": t["id"],
                "teacher_id": teacher_of[t["assignment_id"]],
                "at": stamp(1),
                "kind": "comment",
                "highlight_id": None,
                "old": "",
                "new": "Good eye for labels; look again at the numbers.",
                "score_after": None,
            }
            event_id += 1
        elif roll < 0.12:
            new = round(min(1.0, (t["score"] or 0) + 0.1), 3)
            yield {
                "id": event_id,
                "attempt_id": t["id"],
                "teacher_id": teacher_of[t["assignment_id"]],
                "at": stamp(1),
                "kind": "score",
                "highlight_id": None,
                "old": repr(float(t["score"] or 0)),
                "new": repr(new),
                "score_after": new,
            }
            event_id += 1


def _user(user_id, username, name, role, password_hash, created) -> dict:
    return {
        "id": user_id,
        "username": username,
        "display_name": name,
        "password_hash": password_hash,
        "role": role,
        "created_at": created,
        "must_change_password": 0,
    }


FIRST = ("Ada", "Ben", "Chloé", "Dev", "Emeka", "Fatima", "Grace", "Hugo", "Ines", "Jun", "Kofi")
LAST = ("Okafor", "Lovelace", "Nguyen", "García", "Kowalski", "Haddad", "Smith", "Ivanova")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")
