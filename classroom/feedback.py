"""What the feedback page tells a student: each step's answer key as the list shows it, and a
summary first, in plain words: how many of the main problems they found, and what kinds are
still hiding in which paragraphs.

Plain data in and out (an attempt's snapshot and its graded result), no Flask. When the answer
key marks items as core and groups the repeats of one problem (the optional keys `core` and
`group`, on a key item or its result), a group is one problem, found when any of it is found,
and the summary counts the core ones: the main problems. Without them, every item is one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from .content.layout import text_layout
from .content.snapshot import key_items_of

Show = Literal["missed", "found", "all"]
# The list's filters, in the order the page offers them; "missed" takes in the partly found.
FILTERS: dict[Show, str] = {"missed": "Missed or partly found", "found": "Found", "all": "All"}
BEST_FIRST = ("found", "partly", "missed")  # a group's status is its best item's

# How a sentence names one and several problems of a category; another category by its label.
KINDS = {
    "loaded_language": ("loaded word or phrase", "loaded words or phrases"),
    "unverified_statistic": ("number you cannot check", "numbers you cannot check"),
    "missing_context": ("piece of missing context", "pieces of missing context"),
    "disagreement": ("place where the reports disagree", "places where the reports disagree"),
    "only_here": ("detail only one report gives", "details only one report gives"),
    "rewrite_sign": ("sign of rewriting", "signs of rewriting"),
}
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def shown_filter(value: Any) -> Show:
    """The filter a request asks for (?show=), all when it names none of them."""
    return value if value in FILTERS else "all"


def step_results(exercise: Mapping[str, Any], result: Mapping[str, Any]) -> dict[str, dict]:
    """Each step's result by task id; a step with an answer key gains its entries: one per
    problem (a group of repeats is one), in key order, each with its status, its place in the
    article (article index, paragraph number) and its repeats, and how many each filter shows."""
    places = item_places(exercise)
    steps = {}
    for task in exercise["tasks"]:
        outcome = result["tasks"][task["id"]]
        if "key" in task and "items" in outcome:
            shown = entries(task["key"], outcome["items"], places)
            outcome = {**outcome, "entries": shown, "counts": counts(shown)}
        steps[task["id"]] = outcome
    return steps


def item_places(exercise: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Where each key item is: its number in the whole key (as the article's marks say it),
    its article's index and the number of the paragraph it starts in, from 1, as the page
    numbers them: 0 for the text's own headline, shown as its title (layout.text_layout)."""
    layouts = {a["id"]: text_layout(a["title"], a["text"]) for a in exercise["articles"]}
    order = {a["id"]: n for n, a in enumerate(exercise["articles"])}
    places = {}
    for n, item in enumerate(key_items_of(exercise), 1):
        layout = layouts[item["article"]]
        in_headline = layout.headline is not None and item["start"] < layout.headline[1]
        paragraph = 0 if in_headline else paragraph_of(layout.paragraphs, item["start"])
        places[item["id"]] = {
            "number": n,
            "article_index": order[item["article"]],
            "paragraph": paragraph,
            "place": "the headline" if in_headline else f"paragraph {paragraph}",
        }
    return places


def paragraph_of(ranges: Sequence[tuple[int, int]], offset: int) -> int:
    """The number (from 1) of the paragraph an offset lies in, or the next after a gap."""
    return next((n for n, (_, end) in enumerate(ranges, 1) if offset < end), len(ranges))


def entries(
    key: Sequence[Mapping[str, Any]],
    outcomes: Sequence[Mapping[str, Any]],
    places: Mapping[str, Mapping[str, int]],
) -> list[dict[str, Any]]:
    """The key's items with their outcomes, a group's gathered into one entry at its first."""
    problems: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item, outcome in zip(key, outcomes, strict=True):
        group = item.get("group") or outcome.get("group")
        member = {
            **item,
            **places[item["id"]],
            "status": outcome.get("status", "missed"),
            "core": bool(item.get("core") or outcome.get("core")),
        }
        problems.setdefault(("group", group) if group else ("item", item["id"]), []).append(member)
    shown = []
    for first, *rest in problems.values():
        statuses = [first["status"]] + [m["status"] for m in rest]
        shown.append(
            {
                **first,
                "status": min(statuses, key=BEST_FIRST.index),
                "core": first["core"] or any(m["core"] for m in rest),
                "repeats": rest,
            }
        )
    return shown


