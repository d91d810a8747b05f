"""The exercise as each attempt keeps it, so old feedback never breaks; reading such a snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # model.py builds on this module, not the other way round
    from .model import Exercise


def snapshot(exercise: Exercise) -> dict[str, Any]:
    """The export form of the exercise, plus what the feedback page needs to render each task."""
    return {**exercise.export(), "tasks": [task.snapshot() for task in exercise.tasks]}


def key_items_of(exercise: dict[str, Any]) -> list[dict[str, Any]]:
    """Every key item of a snapshot, in file order."""
    return [item for task in exercise["tasks"] for item in task.get("key", [])]
