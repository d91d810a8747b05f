"""Writing exercise and article files as an author would by hand: what the authoring studio
publishes with.

A file opened and saved unchanged comes out byte for byte the same, and an edit rewrites only
the lines it concerns, keeping every comment and blank line (ruamel.yaml's round trip, with the
layout of our files: two-space mappings, list dashes two spaces in, long lines never folded).
Layouts the round trip cannot keep (extra spaces after a colon or inside brackets, `~` for
null, `True`, a plain text run over several lines, escapes such as `\\u2019`, a `---` line) are
tidied on saving; `Document.tidied` names those lines first, so the studio can say so.

Files are named only from plain ids, never leave the exercises folder, have size limits, and
are replaced in one step (a reader, such as the running app reloading them, sees the old file
or the new one, never half of one). Where the folder cannot be written, NotWritable says why,
and as_zip gives the same files to download.

This module reads values the way ruamel.yaml does (YAML 1.2), not the way the loader does
(PyYAML, YAML 1.1): what the studio shows comes from the loader; here values are only written.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import math
import os
import re
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    ScalarString,
)
from ruamel.yaml.tokens import CommentToken

from .loader import ARTICLE_FIELDS
from .tasks import ID_PATTERN

MAX_ID = 64  # characters of an exercise or article id
MAX_ARTICLE_BYTES = 200_000  # an article's text: some 30,000 words, more than any news story
MAX_YAML_BYTES = 250_000  # an exercise file; the largest shipped one is under 20 KB
LINE = 90  # characters of a folded (`>-`) text on a line: under 100 with its indentation
# Windows cannot have a file of these names, whatever the extension: a clone there would fail.
RESERVED = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)", re.IGNORECASE)
EXERCISE_SCHEMA = "# yaml-language-server: $schema=../classroom/content/exercise.schema.json\n"
ARTICLE_SCHEMA = "# yaml-language-server: $schema=../../classroom/content/article.schema.json\n"

# The order an author writes fields in, for every mapping of our files (top level, task, key
# item, option, category, article metadata); a field not listed goes after the listed ones.
FIELD_ORDER = (
    "id", "type", "title", "title_added_by_editor", "outlet", "date", "note", "summary",
    "article", "articles", "label", "definition", "categories", "prompt", "instruction",
    "multiple", "quote", "prefix", "suffix", "occurrence", "category", "why", "check", "text",
    "correct", "feedback", "hint", "points", "options", "model_answer", "key_points", "key",
    "tasks",
)  # fmt: skip
ID_FIELDS = {"id", "type", "article", "articles", "category", "categories"}  # written plain
FLOW_LISTS = {"articles", "categories"}  # a list of ids: `[a, b]` on one line

# (mapping, sequence, offset): our files' layout, the scaffold's and the guide's
HOUSE_LAYOUT = (2, 4, 2)


class BadName(ValueError):
    """An id that cannot name a file, or a path that would leave the exercises folder."""


class TooLarge(ValueError):
    """A file past its size limit; the message gives both sizes."""


class Conflict(Exception):
    """The file on disk is not the one the edit started from (or a new file exists already)."""


class NotWritable(Exception):
    """The exercises folder cannot be written; `reason` says why, for the author."""

    def __init__(self, folder: Path, reason: str):
        super().__init__(f"cannot write to {folder}: {reason}")
        self.folder, self.reason = folder, reason


# --- names and paths ---------------------------------------------------------------------------


def exercise_path(folder: Path, exercise_id: str) -> Path:
    """Where the exercise with this id is written: <folder>/<id>.yaml, checked."""
    return _inside(folder, Path(f"{_checked_id(exercise_id, 'exercise')}.yaml"))


def article_paths(folder: Path, article_id: str) -> tuple[Path, Path]:
    """Where the article with this id is written: its text and its metadata, checked."""
    name = _checked_id(article_id, "article")
    return (
        _inside(folder, Path("articles", f"{name}.txt")),
        _inside(folder, Path("articles", f"{name}.yaml")),
    )


def _checked_id(value: str, what: str) -> str:
    """The id, if it is one the loader takes and every system can name a file with."""
    rule = "use lowercase letters, digits, dashes and underscores, starting with a letter or digit"
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise BadName(f"{value!r} cannot be an {what} id: {rule}")
    if len(value) > MAX_ID:
        raise BadName(f"an {what} id has at most {MAX_ID} characters; {rule}")
    if RESERVED.fullmatch(value):
        raise BadName(f"{value!r} cannot name a file on Windows: choose another {what} id; {rule}")
    return value


def _inside(folder: Path, relative: Path) -> Path:
    """folder/relative, resolved; refused if it leads outside the folder (a symbolic link)."""
    root = Path(folder).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise BadName(f"{relative} leads outside the exercises folder")
    return path


def _check_size(name: str, data: bytes, limit: int) -> None:
    """Refuse data past limit, saying both sizes in KB."""
    if len(data) > limit:
        raise TooLarge(
            f"{name} is {math.ceil(len(data) / 1000)} KB; the limit is {limit // 1000} KB",
        )


# --- documents ---------------------------------------------------------------------------------


def _yaml(layout: tuple[int, int, int]) -> YAML:
    """A round-trip YAML that writes our files' way: quotes kept, long lines never folded."""
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 10 * MAX_YAML_BYTES  # wider than any file may be: a text stays on its line
    mapping, sequence, offset = layout
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    return rt


