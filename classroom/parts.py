"""The parts of the exercise page that are the same for every student, rendered once; and the
feedback page's entries, rendered once per exercise version and outcome.

The articles, each step's instructions, the tagging dialog and the data the page's script
reads are most of the page and the same for every student: they are rendered once per exercise
as loaded (again when its files change) and kept in the app, so a student's page renders only
what is theirs. While templates reload on change (development), they are rendered every time.

Every task template defines two macros for the exercise page: intro(task, exercise), the same
for every student and kept here, and work(task, exercise, work), the student's part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup

from .content.layout import text_layout
from .content.model import Exercise


@dataclass(frozen=True)
class ExerciseParts:
    """The rendered shared parts, and each task's template for the student's part of a step."""

    articles: Markup
    intros: dict[str, Markup]
    views: dict[str, Any]
    tagger: Markup
    data: Markup


def exercise_parts(exercise: Exercise) -> ExerciseParts:
    """The exercise's shared parts, rendered on first use of this exercise as loaded."""
    kept: dict[str, tuple[Exercise, ExerciseParts]] = current_app.extensions.setdefault(
        "classroom.parts", {}
    )
    rendered_for, parts = kept.get(exercise.id, (None, None))
    # Each reload of the library makes new Exercise objects: "is" sees any change to any file.
    if parts is None or rendered_for is not exercise or current_app.jinja_env.auto_reload:
        parts = render_parts(exercise)
        kept[exercise.id] = (exercise, parts)
    return parts


def render_parts(exercise: Exercise) -> ExerciseParts:
    """Render the parts from student/_exercise_parts.html and each task template's intro."""
    env = current_app.jinja_env
    page = env.get_template("student/_exercise_parts.html").module
    layouts = {a.id: text_layout(a.title, a.text) for a in exercise.articles}
    data = {
        "version": exercise.version,
        "articles": {a.id: a.text for a in exercise.articles},
        "categories": [
            {"id": c.id, "label": c.label, "style": c.style} for c in exercise.highlight_categories
        ],
    }
    views = {t.id: env.get_template(t.template).module for t in exercise.tasks}
    return ExerciseParts(
        articles=page.articles(exercise, layouts),
        intros={t.id: views[t.id].intro(t, exercise) for t in exercise.tasks},
        views=views,
        tagger=page.tagger(exercise),
        data=page.data(data),
    )


# Feedback entries kept (kept_entries); past this many, they start again.
ENTRIES_KEPT = 4096


def kept_entries(macro: Any, task: dict, entries: list[dict], exercise: dict) -> Markup:
    """A step's feedback entries (feedback.entries) as the task template's key_entry macro
    renders each, rendered once per exercise version and what differs between attempts: the
    entry's status, whether it is a main problem, and its repeats with theirs. The rest (its
    words, its explanation, its place in the article) is the version's, which never changes."""
    if current_app.jinja_env.auto_reload or "version" not in exercise:
        return Markup("").join(macro(task, entry, exercise) for entry in entries)
    kept: dict[tuple, Markup] = current_app.extensions.setdefault("classroom.entries", {})
    version = (exercise["id"], exercise["version"], task["id"])
    shown = []
    for entry in entries:
        repeats = tuple((r["id"], r["status"]) for r in entry["repeats"])
        key = (*version, entry["id"], entry["status"], entry["core"], repeats)
        html = kept.get(key)
        if html is None:
            html = macro(task, entry, exercise)
            if len(kept) >= ENTRIES_KEPT:
                kept.clear()
            kept[key] = html
        shown.append(html)
    return Markup("").join(shown)


def init_app(app: Any) -> None:
    """Give the templates kept_entries."""
    app.jinja_env.globals["kept_entries"] = kept_entries
