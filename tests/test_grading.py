"""Scoring: span credit in the manner of SemEval-2020 Task 11, choices, extras and the total."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classroom.content.loader import load_library
from classroom.grading import (
    CORE_WEIGHT,
    OTHER_CATEGORY_WEIGHT,
    SLACK,
    Span,
    SpanScore,
    choice_score,
    covered,
    credit,
    extras,
    span_score,
    total,
)

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
SEED = load_library(EXERCISES)
HIGHLIGHT_TASKS = [
    (exercise, task)
    for exercise in SEED.exercises.values()
    for task in exercise.tasks
    if task.type in ("highlight", "compare")
]
TASK_IDS = [f"{exercise.id}:{task.id}" for exercise, task in HIGHLIGHT_TASKS]


def span(start: int, end: int, category: str = "loaded", article: str = "a") -> Span:
    return Span(article, start, end, category)


def mark(start: int, end: int, category: str = "loaded", article: str = "a") -> dict:
    """A student's highlight as the browser sends it."""
    return {"article": article, "start": start, "end": end, "category": category}


@pytest.mark.parametrize(
    "target, others, expected",
    [
        (span(10, 20), [], 0),
        (span(10, 20), [span(0, 100)], 10),
        (span(10, 20), [span(15, 25)], 5),
        (span(10, 20), [span(10, 15), span(12, 20)], 10),  # overlapping ones count once
        (span(10, 20), [span(10, 12), span(14, 16), span(18, 30)], 6),
        (span(10, 20), [span(0, 10), span(20, 30)], 0),  # touching is not covering
        (span(10, 20), [span(10, 20, article="b")], 0),  # another article
    ],
)
def test_covered_counts_each_character_once(target, others, expected):
    assert covered(target, others) == expected


CREDIT_CASES = {
    "exact": (span(10, 20), [span(10, 20)], (1.0, "found")),
    "half covered": (span(10, 20), [span(15, 40)], (0.5, "found")),
    "other category": (span(10, 20), [span(10, 20, "stat")], (0.5, "partly")),
    "half covered, other category": (span(10, 20), [span(10, 15, "stat")], (0.25, "partly")),
    # per character: the same category fully, another category at half (docs/scoring.md)
    "mixed, mostly other": (span(10, 20), [span(10, 14), span(14, 20, "stat")], (0.7, "found")),
    "mixed, mostly same": (span(10, 20), [span(10, 18), span(18, 20, "stat")], (0.9, "found")),
    "elsewhere": (span(10, 20), [span(30, 40)], (0.0, "missed")),
    "empty span": (span(10, 10), [span(0, 40)], (0.0, "missed")),
}


@pytest.mark.parametrize("target, against, expected", CREDIT_CASES.values(), ids=CREDIT_CASES)
def test_credit_of_one_span(target, against, expected):
    assert credit(target, against) == pytest.approx(expected)


def test_other_category_counts_half():
    assert OTHER_CATEGORY_WEIGHT == 0.5


def test_span_score_by_hand():
    key = [span(10, 20), span(50, 60, "stat")]
    result = span_score(key, [mark(15, 25)], ["loaded", "stat"], ["a"])
    # recall: (5/10 + 0) / 2; precision: 5 of the highlight's 10 characters lie on the key and
    # the other 5 just after it, within SLACK: since issue 15 they cost nothing (it was 0.5)
    assert result.recall == pytest.approx(0.25)
    assert result.precision == pytest.approx(1.0)
    assert result.f1 == pytest.approx(2 * 1.0 * 0.25 / 1.25)
    assert [i["status"] for i in result.items] == ["found", "missed"]
    assert [i["credit"] for i in result.items] == pytest.approx([0.5, 0.0])


def test_span_score_two_highlights_one_half_right():
    key = [span(0, 10), span(20, 30)]
    highlights = [mark(0, 10), mark(40, 50)]
    result = span_score(key, highlights, ["loaded"], ["a"])
    assert (result.precision, result.recall, result.f1) == pytest.approx((0.5, 0.5, 0.5))


def test_the_key_itself_scores_full_marks():
    key = [span(0, 10), span(20, 30, "stat"), span(5, 25, "context", "b")]
    highlights = [mark(k.start, k.end, k.category, k.article) for k in key]
    result = span_score(key, highlights, ["loaded", "stat", "context"], ["a", "b"])
    assert (result.precision, result.recall, result.f1) == (1.0, 1.0, 1.0)
    assert {i["status"] for i in result.items} == {"found"}


