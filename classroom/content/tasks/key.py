"""Answer keys of highlight and compare tasks: their categories, and each item anchored in its
article with the spans checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...grading import CORE_WEIGHT
from ..anchoring import AnchorError, anchor
from ..fields import Fields
from ..model import KeyItem, did_you_mean, quoted
from .base import Context, unknown_article

LONG_SPAN = 200  # characters; a key item longer than this is probably a whole sentence
DEFAULT_CATEGORIES = ("loaded_language", "unverified_statistic", "missing_context")

KEY_SCHEMA: dict[str, Any] = {
    "taskCategories": {
        "description": (
            "The categories students tag highlights with in this step, e.g. [loaded_language]. "
            "Default (left out or empty): all three built-in ones. With exactly one, key items need"
            " no 'category'; with several, each key item names its own."
        ),
        "type": ["array", "string", "null"],
        "pattern": "^[a-z0-9][a-z0-9_-]*$",
        "items": {"$ref": "#/$defs/categoryId"},
    },
    "keyItem": {
        "description": (
            "One answer-key item: the exact words of the article, why they belong to the category, "
            "and how a reader could check. The student's feedback shows each item as found, partly "
            "found or missed, with its explanation."
        ),
        "type": "object",
        "required": ["quote", "why"],
        "additionalProperties": False,
        "properties": {
            "quote": {
                "description": (
                    "The exact words of the article: copy them from the article file, so that they "
                    "match character for character (the same capitals, the same straight or curly "
                    "quotes and apostrophes, dashes and spaces as the article has). As short"
                    " as carries the point: the loaded word, not the whole sentence (over 200 "
                    "characters gives a warning). If the words occur more than once in the article,"
                    " add prefix, suffix or occurrence."
                ),
                "$ref": "#/$defs/nonEmptyText",
            },
            "why": {
                "description": (
                    "Why these words belong to the category, in a sentence a 15-year-old "
                    "understands. Say whose words they are (the writer's, or a quoted speaker's). "
                    "Shown in the feedback."
                ),
                "$ref": "#/$defs/nonEmptyText",
            },
            "category": {
                "description": (
                    "The category of this item, one of the task's categories. May be left out when "
                    "the task asks for exactly one category."
                ),
                "anyOf": [{"$ref": "#/$defs/categoryId"}, {"type": "null"}],
            },
            "check": {
                "description": (
                    "What a reader could do to check: which primary source to read, which question "
                    "to ask, what to search for. Shown as 'How to check' in the feedback. Optional,"
                    " but expected for statistics and missing context."
                ),
                "$ref": "#/$defs/text",
            },
            "article": {
                "description": (
                    "Which article the quote is in (the .txt name). May be left out when the task "
                    "has a single article; required in compare tasks."
                ),
                "anyOf": [{"$ref": "#/$defs/articleId"}, {"type": "null"}],
            },
            "prefix": {
                "description": (
                    "For a quote that occurs more than once: the exact text just before the one you"
                    " mean, spaces included, e.g. 'releasing more ' (with the trailing space)."
                ),
                "$ref": "#/$defs/text",
            },
            "suffix": {
                "description": (
                    "For a quote that occurs more than once: the exact text just after the one you "
                    "mean, spaces included, e.g. ' on the streets' (with the leading space)."
                ),
                "$ref": "#/$defs/text",
            },
            "occurrence": {
                "description": (
                    "For a quote that occurs more than once: which one, counting from 1 in reading "
                    "order. With a prefix or suffix, it counts only the places that fit them."
                ),
                "type": ["integer", "null"],
                "minimum": 1,
            },
            "core": {
                "description": (
                    "true for what every careful reader should find: a core problem counts "
                    f"{CORE_WEIGHT:g} times as much as the others in the score (docs/scoring.md). "
                    "Default false. In a group, one core item makes the whole group core."
                ),
                "type": ["boolean", "null"],
            },
            "group": {
                "description": (
                    "A name shared by the repeats of one problem in this step, e.g. alien-label "
                    "for the same label five times: finding any one of them finds the group, "
                    "which counts once in the score, and the feedback says it recurs. Leave it out"
                    " for an item that stands alone."
                ),
                "$ref": "#/$defs/text",
            },
        },
    },
    "keyList": {
        "description": (
            "The answer key: every instance a careful teacher would mark, not a sample. At least "
            "one item."
        ),
        "type": "array",
        "minItems": 1,
        "items": {"$ref": "#/$defs/keyItem"},
    },
    "keyItemNeedsCategory": {
        "description": (
            "When a task asks for more than one category (or for the default three), each key item "
            "must say its category."
        ),
        "if": {
            "required": ["categories"],
            "properties": {
                "categories": {
                    "anyOf": [{"type": "string"}, {"type": "array", "minItems": 1, "maxItems": 1}]
                }
            },
        },
        "else": {
            "properties": {
                "key": {
                    "items": {
                        "required": ["category"],
                        "properties": {"category": {"not": {"type": "null"}}},
                    }
                }
            }
        },
    },
}


def check_article(f: Fields, ctx: Context, key: str, article_id: str) -> None:
    """Report an article id that is unknown or not listed in the exercise's `articles`."""
    if article_id not in ctx.articles:
        unknown_article(f.report, f.pos(key), article_id, ctx.articles)
    elif article_id not in ctx.exercise_articles:
        f.report.error(
            f.pos(key), f"article {quoted(article_id)} is not in the exercise's 'articles' list"
        )


