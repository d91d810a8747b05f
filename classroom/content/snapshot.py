"""An exercise as plain JSON-able data, kept with attempts so old feedback never breaks."""

from __future__ import annotations

from typing import Any

from .export import exercise as exported
from .model import Exercise


def snapshot(exercise: Exercise) -> dict[str, Any]:
    """The export form of the exercise, plus what the feedback page needs to render each task."""
    data = exported(exercise)
    for task, task_data in zip(exercise.tasks, data["tasks"], strict=True):
        task_data["template"] = task.template
        task_data["graded"] = task.graded
    return data


def key_items_of(exercise: dict[str, Any]) -> list[dict[str, Any]]:
    """Every key item of a snapshot, in file order."""
    return [item for task in exercise["tasks"] for item in task.get("key", [])]
