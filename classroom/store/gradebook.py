"""CSV exports for teachers: a class's gradebook, and every attempt at one assignment.

Each export is a generator of CSV records read row by row from a cursor, so a large class is
never held in memory; classroom/csvfile.py writes them as spreadsheets open them safely.
Scores are percentages to one decimal, without a % sign (73.5), so gradebooks import them as
numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlite_utils import Database

from ..csvfile import csv_lines
from ..practice import COUNTING_NAMES
from .latest import counted_id

ATTEMPT_COLUMNS = (
    "row_type",
    "attempt_id",
    "student",
    "username",
    "submitted_at",
    "late",
    "auto_score",
    "score",
    "version",
    "after_answers",
    "article",
    "start",
    "end",
    "quote",
    "category",
    "note",
    "task",
    "answer",
)


def percent(score: float | None) -> str:
    """A stored score (0 to 1) as a percentage to one decimal, empty when there is none."""
    return "" if score is None else f"{round(score * 100, 1):g}"


def answer_text(stored: str) -> str:
    """A stored answer as a teacher reads it: the text, or the chosen options counted from 1."""
    value = json.loads(stored)
    if isinstance(value, list):
        return "; ".join(str(option + 1) for option in value)
    return str(value)


# --- the class gradebook --------------------------------------------------------------------

# The exercise title kept with the newest attempt stands in when the file is gone.
GRADEBOOK_ASSIGNMENTS = """
    select a.id, a.exercise_id, a.counting,
           (select v.title from exercise_versions v where v.exercise_id = a.exercise_id
            order by v.created_at desc limit 1) as stored_title
    from assignments a where a.class_id = ? order by a.position, a.id"""

# Every (enrolled student, assignment) pair with the score that counts of the attempt that
# counts under the assignment's rule; the left join keeps students of a class that has no
# assignments yet. A look-up per cell (counted_id) rather than latest("class"), which checks
# each of a pair's attempts in turn: with it, the export of 10,000 attempts took 29 ms of CPU
# in-process instead of 22.
GRADEBOOK_CELLS = f"""
    select u.id as student_id, u.display_name, u.username, a.id as assignment_id,
           (select s.score from attempt_scores s
            where s.attempt_id = {counted_id("a.id", "u.id", "a.counting")}) as score
    from enrolments e
    join users u on u.id = e.student_id
    left join assignments a on a.class_id = e.class_id
    where e.class_id = :class
    order by lower(u.display_name), u.username, u.id"""


def class_gradebook(db: Database, class_id: int, titles: Mapping[str, str]) -> Iterator[str]:
    """The class's gradebook as CSV: a row per enrolled student, a column per assignment.

    Header: Student, Username, then each assignment's exercise title (from `titles`, by
    exercise id), in the order they were assigned, with the attempt that counts in brackets
    unless it is the latest ("Report 1 (best before seeing the answers counts)"). A cell is
    the score that counts of that attempt, empty if they have not submitted. Two queries,
    whatever the size of the class.
    """
    yield from csv_lines(_gradebook_rows(db, class_id, titles))


def _gradebook_rows(db: Database, class_id: int, titles: Mapping[str, str]) -> Iterator[list[str]]:
    """The header, then each student's row, pivoted from the cells as they stream."""
    assignments = list(db.query(GRADEBOOK_ASSIGNMENTS, [class_id]))
    yield ["Student", "Username", *(column_heading(a, titles) for a in assignments)]
    column = {a["id"]: i for i, a in enumerate(assignments)}
    cells_by_student = groupby(
        db.stream(GRADEBOOK_CELLS, {"class": class_id}), key=itemgetter("student_id")
    )
    for _, cells in cells_by_student:
        scores = [""] * len(assignments)
        for cell in cells:
            # an assignment made between the two queries has no column: leave it out
            if cell["assignment_id"] in column:
                scores[column[cell["assignment_id"]]] = percent(cell["score"])
        yield [cell["display_name"], cell["username"], *scores]


