"""The one rule for a new account's username, for a student joining a class and for
`flask create-teacher` alike: ASCII letters, digits, dots, dashes and underscores only, so that
nobody can choose a name that looks like another's (a Cyrillic "е" in "tеacher") on a class
list, a review page or a login screen. Plain Python, no Flask."""

from __future__ import annotations

import re

MIN_LENGTH, MAX_LENGTH = 3, 32
_ALLOWED = re.compile(r"[A-Za-z0-9._-]+")


def problem(username: str) -> str | None:
    """What is wrong with username for a new account, said to the person choosing it; None if
    it may be chosen. (Stored in lower case: "Ada" and "ada" are one username.)"""
    if not MIN_LENGTH <= len(username) <= MAX_LENGTH:
        return f"A username has {MIN_LENGTH} to {MAX_LENGTH} characters."
    if not _ALLOWED.fullmatch(username):
        return "Use letters, digits, dots, dashes or underscores (no spaces or accents)."
    return None
