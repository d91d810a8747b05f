"""What every task type has, and the registry that finds a type by the name files use.

A task type is one class (a module in this package) and one template (templates/tasks/TYPE.html).
The class declares its fields and knows its whole life: reading and checking its part of an
exercise file, cleaning a student's answer (from the page's JSON or a plain form post),
grading it, re-grading it from the snapshot an attempt keeps, exporting itself, describing
itself in the JSON Schema (content/schema.py puts the schema together), and its editor in the
authoring studio (the fields of its form, how a new step starts; editor.py, and the template
templates/tasks/editor/TYPE.html).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..fields import Fields, Report, position
from ..model import ID_PATTERN, Article, Category, KeyItem, did_you_mean, quoted
from .editor import EditorField, StepContext, field_errors, file_value, form_value, unique_id

TASK_TYPES: dict[str, type[Task]] = {}


class InvalidAnswer(ValueError):
    """An answer that does not fit its task; the message says what is wrong, to the student."""


@dataclass(frozen=True)
class Context:
    """What a task needs to know about the rest of its file while it is read."""

    report: Report
    articles: dict[str, Article]
    exercise_articles: tuple[str, ...]
    categories: dict[str, Category]


@dataclass(frozen=True)
class Field:
    """One field a task takes in an exercise file, with its JSON Schema."""

    name: str
    schema: dict[str, Any]
    required: bool = False


def task_type(cls: type[Task]) -> type[Task]:
    """Register a task class under its `type` name."""
    TASK_TYPES[cls.type] = cls
    return cls


# Every task needs its own id: saved answers are stored under it, so it must not change when
# tasks are reordered.
COMMON = (
    Field("id", {"$ref": "#/$defs/taskId"}, required=True),
    Field("type", {}, required=True),  # its schema is made from the class, see Task.schema
    Field("points", {"$ref": "#/$defs/points"}),
    Field("hint", {"$ref": "#/$defs/hint"}),
)


@dataclass(frozen=True)
class Task:
    """What every task has: an id, a weight, and the text shown to the student."""

    type: ClassVar[str]
    position: ClassVar[int]  # where it stands in lists of types, for authors
    summary: ClassVar[str]  # what the type is, in a few words: the schema's help and the docs
    description: ClassVar[str]  # what it is and how it is scored, for the schema
    fields: ClassVar[tuple[Field, ...]]
    graded: ClassVar[bool] = True  # counts towards the exercise score
    schema_defs: ClassVar[dict[str, Any]] = {}  # definitions its fields' schemas refer to
    schema_rules: ClassVar[dict[str, Any]] = {}  # schema keywords across its fields (if/else...)
    snippet: ClassVar[dict[str, Any]] = {}  # a blank task that an editor offers to insert

    id: str
    points: float
    instruction: str
    hint: str

    @property
    def template(self) -> str:
        """The partial that renders this task: its macros intro, work, feedback, answer_key."""
        return f"tasks/{self.type}.html"

    # --- reading the file -------------------------------------------------------------------

    @classmethod
    def field_names(cls, required: bool | None = None) -> tuple[str, ...]:
        """The names of the fields this type takes (only the required ones, with required)."""
        return tuple(f.name for f in cls.fields if required is None or f.required == required)

    @classmethod
    def read(cls, f: Fields, ctx: Context, task_id: str) -> Task | None:
        """Build the task from its mapping, reporting problems to ctx.report."""
        raise NotImplementedError

    # --- what the rest of the exercise asks of a task ---------------------------------------

    @property
    def key_items(self) -> tuple[KeyItem, ...]:
        """The answer-key spans this task marks in the articles (none for most types)."""
        return ()

    @property
    def tag_categories(self) -> tuple[str, ...]:
        """The categories students tag highlights with in this task."""
        return ()

    @property
    def highlight_article_ids(self) -> tuple[str, ...]:
        """The articles students highlight in for this task."""
        return ()

    # --- a student's answer -----------------------------------------------------------------

    def clean_answer(self, value: Any) -> Any:
        """The answer sent as JSON, checked and in canonical form; InvalidAnswer if it does not
        fit. A task that takes no answer (its work is highlights) refuses every one."""
        raise InvalidAnswer(f"no question '{self.id}' in this exercise")

    def answer_from_form(self, form: Any) -> Any:
        """The answer from a plain form post (a werkzeug MultiDict), before clean_answer; None
        for a task that takes no answer."""
        return None

    def grade(self, highlights: list[dict], answer: Any) -> dict[str, Any]:
        """The result of one submission for this task: a score in [0, 1] or None, and details."""
        raise NotImplementedError

    @classmethod
    def regrade(
        cls, task: dict[str, Any], result: dict[str, Any], highlights: list[dict], credited: list
    ) -> float | None:
        """The task's score again, from its snapshot (task), its stored result and the
        attempt's highlights, with the highlights the teacher credited counted as key items.
        Credit changes nothing for most types: their stored score stands."""
        return result.get("score")

    @classmethod
    def guided(cls, task: dict[str, Any], result: dict[str, Any], answer: Any) -> dict[str, Any]:
        """What a student in guided practice may see of this step's result (classroom/held.py),
        from its snapshot and its result (as feedback.step_results gives it): nothing of the
        answer key. By default the step's own words alone; a type shows more by saying what."""
        return {"instruction": task["instruction"], "hint": task.get("hint", "")}

    # --- the studio's editor ----------------------------------------------------------------

    editor_fields: ClassVar[tuple[EditorField, ...]] = ()  # the form's fields, in order
    starter: ClassVar[dict[str, Any]] = {}  # what a new step holds besides its id and type

    @classmethod
    def editor_template(cls) -> str:
        """The partial with the macro `fields` that lays out this type's form."""
        return f"tasks/editor/{cls.type}.html"

    @classmethod
    def editor_starts(cls, ctx: StepContext) -> list[tuple[str, str]]:
        """The new steps of this type the draft can have: (variant, what it is). None where the
        draft lacks what the type needs (editor_needs says what)."""
        kind = cls.type.replace("_", " ").capitalize()
        return [] if cls.editor_needs(ctx) else [("", f"{kind}: {cls.summary}")]

    @classmethod
    def editor_needs(cls, ctx: StepContext) -> str:
        """What the draft lacks before a step of this type can be added, or ""."""
        return ""

    @classmethod
    def new_step(cls, ctx: StepContext, variant: str = "") -> dict[str, Any]:
        """A new step of this type: an id no other step has, and the type's starting texts."""
        step_id = unique_id(cls.type.replace("_", "-"), ctx.taken_ids)
        return {"id": step_id, "type": cls.type, **copy.deepcopy(cls.starter)}

    @classmethod
    def editor_values(cls, task: Mapping[str, Any]) -> dict[str, Any]:
        """What the step's form shows for a step as the file has it."""
        return {f.name: form_value(f, task) for f in cls.editor_fields}

    @classmethod
    def editor_errors(cls, values: Mapping[str, Any], ctx: StepContext) -> dict[str, list[str]]:
        """What is wrong with the values the form sent, by field; empty when they can be saved."""
        return field_errors(cls.editor_fields, values, ctx)

    @classmethod
    def edited_task(cls, values: Mapping[str, Any], old: Mapping[str, Any]) -> dict[str, Any]:
        """The step as the file takes it, from the form's values. A field that means what the
        old step's did keeps the old step's own words, and the fields the form does not show
        stay, so a step saved unchanged is the same step."""
        task, before = dict(old), cls.editor_values(old)
        for f in cls.editor_fields:
            value = file_value(f, values.get(f.name))
            if value == file_value(f, before.get(f.name)):
                continue
            if value is None:
                task.pop(f.name, None)
            else:
                task[f.name] = value
        return task

    # --- the task as plain data -------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        """The task's fields as JSON-able data (lists of parts as plain dicts)."""
        data: dict[str, Any] = {"type": self.type}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
                value = [
                    v.export() if hasattr(v, "export") else dataclasses.asdict(v) for v in value
                ]
            data[f.name] = value
        return data

    def snapshot(self) -> dict[str, Any]:
        """The export form, plus what the feedback page needs to render the task later."""
        return {**self.export(), "template": self.template, "graded": self.graded}

    @classmethod
    def schema_name(cls) -> str:
        """The name of this type's definition in the JSON Schema: highlightTask, ..."""
        head, *rest = cls.type.split("_")
        return head + "".join(word.title() for word in rest) + "Task"

    @classmethod
    def schema(cls) -> dict[str, Any]:
        """The JSON Schema of a task of this type, from its fields."""
        properties = {f.name: f.schema for f in cls.fields}
        properties["type"] = {"description": f"{cls.type}: {cls.summary}.", "const": cls.type}
        return {
            "description": cls.description,
            "type": "object",
            "required": list(cls.field_names(required=True)),
            "additionalProperties": False,
            "properties": properties,
            **cls.schema_rules,
        }