def all_entries(steps: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every step's entries, in step order."""
    return [e for outcome in steps.values() for e in outcome.get("entries", [])]


def filter_counts(steps: Mapping[str, Mapping[str, Any]]) -> dict[Show, int]:
    """How many entries each filter of the list shows."""
    return counts(all_entries(steps))


def counts(shown: Sequence[Mapping[str, Any]]) -> dict[Show, int]:
    """How many of these entries each filter shows."""
    found = sum(1 for e in shown if e["status"] == "found")
    return {"missed": len(shown) - found, "found": found, "all": len(shown)}


def summary(
    exercise: Mapping[str, Any], steps: Mapping[str, Mapping[str, Any]], extras: int = 0
) -> dict[str, Any] | None:
    """What the page says first, or None for an exercise without an answer key: counts (main,
    total, found, partly, missed), its sentences and one sentence per kind still hiding."""
    every = all_entries(steps)
    if not every:
        return None
    main = any(e["core"] for e in every)
    counted = [e for e in every if e["core"]] if main else every
    by_status = {s: [e for e in counted if e["status"] == s] for s in BEST_FIRST}
    found, partly, missed = (len(by_status[s]) for s in BEST_FIRST)
    sentences = [found_sentence(found, len(counted), main)]
    if partly:
        sentences.append(
            f"You marked {number(partly)} more in the right place, but as another kind of "
            "problem: look at the kind the list gives."
        )
    if main and len(every) > len(counted):
        others = len(every) - len(counted)
        sentences.append(
            f"The list below also has {number(others)} more item{'s' * (others != 1)} "
            "from the answer key, worth reading."
        )
    if any(e["repeats"] for e in every):
        sentences.append("A problem that comes back several times counts once.")
    if extras:
        sentences.append(
            f"{capital(number(extras))} of your highlights {'is' if extras == 1 else 'are'} "
            "not in the answer key. They may still be right: your teacher may credit them."
        )
    return {
        "main": main,
        "total": len(counted),
        "found": found,
        "partly": partly,
        "missed": missed,
        "sentences": sentences,
        "hiding": hiding_sentences(exercise, by_status["missed"]),
    }


def found_sentence(found: int, total: int, main: bool) -> str:
    """The first sentence: how many of the problems were found."""
    problems = "main problem" if main else "problem in the answer key"
    plural = "main problems" if main else "problems in the answer key"
    if total == 1:
        return f"You found the {problems}." if found else f"You have not found the {problems} yet."
    if found == total:
        return f"You found all {total} {plural}."
    if not found:
        return f"You found none of the {total} {plural} yet."
    return f"You found {found} of the {total} {plural}."


def hiding_sentences(exercise: Mapping[str, Any], missed: Sequence[Mapping[str, Any]]) -> list[str]:
    """One sentence per category of what is still missed, saying in which paragraphs."""
    several = len(exercise["articles"]) > 1
    sentences = []
    for cid, category in exercise["categories"].items():
        hiding = [e for e in missed if e["category"] == cid]
        if not hiding:
            continue
        one, many = KINDS.get(
            cid, (f"“{category['label']}” problem", f"“{category['label']}” problems")
        )
        count = len(hiding)
        where = places_phrase(
            [(m["article_index"], m["paragraph"]) for e in hiding for m in (e, *e["repeats"])],
            several,
        )
        sentences.append(
            f"{capital(number(count))} {one if count == 1 else many} "
            f"{'is' if count == 1 else 'are'} still hiding {where}."
        )
    return sentences


def places_phrase(places: Sequence[tuple[int, int]], several: bool) -> str:
    """'in paragraphs 2 and 4', or with several articles 'in paragraph 3 of the first article
    and paragraphs 1 and 5 of the second article'."""
    parts = []
    for article in sorted({a for a, _ in places}):
        numbers = sorted({p for a, p in places if a == article and p})  # 0: the headline
        said = ["the headline"] if (article, 0) in places else []
        if numbers:
            said.append(f"paragraph{'s' * (len(numbers) > 1)} {and_list(runs(numbers))}")
        words = " and ".join(said)
        if several:
            words += f" of the {ORDINALS[article] if article < len(ORDINALS) else 'next'} article"
        parts.append(words)
    return "in " + " and ".join(parts)


def runs(numbers: Sequence[int]) -> list[str]:
    """Sorted numbers with each run of three or more as one: [1, 2, 3, 4, 6] -> '1 to 4', '6'."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][-1] + 1:
            spans[-1].append(n)
        else:
            spans.append([n])
    words: list[str] = []
    for span in spans:
        words += [f"{span[0]} to {span[-1]}"] if len(span) >= 3 else [str(n) for n in span]
    return words


def and_list(words: Sequence[str]) -> str:
    """'2', '2 and 4', '2, 4 and 7'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def number(n: int) -> str:
    """A count as a student would write it in a sentence: words up to ten."""
    return NUMBERS[n] if 0 <= n < len(NUMBERS) else str(n)


def capital(words: str) -> str:
    """The words with a capital first letter, to begin a sentence."""
    return words[:1].upper() + words[1:]
