"""Exercise files that would hurt the server: an alias bomb, huge values, a field given twice, two
files of one exercise, a file that never finishes reading. Each is reported with its file and
line, the other exercises load, requests are served and the app starts."""

from __future__ import annotations

import http.client
import os
import threading
import tracemalloc
from pathlib import Path
from urllib.parse import urlencode

import pytest

from classroom import exercises as shelf_module
from classroom.content.loader import load_articles, load_exercise, load_library

REPORT_1, REPORT_2 = "la-detainers-report-1", "la-detainers-report-2"
SEEDS = {"la-detainers-compare", REPORT_1, REPORT_2}
REFUSED = "anchors and aliases are not allowed in exercise files"
TIME_LIMIT = 1.0  # seconds a file may take to load in these tests: the seed files take a few ms


def alias_bomb(field: str, levels: int = 7) -> str:
    """A file of a few hundred bytes whose value of field, aliases expanded, holds 9**levels
    strings (7 levels: 4.8 million). The first anchor is on line 3."""
    chain = ["  - &a0 [" + ", ".join(["lol"] * 9) + "]"]
    chain += [f"  - &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, levels)]
    return "\n".join(["title: Bomb", f"{field}:", *chain, "tasks: []", ""])


def edited(path: Path, old: str, new: str) -> None:
    """Replace old by new in the file, with a later timestamp so that the change is seen."""
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


def with_a_second_why(path: Path) -> int:
    """Give the file's first key item a second `why:`; the line it is on."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.lstrip().startswith("why: "))
    indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
    lines.insert(first + 1, f'{indent}why: "A second explanation, which would silently win."\n')
    path.write_text("".join(lines), encoding="utf-8")
    return first + 2


@pytest.fixture
def stuck(folder, monkeypatch):
    """An exercise file whose reading does not return until the test ends, as on a network
    share that hangs. Read on the main thread (which serves the test's requests and commands),
    it fails the test at once instead of hanging it."""
    path = folder / "stuck.yaml"
    path.write_text("title: Stuck\n")
    release = threading.Event()
    read_bytes = Path.read_bytes

    def hanging_read_bytes(self):
        if self == path:
            assert threading.current_thread() is not threading.main_thread(), (
                "the file is read where the caller waits for it, however long it takes"
            )
            release.wait()
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", hanging_read_bytes)
    yield path
    release.set()


@pytest.mark.parametrize("field", ["articles", "categories"])
def test_an_alias_bomb_is_refused_at_its_first_anchor_in_little_memory(folder, field):
    (folder / "bomb.yaml").write_text(alias_bomb(field))
    tracemalloc.start()
    try:
        library = load_library(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"loading took {peak / 2**20:.0f} MB"
    assert set(library.exercises) == SEEDS
    [problem] = [p for p in library.problems if p.path == "exercises/bomb.yaml"]
    assert (problem.line, problem.column, problem.severity) == (3, 5, "error")
    assert REFUSED in problem.message


@pytest.mark.parametrize(
    "source, line",
    [
        ("title: &title Bomb\narticles: [la-detainers-report-1]\ntasks: []\n", 1),
        ("title: Bomb\narticles: &a [la-detainers-report-1]\ntasks: *a\n", 2),
        ("title: Bomb\nx: {a: 1}\ny:\n  <<: *x\n", 4),  # an alias to an anchor never made
    ],
    ids=["an anchor alone", "an anchor and its alias", "an alias alone"],
)
def test_every_anchor_or_alias_is_refused_at_its_line(folder, source, line):
    (folder / "bomb.yaml").write_text(source)
    articles, _ = load_articles(folder / "articles", folder)
    exercise, [problem] = load_exercise(folder / "bomb.yaml", articles, folder)
    assert exercise is None
    assert (problem.path, problem.line, problem.message) == ("exercises/bomb.yaml", line, REFUSED)


def test_an_alias_in_an_articles_metadata_is_refused_too(folder):
    meta = folder / "articles" / f"{REPORT_1}.yaml"
    meta.write_text("outlet: &o The Daily Test\nnote: *o\n")
    library = load_library(folder)
    [problem] = library.problems
    assert (problem.path, problem.line) == (f"exercises/articles/{REPORT_1}.yaml", 1)
    assert REFUSED in problem.message


def test_messages_quote_a_huge_value_cut_short(folder):
    huge = "x" * 100_000
    (folder / "huge.yaml").write_text(
        f"title: Huge\narticles: [{huge}]\n? {huge}\n: 1\ntasks:\n"
        f"  - {{id: one, type: {huge}}}\n"
        f"  - {{id: {huge}X, type: choice, prompt: Which?, options: [a, b]}}\n"
        f"  - id: two\n    type: highlight\n    article: {REPORT_1}\n"
        f"    categories: [{huge}]\n    instruction: Find it.\n"
        f"    key: [{{quote: {huge}, why: A label.}}]\n"
    )
    articles, _ = load_articles(folder / "articles", folder)
    exercise, problems = load_exercise(folder / "huge.yaml", articles, folder)
    assert exercise is None and len(problems) >= 5
    assert all(len(p.message) + len(p.hint) < 1000 for p in problems)
    assert any("unknown article 'xxxx" in p.message for p in problems)


def test_a_field_given_twice_is_an_error_at_the_second(folder):
    path = folder / f"{REPORT_1}.yaml"
    second = with_a_second_why(path)
    articles, _ = load_articles(folder / "articles", folder)
    exercise, [problem] = load_exercise(path, articles, folder)
    assert exercise is None
    assert (problem.line, problem.severity) == (second, "error")
    assert f"the field 'why' is given twice (first on line {second - 1})" in problem.message


def test_check_reports_a_bomb_a_field_twice_two_files_of_one_exercise_and_a_stuck_file(
    tmp_path, folder, stuck, make_app
):
    (folder / "bomb.yaml").write_text(alias_bomb("articles"))
    second = with_a_second_why(folder / f"{REPORT_1}.yaml")
    (folder / f"{REPORT_2}.yml").write_text((folder / f"{REPORT_2}.yaml").read_text())
    app = make_app(tmp_path, EXERCISES_DIR=str(folder), EXERCISE_FILE_TIME_LIMIT=TIME_LIMIT)
    result = app.test_cli_runner().invoke(args=["exercises", "check"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"exercises/bomb.yaml:3:5: error: {REFUSED}" in lines
    assert any(
        line.startswith(f"exercises/{REPORT_1}.yaml:{second}:")
        and "the field 'why' is given twice" in line
        for line in lines
    ), result.output
    assert (
        f"exercises/{REPORT_2}.yml:1:1: error: {REPORT_2}.yml and {REPORT_2}.yaml are both "
        f"exercise '{REPORT_2}': only {REPORT_2}.yaml is loaded"
    ) in lines
    assert f"exercises/stuck.yaml:1:1: error: not read within {TIME_LIMIT:g} s, so left out" in (
        lines
    )
    assert lines[-1] == "6 file(s) checked: 4 error(s), 0 warning(s) in 4 file(s)"


@pytest.fixture
def live(tmp_path, folder, monkeypatch, make_app, make_class, client_of):
    """An app on a copied folder that looks for changed files on every request; the assignment
    of report 1 to ada's class, and a client logged in as ada."""
    monkeypatch.setattr(shelf_module, "CHECK_EVERY", 0)
    app = make_app(tmp_path, EXERCISES_DIR=str(folder), WTF_CSRF_ENABLED=False)
    school = make_class(app, ["ada"], assign=[REPORT_1])
    return school["assignments"][REPORT_1], client_of(app, school["students"][0])


def test_requests_are_served_the_last_good_library_while_a_reload_is_held_up(
    live, folder, monkeypatch
):
    assignment, ada = live
    reloads, started, release = [], threading.Event(), threading.Event()
    reload = shelf_module.load_library

    def held_up(*args, **kwargs):
        assert threading.current_thread() is not threading.main_thread(), (
            "reloaded while a request waits"
        )
        reloads.append(threading.current_thread())
        started.set()
        release.wait()
        return reload(*args, **kwargs)

    monkeypatch.setattr(shelf_module, "load_library", held_up)
    edited(folder / f"{REPORT_1}.yaml", "Los Angeles jails", "A changed title")
    try:
        pages = [ada.get(f"/assignments/{assignment}")]  # sees the change: a reload starts
        assert started.wait(timeout=60), "no reload started"
        pages.append(ada.get(f"/assignments/{assignment}"))
        for page in pages:
            assert page.status_code == 200
            assert "A changed title" not in page.get_data(as_text=True)
        assert len(reloads) == 1, "one reload at a time"
    finally:
        release.set()
    reloads[0].join()
    assert "A changed title" in ada.get(f"/assignments/{assignment}").get_data(as_text=True)


def test_the_app_starts_with_a_bomb_and_a_stuck_file_and_lists_both(
    tmp_path, folder, stuck, make_app, make_class, client_of
):
    (folder / "bomb.yaml").write_text(alias_bomb("categories"))
    (folder / f"{REPORT_2}.yml").write_text((folder / f"{REPORT_2}.yaml").read_text())
    app = make_app(tmp_path, EXERCISES_DIR=str(folder), EXERCISE_FILE_TIME_LIMIT=TIME_LIMIT)
    teacher = client_of(app, make_class(app, [])["teacher"])
    page = teacher.get("/author/exercises").get_data(as_text=True)
    assert f"exercises/bomb.yaml:3:5</code>\n    <strong>error</strong>: {REFUSED}" in page
    assert f"not read within {TIME_LIMIT:g} s, so left out" in page
    assert f"{REPORT_2}.yml and {REPORT_2}.yaml are both exercise" in page
    assert set(app.extensions["classroom.shelf"].library.exercises) == SEEDS


def test_gunicorn_with_preload_starts_with_a_bomb_and_a_file_that_never_reads(
    tmp_path, folder, make_app, make_class, gunicorn_server, password
):
    """A named pipe nobody writes to: reading it never returns, in the master or a worker."""
    (folder / "bomb.yaml").write_text(alias_bomb("articles"))
    os.mkfifo(folder / "pipe.yaml")
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        f"WTF_CSRF_ENABLED = False\nEXERCISES_DIR = {str(folder)!r}\n"
        f"EXERCISE_FILE_TIME_LIMIT = {TIME_LIMIT}\n"
    )
    app = make_app(instance, DATABASE=str(instance / "classroom.sqlite"))
    make_class(app, [])
    app.extensions["classroom.db"].close()

    with gunicorn_server(instance, tmp_path / "gunicorn.log", "--workers", "2") as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = urlencode({"username": "teacher", "password": password})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", "/login", body, headers)
        login = connection.getresponse()
        login.read()
        assert login.status == 302
        cookie = "; ".join(c.split(";")[0] for c in login.headers.get_all("Set-Cookie"))
        connection.request("GET", "/author/exercises", headers={"Cookie": cookie})
        page = connection.getresponse().read().decode()
        connection.close()
    assert f"exercises/bomb.yaml:3:5</code>\n    <strong>error</strong>: {REFUSED}" in page
    assert "exercises/pipe.yaml:1:1</code>\n    <strong>error</strong>: not read within" in page
