"""Each task type's editor in the studio, as plain data: how a new step starts, the form's values
of a step and the step they make again, and what the editor refuses, by field. No app."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from classroom.content import studio, studio_steps
from classroom.content.tasks import TASK_TYPES
from classroom.content.tasks.editor import StepContext, unique_id

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
SHIPPED_TASKS = [
    (path.stem, task)
    for path in sorted(EXERCISES.glob("*.yaml"))
    for task in yaml.safe_load(path.read_text(encoding="utf-8"))["tasks"]
]
TWO = StepContext(
    articles=(("report-1", "Report 1"), ("report-2", "Report 2")),
    categories=(("loaded_language", "Loaded language"), ("missing_context", "Missing context")),
    taken_ids=("loaded-language",),
    instructions=studio.DEFAULT_INSTRUCTIONS,
    hints=studio.DEFAULT_HINTS,
    category_step_ids=studio.STEP_IDS,
)
ONE = StepContext(articles=TWO.articles[:1], categories=TWO.categories)


def test_every_task_type_has_an_editor_with_a_step_id_and_its_template():
    templates = Path(__file__).resolve().parent.parent / "templates" / "tasks" / "editor"
    for name, cls in TASK_TYPES.items():
        assert cls.editor_fields[0].name == "id", name
        assert all(f.label for f in cls.editor_fields), name
        assert (templates / f"{name}.html").is_file(), name


@pytest.mark.parametrize(
    "exercise, task", SHIPPED_TASKS, ids=lambda t: getattr(t, "get", str)("id")
)
def test_a_shipped_step_saved_through_its_form_unchanged_is_the_same_step(exercise, task):
    task = {k: v for k, v in task.items() if k != "key"}
    cls = TASK_TYPES[task["type"]]
    values = cls.editor_values(task)
    assert cls.edited_task(values, task) == task


def test_a_highlight_step_starts_with_the_studios_words_for_its_category():
    step = TASK_TYPES["highlight"].new_step(TWO, "loaded_language")
    assert step == {
        "id": "loaded-language-2",  # loaded-language is taken
        "type": "highlight",
        "article": "report-1",
        "categories": ["loaded_language"],
        "instruction": studio.DEFAULT_INSTRUCTIONS["loaded_language"],
        "hint": studio.DEFAULT_HINTS["loaded_language"],
    }
    starts = TASK_TYPES["highlight"].editor_starts(TWO)
    assert starts == [
        ("loaded_language", "Highlight: Loaded language"),
        ("missing_context", "Highlight: Missing context"),
    ]


def test_a_compare_step_needs_two_articles_and_starts_with_the_first_two():
    compare = TASK_TYPES["compare"]
    assert compare.editor_starts(ONE) == []
    assert "needs two articles" in compare.editor_needs(ONE)
    step = compare.new_step(TWO, "missing_context")
    assert step["articles"] == ["report-1", "report-2"] and step["id"] == "compare-missing-context"
    assert step["instruction"].startswith("Read the two articles side by side.")


@pytest.mark.parametrize(
    "name, field",
    [("choice", "prompt"), ("select_all", "prompt"), ("short_answer", "prompt")],
)
def test_a_question_starts_with_a_sensible_prompt_and_hint(name, field):
    step = TASK_TYPES[name].new_step(ONE)
    assert step["id"] == name.replace("_", "-") and step["type"] == name
    assert step[field].endswith("?") or "Tick every one" in step[field]
    assert step["hint"] and "TODO" not in step[field]


def test_a_short_answer_guides_the_model_answer_with_a_placeholder():
    fields = {f.name: f for f in TASK_TYPES["short_answer"].editor_fields}
    assert "primary source" in fields["model_answer"].placeholder
    assert fields["model_answer"].required and fields["key_points"].kind == "lines"


def test_the_form_values_become_the_file_s_fields():
    cls = TASK_TYPES["choice"]
    values = cls.editor_values(cls.new_step(ONE)) | {
        "prompt": "  Who counted the 25,000?\r\n",
        "options": [
            {"text": "ICE", "correct": True, "feedback": "Right: ICE sent the requests."},
            {"text": "", "correct": False, "feedback": ""},  # a blank row: left out
            {"text": "The sheriff", "correct": False, "feedback": ""},
        ],
        "points": "2",
    }
    assert cls.editor_errors(values, ONE) == {}
    task = cls.edited_task(values, cls.new_step(ONE))
    assert task["prompt"] == "Who counted the 25,000?" and task["points"] == 2
    assert task["options"] == [
        {"text": "ICE", "correct": True, "feedback": "Right: ICE sent the requests."},
        {"text": "The sheriff", "correct": False},
    ]
    short = TASK_TYPES["short_answer"]
    written = short.edited_task(
        short.editor_values(short.new_step(ONE))
        | {"model_answer": "I would check it.", "key_points": "One point\r\n\r\n  Another \n"},
        short.new_step(ONE),
    )
    assert written["key_points"] == ["One point", "Another"]


def test_a_field_left_as_the_file_means_it_keeps_the_file_s_own_words():
    task = {
        "id": "find",
        "type": "highlight",
        "article": "report-1",
        "instruction": "Find them. ",
        "points": 1,
    }
    cls = TASK_TYPES["highlight"]
    values = cls.editor_values(task)
    assert values["categories"] == ["loaded_language", "unverified_statistic", "missing_context"]
    assert values["points"] == "1"
    assert cls.edited_task(values | {"points": "1.0"}, task) == task  # no categories written
    changed = cls.edited_task(values | {"categories": ["loaded_language"], "points": ""}, task)
    assert changed["categories"] == ["loaded_language"] and "points" not in changed


@pytest.mark.parametrize(
    "name, changes, field, message",
    [
        ("choice", {"id": "Step 1"}, "id", "lowercase letters"),
        ("choice", {"id": "loaded-language"}, "id", "Another step is called 'loaded-language'"),
        ("choice", {"id": ""}, "id", "Fill in 'Step id'"),
        ("choice", {"prompt": " "}, "prompt", "Fill in 'Question'"),
        ("choice", {"points": "lots"}, "points", "Points are a number"),
        ("choice", {"points": "-1"}, "points", "Points are a number"),
        ("choice", {"options": [{"text": "Only one", "correct": True}]}, "options", "at least two"),
        (
            "choice",
            {"options": [{"text": "A"}, {"text": "B"}]},
            "options",
            "Tick the right answer",
        ),
        (
            "choice",
            {"options": [{"text": "A", "correct": True}, {"text": "B", "correct": True}]},
            "options",
            "2 options are ticked correct",
        ),
        (
            "choice",
            {"options": [{"text": "A", "correct": True}, {"feedback": "Why not"}, {"text": "B"}]},
            "options",
            "Option 2 has no text",
        ),
        (
            "choice",
            {"options": [{"text": "A", "correct": True, "feedback": "x" * 2001}, {"text": "B"}]},
            "options",
            "Option 1's feedback is over 2000 characters",
        ),
        ("select_all", {"options": [{"text": "A"}, {"text": "B"}]}, "options", "Tick the right"),
        ("short_answer", {"model_answer": ""}, "model_answer", "Fill in 'Model answer'"),
        ("highlight", {"categories": []}, "categories", "Choose categories"),
        ("highlight", {"categories": ["nope"]}, "categories", "no category 'nope'"),
        ("highlight", {"article": "elsewhere"}, "article", "no article 'elsewhere'"),
        ("highlight", {"instruction": "x" * 2001}, "instruction", "At most 2000 characters"),
        ("compare", {"articles": ["report-1"]}, "articles", "at least two articles"),
    ],
)
def test_what_an_editor_refuses_is_said_beside_its_field(name, changes, field, message):
    cls = TASK_TYPES[name]
    good = cls.editor_values(cls.new_step(TWO, "loaded_language")) | {"id": "mine"}
    if "options" in good:
        good["options"] = [{"text": "A", "correct": True}, {"text": "B"}]
    if name == "short_answer":
        good["model_answer"] = "A model answer."
    assert cls.editor_errors(good, TWO) == {}
    errors = cls.editor_errors(good | changes, TWO)
    assert list(errors) == [field] and any(message in m for m in errors[field]), errors


def test_several_correct_options_are_fine_where_students_may_choose_several():
    cls = TASK_TYPES["choice"]
    values = cls.editor_values(cls.new_step(ONE)) | {
        "multiple": True,
        "options": [{"text": "A", "correct": True}, {"text": "B", "correct": True}, {"text": "C"}],
    }
    assert cls.editor_errors(values, ONE) == {}
    assert cls.edited_task(values, cls.new_step(ONE))["multiple"] is True


def test_a_step_id_is_made_unique():
    assert unique_id("choice", ["choice", "choice-2"]) == "choice-3"
    assert unique_id("Select All!", []) == "select-all"


# --- the draft's steps --------------------------------------------------------------------------

TEXT = "The mayor blasted the plan. Officials said it would cost 40 percent more."


def draft_with_key() -> dict:
    draft = studio.new_draft("Plan", TEXT, "plan")
    blasted = TEXT.index("blasted")
    officials = TEXT.index("Officials said")
    draft["key"] = [
        {"task": "loaded-language", "article": "plan", "start": blasted, "end": blasted + 7}
        | {"category": "loaded_language", "why": "Emotive.", "check": ""},
        {"task": "missing-context", "article": "plan", "start": officials}
        | {"end": officials + 14, "category": "missing_context", "why": "Who?", "check": ""},
    ]
    return draft


def test_a_removed_steps_items_wait_for_a_step_and_a_new_step_picks_them_up():
    draft = studio_steps.removed(draft_with_key(), 0)
    assert [t["id"] for t in draft["tasks"]] == ["statistics", "missing-context"]
    assert [k["task"] for k in draft["key"]] == [None, "missing-context"]
    problems = studio.problems("plan", draft)
    assert any(p["field"] == "key:0" and "no step asks" in p["message"] for p in problems)
    draft, index = studio_steps.added(draft, "highlight:loaded_language")
    assert index == 2 and draft["tasks"][2]["id"] == "loaded-language"
    assert [k["task"] for k in draft["key"]] == ["loaded-language", "missing-context"]


def test_a_renamed_step_keeps_its_key_items_and_a_moved_one_its_place():
    draft = draft_with_key()
    cls = TASK_TYPES["highlight"]
    values = cls.editor_values(draft["tasks"][2]) | {"id": "gaps"}
    draft, errors = studio_steps.saved(draft, 2, values)
    assert errors == {} and draft["key"][1]["task"] == "gaps"
    draft, to = studio_steps.moved(draft, 2, -1)
    assert to == 1 and [t["id"] for t in draft["tasks"]] == [
        "loaded-language",
        "gaps",
        "statistics",
    ]
    assert studio_steps.moved(draft, 0, -1)[1] == 0  # the first goes no further up
    assert [k["task"] for k in draft["key"]] == ["loaded-language", "gaps"]


def test_a_save_with_errors_changes_nothing_and_says_what():
    draft = draft_with_key()
    cls = TASK_TYPES["highlight"]
    values = cls.editor_values(draft["tasks"][0]) | {"id": "statistics"}
    saved, errors = studio_steps.saved(draft, 0, values)
    assert saved is None and "Another step is called 'statistics'" in errors["id"][0]


def test_the_menu_offers_every_type_and_says_what_compare_needs():
    menu = studio_steps.menu(draft_with_key())
    kinds = [choice.split(":")[0] for choice, _ in menu["starts"]]
    assert set(kinds) == set(TASK_TYPES) - {"compare"}
    assert menu["needs"] == [TASK_TYPES["compare"].editor_needs(ONE)]
    two = studio_steps.with_article(
        draft_with_key(), {"id": "other", "text": "More.", "title": "B"}
    )
    assert "compare:loaded_language" in dict(studio_steps.menu(two)["starts"])
    with pytest.raises(studio.InvalidEdit, match="Choose one of the kinds"):
        studio_steps.added(draft_with_key(), "compare:loaded_language")
