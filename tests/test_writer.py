"""The files the authoring studio writes: saved unchanged, a file stays byte for byte the same;
an edit touches only its own lines and keeps every comment; new files are in the documented
format and pass the check."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from classroom.content import writer
from classroom.content.loader import check_paths
from classroom.content.publish import article_paths, publish
from classroom.content.scaffold import EXERCISE_TEMPLATE
from classroom.content.writer import new_article, new_exercise, open_exercise

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "exercises").glob("*.yaml")) + sorted(
    (ROOT / "exercises" / "articles").glob("*.yaml")
)
GUIDE = ROOT / "docs" / "authoring.md"  # read by the tests, not when they are collected
REPORT_1 = "la-detainers-report-1"


def guide_file(name: str) -> str:
    """A file of the authoring guide's complete example, as the guide prints it."""
    guide = GUIDE.read_text(encoding="utf-8")
    match = re.search(rf"`exercises/{re.escape(name)}`:\n\n```\w+\n(.*?)```", guide, re.S)
    assert match, f"the guide has no file {name}"
    return match.group(1)


def hunks(before: str, after: str) -> list[tuple[int, list[str], list[str]]]:
    """What changed from before to after: (line in before, lines removed, lines added)."""
    old, new = before.splitlines(), after.splitlines()
    return [
        (i1 + 1, old[i1:i2], new[j1:j2])
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, False).get_opcodes()
        if tag != "equal"
    ]


def line_of(text: str, fragment: str, after: int = 0) -> int:
    """The number of the first line from line `after` on that contains fragment."""
    for number, line in enumerate(text.splitlines(), 1):
        if number > after and fragment in line:
            return number
    raise AssertionError(f"{fragment!r} is not in the text")


def item_lines(text: str, line: int, backwards: bool = False) -> list[str]:
    """The lines of the key item (or list element) that starts at line, or, backwards, that
    ends at line: up to the next element, blank line or comment (its lines may grow fields,
    such as core and group)."""
    lines = text.splitlines()
    if backwards:
        first = line - 1
        while not lines[first].lstrip().startswith("- "):
            first -= 1
        return lines[first:line]
    last = line
    while (
        last < len(lines) and lines[last].strip() and lines[last].lstrip()[:2] not in ("- ", "# ")
    ):
        last += 1
    return lines[line - 1 : last]


def comments(text: str) -> list[str]:
    """Every comment of a YAML text, in order (none of our texts has ' #' inside quotes)."""
    return [m.group(0) for m in re.finditer(r"(?:^|\s)#.*$", text, re.M)]


def problems_of(path: Path) -> list[str]:
    """The check command's problems for one file, as it prints them."""
    checked, problems = check_paths([path])
    assert checked == 1
    return [str(p) for p in problems]


def open_exercise_text(folder: Path, text: str) -> str:
    """The text as a document opened from a file holding it dumps it."""
    path = folder / "again.yaml"
    path.write_text(text, encoding="utf-8")
    return open_exercise(path).dump()


# --- saving unchanged --------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_saved_unchanged_is_byte_identical(path):
    document = open_exercise(path)
    assert document.dump().encode("utf-8") == path.read_bytes()
    assert document.tidied() == []


@pytest.mark.parametrize(
    "name",
    ["riverton-library.yaml", "articles/riverton-library.yaml", None],
    ids=["guide-exercise", "guide-article", "scaffold"],
)
def test_the_guides_example_and_the_scaffold_saved_unchanged_are_byte_identical(tmp_path, name):
    text = guide_file(name) if name else EXERCISE_TEMPLATE.format(id="council-budget")
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    assert open_exercise(path).dump() == text


@pytest.mark.parametrize(
    "text",
    [
        'title: "x"\ntasks:\n- id: a\n  type: highlight\n- id: b\n',  # dashes at the key's column
        'title: "x"\ntasks:\n    - id: a\n      categories:\n          - one\n',  # four spaces
        'title: "x"\r\ntasks:\r\n  - id: a\r\n',  # Windows line ends
        '\ufefftitle: "x"\n',  # a byte order mark
        'title: "x"\ntasks:\n  - id: a',  # no newline at the end
    ],
    ids=["offset-0", "indent-4", "crlf", "bom", "no-final-newline"],
)
def test_hand_written_layouts_saved_unchanged_are_byte_identical(tmp_path, text):
    path = tmp_path / "hand.yaml"
    path.write_bytes(text.encode("utf-8"))
    document = open_exercise(path)
    assert document.dump_bytes() == path.read_bytes()
    assert document.tidied() == []


