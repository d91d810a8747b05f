"""Choice tasks: one answer, or several when `multiple`, with feedback per option."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ...grading import choice_score
from ...numbers import whole_number
from ..fields import Fields
from ..model import quoted
from .base import COMMON, Context, Field, InvalidAnswer, Task, task_type
from .editor import (
    HINT,
    MAX_OPTIONS,
    OPTION_ROWS,
    POINTS,
    STEP_ID,
    EditorField,
    StepContext,
    blank_option,
)

MAX_OPTION_TEXT = 500  # characters of an option as students see it
PROMPT = EditorField("prompt", "Question", "textarea", "What students answer.", True, rows=2)
OPTIONS = EditorField(
    "options",
    "Options",
    "options",
    help=(
        "In the order students see them: at least two, the right one ticked. Say in the feedback "
        "why an answer is right or wrong. Rows left empty are left out."
    ),
    required=True,
    rows=OPTION_ROWS,
)


@dataclass(frozen=True)
class Option:
    """One answer of a choice task, with the feedback it earns."""

    text: str
    correct: bool
    feedback: str


OPTION_SCHEMA: dict[str, Any] = {
    "option": {
        "description": "One answer of a choice task.",
        "type": "object",
        "required": ["text"],
        "additionalProperties": False,
        "properties": {
            "text": {
                "description": "The answer as students see it. Required, not empty.",
                "$ref": "#/$defs/nonEmptyText",
            },
            "correct": {
                "description": (
                    "true for a right answer. Default false. At least one option must be correct; "
                    "more than one only with 'multiple: true'."
                ),
                "type": "boolean",
                "default": False,
            },
            "feedback": {
                "description": (
                    "What the student reads after submitting: shown for the options they picked and"
                    " for the correct ones. Say why, not just 'right' or 'wrong'."
                ),
                "$ref": "#/$defs/text",
            },
        },
    },
    "correctOption": {
        "type": "object",
        "required": ["correct"],
        "properties": {"correct": {"const": True}},
    },
}


@task_type
@dataclass(frozen=True)
class ChoiceTask(Task):
    """Pick one answer (or several, when `multiple`), with feedback per option."""

    type: ClassVar[str] = "choice"
    position: ClassVar[int] = 30
    summary: ClassVar[str] = "a multiple-choice question"
    description: ClassVar[str] = (
        "A multiple-choice question with feedback on each option. Single answer: 1 for the right "
        "option, 0 otherwise. With 'multiple: true': (right chosen - wrong chosen) / number right, "
        "never below 0."
    )
    fields: ClassVar[tuple[Field, ...]] = (
        *COMMON,
        Field("prompt", {"$ref": "#/$defs/prompt"}, required=True),
        Field(
            "multiple",
            {
                "description": (
                    "true lets students choose several options (checkboxes) and allows several "
                    "correct ones. Default false: one answer (radio buttons)."
                ),
                "type": "boolean",
                "default": False,
            },
        ),
        Field(
            "options",
            {
                "description": (
                    "The answers to choose from, in the order shown: at least two, at least one "
                    "with 'correct: true'."
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
    schema_defs: ClassVar[dict[str, Any]] = OPTION_SCHEMA
    schema_rules: ClassVar[dict[str, Any]] = {
        "if": {"required": ["multiple"], "properties": {"multiple": {"const": True}}},
        "else": {
            "properties": {
                "options": {
                    "description": (
                        "A single-answer question has exactly one correct option; add 'multiple: "
                        "true' for more."
                    ),
                    "contains": {"$ref": "#/$defs/correctOption"},
                    "maxContains": 1,
                }
            }
        },
    }
    snippet: ClassVar[dict[str, Any]] = {
        "label": "choice task",
        "description": "A multiple-choice question",
        "body": [
            {
                "id": "",
                "type": "choice",
                "prompt": "",
                "options": [
                    {"text": "", "correct": True, "feedback": ""},
                    {"text": "", "correct": False, "feedback": ""},
                ],
            }
        ],
    }
    editor_fields: ClassVar[tuple[EditorField, ...]] = (
        STEP_ID,
        PROMPT,
        EditorField(
            "multiple",
            "Students may choose several answers",
            "flag",
            help="Then several options may be correct, and each right choice counts.",
        ),
        OPTIONS,
        HINT,
        POINTS,
    )
    starter: ClassVar[dict[str, Any]] = {
        "prompt": "Which of these claims in the article has no named source?",
        "options": [],
        "hint": "Find each claim in the article, then look for who says it.",
    }
    multiple: bool = False
    options: tuple[Option, ...] = ()

    @classmethod
    def editor_errors(cls, values: Any, ctx: StepContext) -> dict[str, list[str]]:
        """As for any step, and options a student can answer right: two at least, each with
        its text, one correct (or more, where several may be chosen)."""
        errors = super().editor_errors(values, ctx)
        rows = values.get("options") or []
        found = [
            f"Option {n} has no text: write it, or clear the row."
            for n, o in enumerate(rows, 1)
            if not blank_option(o) and not str(o.get("text") or "").strip()
        ]
        found += [
            f"Option {n}'s {part} is over {limit} characters."
            for n, o in enumerate(rows, 1)
            for part, limit in (("text", MAX_OPTION_TEXT), ("feedback", OPTIONS.limit))
            if len(str(o.get(part) or "").strip()) > limit
        ]
        filled = [o for o in rows if not blank_option(o)]
        correct = sum(bool(o.get("correct")) for o in filled)
        several = values.get("multiple", cls.multiple)
        if len(filled) > MAX_OPTIONS:
            found.append(f"At most {MAX_OPTIONS} options.")
        if len(filled) < 2:
            found.append("Write at least two options.")
        elif correct == 0:
            found.append("Tick the right answer: at least one option must be correct.")
        elif correct > 1 and not several:
            found.append(
                f"{correct} options are ticked correct, but students choose one answer: untick "
                "all but one, or tick 'Students may choose several answers'."
            )
        if found:
            errors.setdefault("options", []).extend(found)
        return errors

    @classmethod
    def read(cls, f: Fields, ctx: Context, task_id: str) -> ChoiceTask | None:
        """Read the prompt and options, and check that the question can be answered right."""
        task = cls(
            id=task_id,
            points=f.number("points", 1.0) or 0.0,
            instruction=f.text("prompt", nonempty=True),
            hint=f.text("hint"),
            options=tuple(read_options(f, ctx, task_id)),
            **cls.read_settings(f),
        )
        task.check_options(f)
        return task

    @classmethod
    def read_settings(cls, f: Fields) -> dict[str, Any]:
        """The fields beyond the prompt and options: whether several answers are allowed."""
        return {"multiple": f.flag("multiple")}

    def check_options(self, f: Fields) -> None:
        """Report options no student could answer right: fewer than two, none correct, or
        more correct ones than a student may pick."""
        what = f"{self.type.replace('_', '-')} task {quoted(self.id)}"
        correct = sum(o.correct for o in self.options)
        if len(self.options) < 2:
            f.report.error(f.pos("options"), f"{what} needs at least two options")
        elif correct == 0:
            f.report.error(
                f.pos("options"),
                f"{what} has no correct option",
                "mark the right answer with 'correct: true'",
            )
        elif correct > 1 and not self.multiple:
            f.report.error(
                f.pos("options"),
                f"{what} has {correct} correct options but is single-answer",
                "add 'multiple: true'",
            )

    def clean_answer(self, value: Any) -> list[int]:
        """Option numbers, counted from 0, in order; one unless the task takes several."""
        chosen = value if isinstance(value, list) else [value] if value is not None else []
        if not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(self.options)
            for i in chosen
        ):
            raise InvalidAnswer(
                f"answer to '{self.id}': options are numbered 0 to {len(self.options) - 1}"
            )
        if len(chosen) > 1 and not self.multiple:
            raise InvalidAnswer(f"answer to '{self.id}': choose one option")
        return sorted(set(chosen))

    def answer_from_form(self, form: Any) -> list[int]:
        """The ticked options of the choice-TASK fields."""
        picked = [whole_number(p) for p in form.getlist(f"choice-{self.id}")]
        if None in picked:
            raise InvalidAnswer(f"answer to '{self.id}': options are numbered")
        return picked

    @classmethod
    def guided(cls, task, result, answer):
        """The options the student chose and whether that is right, partly right or not yet;
        the feedback of their options only once all is right. Never which option is right."""
        options = task["options"]
        chosen = [i for i in result.get("chosen", []) if 0 <= i < len(options)]
        score = result["score"]
        if not chosen:
            verdict = "unanswered"
        else:
            verdict = "right" if score >= 1 else "partly" if score else "not yet"
        return {
            **super().guided(task, result, answer),
            "score": score,
            "verdict": verdict,
            "chosen": [options[i]["text"] for i in chosen],
            "feedback": [options[i]["feedback"] for i in chosen if options[i]["feedback"]]
            if verdict == "right"
            else [],
        }

    def grade(self, highlights: list[dict], answer: Any) -> dict[str, Any]:
        """Full credit for exactly the correct options; partial credit when several are right."""
        chosen = sorted({i for i in answer or [] if isinstance(i, int)})
        return {"score": choice_score([o.correct for o in self.options], chosen), "chosen": chosen}


def read_options(f: Fields, ctx: Context, task_id: str) -> list[Option]:
    """The options of a task, each with its text, whether it is correct, and its feedback."""
    options = []
    for i, node in enumerate(f.items("options")):
        o = Fields(
            ctx.report,
            node,
            f"option {i + 1} of task {quoted(task_id)}",
            required=("text",),
            optional=("correct", "feedback"),
        )
        options.append(Option(o.text("text", nonempty=True), o.flag("correct"), o.text("feedback")))
    return options
