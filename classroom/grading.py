"""Scoring a submission: span overlap in the manner of SemEval-2020 Task 11, and choices.

See docs/scoring.md for the rule in words. Plain data in and out; no Flask here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# A highlight on the right words but tagged with another category earns this share of credit.
OTHER_CATEGORY_WEIGHT = 0.5


class SpanLike(Protocol):
    article: str
    start: int
    end: int
    category: str


@dataclass(frozen=True)
class Span:
    """A tagged stretch of an article: [start, end) in characters."""

    article: str
    start: int
    end: int
    category: str


@dataclass(frozen=True)
class SpanScore:
    """How a set of highlights compares with a key."""

    precision: float
    recall: float
    f1: float
    items: list[dict[str, Any]]


def as_span(h: dict | SpanLike) -> Span:
    """A Span from a highlight dict or any object with the same attributes."""
    if isinstance(h, dict):
        return Span(h["article"], h["start"], h["end"], h["category"])
    return Span(h.article, h.start, h.end, h.category)


def covered(span: Span, others: Iterable[Span]) -> int:
    """How many characters of span lie under the union of the others (same article)."""
    pieces = sorted(
        (max(span.start, o.start), min(span.end, o.end))
        for o in others
        if o.article == span.article and o.start < span.end and span.start < o.end
    )
    total, reach = 0, span.start
    for start, end in pieces:
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


def credit(span: Span, against: Sequence[Span]) -> tuple[float, str]:
    """Credit in [0, 1] for span from the spans against it, and found / partly / missed."""
    length = span.end - span.start
    if length <= 0:
        return 0.0, "missed"
    same = covered(span, [a for a in against if a.category == span.category]) / length
    anywhere = covered(span, against) / length
    status = "found" if same > 0 else "partly" if anywhere > 0 else "missed"
    return same + OTHER_CATEGORY_WEIGHT * (anywhere - same), status


def span_score(
    key: Sequence[SpanLike],
    highlights: Sequence[dict | SpanLike],
    categories: Iterable[str],
    articles: Iterable[str],
) -> SpanScore:
    """Precision, recall and F1 of highlights against key, with each key item's status.

    Recall averages, over key items, the share of each item's characters that the student
    covered; precision averages, over the student's highlights in this task's categories and
    articles, the share of each highlight that lies on the key. Same category counts fully,
    another category at OTHER_CATEGORY_WEIGHT.
    """
    key_spans = [as_span(k) for k in key]
    articles, categories = set(articles), set(categories)
    mine = [s for s in map(as_span, highlights) if s.article in articles]
    results = []
    for item, span in zip(key, key_spans, strict=True):
        score, status = credit(span, mine)
        results.append({"id": getattr(item, "id", ""), "credit": score, "status": status})
    recall = sum(r["credit"] for r in results) / len(results) if results else 1.0
    tagged = [s for s in mine if s.category in categories]
    precision = sum(credit(s, key_spans)[0] for s in tagged) / len(tagged) if tagged else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SpanScore(precision, recall, f1, results)


def choice_score(correct: Sequence[bool], chosen: Iterable[int]) -> float:
    """1 for exactly the right options; with several right, right picks minus wrong ones."""
    chosen = {i for i in chosen if 0 <= i < len(correct)}
    right = sum(1 for i in chosen if correct[i])
    wrong = len(chosen) - right
    return max(0.0, (right - wrong) / max(1, sum(correct)))


def extras(highlights: Sequence[dict], key: Sequence[SpanLike]) -> list[int]:
    """Indexes of highlights that touch no key item at all: possibly right, for the teacher."""
    key_spans = [as_span(k) for k in key]
    return [i for i, h in enumerate(highlights) if covered(as_span(h), key_spans) == 0]


def total(task_results: Iterable[tuple[float, float | None]]) -> float | None:
    """The exercise score: the points-weighted mean of the tasks that have a score."""
    scored = [(points, score) for points, score in task_results if score is not None]
    weight = sum(points for points, _ in scored)
    return sum(points * score for points, score in scored) / weight if weight else None