def _layout(text: str) -> tuple[int, int, int]:
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


class Document:
    """One exercise (or article metadata) file as a round-trip document, with its edits.

    Built from the file's text; `path` and `before` (the bytes it was read from, None for a new
    file) say where it goes and what it replaces there.
    """

    def __init__(self, text: str, path: Path | None = None, before: bytes | None = None):
        self.path, self.before = path, before
        self._bom = text.startswith("\ufeff")
        text = text.removeprefix("\ufeff")
        self._newline = "\r\n" if "\r\n" in text else "\n"
        text = text.replace("\r\n", "\n")
        self._final_newline = text.endswith("\n") or not text
        self._source = text
        self._rt = _yaml(HOUSE_LAYOUT)
        self.data = self._load(text)
        self._unchanged = self._dump()
        if self._unchanged != text:  # not our layout: try the file's own, keep it if it fits
            own = _yaml(_layout(text))
            data = own.load(text)
            if self._dump_with(own, data) == text:
                self._rt, self.data, self._unchanged = own, data, text

    def _load(self, text: str) -> CommentedMap:
        try:
            data = self._rt.load(text)
        except YAMLError as err:
            raise ValueError(f"the file is not readable YAML: {err}") from err
        if not isinstance(data, CommentedMap):
            raise ValueError("the file should be a mapping of 'field: value' lines")
        return data

    def dump(self) -> str:
        """The file's text as it stands now, with the file's own line ends."""
        text = self._dump()
        if not self._final_newline:
            text = text.removesuffix("\n")
        return ("\ufeff" if self._bom else "") + text.replace("\n", self._newline)

    def dump_bytes(self) -> bytes:
        """The file's text as bytes, as it is written."""
        return self.dump().encode("utf-8")

    def _dump(self) -> str:
        return self._dump_with(self._rt, self.data)

    @staticmethod
    def _dump_with(rt: YAML, data: Any) -> str:
        out = io.StringIO()
        rt.dump(data, out)
        return out.getvalue()

    def tidied(self) -> list[int]:
        """The lines of the original text that saving rewrites even with no edit (see the module
        docstring): none for a file in our layout."""
        old, new = self._source.splitlines(), self._unchanged.splitlines()
        changed: list[int] = []
        for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new, False).get_opcodes():
            if tag != "equal":
                changed.extend(range(i1 + 1, max(i2, i1 + 1) + 1))
        return changed

    def change(self) -> Change:
        """The write that publishes this document where it belongs."""
        if self.path is None:
            raise ValueError("the document has no file to be written to")
        return Change(self.path, self.dump_bytes(), self.before)

    # --- edits ---------------------------------------------------------------------------------

    def set_field(self, key: str, value: Any) -> None:
        """Set a top-level field (title, summary, articles...); None removes it."""
        _set(self.data, key, value)

    def set_task_field(self, task_id: str, key: str, value: Any) -> None:
        """Set a field of a step (instruction, hint, prompt, key...); None removes it."""
        _set(self._task(task_id), key, value)

    def add_task(self, task: Mapping[str, Any], index: int | None = None) -> None:
        """Add a step at index (default: the end), a blank line before and after it."""
        tasks = self.data["tasks"]
        _insert(tasks, len(tasks) if index is None else index, _styled(task), blank_line=True)

    def remove_task(self, task_id: str) -> None:
        """Remove a step, its lines and one blank line beside it; comments around it stay."""
        self._task(task_id)
        _remove(self.data["tasks"], self._task_index(task_id))

    def add_key_item(self, task_id: str, item: Mapping[str, Any], index: int | None = None) -> None:
        """Add an answer-key item to a step at index (0 is the first; default: the end)."""
        key = self._task(task_id)["key"]
        _insert(key, len(key) if index is None else index, _styled(item), blank_line=False)

    def update_key_item(self, task_id: str, index: int, changes: Mapping[str, Any]) -> None:
        """Change fields of the index-th key item of a step (0 is the first); None removes one."""
        item = self._task(task_id)["key"][index]
        for field, value in changes.items():
            _set(item, field, value)

    def remove_key_item(self, task_id: str, index: int) -> None:
        """Remove the index-th key item of a step; a step keeps at least one."""
        key = self._task(task_id)["key"]
        if len(key) == 1:
            raise ValueError(f"step '{task_id}' needs at least one key item")
        _remove(key, index % len(key))

    def _task(self, task_id: str) -> CommentedMap:
        return self.data["tasks"][self._task_index(task_id)]

    def _task_index(self, task_id: str) -> int:
        for i, task in enumerate(self.data.get("tasks") or ()):
            if isinstance(task, CommentedMap) and task.get("id") == task_id:
                return i
        raise KeyError(f"the exercise has no step '{task_id}'")


