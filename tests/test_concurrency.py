"""Many writers at once: a class saving and submitting together, a teacher reviewing meanwhile.

SQLite lets one connection write at a time; WAL, the busy timeout and transactions that take
the write lock as they begin (db.Database.atomic) make the others wait their turn instead of
failing with "database is locked". Every write must land.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pytest

from classroom.db import get_db

WRITERS = 50
REPORT_1 = "la-detainers-report-1"


@pytest.fixture
def crowd(make_app, make_class, tmp_path):
    """An app with a teacher and a class of WRITERS students, report 1 assigned."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    klass = make_class(app, WRITERS, name="Big class", assign=[REPORT_1])
    return app, klass["teacher"], klass["students"], klass["assignments"][REPORT_1]


def all_at_once(jobs: list[Callable[[], object]]) -> list[object]:
    """Run the jobs in threads released together; their results, or the exceptions raised."""
    start = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = jobs[i]()
        except Exception as err:  # noqa: BLE001 - reported by the test, with the others
            results[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer never finished"
    return results


def statuses(results) -> list:
    """Each result's status code, or the error it raised (a locked database shows here)."""
    return [getattr(r, "status_code", repr(r)) for r in results]


def test_fifty_autosaves_at_once_all_land(crowd, client_of):
    app, _, students, aid = crowd
    clients = [client_of(app, s) for s in students]
    jobs = [
        lambda c=c, n=n: c.put(
            f"/api/assignments/{aid}/draft", json={"answers": {"reflect": f"draft {n}"}}
        )
        for n, c in enumerate(clients)
    ]
    assert statuses(all_at_once(jobs)) == [200] * WRITERS
    with app.app_context():
        saved = {
            r["student_id"]: json.loads(r["work"])["answers"]["reflect"]
            for r in get_db().query("select student_id, work from drafts")
        }
    assert saved == {s: f"draft {n}" for n, s in enumerate(students)}


def test_fifty_submissions_at_once_all_land(crowd, client_of):
    app, _, students, aid = crowd
    clients = [client_of(app, s) for s in students]
    jobs = [
        lambda c=c, n=n: c.post(
            f"/assignments/{aid}/submit",
            data={"highlights": "[]", "answer-reflect": f"answer {n}"},
        )
        for n, c in enumerate(clients)
    ]
    assert statuses(all_at_once(jobs)) == [302] * WRITERS
    with app.app_context():
        answers = {
            r["student_id"]: json.loads(r["answer"])
            for r in get_db().query(
                "select t.student_id, a.answer from attempts t "
                "join attempt_answers a on a.attempt_id = t.id and a.task_id = 'reflect'"
            )
        }
    assert answers == {s: f"answer {n}" for n, s in enumerate(students)}


def test_a_teacher_reviewing_while_the_class_submits_loses_nothing(
    crowd, client_of, integrity_check
):
    """Review decisions read, then write, in one transaction: the case a deferred transaction
    fails at once when another connection writes in between."""
    app, teacher, students, aid = crowd
    reviewed, submitting = students[: WRITERS // 2], students[WRITERS // 2 :]
    attempt_of = {}
    for s in reviewed:
        response = client_of(app, s).post(f"/assignments/{aid}/submit", data={"highlights": "[]"})
        attempt_of[s] = int(response.location.rsplit("/", 1)[1])
    teachers = [client_of(app, teacher) for _ in reviewed]
    classmates = [client_of(app, s) for s in submitting]
    jobs = [
        lambda c=c, t=attempt_of[s]: c.post(
            f"/teacher/attempts/{t}/comment", data={"comment-comment": f"comment on {t}"}
        )
        for c, s in zip(teachers, reviewed, strict=True)
    ] + [
        lambda c=c: c.post(f"/assignments/{aid}/submit", data={"highlights": "[]"})
        for c in classmates
    ]
    assert statuses(all_at_once(jobs)) == [302] * WRITERS
    with app.app_context():
        db = get_db()
        comments = {r["attempt_id"]: r["new"] for r in db.query("select * from review_events")}
        assert comments == {t: f"comment on {t}" for t in attempt_of.values()}
        assert db["attempts"].count == WRITERS
    assert integrity_check(app) == "ok"


def test_one_submission_sent_ten_times_at_once_is_one_attempt(crowd, client_of):
    """A double (or tenfold) click: the same page's token and work, sent together."""
    app, _, students, aid = crowd
    clients = [client_of(app, students[0]) for _ in range(10)]
    form = {"highlights": "[]", "answer-reflect": "once", "submission": "page-token-1"}
    jobs = [lambda c=c: c.post(f"/assignments/{aid}/submit", data=form) for c in clients]
    responses = all_at_once(jobs)
    assert statuses(responses) == [302] * 10
    assert len({r.location for r in responses}) == 1  # every click sees the same attempt
    with app.app_context():
        count = get_db().execute("select count(*) from attempts").fetchone()[0]
    assert count == 1
