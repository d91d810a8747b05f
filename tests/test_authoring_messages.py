"""What a file author meets first: the scaffold from `exercises new`, every TODO in one check,
and plain-word messages for the mistakes that cost the most time (a stray straight quote, a
tab, a misspelt name, a quote typed rather than copied)."""

from __future__ import annotations

import re

import pytest
import yaml

from classroom.content.loader import check_paths

ARTICLE = """Town Hall Axes Library Hours

The council slashed opening hours on Monday, a move critics called “a betrayal of every family”.

Officials said 4,000 residents use the library each week.
"""

HEAD = """\
title: An exercise
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

MARK = "# <-"  # in a test's YAML, marks the line a problem should be reported on


def check(folder, source: str, name: str = "mine.yaml"):
    """The problems `exercises check` reports for one file of folder holding source."""
    path = folder / name
    path.write_text(source, encoding="utf-8")
    return check_paths([path])[1]


def marked_line(source: str) -> int:
    """The 1-based line of source that carries the MARK comment."""
    marked = [n for n, line in enumerate(source.splitlines(), 1) if MARK in line]
    assert len(marked) == 1, "a case marks exactly one line"
    return marked[0]


def the_problem(problems, line: int):
    """The one error reported, checked to stand at line."""
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, [str(p) for p in errors]
    assert errors[0].line == line, str(errors[0])
    return errors[0]


# --- the scaffold: a choice question, and every TODO at once -----------------------------------


@pytest.fixture
def author(tmp_path, folder, make_app):
    """A CLI runner on an app that reads a copy of the exercises folder."""
    return make_app(tmp_path, EXERCISES_DIR=str(folder)).test_cli_runner()


def todo_lines(text: str) -> set[int]:
    """The lines of a file whose value (not a comment) still says TODO."""
    return {
        n
        for n, line in enumerate(text.splitlines(), 1)
        if "TODO" in line and not line.lstrip().startswith("#")
    }


def test_the_scaffold_asks_a_choice_question_and_check_reports_every_todo_in_one_pass(
    author, folder, tmp_path
):
    source = tmp_path / "Library Hours.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    assert author.invoke(args=["exercises", "new", str(source)]).exit_code == 0
    path = folder / "library-hours.yaml"
    text = path.read_text(encoding="utf-8")
    tasks = yaml.safe_load(text)["tasks"]
    choice = [t for t in tasks if t["type"] == "choice"]
    assert len(choice) == 1 and len(choice[0]["options"]) >= 2
    assert sum(o.get("correct", False) for o in choice[0]["options"]) == 1
    assert {"highlight", "short_answer"} <= {t["type"] for t in tasks}

    result = author.invoke(args=["exercises", "check", str(path)])
    assert result.exit_code == 1
    reported = {
        int(m.group(1))
        for m in re.finditer(
            r"^exercises/library-hours\.yaml:(\d+):\d+: error: ", result.output, re.M
        )
    }
    assert reported == todo_lines(text), result.output  # each TODO, and nothing else
    assert len(todo_lines(text)) > 15

    quotes = iter(["slashed", "4,000 residents", "Officials said"])
    text = re.sub(r'"TODO: the exact words[^"]*"', lambda _: f'"{next(quotes)}"', text)
    text = re.sub(r'"TODO: [^"]*"', '"Written by the author."', text)
    path.write_text(text, encoding="utf-8")
    passed = author.invoke(args=["exercises", "check", str(path)])
    assert passed.exit_code == 0, passed.output


def test_a_key_item_with_another_error_still_reports_its_todos(folder):
    source = (
        HEAD
        + HIGHLIGHT
        + """\
      - quote: slammed
        category: unverified_statistic
        why: "TODO: why"
        check: "TODO: how to check"
"""
    )
    problems = check(folder, source)
    assert {p.line for p in problems if "TODO" in p.message} == {12, 13}
