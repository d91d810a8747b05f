"""A student's work: checking what the browser sends, grading it, and re-placing it after edits."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from classroom.content.loader import load_library
from classroom.numbers import whole_number
from classroom.work import (
    MAX_HIGHLIGHTS,
    MAX_NOTE,
    InvalidWork,
    clean_work,
    empty_work,
    grade_work,
    read_json,
    replace_highlights,
)

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
SEED = load_library(EXERCISES)
REPORT = SEED.exercises["la-detainers-report-1"]
ARTICLE = "la-detainers-report-1"
TEXT = REPORT.article(ARTICLE).text
SLAMMED = TEXT.index("slammed")


def highlight(start=SLAMMED, end=SLAMMED + 7, category="loaded_language", **more) -> dict:
    """A highlight as the browser sends it, on 'slammed' unless told otherwise."""
    return {"article": ARTICLE, "start": start, "end": end, "category": category, **more}


def on(quote: str, category: str = "loaded_language", occurrence: int = 1, **more) -> dict:
    """A highlight on the occurrence-th appearance of quote in the report."""
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(quote, start + 1)
    return {**highlight(start, start + len(quote), category), "quote": quote, **more}


def correct_answers(exercise) -> dict:
    return {
        t.id: [i for i, o in enumerate(t.options) if o.correct]
        for t in exercise.tasks
        if t.type == "choice"
    }


BAD_WORK = {
    "not an object": (["highlights"], "expected a JSON object with 'highlights' and 'answers'"),
    "highlights not a list": ({"highlights": {}}, "'highlights' should be a list"),
    "answers not an object": ({"answers": [1]}, "'answers' an object"),
    "too many highlights": (
        {"highlights": [highlight()] * (MAX_HIGHLIGHTS + 1)},
        f"at most {MAX_HIGHLIGHTS} highlights per exercise",
    ),
    "highlight not an object": ({"highlights": ["slammed"]}, "highlight 1 should be an object"),
    "start as text": (
        {"highlights": [highlight(start="10")]},
        "highlight 1: 'start' and 'end' should be whole numbers",
    ),
    "end as a fraction": (
        {"highlights": [highlight(end=20.5)]},
        "highlight 1: 'start' and 'end' should be whole numbers",
    ),
    "start as a boolean": (
        {"highlights": [highlight(start=True)]},
        "highlight 1: 'start' and 'end' should be whole numbers",
    ),
    "offsets missing": (
        {"highlights": [{"article": ARTICLE, "category": "loaded_language"}]},
        "should be whole numbers",
    ),
    "negative start": (
        {"highlights": [highlight(start=-1)]},
        f"highlight 1: offsets -1-{SLAMMED + 7} are outside the article (0-{len(TEXT)})",
    ),
    "end past the article": (
        {"highlights": [highlight(start=0, end=len(TEXT) + 1)]},
        f"offsets 0-{len(TEXT) + 1} are outside the article (0-{len(TEXT)})",
    ),
    "empty highlight": ({"highlights": [highlight(end=SLAMMED)]}, "outside the article"),
    "end before start": (
        {"highlights": [highlight(start=SLAMMED + 7, end=SLAMMED)]},
        "outside the article",
    ),
    "unknown category": (
        {"highlights": [highlight(category="propaganda")]},
        "highlight 1: unknown category 'propaganda'",
    ),
    "another exercise's category": (
        {"highlights": [highlight(category="disagreement")]},
        "highlight 1: unknown category 'disagreement'",
    ),
    "no category": ({"highlights": [highlight(category=None)]}, "unknown category None"),
    "unknown article": (
        {"highlights": [highlight(), {**highlight(), "article": "la-detainers-report-2"}]},
        "highlight 2: unknown article 'la-detainers-report-2'",
    ),
    "note too long": (
        {"highlights": [highlight(note="x" * (MAX_NOTE + 1))]},
        f"highlight 1: the note should be text of at most {MAX_NOTE} characters",
    ),
    "note not text": ({"highlights": [highlight(note=["x"])]}, "the note should be text"),
    "unknown task": ({"answers": {"nope": [1]}}, "no question 'nope' in this exercise"),
    "answer to a highlight task": (
        {"answers": {"loaded-language": "slammed"}},
        "no question 'loaded-language'",
    ),
    "option out of range": ({"answers": {"quiz": [4]}}, "options are numbered 0 to 3"),
    "negative option": ({"answers": {"quiz": -1}}, "answer to 'quiz': options are numbered 0 to 3"),
    "option as text": ({"answers": {"quiz": ["1"]}}, "options are numbered 0 to 3"),
    "option as a boolean": ({"answers": {"quiz": [True]}}, "options are numbered 0 to 3"),
    "several options for a single answer": (
        {"answers": {"quiz": [0, 1]}},
        "answer to 'quiz': choose one option",
    ),
    "written answer not text": (
        {"answers": {"reflect": ["I would check"]}},
        "answer to 'reflect' should be text of at most 5000 characters",
    ),
    "written answer too long": ({"answers": {"reflect": "x" * 5001}}, "at most 5000 characters"),
}


@pytest.mark.parametrize("data, message", BAD_WORK.values(), ids=BAD_WORK)
def test_clean_work_refuses_bad_work_with_a_clear_message(data, message):
    with pytest.raises(InvalidWork) as err:
        clean_work(REPORT, data)
    assert message in str(err.value)


def test_clean_work_accepts_the_limits():
    work = clean_work(
        REPORT,
        {
            "highlights": [highlight(0, len(TEXT), note="n" * MAX_NOTE)]
            + [highlight()] * (MAX_HIGHLIGHTS - 1),
            "answers": {"reflect": "x" * 5000, "quiz": 3},
        },
    )
    assert len(work["highlights"]) == MAX_HIGHLIGHTS
    assert work["answers"] == {"reflect": "x" * 5000, "quiz": [3]}


def shown(highlight: dict) -> dict:
    """The fields of a stored highlight that the student sees."""
    return {k: highlight[k] for k in ("article", "start", "end", "quote", "category", "note")}


def test_clean_work_recomputes_quotes_and_returns_canonical_work():
    data = {
        "highlights": [
            highlight(note="  a label  ", quote="something else entirely"),
            highlight(0, 11, "missing_context", note=None),
        ],
        "answers": {"quiz": 1, "reflect": "Check the 25,000 figure."},
        "unplaced": [highlight()],  # kept by the server alone
        "score": 1.0,
    }
    work = clean_work(REPORT, data)
    assert set(work) == {"highlights", "answers"}
    assert [shown(h) for h in work["highlights"]] == [
        {
            "article": ARTICLE,
            "start": 0,
            "end": 11,
            "quote": "Los Angeles",
            "category": "missing_context",
            "note": "",
        },
        {
            "article": ARTICLE,
            "start": SLAMMED,
            "end": SLAMMED + 7,
            "quote": "slammed",
            "category": "loaded_language",
            "note": "a label",
        },
    ]
    assert work["answers"] == {"quiz": [1], "reflect": "Check the 25,000 figure."}


@pytest.mark.parametrize(
    "data, answers",
    [
        ({}, {}),
        ({"highlights": [], "answers": {}}, {}),
        ({"answers": {"quiz": None}}, {"quiz": []}),
        ({"answers": {"quiz": []}}, {"quiz": []}),
    ],
)
def test_clean_work_of_nothing_is_empty(data, answers):
    assert clean_work(REPORT, data) == {"highlights": [], "answers": answers}


def test_a_multiple_answer_choice_takes_several_options_once_each():
    exercise = dataclasses.replace(
        REPORT,
        tasks=tuple(
            dataclasses.replace(t, multiple=True) if t.id == "quiz" else t for t in REPORT.tasks
        ),
    )
    assert clean_work(exercise, {"answers": {"quiz": [3, 1, 3]}})["answers"] == {"quiz": [1, 3]}


@pytest.mark.parametrize("exercise_id", sorted(SEED.exercises))
def test_the_answer_key_as_work_scores_full_marks(exercise_id):
    exercise = SEED.exercises[exercise_id]
    data = {
        "highlights": [
            {"article": k.article, "start": k.start, "end": k.end, "category": k.category}
            for k in exercise.key_items
        ],
        "answers": {**correct_answers(exercise), "reflect": "I would check the figure."},
    }
    feedback = grade_work(exercise, clean_work(exercise, data))
    assert feedback["score"] == 1.0
    assert feedback["extras"] == []
    for task in exercise.tasks:
        result = feedback["tasks"][task.id]
        if task.graded:
            assert result["score"] == 1.0, task.id
        else:
            assert result == {"score": None, "text": "I would check the figure."}
    items = [i for t in feedback["tasks"].values() for i in t.get("items", [])]
    assert len(items) == len(exercise.key_items)
    assert {i["status"] for i in items} == {"found"}


@pytest.mark.parametrize("exercise_id", sorted(SEED.exercises))
def test_empty_work_scores_zero_with_everything_missed(exercise_id):
    exercise = SEED.exercises[exercise_id]
    feedback = grade_work(exercise, clean_work(exercise, empty_work()))
    assert feedback["score"] == 0.0
    assert feedback["extras"] == []
    statuses = {i["status"] for t in feedback["tasks"].values() for i in t.get("items", [])}
    assert statuses == {"missed"}


def test_grade_work_on_part_of_the_report_by_hand():
    work = clean_work(
        REPORT,
        {
            "highlights": [
                on("slammed"),  # one of the 24 loaded-language key items, a core one
                on("virtually no"),  # one of the 6 statistics (not core), tagged as loaded
                on("Jeff Sessions"),  # in no key: for the teacher to judge
            ],
            "answers": {"quiz": 0},  # a wrong answer
        },
    )
    feedback = grade_work(REPORT, work)
    loaded = feedback["tasks"]["loaded-language"]
    # recall 2/29: the 24 items are 20 problems (five labels are one group), 9 of them core,
    # so the weights add up to 9 x 2 + 11 = 29 and "slammed" (core) weighs 2; precision 1/3 (one
    # of three loaded-language highlights is on the key). Before issue 15: recall 1/24.
    assert (loaded["recall"], loaded["precision"]) == pytest.approx((2 / 29, 1 / 3))
    assert loaded["score"] == pytest.approx(4 / 35)
    quotes = {k.id: k.quote for k in REPORT.key_items}
    assert [quotes[i["id"]] for i in loaded["items"] if i["status"] == "found"] == ["slammed"]
    statistics = feedback["tasks"]["statistics"]
    statuses = {quotes[i["id"]]: i["status"] for i in statistics["items"]}
    assert statuses.pop("virtually no") == "partly"  # the right words, another category
    assert set(statuses.values()) == {"missed"}
    assert statistics["recall"] == pytest.approx(0.5 / 10)  # 4 core statistics of 6: 4 x 2 + 2
    assert statistics["score"] == 0.0  # nothing was tagged as a statistic
    assert feedback["tasks"]["missing-context"]["score"] == 0.0
    assert feedback["tasks"]["quiz"] == {"score": 0.0, "chosen": [0]}
    assert feedback["tasks"]["reflect"]["score"] is None
    assert feedback["score"] == pytest.approx((4 / 35) / 4)  # four scored tasks, 1 point each
    assert [work["highlights"][i]["quote"] for i in feedback["extras"]] == ["Jeff Sessions"]


# re-placing work saved against an earlier version of the exercise


def edited(text: str, exercise=REPORT):
    """The exercise with its article's text replaced: a new version of it."""
    article = dataclasses.replace(exercise.article(ARTICLE), text=text)
    return dataclasses.replace(exercise, articles=(article,), version="edited")


