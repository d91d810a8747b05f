"""Turning an author's quote into character offsets in an article, and explaining failures."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from .model import quoted

_LOOKALIKES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
}


class AnchorError(ValueError):
    """A quote that cannot be placed in the article; the message says why and how to fix it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands in an article, with the text around it for re-anchoring."""

    start: int
    end: int
    prefix: str
    suffix: str


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every occurrence of quote in text, overlapping ones included."""
    found, at = [], text.find(quote)
    while at != -1 and quote:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def line_of(text: str, offset: int) -> int:
    """The 1-based line of the article on which offset falls."""
    return text.count("\n", 0, offset) + 1


def anchor(
    text: str,
    quote: str,
    *,
    prefix: str = "",
    suffix: str = "",
    occurrence: int | None = None,
    context: int = 32,
    article_file: str = "",
) -> Anchor:
    """Place quote in text, using prefix, suffix or an occurrence number when it repeats.

    article_file names the article's file in the advice for a quote not found, since copying
    from that file is the one fix that holds for every difference: quotes, dashes, spaces.
    """
    if not quote.strip():
        raise AnchorError("the quote is empty", copy_advice(article_file))
    starts = occurrences(text, quote)
    if not starts:
        raise AnchorError(*_not_found(text, quote, article_file))
    if prefix or suffix:
        starts = [
            s
            for s in starts
            if text[:s].endswith(prefix) and text[s + len(quote) :].startswith(suffix)
        ]
        if not starts:
            raise AnchorError(
                f"the quote {quoted(quote)} occurs, but never with that prefix/suffix",
                "prefix is the exact text just before the quote, suffix the text just after",
            )
    if occurrence is not None:
        if not 1 <= occurrence <= len(starts):
            raise AnchorError(
                f"occurrence {occurrence} asked for, but the quote occurs {len(starts)} time(s)",
                "occurrence counts from 1 in reading order",
            )
        starts = [starts[occurrence - 1]]
    if len(starts) > 1:
        lines = ", ".join(str(line_of(text, s)) for s in starts)
        raise AnchorError(
            f"the quote {quoted(quote)} occurs {len(starts)} times in the article (lines {lines})",
            "add 'occurrence: N' (1 = first) or a 'prefix'/'suffix' of the words around the one "
            "you mean",
        )
    start = starts[0]
    end = start + len(quote)
    return Anchor(start, end, text[max(0, start - context) : start], text[end : end + context])


def copy_advice(article_file: str = "") -> str:
    """What to do about a quote that is not in its article, whatever the difference."""
    return "copy the words from the article file" + (f", {article_file}" if article_file else "")


def _not_found(text: str, quote: str, article_file: str) -> tuple[str, str]:
    """Message and hint for a quote not in the text: the nearest passage, how it differs, and
    the advice to copy from the article file."""
    closest = closest_passage(text, quote)
    if closest is None:
        return f"the quote {quoted(quote)} is not in the article", copy_advice(article_file)
    return (
        f"the quote {quoted(quote)} is not in the article; closest passage (line "
        f"{line_of(text, closest[0])}): {quoted(closest[1])}",
        f"{describe_difference(quote, closest[1])}; {copy_advice(article_file)}",
    )


def closest_passage(text: str, quote: str) -> tuple[int, str] | None:
    """The start and text of the passage most like quote, or None if nothing is close.

    Compared with case and curly quotes folded, so that those differences do not shift the
    match; the earliest passage wins a tie.
    """
    size = len(quote)
    folded_text, folded_quote = _fold(text).lower(), _fold(quote).lower()

    def likeness(start: int, quick: bool = False) -> float:
        matcher = difflib.SequenceMatcher(None, folded_quote, folded_text[start : start + size])
        return matcher.quick_ratio() if quick else matcher.ratio()

    step = max(1, size // 4)
    starts = range(0, max(1, len(text) - size + 1), step)
    rough = max(starts, key=lambda s: (likeness(s, quick=True), -s), default=-1)
    if rough < 0 or likeness(rough, quick=True) < 0.6:
        return None
    # refine around the rough match, a character at a time
    nearby = range(max(0, rough - step), max(0, min(len(text) - size, rough + step)) + 1)
    start = max(nearby, key=lambda s: (likeness(s), -s))
    return (start, text[start : start + size]) if likeness(start) >= 0.6 else None


def describe_difference(quote: str, passage: str) -> str:
    """A short, human explanation of how quote differs from the passage it was meant to copy."""
    if _fold(quote) == _fold(passage):
        q, p = next((q, p) for q, p in zip(quote, passage, strict=True) if q != p)
        return (
            f"the quote has {quoted(q)} ({_name(q)}) where the article has {quoted(p)} "
            f"({_name(p)}): they look alike but are different characters"
        )
    if " ".join(quote.split()) == " ".join(passage.split()):
        return "the spacing or line breaks differ from the article"
    if quote.lower() == passage.lower():
        return "upper and lower case differ from the article"
    ops = difflib.SequenceMatcher(None, quote, passage).get_opcodes()
    diffs = [
        f"{quoted(quote[a:b])} -> {quoted(passage[c:d])}"
        for tag, a, b, c, d in ops
        if tag != "equal"
    ]
    return "differs from the article at: " + "; ".join(diffs[:3])


def _name(character: str) -> str:
    """A character's Unicode name in lower case (right single quotation mark), which tells
    apart characters that look alike."""
    return unicodedata.name(character, "unnamed character").lower()


def _fold(s: str) -> str:
    return "".join(_LOOKALIKES.get(c, c) for c in s)
