"""What a task type's editor in the authoring studio is made of, as plain data: the fields an
author fills in (the studio makes a form of them, templates/tasks/editor/TYPE.html lays it out),
the draft a new step is made for, and the values of each kind of field, as the form gives them
and as the exercise file takes them. Each task class declares its own editor (Task.editor...).
No Flask here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import ID_PATTERN, quoted

MAX_ID = 64
OPTION_ROWS = 6  # the option rows a choice step's form has, at least
MAX_OPTIONS = 20


@dataclass(frozen=True)
class EditorField:
    """One field of a step's form, filling the file's field of the same name.

    kind says what it holds, as the form gives it: "id", "text" or "textarea" (text), "lines"
    (text, one item a line; the file takes a list), "points" (text of a number, or blank),
    "article" (an article id of the draft), "articles" and "categories" (lists of ids, ticked),
    "flag" (ticked or not), "options" (rows of {text, correct, feedback}).
    """

    name: str
    label: str
    kind: str = "text"
    help: str = ""
    required: bool = False
    limit: int = 2000  # characters
    placeholder: str = ""
    rows: int = 3  # lines of a text area
    default: Any = None  # what the file means when it leaves the field out


STEP_ID = EditorField(
    "id",
    "Step id",
    "id",
    help=(
        "Saved answers are kept under it: lowercase letters, digits, dashes or underscores. "
        "Change it only before students start."
    ),
    required=True,
    limit=MAX_ID,
)
HINT = EditorField(
    "hint",
    "Hint (optional)",
    "textarea",
    help="For a student who is stuck, without giving the answers away.",
)
POINTS = EditorField(
    "points",
    "Points (optional)",
    "points",
    help="The step's weight in the exercise score. Left blank: 1.",
    limit=12,
)


@dataclass(frozen=True)
class StepContext:
    """What a step is edited against: the draft's articles and categories, the other steps'
    ids, and the studio's default instruction, hint and step id for each category."""

    articles: tuple[tuple[str, str], ...]  # (id, title)
    categories: tuple[tuple[str, str], ...]  # (id, label)
    taken_ids: tuple[str, ...] = ()
    instructions: Mapping[str, str] = field(default_factory=dict)
    hints: Mapping[str, str] = field(default_factory=dict)
    category_step_ids: Mapping[str, str] = field(default_factory=dict)

    def label(self, category: str) -> str:
        """A category's label, as the draft names it."""
        return dict(self.categories).get(category, category)


# --- values: as the form has them, as the file takes them ---------------------------------------


def form_value(f: EditorField, task: Mapping[str, Any]) -> Any:
    """The value a form field shows for a step as the file has it."""
    value = task.get(f.name)
    if value in (None, "", []):
        value = f.default
    if f.kind in ("articles", "categories"):
        if value is None:
            return []
        return [value] if isinstance(value, str) else [str(v) for v in value]
    if f.kind == "lines":
        items = [value] if isinstance(value, str) else value or []
        return "\n".join(str(v) for v in items)
    if f.kind == "flag":
        return value is True
    if f.kind == "points":
        return "" if value is None else _number_text(value)
    if f.kind == "options":
        return [
            {
                "text": str(o.get("text") or ""),
                "correct": o.get("correct") is True,
                "feedback": str(o.get("feedback") or ""),
            }
            for o in value or []
            if isinstance(o, Mapping)
        ]
    return "" if value is None else str(value)


def file_value(f: EditorField, value: Any) -> Any:
    """What the file's field holds for the form's value: None leaves the field out. Blank lines
    and blank option rows are dropped; text is trimmed, its line ends made plain."""
    if f.kind in ("articles", "categories"):
        return list(value or []) or None
    if f.kind == "lines":
        return [line.strip() for line in _text(value).split("\n") if line.strip()] or None
    if f.kind == "flag":
        return True if value else None
    if f.kind == "points":
        number = number_of(value)
        return None if number is None or math.isnan(number) else _whole(number)
    if f.kind == "options":
        return [
            {"text": _text(o.get("text")), "correct": bool(o.get("correct"))}
            | ({"feedback": _text(o.get("feedback"))} if _text(o.get("feedback")) else {})
            for o in value or []
            if not blank_option(o)
        ]
    return _text(value) or None


def blank_option(option: Mapping[str, Any]) -> bool:
    """A row of the options form left empty: no text, no feedback, not ticked."""
    return not (_text(option.get("text")) or _text(option.get("feedback")) or option.get("correct"))


def number_of(value: Any) -> float | None:
    """The number written (None if blank), NaN if it is not a finite number."""
    text = _text(value)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return math.nan
    return number if math.isfinite(number) else math.nan


def _text(value: Any) -> str:
    return re.sub(r"\r\n?", "\n", value).strip() if isinstance(value, str) else ""


def _whole(number: float) -> float | int:
    """2.0 as 2, as an author writes it."""
    return int(number) if float(number).is_integer() else number


def _number_text(value: Any) -> str:
    return str(_whole(value)) if isinstance(value, int | float) else str(value)


# --- the checks every editor makes ---------------------------------------------------------------


def field_errors(
    fields: Sequence[EditorField], values: Mapping[str, Any], ctx: StepContext
) -> dict[str, list[str]]:
    """What is wrong with the values, by field, whatever the task type: a required field left
    empty, text too long, an id that is not one or is taken, an article or category the draft
    has not, points that are not a number."""
    errors: dict[str, list[str]] = {}
    for f in fields:
        value = values.get(f.name)
        if f.required and file_value(f, value) is None:
            choose = f.kind in ("article", "articles", "categories")
            found = [f"Choose {f.label.lower()}." if choose else f"Fill in '{f.label}'."]
        else:
            found = _value_errors(f, value, ctx)
        if found:
            errors[f.name] = found
    return errors


def _value_errors(f: EditorField, value: Any, ctx: StepContext) -> list[str]:
    """What is wrong with one field's value, by its kind."""
    text = _text(value)
    if f.kind in ("text", "textarea", "lines", "id") and len(text) > f.limit:
        return [f"At most {f.limit} characters ({len(text)} now)."]
    if f.kind == "id" and text:
        return id_errors(text, ctx)
    if f.kind in ("article", "articles"):
        chosen = [value] if f.kind == "article" and text else value or []
        known = dict(ctx.articles)
        return [f"The draft has no article {quoted(a)}." for a in chosen if a not in known]
    if f.kind == "categories":
        known = dict(ctx.categories)
        return [f"The draft has no category {quoted(c)}." for c in value or [] if c not in known]
    if f.kind == "points":
        number = number_of(value)
        if number is not None and (math.isnan(number) or number < 0):
            return ["Points are a number, 0 or more, such as 1 or 2.5."]
    return []


def id_errors(step_id: str, ctx: StepContext) -> list[str]:
    """What is wrong with a step id: not an id, or another step's."""
    if not ID_PATTERN.match(step_id):
        return [
            "Use lowercase letters, digits, dashes or underscores, starting with a letter or "
            "a digit."
        ]
    if step_id in ctx.taken_ids:
        return [f"Another step is called {quoted(step_id)}: step ids must differ."]
    return []


def unique_id(base: str, taken: Sequence[str]) -> str:
    """base, or base-2, base-3...: an id no other step has."""
    base = re.sub(r"[^a-z0-9_-]+", "-", base.lower()).strip("-_")[: MAX_ID - 4] or "step"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
