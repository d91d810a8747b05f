"""The text of exercise and article files as an author would write it by hand: what the
authoring studio edits and publishes (publish.py puts the files in the exercises folder).

A file opened and saved unchanged comes out byte for byte the same, and an edit rewrites only
the lines it concerns, keeping every comment and blank line (ruamel.yaml's round trip, set up in
roundtrip.py for the layout of our files). What the round trip cannot keep (extra spaces after a
colon or inside brackets, `~` for null, `True`, a plain text run over several lines, escapes
such as `\\u2019`, a `---` line) is tidied on saving; `Document.tidied` names those lines first,
so the studio can say so. A file in another consistent indentation keeps it.

Values are read here the way ruamel.yaml reads them (YAML 1.2), not the way the loader does
(PyYAML, YAML 1.1): what the studio shows comes from the loader; here values are only written.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    ScalarString,
)

from .loader import ARTICLE_FIELDS
from .publish import (
    MAX_ARTICLE_BYTES,
    MAX_YAML_BYTES,
    Change,
    article_paths,
    check_size,
    exercise_path,
)
from .roundtrip import HOUSE_LAYOUT, insert, layout_of, put_tail, remove, take_tail, yaml_for

LINE = 90  # characters of a folded (`>-`) text on a line: under 100 with its indentation
EXERCISE_SCHEMA = "# yaml-language-server: $schema=../classroom/content/exercise.schema.json\n"
ARTICLE_SCHEMA = "# yaml-language-server: $schema=../../classroom/content/article.schema.json\n"

# The order an author writes fields in, for every mapping of our files (top level, task, key
# item, option, category, article metadata); a field not listed goes after the listed ones.
FIELD_ORDER = (
    "id", "type", "title", "title_added_by_editor", "outlet", "date", "note", "summary",
    "article", "articles", "label", "definition", "categories", "prompt", "instruction",
    "multiple", "quote", "prefix", "suffix", "occurrence", "category", "why", "check", "core",
    "group", "text",
    "correct", "feedback", "hint", "points", "options", "model_answer", "key_points", "key",
    "tasks",
)  # fmt: skip
# written plain where YAML reads them back unchanged, as the guide does: ids, a category's
# short label and a key item's group; every other text in double quotes
PLAIN_FIELDS = {"id", "type", "article", "articles", "category", "categories", "label", "group"}
FLOW_LISTS = {"articles", "categories"}  # a list of ids: `[a, b]` on one line


# --- documents ---------------------------------------------------------------------------------


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
        self._rt = yaml_for(HOUSE_LAYOUT)
        self.data = self._load(text)
        self._unchanged = self._dump()
        if self._unchanged != text:  # not our layout: try the file's own, keep it if it fits
            own = yaml_for(layout_of(text))
            data = own.load(text)
            if self._dump_with(own, data) == text:
                self._rt, self.data, self._unchanged = own, data, text

    def _load(self, text: str) -> CommentedMap:
        """The document's top-level mapping; ValueError for text that is not one."""
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
        """The text of the document as ruamel.yaml writes it."""
        return self._dump_with(self._rt, self.data)

    @staticmethod
    def _dump_with(rt: YAML, data: Any) -> str:
        """data written by rt, as text."""
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
        insert(tasks, len(tasks) if index is None else index, _styled(task), blank_line=True)

    def remove_task(self, task_id: str) -> None:
        """Remove a step, its lines and one blank line beside it; comments around it stay."""
        remove(self.data["tasks"], self._task_index(task_id))

    def move_task(self, task_id: str, index: int) -> None:
        """Move a step to index, with its own lines; a blank line stays between steps and the
        comments between the steps where it was stay there."""
        tasks = self.data["tasks"]
        position = self._task_index(task_id)
        if position != index:
            task = tasks[position]
            remove(tasks, position)
            insert(tasks, index, task, blank_line=True)

    def add_key_item(self, task_id: str, item: Mapping[str, Any], index: int | None = None) -> None:
        """Add an answer-key item to a step at index (0 is the first; default: the end)."""
        key = self._task(task_id)["key"]
        insert(key, len(key) if index is None else index, _styled(item), blank_line=False)

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
        remove(key, index % len(key))

    def _task(self, task_id: str) -> CommentedMap:
        """The step with this id."""
        return self.data["tasks"][self._task_index(task_id)]

    def _task_index(self, task_id: str) -> int:
        """Where the step with this id stands in `tasks`; KeyError if there is none."""
        for i, task in enumerate(self.data.get("tasks") or ()):
            if isinstance(task, CommentedMap) and task.get("id") == task_id:
                return i
        raise KeyError(f"the exercise has no step '{task_id}'")