def test_what_cannot_round_trip_is_named_by_line_before_saving(tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_text('title:   "x"\nsummary: ~\narticles: [ a ]\ntasks: []\n', encoding="utf-8")
    assert open_exercise(path).tidied() == [1, 2, 3]


# --- edits touch only their lines ---------------------------------------------------------------


@pytest.fixture
def report_1(folder):
    """The path of a copy of report 1's exercise file, its text and its document."""
    path = folder / f"{REPORT_1}.yaml"
    return path, path.read_text(encoding="utf-8"), open_exercise(path)


def test_setting_the_title_changes_only_its_line(report_1):
    path, before, document = report_1
    document.set_field("title", "LA jails and ICE: report 1")
    after = document.dump()
    assert hunks(before, after) == [
        (2, [before.splitlines()[1]], ['title: "LA jails and ICE: report 1"'])
    ]
    path.write_text(after, encoding="utf-8")
    assert problems_of(path) == []


def test_a_new_value_keeps_the_comment_on_its_line():
    before = guide_file("riverton-library.yaml")
    document = writer.Document(before)
    document.set_field("title", "A library closes")
    [(line, [old], [new])] = hunks(before, document.dump())
    assert new.startswith('title: "A library closes" ')
    assert new.endswith("# students see this in their list")
    assert new.index("#") == old.index("#")  # the comment stays in its column


def test_a_folded_instruction_stays_folded_and_wrapped():
    before = EXERCISE_TEMPLATE.format(id="council-budget")
    document = writer.Document(before)
    instruction = "Highlight every number you cannot check. " * 5
    document.set_task_field("statistics", "instruction", instruction.strip())
    after = document.dump()
    start = line_of(before, "Highlight every number")
    [(line, removed, added)] = hunks(before, after)
    assert (line, len(removed)) == (start, 1)
    assert all(a.startswith("      ") and len(a) <= 100 for a in added) and len(added) > 1
    statistics = yaml.safe_load(after)["tasks"][1]
    assert statistics["instruction"] == instruction.strip()


def test_a_text_that_yaml_would_misread_is_quoted():
    document = writer.Document("title: Plain\n")
    document.set_field("title", "no")
    document.set_field("summary", "Numbers: 25,000 # not a comment")
    assert yaml.safe_load(document.dump()) == {
        "title": "no",
        "summary": "Numbers: 25,000 # not a comment",
    }


STYLED = """\
title: "double-quoted"
summary: plain
tasks:
  - id: step
    instruction: >-
      folded
      over lines
    model_answer: |-
      literal
"""


@given(st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=200))
def test_any_text_set_in_any_style_is_read_back_by_the_loader_as_written(text):
    document = writer.Document(STYLED)
    document.set_field("title", text)
    document.set_field("summary", text)
    document.set_task_field("step", "instruction", text)
    document.set_task_field("step", "model_answer", text)
    document.set_task_field("step", "hint", text)
    read = yaml.safe_load(document.dump())
    assert (read["title"], read["summary"]) == (text, text)
    assert read["tasks"][0] == {
        "id": "step",
        **dict.fromkeys(("instruction", "hint"), text),
        "model_answer": text,
    }
    _, meta = new_article(Path("unused"), "a", "The text.\n", note=text, outlet=text)
    assert {k: yaml.safe_load(meta.data)[k] for k in ("note", "outlet")} == {
        "note": text,
        "outlet": text,
    }


def test_adding_a_key_item_at_the_end_of_a_step_inserts_its_lines_before_the_blank_line(
    report_1,
):
    path, before, document = report_1
    document.add_key_item(
        "loaded-language",
        {"why": "The sheriff’s words: “afraid” pictures fear.", "quote": "afraid"},
    )
    after = document.dump()
    blank = line_of(before, "- id: statistics") - 1
    assert hunks(before, after) == [
        (
            blank,
            [],
            [
                '      - quote: "afraid"',
                '        why: "The sheriff’s words: “afraid” pictures fear."',
            ],
        )
    ]
    path.write_text(after, encoding="utf-8")
    assert problems_of(path) == []


def test_adding_a_key_item_before_a_comment_keeps_the_comment_heading_the_next_group(folder):
    path = folder / "la-detainers-compare.yaml"
    before = path.read_text(encoding="utf-8")
    document = open_exercise(path)
    document.add_key_item(
        "compare-reports",
        {
            "article": "la-detainers-report-2",
            "quote": "Fox News",
            "category": "disagreement",
            "why": "Report 2 credits Fox News with the data.",
        },
        index=17,  # after the last 'disagreement' item, before '# --- only_here'
    )
    after = document.dump()
    header = line_of(before, "# --- only_here")
    assert hunks(before, after)[0][:2] == (header, [])
    assert comments(after) == comments(before)
    assert after.splitlines()[header + 3] == before.splitlines()[header - 1]