def saved(*highlights: dict, answers=None, unplaced=()) -> dict:
    """Work as stored against the current version of the report."""
    work = clean_work(REPORT, {"highlights": list(highlights), "answers": answers or {}})
    return {**work, "unplaced": list(unplaced)}


def test_unchanged_text_keeps_every_highlight_as_it_was():
    work = saved(on("slammed", note="mine"), on("criminal aliens", occurrence=3))
    assert replace_highlights(edited(TEXT), work) == work


def test_a_quote_that_moved_is_found_at_its_new_place():
    text = "Editor's note: updated.\n\n" + TEXT
    before = saved(on("slammed", note="a verb that judges"))
    [old] = before["highlights"]
    work = replace_highlights(edited(text), before)
    [moved] = work["highlights"]
    assert text[moved["start"] : moved["end"]] == "slammed"
    assert shown(moved) == {**shown(old), "start": old["start"] + 25, "end": old["end"] + 25}
    assert work["unplaced"] == []


def older_draft(h: dict) -> dict:
    """A highlight as drafts stored it before they kept the words around it."""
    return {k: v for k, v in h.items() if k not in ("prefix", "suffix")}


@pytest.mark.parametrize("form", [lambda h: h, older_draft], ids=["draft", "older-draft"])
@pytest.mark.parametrize("occurrence", [1, 2, 3, 4])
def test_a_repeated_quote_goes_to_the_occurrence_nearest_its_old_place(occurrence, form):
    text = TEXT.replace("Los Angeles’ free pass", "Here, the free pass").replace(
        "Federal immigration", "New: federal immigration"
    )
    old = form(saved(on("criminal aliens", occurrence=occurrence))["highlights"][0])
    [moved] = replace_highlights(edited(text), saved() | {"highlights": [old]})["highlights"]
    nth = [i for i in range(len(text)) if text.startswith("criminal aliens", i)]
    assert moved["start"] == nth[occurrence - 1]
    assert text[moved["start"] : moved["end"]] == "criminal aliens"


