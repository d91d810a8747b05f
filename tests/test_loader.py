"""Reading exercise files: the seed exercises load, and every broken file is reported clearly."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from classroom.content.anchoring import occurrences
from classroom.content.loader import load_library

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
SEED = load_library(EXERCISES)
SEED_IDS = sorted(p.stem for p in EXERCISES.glob("*.yaml"))
BROKEN = "exercises/broken.yaml"
MARK = "# <-"  # in a test's YAML, marks the line a problem should be reported on


def seed_key_items() -> list[tuple[str, str, int, dict]]:
    """(exercise id, task id, index, raw YAML mapping) of every key item in the seed files."""
    items = []
    for path in sorted(EXERCISES.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for task in raw["tasks"]:
            for i, item in enumerate(task.get("key", [])):
                items.append((path.stem, task["id"], i, item))
    return items


def test_the_seed_exercises_load_with_no_problems():
    assert [str(p) for p in SEED.problems] == []
    assert sorted(SEED.exercises) == SEED_IDS
    assert len(SEED_IDS) == 3


@pytest.mark.parametrize(
    "exercise_id, task_id, index, raw",
    seed_key_items(),
    ids=[f"{e}:{t}.{i + 1}" for e, t, i, _ in seed_key_items()],
)
def test_every_seed_key_item_stands_at_exactly_one_place(exercise_id, task_id, index, raw):
    exercise = SEED.exercises[exercise_id]
    task = exercise.task(task_id)
    item = task.key[index]
    text = exercise.article(item.article).text
    quote = raw["quote"]
    places = [
        s
        for s in occurrences(text, quote)
        if text[:s].endswith(raw.get("prefix", ""))
        and text[s:].startswith(quote + raw.get("suffix", ""))
    ]
    if "occurrence" in raw:
        places = places[raw["occurrence"] - 1 : raw["occurrence"]]
    assert len(places) == 1, f"{quote!r} stands at {len(places)} places"
    assert (item.start, item.end) == (places[0], places[0] + len(quote))
    assert text[item.start : item.end] == quote == item.quote


def load_with(folder: Path, source: str, name: str = "broken.yaml"):
    """The library of folder once the exercise file name holds source."""
    (folder / name).write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return load_library(folder)


def marked_line(source: str) -> int:
    """The 1-based line of source that carries the MARK comment."""
    lines = textwrap.dedent(source).lstrip().splitlines()
    marked = [n for n, line in enumerate(lines, 1) if MARK in line]
    assert len(marked) == 1, "a case marks exactly one line"
    return marked[0]


HEAD = """\
    title: A broken exercise
    articles: [la-detainers-report-1]
    tasks:
"""

HIGHLIGHT = """\
      - id: words
        type: highlight
        article: la-detainers-report-1
        categories: [loaded_language]
        instruction: Highlight loaded words.
        key:
"""

BROKEN_FILES = {
    "yaml syntax: a colon in a plain value": (
        HEAD
        + """\
      - id: quiz
        type: choice
        prompt: Pick: one  # <-
        options: [{text: a, correct: true}, {text: b}]
""",
        "YAML syntax: mapping values are not allowed here",
        "needs to be in quotes",
    ),
    "yaml syntax: a quote never closed": (
        HEAD
        + """\
      - id: quiz
        type: choice
        prompt: "Pick one  # <-
        options: [{text: a, correct: true}, {text: b}]
""",
        "YAML syntax:",
        "quoting",
    ),
    "unknown field": (
        HEAD
        + """\
      - id: words
        type: highlight
        article: la-detainers-report-1
        instrction: Highlight loaded words.  # <-
        key:
          - quote: slammed
            why: An emotive verb for 'said'.
""",
        "unknown field 'instrction' in task 'words'",
        "did you mean 'instruction'?",
    ),
    "missing required field in a task": (
        HEAD
        + """\
      - id: words  # <-
        type: highlight
        article: la-detainers-report-1
        key:
          - quote: slammed
            why: An emotive verb for 'said'.
""",
        "task 'words' is missing the field 'instruction'",
        "",
    ),
    "missing required field in the exercise": (
        """\
    articles: [la-detainers-report-1]  # <-
    tasks:
      - id: quiz
        type: choice
        prompt: Pick one
        options: [{text: a, correct: true}, {text: b}]
""",
        "the exercise is missing the field 'title'",
        "",
    ),
    "quote not in the article": (
        HEAD
        + HIGHLIGHT
        + """\
          - quote: "Democrat Sheriff's commitment"  # <-
            why: A party label used as a put-down.
