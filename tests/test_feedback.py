"""The feedback page's summary and list, as plain data: what a student reads first, counted
once per problem, and where each key item sits in the article."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from classroom.content.layout import text_layout
from classroom.content.loader import load_library
from classroom.feedback import (
    all_entries,
    filter_counts,
    places_phrase,
    runs,
    shown_filter,
    step_results,
    summary,
)
from classroom.work import clean_work, grade_work

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
LIBRARY = load_library(EXERCISES).exercises
SHIPPED = LIBRARY["la-detainers-report-1"]


def without_core_and_groups(exercise):
    """The exercise with no key item core and none in a group: each item a problem of its own."""
    tasks = tuple(
        dataclasses.replace(
            t, key=tuple(dataclasses.replace(k, core=False, group="") for k in t.key)
        )
        if t.type in ("highlight", "compare")
        else t
        for t in exercise.tasks
    )
    return dataclasses.replace(exercise, tasks=tasks)


# report 1 without core items and groups, as these tests take it (each sets the ones it tries);
# the shipped report 1, which has both, is tried at the end
REPORT = without_core_and_groups(SHIPPED)
TEXT = REPORT.article(REPORT.id).text
LOADED = [i for i in REPORT.snapshot["tasks"] if i["id"] == "loaded-language"][0]["key"]


def on(quote: str, category: str = "loaded_language", after: str = "") -> dict:
    """A highlight on quote (its first appearance after the words `after`), as the page sends it."""
    start = TEXT.index(quote, TEXT.index(after) if after else 0)
    return {"article": REPORT.id, "start": start, "end": start + len(quote), "category": category}


def feedback_on(snapshot: dict, *highlights: dict) -> dict:
    """The steps of the feedback on these highlights, over this snapshot of report 1."""
    work = clean_work(REPORT, {"highlights": list(highlights), "answers": {}})
    return step_results(snapshot, grade_work(REPORT, work))


def paragraph_at(offset: int) -> int:
    """The number (from 1) of the paragraph of report 1 an offset lies in, as the page numbers
    them: its own headline, shown as the title, is 0."""
    layout = text_layout(REPORT.article(REPORT.id).title, TEXT)
    if layout.headline and offset < layout.headline[1]:
        return 0
    return next(n for n, (a, b) in enumerate(layout.paragraphs, 1) if a <= offset < b)


def paragraph(quote: str) -> int:
    """The number of the paragraph of report 1 that quote first appears in."""
    return paragraph_at(TEXT.index(quote))


def with_key(**changes: dict) -> dict:
    """Report 1's snapshot with these keys set on key items, by item id."""
    snapshot = copy.deepcopy(REPORT.snapshot)
    for task in snapshot["tasks"]:
        for item in task.get("key", []):
            item.update(changes.get(item["id"], {}))
    return snapshot


def test_the_summary_counts_what_was_found_and_says_where_the_rest_hides():
    steps = feedback_on(
        REPORT.snapshot,
        on("slammed"),
        on("so-called", "missing_context"),
        on("over 25,000", "unverified_statistic"),
    )
    said = summary(REPORT.snapshot, steps)
    total = sum(len(t.get("key", [])) for t in REPORT.snapshot["tasks"])
    assert (said["total"], said["found"], said["partly"]) == (total, 2, 1)
    assert said["sentences"][0] == f"You found 2 of the {total} problems in the answer key."
    assert (
        "You marked one more in the right place, but as another kind of problem"
        in said["sentences"][1]
    )
    [loaded, numbers, context] = said["hiding"]
    hiding_in = "are still hiding in the headline and paragraph"
    assert loaded.startswith(f"22 loaded words or phrases {hiding_in}s 1 to ")
    assert numbers.startswith(f"Five numbers you cannot check {hiding_in}")
    assert context.startswith("12 pieces of missing context are still hiding in ")


def test_one_thing_left_is_said_in_the_singular_with_its_paragraph():
    everything_but_slammed = [
        item
        for task in REPORT.snapshot["tasks"]
        for item in task.get("key", [])
        if item["quote"] != "slammed"
    ]
    steps = feedback_on(REPORT.snapshot, *everything_but_slammed)
    said = summary(REPORT.snapshot, steps)
    assert said["hiding"] == [
        f"One loaded word or phrase is still hiding in paragraph {paragraph('slammed')}."
    ]
    assert filter_counts(steps) == {"missed": 1, "found": said["total"] - 1, "all": said["total"]}


def test_finding_everything_and_finding_nothing():
    every = [i for t in REPORT.snapshot["tasks"] for i in t.get("key", [])]
    said = summary(REPORT.snapshot, feedback_on(REPORT.snapshot, *every))
    assert said["sentences"][0] == f"You found all {len(every)} problems in the answer key."
    assert said["hiding"] == []
    said = summary(REPORT.snapshot, feedback_on(REPORT.snapshot))
    assert (
        said["sentences"][0]
        == f"You found none of the {len(every)} problems in the answer key yet."
    )


def test_with_core_items_the_summary_counts_the_main_problems():
    core = {LOADED[n]["id"]: {"core": True} for n in (0, 9, 10)}  # the headline, slammed, Democrat
    snapshot = with_key(**core)
    said = summary(snapshot, feedback_on(snapshot, on("slammed"), on("Democrat")))
    assert said["main"] is True
    assert said["sentences"][0] == "You found 2 of the 3 main problems."
    assert said["hiding"] == ["One loaded word or phrase is still hiding in the headline."]
    others = sum(len(t.get("key", [])) for t in snapshot["tasks"]) - 3
    assert (
        f"The list below also has {others} more items from the answer key" in said["sentences"][1]
    )


