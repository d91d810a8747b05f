"""A student's latest attempt at an assignment: the one definition every page counts from.

Attempts are appended, never overwritten; what counts is each student's latest (the highest
id of the assignment and student), with the score that counts (the attempt_scores view).
Only students still in the assignment's class count: those who left keep their attempts, but
no place in a roster, a queue, a chart or a gradebook. The dashboard, the class page, the
review queue, insight and the student's home read latest(scope); the gradebook, a lookup per
cell, reads latest_id() (see gradebook.py for why).
"""

from __future__ import annotations

# Which attempts a scope reads, through an index on attempts, and the parameter it takes. The
# scope is inside the CTE, not left to the query around it: a CTE that a statement reads
# twice is materialized before that query's conditions apply, so an unscoped one read every
# attempt in the school, and a class page's cost grew with the school rather than the class.
SCOPES = {
    "teacher": """s.assignment_id in (select a.id from assignments a
                                    join classes c on c.id = a.class_id
                                    where c.teacher_id = :teacher)""",
    "class": "s.assignment_id in (select a.id from assignments a where a.class_id = :class)",
    "assignment": "s.assignment_id = :assignment",
    "student": "s.student_id = :student",
}


def latest_id(assignment: str, student: str) -> str:
    """The latest attempt's id for these assignment and student columns: one index look-up."""
    return f"""(select max(x.id) from attempts x
                where x.assignment_id = {assignment} and x.student_id = {student})"""


# One table in FROM and conditions only, so that SQLite flattens it into the query around it:
# a join on assignment and student (the review queue's) becomes an index look-up, and only
# the columns read are computed. A GROUP BY or a join inside (version from a join, max(id)
# from one) made it a table built whole before a LEFT JOIN, scanned once per outer row: the
# gradebook of 10,000 attempts went from 22 ms to over 1 s.
_LATEST = f"""
    latest as (
      select s.attempt_id, s.assignment_id, s.student_id, s.submitted_at, s.auto_score,
             s.score, s.reviewed,
             (select x.version from attempts x where x.id = s.attempt_id) as version,
             (select count(*) from attempts x
              where x.assignment_id = s.assignment_id and x.student_id = s.student_id)
               as attempts
      from attempt_scores s
      where {{scope}}
        and s.attempt_id = {latest_id("s.assignment_id", "s.student_id")}
        and exists (select 1 from assignments a
                    join enrolments e on e.class_id = a.class_id and e.student_id = s.student_id
                    where a.id = s.assignment_id))"""

_BY_SCOPE = {scope: _LATEST.format(scope=where) for scope, where in SCOPES.items()}


def latest(scope: str) -> str:
    """The CTE `latest`: a row for each enrolled student's latest attempt at each assignment of
    the scope (a key of SCOPES; the statement passes the parameter that scope names).

    Columns: attempt_id, assignment_id, student_id, submitted_at, auto_score, score, reviewed
    (as attempt_scores has them), version (the exercise version the attempt was made on) and
    attempts (how many the student has made at the assignment).
    """
    return _BY_SCOPE[scope]


def counted_id(assignment: str, student: str, counting: str) -> str:
    """The id of the attempt that counts for these assignment and student columns, under the
    rule in the counting column (an assignment's): its first attempt, its best (the earliest of
    equal scores), its best of those made before the student saw the answers (the first
    attempt, if every one came after), or, for 'latest', its latest. SQLite evaluates only the
    branch the rule names, each an index look-up on the pair's attempts."""
    pair = f"c.assignment_id = {assignment} and c.student_id = {student}"
    first = f"""(select min(x.id) from attempts x
                 where x.assignment_id = {assignment} and x.student_id = {student})"""
    return f"""(case {counting}
        when 'first' then {first}
        when 'best' then (select c.attempt_id from attempt_scores c where {pair}
                          order by c.score desc nulls last, c.attempt_id limit 1)
        when 'best_before_answers' then coalesce(
            (select c.attempt_id from attempt_scores c where {pair} and c.after_answers = 0
             order by c.score desc nulls last, c.attempt_id limit 1),
            {first})
        else {latest_id(assignment, student)} end)"""
