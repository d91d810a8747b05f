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
