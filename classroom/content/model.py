"""The plain data an exercise file becomes: articles, categories, tasks and answer-key items."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .snapshot import snapshot

if TYPE_CHECKING:
    from .tasks import Task


# what an id of a task, category or file is; \Z: no line break may end one
ID_PATTERN = re.compile(r"\A[a-z0-9][a-z0-9_-]*\Z")


@dataclass(frozen=True)
class Category:
    """A kind of problem a student can tag a highlight with."""

    id: str
    label: str
    definition: str
    style: int  # which of the stylesheet's colour-and-pattern pairs marks it


BUILTIN_CATEGORIES: dict[str, Category] = {
    c.id: c
    for c in (
        Category(
            "loaded_language",
            "Loaded language",
            "Words chosen to make you feel something about a person, group or act, where a "
            "neutral word would say the same fact: labels, emotive verbs like 'slammed' for "
            "'said', fear appeals, judging metaphors, opinion in the reporter's own voice. "
            "Quotes count too: they are the speaker's loaded words.",
            0,
        ),
        Category(
            "unverified_statistic",
            "Unverified statistic",
            "A number, amount or comparison you cannot check from the article: no named "
            "source, no time period, nothing to compare it with, a vague amount ('countless') "
            "or a superlative with no data ('the worst ever').",
            1,
        ),
        Category(
            "missing_context",
            "Missing context",
            "Something you need to judge a claim that the article does not tell you: what a "
            "term means, the rule behind an action, the time frame, the other side's answer, "
            "or signs the text was copied or carelessly rewritten.",
            2,
        ),
    )
}


# What an article file says when the publisher or the date is not known (article.schema.json).
UNKNOWN_OUTLET = "as provided"
UNKNOWN_DATE = "unknown"


@dataclass(frozen=True)
class Article:
    """A news text kept exactly as published, with what is known about it."""

    id: str
    title: str
    text: str
    outlet: str = UNKNOWN_OUTLET
    date: str = UNKNOWN_DATE
    title_added_by_editor: bool = False
    note: str = ""

    @property
    def outlet_known(self) -> bool:
        """Whether the file names who published the article (its default says nobody knows)."""
        return self.outlet != UNKNOWN_OUTLET

    @property
    def date_known(self) -> bool:
        """Whether the file gives the day it was published."""
        return self.date != UNKNOWN_DATE


@dataclass(frozen=True)
class KeyItem:
    """One answer-key span: where it is, what kind of problem it is, and why; whether every
    careful reader should find it (core), and which repeats of one problem it is among (group,
    unique in its task; "" for none). docs/scoring.md says how both weigh in the score."""

    id: str
    article: str
    start: int
    end: int
    quote: str
    category: str
    why: str
    check: str = ""
    prefix: str = ""
    suffix: str = ""
    core: bool = False
    group: str = ""

    def export(self) -> dict[str, Any]:
        """The item with its offsets and a W3C Web Annotation target other tools understand."""
        return {
            "id": self.id,
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "category": self.category,
            "explanation": self.why,
            "check": self.check,
            "core": self.core,
            "group": self.group,
            "target": {
                "source": self.article,
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": self.quote,
                        "prefix": self.prefix,
                        "suffix": self.suffix,
                    },
                    {"type": "TextPositionSelector", "start": self.start, "end": self.end},
                ],
            },
        }


class _Short(reprlib.Repr):
    """reprlib's repr, cut short, that also knows the loader's own mappings and sequences (for
    any other type it would make the whole repr first, then cut it)."""

    def __init__(self):
        super().__init__()
        self.maxstring = self.maxother = 80
        self.maxlist = self.maxdict = 4
        self.maxlevel = 2

    def repr_Mapping(self, value, level):  # noqa: N802 - reprlib dispatches on the type's name
        return self.repr_dict(value, level)

    def repr_Sequence(self, value, level):  # noqa: N802
        return self.repr_list(value, level)


_SHORT = _Short()


def quoted(value: Any) -> str:
    """A value from a file as a message quotes it: its repr, at most about 80 characters, so
    that no message is huge whatever the file holds."""
    return _SHORT.repr(value)


def did_you_mean(name: Any, known: Iterable[str]) -> str:
    """The hint for a misspelt name, the known name closest to it: "did you mean 'x'?", or ""
    when none is close."""
    close = difflib.get_close_matches(str(name), list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else ""


@dataclass(frozen=True)
class Problem:
    """Something wrong (or doubtful, for a warning) in an exercise file, with where to fix it."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


@dataclass(frozen=True)
class Exercise:
    """A validated exercise: its articles, categories and ordered tasks."""

    id: str
    title: str
    summary: str
    version: str
    path: Path
    articles: tuple[Article, ...]
    categories: dict[str, Category]
    tasks: tuple[Task, ...]
    mtime: float = 0.0

    def article(self, article_id: str) -> Article:
        """The exercise's article with this id."""
        return next(a for a in self.articles if a.id == article_id)

    def task(self, task_id: str) -> Task | None:
        """The task with this id, or None."""
        return next((t for t in self.tasks if t.id == task_id), None)

    @property
    def key_items(self) -> list[KeyItem]:
        """Every answer-key item of every task, in file order."""
        return [item for task in self.tasks for item in task.key_items]

    # Checking a student's work asks these for every highlight: worked out once, kept.
    @functools.cached_property
    def highlight_categories(self) -> tuple[Category, ...]:
        """The categories a student may tag highlights with, in the order tasks ask for them."""
        ids = dict.fromkeys(cid for task in self.tasks for cid in task.tag_categories)
        return tuple(self.categories[c] for c in ids)

    @functools.cached_property
    def highlight_category_ids(self) -> frozenset[str]:
        """The ids of highlight_categories."""
        return frozenset(c.id for c in self.highlight_categories)

    def export(self) -> dict[str, Any]:
        """The exercise as JSON-able data: id, title, version, articles with their full text,
        the categories its tasks ask for, and its tasks (the export format, docs/authoring.md)."""
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "version": self.version,
            "articles": [dataclasses.asdict(a) for a in self.articles],
            "categories": {c.id: dataclasses.asdict(c) for c in self.highlight_categories},
            "tasks": [t.export() for t in self.tasks],
        }

    @functools.cached_property
    def snapshot(self) -> dict[str, Any]:
        """The exercise as each attempt keeps it (snapshot.snapshot): made once and shared by
        every submission, so read it, never change it."""
        return snapshot(self)

    @functools.cached_property
    def texts(self) -> dict[str, str]:
        """Each article's text by article id."""
        return {a.id: a.text for a in self.articles}

    @functools.cached_property
    def highlight_articles(self) -> frozenset[str]:
        """Ids of the articles that some task asks students to highlight in."""
        return frozenset(a for task in self.tasks for a in task.highlight_article_ids)


@dataclass
class Library:
    """Everything loaded from an exercises folder: the good exercises and the problems found."""

    exercises: dict[str, Exercise] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
