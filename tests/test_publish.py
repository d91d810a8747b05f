"""Putting the studio's files in the exercises folder: never outside it, never half-written,
too large or over someone else's change; where the folder cannot be written, the reason and
the files as a zip."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from classroom.content import publish as publish_module
from classroom.content.publish import (
    MAX_ARTICLE_BYTES,
    MAX_YAML_BYTES,
    BadName,
    Conflict,
    NotWritable,
    TooLarge,
    article_paths,
    as_zip,
    check_writable,
    exercise_path,
    publish,
)
from classroom.content.writer import Document, new_article, new_exercise, open_exercise

REPORT_1 = "la-detainers-report-1"
STEP = {"id": "reflect", "type": "short_answer", "prompt": "Why?", "model_answer": "Because."}


@pytest.fixture
def report_1(folder):
    """The path of a copy of report 1's exercise file, its text and its document."""
    path = folder / f"{REPORT_1}.yaml"
    return path, path.read_text(encoding="utf-8"), open_exercise(path)


def test_publishing_a_new_exercise_over_an_existing_one_is_refused(folder):
    document = new_exercise(folder, REPORT_1, title="Another", articles=[REPORT_1], tasks=[STEP])
    before = (folder / f"{REPORT_1}.yaml").read_bytes()
    with pytest.raises(Conflict, match="exists already"):
        publish(folder, [document.change()])
    assert (folder / f"{REPORT_1}.yaml").read_bytes() == before


def test_saving_over_a_file_changed_since_it_was_opened_is_refused(report_1):
    path, before, document = report_1
    document.set_field("title", "Mine")
    path.write_text(before.replace("report 1", "theirs"), encoding="utf-8")
    with pytest.raises(Conflict, match="changed since"):
        publish(path.parent, [document.change()])
    assert "theirs" in path.read_text(encoding="utf-8")


# --- names, paths and sizes ---------------------------------------------------------------------

BAD_IDS = [
    "../x",
    "x/y",
    "x\\y",
    "CON",
    "con",
    "lpt1",
    "",
    "a" * 65,
    "\u0435xercise",  # a Cyrillic е
    "ｘ",  # a fullwidth x
    "exercise\n",
    "x.yaml",
    ".hidden",
    "-x",
    "x y",
    "a:b",
]


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_ids_that_are_not_plain_names_are_refused_with_the_rule(tmp_path, bad):
    with pytest.raises(BadName, match="lowercase letters"):
        exercise_path(tmp_path, bad)
    with pytest.raises(BadName, match="lowercase letters"):
        article_paths(tmp_path, bad)


@pytest.mark.parametrize("good", ["riverton-library", "a", "report_2", "9-lives", "a" * 64])
def test_plain_ids_name_files_inside_the_folder(tmp_path, good):
    assert exercise_path(tmp_path, good) == tmp_path.resolve() / f"{good}.yaml"
    assert article_paths(tmp_path, good) == (
        tmp_path.resolve() / "articles" / f"{good}.txt",
        tmp_path.resolve() / "articles" / f"{good}.yaml",
    )


def test_a_link_that_leads_out_of_the_folder_is_refused(tmp_path):
    folder, outside = tmp_path / "exercises", tmp_path / "elsewhere"
    folder.mkdir()
    outside.mkdir()
    (folder / "linked.yaml").symlink_to(outside / "linked.yaml")
    (folder / "articles").symlink_to(outside)
    with pytest.raises(BadName, match="outside the exercises folder"):
        exercise_path(folder, "linked")
    with pytest.raises(BadName, match="outside the exercises folder"):
        article_paths(folder, "anything")


def test_an_article_past_the_size_limit_is_refused_with_the_sizes(tmp_path):
    at_limit = "x" * MAX_ARTICLE_BYTES
    new_article(tmp_path, "long", at_limit)
    with pytest.raises(TooLarge, match="the article is 201 KB; the limit is 200 KB"):
        new_article(tmp_path, "long", at_limit + "x")


