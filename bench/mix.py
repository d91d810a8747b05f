"""What a school sends, as schedules for the open-loop generator (loadgen.py): a district
morning of active students and their teachers, and a class pressing Submit at once.

Each active student works on one assignment: an autosave every 15 s, a page (the exercise
page) a minute, and every 15 minutes a submission followed at once by its feedback page (the
redirect). Each starts at a random point of each cycle, so the requests are spread as a school's
are, not sent in waves. One teacher for every 150 active students (five classes of 30) opens a
review queue every minute and an insight page every two. Nothing here knows the app: the
requests are made by run.py from the school it built.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from loadgen import OK, Expect, Planned, Request

SUBMITTED = Expect(302, "/attempts/")  # a submission redirects to its feedback page
# the request kinds a district morning sends, in the order the tables show them
KINDS = ("autosave", "page", "submit", "feedback", "submit+feedback", "review", "insight")
STUDENT_KINDS = ("autosave", "page", "submit", "feedback")  # the kinds the target is judged on
TEACHER_KINDS = ("review", "insight")


@dataclass(frozen=True)
class Student:
    """One active student's requests on the assignment they work on."""

    page: Request
    autosave: Request
    submit: Request


@dataclass(frozen=True)
class Teacher:
    """One teacher's pages: an assignment's review queue and its insight page."""

    review: Request
    insight: Request


@dataclass(frozen=True)
class Mix:
    """How often each kind of request comes, in seconds between two of one person's."""

    autosave_every: float = 15.0
    page_every: float = 60.0
    submit_every: float = 900.0
    students_per_teacher: int = 150
    review_every: float = 60.0
    insight_every: float = 120.0

    def per_second(self, students: int) -> dict[str, float]:
        """The requests a second this many active students (and their teachers) send."""
        teachers = teachers_for(students, self)
        return {
            "autosave": students / self.autosave_every,
            "page": students / self.page_every,
            "submit": students / self.submit_every,
            "feedback": students / self.submit_every,
            "review": teachers / self.review_every,
            "insight": teachers / self.insight_every,
        }


def teachers_for(students: int, mix: Mix) -> int:
    """The teachers looking at their classes while this many students work."""
    return math.ceil(students / mix.students_per_teacher) if students else 0


def times(every: float, seconds: float, rng: random.Random) -> list[float]:
    """When one person's request that comes every `every` seconds is due in a window of
    `seconds`: from a random point in the first cycle, then every `every` seconds."""
    t = rng.uniform(0, every)
    found = []
    while t < seconds:
        found.append(t)
        t += every
    return found


def district_plan(
    students: Sequence[Student],
    teachers: Sequence[Teacher],
    mix: Mix,
    seconds: float,
    rng: random.Random,
) -> list[Planned]:
    """Every request the students and teachers send in `seconds`, in order of time."""
    plan = []
    for s in students:
        plan += [
            Planned(t, "autosave", s.autosave) for t in times(mix.autosave_every, seconds, rng)
        ]
        plan += [Planned(t, "page", s.page) for t in times(mix.page_every, seconds, rng)]
        plan += [
            Planned(t, "submit", s.submit, SUBMITTED, follow="feedback", follow_expect=OK)
            for t in times(mix.submit_every, seconds, rng)
        ]
    for teacher in teachers:
        plan += [
            Planned(t, "review", teacher.review) for t in times(mix.review_every, seconds, rng)
        ]
        plan += [
            Planned(t, "insight", teacher.insight) for t in times(mix.insight_every, seconds, rng)
        ]
    return sorted(plan, key=lambda p: p.at)


def burst_plan(students: Sequence[Student], bursts: int, gap: float) -> list[Planned]:
    """`bursts` classes pressing Submit at the same moment, `gap` seconds apart, each student
    following the redirect to their feedback page; students taken in turn, len(students) //
    bursts a class."""
    size = len(students) // bursts
    return [
        Planned(b * gap, "submit", s.submit, SUBMITTED, follow="feedback", follow_expect=OK)
        for b in range(bursts)
        for s in students[b * size : (b + 1) * size]
    ]


# --- the verdict of a step ------------------------------------------------------------------


def meets(step: dict, p99_ms: float) -> bool:
    """Whether a step of the district morning met the target: every kind a student sends
    answered at p99 under p99_ms, and no request failed (teachers' pages included)."""
    kinds = step["kinds"]
    if any(k["errors"] for k in kinds.values()):
        return False
    return all(kinds[k]["p99_ms"] < p99_ms for k in STUDENT_KINDS if k in kinds)


def knee(steps: Sequence[dict], p99_ms: float) -> tuple[int | None, int | None]:
    """(the most active students of a step that met the target with every smaller step
    meeting it too, the fewest of a step that did not); None where there is none."""
    ordered = sorted(steps, key=lambda s: s["students"])
    best = None
    for step in ordered:
        if not meets(step, p99_ms):
            return best, step["students"]
        best = step["students"]
    return best, None


def next_step(steps: Sequence[dict], p99_ms: float, resolution: int) -> int | None:
    """The number of students to try next to find the knee more closely: halfway between
    the last step that met the target and the first that did not, unless they are within
    `resolution` students of each other (None then)."""
    good, bad = knee(steps, p99_ms)
    if bad is None:
        return None
    low = good or 0
    if bad - low <= resolution:
        return None
    middle = round((low + bad) / 2 / resolution) * resolution
    tried = {s["students"] for s in steps}
    return middle if low < middle < bad and middle not in tried else None
