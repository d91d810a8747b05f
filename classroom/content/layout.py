"""Cutting an article into paragraphs of segments, so that marks can be laid over the text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class Segment:
    """A stretch of text that the same marks cover."""

    start: int
    end: int
    text: str
    marks: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an article: where it stands and its segments."""

    start: int
    end: int
    segments: tuple[Segment, ...]


def paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """[start, end) of each paragraph: text between blank lines."""
    ranges, start = [], 0
    for gap in PARAGRAPH_BREAK.finditer(text):
        if gap.start() > start:
            ranges.append((start, gap.start()))
        start = gap.end()
    if start < len(text):
        ranges.append((start, len(text)))
    return ranges


@dataclass(frozen=True)
class TextLayout:
    """An article's text as a page shows it: its own headline, if it opens with one, and the
    paragraphs after it."""

    headline: tuple[int, int] | None
    paragraphs: list[tuple[int, int]]


def same_words(a: str, b: str) -> bool:
    """The same words, whatever the case and the spaces or line breaks between them."""
    return a.casefold().split() == b.casefold().split()


def headline(title: str, text: str) -> tuple[int, int] | None:
    """[start, end) of the text's own headline: a first paragraph that repeats the title, with
    more text after it. A page shows it once, as the title, in the article's own words."""
    ranges = paragraph_ranges(text)
    if len(ranges) < 2 or not title.strip():
        return None
    start, end = ranges[0]
    return (start, end) if same_words(text[start:end], title) else None


def text_layout(title: str, text: str) -> TextLayout:
    """The headline (if the text opens with one) and the paragraphs after it."""
    ranges = paragraph_ranges(text)
    head = headline(title, text)
    return TextLayout(head, ranges[1:] if head else ranges)


def paragraphs(text: str, marks: Sequence[tuple[int, int, Any]] = ()) -> list[Paragraph]:
    """The article's paragraphs, each cut wherever a mark (start, end, data) begins or ends."""
    result = []
    for p_start, p_end in paragraph_ranges(text):
        inside = [m for m in marks if m[0] < p_end and p_start < m[1]]
        cuts = sorted(
            {p_start, p_end} | {max(p_start, min(p_end, e)) for m in inside for e in m[:2]}
        )
        segments = tuple(
            Segment(a, b, text[a:b], tuple(m[2] for m in inside if m[0] < b and a < m[1]))
            for a, b in zip(cuts, cuts[1:], strict=False)
            if b > a
        )
        result.append(Paragraph(p_start, p_end, segments))
    return result
