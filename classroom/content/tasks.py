"""The task-type registry: each type reads its part of a file, names its template, grades."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..grading import choice_score, span_score
from .anchoring import AnchorError, anchor
from .fields import Fields, Report, position
from .model import Article, Category, KeyItem

TASK_TYPES: dict[str, type[Task]] = {}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LONG_SPAN = 200  # characters; a key item longer than this is probably a whole sentence


@dataclass(frozen=True)
class Context:
    """What a task needs to know about the rest of its file while it is read."""

    report: Report
    articles: dict[str, Article]
    exercise_articles: tuple[str, ...]
    categories: dict[str, Category]


def task_type(cls: type[Task]) -> type[Task]:
    """Register a task class under its `type` name."""
    TASK_TYPES[cls.type] = cls
    return cls


@dataclass(frozen=True)
class Task:
    """What every task has: an id, a weight, and the text shown to the student."""

    type: ClassVar[str]
    fields: ClassVar[tuple[str, ...]]
    graded: ClassVar[bool] = True

    id: str
    points: float
    instruction: str
    hint: str

    @property
    def template(self) -> str:
        """The partial that renders this task: its macros intro, work, feedback, answer_key."""
        return f"tasks/{self.type}.html"

    @classmethod
    def read(cls, f: Fields, ctx: Context, task_id: str) -> Task | None:
        """Build the task from its mapping, reporting problems to ctx.report."""
        raise NotImplementedError

    def grade(self, highlights: list[dict], answer: Any) -> dict[str, Any]:
        """The result of one submission for this task: a score in [0, 1] or None, and details."""
        raise NotImplementedError


COMMON = ("id", "type", "points", "hint")


@task_type
@dataclass(frozen=True)
class HighlightTask(Task):
    """Find and tag spans of one article; graded by overlap with the answer key."""

    type: ClassVar[str] = "highlight"
    fields: ClassVar[tuple[str, ...]] = (*COMMON, "article", "categories", "instruction", "key")
    article_ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    key: tuple[KeyItem, ...] = field(default=())

    @classmethod
    def read(cls, f: Fields, ctx: Context, task_id: str) -> HighlightTask | None:
        """Read a highlight task: its article, categories and key."""
        article_ids = cls.read_articles(f, ctx)
        categories = read_categories(f, ctx)
        key = read_key(f, ctx, task_id, article_ids, categories)
        return cls(
            id=task_id,
            points=f.number("points", 1.0) or 0.0,
            instruction=f.text("instruction", nonempty=True),
            hint=f.text("hint"),
            article_ids=article_ids,
            categories=categories,
            key=key,
        )

    @classmethod
    def read_articles(cls, f: Fields, ctx: Context) -> tuple[str, ...]:
        """The one article this task is about."""
        article_id = f.text("article")
        check_article(f, ctx, "article", article_id)
        return (article_id,)

    def grade(self, highlights: list[dict], answer: Any) -> dict[str, Any]:
        """Overlap credit of the student's highlights against this task's key."""
        result = span_score(self.key, highlights, self.categories, self.article_ids)
        return {
            "score": result.f1,
            "precision": result.precision,
            "recall": result.recall,
            "items": result.items,
        }


@task_type
@dataclass(frozen=True)
class CompareTask(HighlightTask):
    """Two articles side by side; key spans may be in either."""

    type: ClassVar[str] = "compare"
    fields: ClassVar[tuple[str, ...]] = (*COMMON, "articles", "categories", "instruction", "key")

    @classmethod
    def read_articles(cls, f: Fields, ctx: Context) -> tuple[str, ...]:
        """The two (or more) articles being compared."""
        ids = tuple(str(a) for a in f.items("articles"))
        if len(ids) < 2:
            f.report.error(f.pos("articles"), "a compare task needs at least two articles")
        for article_id in ids:
            check_article(f, ctx, "articles", article_id)
        return ids


@dataclass(frozen=True)
class Option:
    """One answer of a choice task, with the feedback it earns."""

    text: str
    correct: bool
    feedback: str


@task_type
@dataclass(frozen=True)
class ChoiceTask(Task):
    """Pick one answer (or several, when `multiple`), with feedback per option."""

    type: ClassVar[str] = "choice"
    fields: ClassVar[tuple[str, ...]] = (*COMMON, "prompt", "multiple", "options")
    multiple: bool = False
    options: tuple[Option, ...] = ()

    @classmethod
    def read(cls, f: Fields, ctx: Context, task_id: str) -> ChoiceTask | None:
        """Read the prompt and options; at least one must be correct."""
        options = []
        for i, node in enumerate(f.items("options")):
            o = Fields(
                ctx.report,
                node,
                f"option {i + 1} of task '{task_id}'",
                required=("text",),
                optional=("correct", "feedback"),
            )
            options.append(
                Option(o.text("text", nonempty=True), o.flag("correct"), o.text("feedback"))
            )
        multiple = f.flag("multiple")
        correct = sum(o.correct for o in options)
        if len(options) < 2:
            f.report.error(f.pos("options"), f"choice task '{task_id}' needs at least two options")
        elif correct == 0:
            f.report.error(
                f.pos("options"),
                f"choice task '{task_id}' has no correct option",
                "mark the right answer with 'correct: true'",
            )
        elif correct > 1 and not multiple:
            f.report.error(
                f.pos("options"),
                f"choice task '{task_id}' has {correct} correct options but is single-answer",
                "add 'multiple: true'",
            )
        return cls(
            id=task_id,
            points=f.number("points", 1.0) or 0.0,
            instruction=f.text("prompt", nonempty=True),
            hint=f.text("hint"),
            multiple=multiple,
            options=tuple(options),
        )

    def grade(self, highlights: list[dict], answer: Any) -> dict[str, Any]:
        """Full credit for exactly the correct options; partial credit when several are right."""
        chosen = sorted({i for i in answer or [] if isinstance(i, int)})
        return {"score": choice_score([o.correct for o in self.options], chosen), "chosen": chosen}


@task_type
@dataclass(frozen=True)
class ShortAnswerTask(Task):
    """A written answer, compared by the student with a model answer; not scored automatically."""

    type: ClassVar[str] = "short_answer"
    fields: ClassVar[tuple[str, ...]] = (*COMMON, "prompt", "model_answer", "key_points")
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


# Every task needs its own id: saved answers are stored under it, so it must not change when
# tasks are reordered.
REQUIRED_FIELDS = {
    "highlight": ("id", "article", "instruction", "key"),
    "compare": ("id", "articles", "instruction", "key"),
    "choice": ("id", "prompt", "options"),
    "short_answer": ("id", "prompt", "model_answer"),
}


def check_article(f: Fields, ctx: Context, key: str, article_id: str) -> None:
    """Report an article id that is unknown or not listed in the exercise's `articles`."""
    if article_id not in ctx.articles:
        f.report.error(
            f.pos(key),
            f"unknown article '{article_id}'",
            "articles are the .txt files in exercises/articles/, named without .txt",
        )
    elif article_id not in ctx.exercise_articles:
        f.report.error(
            f.pos(key), f"article '{article_id}' is not in the exercise's 'articles' list"
        )


