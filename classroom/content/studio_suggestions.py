"""The studio's suggestions: candidate key items on a draft's articles (content/suggest.py),
less those the author dismissed or already has in the key.

A suggestion is named by where it stands, "<article>:<start>:<end>:<category>": the studio
never changes an article's text, so the name holds for the draft's life, and a dismissal is
that name kept in the draft's "dismissed" list. No Flask here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .studio import InvalidEdit, categories_of
from .suggest import suggest

MAX_DISMISSED = 2000
NAME = re.compile(r"\A(?P<article>[a-z0-9][a-z0-9_-]*):(?P<start>\d+):(?P<end>\d+):(?P<cat>\w+)\Z")


def name_of(article: str, start: int, end: int, category: str) -> str:
    """The name a suggestion is dismissed by."""
    return f"{article}:{start}:{end}:{category}"


def for_draft(draft: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The suggestions for every article of the draft, in reading order, without those the
    author dismissed or that overlap a key item of the same category."""
    dismissed = set(draft.get("dismissed") or ())
    found = []
    for article in draft["articles"]:
        marked = [k for k in draft["key"] if k["article"] == article["id"]]
        for s in suggest(article["text"]):
            name = name_of(article["id"], s.start, s.end, s.category)
            taken = any(
                k["category"] == s.category and k["start"] < s.end and s.start < k["end"]
                for k in marked
            )
            if name not in dismissed and not taken:
                found.append(
                    {"id": name, "article": article["id"], "start": s.start, "end": s.end}
                    | {"category": s.category, "quote": s.quote, "reason": s.reason}
                )
    return found


def with_dismissed(draft: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """The draft with the dismissals the page sent, when it sent them; InvalidEdit says what
    does not fit. A dismissal names a place in one of the draft's articles."""
    result = dict(draft)
    if "dismissed" not in data:
        return result
    names = data["dismissed"]
    wrong = f"'dismissed' should be a list of at most {MAX_DISMISSED} suggestion names"
    if not isinstance(names, list) or len(names) > MAX_DISMISSED:
        raise InvalidEdit(wrong)
    sizes = {a["id"]: len(a["text"]) for a in draft["articles"]}
    categories = categories_of(draft)
    for name in names:
        match = NAME.match(name) if isinstance(name, str) and len(name) <= 160 else None
        if match is None:
            raise InvalidEdit(wrong)
        start, end = int(match["start"]), int(match["end"])
        size = sizes.get(match["article"])
        if size is None or not 0 <= start < end <= size or match["cat"] not in categories:
            raise InvalidEdit(f"'dismissed' names {name[:80]!r}, which is no place in the draft")
    result["dismissed"] = list(dict.fromkeys(names))
    return result