def test_updating_a_key_item_changes_adds_and_removes_only_those_lines(report_1):
    path, before, document = report_1
    quote = line_of(before, 'quote: "criminal illegal aliens"')  # with a prefix on the next line
    document.update_key_item(
        "loaded-language",
        1,
        {"why": "The writer’s label again.", "prefix": None, "check": "Count the labels."},
    )
    after = document.dump()
    lines = before.splitlines()  # the prefix and the why follow the quote
    assert hunks(before, after) == [
        (
            quote + 1,
            [lines[quote], lines[quote + 1]],
            ['        why: "The writer’s label again."', '        check: "Count the labels."'],
        )
    ]


def test_adding_a_suffix_puts_it_after_the_quote(report_1):
    _, before, document = report_1
    document.update_key_item("statistics", 2, {"suffix": " sanctuary city"})
    quote = line_of(before, 'quote: "than any other"')
    assert hunks(before, document.dump()) == [
        (quote + 1, [], ['        suffix: " sanctuary city"'])
    ]


def test_removing_a_key_item_before_a_comment_keeps_the_comment(folder):
    path = folder / "la-detainers-compare.yaml"
    before = path.read_text(encoding="utf-8")
    document = open_exercise(path)
    document.remove_key_item("compare-reports", 16)  # the last item before '# --- only_here'
    after = document.dump()
    header = line_of(before, "# --- only_here")
    start = header - len(item_lines(before, header - 1, backwards=True))
    # the item's lines and only those are gone (said as the text left, not as difflib's hunks:
    # the item ends with the same group line as the item before it, which makes the hunk
    # ambiguous)
    lines = before.splitlines()
    assert after.splitlines() == lines[: start - 1] + lines[header - 1 :]
    assert lines[start - 1].startswith("      - article:")
    path.write_text(after, encoding="utf-8")
    # the file still passes the check; the other side of the disagreement is left a group of one
    [warning] = problems_of(path)
    assert ": warning: group 'policy-summary' of task 'compare-reports' has only this" in warning


def test_removing_the_last_key_item_of_a_step_keeps_the_blank_line_after_it(report_1):
    path, before, document = report_1
    document.remove_key_item("loaded-language", -1)
    after = document.dump()
    start = line_of(before, 'quote: "willing subversion"')
    end = start + len(item_lines(before, start)) - 1
    assert hunks(before, after) == [(start, before.splitlines()[start - 1 : end], [])]


def test_removing_the_first_item_moves_the_comment_below_it_up():
    text = "tasks:\n  # heading\n  - id: a\n\n  # about b\n  - id: b\n"
    document = writer.Document(text)
    document.remove_task("a")
    assert document.dump() == "tasks:\n  # heading\n\n  # about b\n  - id: b\n"


def test_an_answer_key_keeps_at_least_one_item(report_1):
    _, _, document = report_1
    document.set_task_field("loaded-language", "key", [{"quote": "slammed", "why": "A verb."}])
    with pytest.raises(ValueError, match="at least one"):
        document.remove_key_item("loaded-language", 0)


CHOICE = {
    "id": "where-from",
    "type": "choice",
    "prompt": "Who obtained the data?",
    "options": [
        {"text": "The Washington Examiner", "correct": True, "feedback": "Right."},
        {"text": "The sheriff", "feedback": "No: he refused the requests."},
    ],
}


def test_adding_a_choice_step_at_the_end_adds_its_lines_after_a_blank_line(report_1):
    path, before, document = report_1
    document.add_task(CHOICE)
    after = document.dump()
    end = len(before.splitlines())
    assert hunks(before, after) == [
        (
            end + 1,
            [],
            [
                "",
                "  - id: where-from",
                "    type: choice",
                '    prompt: "Who obtained the data?"',
                "    options:",
                '      - text: "The Washington Examiner"',
                "        correct: true",
                '        feedback: "Right."',
                '      - text: "The sheriff"',
                '        feedback: "No: he refused the requests."',
            ],
        )
    ]
    path.write_text(after, encoding="utf-8")
    assert problems_of(path) == []


def test_adding_a_step_between_two_keeps_a_blank_line_on_each_side(report_1):
    _, before, document = report_1
    document.add_task(CHOICE, index=1)
    after = document.dump()
    lines = before.splitlines(keepends=True)
    statistics = line_of(before, "- id: statistics")
    new = after.splitlines(keepends=True)[statistics - 1 : statistics + 9]
    assert new[0] == "  - id: where-from\n" and new[-1] == "\n"
    assert after == "".join(lines[: statistics - 1] + new + lines[statistics - 1 :])


def test_removing_a_step_removes_its_lines_and_one_blank_line(report_1):
    path, before, document = report_1
    document.remove_task("quiz")
    after = document.dump()
    lines = before.splitlines(keepends=True)
    start, end = line_of(before, "- id: quiz"), line_of(before, "- id: reflect")
    assert after == "".join(lines[: start - 1] + lines[end - 1 :])  # its lines and a blank one
    path.write_text(after, encoding="utf-8")
    assert problems_of(path) == []


