"""Scoring a submission: span overlap in the manner of SemEval-2020 Task 11, and choices.

See docs/scoring.md for the rule in words. Plain data in and out; no Flask here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Protocol

# A highlight on the right words but tagged with another category earns this share of credit.
OTHER_CATEGORY_WEIGHT = 0.5
# A core key item (what every careful reader should find) counts this many times as much as
# another in recall; a group counts once, as core if any of its items is.
CORE_WEIGHT = 2.0
# Characters on each side of a key item (about two words) that a highlight covering it may run
# over without losing precision, at most 2 * SLACK in all per highlight; and how far a highlight
# of another category may reach past the key for "partly found".
SLACK = 15


class SpanLike(Protocol):
    article: str
    start: int
    end: int
    category: str


@dataclass(frozen=True)
class Span:
    """A tagged stretch of an article: [start, end) in characters."""

    article: str
    start: int
    end: int
    category: str


@dataclass(frozen=True)
class SpanScore:
    """How a set of highlights compares with a key: precision, recall over the key's problems,
    F1; each key item's credit and status (with its core and group), each group's, and counts
    of problems found."""

    precision: float
    recall: float
    f1: float
    items: list[dict[str, Any]]
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)


def covered(span: Span, others: Iterable[Span]) -> int:
    """How many characters of span lie under the union of the others (same article)."""
    by_article, _ = _unions(map(_fields, others), ())
    return _covered(span.start, span.end, by_article.get(span.article))


def credit(span: Span, against: Sequence[Span]) -> tuple[float, str]:
    """Credit in [0, 1] for key item span from the highlights against it, and found / partly /
    missed, as span_score gives it."""
    item = _fields(span)
    return _item_credits([item], list(map(_fields, against)), _zone([item]))[0]


def span_score(
    key: Sequence[SpanLike | dict],
    highlights: Sequence[dict | SpanLike],
    categories: Iterable[str],
    articles: Iterable[str],
) -> SpanScore:
    """Precision, recall and F1 of highlights against key, with each key item's status.

    Recall is the weighted mean, over the key's problems (a group of repeats counts once, by
    its best item; a core problem CORE_WEIGHT times), of the share of each item's characters
    the student covered. Precision averages, over the student's highlights in this task's
    categories and articles, the share of each highlight that lies on the key, not counting
    up to 2 * SLACK characters of it next to a key item. Same category counts fully, another
    category at OTHER_CATEGORY_WEIGHT, and only from a highlight that stays within SLACK of
    the key (a paragraph tagged otherwise finds nothing). docs/scoring.md has the rule in words.
    """
    key_spans = [_fields(k) for k in key]
    articles, categories = set(articles), set(categories)
    mine = [s for s in map(_fields, highlights) if s[0] in articles]
    zone = _zone(key_spans)
    on_key_by_article, on_key_by_category = _unions(key_spans, categories)
    # a highlight that touches no key item credits none: only the others are merged for recall
    touching = [h for h in mine if _touches(h[1], h[2], on_key_by_article.get(h[0]))]
    results = [
        {
            "id": _get(item, "id", ""),
            "credit": score,
            "status": status,
            "core": bool(_get(item, "core", False)),
            "group": _get(item, "group", "") or "",
        }
        for item, (score, status) in zip(key, _item_credits(key_spans, touching, zone), strict=True)
    ]
    recall, groups, problems = _problems(results)
    # summed in highlight order, as ever, so the floats do not change
    tagged = [s for s in mine if s[3] in categories]
    on_key = _precisions(tagged, on_key_by_article, on_key_by_category, zone) if tagged else []
    precision = sum(on_key) / len(tagged) if tagged else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SpanScore(precision, recall, f1, results, groups, problems)


def choice_score(correct: Sequence[bool], chosen: Iterable[int]) -> float:
    """1 for exactly the right options; with several right, right picks minus wrong ones."""
    chosen = {i for i in chosen if 0 <= i < len(correct)}
    right = sum(1 for i in chosen if correct[i])
    wrong = len(chosen) - right
    return max(0.0, (right - wrong) / max(1, sum(correct)))


def extras(highlights: Sequence[dict], key: Sequence[SpanLike]) -> list[int]:
    """Indexes of highlights that touch no key item at all: possibly right, for the teacher."""
    by_article, _ = _unions(map(_fields, key), ())
    return [
        i
        for i, (article, start, end, _category) in enumerate(map(_fields, highlights))
        if not _touches(start, end, by_article.get(article))
    ]


def total(task_results: Iterable[tuple[float, float | None]]) -> float | None:
    """The exercise score: the points-weighted mean of the tasks that have a score."""
    scored = [(points, score) for points, score in task_results if score is not None]
    weight = sum(points for points, _ in scored)
    return sum(points * score for points, score in scored) / weight if weight else None


# The spans credited against are merged once per call into disjoint stretches, in order, per
# article and per article and category: the share of a span they cover is then a bisect and a
# short walk, where comparing it with every other span made grading O(spans²) per task.

SpanTuple = tuple[str, int, int, str]  # article, start, end, category: cheaper than a Span
Stretches = tuple[list[int], list[int]]  # disjoint stretches in order: their starts, their ends
_START = itemgetter(1)  # sorting by start alone, articles need not be comparable


def _fields(h: dict | SpanLike) -> SpanTuple:
    """A highlight dict or span-like object as a plain tuple."""
    if isinstance(h, dict):
        return h["article"], h["start"], h["end"], h["category"]
    return h.article, h.start, h.end, h.category


def _get(item: Any, name: str, default: Any) -> Any:
    """A field of a key item, whether a dict (a snapshot's, a credited highlight) or an object."""
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _zone(key_spans: Sequence[SpanTuple]) -> dict[str, Stretches]:
    """Per article, the key items each widened by SLACK characters on both sides, merged."""
    widened = [(a, max(0, s - SLACK), e + SLACK, c) for a, s, e, c in key_spans if e > s]
    return _unions(widened, ())[0]


def _unions(
    spans: Iterable[SpanTuple], categories: Container[str]
) -> tuple[dict[str, Stretches], dict[tuple[str, str], Stretches]]:
    """The union of the spans per article, and per article and category for those asked for."""
    by_article: dict[str, Stretches] = {}
    by_category: dict[tuple[str, str], Stretches] = {}
    # in order of start, a span can only extend the last stretch of its group or follow it;
    # the step is written out for both groups because this loop is most of the grading time
    for article, start, end, category in sorted(spans, key=_START):
        if end <= start:
            continue  # an empty span covers nothing
        stretches = by_article.get(article)
        if stretches is None:
            by_article[article] = ([start], [end])
        elif start > stretches[1][-1]:
            stretches[0].append(start)
            stretches[1].append(end)
        elif end > stretches[1][-1]:
            stretches[1][-1] = end
        if category not in categories:
            continue
        stretches = by_category.get((article, category))
        if stretches is None:
            by_category[article, category] = ([start], [end])
        elif start > stretches[1][-1]:
            stretches[0].append(start)
            stretches[1].append(end)
        elif end > stretches[1][-1]:
            stretches[1][-1] = end
    # a category alone in its article (as in most keys) shares the article's union, so that
    # _credits can see it is the same and skip a second walk
    for (article, category), stretches in by_category.items():
        if stretches == by_article[article]:
            by_category[article, category] = by_article[article]
    return by_article, by_category


def _covered(start: int, end: int, stretches: Stretches | None) -> int:
    """How many characters of [start, end) lie on the stretches."""
    if stretches is None or end <= start:
        return 0
    starts, ends = stretches
    # disjoint, so the ends are in order too: skip the stretches that end before start
    i, n, total = bisect_right(ends, start), len(ends), 0
    while i < n and starts[i] < end:
        total += min(end, ends[i]) - max(start, starts[i])
        i += 1
    return total


def _within(start: int, end: int, stretches: Stretches | None) -> bool:
    """Whether [start, end) lies wholly on the stretches: on one of them, as they are merged."""
    if stretches is None:
        return end <= start
    starts, ends = stretches
    i = bisect_right(ends, start)
    return end <= start or (i < len(ends) and starts[i] <= start and end <= ends[i])


def _touches(start: int, end: int, stretches: Stretches | None) -> bool:
    """Whether [start, end) shares a character with the stretches."""
    if stretches is None or end <= start:
        return False
    starts, ends = stretches
    i = bisect_right(ends, start)
    return i < len(ends) and starts[i] < end


def _item_credits(
    key_spans: Sequence[SpanTuple], mine: Sequence[SpanTuple], zone: dict[str, Stretches]
) -> list[tuple[float, str]]:
    """Each key item's recall credit and status, in order: its characters under the student's
    highlights of its category fully, under the others that fit the key (lie within the zone)
    at OTHER_CATEGORY_WEIGHT."""
    key_categories = {span[3] for span in key_spans}
    by_article, by_category = _unions(mine, key_categories)
    # only a highlight in a category other than the key's can fail to count for an item
    only = next(iter(key_categories)) if len(key_categories) == 1 else None
    fits = [c == only or _within(s, e, zone.get(a)) for a, s, e, c in mine]
    if all(fits):  # as for most answers: a highlight of any category may earn "partly"
        reach = dict.fromkeys(key_categories, by_article)
    else:
        reach = {
            c: _unions([h for h, fit in zip(mine, fits, strict=True) if fit or h[3] == c], ())[0]
            for c in key_categories
        }
    results = []
    for article, start, end, category in key_spans:
        stretches = reach[category].get(article)
        anywhere = _covered(start, end, stretches)
        if not anywhere:
            results.append((0.0, "missed"))
            continue
        length = end - start
        same_stretches = by_category.get((article, category))
        same = anywhere if same_stretches is stretches else _covered(start, end, same_stretches)
        same, anywhere = same / length, anywhere / length
        status = "found" if same > 0 else "partly"
        results.append((same + OTHER_CATEGORY_WEIGHT * (anywhere - same), status))
    return results


def _precisions(
    tagged: Sequence[SpanTuple],
    by_article: dict[str, Stretches],
    by_category: dict[tuple[str, str], Stretches],
    zone: dict[str, Stretches],
) -> list[float]:
    """Each highlight's precision credit, in order, against the key merged by _unions: its
    share on the key (same category fully, another at OTHER_CATEGORY_WEIGHT) out of its
    characters, less those next to a key item (up to 2 * SLACK of them, less one for each of
    its characters further away)."""
    results = []
    for article, start, end, category in tagged:
        stretches = by_article.get(article)
        anywhere = _covered(start, end, stretches)
        if not anywhere:
            results.append(0.0)
            continue
        same_stretches = by_category.get((article, category))
        same = anywhere if same_stretches is stretches else _covered(start, end, same_stretches)
        inside = _covered(start, end, zone.get(article))
        near, far = inside - anywhere, end - start - inside
        length = end - start - max(0, min(near, 2 * SLACK) - far)
        same, anywhere = same / length, anywhere / length
        results.append(same + OTHER_CATEGORY_WEIGHT * (anywhere - same))
    return results


STATUS_RANK = {"missed": 0, "partly": 1, "found": 2}


def _problems(items: Sequence[dict[str, Any]]) -> tuple[float, dict[str, dict], dict[str, int]]:
    """Recall over the key's problems (each group once, by its best item; core ones weighted
    CORE_WEIGHT), each group's result, and counts of problems found."""
    best: dict[Any, dict[str, Any]] = {}  # problem: its credit, status, core; in key order
    groups: dict[str, dict[str, Any]] = {}
    for n, item in enumerate(items):
        name = item["group"]
        problem = best.setdefault(name or n, {"credit": 0.0, "status": "missed", "core": False})
        problem["credit"] = max(problem["credit"], item["credit"])
        if STATUS_RANK[item["status"]] > STATUS_RANK[problem["status"]]:
            problem["status"] = item["status"]
        problem["core"] = problem["core"] or item["core"]
        if name:
            group = groups.setdefault(name, {"size": 0, "found": 0})
            group["size"] += 1
            group["found"] += item["status"] == "found"
    for name, group in groups.items():
        group.update(best[name])
    weights = [CORE_WEIGHT if p["core"] else 1.0 for p in best.values()]
    recall = (
        sum(w * p["credit"] for w, p in zip(weights, best.values(), strict=True)) / sum(weights)
        if best
        else 1.0
    )
    counts = {
        "total": len(best),
        "found": sum(p["status"] == "found" for p in best.values()),
        "partly": sum(p["status"] == "partly" for p in best.values()),
        "core": sum(p["core"] for p in best.values()),
        "core_found": sum(p["core"] and p["status"] == "found" for p in best.values()),
    }
    return recall, groups, counts
