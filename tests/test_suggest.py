"""Suggestions of key items: what an author sees proposed for an article, and the command line.

Every text here is made up for the test; none comes from the seed reports.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classroom.content.suggest import suggest


def quotes(text: str, category: str) -> list[str]:
    """The words suggested in text for one category, in reading order."""
    return [s.quote for s in suggest(text) if s.category == category]


def only(text: str, category: str):
    """The one suggestion of this category in text."""
    found = [s for s in suggest(text) if s.category == category]
    assert len(found) == 1, found
    return found[0]


def test_a_loaded_reporting_verb_is_suggested_with_its_reason():
    s = only("The mayor slammed the council's budget on Tuesday.", "loaded_language")
    assert s.quote == "slammed"
    assert s.reason.startswith("'slammed' is a loaded verb of saying")
    assert "'said'" in s.reason  # the neutral word an author can offer students


def test_a_plain_report_gets_no_loaded_language():
    text = "The council voted 5-2 on Tuesday to approve the budget, the clerk said."
    assert quotes(text, "loaded_language") == []


@pytest.mark.parametrize(
    "text, loaded",
    [
        # the reporter's voice
        ("Critics blasted the far-right group.", ["blasted", "far-right"]),
        ("Critics blasted the far-left group.", ["blasted", "far-left"]),
        # inside quotes, each side's words
        ("“It is a witch hunt,” the governor said.", ["witch hunt"]),
        ("“The governor is a liar,” his rival said.", ["liar"]),
        ("“They are pro-abortion extremists,” one said.", ["pro-abortion extremists"]),
        ("“They are anti-choice zealots,” another said.", ["anti-choice zealots"]),
    ],
)
def test_loaded_words_are_found_in_quotes_and_in_the_reporters_voice_on_every_side(text, loaded):
    assert quotes(text, "loaded_language") == loaded


def test_capitalised_words_are_names_except_in_a_headline_in_title_case():
    text = "Council Passes Cruel Plan\n\nThe plan, backed by Mayor Joy Hart, passed."
    assert quotes(text, "loaded_language") == ["Cruel"]  # not "Joy", a name


def test_a_percentage_with_no_source_in_its_sentence_is_an_unverified_statistic():
    text = "Crime rose by 46 percent. The report came out in May, the mayor said."
    s = only(text, "unverified_statistic")
    assert s.quote == "46 percent"
    assert "no source" in s.reason


def test_a_figure_with_a_source_in_its_sentence_is_suggested_too_and_the_reason_names_it():
    text = "Crime rose by 46 percent, according to police figures."
    s = only(text, "unverified_statistic")
    assert s.quote == "46 percent"
    assert "'according to police figures'" in s.reason


@pytest.mark.parametrize(
    "text, figures",
    [
        (
            "More than 2,500 people and $4.5 million were involved.",
            ["More than 2,500", "$4.5 million"],
        ),
        ("It was the largest march in the city.", ["largest"]),
        ("Countless families left, more than any other town.", ["Countless", "than any other"]),
        ("In 2019 the COVID-19 rules in Section 8 changed on March 3.", []),
    ],
)
def test_numbers_amounts_superlatives_and_comparisons_but_not_dates_or_names(text, figures):
    assert quotes(text, "unverified_statistic") == figures


def test_officials_said_is_missing_context():
    s = only("Officials said the bridge would reopen.", "missing_context")
    assert s.quote == "Officials said"
    assert "who" in s.reason.lower()


@pytest.mark.parametrize(
    "text, gaps",
    [
        ("The park recently closed.", ["recently"]),
        ("The park closed in April.", ["in April"]),
        ("Prices rose because of the strike.", ["because"]),
        ("The mayor left.\n\nRelated Articles\n", ["Related Articles"]),
    ],
)
def test_vague_time_causation_and_page_furniture_are_missing_context(text, gaps):
    assert quotes(text, "missing_context") == gaps


def test_a_quote_without_its_opening_mark_is_suggested_at_its_first_words():
    text = "The mayor spoke.\n\nWe will rebuild the bridge,” she said."
    s = only(text, "missing_context")
    assert s.quote == "We will rebuild"
    assert "opening quotation mark" in s.reason


def test_a_quote_running_on_to_the_next_paragraph_is_not_a_missing_mark():
    text = "“We will rebuild.\n\n“It will take a year,” she said."
    assert quotes(text, "missing_context") == []


def test_offsets_point_at_exactly_the_words():
    text = "On Monday, officials said the mayor slammed 300 protesters."
    for s in suggest(text):
        assert text[s.start : s.end] == s.quote
    assert [(s.start, s.end) for s in suggest(text) if s.quote == "slammed"] == [(36, 43)]


def test_overlapping_hits_of_one_category_merge_into_one_suggestion_with_both_reasons():
    # "Senior officials" is a vague title, "officials said" an unnamed source
    s = only("Senior officials said the plan would change.", "missing_context")
    assert s.quote == "Senior officials said"
    assert "title" in s.reason and "'officials said'" in s.reason


def test_loaded_words_side_by_side_are_one_suggestion():
    s = only("It was a cynical ploy designed to mislead voters.", "loaded_language")
    assert s.quote == "cynical ploy designed to mislead"


def test_suggestions_are_sorted_by_position():
    text = "Officials said 40 percent were furious. Now the mayor slammed them."
    starts = [s.start for s in suggest(text)]
    assert starts == sorted(starts) and len(starts) >= 4


WORDS = ["slammed", "officials said", "40 percent", "now", "the", "far-left", "largest", "“", "”"]


@given(st.lists(st.sampled_from([*WORDS, " ", ".", "\n\n", ","]), max_size=40))
def test_every_suggestion_quotes_its_own_offsets_and_none_of_one_category_overlap(parts):
    text = " ".join(parts)
    found = suggest(text)
    assert found == sorted(found, key=lambda s: (s.start, s.end, s.category))
    for s in found:
        assert text[s.start : s.end] == s.quote and s.quote.strip() == s.quote and s.reason
    for category in {s.category for s in found}:
        spans = [(s.start, s.end) for s in found if s.category == category]
        assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:], strict=False))


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Council budget\n\nThe mayor slammed the plan, officials said.\n", "utf-8")
    return path


def test_the_command_prints_line_column_category_words_and_reason(runner, article):
    result = runner.invoke(args=["exercises", "suggest", str(article)])
    assert result.exit_code == 0, result.output
    assert "3:11 loaded_language “slammed”: 'slammed' is a loaded verb of saying" in result.output
    assert "3:29 missing_context “officials said”:" in result.output


def test_the_command_gives_json_with_categories_reasons_and_offsets(runner, article):
    result = runner.invoke(args=["exercises", "suggest", str(article), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    text = article.read_text("utf-8")
    assert {"category", "start", "end", "quote", "reason"} == set(found[0])
    assert [s["quote"] for s in found] == ["slammed", "officials said"]
    assert all(text[s["start"] : s["end"]] == s["quote"] for s in found)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("missing.txt", None, "No such file"),
        ("latin1.txt", "Café crème".encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_the_command_says_when_the_file_cannot_be_read(runner, tmp_path, name, content, message):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    result = runner.invoke(args=["exercises", "suggest", str(tmp_path / name)])
    assert result.exit_code == 1
    assert f"cannot read {tmp_path / name}" in result.output and message in result.output
