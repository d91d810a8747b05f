"""The benchmark's pure parts: its schedules, percentiles, pairing, status checks and undoing.

Nothing here is timed: these check that bench/run.py measures what it says it measures (a
late answer counted from when it was due, a wrong status counted as an error, a ratio taken
within its round, a school put back as it was). The modules are imported from bench/ inside a
fixture, as run.py imports them, so that collecting the suite needs no bench/ folder.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def bench():
    """bench/'s loadgen, mix, cost and undo modules."""
    sys.path.append(str(BENCH))
    try:
        import cost
        import loadgen
        import mix
        import undo
    finally:
        sys.path.remove(str(BENCH))
    return SimpleNamespace(loadgen=loadgen, mix=mix, cost=cost, undo=undo)


# --- percentiles and what an answer must be ----------------------------------------------


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        (list(range(1, 101)), 50, 50),
        (list(range(1, 101)), 99, 99),
        (list(range(1, 101)), 100, 100),
        (list(range(100, 0, -1)), 99, 99),  # order does not matter
        ([7.0], 99, 7.0),
        ([1, 2, 3, 1000], 99, 1000),  # one slow answer in four is the p99
        ([1, 2, 3, 1000], 50, 2),
        ([], 99, 0.0),
    ],
)
def test_percentile_is_the_nearest_rank(bench, values, p, expected):
    assert bench.loadgen.percentile(values, p) == expected


@pytest.mark.parametrize(
    ("status", "location", "right"),
    [
        (302, "/attempts/17", True),
        (302, "http://127.0.0.1:8000/attempts/17", True),
        (302, "/login?next=/assignments/3/submit", False),  # fast, and wrong
        (200, "", False),  # the form shown again is not a submission
        (500, "", False),
        (0, "", False),  # no answer at all
    ],
)
def test_a_submission_is_right_only_as_a_redirect_to_its_feedback(bench, status, location, right):
    expect = bench.mix.SUBMITTED
    assert bench.loadgen.answered_right(status, location, expect) is right


def test_a_page_is_right_only_with_200(bench):
    ok = bench.loadgen.OK
    assert bench.loadgen.answered_right(200, "", ok)
    assert not bench.loadgen.answered_right(302, "/login", ok)
    assert not bench.loadgen.answered_right(404, "", ok)


def test_latency_counts_from_when_a_request_was_due_not_when_it_was_sent(bench):
    lg = bench.loadgen
    outcomes = [
        lg.Outcome("page", scheduled=1.0, started=1.0, ended=1.01, status=200, ok=True),
        # the generator was late to send this one: the wait is the server's fault as seen
        # by the student, and is counted
        lg.Outcome("page", scheduled=2.0, started=2.5, ended=2.6, status=200, ok=True),
        lg.Outcome("page", scheduled=3.0, started=3.0, ended=3.0, status=0, ok=False),
        lg.Outcome("page", scheduled=0.5, started=0.5, ended=9.0, status=200, ok=True),
    ]
    found = lg.summarise(outcomes, since=1.0)["page"]  # the warm-up's request is left out
    assert found["requests"] == 3
    assert found["errors"] == 1
    assert found["max_ms"] == pytest.approx(600)
    assert found["lag_p99_ms"] == pytest.approx(500)
    assert found["statuses"] == {"200": 2, "0": 1}


# --- the schedules --------------------------------------------------------------------------


def students(bench, n):
    r = bench.loadgen.Request
    return [
        bench.mix.Student(r("GET", f"/assignments/{i}"), r("PUT", f"/a/{i}"), r("POST", f"/s/{i}"))
        for i in range(n)
    ]


def test_each_student_autosaves_every_15_seconds_from_a_random_start(bench):
    m = bench.mix
    plan = m.district_plan(students(bench, 300), [], m.Mix(), 30.0, random.Random(1))
    saves = {}
    for p in plan:
        if p.kind == "autosave":
            saves.setdefault(p.request.path, []).append(p.at)
    assert len(saves) == 300
    assert all(len(t) == 2 and t[1] - t[0] == pytest.approx(15) for t in saves.values())
    firsts = sorted(t[0] for t in saves.values())
    assert firsts[0] < 1.5 and firsts[-1] > 13.5  # spread over the cycle, not sent in a wave
    assert [p.at for p in plan] == sorted(p.at for p in plan)


def test_the_mix_sends_pages_submissions_and_teachers_at_their_rates(bench):
    m = bench.mix
    mix = m.Mix()
    r = bench.loadgen.Request
    teachers = [m.Teacher(r("GET", "/review"), r("GET", "/insight"))] * m.teachers_for(9000, mix)
    plan = m.district_plan(students(bench, 9000), teachers, mix, 60.0, random.Random(2))
    count = {k: sum(p.kind == k for p in plan) for k in ("autosave", "page", "submit", "review")}
    assert count["autosave"] == 9000 * 4
    assert count["page"] == 9000  # exactly one a minute each, in a minute
    assert 500 <= count["submit"] <= 700  # 9,000 students / 900 s x 60 s = 600 expected
    assert count["review"] == 60  # 60 teachers, one queue a minute each
    assert m.teachers_for(6000, mix) == 40 and m.teachers_for(1, mix) == 1
    submits = [p for p in plan if p.kind == "submit"]
    assert all(p.follow == "feedback" and p.expect == m.SUBMITTED for p in submits)
    assert mix.per_second(9000)["autosave"] == 600


