"""The authoring studio's draft of an exercise: what it holds, the exercise file it becomes, and
the problems `exercises check` would report, each tied to the part of the draft it concerns.

A draft is plain JSON-able data:
    {"title", "summary", "articles": [{"id", "text", "title", "outlet", "date", "note"}],
     "tasks": [a task as the file has it, without its "key"],
     "key": [{"task", "article", "start", "end", "category", "why", "check", "core", "group"}]}
Key items are kept by their offsets in the article: the quote, and the prefix, suffix or
occurrence that place it, are worked out here when the file is made, so an author never
disambiguates by hand. No Flask here.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from .anchoring import occurrences
from .fields import parse_yaml
from .loader import load_articles, load_exercise
from .model import BUILTIN_CATEGORIES, Exercise
from .tasks import ID_PATTERN

MAX_ID = 64
MAX_TITLE = 200
MAX_TEXT = 2000  # characters of a summary, an explanation, a way to check
MAX_KEY_ITEMS = 500


class InvalidEdit(ValueError):
    """An edit sent by the studio's page that does not fit the draft; the message says why."""


KEYED_TYPES = ("highlight", "compare")  # the task types that have an answer key on the text
DEFAULT_INSTRUCTIONS = {
    "loaded_language": (
        "Highlight every word or short phrase chosen to make you feel something about a person, "
        "group or action, where a calmer word would state the same fact. Look inside quotes too."
    ),
    "unverified_statistic": (
        "Highlight every number, amount or comparison you cannot check from the article: no "
        "named source, no time period, nothing to compare it with."
    ),
    "missing_context": (
        "Highlight places where you need to know more to judge a claim: a term that is not "
        "explained, an unnamed source, a time frame not given, the other side's answer missing."
    ),
}
DEFAULT_HINTS = {
    "loaded_language": (
        "Go sentence by sentence and ask: could a plainer word say the same fact? Look at labels "
        "for people, verbs for speaking, and words that claim to know a motive."
    ),
    "unverified_statistic": (
        "Find every number and every 'most', 'more' or 'worst'. For each, ask: who counted, "
        "when, and compared with what?"
    ),
    "missing_context": (
        "For each claim, ask: what would I need to know to tell whether it is fair? Who said it, "
        "when, and what does the other side say?"
    ),
}
STEP_IDS = {
    "loaded_language": "loaded-language",
    "unverified_statistic": "statistics",
    "missing_context": "missing-context",
}


def normalised(text: str) -> str:
    """The text with Windows and old Mac line endings made plain newlines; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def slug(title: str, fallback: str = "exercise") -> str:
    """An id made from a title: lowercase letters, digits and dashes, at most MAX_ID long."""
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    words = words[:MAX_ID].rstrip("-")
    return words if words and ID_PATTERN.match(words) else fallback


def highlight_step(category: str, article_id: str) -> dict[str, Any]:
    """A highlight step for one category, with the default instruction and hint."""
    return {
        "id": STEP_IDS.get(category, category.replace("_", "-")),
        "type": "highlight",
        "article": article_id,
        "categories": [category],
        "instruction": DEFAULT_INSTRUCTIONS.get(category, "Highlight the words that fit."),
        "hint": DEFAULT_HINTS.get(category, ""),
    }


def new_draft(
    title: str, text: str, article_id: str, outlet: str = "", date: str = "", link: str = ""
) -> dict[str, Any]:
    """A draft of a new exercise on one new article, with a highlight step per category."""
    note = f"Published at {link}" if link else ""
    article = {
        "id": article_id,
        "text": normalised(text),
        "title": title,
        "outlet": outlet or "as provided",
        "date": date or "unknown",
        "note": note,
        "new": True,  # its files are written when the draft is first published
    }
    return {
        "title": title,
        "summary": "",
        "articles": [article],
        "tasks": [highlight_step(c, article_id) for c in BUILTIN_CATEGORIES],
        "key": [],
    }


def draft_of(exercise: Exercise, document: Mapping[str, Any]) -> dict[str, Any]:
    """A draft of an existing exercise: its file's fields as written (document, the file read
    as plain YAML), its articles, and its key items by their place in the text."""
    tasks = [{k: v for k, v in t.items() if k != "key"} for t in document.get("tasks", [])]
    key = [
        {
            "task": item.id.rsplit(".", 1)[0],
            "article": item.article,
            "start": item.start,
            "end": item.end,
            "category": item.category,
            **{f: getattr(item, f) for f in ("why", "check", "core", "group")},
        }
        for item in exercise.key_items
    ]
    articles = [
        {
            "id": a.id,
            "text": a.text,
            "title": a.title,
            "outlet": a.outlet,
            "date": a.date,
            "note": a.note,
        }
        for a in exercise.articles
    ]
    draft = {"title": exercise.title, "summary": exercise.summary}
    draft |= {"articles": articles, "tasks": tasks, "key": key}
    if document.get("categories"):
        draft["categories"] = list(document["categories"])
    return draft


def categories_of(draft: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The categories an author may mark key items with: the built-in ones and the draft's own,
    each with its label and style (as the loader numbers them)."""
    found = {
        c.id: {"id": c.id, "label": c.label, "style": c.style} for c in BUILTIN_CATEGORIES.values()
    }
    for c in draft.get("categories") or []:
        if isinstance(c, Mapping) and isinstance(c.get("id"), str):
            found[c["id"]] = {
                "id": c["id"],
                "label": str(c.get("label", c["id"])),
                "style": len(found) % 6,
            }
    return found


