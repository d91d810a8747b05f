"""Suggested key items against the shipped answer keys of the two seed reports, and their speed.

    .venv/bin/python bench/suggest.py              # what `make bench-suggest` runs
    .venv/bin/python bench/suggest.py --details    # every miss and every unmatched suggestion

For each seed report (exercises/articles/la-detainers-report-1.txt and -2.txt, shipped verbatim
from the project's seeds) it runs classroom.content.suggest on the article's text and compares
the suggestions with the key items, in the three built-in categories, of every exercise in
exercises/ on that article.

Matching rule, per category, over both reports together: a key item is found when a suggestion
of the same category shares at least one character with it (recall = key items found / key
items); a suggestion is right when it shares at least one character with a key item of the same
category (precision = right suggestions / suggestions). Items are counted one by one, repeats
of a label included.

Speed: a 1,000-word article made of the two seed texts (both in turn, repeated, cut after the
1,000th word), the median of 21 runs after one warm-up call (the lexicons are compiled on first
use; that first call is timed too), beside a baseline over the same text: re.findall(r"\\w+").

Floors (issue 14): loaded language recall at least 0.6 with precision at least 0.3, statistics
recall at least 0.8, under 100 ms. Each is reported as met or not met; the exit status is 1 if
any is not met.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classroom.content.loader import load_library  # noqa: E402
from classroom.content.model import BUILTIN_CATEGORIES, KeyItem  # noqa: E402
from classroom.content.suggest import Suggestion, suggest  # noqa: E402

SEED_REPORTS = ("la-detainers-report-1", "la-detainers-report-2")
WORDS, RUNS = 1_000, 21
FLOORS = {  # category: (recall at least, precision at least)
    "loaded_language": (0.6, 0.3),
    "unverified_statistic": (0.8, 0.0),
}
MAX_MS = 100.0


def key_items(folder: Path) -> tuple[dict[str, str], list[KeyItem]]:
    """The seed reports' texts and their key items in the built-in categories, once each."""
    library = load_library(folder)
    texts = {a: library.articles[a].text for a in SEED_REPORTS}
    items = {
        (i.article, i.start, i.end, i.category): i
        for exercise in library.exercises.values()
        for i in exercise.key_items
        if i.article in texts and i.category in BUILTIN_CATEGORIES
    }
    return texts, list(items.values())


def overlap(a: KeyItem | Suggestion, b: KeyItem | Suggestion) -> bool:
    """Whether two spans of one category share at least one character."""
    return a.category == b.category and a.start < b.end and b.start < a.end


def measure(texts: dict[str, str], items: list[KeyItem], details: bool) -> dict[str, tuple]:
    """Per category: (found, key items, right, suggestions), printing misses if asked."""
    counts = {c: [0, 0, 0, 0] for c in BUILTIN_CATEGORIES}
    for article, text in texts.items():
        found = suggest(text)
        keyed = [i for i in items if i.article == article]
        for item in keyed:
            hit = any(overlap(item, s) for s in found)
            counts[item.category][0] += hit
            counts[item.category][1] += 1
            if details and not hit:
                print(f"  missed  {article} {item.category}: {item.quote!r}")
        for s in found:
            right = any(overlap(s, i) for i in keyed)
            counts[s.category][2] += right
            counts[s.category][3] += 1
            if details and not right:
                print(f"  extra   {article} {s.category}: {s.quote!r}")
    return {c: tuple(n) for c, n in counts.items()}


def article_of(texts: dict[str, str], words: int) -> str:
    """The seed texts in turn, repeated until the text has this many words, cut after the last."""
    source = "\n\n".join(texts.values()) + "\n\n"
    text = source * (words // len(source.split()) + 1)
    last = list(re.finditer(r"\S+", text))[words - 1]
    return text[: last.end()]


def median_ms(run, text: str) -> float:
    """The median time of run(text) over RUNS calls, in milliseconds."""
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run(text)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--details", action="store_true", help="print every miss and extra")
    args = parser.parse_args()

    texts, items = key_items(ROOT / "exercises")
    long_text = article_of(texts, WORDS)
    started = time.perf_counter()
    suggest(long_text)  # the first call compiles the lexicons
    first_ms = (time.perf_counter() - started) * 1000
    results = measure(texts, items, args.details)

    ok = True
    print(f"Suggestions against the shipped keys of {', '.join(SEED_REPORTS)}")
    print(f"{'category':<22}{'recall':>16}{'precision':>18}  floor")
    for category, (found, keyed, right, suggested) in results.items():
        recall, precision = found / max(keyed, 1), right / max(suggested, 1)
        floor = FLOORS.get(category)
        verdict = "none"
        if floor:
            met = recall >= floor[0] and precision >= floor[1]
            ok &= met
            verdict = f"recall >= {floor[0]}" + (f", precision >= {floor[1]}" if floor[1] else "")
            verdict += ": " + ("met" if met else "NOT MET")
        print(
            f"{category:<22}{recall:>6.2f} ({found:>2}/{keyed:>2}){precision:>8.2f} "
            f"({right:>3}/{suggested:>3})  {verdict}"
        )

    suggest_ms = median_ms(suggest, long_text)
    baseline_ms = median_ms(lambda t: re.findall(r"\w+", t), long_text)
    fast = suggest_ms < MAX_MS
    ok &= fast
    print(
        f"\n{WORDS:,}-word article ({len(long_text):,} characters), median of {RUNS}: "
        f"suggest {suggest_ms:.2f} ms, re.findall(r'\\w+') {baseline_ms:.3f} ms, "
        f"ratio {suggest_ms / baseline_ms:.0f}x; first call (compiling the lexicons) "
        f"{first_ms:.0f} ms. Under {MAX_MS:.0f} ms: {'met' if fast else 'NOT MET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
