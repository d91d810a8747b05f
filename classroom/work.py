"""A student's work on an exercise: checking what the browser sends, grading it, re-placing it.

Work is plain data: {"highlights": [{article, start, end, quote, category, note}],
"answers": {task_id: value}, "unplaced": [highlights whose words are gone]}.
"""

from __future__ import annotations

import json
import os
from typing import Any

from . import grading
from .content.anchoring import occurrences
from .content.model import Exercise
from .content.tasks import InvalidAnswer
from .content.tasks.base import storable_text
from .numbers import whole_number

MAX_HIGHLIGHTS = 300
MAX_NOTE = 1_000
CONTEXT = 32  # characters kept on each side of a highlight for re-anchoring


class InvalidWork(ValueError):
    """Work that cannot be stored as sent; the message says what is wrong."""


def read_json(text: str | bytes) -> Any:
    """Work sent as JSON text (a draft, or a form's highlights), parsed; None if it is not JSON.

    Each whole number is read by numbers.whole_number, so one past any that the work can hold
    is refused with InvalidWork before int() reads it: 5,000 digits would raise ValueError.
    """
    try:
        return json.loads(text, parse_int=_json_int)
    except InvalidWork:
        raise
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested deeper than it goes
        return None


def _json_int(text: str) -> int:
    """A whole number in the work's JSON, if no larger than any the work can hold."""
    if len(text) < 19:  # JSON's digits, with a sign at most: 18 of them always fit
        return int(text)
    number = whole_number(text, signed=True)
    if number is None:
        raise InvalidWork("a number in the work is too large to be an offset, option or revision")
    return number


def empty_work() -> dict[str, Any]:
    """Work before the student has done anything."""
    return {"highlights": [], "answers": {}, "unplaced": []}


def clean_work(exercise: Exercise, data: Any) -> dict[str, Any]:
    """Check untrusted work against the exercise and return it in canonical form.

    Only highlights and answers are taken: 'unplaced' is kept by the server alone.
    """
    if not isinstance(data, dict):
        raise InvalidWork("expected a JSON object with 'highlights' and 'answers'")
    highlights = data.get("highlights", [])
    answers = data.get("answers", {})
    if not isinstance(highlights, list) or not isinstance(answers, dict):
        raise InvalidWork("'highlights' should be a list and 'answers' an object")
    if len(highlights) > MAX_HIGHLIGHTS:
        raise InvalidWork(f"at most {MAX_HIGHLIGHTS} highlights per exercise")
    return {
        "highlights": sorted(
            (clean_highlight(exercise, h, i) for i, h in enumerate(highlights)),
            key=lambda h: (h["article"], h["start"], h["end"]),
        ),
        "answers": {str(k): clean_answer(exercise, str(k), v) for k, v in answers.items()},
    }


def clean_highlight(exercise: Exercise, h: Any, index: int) -> dict[str, Any]:
    """One highlight, checked: a known article, offsets inside it, a category the exercise uses."""
    # Every autosave checks every highlight: the checks are written out, the message only
    # made when one fails.
    if not isinstance(h, dict):
        raise InvalidWork(f"highlight {index + 1} should be an object")
    article_id = h.get("article")
    if not isinstance(article_id, str) or article_id not in exercise.highlight_articles:
        raise InvalidWork(f"highlight {index + 1}: unknown article {article_id!r}")
    text = exercise.texts[article_id]
    start, end = h.get("start"), h.get("end")
    if not (
        isinstance(start, int)
        and isinstance(end, int)
        and not isinstance(start, bool)
        and not isinstance(end, bool)
    ):
        raise InvalidWork(f"highlight {index + 1}: 'start' and 'end' should be whole numbers")
    if not 0 <= start < end <= len(text):
        raise InvalidWork(
            f"highlight {index + 1}: offsets {start}-{end} are outside the article (0-{len(text)})"
        )
    category = h.get("category")
    if not isinstance(category, str) or category not in exercise.highlight_category_ids:
        raise InvalidWork(f"highlight {index + 1}: unknown category {category!r}")
    note = h.get("note") or ""
    if not storable_text(note, MAX_NOTE):
        raise InvalidWork(
            f"highlight {index + 1}: the note should be text of at most {MAX_NOTE} characters"
        )
    return {
        "article": article_id,
        "start": start,
        "end": end,
        "quote": text[start:end],
        "category": category,
        "note": note.strip(),
        # the words around it, so the highlight can be found again if the article is edited
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[end : end + CONTEXT],
    }


def clean_answer(exercise: Exercise, task_id: str, value: Any) -> Any:
    """One answer, checked by its task (option numbers for a choice, text for a question)."""
    task = exercise.task(task_id)
    if task is None:
        raise InvalidWork(f"no question '{task_id}' in this exercise")
    try:
        return task.clean_answer(value)
    except InvalidAnswer as err:
        raise InvalidWork(str(err)) from None


def work_from_form(
    exercise: Exercise, form: Any, highlights: list, version: Any = None
) -> dict[str, Any]:
    """Work from a submitted form: each task reads its own fields, plus the highlights, made on
    the exercise as it stood at version (see clean_work_of_version)."""
    answers: dict[str, Any] = {}
    for task in exercise.tasks:
        try:
            answer = task.answer_from_form(form)
        except InvalidAnswer as err:
            raise InvalidWork(str(err)) from None
        if answer is not None:
            answers[task.id] = answer
    return clean_work_of_version(exercise, {"highlights": highlights, "answers": answers}, version)


