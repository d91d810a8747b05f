"""The YAML mistakes authors make most, recognised from the source and told in plain words.

PyYAML describes its parser ("while parsing a block mapping expected <block end>, but found
'<scalar>'"); an author needs to know what happened and what to type instead. Each shape here
is one that cost a new author time: a straight quote that ends a value early, a quote never
closed, a tab. Any other error keeps PyYAML's words, at its place.
"""

from __future__ import annotations

import yaml
from yaml.tokens import ScalarToken, Token, ValueToken

from .model import quoted

Explained = tuple[int, int, str, str]  # line, column, message, hint
REST = 60  # characters of the unreadable rest of a line shown in a message
QUOTES = ('"', "'")


def explain(text: str, err: yaml.MarkedYAMLError) -> Explained | None:
    """(line, column, message, hint) for a syntax error of a shape known here, else None."""
    return _tab(text, err) or _stray_quote(text, err) or _unclosed_quote(text, err)


def _tab(text: str, err: yaml.MarkedYAMLError) -> Explained | None:
    """A tab where YAML wants spaces (PyYAML: "found character '\\t' that cannot start any
    token"). Editors insert tabs unseen, so the message names the line."""
    mark = err.problem_mark
    if mark is None or text[mark.index : mark.index + 1] != "\t":
        return None
    line = mark.line + 1
    return (
        line,
        mark.column + 1,
        f"a tab at line {line}: YAML indents with spaces only; replace the tab with spaces",
        "set your editor to insert spaces when you press Tab",
    )


def _stray_quote(text: str, err: yaml.MarkedYAMLError) -> Explained | None:
    """A quoted value with more text after its closing quote on the same line: a straight
    quote inside the value (why: "The word "illegal" is loaded"), or a value that starts with
    a quoted word (why: "Illegal" is loaded)."""
    mark = err.problem_mark
    if mark is None or not isinstance(err, yaml.parser.ParserError):
        return None
    tokens = _tokens_before(text, mark.index)
    value = tokens[-1] if tokens else None
    if not isinstance(value, ScalarToken) or value.style not in QUOTES:
        return None
    if value.end_mark.line != mark.line:  # the value ended on a line of its own
        return None
    quote, start, end = value.style, value.start_mark, value.end_mark
    rest = text[mark.index :].split("\n", 1)[0].rstrip()
    rest = rest if len(rest) <= REST else rest[:REST] + "…"
    where = "" if end.line == start.line else f" (line {end.line + 1})"
    return (
        start.line + 1,
        start.column + 1,
        f"{_what(tokens[:-1])} starts with a {quote} so YAML ends it at the next {quote}{where} "
        f"and cannot read the rest: {rest}",
        _requote(quote) + ", or " + _block(tokens[:-1]),
    )


def _unclosed_quote(text: str, err: yaml.MarkedYAMLError) -> Explained | None:
    """A quoted value with no closing quote anywhere below it."""
    mark = err.context_mark
    if mark is None or err.context != "while scanning a quoted scalar":
        return None
    if "end of stream" not in (err.problem or ""):
        return None
    quote = text[mark.index : mark.index + 1]
    tokens = _tokens_before(text, mark.index)
    return (
        mark.line + 1,
        mark.column + 1,
        f"{_what(tokens)} starts with a {quote} that is never closed",
        f"end the value with a {quote}, or " + _block(tokens),
    )


def _tokens_before(text: str, index: int) -> list[Token]:
    """The tokens PyYAML's scanner reads before the character at index, as far as it gets."""
    tokens: list[Token] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            tokens.append(token)
    except yaml.YAMLError:  # the scanner's own error, at or after index
        pass
    return tokens


def _key(tokens: list[Token]) -> str | None:
    """The field whose value comes next after tokens, if they end with 'field:'."""
    if len(tokens) >= 2 and isinstance(tokens[-1], ValueToken):
        key = tokens[-2]
        if isinstance(key, ScalarToken):
            return key.value
    return None


def _what(tokens: list[Token]) -> str:
    """The value after tokens, as a message names it."""
    key = _key(tokens)
    return f"the value of {quoted(key)}" if key is not None else "this value"


def _requote(quote: str) -> str:
    """How to quote a value that holds the quote character it started with."""
    if quote == '"':
        return "put the whole value in single quotes instead, writing each ' inside it twice ('')"
    return (
        "put the whole value in double quotes instead, or write each ' inside it twice (''), "
        "as in 'It''s'"
    )


def _block(tokens: list[Token]) -> str:
    """How to write the value after tokens as a block, which needs no quotes at all."""
    key = _key(tokens)
    start = f"{key}: >-" if key is not None else "- >-"
    return f"use a block: write '{start}' and the text on the line below, indented, without quotes"