def open_exercise(path: Path) -> Document:
    """The document of an exercise file, or of an article's metadata file."""
    path = Path(path)
    raw = path.read_bytes()
    _check_size(path.name, raw, MAX_YAML_BYTES)
    return Document(raw.decode("utf-8"), path, raw)


def new_exercise(
    folder: Path,
    exercise_id: str,
    *,
    title: str,
    articles: Iterable[str],
    tasks: Iterable[Mapping[str, Any]],
    summary: str = "",
    categories: Iterable[Mapping[str, Any]] = (),
) -> Document:
    """A new exercise file, laid out as the authoring guide's complete example (fields in the
    guide's order, texts in double quotes, a blank line between steps)."""
    fields = {
        "title": title,
        "summary": summary,
        "articles": list(articles),
        "categories": list(categories),
        "tasks": list(tasks),
    }
    data = _styled({k: v for k, v in fields.items() if v})
    for i in range(len(data.get("tasks", ())) - 1):
        _put_tail(data["tasks"], i, "\n")  # a blank line between steps
    return Document(EXERCISE_SCHEMA + _text(data), exercise_path(folder, exercise_id))


def new_article(folder: Path, article_id: str, text: str, **meta: Any) -> list[Change]:
    """The writes of a new article: its text, verbatim, and its metadata file, with the
    defaults the scaffold writes for what is not given."""
    unknown = set(meta) - set(ARTICLE_FIELDS)
    if unknown:
        raise ValueError("unknown article fields: " + ", ".join(sorted(unknown)))
    raw = text.encode("utf-8")
    _check_size("the article", raw, MAX_ARTICLE_BYTES)
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    meta = {
        "title": first_line[:200],
        "title_added_by_editor": False,
        "outlet": "as provided",
        "date": "unknown",
        **meta,
    }
    styled = CommentedMap()
    for field in sorted(meta, key=_rank):
        if meta[field] not in (None, ""):
            styled[field] = _meta_value(meta[field])
    text_path, meta_path = article_paths(folder, article_id)
    return [
        Change(text_path, raw, None),
        Change(meta_path, (ARTICLE_SCHEMA + _text(styled)).encode("utf-8"), None),
    ]


