"""The JSON Schema of exercise files, made from the task-type registry.

    python -m classroom.content.schema > classroom/content/exercise.schema.json

Editors read the schema (each exercise file names it in a yaml-language-server comment) to
check a file and explain each field as an author types. Each task type describes its own
fields (content/tasks/); the parts every exercise shares are here. tests/test_schema.py fails
when the file is not what this module makes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .tasks import TASK_TYPES

PATH = Path(__file__).with_name("exercise.schema.json")

SHARED_DEFS: dict[str, Any] = {
    "text": {
        "description": (
            "Text. Numbers are taken as their text. The word TODO (in capitals) is an error "
            "anywhere, so that a half-finished file is not published."
        ),
        "type": ["string", "number", "null"],
        "pattern": "^(?![\\s\\S]*TODO)",
        "patternErrorMessage": "This still says TODO: replace it with your own text.",
    },
    "nonEmptyText": {
        "description": "Text that must be written out: not empty, not only spaces, no TODO.",
        "allOf": [{"$ref": "#/$defs/text"}],
        "type": ["string", "number"],
        "pattern": "\\S",
        "patternErrorMessage": "This is empty: write it out.",
    },
    "id": {
        "description": (
            "An id: lowercase letters, digits, dashes and underscores, starting with a letter or "
            "digit."
        ),
        "type": "string",
        "pattern": "^[a-z0-9][a-z0-9_-]*$",
        "patternErrorMessage": (
            "Use lowercase letters, digits, dashes and underscores, starting with a letter or "
            "digit, e.g. loaded-language."
        ),
    },
    "articleId": {
        "description": "An article: the name of a .txt file in exercises/articles/, without .txt.",
        "type": ["string", "number"],
        "minLength": 1,
    },
    "categoryId": {
        "description": (
            "A category id: one of the built-in loaded_language, unverified_statistic, "
            "missing_context, or an id from the exercise's own 'categories'."
        ),
        "anyOf": [
            {"enum": ["loaded_language", "unverified_statistic", "missing_context"]},
            {"$ref": "#/$defs/id"},
        ],
    },
    "categoryDefinition": {
        "description": (
            "A category of this exercise's own. Students see its label on their highlights and its "
            "definition under 'What counts as …?'."
        ),
        "type": "object",
        "required": ["id", "label", "definition"],
        "additionalProperties": False,
        "properties": {
            "id": {
                "description": (
                    "The id tasks and key items use for this category, e.g. only_here. Lowercase "
                    "letters, digits, dashes, underscores. It cannot be a built-in id "
                    "(loaded_language, unverified_statistic, missing_context) or repeat another "
                    "category's."
                ),
                "allOf": [{"$ref": "#/$defs/id"}],
                "not": {"enum": ["loaded_language", "unverified_statistic", "missing_context"]},
            },
            "label": {
                "description": (
                    "The short name students see on the category's badge, e.g. 'Only in this "
                    "report'."
                ),
                "$ref": "#/$defs/nonEmptyText",
            },
            "definition": {
                "description": (
                    "What counts as this category, in a sentence or two a 15-year-old understands. "
                    "Shown to students under 'What counts as …?' in every task that asks for it."
                ),
                "$ref": "#/$defs/nonEmptyText",
            },
        },
    },
    "taskId": {
        "description": (
            "The task's id, unique in this file, e.g. loaded-language. Optional (the default is "
            "task-1, task-2, … by position), but give one: students' saved answers are stored under"
            " it, so keep it unchanged once students have started. Lowercase letters, digits, "
            "dashes, underscores."
        ),
        "$ref": "#/$defs/id",
    },
    "points": {
        "description": (
            "The task's weight in the exercise score: a number from 0 to 1,000,000. Default 1 for "
            "highlight, compare and choice tasks. A weight of 0 shows the task but leaves it out of"
            " the score."
        ),
        "type": ["number", "null"],
        "minimum": 0,
        "maximum": 1000000,
        "default": 1,
    },
    "hint": {
        "description": (
            "Help for a student who is stuck, behind a 'Hint' link. Optional. Point to where to "
            "look without giving the answers away."
        ),
        "$ref": "#/$defs/text",
    },
    "instruction": {
        "description": (
            "What the student is to do in this step, in one clear sentence or two. Shown at the top"
            " of the step and again in the feedback. Required, not empty."
        ),
        "$ref": "#/$defs/nonEmptyText",
    },
    "prompt": {
        "description": (
            "The question the student answers, shown at the top of the step and again in the "
            "feedback. Required, not empty."
        ),
        "$ref": "#/$defs/nonEmptyText",
    },
}

EXERCISE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Classroom exercise file",
    "description": (
        "An exercise in exercises/NAME.yaml: its title, the articles it uses, any categories of its"
        " own, and its tasks (the steps a student works through). The guide is docs/authoring.md. "
        "This schema is made from the task types in classroom/content/tasks/ by `python -m "
        "classroom.content.schema`; it cannot check that quotes are in the article, that ids refer "
        "to real articles or categories, or that ids are unique: `flask --app classroom exercises "
        "check` does that."
    ),
    "type": "object",
    "required": ["title", "articles", "tasks"],
    "additionalProperties": False,
    "properties": {
        "title": {
            "description": (
                "The exercise's title, shown to students in their list of assignments and at the "
                "top of the exercise page. Required, not empty."
            ),
            "$ref": "#/$defs/nonEmptyText",
        },
        "summary": {
            "description": (
                "One or two sentences on what students practise, shown under the title. Optional."
            ),
            "$ref": "#/$defs/text",
        },
        "articles": {
            "description": (
                "The articles this exercise uses, in the order they are shown: names of files in "
                "exercises/articles/ without .txt, e.g. [la-detainers-report-1]. Every article a "
                "task uses must be listed here. A single name without brackets also works."
            ),
            "type": ["array", "string", "null"],
            "minLength": 1,
            "items": {"$ref": "#/$defs/articleId"},
        },
        "categories": {
            "description": (
                "Categories of this exercise's own, added to the three built-in ones "
                "(loaded_language, unverified_statistic, missing_context). Optional; each needs an "
                "id, a label and a definition."
            ),
            "type": ["array", "null"],
            "items": {"$ref": "#/$defs/categoryDefinition"},
        },
        # its description and the ready-made tasks editors offer come from the task types
        "tasks": {
            "type": "array",
            "minItems": 1,
            "items": {"$ref": "#/$defs/task"},
        },
    },
}


def _listing(words: list[str]) -> str:
    """Words joined as a sentence lists them: a, b or c."""
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


def exercise_schema() -> dict[str, Any]:
    """The whole schema: the exercise's fields, the shared definitions and every task type's."""
    defs = dict(SHARED_DEFS)
    for cls in TASK_TYPES.values():
        defs.update(cls.schema_defs)
        defs[cls.schema_name()] = cls.schema()
    types = list(TASK_TYPES)
    defs["taskType"] = {
        "description": "What kind of task this is: "
        + _listing([f"{name} ({cls.summary})" for name, cls in TASK_TYPES.items()])
        + ".",
        "enum": types,
    }
    defs["task"] = {
        "description": "One step of the exercise. Its 'type' decides which other fields it takes.",
        "type": "object",
        "required": ["id", "type"],
        "properties": {
            "type": {"$ref": "#/$defs/taskType"},
            "id": {"$ref": "#/$defs/taskId"},
            "points": {"$ref": "#/$defs/points"},
            "hint": {"$ref": "#/$defs/hint"},
        },
        "allOf": [
            {
                "if": {"required": ["type"], "properties": {"type": {"const": name}}},
                "then": {"$ref": f"#/$defs/{cls.schema_name()}"},
            }
            for name, cls in TASK_TYPES.items()
        ],
    }
    schema = json.loads(json.dumps(EXERCISE))  # a deep copy: the module's dict stays as it is
    schema["properties"]["tasks"] = {
        "description": "The steps of the exercise, in the order students see them. Each has a "
        f"type: {_listing(types)}. At least one.",
        **schema["properties"]["tasks"],
        "defaultSnippets": [cls.snippet for cls in TASK_TYPES.values() if cls.snippet],
    }
    return {**schema, "$defs": defs}


def text() -> str:
    """The schema as the file holds it."""
    return json.dumps(exercise_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    print(text(), end="")
