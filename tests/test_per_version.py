"""What the pages keep per exercise version: its snapshot, read and parsed once a process and
never changed by a page; and each feedback entry, rendered once per version and outcome, never
shown with another attempt's outcome."""

from __future__ import annotations

import json
import re

import pytest

from classroom.db import get_db, snapshots
from classroom.exercises import library
from classroom.store import attempts

REPORT_1 = "la-detainers-report-1"


@pytest.fixture
def submitted(app, school, client_of, highlight):
    """Two attempts of ada's and one of ben's at report 1, on the same version: their ids, and
    the students' and the teacher's clients."""
    aid = school["assignments"][REPORT_1]
    with app.app_context():
        exercise = library().exercises[REPORT_1]
    form = {"highlights": json.dumps([highlight(exercise, "slammed", "loaded_language")])}
    ada, ben = (client_of(app, s) for s in school["students"])
    ids = [
        int(c.post(f"/assignments/{aid}/submit", data=form).location.rsplit("/", 1)[1])
        for c in (ada, ada, ben)
    ]
    return ids, ada, ben, client_of(app, school["teacher"])


def test_a_versions_snapshot_is_read_once_for_every_feedback_page_on_it(
    app, submitted, trace_statements, monkeypatch
):
    ids, ada, ben, _ = submitted
    statements = trace_statements(monkeypatch)
    for client, attempt_id in ((ada, ids[0]), (ada, ids[1]), (ben, ids[2]), (ada, ids[0])):
        assert client.get(f"/attempts/{attempt_id}").status_code == 200
    assert sum("select snapshot from exercise_versions" in s for s in statements) == 1


def test_the_pages_leave_the_kept_snapshot_as_stored(app, school, submitted):
    ids, ada, ben, teacher = submitted
    assert ada.get(f"/attempts/{ids[0]}").status_code == 200
    assert ada.get(f"/attempts/{ids[0]}?show=missed").status_code == 200
    assert teacher.get(f"/attempts/{ids[0]}").status_code == 200
    assert teacher.get(f"/teacher/attempts/{ids[0]}/review").status_code == 200
    aid = school["assignments"][REPORT_1]
    settings = {"feedback_after": "guided", "attempts_allowed": "3", "counting": "latest"}
    assert teacher.post(f"/teacher/assignments/{aid}/settings", data=settings).status_code == 302
    assert "What you found" in ben.get(f"/attempts/{ids[2]}").get_data(as_text=True)
    with app.app_context():
        version = library().exercises[REPORT_1].version
        kept = snapshots().get(REPORT_1, version)
        stored = (
            get_db()
            .execute(
                "select snapshot from exercise_versions where exercise_id = ? and version = ?",
                [REPORT_1, version],
            )
            .fetchone()[0]
        )
    assert kept == json.loads(stored)


def test_a_version_never_stored_has_no_snapshot_and_none_is_kept(app):
    kept = attempts.Snapshots()
    with app.app_context():
        assert attempts.stored_snapshot(get_db(), REPORT_1, "no-such-version", kept) is None
    assert kept.get(REPORT_1, "no-such-version") is None


def test_the_least_recently_used_snapshots_go_first():
    kept = attempts.Snapshots(size=2)
    for version in ("a", "b"):
        kept.keep("x", version, {"version": version})
    assert kept.get("x", "a") == {"version": "a"}  # used: "b" is now the oldest
    kept.keep("x", "c", {"version": "c"})
    assert kept.get("x", "b") is None
    assert kept.get("x", "a") and kept.get("x", "c")


def entry_of(page: str, quote: str) -> str:
    """The status class of the feedback entry on these words."""
    found = re.search(
        r'<li class="key-item status-(\w+)" id="item-[^"]+">(?:(?!</li>).)*?“' + quote, page, re.S
    )
    assert found, f"no entry on {quote!r}"
    return found.group(1)


def test_an_entry_kept_for_one_outcome_is_never_shown_for_another(
    app, school, client_of, highlight
):
    aid = school["assignments"][REPORT_1]
    with app.app_context():
        exercise = library().exercises[REPORT_1]
    found = {"highlights": json.dumps([highlight(exercise, "slammed", "loaded_language")])}
    other = {"highlights": json.dumps([highlight(exercise, "slammed", "missing_context")])}
    ada, ben = (client_of(app, s) for s in school["students"])
    pages = {}
    for name, client, form in (("found", ada, found), ("partly", ben, other)):
        location = client.post(f"/assignments/{aid}/submit", data=form).location
        pages[name] = (client, location)
    for name in ("found", "partly", "found", "partly"):
        client, location = pages[name]
        assert entry_of(client.get(location).get_data(as_text=True), "slammed") == name
    kept = len(app.extensions["classroom.entries"])
    assert kept and entry_of(ada.get(pages["found"][1]).get_data(as_text=True), "slammed")
    assert len(app.extensions["classroom.entries"]) == kept  # nothing rendered again
    empty = ada.post(f"/assignments/{aid}/submit", data={"highlights": "[]"})
    page = ada.get(empty.location).get_data(as_text=True)
    assert entry_of(page, "slammed") == "missed"
