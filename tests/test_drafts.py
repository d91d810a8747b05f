"""A student's draft without an app: loading it, autosaving, and submitting it as an attempt."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from classroom import drafts
from classroom.content.loader import load_library
from classroom.store import accounts, attempts, classes, roster
from classroom.store import drafts as stored
from classroom.store.connection import connect, now
from classroom.store.migrations import migrations
from classroom.work import InvalidWork

# the store's drafts on a SQLite file of the test's own: left out on PostgreSQL.
pytestmark = pytest.mark.sqlite_only

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
REPORT = load_library(EXERCISES).exercises["la-detainers-report-1"]
TEXT = REPORT.article(REPORT.id).text
STARTED = "2026-01-01T00:00:00+00:00"
TEACHER, ADA = 1, 2  # the ids of the template's two users, the first rows of a fresh table


def on(quote: str, category: str = "loaded_language") -> dict:
    """A highlight on the first appearance of quote in the report, as the page sends it."""
    start = TEXT.index(quote)
    return {"article": REPORT.id, "start": start, "end": start + len(quote), "category": category}


def gone(quote: str) -> dict:
    """A highlight on words the report no longer has, as a draft of an older version holds it."""
    return {**on("slammed"), "quote": quote}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A database with a teacher, a class with one student, and the report assigned."""
    path = tmp_path_factory.mktemp("drafts") / "template.sqlite"
    db = connect(str(path))
    migrations.apply(db)
    # rows written directly: hashing a password is slow on purpose, and not under test here
    for name, role in (("teacher", "teacher"), ("ada", "student")):
        db["users"].insert(
            {
                "username": name,
                "display_name": name.title(),
                "password_hash": "-",
                "role": role,
                "created_at": now(),
            }
        )
    klass = classes.create_class(db, TEACHER, "Period 1")
    accounts.enrol(db, klass["id"], ADA)
    classes.assign(db, klass["id"], REPORT.id)
    db.close()
    return path


@pytest.fixture
def db(template, tmp_path):
    """A fresh copy of the template database."""
    shutil.copyfile(template, tmp_path / "test.sqlite")
    db = connect(str(tmp_path / "test.sqlite"))
    yield db
    db.close()


@pytest.fixture
def assignment(db) -> dict:
    """Ada's assignment of the report, as the access check gives it to the views."""
    return classes.student_assignment(db, 1, ADA)


def stored_draft(db, assignment, version, highlights=(), unplaced=()) -> None:
    """A draft as an earlier save left it, started at STARTED."""
    db["drafts"].insert(
        {
            "assignment_id": assignment["id"],
            "student_id": ADA,
            "version": version,
            "work": json.dumps(
                {"highlights": list(highlights), "answers": {}, "unplaced": list(unplaced)}
            ),
            "started_at": STARTED,
            "updated_at": STARTED,
        }
    )


def form(highlights=None, **fields) -> MultiDict:
    """A submitted exercise form: the highlights as the page's script sends them, if given."""
    data = MultiDict(fields)
    if highlights is not None:
        data["highlights"] = json.dumps(highlights)
    return data


def quotes(highlights) -> list[str]:
    return [h["quote"] for h in highlights]


# --- loading -----------------------------------------------------------------------------------


def test_before_the_first_save_the_draft_is_empty_and_unsaved(db, assignment):
    assert drafts.load(db, assignment, ADA, REPORT) == (
        {"highlights": [], "answers": {}, "unplaced": []},
        None,
    )


def test_a_draft_saved_on_an_older_version_is_placed_on_the_new_text(db, assignment):
    moved = {**on("slammed"), "quote": "slammed", "start": 3, "end": 10}
    stored_draft(db, assignment, "old", highlights=[moved, gone("vanished words")])
    work, saved_at = drafts.load(db, assignment, ADA, REPORT)
    [placed] = work["highlights"]
    assert TEXT[placed["start"] : placed["end"]] == "slammed"
    assert quotes(work["unplaced"]) == ["vanished words"]
    assert saved_at == STARTED


# --- autosaving --------------------------------------------------------------------------------


def test_autosave_stores_the_work_with_quotes_taken_from_the_article(db, assignment):
    sent = {"highlights": [{**on("slammed"), "quote": "not what it says"}], "answers": {}}
    saved_at = drafts.autosave(db, assignment, ADA, REPORT, sent)
    work, when = drafts.load(db, assignment, ADA, REPORT)
    assert quotes(work["highlights"]) == ["slammed"]
    assert when == saved_at


def test_autosave_keeps_the_unplaced_work_and_when_the_work_started(db, assignment):
    stored_draft(db, assignment, REPORT.version, unplaced=[gone("removed earlier")])
    # the page never sends the list; one that tries to empty it is not listened to
    sent = {"highlights": [on("slammed")], "answers": {}, "unplaced": []}
    drafts.autosave(db, assignment, ADA, REPORT, sent)
    work, _ = drafts.load(db, assignment, ADA, REPORT)
    assert quotes(work["highlights"]) == ["slammed"]
    assert quotes(work["unplaced"]) == ["removed earlier"]
    assert stored.get_draft(db, assignment["id"], ADA)["started_at"] == STARTED


