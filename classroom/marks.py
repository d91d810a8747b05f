"""Laying highlights and answer-key items over an article's paragraphs, ready for a template.

Works on the snapshot form of an exercise (content/snapshot.py): plain dicts. The feedback
page, the teacher's review page and the author's preview all take their articles from
marked_articles, so the three read alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from typing import Any, Literal

from .content.layout import cut_paragraphs, headline
from .content.snapshot import key_items_of

STATUS_LABELS = {"found": "found", "partly": "right place, other category", "missed": "missed"}
# start, end, CSS classes, spoken label, and the id of the key item it is ("" for a highlight)
Mark = tuple[int, int, tuple[str, ...], str, str]
Reader = Literal["student", "teacher"]
# whose highlights they are, as the one reading the page would say it
HIGHLIGHT_OWNERS: dict[Reader, str] = {"student": "your", "teacher": "the student's"}


def marked_articles(
    exercise: Mapping[str, Any],
    highlights: Sequence[dict] = (),
    *,
    key: bool = False,
    statuses: Mapping[str, str] | None = None,
    extras: Sequence[dict] = (),
    reader: Reader = "student",
) -> list[dict[str, Any]]:
    """The exercise's articles, each with its paragraphs under the marks a page shows (the
    text's own headline, if it opens with one, flagged as such).

    highlights are a student's, labelled for the reader; key lays the answer key over them,
    outlined by each item's status when statuses are given (a graded attempt) and filled by
    category when not (the author's preview); extras, the highlights that touch no key item
    as reviewed_highlights gives them, are outlined, and marked when credited (the review).
    """
    categories = exercise["categories"]
    key_items = key_items_of(exercise) if key else []
    articles = []
    for article in exercise["articles"]:
        laid = marked_paragraphs(
            article["text"],
            highlight_marks(article["id"], highlights, categories, reader)
            + key_marks(article["id"], key_items, categories, statuses)
            + extra_marks(article["id"], extras),
        )
        head = headline(article["title"], article["text"])
        for paragraph in laid:  # the text's own headline is shown once, as the title
            paragraph["headline"] = (paragraph["start"], paragraph["end"]) == head
        articles.append({**article, "paragraphs": laid})
    return articles


def item_statuses(result: Mapping[str, Any]) -> dict[str, str]:
    """Each answer-key item's status in a graded result (found, partly, missed), by item id."""
    return {
        item["id"]: item["status"]
        for task in result["tasks"].values()
        for item in task.get("items", [])
    }


def reviewed_highlights(
    highlights: Sequence[dict], extra_ids: Set[int], credited: Set[int]
) -> list[dict[str, Any]]:
    """The highlights, each saying whether it is outside the key (extra) and whether credited."""
    return [
        {**h, "extra": h["id"] in extra_ids, "credited": h["id"] in credited} for h in highlights
    ]


def highlight_marks(
    article_id: str,
    highlights: Sequence[dict],
    categories: Mapping[str, dict],
    reader: Reader = "student",
) -> list[Mark]:
    """A student's highlights: filled in their category's colour and pattern."""
    owner = HIGHLIGHT_OWNERS[reader]
    return [
        (
            h["start"],
            h["end"],
            ("hl", f"cat-{categories[h['category']]['style']}"),
            f"{owner} highlight ({categories[h['category']]['label']})",
            "",
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
    """Answer-key items: outlined by status when statuses are given (and named, for the
    feedback's links to them), else filled by category."""
    marks = []
    for n, item in enumerate(key_items):
        if item["article"] != article_id:
            continue
        category = categories[item["category"]]
        label = f"key item {n + 1}, {category['label']}"
        if statuses is None:
            classes, anchor = ("hl", f"cat-{category['style']}"), ""
        else:
            anchor = item["id"]  # the feedback's list links to the item in the text
            status = statuses.get(item["id"], "missed")
            classes = ("key", f"key-{status}")
            label += f", {STATUS_LABELS[status]}"
        marks.append((item["start"], item["end"], classes, label, anchor))
    return marks


def extra_marks(article_id: str, extras: Sequence[dict]) -> list[Mark]:
    """The highlights that touch no key item: outlined, and marked when credited."""
    return [
        (
            h["start"],
            h["end"],
            ("extra", "extra-credited" if h["credited"] else "extra-open"),
            "not in the key, credited" if h["credited"] else "not in the key",
            "",
        )
        for h in extras
        if h["article"] == article_id
    ]


def marked_paragraphs(text: str, marks: Sequence[Mark]) -> list[dict[str, Any]]:
    """Paragraphs whose segments carry the classes of the marks over them, each mark's
    spoken label on its first segment in a paragraph, the ids of the key items over them
    (key_ids), and of those that begin there (anchors: where a link to the item lands)."""
    result = []
    for p_start, p_end, cuts in cut_paragraphs(text, [(m[0], m[1], m) for m in marks]):
        segments = []
        for start, _, words, over in cuts:
            if not over:  # most of the text: nothing over it
                segments.append(
                    {"text": words, "classes": "", "label": "", "key_ids": "", "anchors": []}
                )
                continue
            classes = [c for mark in over for c in mark[2]]
            labels = [mark[3] for mark in over if start == max(mark[0], p_start)]
            segments.append(
                {
                    "text": words,
                    "classes": " ".join(dict.fromkeys(classes)),
                    "label": "; ".join(labels),
                    "key_ids": " ".join(mark[4] for mark in over if mark[4]),
                    "anchors": [mark[4] for mark in over if mark[4] and start == mark[0]],
                }
            )
        result.append({"start": p_start, "end": p_end, "segments": segments})
    return result
