"""Reading a folder's files one after another, each within a time limit, on one thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .model import Problem

Job = tuple[str, Callable[..., tuple[Any, list[Problem]]], tuple]  # (file shown, load, its args)


def each_in_time(
    time_limit: float | None, jobs: Sequence[Job]
) -> Iterator[tuple[Any | None, list[Problem]]]:
    """What load(*args) gives for each job, in order; for a job that has not returned within
    time_limit seconds of starting (None: wait as long as it takes), nothing and a problem.

    One reader thread reads the jobs one after another while the caller sleeps (a thread per
    file, handing each result over, cost a folder of 1,000 files more than half a second).
    Python cannot stop a thread, so a file that is too slow (a pipe, a hung network share, a
    huge file) is left to go on being read by its daemon thread, its result dropped, and a new
    reader reads on from the next file. An exception of a load is raised again here, in the
    caller's thread, in its place among the results.
    """
    if time_limit is None:
        for _shown, load, args in jobs:
            yield load(*args)
        return
    done = threading.Condition()
    results: list[tuple[bool, Any] | None] = [None] * len(jobs)  # (returned, result or error)
    reading = [0, 0, time.monotonic()]  # the current reader's number, its job, when it began

    def read(first: int, number: int) -> None:
        for index in range(first, len(jobs)):
            with done:
                if reading[0] != number:
                    return
                reading[1:] = index, time.monotonic()
            _shown, load, args = jobs[index]
            try:
                outcome = (True, load(*args))
            except BaseException as err:  # raised again below, in the caller's thread
                outcome = (False, err)
            with done:
                if reading[0] != number:
                    return
                results[index] = outcome
        with done:
            reading[1] = len(jobs)
            done.notify()

    def start(first: int) -> None:
        reading[1:] = first, time.monotonic()
        if first < len(jobs):
            thread = threading.Thread(target=read, args=(first, reading[0]), daemon=True)
            thread.name = f"reading {jobs[first][0]}"
            thread.start()

    with done:
        start(0)
        # the caller sleeps until the reader is done, or its file has taken too long
        while reading[1] < len(jobs):
            index, began = reading[1], reading[2]
            waited = time.monotonic() - began
            if waited < time_limit:
                done.wait(time_limit - waited)
            elif results[index] is None:  # too slow: abandon its reader, read on with a new one
                results[index] = (True, (None, [too_slow(jobs[index][0], time_limit)]))
                reading[0] += 1
                start(index + 1)
    for returned, outcome in results:
        if not returned:
            raise outcome
        yield outcome


def too_slow(shown: str, time_limit: float) -> Problem:
    """The problem of a file not read within time_limit seconds."""
    return Problem(
        shown,
        1,
        1,
        f"not read within {time_limit:g} s, so left out",
        "an exercise file is small plain text: is this one huge, or not a file?",
    )
