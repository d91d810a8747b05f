"""Putting exercise and article files in the exercises folder safely: what the authoring studio
publishes with (writer.py makes the files' text).

Files are named only from plain ids and never leave the folder; each has a size limit; each is
replaced in one step, so a reader (the running app reloading the folder) sees the old file or
the new one, never half of one; a file changed on disk since it was opened is not written over.
Where the folder cannot be written, NotWritable says why and as_zip gives the same files to
download.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import math
import os
import re
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .tasks import ID_PATTERN

MAX_ID = 64  # characters of an exercise or article id
MAX_ARTICLE_BYTES = 200_000  # an article's text: some 30,000 words, more than any news story
MAX_YAML_BYTES = 250_000  # an exercise or metadata file; the largest shipped one is 20 KB
# Windows cannot have a file of these names, whatever the extension: a clone there would fail.
RESERVED = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)", re.IGNORECASE)


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


def check_size(name: str, data: bytes, limit: int) -> None:
    """Refuse data past limit, saying both sizes in KB."""
    if len(data) > limit:
        raise TooLarge(
            f"{name} is {math.ceil(len(data) / 1000)} KB; the limit is {limit // 1000} KB",
        )


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
    article files before the exercise that uses them: the app then never sees the exercise
    without them, and a write that fails halfway (NotWritable) leaves at most unused articles.
    A path that is a symbolic link has the file it leads to replaced, not the link.
    """
    folder = Path(folder)
    root = folder.resolve()
    changes = [dataclasses.replace(c, path=c.path.resolve()) for c in changes]
    for change in changes:
        if not change.path.is_relative_to(root):
            raise BadName(f"{change.path} is outside the exercises folder {folder}")
        limit = MAX_ARTICLE_BYTES if change.path.suffix == ".txt" else MAX_YAML_BYTES
        check_size(change.path.name, change.data, limit)
    check_writable(folder)
    for change in changes:
        _check_unchanged(change)
    for change in changes:
        _write(folder, change)
    return [change.path for change in changes]


def _check_unchanged(change: Change) -> None:
    """Raise Conflict if the file is not (or no longer) what the change expects to replace."""
    try:
        current = change.path.read_bytes()
    except FileNotFoundError:
        current = None
    if change.before is None and current is not None:
        raise Conflict(
            f"{change.path.name} exists already: open it to edit it, or choose another id"
        )
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
