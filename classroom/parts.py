"""The parts of the exercise page that are the same for every student, rendered once.

The articles, each step's instructions, the tagging dialog and the data the page's script
reads are most of the page and the same for every student: they are rendered once per version
of an exercise and kept in the app, so a student's page renders only what is theirs. While
templates reload on change (development), they are rendered afresh every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup

from .content.layout import paragraph_ranges
from .content.model import Exercise


@dataclass(frozen=True)
class ExerciseParts:
    """Rendered HTML: the articles, each task's instructions by task id, the dialog, the data;
    and each task's template, whose work macro renders the student's part of its step."""

    articles: Markup
    intros: dict[str, Markup]
    views: dict[str, Any]
    tagger: Markup
    data: Markup


def exercise_parts(exercise: Exercise) -> ExerciseParts:
    """The exercise's shared parts, rendered on first use of this version."""
    kept: dict[str, tuple[str, ExerciseParts]] = current_app.extensions.setdefault(
        "classroom.parts", {}
    )
    version, parts = kept.get(exercise.id, (None, None))
    if parts is None or version != exercise.version or current_app.jinja_env.auto_reload:
        parts = render_parts(exercise)
        kept[exercise.id] = (exercise.version, parts)
    return parts


def render_parts(exercise: Exercise) -> ExerciseParts:
    """Render the shared parts from templates/student/_exercise_parts.html and each task's
    intro macro, and keep each task's template for the student's part."""
    env = current_app.jinja_env
    page = env.get_template("student/_exercise_parts.html").module
    paragraphs = {a.id: paragraph_ranges(a.text) for a in exercise.articles}
    data = {
        "version": exercise.version,
        "articles": {a.id: a.text for a in exercise.articles},
        "categories": [
            {"id": c.id, "label": c.label, "style": c.style} for c in exercise.highlight_categories
        ],
    }
    views = {t.id: env.get_template(t.template).module for t in exercise.tasks}
    return ExerciseParts(
        articles=page.articles(exercise, paragraphs),
        intros={t.id: views[t.id].intro(t, exercise) for t in exercise.tasks},
        views=views,
        tagger=page.tagger(exercise),
        data=page.data(data),
    )