def test_a_group_of_repeats_is_one_problem_found_when_any_of_it_is():
    labels = [
        i for i in LOADED if i["quote"].lower() in ("criminal illegal aliens", "criminal aliens")
    ]
    assert len(labels) >= 4
    snapshot = with_key(**{i["id"]: {"group": "alien-label"} for i in labels})
    plain = summary(REPORT.snapshot, feedback_on(REPORT.snapshot, on("criminal aliens")))
    steps = feedback_on(snapshot, on("criminal aliens"))
    grouped = summary(snapshot, steps)
    assert grouped["total"] == plain["total"] - len(labels) + 1
    assert (plain["found"], grouped["found"]) == (1, 1)
    [entry] = [e for e in all_entries(steps) if e["repeats"]]
    assert entry["quote"] == labels[0]["quote"] and entry["status"] == "found"
    assert [r["id"] for r in entry["repeats"]] == [i["id"] for i in labels[1:]]
    assert "A problem that comes back several times counts once." in grouped["sentences"]
    assert filter_counts(steps)["all"] == grouped["total"]


def test_a_group_counts_as_core_when_any_of_it_is_and_once():
    labels = [i for i in LOADED if i["quote"].lower() == "criminal aliens"]
    changes = {i["id"]: {"group": "g"} for i in labels}
    changes[labels[-1]["id"]] = {"group": "g", "core": True}
    snapshot = with_key(**changes)
    said = summary(snapshot, feedback_on(snapshot))
    assert said["main"] and said["total"] == 1
    assert said["sentences"][0] == "You have not found the main problem yet."
    where = places_phrase([(0, paragraph_at(i["start"])) for i in labels], False)
    assert said["hiding"] == [f"One loaded word or phrase is still hiding {where}."]


def test_core_and_group_on_the_result_count_as_on_the_key():
    work = clean_work(REPORT, {"highlights": [on("slammed")], "answers": {}})
    result = grade_work(REPORT, work)
    for outcome in result["tasks"]["loaded-language"]["items"][:2]:
        outcome.update(core=True, group="headline-label")
    said = summary(REPORT.snapshot, step_results(REPORT.snapshot, result))
    assert said["main"] and said["total"] == 1 and said["found"] == 0


def test_each_entry_knows_its_number_and_paragraph():
    steps = feedback_on(REPORT.snapshot, on("slammed"))
    entries = all_entries(steps)
    assert [e["number"] for e in entries] == list(range(1, len(entries) + 1))
    slammed = next(e for e in entries if e["quote"] == "slammed")
    assert (slammed["status"], slammed["paragraph"]) == ("found", paragraph("slammed"))
    assert slammed["number"] == 10  # as the article's mark reads it: key item 10


def test_the_comparison_names_the_article_of_each_paragraph():
    compare = LIBRARY["la-detainers-compare"]
    result = grade_work(compare, clean_work(compare, {"highlights": [], "answers": {}}))
    said = summary(compare.snapshot, step_results(compare.snapshot, result))
    assert all("of the first article" in s and "of the second article" in s for s in said["hiding"])


def test_an_exercise_without_an_answer_key_has_no_summary():
    snapshot = copy.deepcopy(REPORT.snapshot)
    snapshot["tasks"] = [t for t in snapshot["tasks"] if "key" not in t]
    result = {"tasks": {t["id"]: {"score": None} for t in snapshot["tasks"]}}
    assert summary(snapshot, step_results(snapshot, result)) is None


@pytest.mark.parametrize(
    "numbers, words",
    [
        ([3], ["3"]),
        ([2, 4], ["2", "4"]),
        ([1, 2, 3, 4, 6], ["1 to 4", "6"]),
        ([1, 2, 5, 6, 7, 9], ["1", "2", "5 to 7", "9"]),
    ],
)
def test_paragraph_numbers_run_together(numbers, words):
    assert runs(numbers) == words


@pytest.mark.parametrize(
    "places, several, said",
    [
        ([(0, 4), (0, 2), (0, 4)], False, "in paragraphs 2 and 4"),
        ([(0, 3)], False, "in paragraph 3"),
        (
            [(1, 5), (0, 3), (1, 1)],
            True,
            "in paragraph 3 of the first article and paragraphs 1 and 5 of the second article",
        ),
    ],
)
def test_places_in_words(places, several, said):
    assert places_phrase(places, several) == said


@pytest.mark.parametrize(
    "asked, shown",
    [("missed", "missed"), ("found", "found"), ("all", "all"), ("x", "all"), (None, "all")],
)
def test_the_filter_asked_for(asked, shown):
    assert shown_filter(asked) == shown


def test_each_step_counts_what_each_filter_shows():
    steps = feedback_on(REPORT.snapshot, on("slammed"), on("so-called", "missing_context"))
    loaded = steps["loaded-language"]  # "so-called" is partly found: it shows with the missed
    assert loaded["counts"] == {"missed": len(LOADED) - 1, "found": 1, "all": len(LOADED)}
    assert "counts" not in steps["quiz"] and "entries" not in steps["quiz"]


def test_the_shipped_report_counts_its_main_problems_and_each_group_once():
    work = clean_work(SHIPPED, {"highlights": [on("slammed")], "answers": {}})
    steps = step_results(SHIPPED.snapshot, grade_work(SHIPPED, work))
    said = summary(SHIPPED.snapshot, steps)
    problems = {
        (t.id, k.group or k.id): k.core for t in SHIPPED.tasks if t.key_items for k in t.key
    }
    main = sum(problems.values())
    assert said["main"] and said["total"] == main
    assert said["sentences"][0] == f"You found 1 of the {main} main problems."
    assert filter_counts(steps)["all"] == len(problems)