def read_categories(f: Fields, ctx: Context) -> tuple[str, ...]:
    """The categories a highlight task asks for; all known ones must exist."""
    ids = tuple(str(c) for c in f.items("categories")) or (
        "loaded_language",
        "unverified_statistic",
        "missing_context",
    )
    for i, cid in enumerate(ids):
        if cid not in ctx.categories:
            f.report.error(
                f.item_pos("categories", i),
                f"unknown category '{cid}'",
                "known: " + ", ".join(ctx.categories),
            )
    return ids


def read_key(
    f: Fields, ctx: Context, task_id: str, article_ids: tuple[str, ...], categories: tuple[str, ...]
) -> tuple[KeyItem, ...]:
    """Anchor every key item of a highlight or compare task and check the spans."""
    nodes = f.items("key")
    if "key" in f.node and not nodes:
        f.report.error(f.pos("key"), f"task '{task_id}' has an empty answer key")
    items: list[KeyItem] = []
    for i, node in enumerate(nodes):
        where = f"key item {i + 1} of task '{task_id}'"
        k = Fields(
            ctx.report,
            node,
            where,
            required=("quote", "why"),
            optional=("category", "check", "article", "prefix", "suffix", "occurrence"),
        )
        if not k.ok:
            continue
        article_id = k.text("article", article_ids[0] if len(article_ids) == 1 else "")
        if article_id not in article_ids:
            ctx.report.error(
                k.pos("article"), f"{where} needs an 'article' among " + ", ".join(article_ids)
            )
            continue
        category = k.text("category", categories[0] if len(categories) == 1 else "")
        if not category:
            ctx.report.error(
                k.pos("category"),
                f"{where} needs a 'category': task '{task_id}' asks for several",
                "use one of: " + ", ".join(categories),
            )
            continue
        if category not in categories:
            ctx.report.error(
                k.pos("category"),
                f"{where} has category '{category}', which task '{task_id}' does not ask for",
                "use one of: " + ", ".join(categories) + "; or add it to the task's 'categories'",
            )
            continue
        occurrence = k.node.get("occurrence")
        if occurrence is not None and (
            isinstance(occurrence, bool) or not isinstance(occurrence, int)
        ):
            ctx.report.error(k.pos("occurrence"), "'occurrence' should be a whole number from 1")
            continue
        quote = k.text("quote", nonempty=True)
        k.text("why", nonempty=True)
        if article_id not in ctx.articles or not quote.strip() or "TODO" in quote:
            continue
        try:
            spot = anchor(
                ctx.articles[article_id].text,
                quote,
                prefix=k.text("prefix"),
                suffix=k.text("suffix"),
                occurrence=occurrence,
            )
        except AnchorError as err:
            ctx.report.error(k.pos("quote"), f"{where}: {err}", err.hint)
            continue
        if len(quote) > LONG_SPAN:
            ctx.report.warning(
                k.pos("quote"),
                f"{where} is {len(quote)} characters long",
                "anchor on the words that carry the point, so scoring is fair",
            )
        item = KeyItem(
            f"{task_id}.{i + 1}",
            article_id,
            spot.start,
            spot.end,
            quote,
            category,
            k.text("why"),
            k.text("check"),
            spot.prefix,
            spot.suffix,
        )
        for other in items:
            if (
                other.article == item.article
                and other.category == item.category
                and other.start < item.end
                and item.start < other.end
            ):
                ctx.report.error(
                    k.pos("quote"),
                    f"{where} overlaps key item "
                    f"{other.id.split('.')[-1]} ({other.quote!r}) of the same "
                    "category",
                    "merge them into one item or shorten one",
                )
        items.append(item)
    return tuple(items)


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
            where, f"task {index + 1} has unknown type {kind!r}", "types: " + ", ".join(TASK_TYPES)
        )
        return None
    task_id = node.get("id")
    what = f"task '{task_id}'" if task_id is not None else f"task {index + 1}"
    f = Fields(ctx.report, node, what, required=REQUIRED_FIELDS[cls.type], optional=cls.fields)
    if task_id is None:
        task_id = f"task-{index + 1}"  # reported as missing above; read on to find more
    elif not isinstance(task_id, str) or not ID_PATTERN.match(task_id):
        ctx.report.error(
            f.pos("id"),
            f"task id {task_id!r} should be lowercase letters, digits, dashes or underscores",
        )
        task_id = f"task-{index + 1}"
    return cls.read(f, ctx, task_id)