def test_a_burst_sends_a_class_at_the_same_moment(bench):
    plan = bench.mix.burst_plan(students(bench, 90), bursts=3, gap=4.0)
    assert sorted({p.at for p in plan}) == [0.0, 4.0, 8.0]
    assert [sum(p.at == t for p in plan) for t in (0.0, 4.0, 8.0)] == [30, 30, 30]
    assert len({p.request.path for p in plan}) == 90
    assert all(p.follow == "feedback" for p in plan)


# --- the knee -------------------------------------------------------------------------------


def step(students, p99, errors=0, insight_p99=10.0):
    kinds = {
        k: {"p99_ms": p99, "errors": errors if k == "autosave" else 0}
        for k in ("autosave", "page", "submit", "feedback")
    }
    kinds["insight"] = {"p99_ms": insight_p99, "errors": 0}
    return {"students": students, "kinds": kinds}


def test_the_knee_is_the_last_step_that_met_the_target(bench):
    m = bench.mix
    steps = [step(1000, 40), step(2000, 60), step(4000, 240), step(6000, 900)]
    assert m.knee(steps, 250) == (4000, 6000)
    assert m.knee(list(reversed(steps)), 250) == (4000, 6000)
    assert m.knee(steps[:3], 250) == (4000, None)
    assert m.knee([step(1000, 300)], 250) == (None, 1000)


def test_one_error_fails_a_step_a_slow_teacher_page_does_not(bench):
    m = bench.mix
    assert not m.meets(step(1000, 40, errors=1), 250)
    assert m.meets(step(1000, 40, insight_p99=400), 250)
    assert m.knee([step(1000, 40), step(2000, 40, errors=1), step(4000, 40)], 250) == (1000, 2000)


def test_the_next_step_halves_the_gap_around_the_knee(bench):
    m = bench.mix
    steps = [step(1000, 40), step(4000, 200), step(6000, 900)]
    assert m.next_step(steps, 250, 500) == 5000
    steps.append(step(5000, 300))
    assert m.next_step(steps, 250, 500) == 4500
    steps.append(step(4500, 260))
    assert m.next_step(steps, 250, 500) is None  # 4,000 and 4,500: close enough
    assert m.next_step(steps[:2], 250, 500) is None  # nothing failed
    assert m.next_step([step(1000, 300)], 250, 500) == 500


# --- pairing --------------------------------------------------------------------------------


def test_ratios_are_paired_within_their_round(bench):
    c = bench.cost
    # the second round was a quiet moment: both sides were cheaper, the ratio was not
    hello = [{"server_ms": 0.30}, {"server_ms": 0.20}, {"server_ms": 0.30}]
    app = [{"server_ms": 1.20}, {"server_ms": 0.80}, {"server_ms": 1.26}]
    ratios = [c.pair(h, a) for h, a in zip(hello, app, strict=True)]
    assert ratios == pytest.approx([4.0, 4.0, 4.2])
    assert c.spread(ratios) == pytest.approx({"median": 4.0, "min": 4.0, "max": 4.2})
    # best-of-rounds on each side would have mixed the lucky hello round with another
    assert min(a["server_ms"] for a in app) / min(h["server_ms"] for h in hello) == 4.0
    assert max(a["server_ms"] for a in app) / min(h["server_ms"] for h in hello) == 6.3


def test_the_targets_are_the_issues(bench):
    c = bench.cost
    line = SimpleNamespace(key="feedback", floor=False)
    assert c.target_of(line) == 6.0
    assert c.target_of(SimpleNamespace(key="healthz", floor=True)) == 1.5
    assert c.target_of(SimpleNamespace(key="review", floor=False)) is None


# --- every answer checked, against a real server --------------------------------------------


class Answers(BaseHTTPRequestHandler):
    """/ok answers 200; /submit redirects to /attempts/1, /expired to the login page."""

    def do_GET(self):
        self._answer()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer()

    def _answer(self):
        redirects = {"/submit": "/attempts/1", "/expired": "/login"}
        if self.path in redirects:
            self.send_response(302)
            self.send_header("Location", redirects[self.path])
        else:
            self.send_response(200 if self.path in ("/ok", "/attempts/1") else 404)
        body = b"hello"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def answers():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address
    server.shutdown()
    server.server_close()