def test_no_highlights_scores_zero_and_misses_everything():
    result = span_score([span(0, 10)], [], ["loaded"], ["a"])
    assert (result.precision, result.recall, result.f1) == (0.0, 0.0, 0.0)
    assert result.items[0]["status"] == "missed"


def test_wrong_category_earns_half_credit_and_status_partly():
    result = span_score([span(10, 20)], [mark(10, 20, "stat")], ["loaded", "stat"], ["a"])
    assert (result.precision, result.recall, result.f1) == pytest.approx((0.5, 0.5, 0.5))
    assert result.items[0]["status"] == "partly"


def test_highlights_in_another_article_or_category():
    key = [span(10, 20)]
    other_article = span_score(key, [mark(10, 20, article="b")], ["loaded"], ["a"])
    assert (other_article.recall, other_article.precision) == (0.0, 0.0)
    # a highlight in a category this task does not ask about finds the words (half recall)
    # but is another task's business, so it does not count against this task's precision
    other_category = span_score(key, [mark(10, 20, "stat"), mark(10, 20)], ["loaded"], ["a"])
    assert (other_category.recall, other_category.precision) == (1.0, 1.0)


def test_credits_are_summed_in_key_order_and_highlight_order():
    # in floats 0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1, so the order is part of the score
    key = [span(1000, 1100), span(500, 600), span(0, 100)]
    # each on 30, 20, 10 of the item's 100 characters and of its own 100; the rest runs on far
    # enough past SLACK that none of it is forgiven (the shorter highlights of before issue 15
    # would now lose nothing for the words after the item)
    highlights = [mark(1070, 1170), mark(580, 680), mark(90, 190)]
    result = span_score(key, highlights, ["loaded"], ["a"])
    assert result.recall == result.precision == (0.3 + 0.2 + 0.1) / 3
    assert result.recall != (0.1 + 0.2 + 0.3) / 3  # what sorting by place or by credit gives


def test_key_item_ids_come_back_with_their_status():
    class Item:
        def __init__(self, id, start, end):
            self.id, self.article, self.start, self.end = id, "a", start, end
            self.category = "loaded"

    result = span_score([Item("t.1", 0, 5), Item("t.2", 10, 15)], [mark(0, 5)], ["loaded"], ["a"])
    assert [(i["id"], i["status"]) for i in result.items] == [("t.1", "found"), ("t.2", "missed")]


@pytest.mark.parametrize(
    "correct, chosen, expected",
    [
        ([False, True, False], [1], 1.0),
        ([False, True, False], [0], 0.0),
        ([False, True, False], [], 0.0),
        ([False, True, False], [0, 1], 0.0),  # right minus wrong
        ([False, True, False], [1, 1], 1.0),  # a repeat counts once
        ([False, True, False], [7, -1], 0.0),  # out of range is ignored
        ([True, True, False], [0, 1], 1.0),
        ([True, True, False], [0], 0.5),
        ([True, True, False], [0, 2], 0.0),
        ([True, True, False], [0, 1, 2], 0.5),
        ([True, True, False, False], [2, 3], 0.0),  # never below 0
    ],
)
def test_choice_score(correct, chosen, expected):
    assert choice_score(correct, chosen) == pytest.approx(expected)


def test_extras_are_highlights_that_touch_no_key_item():
    key = [span(10, 20), span(30, 40, "stat", "b")]
    highlights = [
        mark(15, 25),  # on the key
        mark(0, 10),  # just before it
        mark(30, 40, "loaded", "a"),  # the right place in the wrong article
        mark(35, 36, "loaded", "b"),  # the wrong category still touches the key
    ]
    assert extras(highlights, key) == [1, 2]


@pytest.mark.parametrize(
    "results, expected",
    [
        ([(1, 1.0), (1, 0.0)], 0.5),
        ([(1, 1.0), (3, 0.0)], 0.25),
        ([(1, 0.5), (0, None), (2, 1.0)], 2.5 / 3),  # written answers have no score
        ([(2, 0.8)], 0.8),
        ([(0, None)], None),
        ([], None),
    ],
)
def test_total_is_the_points_weighted_mean_of_scored_tasks(results, expected):
    if expected is None:
        assert total(results) is None
    else:
        assert total(results) == pytest.approx(expected)