def _text(data: CommentedMap) -> str:
    return Document._dump_with(_yaml(HOUSE_LAYOUT), data)


# --- values written as an author would ---------------------------------------------------------


def _rank(field: Any) -> int:
    return FIELD_ORDER.index(field) if field in FIELD_ORDER else len(FIELD_ORDER)


def _styled(value: Any, field: str = "", old: Any = None) -> Any:
    """value as ruamel.yaml should write it: in the style of the value it replaces, else as the
    guide writes a new one (ids plain, text in double quotes, lists of ids on one line)."""
    if isinstance(value, Mapping):
        styled = CommentedMap()
        for key in sorted(value, key=_rank):
            if value[key] is not None:
                styled[key] = _styled(value[key], key)
        return styled
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_styled(v, field) for v in value)
        if field in FLOW_LISTS and all(isinstance(v, str) for v in value):
            seq.fa.set_flow_style()
        return seq
    if not isinstance(value, str):
        return value
    if isinstance(old, FoldedScalarString) and "\n" not in value:
        return _folded(value)
    if isinstance(old, ScalarString):
        return type(old)(value)
    if (isinstance(old, str) or field in ID_FIELDS) and _plain_safe(value):
        return value
    return DoubleQuotedScalarString(value)


def _meta_value(value: Any) -> Any:
    """An article's metadata as the shipped files have it: plain, or folded when long."""
    if not isinstance(value, str):
        return value
    if "\n" in value:
        return LiteralScalarString(value)
    if len(value) > LINE:
        return _folded(value)
    return value if _plain_safe(value) else DoubleQuotedScalarString(value)


def _plain_safe(value: str) -> bool:
    """Whether the loader (PyYAML) reads value written without quotes back as the same text."""
    if not value or "\n" in value or value != value.strip():
        return False
    try:
        return yaml.safe_load(f"k: {value}\n") == {"k": value}
    except yaml.YAMLError:
        return False


def _folded(value: str) -> FoldedScalarString:
    """A `>-` text wrapped at single spaces (where folding loses nothing), LINE at most."""
    folded = FoldedScalarString(value)
    folded.fold_pos = []
    start, last = 0, None  # where the line starts; the last space it could break at
    for space in (m.start() for m in re.finditer(r"(?<=\S) (?=\S)", value)):
        if space - start > LINE and last is not None:
            folded.fold_pos.append(last)
            start, last = last + 1, None
        last = space if space - start <= LINE or last is None else last
    if len(value) - start > LINE and last is not None:
        folded.fold_pos.append(last)
    return folded


# --- comment-keeping edits of mappings and lists -----------------------------------------------
# ruamel.yaml keeps the comments and blank lines that follow an element with the element's last
# line (the deepest last value inside it). Moving an element would carry away what stands between
# it and the next one; these helpers hand those lines over to the element that now comes first.


def _set(mapping: CommentedMap, key: str, value: Any) -> None:
    """Set or (value None) remove a field, in the guide's order, keeping its neighbours' lines."""
    if value is None:
        if key in mapping:
            _remove(mapping, list(mapping).index(key))
        return
    if key in mapping:
        tail = _take_tail(mapping, key)
        mapping[key] = _styled(value, key, mapping[key])
        _put_tail(mapping, key, tail)
        return
    rank = _rank(key)
    position = sum(1 for k in mapping if _rank(k) <= rank)
    _insert(mapping, position, _styled(value, key), blank_line=False, key=key)


def _keys(container: CommentedMap | CommentedSeq) -> list:
    return list(container) if isinstance(container, CommentedMap) else list(range(len(container)))


