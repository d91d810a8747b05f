"""An exercise file caught half-written: students keep working on the last version that loaded,
the author sees what to fix, and an editor's temporary files never break a request."""

from __future__ import annotations

import os

import pytest

from classroom import exercises as shelf_module
from classroom.content.loader import load_library

REPORT_1 = "la-detainers-report-1"
HALF_WRITTEN = "title: Report 1\narticles: [la-detainers-report-1\ntasks:\n  - id: x\n"


@pytest.fixture
def live(tmp_path, folder, monkeypatch, make_app, make_class, client_of):
    """An app on a copied folder that looks for changed files on every request, with ada's
    class given report 1; the app, the assignment and clients for ada and the teacher."""
    monkeypatch.setattr(shelf_module, "CHECK_EVERY", 0)
    app = make_app(tmp_path, EXERCISES_DIR=str(folder), WTF_CSRF_ENABLED=False)
    school = make_class(app, ["ada"], assign=[REPORT_1])
    ada, teacher = client_of(app, school["students"][0]), client_of(app, school["teacher"])
    return app, school["assignments"][REPORT_1], ada, teacher


def break_file(path):
    """Save the file half-written, with a later timestamp so the change is seen."""
    stat = path.stat()
    path.write_text(HALF_WRITTEN, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


def test_students_keep_the_last_good_version_while_a_file_is_half_written(live, folder):
    app, assignment, ada, teacher = live
    before = ada.get(f"/api/assignments/{assignment}/draft").get_json()["version"]
    break_file(folder / f"{REPORT_1}.yaml")

    page = ada.get(f"/assignments/{assignment}")
    assert page.status_code == 200
    assert "Federal immigration enforcement data" in page.get_data(as_text=True)
    saved = ada.put(
        f"/api/assignments/{assignment}/draft",
        json={"highlights": [], "answers": {"reflect": "Still working."}},
    )
    assert saved.status_code == 200 and saved.get_json()["version"] == before
    submitted = ada.post(f"/assignments/{assignment}/submit", data={"highlights": "[]"})
    assert submitted.status_code == 302

    files = teacher.get("/author/exercises").get_data(as_text=True)
    assert f"exercises/{REPORT_1}.yaml:3:6" in files  # where the open list runs into tasks:
    assert "students keep the last version that loaded" in files


def test_the_file_loads_again_once_it_is_fixed(live, folder):
    app, assignment, ada, _ = live
    path = folder / f"{REPORT_1}.yaml"
    good = path.read_text(encoding="utf-8")
    break_file(path)
    assert ada.get(f"/assignments/{assignment}").status_code == 200
    stat = path.stat()
    path.write_text(good.replace("Los Angeles jails", "LA jails", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert "LA jails" in ada.get("/home").get_data(as_text=True)


def test_a_deleted_file_takes_its_exercise_away(live, folder):
    app, assignment, ada, _ = live
    (folder / f"{REPORT_1}.yaml").unlink()
    assert ada.get(f"/assignments/{assignment}").status_code == 404


def test_an_editors_lock_and_swap_files_are_not_exercises(live, folder):
    """Emacs leaves a dangling symlink .#NAME.yaml while a file is edited; others write
    NAME.yaml~ or .NAME.yaml.swp. None is an exercise, and none breaks a request."""
    app, assignment, ada, teacher = live
    (folder / f".#{REPORT_1}.yaml").symlink_to("teacher@laptop.1234:1700000000")
    (folder / f"{REPORT_1}.yaml~").write_text(HALF_WRITTEN)
    (folder / "articles" / f".#{REPORT_1}.txt").symlink_to("teacher@laptop.1234:1700000000")
    assert ada.get(f"/assignments/{assignment}").status_code == 200
    files = teacher.get("/author/exercises").get_data(as_text=True)
    assert ".#" not in files and "yaml~" not in files


def test_a_file_that_vanishes_while_the_folder_is_read_is_passed_over(folder, monkeypatch):
    """An editor's temporary file can go between listing the folder and reading it."""
    gone = folder / "draft-in-progress.yaml"
    gone.write_text(HALF_WRITTEN)
    real_read = type(gone).read_bytes

    def read_bytes(path):
        if path == gone:
            gone.unlink(missing_ok=True)
            raise FileNotFoundError(path)
        return real_read(path)

    monkeypatch.setattr(type(gone), "read_bytes", read_bytes)
    library = load_library(folder)
    assert REPORT_1 in library.exercises
    assert not [p for p in library.problems if "draft-in-progress" in p.path]


def test_the_shelf_survives_a_file_vanishing_between_listing_and_stat(folder, monkeypatch):
    shelf = shelf_module.Shelf(folder)
    monkeypatch.setattr(shelf_module, "CHECK_EVERY", 0)
    ghost = folder / "ghost.yaml"
    real_glob = type(folder).glob

    def glob(path, pattern):
        found = list(real_glob(path, pattern))
        return [*found, ghost] if pattern == "*.y*ml" else found  # listed, then gone

    monkeypatch.setattr(type(folder), "glob", glob)
    assert REPORT_1 in shelf.current().exercises
