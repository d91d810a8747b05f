"""Reading YAML, quickly or with line numbers; checking a mapping's fields with clear messages."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .model import Problem, did_you_mean, quoted
from .syntax import explain

try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml: every file takes the reference loader
    CParser = None

MAX_NUMBER = 1_000_000  # the largest number a numeric field takes
NO_ANCHORS = "anchors and aliases are not allowed in exercise files"
_MERGE = "tag:yaml.org,2002:merge"  # the '<<' key, which may repeat


class Mapping(dict):
    """A YAML mapping that remembers the line and column of itself and of each key."""

    line = 1
    column = 1
    positions: dict[str, tuple[int, int]]


class Sequence(list):
    """A YAML sequence that remembers its line and column."""

    line = 1
    column = 1


class _Refused(Exception):
    """What the line loaders refuse to build, at a place in the file: an anchor or alias, or a
    field given twice."""

    def __init__(self, mark, message: str, hint: str):
        super().__init__(message)
        self.line, self.column = mark.line + 1, mark.column + 1
        self.message, self.hint = message, hint


class _NoAnchors(Composer):
    """PyYAML's composer, refusing anchors and aliases before it links anything.

    A few hundred bytes of aliases to aliases stand for billions of values (an alias bomb);
    every reader of the value (a check, a message) would walk them all. Exercise files have no
    use for them: each value is written out where it is needed.
    """

    def compose_node(self, parent, index):
        event = self.peek_event()
        if event.anchor is not None:  # an anchor (&name) on a value, or an alias (*name)
            raise _Refused(
                event.start_mark, NO_ANCHORS, "write the value out in full wherever it is needed"
            )
        return super().compose_node(parent, index)


class _Positions:
    """Constructors that keep where each mapping, key and sequence stands in the file, and
    refuse a field given twice (PyYAML would keep the last one without a word)."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node)
            first = seen.setdefault(key, key_node)
            if first is not key_node:
                raise _Refused(
                    key_node.start_mark,
                    f"the field {quoted(key)} is given twice (first on line "
                    f"{first.start_mark.line + 1})",
                    "keep one of them: only the last would count",
                )
        mapping = Mapping(super().construct_mapping(node, deep=True))
        mapping.line, mapping.column = node.start_mark.line + 1, node.start_mark.column + 1
        mapping.positions = {
            str(k.value): (v.start_mark.line + 1, v.start_mark.column + 1) for k, v in node.value
        }
        return mapping

    def construct_sequence(self, node, deep=False):
        sequence = Sequence(super().construct_sequence(node, deep=True))
        sequence.line, sequence.column = node.start_mark.line + 1, node.start_mark.column + 1
        return sequence


class _LineLoader(_Positions, _NoAnchors, yaml.SafeLoader):
    """PyYAML's safe loader, keeping positions; dates stay strings, as the author wrote them."""


if CParser is None:
    _FastLineLoader = _LineLoader
