"""The shipped answer keys: the comparison is complete, and the facts fixed in issue 15 stay so."""

from __future__ import annotations

from pathlib import Path

import pytest

from classroom.content.loader import load_library
from classroom.content.model import KeyItem

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
LIBRARY = load_library(EXERCISES)
R1, R2 = "la-detainers-report-1", "la-detainers-report-2"
COMPARE = LIBRARY.exercises["la-detainers-compare"]


def item(exercise: str, task: str, article: str, quote: str) -> KeyItem:
    """The one key item of a task on these words of an article."""
    [found] = [
        k
        for k in LIBRARY.exercises[exercise].task(task).key
        if k.article == article and k.quote == quote
    ]
    return found


def test_the_seed_exercises_all_load():
    assert not LIBRARY.problems
    assert {R1, R2, "la-detainers-compare"} <= set(LIBRARY.exercises)


def test_every_comparison_item_says_how_to_check_it():
    unchecked = [k.quote for k in COMPARE.task("compare-reports").key if not k.check.strip()]
    assert unchecked == []


@pytest.mark.parametrize(
    "article, quote, category",
    [
        # a direct quote in report 1 becomes the writer's summary in report 2, without "more than"
        (R1, "more than 10 million", "disagreement"),
        (R2, "10 million residents", "disagreement"),
        # saying no against not answering
        (R1, "Refused", "disagreement"),
        (R1, "denied", "disagreement"),
        (R2, "ignored", "disagreement"),
        # two pictures of Lucero's reaction
        (R1, "slammed", "disagreement"),
        (R2, "was furious", "disagreement"),
        (R2, "CCP Virus", "only_here"),
        (R2, "current federal legislation", "only_here"),
        (
            R1,
            "forcing the federal agency to make dangerous and at times tenuous arrests",
            "only_here",
        ),
    ],
)
def test_the_comparison_marks_what_the_reports_word_differently(article, quote, category):
    found = item("la-detainers-compare", "compare-reports", article, quote)
    assert found.category == category
    assert COMPARE.article(article).text[found.start : found.end] == quote
    assert found.why.strip() and found.check.strip()


def test_the_comparison_marks_both_sides_of_each_new_disagreement():
    key = COMPARE.task("compare-reports").key
    for words in (("10 million",), ("Refused", "denied", "ignored"), ("slammed", "furious")):
        sides = {
            k.article
            for k in key
            if k.category == "disagreement" and any(w in k.quote for w in words)
        }
        assert sides == {R1, R2}, words


def test_the_handover_claim_is_explained_by_the_detainer_rule_courts_and_state_law():
    why = item(R2, "missing-context", R2, "should immediately turn him or her over").why
    for fact in ("8 CFR 287.7(a)", "“request”", "Galarza v. Szalczyk", "SB 54"):
        assert fact in why
    assert "disputed" not in why  # courts have ruled on it: a request, which jails may decline


def test_report_1_does_not_say_the_city_has_no_jails():
    why = item(R1, "missing-context", R1, "Los Angeles jail system").why
    assert "county jails" in why and "LAPD" in why and "jails of their own" in why
    assert "not by the City of Los Angeles" not in why


def test_only_lucero_is_credited_to_the_examiner_interview_in_report_2():
    why = item("la-detainers-compare", "compare-reports", R2, "Washington Examiner").why
    assert "Lucero" in why and "its quotes" not in why


def test_in_itself_false_says_what_it_may_refer_to_without_choosing():
    why = item(R2, "missing-context", R2, "in itself false").why
    assert "“it”" in why and "could be" in why
    assert "the sheriff’s claim is false" not in why


def test_jails_and_prisons_allow_for_californias_realignment():
    why = item(R2, "missing-context", R2, "prison system").why
    assert "2011" in why and "realignment" in why and "several years" in why
