"""Cutting an article into paragraphs of segments, so that marks can be laid over the text."""

from __future__ import annotations

import bisect
import functools
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
    return list(_paragraph_ranges(text))


@functools.lru_cache(maxsize=256)
def _paragraph_ranges(text: str) -> tuple[tuple[int, int], ...]:
    # an article's ranges are asked for again by every page that shows it: found once
    ranges, start = [], 0
    for gap in PARAGRAPH_BREAK.finditer(text):
        if gap.start() > start:
            ranges.append((start, gap.start()))
        start = gap.end()
    if start < len(text):
        ranges.append((start, len(text)))
    return tuple(ranges)


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
    return [
        Paragraph(start, end, tuple(Segment(*cut) for cut in cuts))
        for start, end, cuts in cut_paragraphs(text, marks)
    ]


def cut_paragraphs(
    text: str, marks: Sequence[tuple[int, int, Any]] = ()
) -> list[tuple[int, int, list[tuple[int, int, str, tuple[Any, ...]]]]]:
    """paragraphs() as plain tuples, for the pages that lay marks over every article they show:
    (start, end, [(start, end, text, the data of the marks over it)]) for each paragraph."""
    ranges = _paragraph_ranges(text)
    starts = [start for start, _ in ranges]
    over: list[list[tuple[int, int, Any]]] = [[] for _ in ranges]  # marks over each, in order
    for mark in marks:
        # the first paragraph that could hold the mark's start, then on while they overlap
        n = max(0, bisect.bisect_right(starts, mark[0]) - 1)
        while n < len(ranges) and ranges[n][0] < mark[1]:
            if mark[0] < ranges[n][1]:
                over[n].append(mark)
            n += 1
    result = []
    for (p_start, p_end), inside in zip(ranges, over, strict=True):
        if not inside:
            result.append((p_start, p_end, [(p_start, p_end, text[p_start:p_end], ())]))
            continue
        cuts = sorted(
            {p_start, p_end} | {max(p_start, min(p_end, e)) for m in inside for e in m[:2]}
        )
        segments = [
            (a, b, text[a:b], tuple(m[2] for m in inside if m[0] < b and a < m[1]))
            for a, b in zip(cuts, cuts[1:], strict=False)
            if b > a
        ]
        result.append((p_start, p_end, segments))
    return result