else:

    class _FastLineLoader(_Positions, _NoAnchors, CParser, SafeConstructor, Resolver):
        """The same loader on libyaml's parser, several times faster. The pure Python loader
        stays the reference, and explains any file this one cannot read."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            _NoAnchors.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


for _loader in {_LineLoader, _FastLineLoader}:
    _loader.add_constructor("tag:yaml.org,2002:map", _Positions.construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:seq", _Positions.construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


class _Unusual(Exception):
    """Something read_plain leaves to the full loaders: anchors, tags, merge keys, deep nesting,
    a field given twice."""


_NO_KEY = object()  # a mapping waiting for its next key
_MAX_DEPTH = 64  # an exercise needs a few levels; deeper files take the reference loader
_RESOLVERS = yaml.SafeLoader.yaml_implicit_resolvers  # first character -> [(tag, pattern)]
_ANY_FIRST = _RESOLVERS.get(None, [])  # patterns tried whatever the first character
_SCALARS = SafeConstructor()
_BUILD = {
    "tag:yaml.org,2002:null": _SCALARS.construct_yaml_null,
    "tag:yaml.org,2002:bool": _SCALARS.construct_yaml_bool,
    "tag:yaml.org,2002:int": _SCALARS.construct_yaml_int,
    "tag:yaml.org,2002:float": _SCALARS.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": _SCALARS.construct_yaml_str,  # dates stay as written
}


def _plain_scalar(value: str) -> Any:
    """A plain (unquoted) scalar as SafeLoader reads it: a number, true/false, null or text."""
    for tag, pattern in _RESOLVERS.get(value[:1], []) + _ANY_FIRST:
        if pattern.match(value):
            build = _BUILD.get(tag)
            if build is None:  # a merge key '<<', '=' and the like
                raise _Unusual(tag)
            return build(ScalarNode(tag, value))
    return value


def read_plain(text: str) -> Any:
    """The document in text as plain dicts, lists and scalars, without positions.

    The common case, read straight from libyaml's events, several times faster than building
    PyYAML's nodes. Raises _Unusual, or the parser's error, for anything it leaves to
    parse_yaml (which explains syntax errors, with positions): aliases, anchors, explicit tags,
    merge keys, mappings as keys, a key given twice, more than one document, deep nesting.
    """
    if CParser is None:
        raise _Unusual("no libyaml")
    get = CParser(text).get_event
    get()  # the stream's start
    event = get()
    if type(event) is StreamEndEvent:
        return None
    if type(event) is not DocumentStartEvent:
        raise _Unusual(event)
    # containers still open, innermost last: [container, key awaiting its value or _NO_KEY]
    stack: list[list] = []
    root: Any = None
    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual(event)
            value = event.value
            if event.implicit[0] and (_ANY_FIRST or value[:1] in _RESOLVERS):
                value = _plain_scalar(value)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or len(stack) >= _MAX_DEPTH:
                raise _Unusual(event)
            if stack and type(stack[-1][0]) is dict and stack[-1][1] is _NO_KEY:  # as a key
                raise _Unusual(event)
            stack.append([{} if kind is MappingStartEvent else [], _NO_KEY])
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = stack.pop()[0]
        elif kind is DocumentEndEvent:
            break
        else:  # an alias
            raise _Unusual(event)
        if not stack:
            root = value
            continue
        top = stack[-1]
        container = top[0]
        if type(container) is list:
            container.append(value)
        elif top[1] is _NO_KEY:
            if value in container:  # a field given twice: parse_yaml says where
                raise _Unusual(value)
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = _NO_KEY
    if type(get()) is not StreamEndEvent:
        raise _Unusual("more than one document")
    return root


def read_quickly(text: str) -> tuple[Any, bool]:
    """(the document without positions, True), or (None, False) if only parse_yaml can tell."""
    try:
        return read_plain(text), True
    except (_Unusual, yaml.YAMLError, RecursionError, ValueError):
        return None, False


def parse_yaml(text: str, path: str) -> tuple[Any, Problem | None]:
    """The document in text with positions, or the problem that stops it loading: a syntax
    error (in plain words where syntax.py knows its shape), an anchor or alias, a field given
    twice."""
    try:
        return _read_with_positions(text), None
    except _Refused as refused:
        return None, Problem(path, refused.line, refused.column, refused.message, refused.hint)
    except yaml.MarkedYAMLError as err:
        if plain := explain(text, err):
            return None, Problem(path, *plain)
        # At the end of the file the useful place is where the unfinished thing began.
        at_end = err.problem and ("end of stream" in err.problem or "<stream end>" in err.problem)
        mark = (err.context_mark if at_end else None) or err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(filter(None, [err.context, err.problem]))
        return None, Problem(
            path,
            line,
            column,
            f"YAML syntax: {message}",
            "check indentation and quoting; a value containing ': ' or starting with a "
            "quote needs to be in quotes",
        )
    except yaml.YAMLError as err:
        return None, Problem(path, 1, 1, f"YAML error: {err}")
    except RecursionError:  # PyYAML composes nested nodes recursively
        return None, Problem(
            path, 1, 1, "YAML nested too deeply to read", "an exercise needs a few levels only"
        )


def _read_with_positions(text: str) -> Any:
    """The document by the libyaml loader, or else by the reference loader (which raises the
    error to explain, with its position)."""
    try:
        return yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - safe loaders only
    except (yaml.YAMLError, RecursionError, ValueError):
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass


class Report:
    """Collects the problems of one file."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, where: tuple[int, int], message: str, hint: str = "") -> None:
        """Record an error at (line, column)."""
        self.problems.append(Problem(self.path, where[0], where[1], message, hint))

    def warning(self, where: tuple[int, int], message: str, hint: str = "") -> None:
        """Record a warning at (line, column): worth fixing, but the file still loads."""
        self.problems.append(Problem(self.path, where[0], where[1], message, hint, "warning"))

    @property
    def has_errors(self) -> bool:
        """Whether any problem recorded is an error."""
        return any(p.severity == "error" for p in self.problems)


