"""The app's exercise library: loaded at start-up, reloaded in the background when a file in
exercises/ changes."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from flask import Flask, abort, current_app

from .content.loader import hidden, load_library
from .content.model import Exercise, Library
from .security import FIRST_REQUEST

CHECK_EVERY = 1.0  # seconds between looks at the folder for changed files
# A request that finds a look (and reload) under way waits for it this long at most from its
# start: an author who saves a file and opens the page sees the change, and no request waits
# longer however slow a file is.
WAIT_FOR_RELOAD = 0.5


class Shelf:
    """Holds the loaded library, and reloads it in a thread of its own when the files under
    its folder change, so that requests never wait for a slow file: they are served the last
    library loaded meanwhile.

    The thread is started by the first request that finds it is time for a look, so in the
    process that serves it (gunicorn's preload_app loads the library in the master, then forks:
    a thread started there would not be in the workers).
    """

    def __init__(
        self, folder: Path, time_limit: float | None = None, log: logging.Logger | None = None
    ):
        self.folder = folder
        self.time_limit = time_limit  # seconds one file may take to load
        self.log = log or logging.getLogger(__name__)
        self._lock = threading.Lock()
        self._checked = 0.0
        self._look: threading.Thread | None = None
        self._signature = self._scan()
        self.library = load_library(folder, time_limit=time_limit)

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
        """The library as last loaded. If it is time for a look at the folder, one starts in the
        background; the request waits for it WAIT_FOR_RELOAD seconds at most."""
        if time.monotonic() - self._checked >= CHECK_EVERY:
            self._start_look()
        look, waited_until = self._look, self._checked + WAIT_FOR_RELOAD
        if look is not None:
            look.join(max(0.0, waited_until - time.monotonic()))
        return self.library

    def _start_look(self) -> None:
        """Start a look at the folder, unless one is under way (a slow reload)."""
        with self._lock:
            if self._look is not None and self._look.is_alive():
                return
            look = threading.Thread(target=self._reload, name="exercise reload", daemon=True)
            look.start()  # before it is shared: a request may join it at once
            self._look, self._checked = look, time.monotonic()

    def _reload(self) -> None:
        """Reload the library if a file changed since the last look; one look at a time."""
        signature = self._scan()
        if signature == self._signature:
            return
        library = load_library(self.folder, previous=self.library, time_limit=self.time_limit)
        self._signature, self.library = signature, library
        log_problems(library, self.log)


def log_problems(library: Library, log: logging.Logger) -> None:
    """Report broken exercise files in the server's log, with file and line."""
    for problem in library.problems:
        log.warning("%s", problem)


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
    shelf = Shelf(
        Path(app.config["EXERCISES_DIR"]), app.config["EXERCISE_FILE_TIME_LIMIT"], app.logger
    )
    app.extensions["classroom.shelf"] = shelf
    reported = threading.Event()

    @app.before_request
    def report_broken_files_once() -> None:
        if not reported.is_set():
            reported.set()
            log_problems(shelf.library, app.logger)

    app.extensions[FIRST_REQUEST] = report_broken_files_once  # the health check's too
