"""The files a studio draft publishes as, made by the writer (content/writer.py): a new exercise
and its article in the documented layout, or the edits of an existing file, touching only the
lines that changed. A draft of a hand-written file saved unchanged gives it back byte for byte.
No Flask here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .loader import load_exercise
from .model import Article, Exercise
from .publish import Change, exercise_path
from .studio import KEYED_TYPES, document, key_entry
from .writer import Document, new_article, new_exercise, open_exercise

# what makes a key item the same
SAME = ("article", "start", "end", "category", "why", "check", "core", "group")


def changes(folder: Path, exercise_id: str, draft: Mapping[str, Any]) -> list[Change]:
    """The writes that publish the draft: its new articles first, then the exercise file,
    new or edited where it exists (read as it is now, so that its key items left as they were
    keep their lines)."""
    fields, _ = document(draft)
    writes = [
        write
        for article in draft["articles"]
        if article.get("new")
        for write in new_article(folder, article["id"], article["text"], **_meta(article))
    ]
    path = exercise_path(folder, exercise_id)
    current = on_disk(path, draft) if path.exists() else None
    if current is None:
        doc = new_exercise(
            folder,
            exercise_id,
            title=fields["title"],
            summary=fields.get("summary", ""),
            articles=fields["articles"],
            categories=fields.get("categories", ()),
            tasks=fields["tasks"],
        )
    else:
        doc = open_exercise(path)
        edit(doc, draft, current)
    return [*writes, doc.change()]


def on_disk(path: Path, draft: Mapping[str, Any]) -> Exercise | None:
    """The exercise as its file now reads, on the draft's articles (the studio does not change
    an article's text); None if the file does not load."""
    articles = {
        a["id"]: Article(**{k: a[k] for k in ("id", "title", "text", "outlet", "date", "note")})
        for a in draft["articles"]
    }
    return load_exercise(path, articles)[0]


def _meta(article: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata fields the article file takes."""
    return {k: article[k] for k in ("title", "outlet", "date", "note") if article.get(k)}


def edit(doc: Document, draft: Mapping[str, Any], current: Exercise) -> None:
    """Make the file's document say what the draft says, changing only what differs: its
    articles, steps added, removed and moved, their fields and their keys."""
    for name in ("title", "summary"):
        if (draft.get(name) or None) != (doc.data.get(name) or None):
            doc.set_field(name, draft.get(name) or None)
    articles = [a["id"] for a in draft["articles"]]
    if articles != [a.id for a in current.articles]:
        doc.set_field("articles", articles)
    wanted = [t.get("id") for t in draft["tasks"]]
    for task_id in [t.get("id") for t in doc.data.get("tasks") or []]:
        if task_id not in wanted:
            doc.remove_task(task_id)
    had = {t.get("id"): t for t in doc.data.get("tasks") or []}
    texts = {a["id"]: a["text"] for a in draft["articles"]}
    for index, task in enumerate(draft["tasks"]):
        if task.get("id") not in had:
            new_task = dict(task)
            if task.get("type") in KEYED_TYPES:
                new_task["key"] = _entries(task, _items_of(draft, task), texts)
            doc.add_task(new_task, index)
            continue
        doc.move_task(task["id"], index)  # where the draft has it (no change if it is there)
        old = had[task["id"]]
        for name, value in task.items():
            if name != "key" and old.get(name) != value:
                doc.set_task_field(task["id"], name, value)
        for name in set(old) - set(task) - {"key"}:
            doc.set_task_field(task["id"], name, None)
        if task.get("type") in KEYED_TYPES:
            _edit_key(doc, task, _items_of(draft, task), current, texts)


def _items_of(draft: Mapping[str, Any], task: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The draft's key items of a step, in the draft's order (the file's, for an existing one)."""
    return [k for k in draft["key"] if k.get("task") == task.get("id")]


def _entries(task: Mapping[str, Any], items: Sequence[Mapping[str, Any]], texts) -> list:
    return [key_entry(task, k, texts[k["article"]]) for k in items]


def _edit_key(
    doc: Document,
    task: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    current: Exercise,
    texts: Mapping[str, str],
) -> None:
    """The step's key as the draft has it: items that stayed as they were keep their lines, a
    changed one has its fields rewritten, new ones are added and removed ones taken out."""
    loaded = next((t for t in current.tasks if t.id == task["id"]), None)
    was = [_same(k) for k in loaded.key_items] if loaded else []
    now = [_same(k) for k in items]
    if was == now:
        return
    if len(was) == len(now):  # items changed in place: rewrite those
        for i, (old, new) in enumerate(zip(was, now, strict=True)):
            if old != new:
                entry = key_entry(task, items[i], texts[items[i]["article"]])
                stale = dict.fromkeys(("prefix", "suffix", "occurrence", "check", "core", "group"))
                doc.update_key_item(task["id"], i, stale | entry)
        return
    doc.set_task_field(task["id"], "key", _entries(task, items, texts))


def _same(item: Any) -> tuple:
    """What a key item says, whether a draft's (a dict) or as loaded (a KeyItem)."""
    get = item.get if isinstance(item, Mapping) else lambda f: getattr(item, f)
    return tuple(get(f) or "" for f in SAME)