def _insert(container, position: int, value: Any, *, blank_line: bool, key: Any = None) -> None:
    """Insert value at position; it takes over the lines that followed the one before it."""
    tail = _take_tail(container, _keys(container)[position - 1]) if position else ""
    if isinstance(container, CommentedMap):
        container.insert(position, key, value)
    else:
        container.insert(position, value)
        key = position
    _put_tail(container, key, tail)
    if blank_line and position:
        _put_tail(container, _keys(container)[position - 1], "\n")
    if blank_line and position + 1 < len(container) and not tail:
        _put_tail(container, key, "\n")


def _remove(container, position: int) -> None:
    """Remove the element at position with its own lines; the lines after it are kept."""
    key = _keys(container)[position]
    tail = _take_tail(container, key)
    del container[key]  # a list moves its later elements' comments up itself
    if isinstance(container, CommentedMap):
        container.ca.items.pop(key, None)
    if position:
        before = _keys(container)[position - 1]
        _put_tail(container, before, _merged(_take_tail(container, before), tail))
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


def _take_tail(container, key) -> str:
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


def _put_tail(container, key, tail: str) -> None:
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


# --- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One file to write: where, what, and what it replaces (None: it must not exist yet)."""

    path: Path
    data: bytes
    before: bytes | None


def check_writable(folder: Path) -> None:
    """Raise NotWritable, with the reason, unless the app can write files in the folder.

    Asks the system (os.access), so it answers for the app's own account; the write itself
    says the same when it fails (a read-only disk, a full one).
    """
    folder = Path(folder)
    target = folder
    while not target.exists() and target != target.parent:
        target = target.parent
    if not target.is_dir():
        raise NotWritable(folder, f"{target} is a file, not a folder")
    if not os.access(target, os.W_OK | os.X_OK):
        raise NotWritable(folder, f"the app may not write to {target}")


def publish(folder: Path, changes: Iterable[Change]) -> list[Path]:
    """Write each change in its turn, each file replaced in one step; returns the paths.

    Everything is checked before anything is written: each path is inside the folder, within
    its size limit, and the file on disk is still the one the change started from. Give the
    article files before the exercise that uses them, so the app never sees it without them.
    """
    folder = Path(folder)
    changes = list(changes)
    root = folder.resolve()
    for change in changes:
        if not change.path.resolve().is_relative_to(root):
            raise BadName(f"{change.path} is outside the exercises folder {folder}")
        limit = MAX_ARTICLE_BYTES if change.path.suffix == ".txt" else MAX_YAML_BYTES
        _check_size(change.path.name, change.data, limit)
    check_writable(folder)
    for change in changes:
        _check_unchanged(change)
    for change in changes:
        _write(folder, change)
    return [change.path for change in changes]


def _check_unchanged(change: Change) -> None:
    try:
        current = change.path.read_bytes()
    except FileNotFoundError:
        current = None
    if change.before is None and current is not None:
        raise Conflict(f"{change.path.name} exists already: open it to edit it, or choose an id")
    if change.before is not None and current != change.before:
        raise Conflict(
            f"{change.path.name} has changed since it was opened: open it again and redo the edit"
        )


def _write(folder: Path, change: Change) -> None:
    """Write a file whole, in a temporary file beside it that then replaces it."""
    path = change.path
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644  # as the scaffold's files: readable by the app and by git
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(change.data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
        temporary = None
    except OSError as err:
        raise NotWritable(folder, err.strerror or str(err)) from err
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the new name last through a power cut too. Best effort: the file is in place
    already, and some file systems cannot sync a folder."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def as_zip(folder: Path, changes: Iterable[Change]) -> bytes:
    """The files as a zip to unpack in the folder that holds the exercises folder."""
    root = Path(folder).resolve()
    out = io.BytesIO()
    stamp = time.localtime()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for change in changes:
            name = Path(root.name, change.path.resolve().relative_to(root)).as_posix()
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            archive.writestr(info, change.data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
