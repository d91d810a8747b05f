"""An exercise as plain JSON-able data, kept with attempts so old feedback never breaks."""

from __future__ import annotations

import dataclasses
from typing import Any

from .model import Exercise


def snapshot(exercise: Exercise) -> dict[str, Any]:
    """Everything needed to show an attempt's feedback later, even after the file changes."""
    return {
        "id": exercise.id,
        "title": exercise.title,
        "summary": exercise.summary,
        "version": exercise.version,
        "articles": [dataclasses.asdict(a) for a in exercise.articles],
        "categories": {c.id: dataclasses.asdict(c) for c in exercise.highlight_categories},
        "tasks": [
            {**dataclasses.asdict(t), "type": t.type, "graded": t.graded, "template": t.template}
            for t in exercise.tasks
        ],
    }