@pytest.mark.parametrize("exercise, task", HIGHLIGHT_TASKS, ids=TASK_IDS)
def test_highlighting_the_whole_article_scores_poorly(exercise, task):
    everything = [
        mark(0, len(exercise.article(a).text), c, a)
        for a in task.article_ids
        for c in task.categories
    ]
    result = task.grade(everything, None)
    assert result["recall"] == 1.0
    assert result["score"] < 0.35, f"precision {result['precision']:.3f}"
    # ...and less than honestly finding a third of the key, word for word
    third = [mark(k.start, k.end, k.category, k.article) for k in task.key[::3]]
    assert result["score"] < task.grade(third, None)["score"]


@pytest.mark.parametrize("exercise, task", HIGHLIGHT_TASKS, ids=TASK_IDS)
def test_the_answer_key_scores_full_marks_on_the_seed_tasks(exercise, task):
    key = [mark(k.start, k.end, k.category, k.article) for k in task.key]
    assert task.grade(key, None)["score"] == 1.0


# property tests on small random articles

CATEGORIES = ["loaded", "stat", "context"]
spans = st.builds(
    lambda article, start, length, category: Span(article, start, start + length, category),
    st.sampled_from(["a", "b"]),
    st.integers(0, 200),
    st.integers(1, 40),
    st.sampled_from(CATEGORIES),
)
keys = st.lists(spans, min_size=1, max_size=8)
highlight_lists = st.lists(spans.map(lambda s: s.__dict__), max_size=10)
task_categories = st.lists(st.sampled_from(CATEGORIES), min_size=1, unique=True)


# These properties of the span metric take more examples than the profile's 100 (conftest.py):
# an example costs a few milliseconds, and the overlaps of several spans where the metric could
# go wrong are a small share of what is drawn.
@settings(max_examples=200)
@given(keys, highlight_lists, task_categories)
def test_scores_stay_between_zero_and_one(key, highlights, categories):
    result = span_score(key, highlights, categories, ["a", "b"])
    for value in (result.precision, result.recall, result.f1):
        assert 0.0 <= value <= 1.0
    assert all(0.0 <= i["credit"] <= 1.0 for i in result.items)
    assert min(result.precision, result.recall) - 1e-9 <= result.f1
    assert result.f1 <= max(result.precision, result.recall) + 1e-9


@settings(max_examples=200)
@given(keys, highlight_lists, st.data())
def test_adding_a_correct_highlight_never_lowers_recall(key, highlights, data):
    before = span_score(key, highlights, CATEGORIES, ["a", "b"])
    found = data.draw(st.sampled_from(key), label="key item highlighted")
    after = span_score(key, [*highlights, found.__dict__], CATEGORIES, ["a", "b"])
    assert after.recall >= before.recall - 1e-9
    assert after.items[key.index(found)]["credit"] == 1.0
    assert all(
        a["credit"] >= b["credit"] - 1e-9 for a, b in zip(after.items, before.items, strict=True)
    )


@settings(max_examples=200)
@given(keys, highlight_lists, spans)
def test_adding_any_highlight_never_lowers_recall(key, highlights, extra):
    before = span_score(key, highlights, CATEGORIES, ["a", "b"])
    after = span_score(key, [*highlights, extra.__dict__], CATEGORIES, ["a", "b"])
    assert after.recall >= before.recall - 1e-9


@given(spans, st.sampled_from(CATEGORIES), st.integers(0, 39), st.integers(1, 40))
def test_wrong_category_earns_half_the_credit_of_the_right_one(item, other, offset, length):
    if other == item.category:
        other = CATEGORIES[(CATEGORIES.index(item.category) + 1) % len(CATEGORIES)]
    start = item.start + offset
    guess = Span(item.article, start, start + length, item.category)
    right = span_score([item], [guess.__dict__], CATEGORIES, ["a", "b"])
    wrong = span_score([item], [{**guess.__dict__, "category": other}], CATEGORIES, ["a", "b"])
    assert wrong.precision == pytest.approx(OTHER_CATEGORY_WEIGHT * right.precision)
    # since issue 15, only from a highlight that stays within SLACK of the key: one reaching
    # further, in another category, finds nothing (it was half, however far it reached)
    if guess.end > item.end + SLACK:
        assert (wrong.recall, wrong.items[0]["status"]) == (0.0, "missed")
        return
    assert wrong.recall == pytest.approx(OTHER_CATEGORY_WEIGHT * right.recall)
    if right.recall > 0:
        assert wrong.items[0]["status"] == "partly"
        assert right.items[0]["status"] == "found"


SEED_ITEMS = [
    (exercise, task, item)
    for exercise, task in HIGHLIGHT_TASKS
    for item in task.key
    if item.end - item.start >= 15
]