def test_an_exercise_file_past_the_size_limit_is_refused_on_opening_and_on_saving(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("title: " + "x" * MAX_YAML_BYTES + "\n", encoding="utf-8")
    with pytest.raises(TooLarge, match="big.yaml is 251 KB; the limit is 250 KB"):
        open_exercise(big)
    document = Document('title: "x"\n', path=tmp_path / "grown.yaml")
    document.set_field("summary", "y" * MAX_YAML_BYTES)
    with pytest.raises(TooLarge, match="grown.yaml"):
        publish(tmp_path, [document.change()])
    assert not (tmp_path / "grown.yaml").exists()


# --- writing: atomic, or a clear reason and a download ------------------------------------------


def test_a_write_replaces_the_file_in_one_step_and_leaves_no_temporary_file(report_1, monkeypatch):
    path, before, document = report_1
    document.set_field("title", "Replaced whole")
    expected = document.dump_bytes()
    seen = []
    real_replace = os.replace

    def replace(source, target):
        # what a reader opening the file just before the swap would see, and what is swapped in
        seen.append((Path(target).read_bytes(), Path(source).read_bytes()))
        real_replace(source, target)

    monkeypatch.setattr(publish_module.os, "replace", replace)
    listing = sorted(p.name for p in path.parent.iterdir())
    publish(path.parent, [document.change()])
    assert seen == [(before.encode("utf-8"), expected)]
    assert path.read_bytes() == expected
    assert sorted(p.name for p in path.parent.iterdir()) == listing


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(report_1, monkeypatch):
    path, before, document = report_1
    document.set_field("title", "Never written")

    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish_module.os, "fsync", no_space)
    listing = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(NotWritable, match="No space left on device"):
        publish(path.parent, [document.change()])
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in path.parent.iterdir()) == listing


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_is_readable_by_all(report_1):
    path, _, document = report_1
    path.chmod(0o640)
    document.set_field("title", "Same mode")
    [text_change, meta_change] = new_article(path.parent, "fresh", "Fresh text.\n")
    publish(path.parent, [document.change(), text_change, meta_change])
    assert path.stat().st_mode & 0o777 == 0o640
    assert text_change.path.stat().st_mode & 0o777 == 0o644


def test_a_folder_under_a_file_is_not_writable_and_says_why(tmp_path):
    # Tests run as root, for whom chmod does not stop a write: a folder whose parent is a file
    # cannot exist, so creating anything in it fails for root too.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file\n")
    folder = blocker / "exercises"
    document = new_exercise(folder, "one", title="One", articles=["one"], tasks=[STEP])
    with pytest.raises(NotWritable) as caught:
        check_writable(folder)
    assert "not-a-folder" in str(caught.value) and caught.value.reason
    with pytest.raises(NotWritable):
        publish(folder, [document.change()])


def test_a_folder_the_app_may_not_write_to_is_not_writable_and_says_why(tmp_path, monkeypatch):
    # os.access is what answers for another account; as root the tests mock its answer.
    monkeypatch.setattr(publish_module.os, "access", lambda path, mode: False)
    with pytest.raises(NotWritable, match="the app may not write to"):
        check_writable(tmp_path)


def test_the_files_not_written_come_as_a_zip_to_unpack_beside_the_exercises_folder(tmp_path):
    folder = tmp_path / "exercises"
    document = new_exercise(folder, "one", title="One", articles=["one"], tasks=[STEP])
    changes = [*new_article(folder, "one", "The text.\n"), document.change()]
    archive = zipfile.ZipFile(io.BytesIO(as_zip(folder, changes)))
    assert archive.namelist() == [
        "exercises/articles/one.txt",
        "exercises/articles/one.yaml",
        "exercises/one.yaml",
    ]
    assert [archive.read(name) for name in archive.namelist()] == [c.data for c in changes]
