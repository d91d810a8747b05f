"""Select-all tasks: several options may be right; each right tick counts, each wrong one costs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..fields import Fields
from .base import COMMON, Context, Field, task_type
from .choice import ChoiceTask, read_options


@task_type
@dataclass(frozen=True)
class SelectAllTask(ChoiceTask):
    """Tick every option that applies; partial credit, wrong ticks taken off, feedback on each."""

    type: ClassVar[str] = "select_all"
    position: ClassVar[int] = 50
    summary: ClassVar[str] = "tick every option that applies"
    description: ClassVar[str] = (
        "A question with several right options, answered by ticking every one that applies. "
        "Score: (right options ticked - wrong options ticked) / number of right options, never "
        "below 0, so ticking every box does not pay. After submitting, the student sees every "
        "option's feedback, ticked or not."
    )
    fields: ClassVar[tuple[Field, ...]] = (
        *COMMON,
        Field("prompt", {"$ref": "#/$defs/prompt"}, required=True),
        Field(
            "options",
            {
                "description": (
                    "The options, in the order shown: at least two, at least one with "
                    "'correct: true'. Give every option feedback: students read all of it, "
                    "for the ones they ticked and the ones they did not."
                ),
                "type": "array",
                "minItems": 2,
                "items": {"$ref": "#/$defs/option"},
                "contains": {"$ref": "#/$defs/correctOption"},
                "minContains": 1,
            },
            required=True,
        ),
    )
    schema_rules: ClassVar[dict[str, Any]] = {}
    snippet: ClassVar[dict[str, Any]] = {
        "label": "select_all task",
        "description": "Tick every option that applies",
        "body": [
            {
                "id": "",
                "type": "select_all",
                "prompt": "",
                "options": [
                    {"text": "", "correct": True, "feedback": ""},
                    {"text": "", "correct": True, "feedback": ""},
                    {"text": "", "correct": False, "feedback": ""},
                ],
            }
        ],
    }
    multiple: bool = True

    @classmethod
    def read(cls, f: Fields, ctx: Context, task_id: str) -> SelectAllTask | None:
        """Read the prompt and options: at least two, at least one right."""
        options = read_options(f, ctx, task_id)
        correct = sum(o.correct for o in options)
        if len(options) < 2:
            f.report.error(f.pos("options"), f"task '{task_id}' needs at least two options")
        elif correct == 0:
            f.report.error(
                f.pos("options"),
                f"task '{task_id}' has no correct option",
                "mark each right answer with 'correct: true'",
            )
        elif correct == len(options):
            f.report.warning(
                f.pos("options"),
                f"every option of task '{task_id}' is correct: ticking them all without "
                "reading earns full marks",
                "add an option that sounds right but is not",
            )
        return cls(
            id=task_id,
            points=f.number("points", 1.0) or 0.0,
            instruction=f.text("prompt", nonempty=True),
            hint=f.text("hint"),
            options=tuple(options),
        )

    @property
    def many(self) -> bool:
        """Students tick as many options as apply."""
        return True