def test_every_answer_of_an_open_loop_is_checked(bench, answers):
    lg, m = bench.loadgen, bench.mix
    plan = [lg.Planned(i * 0.001, "page", lg.Request("GET", "/ok")) for i in range(20)]
    plan[13] = lg.Planned(0.013, "page", lg.Request("GET", "/missing"))  # one wrong, late on
    plan += [
        lg.Planned(
            0.02,
            "submit",
            lg.Request("POST", "/submit", body="x=1"),
            m.SUBMITTED,
            follow="feedback",
        ),
        lg.Planned(
            0.02,
            "submit",
            lg.Request("POST", "/expired", body="x=1"),
            m.SUBMITTED,
            follow="feedback",
        ),
    ]
    found = lg.summarise(lg.open_loop([answers], plan))
    assert found["page"]["requests"] == 20 and found["page"]["errors"] == 1
    assert found["page"]["statuses"] == {"200": 19, "404": 1}
    assert found["submit"]["errors"] == 1  # the one sent to the login page
    assert found["feedback"]["requests"] == 1 and found["feedback"]["errors"] == 0
    assert found["submit+feedback"]["requests"] == 2
    assert found["submit+feedback"]["errors"] == 1


def test_every_answer_of_a_closed_loop_is_checked(bench, answers):
    lg = bench.loadgen
    items = [(lg.Request("GET", "/ok"), lg.OK)] * 3 + [(lg.Request("GET", "/expired"), lg.OK)]
    found = lg.closed_loop([answers], items, clients=2, seconds=0.2)
    assert found.requests >= 4
    assert sum(found.wrong.values()) == pytest.approx(found.requests / 4, abs=2)
    assert set(found.wrong) == {"status 302"}


def test_a_paced_loop_sends_at_its_rate_and_checks_every_answer(bench, answers):
    lg = bench.loadgen
    items = [(lg.Request("GET", "/ok"), lg.OK)] * 3 + [(lg.Request("GET", "/expired"), lg.OK)]
    started = time.monotonic()
    found = lg.paced_loop([answers], items, rate=200, seconds=0.5)
    assert time.monotonic() - started >= 0.5
    assert found.requests == 100  # 200 a second for half a second, whatever the server's speed
    assert found.wrong == {"status 302": 25}
    assert len(found.latencies_ms) == 100


# --- what a measurement wrote, removed ------------------------------------------------------


def test_undo_puts_the_school_back_as_it_was(bench, tmp_path):
    from classroom.store.connection import connect
    from classroom.store.migrate import apply

    path = tmp_path / "school.sqlite"
    db = connect(str(path))
    apply(db)
    db.execute(
        "insert into users (id, username, display_name, password_hash, role, created_at) "
        "values (1, 't', 'T', 'x', 'teacher', 'now'), (2, 's', 'S', 'x', 'student', 'now'), "
        "(3, 'r', 'R', 'x', 'student', 'now')"
    )
    db.execute(
        "insert into classes (id, name, teacher_id, join_code, created_at) "
        "values (1, 'c', 1, 'J', 'now')"
    )
    db.execute(
        "insert into assignments (id, class_id, exercise_id, created_at) values (1, 1, 'e', 'now')"
    )
    db.execute(
        "insert into drafts (assignment_id, student_id, version, work, started_at, updated_at) "
        "values (1, 2, 'v1', '{\"before\": 1}', 'then', 'saved then')"
    )
    db.conn.commit()
    undo = bench.undo.Undo(str(path), [1])

    def attempt():
        db.execute(
            "insert into attempts (assignment_id, student_id, exercise_id, version, score, "
            "result, started_at, submitted_at) values (1, 2, 'e', 'v1', 0.5, '{}', 'a', 'b')"
        )
        (aid,) = db.execute("select max(id) from attempts").fetchone()
        db.execute(
            'insert into attempt_highlights (attempt_id, article_id, start, "end", quote, '
            "category, note) values (?, 'a', 0, 1, 'q', 'c', '')",
            [aid],
        )

    for _ in range(3):
        attempt()
    # as an autosave does: new work, a new revision, saved now
    db.execute("update drafts set work = '{\"after\": 1}', revision = 7, updated_at = 'today'")
    db.execute(  # a first autosave of a student who had no draft
        "insert into drafts (assignment_id, student_id, version, work, started_at, updated_at) "
        "values (1, 3, 'v1', '{}', 'today', 'today')"
    )
    db.execute(
        "insert into answers_seen (assignment_id, student_id, at, reason) "
        "values (1, 2, 'now', 'shown')"
    )
    db.conn.commit()
    assert undo.undo() == {"attempts": 3, "answers_seen": 1, "drafts": 2}
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*) from attempts").fetchone() == (0,)
    assert conn.execute("select count(*) from attempt_highlights").fetchone() == (0,)
    assert conn.execute("select work, revision from drafts").fetchall() == [('{"before": 1}', 1)]
    conn.close()
    assert undo.undo() == {"attempts": 0, "answers_seen": 0, "drafts": 0}  # nothing more
    db.close()
