"""Suggested answer-key items for an article: candidate spans of loaded language, unverified
statistics and missing context, each with a reason a teacher can read.

Suggestions are candidates for an author to accept or dismiss, never a key: they find the
kinds of words careful readers mark, not the judgement of whether each one matters. No Flask
here. The words come from lexicon.py (lexicon.yaml and VADER's lexicon, compiled once); the
rules are a lookup of each word, a regular-expression pass per list and a few of their own, so
a 1,000-word article takes milliseconds (bench/suggest.py measures it).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from . import lexicon
from .lexicon import Lexicon, WordList

LOADED = "loaded_language"
STATISTIC = "unverified_statistic"
CONTEXT = "missing_context"

NUMBER = re.compile(
    r"""(?<![\w.,'’-])
    (?:(?:(?:more|less|fewer)\s+than|over|under|nearly|almost|about|around|roughly|approximately
        |some|up\s+to|at\s+least|at\s+most|as\s+(?:many|much)\s+as|an\s+estimated)\s+)?
    (?:
        [$£€]\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s+(?:hundred|thousand|million|billion|trillion))?
      | (?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[-–]\d+(?:\.\d+)?)?  # 7-2, 10–15
        (?:\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)
          |\s+(?:hundred|thousand|million|billion|trillion)s?\b)?
      | (?:(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty
            |seventy|eighty|ninety)(?:-\w+)?\s+(?:percent|per\s+cent)\b)
      | (?:(?:a|one|the|several|a\s+few|tens\s+of|hundreds\s+of)\s+)?
        (?:hundred|thousand|million|billion|trillion)s?(?:\s+of\b)?
      | (?:dozens|a\s+dozen)\s+of\b
      | (?:half|a\s+third|a\s+quarter|two-thirds|three-quarters)\s+of\b
    )(?![\w%])""",
    re.I | re.X,
)
# Numbers that are not statistics: dates, clock times, and names such as "Section 8" or "SB 54".
MONTH_BEFORE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+$"
)
NAME_BEFORE = re.compile(
    r"(?:\b(?:No|Section|Article|Title|Chapter|Rule|Form|Room|Route|Highway|Interstate|Flight"
    r"|Bill|Page|page|p)\.?|\b[A-Z]{1,4})\s+$"
)
YEARS = re.compile(r"(?:1[89]\d\d|20\d\d)(?:[-–](?:\d\d){1,2})?")
TIME_AFTER = re.compile(r"\s*(?:[ap]\.?m\b|:\d\d)", re.I)
SENTENCE_END = re.compile(r"[.!?]+[\"”’)]*(?=\s)|\n+")
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
LINE_BREAK = re.compile(r"\n\s*")
QUOTE_MARK = re.compile(r"[“”\"]")
QUOTE_WORD = re.compile(r"[\w’'-]+")


@dataclass(frozen=True)
class Suggestion:
    """A candidate key item: its category, where it stands in the text, and why."""

    category: str
    start: int
    end: int
    quote: str
    reason: str


@dataclass
class _Hit:
    category: str
    start: int
    end: int
    reasons: list[str]


def suggest(text: str) -> list[Suggestion]:
    """Every suggestion for text, sorted by position; overlapping ones of a category merged."""
    lex, words = lexicon.compiled(), lexicon.words_of(text)
    curated = _list_hits(text, words, lex) + _number_hits(text, lex) + _quote_hits(text, lex)
    hits = _merge(text, curated + _emotive_hits(text, words, lex, curated))
    sentences = _sentence_ends(text)
    found = []
    for hit in hits:
        reason = " ".join(hit.reasons)
        if hit.category == STATISTIC:
            reason += " " + _source_clause(text, hit, sentences, lex)
        found.append(
            Suggestion(hit.category, hit.start, hit.end, text[hit.start : hit.end], reason)
        )
    return sorted(found, key=lambda s: (s.start, s.end, s.category))


# --- the rules ---------------------------------------------------------------------------------


def _list_hits(text: str, words: list[tuple[int, int, str]], lex: Lexicon) -> list[_Hit]:
    """What each curated list finds: its plain entries by looking up each word (and the words
    after it while they may still make an entry), the rest in one regular-expression pass
    per list."""
    found: list[tuple[WordList, int, int]] = []
    for i, (start, _, word) in enumerate(words):
        phrase, j = word, i
        while True:
            found += [(lst, start, words[j][1]) for lst in lex.phrases.get(phrase, ())]
            if phrase not in lex.prefixes or j + 1 == len(words):
                break
            if not text[words[j][1] : words[j + 1][0]].isspace():
                break
            j += 1
            phrase += " " + words[j][2]
    for lst in lex.lists:
        if lst.pattern:
            found += [(lst, *m.span()) for m in lst.pattern.finditer(text)]
    hits = []
    for lst, start, end in found:
        if lst.whole_line:
            span = _own_line(text, start, end)
            if span is None:
                continue
            start, end = span
        hits.append(_Hit(lst.category, start, end, [_reason(text[start:end], lst.why)]))
    return hits


def _own_line(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The line that start..end begins, trimmed, if it is short (page furniture); else None."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = len(text) if (nl := text.find("\n", end)) < 0 else nl
    line = text[line_start:line_end]
    if text[line_start:start].strip() or len(line.split()) > 8:
        return None
    return line_start + len(line) - len(line.lstrip()), line_start + len(line.rstrip())


def _emotive_hits(
    text: str, words: list[tuple[int, int, str]], lex: Lexicon, curated: list[_Hit]
) -> list[_Hit]:
    """VADER's emotive words, where no curated list has already given a better reason.

    A capitalised word after another word is skipped: it is a name or a title ("Justice" in
    "Department of Justice")."""
    taken = [(h.start, h.end) for h in curated if h.category == LOADED]
    hits = []
    for start, end, word in words:
        score = _emotive_score(word, lex)
        if score is None or _overlaps(taken, start, end) or _a_name(text, start):
            continue
        why = lex.vader_why[score < 0]
        hits.append(_Hit(LOADED, start, end, [_reason(text[start:end], why)]))
    return hits


def _a_name(text: str, start: int) -> bool:
    """Whether the word at start is capitalised after another word, as names and titles are,
    in a line that is not a headline in title case (where every word is capitalised)."""
    before = text[max(0, start - 40) : start].rstrip(" \t")
    if not (text[start].isupper() and before and (before[-1].isalnum() or before[-1] in ",;")):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = len(text) if (nl := text.find("\n", start)) < 0 else nl
    long_words = [w for w in text[line_start:line_end].split() if len(w) > 3]
    return sum(w[0].isupper() for w in long_words) < 0.7 * len(long_words)


def _emotive_score(word: str, lex: Lexicon) -> float | None:
    """The VADER score of word or of its stem ("slammed" -> "slam"), unless it names a fact."""
    if word in lex.not_loaded:
        return None
    if word in lex.emotive:
        return lex.emotive[word]
    if word[-1] not in "sdg":  # no inflection to take off
        return None
    for stem in _stems(word)[1:]:
        if stem in lex.not_loaded:
            return None
        if stem in lex.emotive:
            return lex.emotive[stem]
    return None


def _stems(word: str) -> list[str]:
    """word and the forms it may be inflected from, longest first (at least four letters)."""
    stems = [word]
    for suffix, replacements in (
        ("ies", ("y",)),
        ("ied", ("y",)),
        ("es", ("",)),
        ("s", ("",)),
        ("ed", ("", "e")),
        ("ing", ("", "e")),
    ):
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            stems += [base + r for r in replacements]
            if len(base) > 2 and base[-1] == base[-2]:  # slammed -> slam
                stems.append(base[:-1])
    return [s for s in stems if len(s) >= 4]


def _number_hits(text: str, lex: Lexicon) -> list[_Hit]:
    """Figures and amounts, but not years, dates, clock times or names like "Section 8"."""
    return [
        _Hit(STATISTIC, m.start(), m.end(), [_reason(m.group(), lex.number_why)])
        for m in NUMBER.finditer(text)
        if not _a_date_or_name(text, m)
    ]


def _a_date_or_name(text: str, number: re.Match[str]) -> bool:
    """Whether a number is a year (or years), or a bare number in a date, a clock time or a
    name; amounts, percentages and numbers with "more than" are always figures."""
    if YEARS.fullmatch(number.group()):
        return True
    if number.group() != number.group("digits"):
        return False
    before = text[max(0, number.start() - 12) : number.start()]
    return bool(
        MONTH_BEFORE.search(before)
        or NAME_BEFORE.search(before)
        or TIME_AFTER.match(text, number.end())
    )


def _quote_hits(text: str, lex: Lexicon) -> list[_Hit]:
    """Quotes with a closing mark and no opening one, or the other way round, in a paragraph.

    A quote left open at the end of a paragraph is fine when the next paragraph opens with a
    quotation mark: that is how a quote runs on over paragraphs."""
    hits = []
    for start, end in _paragraphs(text):
        opened = None  # where the open quote's words begin
        stretch = start  # where words not yet inside a quote begin
        for m in QUOTE_MARK.finditer(text, start, end):
            if _opens(text, m):
                if opened is not None:
                    hits += _words_hit(text, opened, m.start(), -1, lex.unclosed_why)
                opened = m.end()
            else:
                if opened is None:
                    hits += _words_hit(text, stretch, m.start(), 0, lex.unopened_why)
                opened, stretch = None, m.end()
        if opened is not None and not QUOTE_MARK.match(text, end):
            hits += _words_hit(text, opened, end, -1, lex.unclosed_why)
    return hits


def _opens(text: str, mark: re.Match[str]) -> bool:
    """Whether a quotation mark opens a quote: curly ones say so; a straight one opens after a
    space, a bracket or the start of a line."""
    if mark.group() != '"':
        return mark.group() == "“"
    return mark.start() == 0 or text[mark.start() - 1] in " \t\n([{—–-"


def _words_hit(text: str, start: int, end: int, side: int, why: str) -> list[_Hit]:
    """The first (side 0) or last (side -1) three words between start and end, as a hit."""
    words = list(QUOTE_WORD.finditer(text, start, end))
    if not words:
        return []
    chosen = words[:3] if side == 0 else words[-3:]
    first, last = chosen[0].start(), chosen[-1].end()
    return [_Hit(CONTEXT, first, last, [_reason(text[first:last], why)])]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks between blank lines or, where an article has no
    blank lines, its lines. The end is where the next paragraph's first character stands."""
    breaks = PARAGRAPH_BREAK if PARAGRAPH_BREAK.search(text) else LINE_BREAK
    spans, start = [], 0
    for m in breaks.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