@settings(max_examples=150)
@given(st.sampled_from(SEED_ITEMS), st.integers(-2, 2), st.integers(-2, 2))
def test_a_near_miss_by_a_few_characters_earns_most_of_the_credit(case, early, late):
    exercise, task, item = case
    text = exercise.article(item.article).text
    start, end = max(0, item.start + early), min(len(text), item.end + late)
    result = span_score(
        [item], [mark(start, end, item.category, item.article)], task.categories, task.article_ids
    )
    assert result.items[0]["status"] == "found"
    assert result.items[0]["credit"] >= 0.7
    assert result.f1 >= 0.8


@given(st.sampled_from(HIGHLIGHT_TASKS), st.data())
def test_finding_more_of_a_seed_key_never_lowers_the_score(case, data):
    exercise, task = case
    found = data.draw(st.lists(st.sampled_from(task.key), unique=True), label="found so far")
    more = data.draw(st.sampled_from(task.key), label="found next")
    as_marks = [mark(k.start, k.end, k.category, k.article) for k in found]
    before = task.grade(as_marks, None)
    after = task.grade([*as_marks, mark(more.start, more.end, more.category, more.article)], None)
    assert after["recall"] >= before["recall"]
    assert after["score"] >= before["score"] - 1e-9


# the rule again, character by character, to hold the fast version to exactly the same floats


def chars(spans: list[Span], article: str, category: str | None = None) -> set[int]:
    """The characters of article under any of the spans (only those of category, if given)."""
    return {
        i
        for s in spans
        if s.article == article and category in (None, s.category)
        for i in range(s.start, s.end)
    }


def as_span(h) -> Span:
    """A Span from a highlight dict or any object with the same attributes."""
    if isinstance(h, dict):
        return Span(h["article"], h["start"], h["end"], h["category"])
    return Span(h.article, h.start, h.end, h.category)


def zone_chars(key: list[Span], article: str) -> set[int]:
    """The characters of article within SLACK of a (non-empty) key item."""
    return {
        i
        for k in key
        if k.article == article and k.end > k.start
        for i in range(max(0, k.start - SLACK), k.end + SLACK)
    }


def reference_credit(
    target: Span, against: list[Span], key: list[Span] | None = None
) -> tuple[float, str]:
    """A key item's credit: its characters under highlights of its category, and at half
    under highlights of another that lie wholly within SLACK of the key (key, else target)."""
    length = target.end - target.start
    if length <= 0:
        return 0.0, "missed"
    zone = zone_chars(key if key is not None else [target], target.article)
    fitting = [
        h for h in against if h.category == target.category or set(range(h.start, h.end)) <= zone
    ]
    under = set(range(target.start, target.end))
    same = len(under & chars(against, target.article, target.category)) / length
    anywhere = len(under & chars(fitting, target.article)) / length
    status = "found" if same > 0 else "partly" if anywhere > 0 else "missed"
    return same + OTHER_CATEGORY_WEIGHT * (anywhere - same), status


def reference_precision(h: Span, key: list[Span]) -> float:
    """A highlight's share on the key, out of its characters less those within SLACK of the
    key (at most 2 * SLACK of them), less one for each of its characters further away."""
    mine = set(range(h.start, h.end))
    anywhere = len(mine & chars(key, h.article))
    if not anywhere:
        return 0.0
    same = len(mine & chars(key, h.article, h.category))
    inside = len(mine & zone_chars(key, h.article))
    near, far = inside - anywhere, len(mine) - inside
    length = len(mine) - max(0, min(near, 2 * SLACK) - far)
    same, anywhere = same / length, anywhere / length
    return same + OTHER_CATEGORY_WEIGHT * (anywhere - same)


def reference_problems(items: list[dict]) -> tuple[float, dict, dict]:
    """Recall over problems (a group once, by its best item; core ones weighted), each group
    and the counts, from the items' credits."""
    rank = ["missed", "partly", "found"]
    problems: dict = {}
    for n, item in enumerate(items):
        problems.setdefault(item["group"] or n, []).append(item)
    best = {
        name: {
            "credit": max(i["credit"] for i in members),
            "status": max((i["status"] for i in members), key=rank.index),
            "core": any(i["core"] for i in members),
        }
        for name, members in problems.items()
    }
    weights = [CORE_WEIGHT if p["core"] else 1.0 for p in best.values()]
    recall = (
        sum(w * p["credit"] for w, p in zip(weights, best.values(), strict=True)) / sum(weights)
        if best
        else 1.0
    )
    groups = {
        name: {
            "size": len(problems[name]),
            "found": sum(i["status"] == "found" for i in problems[name]),
        }
        | best[name]
        for name in problems
        if isinstance(name, str)
    }
    counts = {
        "total": len(best),
        "found": sum(p["status"] == "found" for p in best.values()),
        "partly": sum(p["status"] == "partly" for p in best.values()),
        "core": sum(p["core"] for p in best.values()),
        "core_found": sum(p["core"] and p["status"] == "found" for p in best.values()),
    }
    return recall, groups, counts