def storable_text(value: Any, limit: int) -> bool:
    """Whether value is text of at most limit characters that UTF-8 can hold."""
    if not isinstance(value, str) or len(value) > limit:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # JSON can carry a lone surrogate ("\ud800"); SQLite cannot
        return False
    return True


ARTICLES_ARE = "articles are the .txt files in exercises/articles/, named without .txt"


def unknown_article(
    report: Report, where: tuple[int, int], article_id: str, known: Iterable[str]
) -> None:
    """Report an article id that has no .txt file, naming the closest one that has."""
    close = did_you_mean(article_id, known)
    hint = f"{close} ({ARTICLES_ARE})" if close else ARTICLES_ARE
    report.error(where, f"unknown article {quoted(article_id)}", hint)


def read_task(node: Any, ctx: Context, index: int) -> Task | None:
    """Read one entry of `tasks`, dispatching on its type."""
    if not isinstance(node, dict):
        ctx.report.error(position(node), f"task {index + 1} should be a mapping")
        return None
    kind = node.get("type")
    cls = TASK_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        where = getattr(node, "positions", {}).get("type", position(node))
        ctx.report.error(
            where,
            f"task {index + 1} has unknown type {quoted(kind)}",
            did_you_mean(kind, TASK_TYPES) or "types: " + ", ".join(TASK_TYPES),
        )
        return None
    task_id = node.get("id")
    what = f"task {quoted(task_id)}" if task_id is not None else f"task {index + 1}"
    f = Fields(
        ctx.report, node, what, required=cls.field_names(required=True), optional=cls.field_names()
    )
    if task_id is None:
        task_id = f"task-{index + 1}"  # reported as missing above; read on to find more
    elif not isinstance(task_id, str) or not ID_PATTERN.match(task_id):
        ctx.report.error(
            f.pos("id"),
            f"task id {quoted(task_id)} should be lowercase letters, digits, dashes or underscores",
        )
        task_id = f"task-{index + 1}"
    return cls.read(f, ctx, task_id)
