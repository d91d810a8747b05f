"""Laying highlights and answer-key items over an article's paragraphs, ready for a template.

Works on the snapshot form of an exercise (content/snapshot.py): plain dicts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .content.layout import paragraphs

STATUS_LABELS = {"found": "found", "partly": "right place, other category", "missed": "missed"}
Mark = tuple[int, int, tuple[str, ...], str]  # start, end, CSS classes, spoken label


def highlight_marks(
    article_id: str, highlights: Sequence[dict], categories: Mapping[str, dict]
) -> list[Mark]:
    """A student's highlights: filled in their category's colour and pattern."""
    return [
        (
            h["start"],
            h["end"],
            ("hl", f"cat-{categories[h['category']]['style']}"),
            f"your highlight ({categories[h['category']]['label']})",
        )
        for h in highlights
        if h["article"] == article_id
    ]


def key_marks(
    article_id: str,
    key_items: Sequence[dict],
    categories: Mapping[str, dict],
    statuses: Mapping[str, str] | None = None,
) -> list[Mark]:
    """Answer-key items: outlined by status when statuses are given, else filled by category."""
    marks = []
    for n, item in enumerate(key_items):
        if item["article"] != article_id:
            continue
        category = categories[item["category"]]
        label = f"key item {n + 1}, {category['label']}"
        if statuses is None:
            classes = ("hl", f"cat-{category['style']}")
        else:
            status = statuses.get(item["id"], "missed")
            classes = ("key", f"key-{status}")
            label += f", {STATUS_LABELS[status]}"
        marks.append((item["start"], item["end"], classes, label))
    return marks


def marked_paragraphs(text: str, marks: Sequence[Mark]) -> list[dict[str, Any]]:
    """Paragraphs whose segments carry the classes of the marks over them, and each mark's
    spoken label on its first segment in a paragraph."""
    result = []
    for paragraph in paragraphs(text, [(m[0], m[1], m) for m in marks]):
        segments = []
        for segment in paragraph.segments:
            classes = [c for mark in segment.marks for c in mark[2]]
            labels = [
                mark[3] for mark in segment.marks if segment.start == max(mark[0], paragraph.start)
            ]
            segments.append(
                {
                    "text": segment.text,
                    "classes": " ".join(dict.fromkeys(classes)),
                    "label": "; ".join(labels),
                }
            )
        result.append({"start": paragraph.start, "end": paragraph.end, "segments": segments})
    return result
