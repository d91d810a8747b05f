"""Placing an author's quote in an article, and explaining clearly when it cannot be placed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from classroom.content.anchoring import (
    AnchorError,
    anchor,
    closest_passage,
    describe_difference,
    line_of,
    occurrences,
)

ARTICLES = Path(__file__).resolve().parent.parent / "exercises" / "articles"
REPORT_1 = (ARTICLES / "la-detainers-report-1.txt").read_text(encoding="utf-8")

SMALL = "The cat sat.\nThe cat ran.\n\nA dog sat by the cat."


@pytest.mark.parametrize(
    "text, quote, expected",
    [
        ("abcabc", "abc", [0, 3]),
        ("aaaa", "aa", [0, 1, 2]),  # overlapping occurrences count
        ("abc", "x", []),
        ("abc", "", []),
        (SMALL, "cat", [4, 17, 44]),
    ],
)
def test_occurrences(text, quote, expected):
    assert occurrences(text, quote) == expected


@pytest.mark.parametrize("offset, line", [(0, 1), (12, 1), (13, 2), (26, 3), (27, 4)])
def test_line_of_counts_from_one(offset, line):
    assert line_of(SMALL, offset) == line


def test_a_unique_quote_is_placed_with_the_text_around_it():
    spot = anchor(REPORT_1, "slammed")
    assert REPORT_1[spot.start : spot.end] == "slammed"
    assert line_of(REPORT_1, spot.start) == 9
    assert spot.prefix == REPORT_1[spot.start - 32 : spot.start]
    assert spot.suffix == REPORT_1[spot.end : spot.end + 32]
    assert spot.prefix.endswith("Henry Lucero ")
    assert spot.suffix.startswith(" the Democrat")


def test_context_is_cut_at_the_edges_of_the_article():
    spot = anchor("Hello world", "Hello", context=10)
    assert (spot.start, spot.end, spot.prefix, spot.suffix) == (0, 5, "", " world")
    spot = anchor("Hello world", "world", context=3)
    assert (spot.prefix, spot.suffix) == ("lo ", "")


def test_quotes_keep_curly_punctuation_exactly():
    spot = anchor(REPORT_1, "Democrat Sheriff’s commitment")
    assert REPORT_1[spot.start : spot.end] == "Democrat Sheriff’s commitment"


@pytest.mark.parametrize("quote", ["", "   ", "\n\t"])
def test_an_empty_quote_is_refused(quote):
    with pytest.raises(AnchorError, match="the quote is empty") as err:
        anchor(REPORT_1, quote)
    assert "copy the words from the article file" in err.value.hint


@pytest.mark.parametrize(
    "quote, count, lines",
    [
        ("Los Angeles County", 2, "5, 7"),
        ("criminal aliens", 4, "5, 11, 13, 15"),
        ("Washington Examiner", 2, "3, 9"),
    ],
)
def test_a_repeated_quote_is_ambiguous_with_count_and_lines(quote, count, lines):
    with pytest.raises(AnchorError) as err:
        anchor(REPORT_1, quote)
    assert f"occurs {count} times in the article (lines {lines})" in str(err.value)
    assert "occurrence: N" in err.value.hint
    assert "prefix" in err.value.hint and "suffix" in err.value.hint


@pytest.mark.parametrize("occurrence, line", [(1, 5), (2, 11), (3, 13), (4, 15)])
def test_occurrence_picks_the_nth_in_reading_order(occurrence, line):
    spot = anchor(REPORT_1, "criminal aliens", occurrence=occurrence)
    assert REPORT_1[spot.start : spot.end] == "criminal aliens"
    assert line_of(REPORT_1, spot.start) == line


@pytest.mark.parametrize(
    "words, line",
    [
        ({"prefix": "free pass to "}, 15),
        ({"prefix": "release of convicted "}, 11),
        ({"suffix": " on the streets"}, 5),
        ({"suffix": " are apprehended"}, 13),
        ({"prefix": "the most dangerous ", "suffix": " are"}, 13),
    ],
)
def test_prefix_or_suffix_picks_the_one_meant(words, line):
    spot = anchor(REPORT_1, "criminal aliens", **words)
    assert line_of(REPORT_1, spot.start) == line
    assert REPORT_1[spot.start : spot.end] == "criminal aliens"


def test_occurrence_counts_among_those_with_the_prefix():
    text = "a cat. the cat. a cat. the cat."  # "cat" at 2, 11, 18 and 27
    assert anchor(text, "cat", prefix="the ", occurrence=2).start == 27
    assert anchor(text, "cat", prefix="a ", occurrence=2).start == 18
    assert anchor(text, "cat", suffix=". a", occurrence=1).start == 11


def test_a_prefix_that_still_leaves_two_is_ambiguous():
    with pytest.raises(AnchorError, match="occurs 2 times"):
        anchor("a cat. the cat. a cat.", "cat", prefix="a ")


def test_a_prefix_that_never_matches_says_so():
    with pytest.raises(AnchorError, match="never with that prefix/suffix") as err:
        anchor(REPORT_1, "criminal aliens", prefix="brave ")
    assert "just before the quote" in err.value.hint


@pytest.mark.parametrize("occurrence", [0, 5, -1])
def test_an_occurrence_out_of_range_says_how_many_there_are(occurrence):
    with pytest.raises(AnchorError, match="the quote occurs 4 time") as err:
        anchor(REPORT_1, "criminal aliens", occurrence=occurrence)
    assert f"occurrence {occurrence} asked for" in str(err.value)
    assert "counts from 1" in err.value.hint


CURLY = "where the article has '’' (right single quotation mark): they look alike"
NOT_FOUND = {
    # typed on a keyboard, where the article has a curly apostrophe
    "curly-apostrophe": (
        "Democrat Sheriff's commitment",
        "Democrat Sheriff’s commitment",
        9,
        CURLY,
    ),
    "curly-apostrophe-2": ("everyone's public safety", "everyone’s public safety", 7, CURLY),
    "double-space": ("detainer  requests from", "detainer requests from", 3, "spacing"),
    "line-break": ("denied over\n25,000", "denied over 25,000", 3, "spacing or line breaks"),
    "case": ("so-called Sanctuary City", "so-called sanctuary city", 3, "upper and lower case"),
    "case-2": ("then-attorney general", "then-Attorney General", 13, "upper and lower case"),
    # case differs in the very first letter
    "case-first-letter": (
        "federal immigration enforcement data",
        "Federal immigration enforcement data",
        3,
        "upper and lower case",
    ),
    "case-first-letter-2": (
        "los angeles jail system",
        "Los Angeles jail system",
        3,
        "upper and lower case",
    ),
}


@pytest.mark.parametrize("quote, passage, line, hint", NOT_FOUND.values(), ids=NOT_FOUND)
def test_a_quote_not_found_names_the_closest_passage_and_what_differs(quote, passage, line, hint):
    with pytest.raises(AnchorError) as err:
        anchor(REPORT_1, quote)
    message = str(err.value)
    assert message.startswith(f"the quote {quote!r} is not in the article")
    assert f"closest passage (line {line})" in message
    assert passage in message
    assert hint in err.value.hint


def test_a_curly_dash_in_the_quote_is_not_blamed_on_the_article():
    # The article has a plain hyphen in "then-Attorney"; the author pasted an en dash.
    with pytest.raises(AnchorError) as err:
        anchor(REPORT_1, "then–Attorney General")
    assert "then-Attorney General" in str(err.value)
    assert "the quote has '–' (en dash) where the article has '-' (hyphen-minus)" in err.value.hint


def test_a_misspelt_quote_shows_the_words_that_differ():
    with pytest.raises(AnchorError) as err:
        anchor(REPORT_1, "obtained by the Washington Exeminer")
    assert "'obtained by the Washington Examiner'" in str(err.value)
    assert err.value.hint.startswith("differs from the article at:")
    assert "'e' -> 'a'" in err.value.hint


def test_a_quote_like_nothing_in_the_article_gets_a_plain_message():
    with pytest.raises(AnchorError) as err:
        anchor(REPORT_1, "zebras quietly juggling marmalade")
    assert str(err.value) == ("the quote 'zebras quietly juggling marmalade' is not in the article")
    assert err.value.hint == "copy the words from the article file"


def test_closest_passage_of_a_quote_longer_than_the_article():
    assert closest_passage("short", "a quote far longer than the text") is None


@pytest.mark.parametrize(
    "quote, passage, expected",
    [
        ("it's", "it’s", "(apostrophe) where the article has '’' (right single quotation mark)"),
        ('"yes"', "“yes”", "(quotation mark) where the article has '“' (left double quotation"),
        ("a - b", "a – b", "(hyphen-minus) where the article has '–' (en dash)"),
        ("a  b", "a b ", "spacing"),
        ("a\nb", "a b", "spacing"),
        ("ABC", "abc", "upper and lower case"),
        ("the cat", "the cut", "'a' -> 'u'"),
    ],
)
def test_describe_difference(quote, passage, expected):
    assert expected in describe_difference(quote, passage)


# More examples than the profile's 100: each is one passage of the real article, of many.
@settings(max_examples=150)
@given(data=st.data())
def test_any_passage_of_the_article_anchors_where_it_is_when_its_place_is_given(data):
    start = data.draw(st.integers(0, len(REPORT_1) - 1), label="start")
    end = data.draw(st.integers(start + 1, min(len(REPORT_1), start + 60)), label="end")
    quote = REPORT_1[start:end]
    assume(quote.strip())
    starts = occurrences(REPORT_1, quote)
    spot = anchor(REPORT_1, quote, occurrence=starts.index(start) + 1)
    assert (spot.start, spot.end) == (start, end)
    # the context stored with the anchor finds the same place again
    again = anchor(REPORT_1, quote, prefix=spot.prefix, suffix=spot.suffix)
    assert (again.start, again.end) == (start, end)
