"""Reading YAML with line numbers, and checking a mapping's fields with helpful messages."""

from __future__ import annotations

import difflib
from typing import Any

import yaml

from .model import Problem

MAX_NUMBER = 1_000_000  # the largest number a numeric field takes


class Mapping(dict):
    """A YAML mapping that remembers the line and column of itself and of each key."""

    line = 1
    column = 1
    positions: dict[str, tuple[int, int]]


class Sequence(list):
    """A YAML sequence that remembers its line and column."""

    line = 1
    column = 1


class _Positions:
    """Constructors that keep where each mapping, key and sequence stands in the file."""

    def construct_mapping(self, node, deep=False):
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


class _LineLoader(_Positions, yaml.SafeLoader):
    """PyYAML's safe loader, keeping positions; dates stay strings, as the author wrote them."""


# libyaml's parser, when PyYAML was built with it, reads files several times faster; the pure
# Python loader stays the reference, and explains any file the fast one cannot read.
_FastLineLoader = type(
    "_FastLineLoader", (_Positions, getattr(yaml, "CSafeLoader", _LineLoader)), {}
)

for _loader in {_LineLoader, _FastLineLoader}:
    _loader.add_constructor("tag:yaml.org,2002:map", _Positions.construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:seq", _Positions.construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def parse_yaml(text: str, path: str) -> tuple[Any, Problem | None]:
    """The document in text with positions, or the syntax problem that stops it loading."""
    try:
        return yaml.load(text, Loader=_FastLineLoader), None  # noqa: S506 - safe loaders only
    except (yaml.YAMLError, RecursionError, ValueError):
        pass  # read it again below, for the reference loader's message and position
    try:
        return yaml.load(text, Loader=_LineLoader), None  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
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
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
                report.error(self.pos(key), f"unknown field '{key}' in {what}", hint)
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
