"""What a file author meets first: the scaffold from `exercises new`, every TODO in one check,
and plain-word messages for the mistakes that cost the most time (a stray straight quote, a
tab, a misspelt name, a quote typed rather than copied)."""

from __future__ import annotations

import json
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


# --- a stray straight quote ----------------------------------------------------------------------

STRAY_QUOTES = {
    "a quote inside a double-quoted value": (
        HEAD
        + HIGHLIGHT
        + """\
      - quote: slammed
        why: "The word "slammed" judges the speaker."  # <-
""",
        """the value of 'why' starts with a " so YAML ends it at the next \"""",
        "single quotes",
    ),
    "a value that starts with a quoted word": (
        HEAD
        + HIGHLIGHT
        + """\
      - quote: slammed
        why: "Slammed" is an emotive verb for 'said'.  # <-
""",
        """the value of 'why' starts with a " so YAML ends it at the next \"""",
        "single quotes",
    ),
    "an apostrophe inside a single-quoted value": (
        HEAD
        + HIGHLIGHT
        + """\
      - quote: slammed
        why: 'It's an emotive verb for "said".'  # <-
""",
        "the value of 'why' starts with a ' so YAML ends it at the next '",
        "double quotes",
    ),
    "a quote never closed on its line, ended by one further down": (
        HEAD
        + """\
  - id: quiz
    type: choice
    prompt: "Which verb judges?  # <-
    options: [{text: "slammed", correct: true}, {text: said}]
""",
        """the value of 'prompt' starts with a " so YAML ends it at the next " (line 7)""",
        "single quotes",
    ),
    "a quote never closed at all": (
        HEAD
        + """\
  - id: quiz
    type: choice
    options: [{text: slammed, correct: true}, {text: said}]
    prompt: "Which verb judges?  # <-
""",
        """the value of 'prompt' starts with a " that is never closed""",
        'end the value with a "',
    ),
    "a list item": (
        HEAD
        + """\
  - id: reflect
    type: short_answer
    prompt: Who says so?
    model_answer: The council.
    key_points:
      - "Slammed" judges.  # <-
""",
        """this value starts with a " so YAML ends it at the next \"""",
        "single quotes",
    ),
}


@pytest.mark.parametrize("source, message, hint", STRAY_QUOTES.values(), ids=STRAY_QUOTES)
def test_a_stray_straight_quote_is_explained_in_plain_words(folder, source, message, hint):
    problem = the_problem(check(folder, source), marked_line(source))
    assert message in problem.message
    assert hint in problem.hint and "block" in problem.hint
    assert "parsing" not in problem.message and "expected" not in problem.message
    assert str(problem).startswith(f"exercises/mine.yaml:{problem.line}:")


def test_the_stray_quote_message_shows_what_yaml_could_not_read(folder):
    source = (
        HEAD + HIGHLIGHT + '      - quote: slammed\n        why: "The word "slammed" judges."\n'
    )
    problem = the_problem(check(folder, source), 11)
    assert problem.column == 14  # where the value starts: the quote to change
    assert problem.message.endswith("""cannot read the rest: slammed" judges.\"""")


# --- a tab ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, line",
    [
        (HEAD + HIGHLIGHT + "      - quote: slammed\n\t  why: A verb that judges.\n", 11),
        (HEAD + HIGHLIGHT.replace("    instruction", "  \tinstruction"), 8),
    ],
    ids=["a tab at the start of a line", "a tab after spaces"],
)
def test_a_tab_gets_a_plain_message(folder, source, line):
    problem = the_problem(check(folder, source), line)
    assert problem.message == (
        f"a tab at line {line}: YAML indents with spaces only; replace the tab with spaces"
    )


# --- did you mean --------------------------------------------------------------------------------

