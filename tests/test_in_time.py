"""Reading a folder's files within a time limit each (classroom/content/in_time.py)."""

import threading

import pytest

from classroom.content import in_time as in_time_module
from classroom.content.in_time import each_in_time

LIMIT = 0.3


def read(value):
    return value, []


@pytest.fixture
def threads(monkeypatch):
    """The reader threads each_in_time starts, as a list."""
    started = []

    class Counted(threading.Thread):
        def start(self):
            started.append(self)
            super().start()

    monkeypatch.setattr(in_time_module.threading, "Thread", Counted)
    return started


@pytest.mark.parametrize("limit", [None, LIMIT])
def test_every_file_is_read_in_order(limit):
    jobs = [(f"f{i}.yaml", read, (i,)) for i in range(50)]
    assert [value for value, _ in each_in_time(limit, jobs)] == list(range(50))


def test_a_folder_is_read_by_one_thread_however_many_files_it_has(threads):
    jobs = [(f"f{i}.yaml", read, (i,)) for i in range(200)]
    assert len(list(each_in_time(LIMIT, jobs))) == 200
    assert len(threads) == 1


def test_a_stuck_file_is_reported_and_the_files_after_it_are_read_by_a_new_thread(threads):
    release = threading.Event()

    def hangs():
        release.wait()
        return "too late", []

    jobs = [("a.yaml", read, ("a",)), ("stuck.yaml", hangs, ()), ("b.yaml", read, ("b",))]
    try:
        (a, []), (nothing, [problem]), (b, []) = each_in_time(LIMIT, jobs)
    finally:
        release.set()
    assert (a, nothing, b) == ("a", None, "b")
    assert (problem.path, problem.line) == ("stuck.yaml", 1)
    assert problem.message == f"not read within {LIMIT:g} s, so left out"
    assert len(threads) == 2


def test_a_load_that_raises_raises_in_the_callers_thread_after_the_files_before_it():
    def breaks():
        raise MemoryError("too big")

    jobs = [("a.yaml", read, ("a",)), ("big.yaml", breaks, ())]
    results = each_in_time(LIMIT, jobs)
    assert next(results) == ("a", [])
    with pytest.raises(MemoryError, match="too big"):
        next(results)


def test_no_files_start_no_thread(threads):
    assert list(each_in_time(LIMIT, [])) == []
    assert threads == []
