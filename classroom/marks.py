"""Laying highlights and answer-key items over an article's paragraphs, ready for a template."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .content.layout import paragraphs

STATUS_LABELS = {"found": "found", "partly": "right place, other category", "missed": "missed"}


def _label(categories: Mapping[str, Any], category_id: str) -> str:
    category = categories.get(category_id)
    return (
        category["label"]
        if isinstance(category, Mapping)
        else getattr(category, "label", category_id)
    )


def _style(categories: Mapping[str, Any], category_id: str) -> int:
    category = categories.get(category_id)
    return category["style"] if isinstance(category, Mapping) else getattr(category, "style", 0)


def feedback_paragraphs(
    article_id: str,
    text: str,
    categories: Mapping[str, Any],
    key_items: Sequence[dict],
    highlights: Sequence[dict],
    statuses: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Paragraphs whose segments carry the CSS classes and spoken labels of what covers them.

    A student's highlight fills the text in its category's style; a key item outlines it in
    the style of its status (found, partly, missed). Each mark's first segment carries a label
    for screen readers.
    """
    marks = [
        (h["start"], h["end"], ("mine", i, h))
        for i, h in enumerate(highlights)
        if h["article"] == article_id
    ]
    marks += [
        (k["start"], k["end"], ("key", n, k))
        for n, k in enumerate(key_items)
        if k["article"] == article_id
    ]
    result = []
    for paragraph in paragraphs(text, marks):
        segments = []
        for segment in paragraph.segments:
            classes, labels = [], []
            for kind, n, item in segment.marks:
                if kind == "mine":
                    classes += ["hl", f"cat-{_style(categories, item['category'])}"]
                    if segment.start == max(item["start"], paragraph.start):
                        labels.append(f"your highlight ({_label(categories, item['category'])})")
                else:
                    status = statuses.get(item["id"], "missed")
                    classes += ["key", f"key-{status}"]
                    if segment.start == max(item["start"], paragraph.start):
                        labels.append(
                            f"key item {n + 1}, {_label(categories, item['category'])},"
                            f" {STATUS_LABELS[status]}"
                        )
            segments.append(
                {
                    "text": segment.text,
                    "classes": " ".join(dict.fromkeys(classes)),
                    "label": "; ".join(labels),
                }
            )
        result.append({"start": paragraph.start, "end": paragraph.end, "segments": segments})
    return result
