"""The steps of a studio draft (content/studio.py): adding one of any task type, saving what its
form sent, removing and moving steps, adding an article. After each change the key items are
re-assigned to the steps that ask for them, so a removed step's items wait for a step and a new
step picks up the items of its category. Each task type says what its editor holds
(content/tasks/editor.py); nothing here knows one type from another. No Flask here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from . import studio
from .model import Article
from .tasks import TASK_TYPES, Task
from .tasks.editor import StepContext, unique_id

MAX_STEPS = 50
MAX_ARTICLES = 6


def context(draft: Mapping[str, Any], index: int | None = None) -> StepContext:
    """What a step of the draft is edited against (index: the step being edited, whose own id
    is not taken)."""
    return StepContext(
        articles=tuple((a["id"], a.get("title") or a["id"]) for a in draft["articles"]),
        categories=tuple((c, v["label"]) for c, v in studio.categories_of(draft).items()),
        taken_ids=tuple(
            str(t.get("id")) for i, t in enumerate(draft["tasks"]) if i != index and t.get("id")
        ),
        instructions=studio.DEFAULT_INSTRUCTIONS,
        hints=studio.DEFAULT_HINTS,
        category_step_ids=studio.STEP_IDS,
    )


def task_class(task: Mapping[str, Any]) -> type[Task] | None:
    """The task type of a step, None for a type the registry does not know."""
    kind = task.get("type")
    return TASK_TYPES.get(kind) if isinstance(kind, str) else None


def menu(draft: Mapping[str, Any]) -> dict[str, list]:
    """What the 'add a step' list offers: (choice, label) for each new step the draft can have,
    and what the draft lacks for the types it cannot have yet."""
    ctx = context(draft)
    starts = [
        (f"{name}:{variant}" if variant else name, label)
        for name, cls in TASK_TYPES.items()
        for variant, label in cls.editor_starts(ctx)
    ]
    needs = [need for cls in TASK_TYPES.values() if (need := cls.editor_needs(ctx))]
    return {"starts": starts, "needs": needs}


def added(draft: Mapping[str, Any], choice: str) -> tuple[dict[str, Any], int]:
    """The draft with a new step of the kind chosen from the menu at its end, and where it is."""
    if len(draft["tasks"]) >= MAX_STEPS:
        raise studio.InvalidEdit(f"An exercise has at most {MAX_STEPS} steps.")
    if choice not in dict(menu(draft)["starts"]):
        raise studio.InvalidEdit("Choose one of the kinds of step in the list.")
    name, _, variant = choice.partition(":")
    step = TASK_TYPES[name].new_step(context(draft), variant)
    result = dict(draft) | {"tasks": [*draft["tasks"], step]}
    return reassigned(result), len(result["tasks"]) - 1


def saved(
    draft: Mapping[str, Any], index: int, values: Mapping[str, Any]
) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """The draft with the step at index as its form sent it, or None and what is wrong, by
    field. A step whose id changed keeps its key items (they follow its categories)."""
    old = draft["tasks"][index]
    cls = task_class(old)
    if cls is None:
        raise studio.InvalidEdit("The studio has no form for this kind of step.")
    errors = cls.editor_errors(values, context(draft, index))
    if errors:
        return None, errors
    task = cls.edited_task(values, old)
    tasks = list(draft["tasks"])
    tasks[index] = task
    return reassigned(dict(draft) | {"tasks": tasks}), {}


def removed(draft: Mapping[str, Any], index: int) -> dict[str, Any]:
    """The draft without the step at index; its key items stay, for another step to take."""
    tasks = [t for i, t in enumerate(draft["tasks"]) if i != index]
    return reassigned(dict(draft) | {"tasks": tasks})


def moved(draft: Mapping[str, Any], index: int, by: int) -> tuple[dict[str, Any], int]:
    """The draft with the step at index moved by places (-1: up), and where it is now; the
    first step does not go further up, nor the last further down."""
    tasks = list(draft["tasks"])
    to = min(max(index + by, 0), len(tasks) - 1)
    tasks.insert(to, tasks.pop(index))
    return reassigned(dict(draft) | {"tasks": tasks}), to


def with_article(draft: Mapping[str, Any], article: Mapping[str, Any]) -> dict[str, Any]:
    """The draft with one more article; the exercise's articles list follows the draft's."""
    if len(draft["articles"]) >= MAX_ARTICLES:
        raise studio.InvalidEdit(f"An exercise has at most {MAX_ARTICLES} articles.")
    if any(a["id"] == article["id"] for a in draft["articles"]):
        raise studio.InvalidEdit("The draft has this article already.")
    return reassigned(dict(draft) | {"articles": [*draft["articles"], dict(article)]})


def pasted_article(
    title: str, text: str, taken: Collection[str], outlet: str = "", date: str = "", link: str = ""
) -> dict[str, Any]:
    """A new article for the draft, as pasted, with an id nothing in taken has; its files are
    written when the draft is published (as a new draft's article, studio.new_draft)."""
    return {
        "id": unique_id(studio.slug(title, "article"), sorted(taken)),
        "text": studio.normalised(text),
        "title": title,
        "outlet": outlet or "as provided",
        "date": date or "unknown",
        "note": f"Published at {link}" if link else "",
        "new": True,
    }


def library_article(article: Article) -> dict[str, Any]:
    """An article of the exercises folder as a draft holds it (its files are there already)."""
    return {k: getattr(article, k) for k in ("id", "text", "title", "outlet", "date", "note")}


def reassigned(draft: Mapping[str, Any]) -> dict[str, Any]:
    """The draft with each key item in the first step that asks for its category in its
    article (studio.step_for, as each autosave places them), or in none: "key items no step
    asks for"."""
    key = [
        dict(k) | {"task": studio.step_for(draft, k["article"], k["category"])}
        for k in draft["key"]
    ]
    return dict(draft) | {"key": key}


def step_problems(exercise_id: str, draft: Mapping[str, Any], index: int) -> list[dict]:
    """What `exercises check` says of the step at index and of its key items, each problem
    with the quote of the key item it concerns (none for the step's own)."""
    step_id = draft["tasks"][index].get("id")
    mine = {f"task:{index}": None} | {
        f"key:{i}": _quote(draft, k) for i, k in enumerate(draft["key"]) if k.get("task") == step_id
    }
    return [
        p | {"quote": mine[p["field"]]}
        for p in studio.problems(exercise_id, draft)
        if p["field"] in mine
    ]


def _quote(draft: Mapping[str, Any], item: Mapping[str, Any]) -> str:
    """The words of the article a key item marks."""
    text = next(a["text"] for a in draft["articles"] if a["id"] == item["article"])
    return text[item["start"] : item["end"]]
