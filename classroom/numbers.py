"""Whole numbers from what a browser sends, refused unread when no row could hold them.

Python's int() raises ValueError on more than 4,300 digits (a 500 where nothing catches it), and
SQLite raises OverflowError on an integer past its largest: every id, offset, option number and
revision the app stores is below that, so a number past it is a mistake or an attack, refused
here with the reason rather than found out by a crash further on. Plain Python, no Flask.
"""

from __future__ import annotations

LARGEST = 2**63 - 1  # SQLite's largest integer
_DIGITS = len(str(LARGEST))


def whole_number(text: str, signed: bool = False) -> int | None:
    """text as a whole number of at most LARGEST (either way, when signed allows a leading
    minus), if written in ASCII digits; None otherwise. The length is checked before int()."""
    negative = signed and text.startswith("-")
    digits = text[1:] if negative else text
    # isdigit() alone is true of "²", which int() refuses, and of other scripts' digits
    if not (digits.isascii() and digits.isdigit()) or len(digits) > _DIGITS:
        return None
    number = int(digits)
    if number > LARGEST:
        return None
    return -number if negative else number
