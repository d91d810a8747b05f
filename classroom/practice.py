"""An assignment's rules of practice in words: its feedback mode, its attempts, the attempt that
counts. One wording for the pages and the CSV files; plain Python."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MODE_NAMES = {
    "guided": "guided practice",
    "submit": "answers at once",
    "due": "after due date",
}
COUNTING_NAMES = {
    "best_before_answers": "best before seeing the answers",
    "best": "best",
    "latest": "latest",
    "first": "first",
}

# How the student came to see the answers (answers_seen.reason), for the teacher.
SEEN_NAMES = {
    "asked": "asked for them",
    "attempts_used": "shown once every attempt was used",
    "shown": "shown with the feedback",
}


def attempts_in_words(allowed: int | None) -> str:
    """'3 attempts', '1 attempt', or 'no attempt limit'."""
    if allowed is None:
        return "no attempt limit"
    return f"{allowed} attempt{'' if allowed == 1 else 's'}"


def counting_in_words(counting: str) -> str:
    """Which attempt counts, as a heading or a sentence says it: 'best before seeing the
    answers counts'."""
    return f"{COUNTING_NAMES[counting]} counts"


def rules_in_words(assignment: Mapping[str, Any]) -> str:
    """The assignment's feedback mode, attempts and counting rule in one line, for a teacher:
    'guided practice · 3 attempts · best before seeing the answers counts'."""
    return " · ".join(
        [
            MODE_NAMES[assignment["feedback_after"]],
            attempts_in_words(assignment["attempts_allowed"]),
            counting_in_words(assignment["counting"]),
        ]
    )


def attempts_left(allowed: int | None, made: int) -> int | None:
    """How many attempts the student has left (None: no limit)."""
    return None if allowed is None else max(0, allowed - made)


def init_app(app: Any) -> None:
    """The filters the pages say the rules with."""
    app.add_template_filter(rules_in_words, "practice_rules")
    app.add_template_filter(attempts_in_words, "attempts_in_words")
    app.add_template_filter(SEEN_NAMES.get, "seen_in_words")
