"""A student's draft, from the exercise page to each submission: what is kept, decided here.

Plain data in and out, the database passed in; no Flask. The page sends highlights and answers
only: what could not be placed when the exercise changed ('unplaced') and when the work was
started are kept by the server, through every autosave and every submission.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from .content.model import Exercise
from .store.attempts import AttemptsUsedUp, record_attempt
from .store.drafts import draft_state, get_draft, save_draft
from .work import (
    InvalidWork,
    clean_work_of_version,
    empty_work,
    grade_work,
    read_json,
    replace_highlights,
    work_from_form,
)


class AssignmentClosed(Exception):
    """The assignment takes no more submissions (the draft is kept)."""


class UnreadableHighlights(ValueError):
    """The highlights sent with a submitted form are not readable JSON."""


class ChangedElsewhere(Exception):
    """The draft was saved from another page (a tab, a device) since the one this save was
    based on: nothing was written, and current is the draft as it now stands."""

    def __init__(self, current: dict[str, Any]):
        super().__init__("the work was changed in another tab or on another device")
        self.current = current


def load(
    db: Database, assignment: Mapping[str, Any], student_id: int, exercise: Exercise
) -> tuple[dict[str, Any], str | None]:
    """The student's saved work, placed on the exercise's current version, and when it was saved."""
    draft = opened(db, assignment, student_id, exercise)
    return draft["work"], draft["saved_at"]


def opened(
    db: Database, assignment: Mapping[str, Any], student_id: int, exercise: Exercise
) -> dict[str, Any]:
    """The draft as a page opens it: {work, saved_at, revision, version}, the work placed on the
    exercise's current version; revision 0 and no saved_at before the first save."""
    draft = get_draft(db, assignment["id"], student_id)
    if draft is None:
        return {"work": empty_work(), "saved_at": None, "revision": 0, "version": exercise.version}
    return {
        "work": placed(exercise, draft),
        "saved_at": draft["updated_at"],
        "revision": draft["revision"],
        "version": exercise.version,
    }


def placed(exercise: Exercise, draft: Mapping[str, Any]) -> dict[str, Any]:
    """A stored draft's work, re-placed on the exercise's text if saved on another version."""
    if draft["version"] == exercise.version:
        return draft["work"]
    return replace_highlights(exercise, draft["work"])


def autosave(
    db: Database, assignment: Mapping[str, Any], student_id: int, exercise: Exercise, data: Any
) -> str:
    """Save the work as save() does; returns when it was saved."""
    return save(db, assignment, student_id, exercise, data)["saved_at"]


def save(
    db: Database, assignment: Mapping[str, Any], student_id: int, exercise: Exercise, data: Any
) -> dict[str, Any]:
    """Check the work the page sent and make it the draft, keeping what the server alone keeps.

    data may name the revision the page's work was based on ('revision', 0 for none) and the
    exercise version the page shows ('version'). Returns {saved_at, revision, version}, with
    the work as placed when the page's version was not this one ('work'). Raises
    work.InvalidWork, saying why, for work it cannot keep, and ChangedElsewhere when the draft
    moved on since that revision.
    """
    base = data.get("revision") if isinstance(data, dict) else None
    if base is not None and (type(base) is not int or base < 0):
        raise InvalidWork("'revision' should be the draft revision the page's work is based on")
    version = data.get("version") if isinstance(data, dict) else None
    work = clean_work_of_version(exercise, data, version)
    unplaced, _ = kept(db, assignment, student_id, exercise)
    unplaced = joined(unplaced, work.pop("unplaced", []))
    saved = save_draft(
        db,
        assignment["id"],
        student_id,
        exercise.version,
        {**work, "unplaced": unplaced},
        base=base,
    )
    if saved is None:
        raise ChangedElsewhere(opened(db, assignment, student_id, exercise))
    if version is not None and version != exercise.version:
        saved["work"] = {**work, "unplaced": unplaced}
    return {**saved, "version": exercise.version}


def joined(unplaced: list[dict[str, Any]], more: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unplaced work with more of it, each piece once (a page on an old version sends the
    same highlights with every save)."""
    seen = {json.dumps(u, sort_keys=True) for u in unplaced}
    return unplaced + [u for u in more if json.dumps(u, sort_keys=True) not in seen]


def kept(
    db: Database, assignment: Mapping[str, Any], student_id: int, exercise: Exercise
) -> tuple[list[dict[str, Any]], str | None]:
    """What a save or a submission keeps of the stored draft: its unplaced work and its start.

    The list the page never sends is kept as stored; when the draft was saved on an older
    version, what of its work could not be placed on this one joins it, as the page showed.
    """
    # every autosave asks: the whole work is read only when the version changed
    stored = draft_state(db, assignment["id"], student_id, exercise.version)
    if stored is None:
        return [], None
    if stored["work"] is None:  # saved on this version
        return stored["unplaced"], stored["started_at"]
    return replace_highlights(exercise, stored["work"])["unplaced"], stored["started_at"]


def submit(
    db: Database, assignment: Mapping[str, Any], student_id: int, exercise: Exercise, form: Any
) -> int:
    """Check the submitted form's work, grade it and record an attempt; returns its id.

    The attempt becomes the draft, with the draft's unplaced work and start kept. form is a
    submitted form (get, getlist): the choice-TASK and answer-TASK fields, the highlights as
    JSON, which the page's script sends ("[]" for none), and the page's submission token.
    Raises AssignmentClosed, UnreadableHighlights, or work.InvalidWork saying what is wrong;
    AttemptsUsedUp when every attempt the assignment allows is made, once the work sent is
    kept as the draft (it may hold what no autosave reached).
    """
    if assignment["closed_at"]:
        raise AssignmentClosed
    sent = form.get("highlights")
    if sent:
        highlights = read_json(sent)
        if highlights is None:
            raise UnreadableHighlights
        work = work_from_form(exercise, form, highlights, form.get("version"))
        unplaced, started_at = kept(db, assignment, student_id, exercise)
        unplaced = joined(unplaced, work.pop("unplaced", []))
    else:  # without the script, the highlights saved last are the student's highlights
        stored = get_draft(db, assignment["id"], student_id)
        saved = placed(exercise, stored) if stored else empty_work()
        work = work_from_form(exercise, form, saved["highlights"])
        unplaced = saved.get("unplaced", [])
        started_at = stored["started_at"] if stored else None
    kept_work = {**work, "unplaced": unplaced}
    try:
        return record_attempt(
            db,
            assignment["id"],
            student_id,
            exercise.snapshot,
            kept_work,
            grade_work(exercise, work),
            started_at=started_at,
            key=submission_key(form.get("submission"), work),
        )
    except AttemptsUsedUp:
        save_draft(db, assignment["id"], student_id, exercise.version, kept_work)
        raise


def submission_key(token: str | None, work: Mapping[str, Any]) -> str | None:
    """What names one submission: the token of the page it was sent from, with the work sent.

    A double click sends the same page's work twice and is recorded once; work changed on that
    page and sent again (after going back, say) is a new attempt, so nothing is dropped.
    """
    if not token:
        return None
    sent = json.dumps(work, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{token}\n{sent}".encode()).hexdigest()