def position(node: Any) -> tuple[int, int]:
    """The (line, column) where a node read by parse_yaml starts."""
    return (getattr(node, "line", 1), getattr(node, "column", 1))


class Fields:
    """Typed access to a mapping's fields that reports unknown, missing and mistyped ones."""

    def __init__(
        self,
        report: Report,
        node: Any,
        what: str,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
    ):
        self.report, self.what = report, what
        self.ok = isinstance(node, dict)
        self.node: dict = node if self.ok else {}
        if not self.ok:
            report.error(position(node), f"{what} should be a mapping of 'field: value' lines")
            return
        allowed = (*required, *optional)
        for key in self.node:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or "allowed: " + ", ".join(allowed)
                report.error(self.pos(key), f"unknown field {quoted(key)} in {what}", hint)
        for key in required:
            if key not in self.node:
                report.error(position(node), f"{what} is missing the field '{key}'")

    def pos(self, key: str) -> tuple[int, int]:
        """Where the value of key stands, or the mapping itself if the key is absent."""
        positions = getattr(self.node, "positions", {})
        return positions.get(key, position(self.node))

    def has(self, key: str) -> bool:
        """Whether the field is present."""
        return key in self.node

    def text(self, key: str, default: str = "", *, nonempty: bool = False) -> str:
        """A text field; numbers are taken as their text, anything else is reported."""
        value = self.node.get(key, default)
        # the common case, first: text with nothing to report (it is read for every field)
        if type(value) is str and "TODO" not in value and (not nonempty or value.strip()):
            return value
        if value is None:
            value = default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report.error(self.pos(key), f"'{key}' in {self.what} should be text")
            return default
        value = str(value)
        if "TODO" in value:
            self.report.error(
                self.pos(key),
                f"'{key}' in {self.what} still says TODO",
                "replace the TODO with your own text",
            )
        if nonempty and key in self.node and not value.strip():
            self.report.error(self.pos(key), f"'{key}' in {self.what} is empty", "write it out")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        """A true/false field."""
        value = self.node.get(key, default)
        if not isinstance(value, bool):
            self.report.error(self.pos(key), f"'{key}' in {self.what} should be true or false")
            return default
        return value

    def number(self, key: str, default: float | None = None) -> float | None:
        """A non-negative number field."""
        value = self.node.get(key, default)
        if value is None:
            return default
        # YAML reads .nan and .inf as numbers, and 10**400 too: weights that make a score nan
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not 0 <= value <= MAX_NUMBER:
            self.report.error(
                self.pos(key), f"'{key}' in {self.what} should be a number from 0 to {MAX_NUMBER:,}"
            )
            return default
        return value

    def items(self, key: str) -> list:
        """A list field (a single value is read as a list of one)."""
        value = self.node.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        if isinstance(value, str):
            return Sequence([value])
        self.report.error(self.pos(key), f"'{key}' in {self.what} should be a list")
        return []

    def item_pos(self, key: str, index: int) -> tuple[int, int]:
        """Where the index-th element of a list field stands (best effort)."""
        value = self.node.get(key)
        if isinstance(value, list) and index < len(value) and hasattr(value[index], "line"):
            return position(value[index])
        return self.pos(key)