def test_words_that_are_gone_are_kept_in_unplaced_never_dropped():
    text = TEXT.replace("slammed", "criticised")
    earlier = {**on("Democrat"), "quote": "a word gone long ago"}
    work = saved(on("slammed", note="emotive verb"), on("open borders"), unplaced=[earlier])
    gone = work["highlights"][0]
    replaced = replace_highlights(edited(text), work)
    assert replaced["unplaced"] == [earlier, gone]
    [kept] = replaced["highlights"]
    assert text[kept["start"] : kept["end"]] == "open borders"


def test_a_highlight_on_an_article_the_exercise_no_longer_has_is_kept_in_unplaced():
    stray = {**on("slammed"), "article": "an-article-since-removed"}
    work = saved(on("open borders"))
    work = replace_highlights(REPORT, {**work, "highlights": [stray, *work["highlights"]]})
    assert work["unplaced"] == [stray]
    assert len(work["highlights"]) == 1


def test_answers_to_tasks_that_no_longer_exist_are_dropped():
    work = {**saved(), "answers": {"quiz": [1], "reflect": "text", "old-task": [0]}}
    assert replace_highlights(REPORT, work)["answers"] == {"quiz": [1], "reflect": "text"}


def without_task(task_id: str):
    return dataclasses.replace(
        REPORT, tasks=tuple(t for t in REPORT.tasks if t.id != task_id), version="edited"
    )


