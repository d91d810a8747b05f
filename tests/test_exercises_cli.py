"""flask exercises check / new / export, as an author uses them."""

from __future__ import annotations

import json
import re

import pytest

ARTICLE = """City Council Blasts Budget Plan

The council slammed the mayor's budget on Tuesday, warning it would hurt countless families.

"This plan is a disaster," said council member Ruth Diaz.
"""


@pytest.fixture
def author(tmp_path, folder, make_app):
    """A CLI runner and app on a copy of the exercises folder."""
    app = make_app(tmp_path, EXERCISES_DIR=str(folder), WTF_CSRF_ENABLED=False)
    return app, app.test_cli_runner()


def test_check_passes_the_seed_exercises(runner):
    result = runner.invoke(args=["exercises", "check"])
    assert result.exit_code == 0, result.output
    assert "3 file(s) checked: 0 error(s), 0 warning(s); all good" in result.output


def test_check_reports_file_line_column_and_exits_1(author, folder):
    app, runner = author
    broken = folder / "broken.yaml"
    broken.write_text(
        "title: Broken\n"
        "articles: [la-detainers-report-1]\n"
        "tasks:\n"
        "  - id: one\n"
        "    type: highlight\n"
        "    article: la-detainers-report-1\n"
        "    categories: [loaded_language]\n"
        "    instructoin: Find it.\n"
        "    key:\n"
        "      - quote: Sheriff's commitment\n"
        "        why: A label.\n"
    )
    result = runner.invoke(args=["exercises", "check", str(broken)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "exercises/broken.yaml:8:18: error: unknown field 'instructoin' in task 'one'" in lines
    assert "    hint: did you mean 'instruction'?" in lines
    assert any(
        re.match(
            r"exercises/broken.yaml:10:\d+: error: .*Sheriff's commitment.* is not in "
            r"the article; closest passage \(line \d+\): .Sheriff’s commitment",
            line,
        )
        for line in lines
    ), result.output
    assert "    hint: the quote has \"'\" (apostrophe) where the article has '’'" in result.output
    assert lines[-1] == "1 file(s) checked: 3 error(s), 0 warning(s) in 1 file(s)"


def test_check_of_a_folder_names_only_the_broken_file(author, folder):
    app, runner = author
    (folder / "bad.yaml").write_text("title: [unclosed\n")
    result = runner.invoke(args=["exercises", "check", str(folder)])
    assert result.exit_code == 1
    assert "exercises/bad.yaml:1:8: error: YAML syntax" in result.output
    assert "4 file(s) checked: 1 error(s)" in result.output
    assert "la-detainers" not in result.output


def fill_in(path, article_text):
    """What an author does with the scaffold: replace every TODO with real content."""
    text = path.read_text()
    replacements = [
        ("TODO: a short title students see", "Budget row"),
        ("TODO: one sentence on what students practise", "Spot loaded words and vague numbers."),
    ]
    for old, new in replacements:
        text = text.replace(old, new)
    quotes = iter(["slammed", "countless families", "on Tuesday"])
    text = re.sub(
        r'"TODO: the exact words from the article"', lambda _: json.dumps(next(quotes)), text
    )
    text = re.sub(r'"TODO: [^"]*"', '"Written by the author."', text)
    path.write_text(text)
    for quote in ("slammed", "countless families", "on Tuesday"):
        assert quote in article_text


def test_new_then_fill_in_then_check_then_a_student_completes_it(
    author, folder, tmp_path, password, make_class
):
    app, runner = author
    source = tmp_path / "City Budget.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(args=["exercises", "new", str(source)])
    assert result.exit_code == 0, result.output
    exercise_file = folder / "city-budget.yaml"
    assert (folder / "articles" / "city-budget.txt").read_bytes() == source.read_bytes()
    assert (
        "City Council Blasts Budget Plan" in (folder / "articles" / "city-budget.yaml").read_text()
    )

    unfinished = runner.invoke(args=["exercises", "check", str(exercise_file)])
    assert unfinished.exit_code == 1 and "still says TODO" in unfinished.output

    fill_in(exercise_file, ARTICLE)
    checked = runner.invoke(args=["exercises", "check", str(exercise_file)])
    assert checked.exit_code == 0, checked.output

    again = runner.invoke(args=["exercises", "new", str(source)])
    assert again.exit_code != 0 and "exists already" in again.output

    klass = make_class(app, ["ada"], name="C", teacher=("t", "T"), assign=["city-budget"])
    assignment = klass["assignments"]["city-budget"]
    client = app.test_client()
    client.post("/login", data={"username": "ada", "password": password})
    assert b"Budget row" in client.get(f"/assignments/{assignment}").data
    start = ARTICLE.index("slammed")
    highlight = {
        "article": "city-budget",
        "start": start,
        "end": start + 7,
        "quote": "slammed",
        "category": "loaded_language",
        "note": "a verb that judges",
    }
    response = client.post(
        f"/assignments/{assignment}/submit",
        data={"highlights": json.dumps([highlight]), "answer-reflect": "Who says so?"},
    )
    feedback = client.get(response.location).get_data(as_text=True)
    assert "Found" in feedback and "Missed" in feedback and "Who says so?" in feedback


def test_export_gives_offsets_and_web_annotation_targets(runner, exercises_dir):
    result = runner.invoke(args=["exercises", "export"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["format"] == "classroom-exercises/1"
    assert [e["id"] for e in data["exercises"]] == sorted(
        p.stem for p in exercises_dir.glob("*.yaml")
    )
    items = 0
    for exercise in data["exercises"]:
        assert re.fullmatch(r"[0-9a-f]{12}", exercise["version"])
        texts = {a["id"]: a["text"] for a in exercise["articles"]}
        for task in exercise["tasks"]:
            for item in task.get("key", []):
                items += 1
                text = texts[item["article"]]
                assert text[item["start"] : item["end"]] == item["quote"]
                assert item["category"] in exercise["categories"] and item["explanation"]
                quote_selector, position = item["target"]["selector"]
                assert quote_selector == {
                    "type": "TextQuoteSelector",
                    "exact": item["quote"],
                    "prefix": text[max(0, item["start"] - 32) : item["start"]],
                    "suffix": text[item["end"] : item["end"] + 32],
                }
                assert position == {
                    "type": "TextPositionSelector",
                    "start": item["start"],
                    "end": item["end"],
                }
    assert items > 100
