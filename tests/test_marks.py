"""The marked articles of the feedback, review and preview pages, as a screen reader reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from classroom.content.loader import load_library
from classroom.marks import item_statuses, marked_articles, reviewed_highlights
from classroom.work import clean_work, grade_work

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
REPORT = load_library(EXERCISES).exercises["la-detainers-report-1"]
SNAPSHOT = REPORT.snapshot
TEXT = REPORT.article(REPORT.id).text


def on(quote: str, category: str = "loaded_language") -> dict:
    """A highlight on the first appearance of quote in the report, as the page sends it."""
    start = TEXT.index(quote)
    return {"article": REPORT.id, "start": start, "end": start + len(quote), "category": category}


def attempt_of(*highlights: dict) -> tuple[list[dict], dict]:
    """Highlights as an attempt stores them (with ids), and their graded result."""
    work = clean_work(REPORT, {"highlights": list(highlights), "answers": {}})
    stored = [{**h, "id": n + 1} for n, h in enumerate(work["highlights"])]
    return stored, grade_work(REPORT, work)


def graded(*highlights: dict, key: bool = True, reader: str = "student") -> list[dict]:
    """The articles as the feedback on an attempt with these highlights lays them out."""
    stored, result = attempt_of(*highlights)
    return marked_articles(SNAPSHOT, stored, key=key, statuses=item_statuses(result), reader=reader)


def marked(articles: list[dict], start: int) -> dict:
    """The segment of the report that begins at start: its text, classes and spoken label."""
    [report] = [a for a in articles if a["id"] == REPORT.id]
    for paragraph in report["paragraphs"]:
        at = paragraph["start"]
        for segment in paragraph["segments"]:
            if at == start:
                return segment
            at += len(segment["text"])
    raise AssertionError(f"no segment begins at {start}")


# the first key item, 'Criminal Illegal Aliens' in the title: key item 1, loaded language
KEY = [i for t in SNAPSHOT["tasks"] for i in t.get("key", [])][0]
ON_KEY = {k: KEY[k] for k in ("article", "start", "end", "category")}
SLAMMED = on("slammed")
SHERIFF = on("Sheriff", "unverified_statistic")  # touches no key item


@pytest.mark.parametrize(
    "reader, label",
    [
        ("student", "your highlight (Loaded language)"),
        ("teacher", "the student's highlight (Loaded language)"),
    ],
)
def test_a_highlight_is_named_as_the_reader_would_say_it(reader, label):
    segment = marked(graded(SLAMMED, reader=reader), SLAMMED["start"])
    assert segment["text"] == "slammed"
    assert segment["label"] == f"{label}; key item 10, Loaded language, found"


@pytest.mark.parametrize(
    "category, status, label",
    [
        ("loaded_language", "key-found", "found"),
        ("missing_context", "key-partly", "right place, other category"),
    ],
)
def test_the_key_is_outlined_by_what_the_student_found(category, status, label):
    segment = marked(graded({**ON_KEY, "category": category}), KEY["start"])
    assert segment["text"] == "Criminal Illegal Aliens"
    assert "key" in segment["classes"].split() and status in segment["classes"].split()
    assert segment["label"].endswith(f"; key item 1, Loaded language, {label}")


def test_a_key_item_the_student_did_not_touch_is_read_as_missed():
    segment = marked(graded(SLAMMED), KEY["start"])
    assert segment["classes"] == "key key-missed"
    assert segment["label"] == "key item 1, Loaded language, missed"


def test_the_authors_preview_fills_the_key_in_its_categories_colours():
    segment = marked(marked_articles(SNAPSHOT, key=True), KEY["start"])
    assert segment["classes"] == "hl cat-0"
    assert segment["label"] == "key item 1, Loaded language"
    plain = marked_articles(SNAPSHOT)  # without the key, nothing is marked
    assert all(not s["classes"] for a in plain for p in a["paragraphs"] for s in p["segments"])


def test_feedback_held_back_shows_the_highlights_without_the_key():
    segment = marked(graded(ON_KEY, key=False), KEY["start"])
    assert segment["classes"] == "hl cat-0"
    assert segment["label"] == "your highlight (Loaded language)"


@pytest.mark.parametrize(
    "credited, classes, label",
    [
        (set(), "extra-open", "not in the key"),
        ({1}, "extra-credited", "not in the key, credited"),
    ],
)
def test_a_highlight_not_in_the_key_says_whether_the_teacher_credited_it(credited, classes, label):
    highlights, result = attempt_of(SHERIFF)
    extra_ids = {highlights[i]["id"] for i in result["extras"]}
    assert extra_ids == {1}
    reviewed = reviewed_highlights(highlights, extra_ids, credited)
    articles = marked_articles(
        SNAPSHOT,
        highlights,
        key=True,
        statuses=item_statuses(result),
        extras=[h for h in reviewed if h["extra"]],
        reader="teacher",
    )
    segment = marked(articles, SHERIFF["start"])
    assert classes in segment["classes"].split()
    assert segment["label"] == f"the student's highlight (Unverified statistic); {label}"


def test_each_part_of_a_key_item_names_it_and_its_first_part_is_where_links_land():
    part = on("Criminal")  # the first word of key item 1 only
    assert part["start"] == KEY["start"]
    articles = graded(part)
    first, rest = marked(articles, KEY["start"]), marked(articles, KEY["start"] + len("Criminal"))
    assert (first["text"], rest["text"]) == ("Criminal", " Illegal Aliens")
    assert first["key_ids"] == rest["key_ids"] == KEY["id"]
    assert (first["anchors"], rest["anchors"]) == ([KEY["id"]], [])
    plain = marked(articles, 0)  # the headline's first words: no key item
    assert (plain["key_ids"], plain["anchors"]) == ("", [])


def test_the_reports_own_headline_is_flagged_to_be_shown_once_as_its_title():
    [report] = marked_articles(SNAPSHOT, [ON_KEY], key=True)
    flags = [p["headline"] for p in report["paragraphs"]]
    assert flags == [True] + [False] * (len(flags) - 1)
    head = report["paragraphs"][0]
    assert "".join(s["text"] for s in head["segments"]) == report["title"]
    assert any(s["text"] == KEY["quote"] and "hl" in s["classes"] for s in head["segments"])


def test_a_title_the_editors_added_is_no_paragraph_of_the_text():
    compare = load_library(EXERCISES).exercises["la-detainers-compare"].snapshot
    flags = {a["id"]: [p["headline"] for p in a["paragraphs"]] for a in marked_articles(compare)}
    assert flags["la-detainers-report-1"][0] is True
    assert not any(flags["la-detainers-report-2"])


def test_a_paragraph_is_marked_up_as_the_headline_is(app):
    # marked_article writes marked_segments out for each paragraph: the two must not drift
    highlights, result = attempt_of(SLAMMED, SHERIFF, on("Criminal"))
    articles = marked_articles(
        SNAPSHOT, highlights, key=True, statuses=item_statuses(result), reader="student"
    )
    with app.test_request_context():
        macros = app.jinja_env.get_template("_macros.html").module
        for article in articles:
            shown = [p for p in article["paragraphs"] if not p["headline"]]
            written = str(macros.marked_article(article["paragraphs"]))
            for p in shown:
                assert f"<p>{macros.marked_segments(p)}</p>" in written
    assert any("<mark" in str(macros.marked_segments(p)) for p in shown)