def grade_work(exercise: Exercise, work: dict[str, Any]) -> dict[str, Any]:
    """The feedback for work: each task's result, the overall score, and unmatched highlights."""
    tasks = {
        task.id: task.grade(work["highlights"], work["answers"].get(task.id))
        for task in exercise.tasks
    }
    score = grading.total((t.points, tasks[t.id]["score"]) for t in exercise.tasks if t.graded)
    return {
        "score": score,
        "tasks": tasks,
        "extras": grading.extras(work["highlights"], exercise.key_items),
    }


def clean_work_of_version(exercise: Exercise, data: Any, version: Any) -> dict[str, Any]:
    """Check work the page made on the exercise as it stood at version, placed on this one.

    On this version (or when the page does not say), as clean_work. On another (the author
    saved while the page was open), the offsets are of a text the server no longer has: each
    highlight is found again by the quote and the words around it that the page sends, as a
    saved draft is, or goes to 'unplaced'; never onto whatever words now stand at its offsets.
    """
    if version is None or version == exercise.version:
        return clean_work(exercise, data)
    if not isinstance(version, str):
        raise InvalidWork("'version' should be the exercise version the page was made with")
    if not isinstance(data, dict) or not isinstance(data.get("highlights", []), list):
        raise InvalidWork("expected a JSON object with 'highlights' and 'answers'")
    sent = data.get("highlights", [])
    if len(sent) > MAX_HIGHLIGHTS:
        raise InvalidWork(f"at most {MAX_HIGHLIGHTS} highlights per exercise")
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        raise InvalidWork("'highlights' should be a list and 'answers' an object")
    work = replace_highlights(
        exercise,
        {"highlights": [sent_highlight(h, i) for i, h in enumerate(sent)], "answers": answers},
    )
    return {**clean_work(exercise, work), "unplaced": work["unplaced"]}


def sent_highlight(h: Any, index: int) -> dict[str, Any]:
    """A highlight made on another version, checked for what re-placing it reads."""
    if not isinstance(h, dict):
        raise InvalidWork(f"highlight {index + 1} should be an object")
    start, end, quote = h.get("start"), h.get("end"), h.get("quote")
    if type(start) is not int or type(end) is not int or not 0 <= start < end:
        raise InvalidWork(f"highlight {index + 1}: 'start' and 'end' should be whole numbers")
    if not isinstance(quote, str) or not quote or len(quote) > end - start:
        raise InvalidWork(f"highlight {index + 1}: 'quote' should be the words highlighted")
    note = h.get("note") or ""
    if not storable_text(note, MAX_NOTE):
        raise InvalidWork(
            f"highlight {index + 1}: the note should be text of at most {MAX_NOTE} characters"
        )
    context = {k: h.get(k) if isinstance(h.get(k), str) else "" for k in ("prefix", "suffix")}
    return {
        "article": str(h.get("article")),
        "start": start,
        "end": end,
        "quote": quote,
        "category": str(h.get("category")),
        "note": note,
        "prefix": context["prefix"][-CONTEXT:],
        "suffix": context["suffix"][:CONTEXT],
    }


def replace_highlights(exercise: Exercise, work: dict[str, Any]) -> dict[str, Any]:
    """Work saved against another version, re-anchored on this version's text by its quote.

    A highlight whose words still stand where they were is kept; one whose words moved goes to
    the occurrence whose surrounding words best match those it had (as Hypothesis re-anchors
    annotations), the nearest to its old place on a tie; one whose words or category are gone is
    kept in 'unplaced' for the student to see, never dropped. Answers that no longer fit their
    question are dropped, except written ones, which go to 'unplaced' too.
    """
    kept, unplaced = [], list(work.get("unplaced", []))
    categories = exercise.highlight_category_ids
    for h in work.get("highlights", []):
        if (
            h.get("article") not in exercise.highlight_articles
            or h.get("category") not in categories
        ):
            unplaced.append(h)
            continue
        placed = _place(exercise.article(h["article"]).text, h)
        (kept if placed else unplaced).append(placed or h)
    answers = {}
    for task_id, value in work.get("answers", {}).items():
        try:
            answers[task_id] = clean_answer(exercise, task_id, value)
        except InvalidWork:
            if isinstance(value, str) and value.strip():  # a written answer is never dropped
                unplaced.append({"task": task_id, "answer": value})
    return {"highlights": kept, "answers": answers, "unplaced": unplaced}


def _place(text: str, h: dict[str, Any]) -> dict[str, Any] | None:
    """The highlight on text: where it stood if its words still do, else at the occurrence of
    its quote whose surrounding words best match, the nearest on a tie; None if none is left."""
    if text[h["start"] : h["end"]] == h["quote"]:
        return h
    spots = occurrences(text, h["quote"])
    if not spots:
        return None
    end_of = len(h["quote"])
    start = max(
        spots,
        key=lambda s: (
            _shared_suffix(h.get("prefix", ""), text[max(0, s - CONTEXT) : s])
            + _shared_prefix(h.get("suffix", ""), text[s + end_of : s + end_of + CONTEXT]),
            -abs(s - h["start"]),
        ),
    )
    return {
        **h,
        "start": start,
        "end": start + end_of,
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[start + end_of : start + end_of + CONTEXT],
    }


def _shared_prefix(a: str, b: str) -> int:
    """How many leading characters a and b share."""
    return len(os.path.commonprefix([a, b]))


def _shared_suffix(a: str, b: str) -> int:
    """How many trailing characters a and b share."""
    return _shared_prefix(a[::-1], b[::-1])