def field(item, name: str, default):
    return item.get(name, default) if isinstance(item, dict) else getattr(item, name, default)


def reference_span_score(key, highlights, categories, articles) -> SpanScore:
    key_spans = [as_span(k) for k in key]
    mine = [s for s in map(as_span, highlights) if s.article in articles]
    items = [
        {"id": field(item, "id", ""), "credit": score, "status": status}
        | {"core": bool(field(item, "core", False)), "group": field(item, "group", "") or ""}
        for item, (score, status) in zip(
            key, [reference_credit(s, mine, key_spans) for s in key_spans], strict=True
        )
    ]
    recall, groups, problems = reference_problems(items)
    # summed in highlight order, as span_score does
    tagged = [s for s in mine if s.category in categories]
    credits = [reference_precision(s, key_spans) for s in tagged]
    precision = sum(credits) / len(tagged) if tagged else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SpanScore(precision, recall, f1, items, groups, problems)


# crowded: overlapping, nested, touching, empty and backwards spans on three short articles
ARTICLES = ["a", "b", "c"]
tangled = st.builds(
    lambda article, start, length, category: Span(article, start, start + length, category),
    st.sampled_from(ARTICLES),
    st.integers(0, 60),
    st.one_of(st.integers(-2, 0), st.integers(1, 12), st.integers(13, 80)),
    st.sampled_from(CATEGORIES),
)
# key items as the loader makes them, or as a snapshot's dicts, some core and some in groups
weighed = st.builds(
    lambda s, core, group: {**s.__dict__, "core": core, "group": group},
    tangled,
    st.booleans(),
    st.sampled_from(["", "", "g1", "g2"]),
)
tangled_keys = st.lists(st.one_of(tangled, tangled.map(lambda s: s.__dict__), weighed), max_size=12)
tangled_highlights = st.lists(tangled.map(lambda s: s.__dict__), max_size=16)


# More examples still where the fast grader is held to the count character by character: the
# tangles (nested, touching, empty and backwards spans) are what its merging must get right.
@settings(max_examples=400)
@given(
    tangled_keys,
    tangled_highlights,
    st.lists(st.sampled_from(CATEGORIES), unique=True),
    st.lists(st.sampled_from(ARTICLES), unique=True),
)
def test_span_score_matches_counting_characters(key, highlights, categories, articles):
    # == and not approx: a faster grader must not move a score by a rounding
    expected = reference_span_score(key, highlights, categories, articles)
    assert span_score(key, highlights, categories, articles) == expected


@settings(max_examples=300)
@given(tangled_keys, tangled_highlights)
def test_extras_match_counting_characters(key, highlights):
    key_spans = [as_span(k) for k in key]
    expected = [
        i
        for i, h in enumerate(highlights)
        if not set(range(h["start"], h["end"])) & chars(key_spans, h["article"])
    ]
    assert extras(highlights, key) == expected


@settings(max_examples=300)
@given(tangled, st.lists(tangled, max_size=12))
def test_covered_and_credit_match_counting_characters(target, others):
    under = set(range(target.start, target.end))
    assert covered(target, others) == len(under & chars(others, target.article))
    assert credit(target, others) == reference_credit(target, others)


@given(st.sampled_from(HIGHLIGHT_TASKS), st.data())
def test_seed_tasks_match_counting_characters(case, data):
    exercise, task = case
    others = [c for c in CATEGORIES if c not in task.categories]
    highlights = []
    for k in data.draw(st.lists(st.sampled_from(task.key), max_size=30), label="found"):
        cut = data.draw(st.integers(0, (k.end - k.start) // 2), label="cut short by")
        category = data.draw(st.sampled_from([k.category, *task.categories, *others]))
        highlights.append(mark(k.start, k.end - cut, category, k.article))
    expected = reference_span_score(task.key, highlights, task.categories, task.article_ids)
    assert span_score(task.key, highlights, task.categories, task.article_ids) == expected