def read_categories(f: Fields, ctx: Context) -> tuple[str, ...]:
    """The categories a highlight task asks for; all known ones must exist."""
    ids = tuple(str(c) for c in f.items("categories")) or DEFAULT_CATEGORIES
    for i, cid in enumerate(ids):
        if cid not in ctx.categories:
            f.report.error(
                f.item_pos("categories", i),
                f"unknown category {quoted(cid)}",
                did_you_mean(cid, ctx.categories) or "known: " + ", ".join(ctx.categories),
            )
    return ids


def article_file(ctx: Context, article_id: str) -> str:
    """The article's .txt file as the author sees it: in articles/ beside the exercise file."""
    return str(Path(ctx.report.path).parent / "articles" / f"{article_id}.txt")


def read_key(
    f: Fields, ctx: Context, task_id: str, article_ids: tuple[str, ...], categories: tuple[str, ...]
) -> tuple[KeyItem, ...]:
    """Anchor every key item of a highlight or compare task and check the spans."""
    nodes = f.items("key")
    if "key" in f.node and not nodes:
        f.report.error(f.pos("key"), f"task {quoted(task_id)} has an empty answer key")
    items: list[KeyItem] = []
    members: dict[str, list[tuple[int, int]]] = {}  # each group's items, by where they say so
    files = {a: article_file(ctx, a) for a in article_ids}  # for the advice if a quote is not found
    for i, node in enumerate(nodes):
        where = f"key item {i + 1} of task {quoted(task_id)}"
        k = Fields(
            ctx.report,
            node,
            where,
            required=("quote", "why"),
            optional=(
                "category",
                "check",
                "article",
                "prefix",
                "suffix",
                "occurrence",
                "core",
                "group",
            ),
        )
        if not k.ok:
            continue
        # every text first, so that each TODO is reported even when the item has other errors
        quote, why = k.text("quote", nonempty=True), k.text("why", nonempty=True)
        check, prefix, suffix = k.text("check"), k.text("prefix"), k.text("suffix")
        core = k.node.get("core") is not None and k.flag("core")
        group = k.text("group").strip()
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
                f"{where} needs a 'category': task {quoted(task_id)} asks for several",
                "use one of: " + ", ".join(categories),
            )
            continue
        if category not in categories:
            ctx.report.error(
                k.pos("category"),
                f"{where} has category {quoted(category)}, which task {quoted(task_id)} does not "
                "ask for",
                did_you_mean(category, categories)
                or f"use one of: {', '.join(categories)}; or add it to the task's 'categories'",
            )
            continue
        occurrence = k.node.get("occurrence")
        if occurrence is not None and (
            isinstance(occurrence, bool) or not isinstance(occurrence, int)
        ):
            ctx.report.error(k.pos("occurrence"), "'occurrence' should be a whole number from 1")
            continue
        if article_id not in ctx.articles or not quote.strip() or "TODO" in quote:
            continue
        try:
            spot = anchor(
                ctx.articles[article_id].text,
                quote,
                prefix=prefix,
                suffix=suffix,
                occurrence=occurrence,
                article_file=files[article_id],
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
            why,
            check,
            spot.prefix,
            spot.suffix,
            core,
            group,
        )
        if group:
            members.setdefault(group, []).append(k.pos("group"))
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
                    f"{other.id.split('.')[-1]} ({quoted(other.quote)}) of the same "
                    "category",
                    "merge them into one item or shorten one",
                )
        items.append(item)
    for group, places in members.items():
        if len(places) == 1:  # the file still loads: a group of one scores as the item alone
            ctx.report.warning(
                places[0],
                f"group {quoted(group)} of task {quoted(task_id)} has only this item",
                "give its repeats in this step the same group, or leave the group out",
            )
    return tuple(items)
