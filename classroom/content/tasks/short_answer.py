"""Short-answer tasks: a written answer the student compares with a model answer; not scored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..fields import Fields
from .base import Context, Field, InvalidAnswer, Task, storable_text, task_type
from .editor import HINT, STEP_ID, EditorField

MAX_ANSWER = 5_000  # characters


@task_type
@dataclass(frozen=True)
class ShortAnswerTask(Task):
    """A written answer, compared by the student with a model answer; not scored automatically."""

    type: ClassVar[str] = "short_answer"
    position: ClassVar[int] = 40
    summary: ClassVar[str] = "a written answer with a model answer"
    description: ClassVar[str] = (
        "A written answer. Not scored automatically: after submitting, the student sees the model "
        "answer and key points, and the teacher reads the answer."
    )
    fields: ClassVar[tuple[Field, ...]] = (
        Field("id", {"$ref": "#/$defs/taskId"}, required=True),
        Field("type", {}, required=True),
        # points of its own: accepted, but a written answer is never part of the score
        Field(
            "points",
            {
                "description": (
                    "Accepted, but has no effect: short answers are never part of the score. "
                    "Default 0."
                ),
                "type": ["number", "null"],
                "minimum": 0,
                "default": 0,
            },
        ),
        Field("hint", {"$ref": "#/$defs/hint"}),
        Field("prompt", {"$ref": "#/$defs/prompt"}, required=True),
        Field(
            "model_answer",
            {
                "description": (
                    "A good answer, shown to the student after submitting. Required, not empty."
                ),
                "$ref": "#/$defs/nonEmptyText",
            },
            required=True,
        ),
        Field(
            "key_points",
            {
                "description": (
                    "The points a good answer makes, shown as a list under the model answer. "
                    "Optional. A single point without a list also works."
                ),
                "type": ["array", "string", "null"],
                "if": {"type": "string"},
                "then": {"$ref": "#/$defs/keyPoint"},
                "items": {"$ref": "#/$defs/keyPoint"},
            },
        ),
    )
    schema_defs: ClassVar[dict[str, Any]] = {
        "keyPoint": {
            "description": "A point a good answer makes, shown as a list under the model answer.",
            "allOf": [{"$ref": "#/$defs/text"}],
            "type": "string",
            "pattern": "\\S",
            "patternErrorMessage": "This is empty: write it out.",
        }
    }
    snippet: ClassVar[dict[str, Any]] = {
        "label": "short_answer task",
        "description": "A written answer with a model answer",
        "body": [
            {
                "id": "",
                "type": "short_answer",
                "prompt": "",
                "hint": "",
                "model_answer": "",
                "key_points": [""],
            }
        ],
    }
    editor_fields: ClassVar[tuple[EditorField, ...]] = (
        STEP_ID,
        EditorField("prompt", "Question", "textarea", "What students write about.", True, rows=2),
        EditorField(
            "model_answer",
            "Model answer",
            "textarea",
            help="Students see it after they submit, beside their own answer.",
            required=True,
            limit=MAX_ANSWER,
            placeholder=(
                "An answer a good student could write in five minutes: the claim they would "
                "check, what they would need to know, and where they would look (a primary "
                "source, an exact phrase to search)."
            ),
            rows=6,
        ),
        EditorField(
            "key_points",
            "Key points (optional, one a line)",
            "lines",
            help="The points a good answer makes, shown as a list under the model answer.",
            placeholder="Names one specific claim to check\nNames a primary source to check it in",
            limit=MAX_ANSWER,
            rows=4,
        ),
        HINT,
    )
    starter: ClassVar[dict[str, Any]] = {
        "prompt": "What would you need to know before you trusted this article? What would you "
        "search for first?",
        "hint": "Pick one claim. Who could confirm it, and what words would you search for?",
        "model_answer": "",
    }
    graded: ClassVar[bool] = False
    model_answer: str = ""
    key_points: tuple[str, ...] = ()

    @classmethod
    def read(cls, f: Fields, ctx: Context, task_id: str) -> ShortAnswerTask | None:
        """Read the prompt, model answer and optional key points."""
        return cls(
            id=task_id,
            points=f.number("points", 0.0) or 0.0,
            instruction=f.text("prompt", nonempty=True),
            hint=f.text("hint"),
            model_answer=f.text("model_answer", nonempty=True),
            key_points=tuple(
                read_point(f, i, point) for i, point in enumerate(f.items("key_points"))
            ),
        )

    def clean_answer(self, value: Any) -> str:
        """Text of at most MAX_ANSWER characters."""
        if not storable_text(value, MAX_ANSWER):
            raise InvalidAnswer(
                f"answer to '{self.id}' should be text of at most {MAX_ANSWER} characters"
            )
        return value

    def answer_from_form(self, form: Any) -> str:
        """The answer-TASK field."""
        return form.get(f"answer-{self.id}", "")

    @classmethod
    def guided(cls, task, result, answer):
        """The student's own answer; the model answer and key points come with the answers."""
        return {
            **super().guided(task, result, answer),
            "answer": answer if isinstance(answer, str) else "",
        }

    def grade(self, highlights: list[dict], answer: Any) -> dict[str, Any]:
        """No automatic score: the model answer is shown and the teacher judges."""
        return {"score": None, "text": answer if isinstance(answer, str) else ""}


def read_point(f: Fields, index: int, point: Any) -> str:
    """One key point of a short-answer task: text, with no TODO left in it."""
    if not isinstance(point, str) or not point.strip() or "TODO" in point:
        f.report.error(
            f.item_pos("key_points", index),
            f"key point {index + 1} in {f.what} should be your own text",
            "write the point a good answer makes",
        )
    return str(point)
