"""Select-all tasks: several options may be right; each right tick counts, each wrong one costs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..fields import Fields
from ..model import quoted
from .base import COMMON, Field, task_type
from .choice import OPTIONS, PROMPT, ChoiceTask
from .editor import HINT, POINTS, STEP_ID, EditorField


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
    editor_fields: ClassVar[tuple[EditorField, ...]] = (STEP_ID, PROMPT, OPTIONS, HINT, POINTS)
    starter: ClassVar[dict[str, Any]] = {
        "prompt": "Which of these are the writer's opinion rather than fact? Tick every one that "
        "applies.",
        "options": [],
        "hint": "Ask of each one: could it be checked, or does it say what the writer thinks?",
    }
    multiple: bool = True  # always: students tick as many options as apply

    @classmethod
    def read_settings(cls, f: Fields) -> dict[str, Any]:
        """Nothing beyond the prompt and options: several answers are always allowed."""
        return {}

    def check_options(self, f: Fields) -> None:
        """As for a choice, and a warning when every option is correct."""
        super().check_options(f)
        if len(self.options) >= 2 and all(o.correct for o in self.options):
            f.report.warning(
                f.pos("options"),
                f"every option of task {quoted(self.id)} is correct: ticking them all without "
                "reading earns full marks",
                "add an option that sounds right but is not",
            )
