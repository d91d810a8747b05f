"""Feedback held until the due date: the one rule for whether a reader may see how the attempts
at an assignment did.

A teacher may show feedback "after the due date". Until it passes, nothing that tells how an
attempt did (its score, its step results and marks, the answer key, the teacher's comment)
reaches the assignment's students, on any page or in any JSON: a score alone, shown for attempt
after attempt, gives the key away one phrase at a time (issue 13). The teacher sees everything.
Every view that shows a student their attempts asks feedback_held, and hands its template the
rows through unscored, so that what is held is not there to be shown by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .clock import is_past

# The fields of the store's rows that tell how an attempt did: an attempt's (score, auto_score,
# result), an attempts list's (score), and the student's assignments' (last_score).
SCORED = frozenset({"score", "auto_score", "result", "last_score"})


def feedback_held(assignment: Mapping[str, Any], role: str) -> bool:
    """Whether how this assignment's attempts did is kept from a reader in this role: from its
    students, when feedback comes after the due date, until the due date has passed.

    assignment is any row with the assignment's feedback_after and due_at (an attempt has them).
    """
    return (
        role == "student"
        and assignment["feedback_after"] == "due"
        and not is_past(assignment["due_at"])
    )


def unscored(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row without the fields that tell how an attempt did: what a held page may show."""
    return {name: value for name, value in row.items() if name not in SCORED}