""",
        "key item 1 of task 'words': the quote \"Democrat Sheriff's commitment\" is not in the "
        "article; closest passage (line 9): 'Democrat Sheriff’s commitment'",
        "the quote has \"'\" where the article has '’'",
    ),
    "quote found more than once": (
        HEAD
        + HIGHLIGHT
        + """\
          - quote: slammed
            why: An emotive verb for 'said'.
          - quote: criminal aliens  # <-
            why: A label for people.
""",
        "key item 2 of task 'words': the quote 'criminal aliens' occurs 4 times in the article "
        "(lines 5, 11, 13, 15)",
        "occurrence: N",
    ),
    "same-category key spans overlap": (
        HEAD
        + HIGHLIGHT
        + """\
          - quote: the Democrat
            why: A party label.
          - quote: Democrat Sheriff  # <-
            why: A party label again.
""",
        "key item 2 of task 'words' overlaps key item 1 ('the Democrat') of the same category",
        "merge them",
    ),
    "unknown category": (
        HEAD
        + """\
      - id: words
        type: highlight
        article: la-detainers-report-1
        categories: [loaded_language, propaganda]  # <-
        instruction: Highlight loaded words.
        key:
          - quote: slammed
            category: loaded_language
            why: An emotive verb for 'said'.
""",
        "unknown category 'propaganda'",
        "known: loaded_language, unverified_statistic, missing_context",
    ),
    "unknown task type": (
        HEAD
        + """\
      - id: words
        type: highlite  # <-
        article: la-detainers-report-1
""",
        "task 1 has unknown type 'highlite'",
        "types: highlight, compare, choice, short_answer",
    ),
    "duplicate task ids": (
        HEAD
        + """\
      - id: quiz
        type: choice
        prompt: Pick one
        options: [{text: a, correct: true}, {text: b}]
      - id: quiz  # <-
        type: short_answer
        prompt: Why?
        model_answer: Because.
""",
        "duplicate task id 'quiz'",
        "its own id",
    ),
    "task id ending in a line break": (
        HEAD
        + """\
      - id: "quiz\\n"  # <-
        type: short_answer
        prompt: Why?
        model_answer: Because.
""",
        "task id 'quiz\\n' should be lowercase letters",
        "",
    ),
    "choice task with no correct option": (
        HEAD
        + """\
      - id: quiz
        type: choice
        prompt: Pick one
        options:
          - text: a  # <-
          - text: b
            correct: false
""",
        "choice task 'quiz' has no correct option",
        "correct: true",
    ),
    "empty why": (
        HEAD
        + HIGHLIGHT
        + """\
          - quote: slammed
            why: ""  # <-
""",
        "'why' in key item 1 of task 'words' is empty",
        "",
    ),
    "unknown article in the exercise": (
        """\
    title: A broken exercise
    articles: [la-detainers-report-3]  # <-
    tasks:
      - id: quiz
        type: choice
        prompt: Pick one
        options: [{text: a, correct: true}, {text: b}]
""",
        "unknown article 'la-detainers-report-3'",
        "the .txt files in exercises/articles/",
    ),
    "unknown article in a task": (
        HEAD
        + """\
      - id: words
        type: highlight
        article: la-detainers-report-9  # <-
        instruction: Highlight loaded words.
        key:
          - quote: slammed
            why: An emotive verb for 'said'.
""",
        "unknown article 'la-detainers-report-9'",
        "the .txt files in exercises/articles/",
    ),
}


@pytest.mark.parametrize("source, message, hint", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_a_broken_file_is_reported_at_its_line_and_the_others_still_load(
    folder, source, message, hint
):
    library = load_with(folder, source)
    mine = [p for p in library.problems if p.path == BROKEN]
    assert mine, "the broken file is reported under its own path"
    assert all(p.path == BROKEN for p in library.problems)
    matching = [p for p in mine if message in p.message]
    assert matching, f"no problem says {message!r}: {[p.message for p in mine]}"
    problem = matching[0]
    assert problem.severity == "error"
    assert problem.line == marked_line(source), str(problem)
    assert hint in problem.hint
    assert str(problem).startswith(f"{BROKEN}:{problem.line}:{problem.column}: error: ")
    assert "broken" not in library.exercises
    assert sorted(library.exercises) == SEED_IDS


def test_keys_of_different_categories_may_overlap(folder):
    library = load_with(
        folder,
        HEAD
        + """\
      - id: words
        type: highlight
        article: la-detainers-report-1
        categories: [loaded_language, missing_context]
        instruction: Highlight.
        key:
          - quote: sanctuary city
            category: missing_context
            why: The term has no legal definition.
          - quote: so-called sanctuary city
            category: loaded_language
            why: "'So-called' sneers at the term."
