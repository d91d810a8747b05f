"""Highlight and compare tasks: find and tag spans of articles, scored by overlap with the key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ...grading import span_score
from ..fields import Fields
from ..model import KeyItem
from .base import COMMON, Context, Field, Task, task_type
from .editor import HINT, POINTS, STEP_ID, EditorField, StepContext, unique_id
from .key import DEFAULT_CATEGORIES, KEY_SCHEMA, check_article, read_categories, read_key

CATEGORIES = EditorField(
    "categories",
    "Categories students tag with",
    "categories",
    help="With one, students only find; with several, they also say which kind each find is.",
    required=True,
    default=DEFAULT_CATEGORIES,
)
INSTRUCTION = EditorField(
    "instruction",
    "Instruction",
    "textarea",
    help="What students look for, in a sentence or two.",
    required=True,
)


# What guided practice shows of a problem found, and of where one still to find is.
FOUND_FIELDS = ("id", "status", "category", "core", "quote", "paragraph", "place", "article")
FOUND_FIELDS += ("explanation", "check")
PLACE_FIELDS = ("status", "category", "core", "paragraph", "article_index")


@task_type
@dataclass(frozen=True)
class HighlightTask(Task):
    """Find and tag spans of one article; graded by overlap with the answer key."""

    type: ClassVar[str] = "highlight"
    position: ClassVar[int] = 10
    summary: ClassVar[str] = "find and tag words in one article"
    description: ClassVar[str] = (
        "Find and tag words in one article. Scored by how many characters the student's highlights "
        "share with the answer key (docs/scoring.md)."
    )
    fields: ClassVar[tuple[Field, ...]] = (
        *COMMON,
        Field(
            "article",
            {
                "description": (
                    "The article students highlight in (the .txt name). It must be in the "
                    "exercise's 'articles' list."
                ),
                "$ref": "#/$defs/articleId",
            },
            required=True,
        ),
        Field("categories", {"$ref": "#/$defs/taskCategories"}),
        Field("instruction", {"$ref": "#/$defs/instruction"}, required=True),
        Field("key", {"$ref": "#/$defs/keyList"}, required=True),
    )
    schema_defs: ClassVar[dict[str, Any]] = KEY_SCHEMA
    schema_rules: ClassVar[dict[str, Any]] = {"allOf": [{"$ref": "#/$defs/keyItemNeedsCategory"}]}
    snippet: ClassVar[dict[str, Any]] = {
        "label": "highlight task",
        "description": "Find and tag words in one article",
        "body": [
            {
                "id": "",
                "type": "highlight",
                "article": "",
                "categories": ["loaded_language"],
                "instruction": "",
                "hint": "",
                "key": [{"quote": "", "why": ""}],
            }
        ],
    }
    editor_fields: ClassVar[tuple[EditorField, ...]] = (
        STEP_ID,
        EditorField("article", "Article", "article", "The article students highlight in.", True),
        CATEGORIES,
        INSTRUCTION,
        HINT,
        POINTS,
    )
    article_ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    key: tuple[KeyItem, ...] = field(default=())

    @classmethod
    def editor_starts(cls, ctx: StepContext) -> list[tuple[str, str]]:
        """One highlight step for each category of the draft."""
        return [(c, f"Highlight: {label}") for c, label in ctx.categories]

    @classmethod
    def new_step(cls, ctx: StepContext, variant: str = "") -> dict[str, Any]:
        """A step asking for one category (variant) in the draft's first article, with the
        studio's instruction and hint for it."""
        category = cls.starting_category(ctx, variant)
        base = ctx.category_step_ids.get(category, category.replace("_", "-"))
        return {
            "id": unique_id(base, ctx.taken_ids),
            "type": cls.type,
            "article": ctx.articles[0][0],
            "categories": [category],
            "instruction": ctx.instructions.get(category, "Highlight the words that fit."),
        } | ({"hint": ctx.hints[category]} if ctx.hints.get(category) else {})

    @staticmethod
    def starting_category(ctx: StepContext, variant: str) -> str:
        """The category a new step asks for: the one chosen, else the draft's first."""
        return variant if variant in dict(ctx.categories) else ctx.categories[0][0]

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

    @property
    def key_items(self) -> tuple[KeyItem, ...]:
        """The answer key."""
        return self.key

    @property
    def tag_categories(self) -> tuple[str, ...]:
        """The categories this step asks for."""
        return self.categories

    @property
    def highlight_article_ids(self) -> tuple[str, ...]:
        """The article(s) of this step."""
        return self.article_ids

    def grade(self, highlights: list[dict], answer: Any) -> dict[str, Any]:
        """Overlap credit of the student's highlights against this task's key."""
        result = span_score(self.key, highlights, self.categories, self.article_ids)
        return {
            "score": result.f1,
            "precision": result.precision,
            "recall": result.recall,
            "items": result.items,
            "groups": result.groups,
            "problems": result.problems,
        }

    @classmethod
    def guided(cls, task, result, answer):
        """The problems found, with their words and why (the student found them), and of their
        repeats those found too; of the rest (to_find) only the kind, whether it is a main
        problem and where it is, by article and paragraph, never its words."""
        found, to_find = [], []
        for entry in result.get("entries", []):
            if entry["status"] == "found":
                found.append(
                    {
                        **{k: entry[k] for k in FOUND_FIELDS},
                        "repeats": [
                            {k: r[k] for k in ("id", "quote", "paragraph", "place", "status")}
                            for r in entry["repeats"]
                            if r["status"] == "found"
                        ],
                        # where its repeats not found yet are ("paragraph 4"), not their words
                        "elsewhere": list(
                            dict.fromkeys(
                                r["place"] for r in entry["repeats"] if r["status"] != "found"
                            )
                        ),
                    }
                )
            else:
                to_find.append(
                    {
                        **{k: entry[k] for k in PLACE_FIELDS},
                        "repeats": [{k: r[k] for k in PLACE_FIELDS} for r in entry["repeats"]],
                    }
                )
        return {
            **super().guided(task, result, answer),
            "article_ids": task["article_ids"],
            "score": result.get("score"),
            "problems": len(found) + len(to_find),
            "found": found,
            "to_find": to_find,
        }

    @classmethod
    def regrade(
        cls, task: dict[str, Any], result: dict[str, Any], highlights: list[dict], credited: list
    ) -> float | None:
        """The overlap score again, with the credited highlights of this step in the key."""
        key = task["key"] + [
            h
            for h in credited
            if h["article"] in task["article_ids"] and h["category"] in task["categories"]
        ]
        return span_score(key, highlights, task["categories"], task["article_ids"]).f1