def column_heading(assignment: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    """The exercise's title, and which attempt counts when it is not the latest: a gradebook
    counted the latest before teachers could choose, and its headings stay as they were."""
    title = titles.get(assignment["exercise_id"]) or assignment["stored_title"]
    title = title or assignment["exercise_id"]
    if assignment["counting"] == "latest":
        return title
    return f"{title} ({COUNTING_NAMES[assignment['counting']]} counts)"


# --- every attempt at one assignment --------------------------------------------------------

# The union is sorted from outside: PostgreSQL sorts a UNION by its output columns only. An
# attempt's answers come in the order they were stored: SQLite's rowid, PostgreSQL's seq
# (migration m012_answer_order).
_ATTEMPT_ROWS = """
    with shown as (
      select t.id as attempt_id, u.display_name as student, u.username, t.submitted_at,
             a.due_at is not null and t.submitted_at > a.due_at as late,
             s.auto_score, s.score, t.version, t.after_answers
      from attempts t
      join assignments a on a.id = t.assignment_id
      join enrolments e on e.class_id = a.class_id and e.student_id = t.student_id
      join users u on u.id = t.student_id
      join attempt_scores s on s.attempt_id = t.id
      where t.assignment_id = :assignment)
    select * from (
    select 'highlight' as row_type, shown.*, h.article_id as article, h.start, h.end, h.quote,
           h.category, h.note, null as task, null as answer, 0 as part, h.id as seq
    from shown join attempt_highlights h on h.attempt_id = shown.attempt_id
    union all
    select 'answer', shown.*, null, null, null, null, null, null, x.task_id, x.answer,
           1, {answer_order}
    from shown join attempt_answers x on x.attempt_id = shown.attempt_id
    union all
    select 'attempt', shown.*, null, null, null, null, null, null, null, null, 2, 0
    from shown
    where not exists (select 1 from attempt_highlights h where h.attempt_id = shown.attempt_id)
      and not exists (select 1 from attempt_answers x where x.attempt_id = shown.attempt_id)
    ) as parts
    order by lower(student), username, attempt_id, part, seq"""
ATTEMPT_ROWS = {
    "sqlite": _ATTEMPT_ROWS.format(answer_order="x.rowid"),
    "postgresql": _ATTEMPT_ROWS.format(answer_order="x.seq"),
}


def assignment_attempts(db: Database, assignment_id: int) -> Iterator[str]:
    """Every attempt of the enrolled students at one assignment, as CSV, one row per part.

    Columns, in this order:
      row_type       highlight, answer, or attempt (only for an attempt with neither)
      attempt_id, student, username
      submitted_at   ISO 8601 in UTC
      late           yes or no (submitted after the due date)
      auto_score     the automatic score, a percentage
      score          the score that counts (a teacher's decision, else the automatic one)
      version        the exercise version the attempt was made on
      after_answers  yes or no (made after the student saw the answers)
      article, start, end, quote, category, note     a highlight's fields; empty for answers
      task, answer   an answer's task id and text, or its chosen options counted from 1 and
                     joined with "; "; empty for highlights
    Rows are grouped by student (by display name), then attempt, its highlights in the order
    they were stored before its answers in task order. Attempt fields repeat on every row.
    """
    yield from csv_lines(_attempt_rows(db, assignment_id))


def _attempt_rows(db: Database, assignment_id: int) -> Iterator[list[Any]]:
    """The header, then each stored row with its scores, lateness and answer made readable."""
    yield list(ATTEMPT_COLUMNS)
    for r in db.stream(ATTEMPT_ROWS[db.engine], {"assignment": assignment_id}):
        yield [
            r["row_type"],
            r["attempt_id"],
            r["student"],
            r["username"],
            r["submitted_at"],
            "yes" if r["late"] else "no",
            percent(r["auto_score"]),
            percent(r["score"]),
            r["version"],
            "yes" if r["after_answers"] else "no",
            r["article"],
            r["start"],
            r["end"],
            r["quote"],
            r["category"],
            r["note"],
            r["task"],
            answer_text(r["answer"]) if r["answer"] is not None else None,
        ]
