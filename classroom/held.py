"""What of an assignment's attempts a reader may see: the one rule, for every page and JSON.

A teacher chooses per assignment (feedback_after):
- 'submit': everything at once, after each submission.
- 'due': feedback held until the due date. Until it passes, nothing that tells how an attempt
  did (its score, its step results and marks, the answer key, the teacher's comment) reaches
  the assignment's students: a score alone, shown for attempt after attempt, gives the key away
  one phrase at a time (issue 13).
- 'guided': guided practice. Until the student asks for the answers or has made every attempt
  allowed, they see what they found (with the key's words and explanation for those: they found
  them), and for each thing missed only the step, the kind of problem and the paragraph to look
  in; never a missed item's words or explanation, a model answer, or which option is right
  (issue 15). Then everything, as with 'submit'.
The teacher sees everything. Every view that shows a student their attempts asks here, and
hands its template only what the rule lets through (unscored rows, guided_feedback), so that
what is held back is not there to be shown by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from .clock import is_past
from .content.snapshot import key_items_of
from .content.tasks import TASK_TYPES, Task
from .feedback import (
    ORDINALS,
    all_entries,
    and_list,
    capital,
    found_sentence,
    hiding_sentences,
    number,
    step_results,
)
from .marks import marked_articles

Shown = Literal["all", "guided", "held"]

# The fields of the store's rows that tell how an attempt did: an attempt's (score, auto_score,
# result), an attempts list's (score), and the student's assignments' (last_score).
SCORED = frozenset({"score", "auto_score", "result", "last_score"})
# The fields of an attempt that hold the answer key: its exercise and its graded result.
KEYED = frozenset({"snapshot", "result"})


def feedback_shown(row: Mapping[str, Any], role: str) -> Shown:
    """How much of an assignment's attempts a reader in this role may see: 'all', 'guided'
    (guided practice, before the answers) or 'held' (nothing of how they did).

    row is an attempt (store.attempts.get_attempt) or an assignment with feedback_after and
    due_at, and for guided practice attempts_allowed, attempts (how many the student made)
    and answers_seen (when they first saw the answers, or None).
    """
    if role != "student":
        return "all"
    if feedback_held(row, role):
        return "held"
    if row["feedback_after"] == "guided" and not answers_given(row):
        return "guided"
    return "all"


def feedback_held(assignment: Mapping[str, Any], role: str) -> bool:
    """Whether how this assignment's attempts did is kept from a reader in this role: from its
    students, when feedback comes after the due date, until the due date has passed.

    assignment is any row with the assignment's feedback_after and due_at (an attempt has them).
    """
    return (
        role == "student"
        and assignment["feedback_after"] == "due"
        and not is_past(assignment["due_at"])
    )


def answers_given(row: Mapping[str, Any]) -> bool:
    """Whether guided practice has given the student the answers: they asked for them, or they
    have made every attempt the assignment allows."""
    allowed = row["attempts_allowed"]
    return row["answers_seen"] is not None or (allowed is not None and row["attempts"] >= allowed)


def unscored(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row without the fields that tell how an attempt did: what a held page may show."""
    return {name: value for name, value in row.items() if name not in SCORED}


def guided_feedback(attempt: Mapping[str, Any], extras: int = 0) -> dict[str, Any]:
    """What a student in guided practice sees of a graded attempt: the exercise's words (its
    title, categories and articles, with their highlights and the problems they found marked),
    a summary, and each step as its task type lets it be seen (Task.guided), with sentences
    saying what is still to find where; and the attempt's fields but its exercise and result,
    which hold the key. A problem is an entry of feedback.step_results: a group counts once.
    extras: how many of the student's highlights are not in the key."""
    exercise, result = attempt["snapshot"], attempt["result"]
    public = {name: exercise[name] for name in ("title", "categories", "articles")}
    results = step_results(exercise, result)
    steps = []
    for n, task in enumerate(exercise["tasks"], start=1):
        kind = TASK_TYPES.get(task["type"], Task)  # a type since removed shows its words only
        seen = kind.guided(task, results[task["id"]], attempt["answers"].get(task["id"]))
        if "to_find" in seen:
            seen["hints"] = hints(public, seen["to_find"])
        steps.append({**seen, "id": task["id"], "number": n, "template": task["template"]})
    found_ids = {
        item["id"]
        for task in result["tasks"].values()
        for item in task.get("items", [])
        if item["status"] == "found"
    }
    shown_key = {
        **public,
        "tasks": [{"key": [k for k in key_items_of(exercise) if k["id"] in found_ids]}],
    }
    return {
        "attempt": {name: value for name, value in attempt.items() if name not in KEYED},
        "exercise": public,
        "summary": guided_summary(public, all_entries(results), extras),
        "articles": marked_articles(
            shown_key,
            attempt["highlights"],
            key=True,
            statuses=dict.fromkeys(found_ids, "found"),
            reader="student",
        ),
        "steps": steps,
    }


def guided_summary(
    exercise: Mapping[str, Any], every: Sequence[Mapping[str, Any]], extras: int
) -> dict[str, Any] | None:
    """The page's first words: how many of the (main) problems were found, and for those still
    to find, their kinds and paragraphs; None for an exercise without an answer key."""
    if not every:
        return None
    main = any(e["core"] for e in every)
    counted = [e for e in every if e["core"]] if main else every
    found = sum(e["status"] == "found" for e in counted)
    sentences = [found_sentence(found, len(counted), main)]
    if extras:
        sentences.append(
            f"{capital(number(extras))} of your highlights {'is' if extras == 1 else 'are'} "
            "not in the answer key. They may still be right: your teacher may credit them."
        )
    return {
        "sentences": sentences,
        "hints": hiding_sentences(exercise, [e for e in counted if e["status"] != "found"]),
    }


def hints(exercise: Mapping[str, Any], to_find: Sequence[Mapping[str, Any]]) -> list[str]:
    """Where to look in a step, a sentence per kind: how many are still to find in each
    paragraph, and what was marked in the right place but as another kind (a group of repeats
    is one problem, counted where it first appears)."""
    several = len(exercise["articles"]) > 1
    sentences = []
    for status in ("missed", "partly"):
        for cid, category in exercise["categories"].items():
            these = [e for e in to_find if e["status"] == status and e["category"] == cid]
            if not these:
                continue
            where = counted_places([(e["article_index"], e["paragraph"]) for e in these], several)
            count = len(these)
            if status == "missed":
                sentences.append(f"{category['label']}: {number(count)} more to find ({where}).")
            else:
                sentences.append(
                    f"{capital(number(count))} you marked in the right place but as another "
                    f"kind: {'it is' if count == 1 else 'they are'} {category['label']} ({where})."
                )
    return sentences


def counted_places(places: Sequence[tuple[int, int]], several: bool) -> str:
    """'1 in the headline, 2 in paragraph 1 and 1 in paragraph 4' (paragraph 0 is the
    headline, as feedback.item_places numbers it), with several articles '… of the first
    article; 1 in paragraph 2 of the second article'."""
    parts = []
    for article in sorted({a for a, _ in places}):
        numbers = sorted(p for a, p in places if a == article)
        counts = {n: numbers.count(n) for n in numbers}
        words = and_list(
            [
                f"{count} in {'the headline' if n == 0 else f'paragraph {n}'}"
                for n, count in counts.items()
            ]
        )
        if several:
            words += f" of the {ORDINALS[article] if article < len(ORDINALS) else 'next'} article"
        parts.append(words)
    return "; ".join(parts)