def open_exercise(path: Path) -> Document:
    """The document of an exercise file, or of an article's metadata file."""
    path = Path(path)
    raw = path.read_bytes()
    check_size(path.name, raw, MAX_YAML_BYTES)
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
        put_tail(data["tasks"], i, "\n")  # a blank line between steps
    return Document(EXERCISE_SCHEMA + _text(data), exercise_path(folder, exercise_id))


def new_article(folder: Path, article_id: str, text: str, **meta: Any) -> list[Change]:
    """The writes of a new article: its text, verbatim, and its metadata file, with the
    defaults the scaffold writes for what is not given."""
    unknown = set(meta) - set(ARTICLE_FIELDS)
    if unknown:
        raise ValueError("unknown article fields: " + ", ".join(sorted(unknown)))
    raw = text.encode("utf-8")
    check_size("the article", raw, MAX_ARTICLE_BYTES)
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
    """A new file's text, in our layout."""
    return Document._dump_with(yaml_for(HOUSE_LAYOUT), data)


# --- values written as an author would ---------------------------------------------------------


def _rank(field: Any) -> int:
    """Where a field stands in FIELD_ORDER."""
    return FIELD_ORDER.index(field) if field in FIELD_ORDER else len(FIELD_ORDER)


def _styled(value: Any, field: str = "", old: Any = None) -> Any:
    """value as ruamel.yaml should write it: in the style of the value it replaces, else as the
    guide writes a new one (PLAIN_FIELDS plain, text in double quotes, lists of ids on one
    line, fields in FIELD_ORDER)."""
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
    if isinstance(old, FoldedScalarString) and _block_safe(value) and "\n" not in value:
        return _folded(value)
    if isinstance(old, LiteralScalarString) and _block_safe(value):
        return LiteralScalarString(value)
    if isinstance(old, ScalarString) and not isinstance(
        old, FoldedScalarString | LiteralScalarString
    ):
        return type(old)(value)  # quoted as before
    if (isinstance(old, str) or field in PLAIN_FIELDS) and _plain_safe(value):
        return value
    return DoubleQuotedScalarString(value)


def _meta_value(value: Any) -> Any:
    """An article's metadata as the shipped files have it: plain, or folded when long."""
    if not isinstance(value, str) or _plain_safe(value) and len(value) <= LINE:
        return value
    if "\n" in value and _block_safe(value):
        return LiteralScalarString(value)
    if len(value) > LINE and _block_safe(value):
        return _folded(value)
    return DoubleQuotedScalarString(value)


def _plain_safe(value: str) -> bool:
    """Whether the loader (PyYAML) reads value written without quotes back as the same text."""
    if not value or "\n" in value or value != value.strip():
        return False
    try:
        return yaml.safe_load(f"k: {value}\n") == {"k": value}
    except yaml.YAMLError:
        return False


def _block_safe(value: str) -> bool:
    """Whether a `>-` or `|-` block holds value exactly: printable lines, no space at either end
    of one, no blank line at either end."""
    lines = value.split("\n")
    return all(line.isprintable() and line == line.strip() for line in lines) and all(
        (lines[0], lines[-1])
    )


def _folded(value: str) -> FoldedScalarString:
    """A `>-` text wrapped at single spaces (where folding loses nothing), LINE at most."""
    folded = FoldedScalarString(value)
    folded.fold_pos = []
    start, last = 0, None  # where the line starts; the last space it could break at
    for space in (m.start() for m in re.finditer(r"(?<=\S) (?=\S)", value)):
        if space - start > LINE and last is not None:
            folded.fold_pos.append(last)
            start = last + 1
        last = space
    if len(value) - start > LINE and last is not None:
        folded.fold_pos.append(last)
    return folded


def _set(mapping: CommentedMap, key: str, value: Any) -> None:
    """Set or (value None) remove a field, in the guide's order, keeping its neighbours' lines."""
    if value is None:
        if key in mapping:
            remove(mapping, list(mapping).index(key))
        return
    if key in mapping:
        tail = take_tail(mapping, key)
        mapping[key] = _styled(value, key, mapping[key])
        put_tail(mapping, key, tail)
        return
    rank = _rank(key)
    position = sum(1 for k in mapping if _rank(k) <= rank)
    insert(mapping, position, _styled(value, key), blank_line=False, key=key)