""",
    )
    assert library.problems == []
    first, second = library.exercises["broken"].task("words").key
    assert first.start < second.end and second.start < first.end


def test_a_very_long_key_span_is_a_warning_and_the_exercise_still_loads(folder):
    text = (folder / "articles" / "la-detainers-report-2.txt").read_text(encoding="utf-8")
    paragraph = text.split("\n\n")[1]
    assert len(paragraph) > 200
    source = (
        HEAD.replace("report-1", "report-2")
        + HIGHLIGHT.replace("report-1", "report-2")
        + f"""\
          - quote: {json.dumps(paragraph)}  # <-
            why: The whole paragraph.
"""
    )
    library = load_with(folder, source)
    [problem] = library.problems
    assert problem.severity == "warning"
    assert (problem.path, problem.line) == (BROKEN, marked_line(source))
    assert problem.message == f"key item 1 of task 'words' is {len(paragraph)} characters long"
    assert "words that carry the point" in problem.hint
    assert str(problem).startswith(f"{BROKEN}:{problem.line}:")
    assert ": warning: " in str(problem)
    [item] = library.exercises["broken"].task("words").key
    assert item.quote == paragraph


def test_an_exercise_can_define_its_own_category(folder):
    library = load_with(
        folder,
        """\
    title: Hedges
    articles: [la-detainers-report-2]
    categories:
      - id: hedge
        label: Hedging
        definition: Words that soften a claim so that nobody can hold the writer to it.
    tasks:
      - id: hedges
        type: highlight
        article: la-detainers-report-2
        categories: [hedge, loaded_language]
        instruction: Highlight the hedges and the loaded words.
        key:
          - quote: if possible
            category: hedge
            why: It softens the rule.
          - quote: 48 hours
            occurrence: 2
            category: hedge
            why: A limit stated as a maximum, not a rule.
          - quote: ignored
            category: loaded_language
            why: A verb that judges.
""",
        name="hedges.yaml",
    )
    assert library.problems == []
    exercise = library.exercises["hedges"]
    assert [c.id for c in exercise.highlight_categories] == ["hedge", "loaded_language"]
    hedge = exercise.categories["hedge"]
    assert (hedge.label, hedge.definition.split()[0]) == ("Hedging", "Words")
    assert hedge.style not in {c.style for c in exercise.categories.values() if c.id != "hedge"}
    first, second, third = exercise.task("hedges").key
    text = exercise.article("la-detainers-report-2").text
    assert (first.category, second.category, third.category) == (
        "hedge",
        "hedge",
        "loaded_language",
    )
    assert second.start == occurrences(text, "48 hours")[1]


def test_a_key_item_in_a_category_its_task_does_not_ask_for(folder):
    source = (
        HEAD
        + HIGHLIGHT
        + """\
          - quote: slammed
            category: missing_context  # <-
            why: An emotive verb for 'said'.
"""
    )
    library = load_with(folder, source)
    [problem] = library.problems
    assert problem.line == marked_line(source)
    assert "has category 'missing_context', which task 'words' does not ask for" in (
        problem.message
    )
    assert problem.hint.startswith("use one of: loaded_language")


def test_tags_and_merge_keys_still_load(folder):
    """Files the quick reader leaves to the reference loader load the same way as before.
    (Anchors and aliases are refused: tests/test_hostile_files.py.)"""
    library = load_with(
        folder,
        HEAD
        + """\
      - id: words
        type: highlight
        article: la-detainers-report-1
        categories: [loaded_language]
        instruction: !!str Highlight loaded words.
        key:
          - quote: slammed
            why: An emotive verb for 'said'.
          - <<: {why: "An emotive verb for 'said'."}
            quote: so-called
""",
    )
    assert library.problems == []
    first, second = library.exercises["broken"].task("words").key
    assert (first.quote, second.quote) == ("slammed", "so-called")
    assert second.why == first.why == "An emotive verb for 'said'."


def test_a_problem_in_a_file_with_a_tag_is_reported_at_its_line(folder):
    source = (
        HEAD
        + HIGHLIGHT
        + """\
          - quote: slammed
            why: !!str An emotive verb for 'said'.
          - quote: slammed  # <-
            why: An emotive verb for 'said'.
"""
    )
    library = load_with(folder, source)
    [problem] = library.problems
    assert problem.line == marked_line(source)
    assert "overlaps key item 1" in problem.message
