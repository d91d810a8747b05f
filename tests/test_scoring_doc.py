"""docs/scoring.md's worked examples: each row of its table, graded again, gives its figures."""

from __future__ import annotations

import re
from pathlib import Path

from classroom.content.layout import paragraph_ranges
from classroom.content.loader import load_library
from tests.test_docs import section

ROOT = Path(__file__).resolve().parent.parent
SEED = load_library(ROOT / "exercises")
EXERCISE = SEED.exercises["la-detainers-report-1"]
STEP = EXERCISE.task("loaded-language")
TEXT = EXERCISE.article("la-detainers-report-1").text
ROW = re.compile(r"^\| (.+?) \| ([\d.]+)% \| ([\d.]+)% \| ([\d.]+)% \| [\d.]+% \|$", re.M)
LABELS = {c.label.lower(): c.id for c in EXERCISE.categories.values()}


def rows() -> list[tuple[str, float, float, float]]:
    doc = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    found = ROW.findall(section(doc, "## Worked examples"))
    assert len(found) >= 5, "no worked examples found in docs/scoring.md"
    return [(what, float(p), float(r), float(s)) for what, p, r, s in found]


def highlights(what: str) -> list[dict]:
    """The highlights a row describes: “quoted words” (their first place in report 1), each
    problem once, or the paragraph that starts “words”; in loaded language unless it says
    `tagged <category>`."""
    category = "loaded_language"
    if tagged := re.search(r", tagged (.+)$", what):
        category, what = LABELS[tagged.group(1)], what[: tagged.start()]
    if what == "each problem once, word for word":
        first = {}
        for n, item in enumerate(STEP.key):
            first.setdefault(item.group or n, item)
        spans = [(k.start, k.end) for k in first.values()]
    elif paragraph := re.fullmatch(r"the paragraph that starts “(.+)”", what):
        spans = [p for p in paragraph_ranges(TEXT) if TEXT[p[0] :].startswith(paragraph[1])]
    else:
        quotes = re.findall(r"“(.+?)”", what)
        assert quotes, f"a row the test cannot read: {what}"
        spans = [(TEXT.index(q), TEXT.index(q) + len(q)) for q in quotes]
    return [
        {"article": "la-detainers-report-1", "start": s, "end": e, "category": category}
        for s, e in spans
    ]


def test_each_worked_example_gives_the_figures_the_doc_says():
    # the doc is read by the test, not when the tests are collected (tests/test_suite.py)
    wrong = []
    for what, precision, recall, score in rows():
        result = STEP.grade(highlights(what), None)
        shown = [round(100 * result[k], 1) for k in ("precision", "recall", "score")]
        if shown != [precision, recall, score]:
            wrong.append(f"{what}: {shown} where the doc says {[precision, recall, score]}")
    assert wrong == []


def test_the_examples_step_is_as_the_doc_describes_it():
    problems = {item.group or n: item for n, item in enumerate(STEP.key)}
    assert len(STEP.key) == 24 and len(problems) == 20
    assert sum(item.core for item in problems.values()) == 9
    assert [k.group for k in STEP.key].count("alien-label") == 5