def test_autosave_over_an_older_version_adds_what_could_not_be_placed(db, assignment):
    stored_draft(
        db,
        assignment,
        "old",
        highlights=[gone("vanished words")],
        unplaced=[gone("removed earlier")],
    )
    drafts.autosave(db, assignment, ADA, REPORT, {"highlights": [on("slammed")], "answers": {}})
    work, _ = drafts.load(db, assignment, ADA, REPORT)
    assert quotes(work["unplaced"]) == ["removed earlier", "vanished words"]
    assert stored.get_draft(db, assignment["id"], ADA)["version"] == REPORT.version


def test_autosave_refuses_work_it_cannot_keep_and_keeps_the_old_draft(db, assignment):
    drafts.autosave(db, assignment, ADA, REPORT, {"highlights": [on("slammed")], "answers": {}})
    with pytest.raises(InvalidWork, match="unknown category 'made_up'"):
        drafts.autosave(
            db, assignment, ADA, REPORT, {"highlights": [on("slammed", "made_up")], "answers": {}}
        )
    assert quotes(drafts.load(db, assignment, ADA, REPORT)[0]["highlights"]) == ["slammed"]


# --- submitting --------------------------------------------------------------------------------


def test_submit_records_a_graded_attempt_that_becomes_the_draft(db, assignment):
    attempt_id = drafts.submit(
        db, assignment, ADA, REPORT, form([on("slammed")], **{"answer-reflect": "Ask ICE."})
    )
    attempt = attempts.get_attempt(db, attempt_id)
    assert quotes(attempt["highlights"]) == ["slammed"]
    assert attempt["answers"]["reflect"] == "Ask ICE."
    assert attempt["score"] > 0
    work, _ = drafts.load(db, assignment, ADA, REPORT)
    assert quotes(work["highlights"]) == ["slammed"]
    assert work["answers"]["reflect"] == "Ask ICE."


def test_submit_keeps_the_drafts_unplaced_work_and_start(db, assignment):
    stored_draft(db, assignment, REPORT.version, unplaced=[gone("vanished words")])
    attempt_id = drafts.submit(db, assignment, ADA, REPORT, form([on("slammed")]))
    started = db.execute("select started_at from attempts where id = ?", [attempt_id])
    assert started.fetchone()[0] == STARTED
    work, _ = drafts.load(db, assignment, ADA, REPORT)
    assert quotes(work["highlights"]) == ["slammed"]
    assert quotes(work["unplaced"]) == ["vanished words"]


@pytest.mark.parametrize("script", [True, False], ids=["with-script", "without-script"])
def test_submitting_over_an_older_version_keeps_what_could_not_be_placed(db, assignment, script):
    """The page shows what could not be placed; submitting before any autosave keeps it too."""
    moved = {**on("slammed"), "quote": "slammed", "start": 3, "end": 10}
    stored_draft(
        db,
        assignment,
        "old",
        highlights=[moved, gone("vanished words")],
        unplaced=[gone("removed earlier")],
    )
    shown, _ = drafts.load(db, assignment, ADA, REPORT)
    sent = form(shown["highlights"]) if script else form()
    attempt_id = drafts.submit(db, assignment, ADA, REPORT, sent)
    assert quotes(attempts.get_attempt(db, attempt_id)["highlights"]) == ["slammed"]
    work, _ = drafts.load(db, assignment, ADA, REPORT)
    assert quotes(work["unplaced"]) == ["removed earlier", "vanished words"]
    started = db.execute("select started_at from attempts where id = ?", [attempt_id])
    assert started.fetchone()[0] == STARTED


def test_without_the_script_the_saved_highlights_are_submitted(db, assignment):
    drafts.autosave(db, assignment, ADA, REPORT, {"highlights": [on("slammed")], "answers": {}})
    attempt_id = drafts.submit(db, assignment, ADA, REPORT, form())
    assert quotes(attempts.get_attempt(db, attempt_id)["highlights"]) == ["slammed"]


@pytest.mark.parametrize(
    "sent, refused",
    [
        ("{not json", drafts.UnreadableHighlights),
        ("[" * 100_000 + "]" * 100_000, drafts.UnreadableHighlights),  # deeper than JSON goes
        (json.dumps([on("slammed", "made_up")]), InvalidWork),
    ],
    ids=["not-json", "too-deep", "unknown-category"],
)
def test_a_submission_that_cannot_be_read_records_nothing(db, assignment, sent, refused):
    drafts.autosave(db, assignment, ADA, REPORT, {"highlights": [on("slammed")], "answers": {}})
    with pytest.raises(refused):
        drafts.submit(db, assignment, ADA, REPORT, MultiDict({"highlights": sent}))
    assert attempts.attempts_for(db, assignment["id"], ADA) == []
    assert quotes(drafts.load(db, assignment, ADA, REPORT)[0]["highlights"]) == ["slammed"]


def test_a_closed_assignment_takes_no_submission(db, assignment):
    roster.set_closed(db, assignment["id"], True)
    closed = classes.student_assignment(db, assignment["id"], ADA)
    with pytest.raises(drafts.AssignmentClosed):
        drafts.submit(db, closed, ADA, REPORT, form([on("slammed")]))
    assert attempts.attempts_for(db, assignment["id"], ADA) == []
