"""ruamel.yaml set up for our files, and moving elements of its round-trip mappings and lists
without losing the comments and blank lines around them (what writer.py edits with).

ruamel.yaml keeps the comments and blank lines that follow an element with the element's last
line (the deepest last value inside it). Inserting or removing an element would carry away what
stands between it and the next one; insert and remove hand those lines over to the element that
now comes first.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

# (mapping, sequence, offset): our files' layout, the scaffold's and the guide's
HOUSE_LAYOUT = (2, 4, 2)
WIDEST = 10**7  # wider than any file we write: ruamel.yaml never folds a text onto a new line


def yaml_for(layout: tuple[int, int, int]) -> YAML:
    """A round-trip YAML that writes our files' way: quotes kept, long lines never folded."""
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = WIDEST
    mapping, sequence, offset = layout
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    return rt


def layout_of(text: str) -> tuple[int, int, int]:
    """The indentation a file uses, read from its first nested mapping and first list."""
    mapping, sequence, offset = None, None, None
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    for above, line in zip(lines, lines[1:], strict=False):
        if not above.rstrip().endswith(":"):
            continue
        parent = len(above) - len(above.lstrip(" -"))  # the key's column
        if line.lstrip().startswith("- ") and offset is None:
            dash = len(line) - len(line.lstrip())
            offset = dash - parent
            sequence = len(line) - len(line[dash + 1 :].lstrip()) - parent
        elif not line.lstrip().startswith("-") and mapping is None:
            mapping = len(line) - len(line.lstrip()) - parent
    found = (mapping, sequence, offset)
    return tuple(h if f is None else f for f, h in zip(found, HOUSE_LAYOUT, strict=True))


def _keys(container: CommentedMap | CommentedSeq) -> list:
    """A mapping's keys or a list's indexes, in order."""
    return list(container) if isinstance(container, CommentedMap) else list(range(len(container)))


def insert(container, position: int, value: Any, *, blank_line: bool, key: Any = None) -> None:
    """Insert value at position; it takes over the lines that followed the one before it."""
    tail = take_tail(container, _keys(container)[position - 1]) if position else ""
    if isinstance(container, CommentedMap):
        container.insert(position, key, value)
    else:
        container.insert(position, value)
        key = position
    put_tail(container, key, tail)
    if blank_line and position:
        put_tail(container, _keys(container)[position - 1], "\n")
    if blank_line and position + 1 < len(container) and not tail:
        put_tail(container, key, "\n")


def remove(container, position: int) -> None:
    """Remove the element at position with its own lines; the lines after it are kept."""
    key = _keys(container)[position]
    tail = take_tail(container, key)
    del container[key]  # a list moves its later elements' comments up itself
    if isinstance(container, CommentedMap):
        container.ca.items.pop(key, None)
    if position:
        before = _keys(container)[position - 1]
        put_tail(container, before, _merged(take_tail(container, before), tail))
    elif _has_comment(tail):  # the first one: its comments join those above the list
        _lead_comments(container).append(CommentToken(tail, CommentMark(0), None))


def _merged(above: str, below: str) -> str:
    """The lines between two elements when the one between them goes: comments of both, or the
    blank lines of one."""
    if not _has_comment(above):
        return below
    if not _has_comment(below):
        return above
    return above + below


def _has_comment(lines: str) -> bool:
    """Whether lines hold a comment, not only blank lines."""
    return any(line.strip() for line in lines.splitlines())


def _last_line(container, key) -> tuple[Any, Any]:
    """The (container, key) of the last value written for container[key]: its own, or that of
    its last element if it is a list or mapping written across lines."""
    value = container[key]
    while isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
        container, key = value, _keys(value)[-1]
        value = container[key]
    return container, key


def _slot(container) -> int:
    """Where ruamel.yaml keeps the comment after a value in container's comment entries."""
    return 2 if isinstance(container, CommentedMap) else 0


def take_tail(container, key) -> str:
    """Detach the lines that follow container[key] (comments, blank lines) and return them;
    the comment at the end of its own line stays."""
    holder, last = _last_line(container, key)
    entry = holder.ca.items.get(last)
    token = entry[_slot(holder)] if entry else None
    if token is None:
        return ""
    value = token.value
    if isinstance(holder[last], LiteralScalarString | FoldedScalarString):
        own, tail = "", value  # a block text ends its own line
    else:
        end = value.find("\n") + 1 or len(value)
        own, tail = value[:end], value[end:]
    if own.strip():
        token.value = own
    else:
        entry[_slot(holder)] = None
    return tail


def put_tail(container, key, tail: str) -> None:
    """Add lines (comments, blank lines) after container[key]."""
    if not tail:
        return
    holder, last = _last_line(container, key)
    entry = holder.ca.items.setdefault(last, [None, None, None, None])
    token = entry[_slot(holder)]
    if token is not None:
        token.value += tail
        return
    block = isinstance(holder[last], LiteralScalarString | FoldedScalarString)
    entry[_slot(holder)] = CommentToken(("" if block else "\n") + tail, CommentMark(0), None)


def _lead_comments(container: CommentedMap | CommentedSeq) -> list:
    """The comment lines above the first element, as ruamel.yaml keeps them."""
    if container.ca.comment is None:
        container.ca.comment = [None, []]
    if container.ca.comment[1] is None:
        container.ca.comment[1] = []
    return container.ca.comment[1]
