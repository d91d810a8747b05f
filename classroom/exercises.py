"""The app's exercise library: loaded at start-up, reloaded when a file in exercises/ changes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from flask import Flask, abort, current_app

from .content.loader import hidden, load_library
from .content.model import Exercise, Library

CHECK_EVERY = 1.0  # seconds between looks at the folder for changed files


class Shelf:
    """Holds the loaded library and reloads it when the files under its folder change."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._lock = threading.Lock()
        self._checked = 0.0
        self._signature = self._scan()
        self.library = load_library(folder)

    def _scan(self) -> tuple:
        """Name, size and modification time of every file that makes up the library."""
        found = []
        for path in [*self.folder.glob("*.y*ml"), *self.folder.glob("articles/*")]:
            if hidden(path):
                continue
            try:
                stat = path.stat()
            except OSError:  # gone since the folder was listed (an editor's temporary file)
                continue
            found.append((str(path), stat.st_size, stat.st_mtime_ns))
        return tuple(sorted(found))

    def current(self) -> Library:
        """The library, reloaded first if a file changed since the last look."""
        if time.monotonic() - self._checked < CHECK_EVERY:
            return self.library
        with self._lock:
            self._checked = time.monotonic()
            signature = self._scan()
            if signature != self._signature:
                self._signature = signature
                self.library = load_library(self.folder, previous=self.library)
                log_problems(self.library)
        return self.library


def log_problems(library: Library) -> None:
    """Report broken exercise files in the server's log, with file and line."""
    for problem in library.problems:
        current_app.logger.warning("%s", problem)


def library() -> Library:
    """The current exercise library."""
    return current_app.extensions["classroom.shelf"].current()


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise with this id, or a 404 saying it is not available."""
    exercise = library().exercises.get(exercise_id)
    if exercise is None:
        abort(
            404,
            f"The exercise '{exercise_id}' is not available: its file is missing or has "
            "errors. Your teacher can check the exercise files.",
        )
    return exercise


def init_app(app: Flask) -> None:
    """Load and validate the library at start-up; report broken files when serving begins.

    Reporting waits for the first request so that commands such as `exercises check`, which
    print the problems themselves, do not print them twice.
    """
    shelf = Shelf(Path(app.config["EXERCISES_DIR"]))
    app.extensions["classroom.shelf"] = shelf
    reported = threading.Event()

    @app.before_request
    def report_broken_files_once() -> None:
        if not reported.is_set():
            reported.set()
            log_problems(shelf.library)