def test_moving_a_step_moves_its_lines_and_moving_it_back_gives_the_file_back(report_1):
    path, before, document = report_1
    document.move_task("quiz", 0)
    after = document.dump()
    lines = before.splitlines(keepends=True)
    first, quiz = line_of(before, "- id: loaded-language"), line_of(before, "- id: quiz")
    reflect = line_of(before, "- id: reflect")
    moved = lines[quiz - 1 : reflect - 1]  # its lines and the blank line after them
    assert after == "".join(
        lines[: first - 1] + moved + lines[first - 1 : quiz - 1] + lines[reflect - 1 :]
    )
    path.write_text(after, encoding="utf-8")
    assert problems_of(path) == []
    document.move_task("quiz", 3)
    assert document.dump() == before


def test_moving_a_step_keeps_the_comments_between_steps_where_they_were(report_1):
    path, before, document = report_1
    commented = before.replace("  - id: quiz", "  # questions follow\n  - id: quiz")
    path.write_text(commented, encoding="utf-8")
    document = open_exercise(path)
    document.move_task("statistics", 4)
    after = document.dump()
    assert comments(after) == comments(commented)
    assert re.findall(r"^  - id: (\S+)", after, re.M) == [
        "loaded-language",
        "missing-context",
        "quiz",
        "reflect",
        "statistics",
    ]
    assert "\n\n  # questions follow\n  - id: quiz" in after
    path.write_text(after, encoding="utf-8")
    assert problems_of(path) == []


def test_an_edit_names_a_step_that_is_not_there(report_1):
    _, _, document = report_1
    with pytest.raises(KeyError, match="no step 'nope'"):
        document.set_task_field("nope", "hint", "x")


# --- new files in the documented format ---------------------------------------------------------


def test_a_new_exercise_is_the_guides_complete_example_line_for_line(tmp_path):
    guide = guide_file("riverton-library.yaml")
    data = yaml.safe_load(guide)
    document = new_exercise(tmp_path, "riverton-library", **data)
    written = document.dump()

    def content(text):
        lines = (re.sub(r"\s{2,}# .*$", "", line) for line in text.splitlines())
        return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]

    assert content(written) == content(guide)
    assert written.startswith(
        "# yaml-language-server: $schema=../classroom/content/exercise.schema.json\n"
    )
    assert written.count("\n\n  - id: ") == len(data["tasks"]) - 1 and not written.endswith("\n\n")
    assert open_exercise_text(tmp_path, written) == written


def test_a_new_exercises_own_categories_are_written_as_the_guide_shows(tmp_path):
    text = GUIDE.read_text(encoding="utf-8")
    guide = re.search(r"### Your own categories.*?```yaml\n(.*?)```", text, re.S).group(1)
    categories = yaml.safe_load(guide)["categories"]
    document = new_exercise(
        tmp_path, "two", title="Two", articles=["a", "b"], categories=categories, tasks=[CHOICE]
    )
    assert guide in document.dump()


def test_a_new_article_is_the_guides_example_byte_for_byte(tmp_path):
    meta = yaml.safe_load(guide_file("articles/riverton-library.yaml"))
    text = guide_file("articles/riverton-library.txt")
    text_change, meta_change = new_article(tmp_path, "riverton-library", text, **meta)
    assert text_change.data == text.encode("utf-8")
    assert meta_change.data.decode("utf-8") == guide_file("articles/riverton-library.yaml")
    assert (text_change.path, meta_change.path) == article_paths(tmp_path, "riverton-library")


def test_a_long_note_is_folded_as_in_the_shipped_articles(tmp_path):
    shipped = ROOT / "exercises" / "articles" / f"{REPORT_1}.yaml"
    meta = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    _, meta_change = new_article(tmp_path, REPORT_1, "Text.\n", **meta)
    written = meta_change.data.decode("utf-8")
    assert yaml.safe_load(written) == meta
    assert "note: >-\n" in written
    assert max(len(line) for line in written.splitlines()) <= 100


def test_a_published_new_exercise_passes_the_check_command(tmp_path, make_app):
    folder = tmp_path / "exercises"
    folder.mkdir()
    data = yaml.safe_load(guide_file("riverton-library.yaml"))
    article = guide_file("articles/riverton-library.txt")
    changes = [
        *new_article(folder, "riverton-library", article, title="Council Axes Beloved Library"),
        new_exercise(folder, "riverton-library", **data).change(),
    ]
    written = publish(folder, changes)
    assert written == [c.path for c in changes]
    app = make_app(tmp_path, EXERCISES_DIR=str(folder))
    result = app.test_cli_runner().invoke(args=["exercises", "check"])
    assert result.exit_code == 0, result.output
    assert "1 file(s) checked: 0 error(s), 0 warning(s); all good" in result.output