def with_fewer_options(count: int):
    tasks = tuple(
        dataclasses.replace(t, options=t.options[:count]) if t.id == "quiz" else t
        for t in REPORT.tasks
    )
    return dataclasses.replace(REPORT, tasks=tasks, version="edited")


@pytest.mark.parametrize(
    "new_version, work",
    [
        # the author dropped the missing-context step, and with it that category
        (
            without_task("missing-context"),
            saved(on("slammed"), on("Our Latest Articles", "missing_context")),
        ),
        # the author cut the quiz down to two options; the student had picked the fourth
        (with_fewer_options(2), saved(on("slammed"), answers={"quiz": [3]})),
    ],
    ids=["category-removed", "option-removed"],
)
def test_replaced_work_can_be_saved_again_on_the_new_version(new_version, work):
    replaced = replace_highlights(new_version, work)
    clean_work(new_version, replaced)  # what the browser sends back on its next autosave
    placed = replaced["highlights"] + replaced["unplaced"]
    assert sorted(h["quote"] for h in placed) == sorted(h["quote"] for h in work["highlights"])


@pytest.mark.parametrize("digits", range(1, 22))
@pytest.mark.parametrize("sign", ["", "-"])
def test_numbers_of_every_length_are_read_or_refused_as_before(digits, sign):
    # numbers short enough to fit are read at once; longer ones are checked by whole_number
    for text in (sign + "9" * digits, sign + "1" + "0" * (digits - 1)):
        expected = whole_number(text, signed=True)
        if expected is None:
            with pytest.raises(InvalidWork, match="too large"):
                read_json(f"[{text}]")
        else:
            assert read_json(f"[{text}]") == [expected]
