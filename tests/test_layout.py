"""Cutting an article into paragraphs, and paragraphs into segments under the same marks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from classroom.content.layout import (
    Paragraph,
    Segment,
    TextLayout,
    headline,
    paragraph_ranges,
    paragraphs,
    text_layout,
)

ARTICLES = Path(__file__).resolve().parent.parent / "exercises" / "articles"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("One paragraph.", [(0, 14)]),
        ("Line one\nline two", [(0, 17)]),  # a single line break stays inside the paragraph
        ("One.\n\nTwo.", [(0, 4), (6, 10)]),
        ("One.\n\n\n\nTwo.", [(0, 4), (8, 12)]),
        ("One.\n \t\nTwo.", [(0, 4), (8, 12)]),  # a line of only spaces is a blank line
        ("One.\n\n  • Two.", [(0, 4), (8, 14)]),  # indentation of the next paragraph is skipped
        ("\n\nOne.", [(2, 6)]),
        ("One.\n\n", [(0, 4)]),
        ("One.\n\nTwo.\n\nThree.", [(0, 4), (6, 10), (12, 18)]),
    ],
)
def test_paragraph_ranges(text, expected):
    assert paragraph_ranges(text) == expected


@pytest.mark.parametrize(
    "name, count", [("la-detainers-report-1", 9), ("la-detainers-report-2", 13)]
)
def test_the_seed_articles_split_into_their_paragraphs(name, count):
    text = (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")
    shown = [text[start:end] for start, end in paragraph_ranges(text)]
    assert len(shown) == count
    assert shown == [p.strip() for p in text.split("\n\n") if p.strip()]


def test_without_marks_each_paragraph_is_one_unmarked_segment():
    text = "One.\n\nTwo words."
    assert paragraphs(text) == [
        Paragraph(0, 4, (Segment(0, 4, "One."),)),
        Paragraph(6, 16, (Segment(6, 16, "Two words."),)),
    ]


def test_overlapping_marks_cut_the_text_where_each_begins_and_ends():
    text = "Hello brave new world"
    [paragraph] = paragraphs(text, [(6, 11, "A"), (10, 15, "B")])
    assert [(s.text, s.marks) for s in paragraph.segments] == [
        ("Hello ", ()),
        ("brav", ("A",)),
        ("e", ("A", "B")),
        (" new", ("B",)),
        (" world", ()),
    ]


def test_a_segment_lists_its_marks_in_the_order_given():
    [paragraph] = paragraphs("abcdef", [(0, 6, "outer"), (2, 4, "inner")])
    assert [s.marks for s in paragraph.segments] == [("outer",), ("outer", "inner"), ("outer",)]
    [paragraph] = paragraphs("abcdef", [(2, 4, "inner"), (0, 6, "outer")])
    assert paragraph.segments[1].marks == ("inner", "outer")


def test_a_mark_across_a_paragraph_break_shows_in_both_but_not_in_the_gap():
    text = "First para.\n\nSecond para."
    first, second = paragraphs(text, [(6, 19, "M")])
    assert [(s.text, s.marks) for s in first.segments] == [("First ", ()), ("para.", ("M",))]
    assert [(s.text, s.marks) for s in second.segments] == [("Second", ("M",)), (" para.", ())]


@pytest.mark.parametrize(
    "marks",
    [
        [(4, 6, "in the gap")],  # only the blank lines
        [(0, 0, "empty")],
        [(50, 60, "past the end")],
    ],
)
def test_marks_that_cover_no_text_leave_it_unmarked(marks):
    text = "One.\n\nTwo."
    assert paragraphs(text, marks) == paragraphs(text)


def test_a_mark_running_past_the_end_is_cut_at_the_end():
    [paragraph] = paragraphs("abc", [(1, 99, "M")])
    assert [(s.start, s.end, s.marks) for s in paragraph.segments] == [
        (0, 1, ()),
        (1, 3, ("M",)),
    ]


def test_marks_on_a_seed_article_put_the_key_words_in_one_segment():
    text = (ARTICLES / "la-detainers-report-1.txt").read_text(encoding="utf-8")
    start = text.index("slammed")
    laid = paragraphs(text, [(start, start + len("slammed"), "key")])
    marked = [s for p in laid for s in p.segments if s.marks]
    assert [(s.text, s.marks) for s in marked] == [("slammed", ("key",))]


texts = st.text(alphabet="ab \n", max_size=40)


@st.composite
def texts_with_marks(draw):
    text = draw(texts)
    spans = st.tuples(st.integers(0, len(text) + 2), st.integers(0, len(text) + 2))
    marks = [(a, b, i) for i, (a, b) in enumerate(draw(st.lists(spans, max_size=5)))]
    return text, marks


# 300 examples, not the profile's 100: a text of a few characters is cheap to lay out, and marks
# that overlap, nest, touch or run past the text need many draws to turn up together.
@settings(max_examples=300)
@given(texts_with_marks())
def test_segments_tile_each_paragraph_and_carry_exactly_the_marks_over_them(case):
    text, marks = case
    laid = paragraphs(text, marks)
    assert [(p.start, p.end) for p in laid] == paragraph_ranges(text)
    covered = set()
    for p in laid:
        assert "".join(s.text for s in p.segments) == text[p.start : p.end]
        assert [s.start for s in p.segments] == [p.start] + [s.end for s in p.segments[:-1]]
        for s in p.segments:
            assert s.text == text[s.start : s.end] and s.end > s.start
            for at in range(s.start, s.end):
                assert s.marks == tuple(m for a, b, m in marks if a <= at < b)
                covered.add(at)
    # only blank lines fall between paragraphs
    assert all(text[at].isspace() for at in range(len(text)) if at not in covered)


@pytest.mark.parametrize(
    "title, text, expected",
    [
        ("Ferry Fares Rise", "Ferry Fares Rise\n\nThe council voted.", (0, 16)),
        ("Ferry fares rise", "FERRY  FARES\nRISE\n\nThe council voted.", (0, 17)),  # as printed
        ("Ferry Fares Rise", "\n\nFerry Fares Rise\n\nThe council voted.", (2, 18)),
        ("Fares on the island", "Ferry Fares Rise\n\nThe council voted.", None),
        ("Ferry Fares Rise", "Ferry Fares Rise sharply\n\nThe council voted.", None),
        ("Ferry Fares Rise", "Ferry Fares Rise", None),  # the title is all there is: text
        ("", "The council voted.", None),
    ],
)
def test_the_headline_is_a_first_paragraph_that_repeats_the_title(title, text, expected):
    assert headline(title, text) == expected


def test_a_text_with_its_headline_lays_it_out_once_apart_from_the_paragraphs():
    text = "Ferry Fares Rise\n\nThe council voted.\n\nRiders were angry."
    assert text_layout("Ferry Fares Rise", text) == TextLayout((0, 16), [(18, 36), (38, 56)])
    assert text_layout("Fares on the island", text) == TextLayout(None, paragraph_ranges(text))


@pytest.mark.parametrize(
    "name, has_headline", [("la-detainers-report-1", True), ("la-detainers-report-2", False)]
)
def test_report_1_opens_with_its_headline_and_report_2_has_none(name, has_headline):
    text = (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")
    title = yaml.safe_load((ARTICLES / f"{name}.yaml").read_text(encoding="utf-8"))["title"]
    laid = text_layout(title, text)
    if has_headline:
        assert text[slice(*laid.headline)] == title
        assert laid.paragraphs == paragraph_ranges(text)[1:]
    else:
        assert laid == TextLayout(None, paragraph_ranges(text))


def test_the_ranges_given_out_are_the_callers_to_change():
    # an article's ranges are found once and kept: what a caller does to its list stays there
    text = "One.\n\nTwo.\n\nThree."
    first = paragraph_ranges(text)
    first.clear()
    assert paragraph_ranges(text) == [(0, 4), (6, 10), (12, 18)]