MISSPELT = {
    "a category of a task": (
        HEAD
        + """\
  - id: words
    type: highlight
    article: la-detainers-report-1
    categories: [loaded_langauge]  # <-
    instruction: Highlight loaded words.
    key:
      - quote: slammed
        why: A verb that judges.
""",
        "unknown category 'loaded_langauge'",
        "did you mean 'loaded_language'?",
    ),
    "the category of a key item": (
        HEAD
        + """\
  - id: words
    type: highlight
    article: la-detainers-report-1
    categories: [loaded_language, unverified_statistic]
    instruction: Highlight loaded words and numbers.
    key:
      - quote: slammed
        category: loaded-language  # <-
        why: A verb that judges.
""",
        "has category 'loaded-language', which task 'words' does not ask for",
        "did you mean 'loaded_language'?",
    ),
    "a task type": (
        HEAD
        + """\
  - id: quiz
    type: choise  # <-
    prompt: Which verb judges?
    options: [{text: slammed, correct: true}, {text: said}]
""",
        "task 1 has unknown type 'choise'",
        "did you mean 'choice'?",
    ),
    "an article": (
        HEAD
        + """\
  - id: words
    type: highlight
    article: la-detainers-report1  # <-
    categories: [loaded_language]
    instruction: Highlight loaded words.
    key:
      - quote: slammed
        why: A verb that judges.
""",
        "unknown article 'la-detainers-report1'",
        "did you mean 'la-detainers-report-1'?",
    ),
}


@pytest.mark.parametrize("source, message, hint", MISSPELT.values(), ids=MISSPELT)
def test_a_misspelt_name_gets_did_you_mean(folder, source, message, hint):
    problems = [p for p in check(folder, source) if message in p.message]
    assert len(problems) == 1, [str(p) for p in check(folder, source)]
    assert problems[0].line == marked_line(source)
    assert problems[0].hint.startswith(hint)


def test_a_name_like_none_lists_the_known_ones(folder):
    source = HEAD + HIGHLIGHT.replace("[loaded_language]", "[propaganda]")
    source += "      - quote: slammed\n        why: A verb that judges.\n"
    problem = next(p for p in check(folder, source) if "unknown category" in p.message)
    assert "did you mean" not in problem.hint
    assert "loaded_language, unverified_statistic, missing_context" in problem.hint


# --- a quote typed, not copied -------------------------------------------------------------------

TYPED = {
    "a straight apostrophe for a curly one": (
        "Sheriff’s commitment to public safety.\n",
        "Sheriff's commitment",
        """the quote has "'" (apostrophe) where the article has '’' (right single quotation """
        "mark)",
    ),
    "a curly apostrophe for a straight one": (
        "Sheriff's commitment to public safety.\n",
        "Sheriff’s commitment",
        """the quote has '’' (right single quotation mark) where the article has "'" """
        "(apostrophe)",
    ),
    "curly double quotes for straight ones": (
        'Critics called it "a betrayal" on Monday.\n',
        "called it “a betrayal”",
        """the quote has '“' (left double quotation mark) where the article has '"'""",
    ),
    "a hyphen for an en dash": (
        "Prices rose 10–15 per cent last year.\n",
        "rose 10-15 per cent",
        "the quote has '-' (hyphen-minus) where the article has '–' (en dash)",
    ),
    "a space for a no-break space": (
        "The fine was 500\u00a0dollars last year.\n",
        "was 500 dollars",
        "the quote has ' ' (space) where the article has '\\xa0' (no-break space)",
    ),
}


@pytest.mark.parametrize("article, quote, difference", TYPED.values(), ids=TYPED)
def test_a_quote_not_in_the_article_says_copy_the_words_from_the_article_file(
    folder, article, quote, difference
):
    (folder / "articles" / "typed.txt").write_text(article, encoding="utf-8")
    source = (
        HEAD.replace("la-detainers-report-1", "typed")
        + HIGHLIGHT.replace("la-detainers-report-1", "typed")
        + f"      - quote: {json.dumps(quote, ensure_ascii=False)}\n        why: A label.\n"
    )
    problem = the_problem(check(folder, source), 10)
    assert "is not in the article" in problem.message
    assert problem.hint.startswith(difference)
    assert problem.hint.endswith(
        "copy the words from the article file, exercises/articles/typed.txt"
    )


def test_a_misspelt_quote_is_told_to_copy_the_words_too(folder):
    source = (
        HEAD + HIGHLIGHT + "      - quote: Democrat Sherrif’s commitment\n        why: A label.\n"
    )
    problem = the_problem(check(folder, source), 10)
    assert problem.hint.startswith("differs from the article at:")
    assert problem.hint.endswith(
        "copy the words from the article file, exercises/articles/la-detainers-report-1.txt"
    )