def step_for(draft: Mapping[str, Any], article: str, category: str) -> str | None:
    """The id of the first highlight or compare step that asks for category in article."""
    for task in draft["tasks"]:
        articles = task.get("articles") or [task.get("article")]
        keyed = task.get("type") in KEYED_TYPES and article in articles
        if keyed and category in task_categories(task):
            return task.get("id")
    return None


def edited(draft: Mapping[str, Any], data: Any) -> dict[str, Any]:
    """The draft with what the page sent (title, summary, key), checked; InvalidEdit says what
    does not fit. Each key item goes to the step that asks for its category."""
    if not isinstance(data, Mapping):
        raise InvalidEdit("send the draft as a JSON object")
    result = dict(draft)
    for name, limit in (("title", MAX_TITLE), ("summary", MAX_TEXT)):
        if name in data:
            result[name] = _text(data[name], name, limit)
    if "key" in data:
        items = data["key"]
        if not isinstance(items, list) or len(items) > MAX_KEY_ITEMS:
            raise InvalidEdit(f"'key' should be a list of at most {MAX_KEY_ITEMS} key items")
        result["key"] = [_key_item(draft, item) for item in items]
    return result


def _text(value: Any, name: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidEdit(f"'{name}' should be text of at most {limit} characters")
    return value.strip()


def _key_item(draft: Mapping[str, Any], item: Any) -> dict[str, Any]:
    """One key item as the page sent it, checked against the draft's articles and categories."""
    texts = {a["id"]: a["text"] for a in draft["articles"]}
    if not isinstance(item, Mapping) or item.get("article") not in texts:
        raise InvalidEdit("each key item needs the 'article' it is in")
    start, end = item.get("start"), item.get("end")
    size = len(texts[item["article"]])
    if not all(type(n) is int for n in (start, end)) or not 0 <= start < end <= size:
        raise InvalidEdit("each key item needs a 'start' and an 'end' within its article")
    category = item.get("category")
    if category not in categories_of(draft):
        raise InvalidEdit("each key item needs one of the exercise's categories")
    return {
        "task": step_for(draft, item["article"], category),
        "article": item["article"],
        "start": start,
        "end": end,
        "category": category,
        "why": _text(item.get("why", ""), "why", MAX_TEXT),
        "check": _text(item.get("check", ""), "check", MAX_TEXT),
        "core": _core(item.get("core", False)),
        "group": _text(item.get("group", ""), "group", MAX_ID),
    }


def _core(value: Any) -> bool:
    if type(value) is not bool:
        raise InvalidEdit("'core' should be true or false")
    return value


# --- the file a draft becomes ------------------------------------------------------------------


def placed(text: str, start: int, end: int) -> dict[str, Any]:
    """The fields that place text[start:end] in the file: the quote, and when it occurs more
    than once, the shortest prefix (whole words back) that tells it apart, else a suffix, else
    its occurrence number."""
    quote = text[start:end]
    starts = occurrences(text, quote)
    if len(starts) <= 1:
        return {"quote": quote}
    for cut in _word_cuts(text[max(0, start - 40) : start], backwards=True):
        if sum(text[:s].endswith(cut) for s in starts) == 1:
            return {"quote": quote, "prefix": cut}
    for cut in _word_cuts(text[end : end + 40]):
        if sum(text[s + len(quote) :].startswith(cut) for s in starts) == 1:
            return {"quote": quote, "suffix": cut}
    return {"quote": quote, "occurrence": starts.index(start) + 1}


def _word_cuts(around: str, backwards: bool = False) -> list[str]:
    """Ever longer pieces of text next to a quote, a word at a time (spaces kept)."""
    bounds = [m.start() for m in re.finditer(r"\s\S", around)] if backwards else []
    if backwards:
        return [around[b + 1 :] for b in reversed(bounds)] + [around]
    ends = [m.end() for m in re.finditer(r"\S\s", around)]
    return [around[: e - 1] for e in ends] + [around]


def key_entry(task: Mapping[str, Any], item: Mapping[str, Any], text: str) -> dict[str, Any]:
    """One key item as the file writes it: article and category only where the task needs them."""
    entry: dict[str, Any] = {}
    if task.get("type") == "compare":
        entry["article"] = item["article"]
    entry |= placed(text, item["start"], item["end"])
    if len(task_categories(task)) != 1:
        entry["category"] = item["category"]
    entry["why"] = item.get("why", "")
    if item.get("check"):
        entry["check"] = item["check"]
    entry |= {"core": True} if item.get("core") else {}
    return entry | ({"group": item["group"]} if item.get("group") else {})


def task_categories(task: Mapping[str, Any]) -> list[str]:
    """The categories a task asks for: its own list, or the three built-in ones."""
    cats = task.get("categories") or list(BUILTIN_CATEGORIES)
    return [cats] if isinstance(cats, str) else list(cats)


def document(draft: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    """The exercise file's fields, and for each key item of each task (in file order) the
    (task position, draft key index) it came from."""
    texts = {a["id"]: a["text"] for a in draft["articles"]}
    tasks, origin = [], []
    for t, task in enumerate(draft["tasks"]):
        task = dict(task)
        if task.get("type") in KEYED_TYPES:
            mine = [(i, k) for i, k in enumerate(draft["key"]) if k.get("task") == task.get("id")]
            task["key"] = [key_entry(task, k, texts[k["article"]]) for _, k in mine]
            origin.extend((t, i) for i, _ in mine)
        tasks.append(task)
    fields = {"title": draft["title"], "summary": draft.get("summary", "")}
    fields["articles"] = [a["id"] for a in draft["articles"]]
    if draft.get("categories"):
        fields["categories"] = draft["categories"]
    fields["tasks"] = tasks
    return {k: v for k, v in fields.items() if v not in ("", None)}, origin


def yaml_text(fields: Mapping[str, Any]) -> str:
    """The fields as YAML, for checking (publishing goes through content/writer.py)."""
    return yaml.safe_dump(dict(fields), sort_keys=False, allow_unicode=True, width=1000)


def article_meta(article: Mapping[str, Any]) -> dict[str, Any]:
    """What the article's metadata file holds."""
    meta = {k: article[k] for k in ("title", "outlet", "date", "note") if article.get(k)}
    return meta


# --- checking ----------------------------------------------------------------------------------


def loaded(exercise_id: str, draft: Mapping[str, Any]) -> tuple[Exercise | None, list[Any]]:
    """The exercise the draft becomes, as the app would load its file (None if it would not),
    and the problems `exercises check` reports of it."""
    exercise, found, _, _ = _load(exercise_id, draft)
    return exercise, found


def problems(exercise_id: str, draft: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What `exercises check` says of the file the draft becomes, each problem with `field`:
    "exercise", "task:<position>" or "key:<index into the draft's key>"."""
    _, found, text, origin = _load(exercise_id, draft)
    where = _places(text, origin)
    labels = {c: v["label"] for c, v in categories_of(draft).items()}
    homeless = [
        {
            "message": f"no step asks students to find {labels[k['category']]} in this article"
            ", so this key item is not part of the exercise",
            "hint": "add a highlight step for this category, or change the item's category",
            "severity": "error",
            "field": f"key:{i}",
        }
        for i, k in enumerate(draft["key"])
        if k.get("task") is None
    ]
    return homeless + [
        {
            "message": p.message,
            "hint": p.hint,
            "severity": p.severity,
            "field": _field_of(p.line, where) if p.path.endswith(".yaml") else "exercise",
        }
        for p in found
    ]


def _load(exercise_id: str, draft: Mapping[str, Any]):
    """The draft written as files to a folder of its own and loaded from there: (exercise or
    None, problems, the exercise file's text, where its key items came from)."""
    fields, origin = document(draft)
    text = yaml_text(fields)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "exercises")
        (folder / "articles").mkdir(parents=True)
        for article in draft["articles"]:
            (folder / "articles" / f"{article['id']}.txt").write_text(
                article["text"], encoding="utf-8"
            )
            (folder / "articles" / f"{article['id']}.yaml").write_text(
                yaml_text(article_meta(article)), encoding="utf-8"
            )
        path = folder / f"{exercise_id}.yaml"
        path.write_text(text, encoding="utf-8")
        articles, found = load_articles(folder / "articles", folder)
        exercise, more = load_exercise(path, articles, folder)
    return exercise, found + more, text, origin


def _places(text: str, origin: Sequence[tuple[int, int]]) -> list[tuple[int, str]]:
    """(first line, field) of each task and key item of the file, in file order."""
    node, _ = parse_yaml(text, "draft")
    places: list[tuple[int, str]] = []
    if not isinstance(node, dict):
        return places
    keyed = iter(origin)
    for t, task in enumerate(node.get("tasks") or []):
        places.append((getattr(task, "line", 1), f"task:{t}"))
        for item in (task.get("key") or []) if isinstance(task, dict) else []:
            _, index = next(keyed)
            places.append((getattr(item, "line", 1), f"key:{index}"))
    return places


def _field_of(line: int, places: Sequence[tuple[int, str]]) -> str:
    """The task or key item whose lines hold this line, or the exercise's own fields."""
    field = "exercise"
    for first, name in places:
        if first > line:
            break
        field = name
    return field
