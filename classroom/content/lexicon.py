"""The word lists behind suggested key items, compiled: lexicon.yaml and VADER's lexicon.

No Flask here. lexicon.yaml (beside this module) holds the curated lists and the texts of the
reasons; VADER's sentiment lexicon (vaderSentiment, MIT) is read as the data file its package
ships, without importing its code. Both are read and compiled once per process, on first use.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass
from typing import Any

import yaml

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")  # letters, hyphens and apostrophes inside
PLAIN = re.compile(r"[^\W\d_]+(?:[' -][^\W\d_]+)*")  # an entry of plain words, looked up


@dataclass(frozen=True)
class WordList:
    """One list of lexicon.yaml: the category of its hits, why, and its regular expressions."""

    category: str
    why: str
    pattern: re.Pattern[str] | None  # the entries that are not plain words, as one pattern
    whole_line: bool


@dataclass(frozen=True)
class Lexicon:
    """Everything the rules look words up in, and the reasons they give."""

    lists: tuple[WordList, ...]
    phrases: dict[str, tuple[WordList, ...]]  # a plain entry, folded, and the lists it is in
    prefixes: frozenset[str]  # the leading words of the plain entries of several words
    emotive: dict[str, float]  # VADER's words past the thresholds, the news words taken out
    not_loaded: frozenset[str]
    vader_why: dict[bool, str]  # by "is it negative"
    number_why: str
    sources: re.Pattern[str]
    source_named: str
    source_none: str
    unopened_why: str
    unclosed_why: str


@functools.cache
def compiled() -> Lexicon:
    """lexicon.yaml and VADER's lexicon, compiled: read once per process."""
    data = yaml.load(
        importlib.resources.files(__package__).joinpath("lexicon.yaml").read_text("utf-8"),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    )
    vader = data["vader"]
    not_loaded = frozenset(vader["not_loaded"])
    emotive = {
        word: score
        for word, score in _vader_scores().items()
        if (score <= vader["negative"] or score >= vader["positive"]) and word not in not_loaded
    }
    lists = [_word_list(spec) for spec in data["lists"].values()]
    phrases: dict[str, tuple[WordList, ...]] = {}
    for word_list, spec in zip(lists, data["lists"].values(), strict=True):
        for entry in spec["entries"]:
            if PLAIN.fullmatch(entry):
                key = " ".join(folded(entry).split())
                phrases[key] = (*phrases.get(key, ()), word_list)
    prefixes = {" ".join(p.split()[:n]) for p in phrases for n in range(1, len(p.split()))}
    return Lexicon(
        lists=tuple(lists),
        phrases=phrases,
        prefixes=frozenset(prefixes),
        emotive=emotive,
        not_loaded=not_loaded,
        vader_why={True: vader["why_negative"], False: vader["why_positive"]},
        number_why=data["numbers"]["why"],
        sources=_compile(data["sources"]["entries"]),
        source_named=data["sources"]["named"],
        source_none=data["sources"]["none"],
        unopened_why=data["quotes"]["unopened"],
        unclosed_why=data["quotes"]["unclosed"],
    )


def words_of(text: str) -> list[tuple[int, int, str]]:
    """Each word's start, end and folded form, for looking it up."""
    lower = folded(text)
    if len(lower) != len(text):  # a rare letter that lower-cases to two ("İ")
        return [(m.start(), m.end(), folded(m.group())) for m in WORD.finditer(text)]
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(lower)]


def folded(text: str) -> str:
    """Words as plain entries are looked up: lower case, curly apostrophes straight."""
    return text.lower().replace("’", "'")


def _vader_scores() -> dict[str, float]:
    """VADER's single words and their mean ratings, from the data file its package ships."""
    lines = importlib.resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    scores = {}
    for line in lines.read_text("utf-8").splitlines():
        word, score, *_ = line.split("\t")
        if WORD.fullmatch(word):  # words only: no emoticons or abbreviations like ":-)"
            scores[word] = float(score)
    return scores


def _word_list(spec: dict[str, Any]) -> WordList:
    patterns = [e for e in spec["entries"] if not PLAIN.fullmatch(e)]
    return WordList(
        spec["category"],
        spec["why"],
        _compile(patterns) if patterns else None,
        spec.get("whole_line", False),
    )


def _compile(entries: list[str]) -> re.Pattern[str]:
    """One pattern for the entries, as whole words, a space matching any run of spaces."""
    body = "|".join(_spaces(entry) for entry in entries)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.I)


def _spaces(entry: str) -> str:
    """The entry with each space outside a [character class] turned into \\s+."""
    out, in_class, escaped = [], False, False
    for char in entry:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        out.append(r"\s+" if char == " " and not in_class else char)
    return "".join(out)
