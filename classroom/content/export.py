"""Every exercise as JSON-able data, with answer keys as W3C Web Annotation targets."""

from __future__ import annotations

from typing import Any

from .model import Library

FORMAT = "classroom-exercises/1"


def export(library: Library) -> dict[str, Any]:
    """The whole library in the export format (see docs/authoring.md)."""
    return {
        "format": FORMAT,
        "exercises": [e.export() for _, e in sorted(library.exercises.items())],
    }
