"""What the insight page draws, in chart units: the completion bar, the score columns and the
heat scale. Templates draw SVG from these attributes alone, since the Content-Security-Policy
forbids style attributes. Plain Python: counts in, shapes out."""

from __future__ import annotations

import math
from typing import Any

HEAT_LEVELS = 5  # heat-1 .. heat-5; heat-0 is text nobody highlighted


def heat_level(students: int, of: int) -> int:
    """0 for text nobody highlighted, else 1-5 by the share of students who did."""
    if students <= 0 or of <= 0:
        return 0
    return min(HEAT_LEVELS, math.ceil(HEAT_LEVELS * students / of))


def heat_legend() -> list[dict[str, Any]]:
    """What each shade means, as shares of the students who submitted."""
    step = 100 // HEAT_LEVELS
    return [
        {"level": n, "label": f"{1 if n == 1 else (n - 1) * step + 1}–{n * step} %"}
        for n in range(1, HEAT_LEVELS + 1)
    ]


def stacked_bar(counts: dict[str, int], width: float = 100.0) -> list[dict[str, Any]]:
    """Completion as the segments of one bar, with x and width in the bar's units."""
    parts = [
        ("submitted", "Submitted"),
        ("in_progress", "In progress"),
        ("not_started", "Not started"),
    ]
    total = counts["students"]
    segments, x = [], 0.0
    for name, label in parts:
        share = counts[name] / total if total else 0.0
        segments.append(
            {
                "name": name.replace("_", "-"),
                "label": label,
                "students": counts[name],
                "x": round(x, 2),
                "width": round(width * share, 2),
            }
        )
        x += width * share
    return segments


def column_chart(buckets: list[dict], height: float = 100.0, step: float = 20.0) -> list[dict]:
    """The score buckets as columns: x, y, width and height in chart units (tallest = height)."""
    tallest = max((b["students"] for b in buckets), default=0) or 1
    return [
        {
            **b,
            "x": i * step + step * 0.1,
            "width": step * 0.8,
            "height": round(height * b["students"] / tallest, 2),
            "y": round(height - height * b["students"] / tallest, 2),
            "label_y": round(height - height * b["students"] / tallest - 3, 2),
            "middle": i * step + step / 2,
        }
        for i, b in enumerate(buckets)
    ]