# --- merging and sources -----------------------------------------------------------------------


def _merge(text: str, hits: list[_Hit]) -> list[_Hit]:
    """Hits of one category that overlap become one, with every reason; loaded words side by
    side ("even more" "dangerous") too, as a reader takes them in together."""
    merged: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.category, h.start, -h.end)):
        last = merged[-1] if merged and merged[-1].category == hit.category else None
        touching = last is not None and (
            hit.start < last.end
            or (hit.category == LOADED and re.fullmatch(r"[ \t]*", text[last.end : hit.start]))
        )
        if not touching:
            merged.append(_Hit(hit.category, hit.start, hit.end, list(hit.reasons)))
            continue
        last.end = max(last.end, hit.end)
        last.reasons += [r for r in hit.reasons if r not in last.reasons]
    return merged


def _sentence_ends(text: str) -> list[int]:
    """Where each sentence ends (rough: "U.S." ends one too), for finding a hit's sentence."""
    return [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]


def _source_clause(text: str, hit: _Hit, ends: list[int], lex: Lexicon) -> str:
    """Whether the statistic's sentence names a source, and so what a reader should check."""
    i = bisect.bisect_right(ends, hit.start)
    start, end = (ends[i - 1] if i else 0), ends[min(i, len(ends) - 1)]
    named = [
        m.group().rstrip(".")
        for m in lex.sources.finditer(text, start, end)
        if m.end() <= hit.start or m.start() >= hit.end
    ]
    if not named:
        return lex.source_none
    return lex.source_named.format(source=f"'{max(named, key=len)}'")


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether start..end overlaps any of the spans."""
    return any(s < end and e > start for s, e in spans)


def _reason(quote: str, why: str) -> str:
    """The reason a teacher reads: the quoted words, then why they were suggested."""
    return f"'{' '.join(quote.split())}' {why}"