@task_type
@dataclass(frozen=True)
class CompareTask(HighlightTask):
    """Two articles side by side; key spans may be in either."""

    type: ClassVar[str] = "compare"
    position: ClassVar[int] = 20
    summary: ClassVar[str] = "two or more articles side by side"
    description: ClassVar[str] = (
        "Two or more articles side by side; students highlight in any of them, and key items may be"
        " in any of them. Scored like a highlight task."
    )
    fields: ClassVar[tuple[Field, ...]] = (
        *COMMON,
        Field(
            "articles",
            {
                "description": (
                    "The articles shown side by side (.txt names), at least two. Each must be in "
                    "the exercise's 'articles' list."
                ),
                "type": "array",
                "minItems": 2,
                "items": {"$ref": "#/$defs/articleId"},
            },
            required=True,
        ),
        Field("categories", {"$ref": "#/$defs/taskCategories"}),
        Field("instruction", {"$ref": "#/$defs/instruction"}, required=True),
        Field(
            "key",
            {
                "description": (
                    "The answer key. In a compare task every item says which article its quote is "
                    "in."
                ),
                "type": "array",
                "minItems": 1,
                "items": {
                    "allOf": [{"$ref": "#/$defs/keyItem"}],
                    "required": ["article"],
                    "properties": {"article": {"not": {"type": "null"}}},
                },
            },
            required=True,
        ),
    )
    snippet: ClassVar[dict[str, Any]] = {
        "label": "compare task",
        "description": "Two articles side by side",
        "body": [
            {
                "id": "",
                "type": "compare",
                "articles": ["", ""],
                "categories": [""],
                "instruction": "",
                "hint": "",
                "key": [{"article": "", "quote": "", "category": "", "why": ""}],
            }
        ],
    }

    editor_fields: ClassVar[tuple[EditorField, ...]] = (
        STEP_ID,
        EditorField(
            "articles",
            "Articles side by side",
            "articles",
            "Two (or more) of the draft's articles; students highlight in any of them.",
            True,
        ),
        CATEGORIES,
        INSTRUCTION,
        HINT,
        POINTS,
    )

    @classmethod
    def editor_needs(cls, ctx: StepContext) -> str:
        """Two articles."""
        if len(ctx.articles) < 2:
            return "A compare step needs two articles: add a second article to the draft first."
        return ""

    @classmethod
    def editor_starts(cls, ctx: StepContext) -> list[tuple[str, str]]:
        """With two articles or more: one compare step for each category of the draft."""
        if cls.editor_needs(ctx):
            return []
        return [(c, f"Compare two articles: {label}") for c, label in ctx.categories]

    @classmethod
    def new_step(cls, ctx: StepContext, variant: str = "") -> dict[str, Any]:
        """A step asking for one category in the draft's first two articles side by side."""
        category = cls.starting_category(ctx, variant)
        base = "compare-" + ctx.category_step_ids.get(category, category.replace("_", "-"))
        instruction = ctx.instructions.get(category, "Highlight the words that fit.")
        return {
            "id": unique_id(base, ctx.taken_ids),
            "type": cls.type,
            "articles": [a for a, _ in ctx.articles[:2]],
            "categories": [category],
            "instruction": f"Read the two articles side by side. {instruction} Look in both.",
        } | ({"hint": ctx.hints[category]} if ctx.hints.get(category) else {})

    @classmethod
    def editor_errors(cls, values: Any, ctx: StepContext) -> dict[str, list[str]]:
        """As for any step, and at least two different articles."""
        errors = super().editor_errors(values, ctx)
        chosen = set(values.get("articles") or ())
        if len(chosen) == 1:
            errors.setdefault("articles", []).append("Tick at least two articles to compare.")
        return errors

    @classmethod
    def read_articles(cls, f: Fields, ctx: Context) -> tuple[str, ...]:
        """The two (or more) articles being compared."""
        ids = tuple(str(a) for a in f.items("articles"))
        if len(ids) < 2:
            f.report.error(f.pos("articles"), "a compare task needs at least two articles")
        for article_id in ids:
            check_article(f, ctx, "articles", article_id)
        return ids
