"""Every exercise as JSON-able data, with answer keys as W3C Web Annotation targets."""

from __future__ import annotations

import dataclasses
from typing import Any

from .model import Exercise, KeyItem, Library

FORMAT = "classroom-exercises/1"


def key_item(item: KeyItem) -> dict[str, Any]:
    """A key item with its offsets and a Web Annotation target that other tools understand."""
    return {
        "id": item.id,
        "article": item.article,
        "start": item.start,
        "end": item.end,
        "quote": item.quote,
        "category": item.category,
        "explanation": item.why,
        "check": item.check,
        "target": {
            "source": item.article,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": item.quote,
                    "prefix": item.prefix,
                    "suffix": item.suffix,
                },
                {"type": "TextPositionSelector", "start": item.start, "end": item.end},
            ],
        },
    }


def task(t) -> dict[str, Any]:
    """A task's fields, with its key items (if any) in export form."""
    fields = {f.name: getattr(t, f.name) for f in dataclasses.fields(t) if f.name != "key"}
    if "options" in fields:
        fields["options"] = [dataclasses.asdict(o) for o in t.options]
    data = {"type": t.type, **fields}
    if hasattr(t, "key"):
        data["key"] = [key_item(k) for k in t.key]
    return data


def exercise(e: Exercise) -> dict[str, Any]:
    """One exercise: id, title, version, articles with full text, categories and tasks."""
    return {
        "id": e.id,
        "title": e.title,
        "summary": e.summary,
        "version": e.version,
        "articles": [dataclasses.asdict(a) for a in e.articles],
        "categories": {c.id: dataclasses.asdict(c) for c in e.highlight_categories},
        "tasks": [task(t) for t in e.tasks],
    }


def export(library: Library) -> dict[str, Any]:
    """The whole library in the export format (see docs/authoring.md)."""
    return {
        "format": FORMAT,
        "exercises": [exercise(e) for _, e in sorted(library.exercises.items())],
    }
