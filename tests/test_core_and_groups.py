"""Core key items and groups of repeats in exercise files: read, checked at their line, exported,
kept by the studio and the writer."""

from __future__ import annotations

import pytest

from classroom.content import studio
from classroom.content.writer import open_exercise
from tests.test_loader import BROKEN, HEAD, HIGHLIGHT, SEED_IDS, load_with, marked_line

GROUPED = (
    HEAD
    + HIGHLIGHT
    + """\
          - quote: slammed
            why: An emotive verb for 'said'.
            core: true
          - quote: criminal aliens
            prefix: "tenuous arrests of "
            why: A label for people.
            group: alien-label
          - quote: criminal aliens
            prefix: "free pass to "
            why: The same label again.
            core: true
            group: alien-label
          - quote: Democrat
            why: A party label.
"""
)


def test_core_and_group_are_read_onto_each_key_item(folder):
    library = load_with(folder, GROUPED)
    assert library.problems == []
    key = library.exercises["broken"].task("words").key
    assert [(k.quote, k.core, k.group) for k in key] == [
        ("slammed", True, ""),
        ("criminal aliens", False, "alien-label"),
        ("criminal aliens", True, "alien-label"),
        ("Democrat", False, ""),
    ]


def test_the_export_and_the_snapshot_carry_core_and_group(folder):
    exercise = load_with(folder, GROUPED).exercises["broken"]
    [task] = exercise.export()["tasks"]
    assert [(k["core"], k["group"]) for k in task["key"]] == [
        (True, ""),
        (False, "alien-label"),
        (True, "alien-label"),
        (False, ""),
    ]
    assert exercise.snapshot["tasks"][0]["key"] == task["key"]


WORDS = {  # the step of GROUPED, as a draft has it
    "id": "words",
    "type": "highlight",
    "article": "la-detainers-report-1",
    "categories": ["loaded_language"],
}
BAD_VALUES = {
    "core that is not true or false": (
        """\
          - quote: slammed
            why: An emotive verb for 'said'.
            core: "yes please"  # <-
""",
        "'core' in key item 1 of task 'words' should be true or false",
    ),
    "group that is not text": (
        """\
          - quote: slammed
            why: An emotive verb for 'said'.
            group: [a, b]  # <-
""",
        "'group' in key item 1 of task 'words' should be text",
    ),
    "a misspelt field": (
        """\
          - quote: slammed
            why: An emotive verb for 'said'.
            groups: verbs  # <-
""",
        "unknown field 'groups' in key item 1 of task 'words'",
    ),
}


@pytest.mark.parametrize("item, message", BAD_VALUES.values(), ids=BAD_VALUES)
def test_a_bad_core_or_group_is_an_error_at_its_line(folder, item, message):
    source = HEAD + HIGHLIGHT + item
    library = load_with(folder, source)
    [problem] = [p for p in library.problems if message in p.message]
    assert (problem.path, problem.line, problem.severity) == (BROKEN, marked_line(source), "error")
    assert "broken" not in library.exercises
    assert sorted(library.exercises) == SEED_IDS


def test_a_group_of_one_item_is_a_warning_and_the_exercise_loads(folder):
    source = (
        HEAD
        + HIGHLIGHT
        + """\
          - quote: slammed
            why: An emotive verb for 'said'.
            group: verbs  # <-
          - quote: Democrat
            why: A party label.
"""
    )
    library = load_with(folder, source)
    [problem] = library.problems
    assert (problem.severity, problem.line) == ("warning", marked_line(source))
    assert problem.message == "group 'verbs' of task 'words' has only this item"
    assert "give its repeats in this step the same group" in problem.hint
    assert library.exercises["broken"].task("words").key[0].group == "verbs"


def test_a_studio_draft_keeps_core_and_group_and_writes_them_back(folder):
    exercise = load_with(folder, GROUPED).exercises["broken"]
    draft = studio.draft_of(exercise, {"tasks": [WORDS]})
    assert [(k["core"], k["group"]) for k in draft["key"]] == [
        (True, ""),
        (False, "alien-label"),
        (True, "alien-label"),
        (False, ""),
    ]
    again = studio.edited(draft, {"key": draft["key"]})
    assert again["key"] == draft["key"]
    text = exercise.article("la-detainers-report-1").text
    entries = [studio.key_entry(WORDS, k, text) for k in draft["key"]]
    assert [(e.get("core"), e.get("group")) for e in entries] == [
        (True, None),  # core: false and an empty group are left out of the file
        (None, "alien-label"),
        (True, "alien-label"),
        (None, None),
    ]


@pytest.mark.parametrize(
    "changes, message",
    [({"core": "yes"}, "'core' should be true or false"), ({"group": 5}, "'group' should be text")],
)
def test_the_studio_refuses_a_core_or_group_that_does_not_fit(folder, changes, message):
    exercise = load_with(folder, GROUPED).exercises["broken"]
    draft = studio.draft_of(exercise, {"tasks": [WORDS]})
    with pytest.raises(studio.InvalidEdit, match=message):
        studio.edited(draft, {"key": [draft["key"][0] | changes]})


def test_the_writer_puts_core_and_group_after_the_explanation(folder):
    path = folder / "broken.yaml"
    load_with(folder, GROUPED)
    doc = open_exercise(path)
    doc.update_key_item("words", 3, {"core": True, "group": "party-label"})
    lines = doc.dump_bytes().decode().splitlines()[-4:]
    assert lines == [
        "      - quote: Democrat",
        "        why: A party label.",
        "        core: true",
        "        group: party-label",
    ]
