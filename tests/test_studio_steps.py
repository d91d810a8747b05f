"""The studio's step editors: a step of every task type added, filled in its type's form and
checked as `exercises check` would; removed, moved, renamed, with the key items following; a
second article to compare with; published into a file that loads; teachers only, each on their
own drafts, CSRF on every form."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from classroom.content import studio
from classroom.content.tasks import TASK_TYPES
from classroom.db import get_db
from classroom.store import studio as store

ARTICLE = (Path(__file__).parent / "fixtures" / "millbrook-library.txt").read_text()
SECOND = (Path(__file__).parent / "fixtures" / "harbour-ferry.txt").read_text()
NEW = {
    "title": "Millbrook library hours",
    "outlet": "Millbrook Courier",
    "date": "2026-11-03",
    "source": "text",
    "text": ARTICLE,
}
FIRST = "millbrook-library-hours"
OTHER = {"title": "Ferry fares", "outlet": "Island Courier", "source": "text", "text": SECOND}
FILLED = {
    "choice": {
        "prompt": "Who is quoted without a name?",
        "options": [
            {"text": "Officials", "correct": True, "feedback": "Right: no name, no office."},
            {"text": "Councillor Dana Whitfield", "feedback": "She is named."},
        ],
    },
    "select_all": {
        "prompt": "Which are the writer's own judgements? Tick every one that applies.",
        "options": [
            {"text": "blasted", "correct": True, "feedback": "A verb that judges."},
            {"text": "countless families", "correct": True, "feedback": "Nobody counted."},
            {"text": "Officials said", "feedback": "A vague source, not a judgement."},
        ],
    },
    "short_answer": {
        "model_answer": "I would check the 40 percent with the library's own budget figures.",
        "key_points": "Names a claim\nNames where to check it",
    },
    "highlight": {"article": "ferry-fares"},  # loaded language in the first has its step
    "compare": {},
}


@pytest.fixture
def teacher(app, school, client_of):
    return client_of(app, school["teacher"])


def start(client) -> int:
    response = client.post("/author/studio/new", data=NEW)
    assert response.status_code == 302, response.text
    return int(response.location.rsplit("/", 1)[1])


def stored(app, draft_id: int) -> dict:
    with app.app_context():
        row = next(get_db().query("select * from studio_drafts where id = ?", [draft_id]))
    return {**row, "draft": json.loads(row["draft"])}


def posted(values: dict, was: str) -> dict:
    """The form post of a step's values, as the browser sends it (line ends as CRLF)."""
    values = json.loads(json.dumps(values).replace("\\n", "\\r\\n"))
    data = {"step-was": was}
    for name, value in values.items():
        if name == "options":
            for i, option in enumerate(value):
                data[f"step-options-{i}-text"] = option.get("text", "")
                data[f"step-options-{i}-feedback"] = option.get("feedback", "")
                if option.get("correct"):
                    data[f"step-options-{i}-correct"] = "y"
        elif value is True:
            data[f"step-{name}"] = "y"
        elif value is not False:
            data[f"step-{name}"] = value
    return data


def add(client, draft_id: int, kind: str) -> int:
    """Add a step of this kind; where it is."""
    response = client.post(f"/author/studio/{draft_id}/steps", data={"step": kind})
    assert response.status_code == 302, response.text
    return int(response.location.rsplit("/", 1)[1])


def save(client, app, draft_id: int, index: int, **changes):
    """Post the step's form with its values as they are, but for changes."""
    task = stored(app, draft_id)["draft"]["tasks"][index]
    values = TASK_TYPES[task["type"]].editor_values(task) | changes
    return client.post(f"/author/studio/{draft_id}/steps/{index}", data=posted(values, task["id"]))


def key_item(words: str, category: str, article: str = FIRST, text: str = ARTICLE) -> dict:
    start = text.index(words)
    return {"article": article, "start": start, "end": start + len(words)} | {
        "category": category,
        "why": "Why it matters.",
    }


def mark(client, app, draft_id: int, key: list[dict]) -> list[dict]:
    """Autosave the key as the edit page does; the problems returned."""
    revision = stored(app, draft_id)["revision"]
    response = client.put(f"/api/studio/drafts/{draft_id}", json={"revision": revision, "key": key})
    assert response.status_code == 200, response.text
    return response.json["problems"]


def with_second_article(client, draft_id: int) -> None:
    response = client.post(f"/author/studio/{draft_id}/articles", data=OTHER)
    assert response.status_code == 302, response.text


# --- adding a step of each type -----------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "highlight:loaded_language",
        "compare:loaded_language",
        "choice",
        "select_all",
        "short_answer",
    ],
)
def test_a_step_of_each_type_added_and_filled_in_its_form_passes_the_check(app, teacher, kind):
    draft_id = start(teacher)
    if kind.startswith(("compare", "highlight")):
        with_second_article(teacher, draft_id)
    index = add(teacher, draft_id, kind)
    assert index == 3
    form = teacher.get(f"/author/studio/{draft_id}/steps/{index}")
    assert form.status_code == 200
    assert "<label" in form.text
    name = kind.split(":")[0]
    saved = save(teacher, app, draft_id, index, **FILLED[name])
    assert saved.status_code == 302
    assert saved.location.endswith(f"/author/studio/{draft_id}#step-{index}")
    key = [key_item("blasted", "loaded_language"), key_item("40 percent", "unverified_statistic")]
    key.append(key_item("Officials said", "missing_context"))
    if name in ("compare", "highlight"):
        key.append(key_item("Islanders", "loaded_language", "ferry-fares", SECOND))
    problems = mark(teacher, app, draft_id, key)
    row = stored(app, draft_id)
    assert row["draft"]["tasks"][index]["type"] == name
    assert [p for p in problems if p["field"] == f"task:{index}"] == []
    exercise, found = studio.loaded(row["exercise_id"], row["draft"])
    assert exercise is not None and [p for p in found if p.severity == "error"] == [], found


def test_the_step_page_shows_the_problems_of_the_step_beside_its_form(teacher):
    draft_id = start(teacher)
    page = teacher.get(f"/author/studio/{draft_id}/steps/0")
    check = page.text.split('id="check-title"', 1)[1]
    assert "empty answer key" in check  # nothing marked yet
    assert 'value="loaded-language"' in page.text  # the step id, editable
    assert "Highlight every word or short phrase" in page.text  # the studio's instruction


def test_a_compare_step_is_offered_only_once_the_draft_has_two_articles(app, teacher):
    draft_id = start(teacher)
    page = teacher.get(f"/author/studio/{draft_id}").text
    assert 'value="compare:' not in page and "A compare step needs two articles" in page
    assert (
        teacher.post(f"/author/studio/{draft_id}/steps", data={"step": "compare"}).status_code
        == 302
    )
    assert len(stored(app, draft_id)["draft"]["tasks"]) == 3  # nothing added
    with_second_article(teacher, draft_id)
    assert 'value="compare:loaded_language"' in teacher.get(f"/author/studio/{draft_id}").text


# --- errors beside their fields, nothing lost ---------------------------------------------------


@pytest.mark.parametrize(
    "kind, changes, field, message",
    [
        ("choice", {"options": [{"text": "Only one", "correct": True}]}, "options", "at least two"),
        (
            "choice",
            {"options": [{"text": "A"}, {"text": "B"}]},
            "options",
            "Tick the right answer",
        ),
        ("choice", {"id": "statistics"}, "id", "Another step is called"),
        ("choice", {"id": "Quiz 1"}, "id", "lowercase letters"),
        ("short_answer", {"model_answer": "  "}, "model_answer", "Fill in"),
        ("highlight:missing_context", {"categories": []}, "categories", "Choose categories"),
        ("highlight:missing_context", {"points": "many"}, "points", "Points are a number"),
    ],
)
def test_what_does_not_fit_is_refused_with_the_message_beside_its_field_and_kept(
    app, teacher, kind, changes, field, message
):
    draft_id = start(teacher)
    index = add(teacher, draft_id, kind)
    before = stored(app, draft_id)
    response = save(teacher, app, draft_id, index, prompt="My own question, kept?", **changes)
    assert response.status_code == 400
    errors = re.search(rf'id="step-{field}-errors">(.*?)</ul>', response.text, re.S)
    assert errors and message in errors.group(1), response.text
    assert f'aria-describedby="step-{field}-help step-{field}-errors"' in response.text
    if kind != "highlight:missing_context":
        assert "My own question, kept?" in response.text  # what was typed is still there
    after = stored(app, draft_id)
    assert after["draft"] == before["draft"] and after["revision"] == before["revision"]


def test_an_unknown_step_is_not_found(teacher):
    draft_id = start(teacher)
    assert teacher.get(f"/author/studio/{draft_id}/steps/3").status_code == 404
    assert teacher.post(f"/author/studio/{draft_id}/steps/9/remove").status_code == 404


# --- removing, moving, renaming: the key items follow -------------------------------------------


def test_a_removed_steps_items_wait_and_a_new_step_for_their_category_takes_them(app, teacher):
    draft_id = start(teacher)
    mark(teacher, app, draft_id, [key_item("blasted", "loaded_language")])
    response = teacher.post(
        f"/author/studio/{draft_id}/steps/0/remove", data={"step": "loaded-language"}
    )
    assert response.status_code == 302
    assert "1 key item(s) wait" in teacher.get(response.location).text
    draft = stored(app, draft_id)["draft"]
    assert [t["id"] for t in draft["tasks"]] == ["statistics", "missing-context"]
    assert draft["key"][0]["task"] is None
    assert "no step asks students to find Loaded language" in json.dumps(
        studio.problems(FIRST, draft)
    )
    add(teacher, draft_id, "highlight:loaded_language")
    draft = stored(app, draft_id)["draft"]
    assert draft["key"][0]["task"] == "loaded-language" == draft["tasks"][2]["id"]


def test_a_step_moves_up_and_down_and_the_page_opens_at_it(app, teacher):
    draft_id = start(teacher)
    moved = teacher.post(
        f"/author/studio/{draft_id}/steps/2/move/up", data={"step": "missing-context"}
    )
    assert moved.location.endswith("#step-1")
    ids = [t["id"] for t in stored(app, draft_id)["draft"]["tasks"]]
    assert ids == ["loaded-language", "missing-context", "statistics"]
    teacher.post(f"/author/studio/{draft_id}/steps/0/move/down", data={"step": "loaded-language"})
    ids = [t["id"] for t in stored(app, draft_id)["draft"]["tasks"]]
    assert ids == ["missing-context", "loaded-language", "statistics"]
    page = teacher.get(f"/author/studio/{draft_id}").text
    assert 'aria-label="Move up: step 2">Move up<' in page
    assert page.count(">Move up<") == 2 and page.count(">Move down<") == 2  # not past the ends


def test_a_renamed_step_keeps_its_key_items(app, teacher):
    draft_id = start(teacher)
    mark(teacher, app, draft_id, [key_item("blasted", "loaded_language")])
    assert save(teacher, app, draft_id, 0, id="loaded").status_code == 302
    draft = stored(app, draft_id)["draft"]
    assert draft["tasks"][0]["id"] == "loaded" and draft["key"][0]["task"] == "loaded"


def test_a_page_opened_before_the_steps_changed_elsewhere_changes_nothing(app, teacher):
    draft_id = start(teacher)
    teacher.post(f"/author/studio/{draft_id}/steps/0/move/down", data={"step": "loaded-language"})
    before = stored(app, draft_id)
    stale = teacher.post(
        f"/author/studio/{draft_id}/steps/0/remove", data={"step": "loaded-language"}
    )
    assert "changed in another tab" in teacher.get(stale.location).text
    values = TASK_TYPES["highlight"].editor_values(before["draft"]["tasks"][1])
    teacher.post(f"/author/studio/{draft_id}/steps/0", data=posted(values, "loaded-language"))
    assert stored(app, draft_id)["draft"] == before["draft"]


def test_a_step_save_is_a_new_revision_the_edit_page_then_carries(app, teacher):
    draft_id = start(teacher)
    assert stored(app, draft_id)["revision"] == 1
    save(teacher, app, draft_id, 0, hint="Read slowly.")
    assert stored(app, draft_id)["revision"] == 2
    stale = teacher.put(f"/api/studio/drafts/{draft_id}", json={"revision": 1, "key": []})
    assert stale.status_code == 409
    page = teacher.get(f"/author/studio/{draft_id}").text
    assert '"revision": 2' in page
    assert stored(app, draft_id)["draft"]["tasks"][0]["hint"] == "Read slowly."


# --- another article ----------------------------------------------------------------------------


def test_a_pasted_article_is_added_as_new_and_the_exercise_lists_it(app, teacher):
    draft_id = start(teacher)
    with_second_article(teacher, draft_id)
    draft = stored(app, draft_id)["draft"]
    assert [a["id"] for a in draft["articles"]] == [FIRST, "ferry-fares"]
    assert draft["articles"][1]["new"] is True and draft["articles"][1]["text"] == SECOND
    assert studio.document(draft)[0]["articles"] == [FIRST, "ferry-fares"]
    page = teacher.get(f"/author/studio/{draft_id}").text
    assert 'data-article="ferry-fares"' in page


def test_an_article_of_the_folder_is_added_as_it_is(app, teacher):
    draft_id = start(teacher)
    page = teacher.get(f"/author/studio/{draft_id}/articles/new")
    assert page.status_code == 200 and 'value="la-detainers-report-2"' in page.text
    response = teacher.post(
        f"/author/studio/{draft_id}/articles/library", data={"article_id": "la-detainers-report-2"}
    )
    assert response.status_code == 302
    added = stored(app, draft_id)["draft"]["articles"][1]
    assert added["id"] == "la-detainers-report-2" and "new" not in added
    again = teacher.post(
        f"/author/studio/{draft_id}/articles/library", data={"article_id": "la-detainers-report-2"}
    )
    assert again.status_code == 400 and "Not a valid choice" in again.text


def test_an_article_that_cannot_be_used_is_refused_with_the_reason(app, teacher):
    draft_id = start(teacher)
    response = teacher.post(f"/author/studio/{draft_id}/articles", data=OTHER | {"text": " "})
    assert response.status_code == 400 and "The article has no text" in response.text
    assert 'value="Ferry fares"' in response.text
    assert len(stored(app, draft_id)["draft"]["articles"]) == 1


# --- publishing ---------------------------------------------------------------------------------


@pytest.fixture
def publishing(make_app, tmp_path, folder, school_template, copy_database, client_of):
    """An app on a copy of the exercises folder, and its teacher's client."""
    (tmp_path / "app").mkdir()
    app = make_app(tmp_path / "app", WTF_CSRF_ENABLED=False, EXERCISES_DIR=str(folder))
    path, ids = school_template
    copy_database(path, app)
    return app, client_of(app, ids["teacher"])


def test_a_draft_with_a_choice_a_short_answer_and_a_compare_step_publishes_a_file_that_loads(
    publishing, folder
):
    app, teacher = publishing
    draft_id = start(teacher)
    with_second_article(teacher, draft_id)
    for kind in ("choice", "short_answer", "compare:loaded_language"):
        index = add(teacher, draft_id, kind)
        assert save(teacher, app, draft_id, index, **FILLED[kind.split(":")[0]]).status_code == 302
    key = [
        key_item("blasted", "loaded_language"),
        key_item("40 percent", "unverified_statistic"),
        key_item("Officials said", "missing_context"),
        key_item("Islanders", "loaded_language", "ferry-fares", SECOND),
    ]
    assert mark(teacher, app, draft_id, key) == []
    published = teacher.post(f"/author/studio/{draft_id}/publish", follow_redirects=True)
    assert "Published" in published.text
    written = folder / f"{FIRST}.yaml"
    assert (folder / "articles" / "ferry-fares.txt").read_text() == SECOND
    result = app.test_cli_runner().invoke(args=["exercises", "check", str(written)])
    assert result.exit_code == 0, result.output
    text = written.read_text()
    assert "articles: [millbrook-library-hours, ferry-fares]" in text
    assert "type: compare" in text and 'model_answer: "I would check' in text
    assert "correct: true" in text


def test_an_existing_exercise_that_gained_an_article_lost_a_step_and_moved_one_changes_only_that(
    publishing, folder
):
    app, teacher = publishing
    path = folder / "la-detainers-report-1.yaml"
    before = path.read_text()
    opened = teacher.post("/author/studio/from-exercise", data={"exercise_id": path.stem})
    draft_id = int(opened.location.rsplit("/", 1)[1])
    teacher.post(
        f"/author/studio/{draft_id}/articles/library", data={"article_id": "la-detainers-report-2"}
    )
    teacher.post(f"/author/studio/{draft_id}/steps/3/remove", data={"step": "quiz"})
    teacher.post(f"/author/studio/{draft_id}/steps/3/move/up", data={"step": "reflect"})
    assert save(teacher, app, draft_id, 0).status_code == 302  # saved unchanged
    response = teacher.post(f"/author/studio/{draft_id}/publish", follow_redirects=True)
    assert "Published" in response.text
    after = path.read_text()
    result = app.test_cli_runner().invoke(args=["exercises", "check", str(path)])
    assert result.exit_code == 0, result.output
    # the articles line changed, the quiz's lines went, the reflection's came before the
    # missing-context step: every other line (and blank line) as it was
    quiz, reflect = before.index("  - id: quiz"), before.index("  - id: reflect")
    missing = before.index("  - id: missing-context")
    head = before[:missing].replace(
        "articles: [la-detainers-report-1]",
        "articles: [la-detainers-report-1, la-detainers-report-2]",
    )
    assert after == head + before[reflect:] + "\n" + before[missing:quiz][:-1]
    # the draft, published again unchanged, leaves the file as it is
    teacher.post(f"/author/studio/{draft_id}/publish")
    assert path.read_text() == after


@pytest.mark.parametrize(
    "exercise_id",
    sorted(p.stem for p in (Path(__file__).parent.parent / "exercises").glob("*.yaml")),
)
def test_every_step_of_a_hand_written_file_saved_through_its_form_leaves_the_file_as_it_was(
    publishing, folder, exercise_id
):
    app, teacher = publishing
    before = (folder / f"{exercise_id}.yaml").read_bytes()
    opened = teacher.post("/author/studio/from-exercise", data={"exercise_id": exercise_id})
    draft_id = int(opened.location.rsplit("/", 1)[1])
    for index in range(len(stored(app, draft_id)["draft"]["tasks"])):
        assert save(teacher, app, draft_id, index).status_code == 302
    response = teacher.post(f"/author/studio/{draft_id}/publish", follow_redirects=True)
    assert "Published" in response.text
    assert (folder / f"{exercise_id}.yaml").read_bytes() == before


# --- who may ------------------------------------------------------------------------------------

ROUTES = [
    ("post", "/steps", {"step": "choice"}),
    ("get", "/steps/0", None),
    ("post", "/steps/0", {"step-id": "mine", "step-was": "loaded-language"}),
    ("post", "/steps/0/remove", {"step": "loaded-language"}),
    ("post", "/steps/1/move/up", {"step": "statistics"}),
    ("get", "/articles/new", None),
    ("post", "/articles", OTHER),
    ("post", "/articles/library", {"article_id": "la-detainers-report-2"}),
]


@pytest.mark.parametrize("method, path, data", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_another_teachers_draft_is_not_found_and_students_are_refused(
    app, school, teacher, client_of, method, path, data
):
    draft_id = start(teacher)
    before = stored(app, draft_id)
    other = client_of(app, school["other_teacher"])
    student = client_of(app, school["students"][0])
    url = f"/author/studio/{draft_id}{path}"
    assert getattr(other, method)(url, data=data).status_code == 404
    assert getattr(student, method)(url, data=data).status_code == 403
    assert stored(app, draft_id) == before


def test_every_step_form_needs_its_csrf_token(
    csrf_app, school_template, copy_database, client_of, csrf_token
):
    path, ids = school_template
    copy_database(path, csrf_app)
    with csrf_app.app_context():
        draft = studio.new_draft("A draft", ARTICLE, "a-draft")
        draft_id = store.create_draft(get_db(), ids["teacher"], "a-draft", draft)
    teacher = client_of(csrf_app, ids["teacher"])
    page = teacher.get(f"/author/studio/{draft_id}/steps/0")
    assert 'name="step-csrf_token"' in page.text
    values = TASK_TYPES["highlight"].editor_values(draft["tasks"][0]) | {"hint": "Mine."}
    refused = teacher.post(
        f"/author/studio/{draft_id}/steps/0", data=posted(values, "loaded-language")
    )
    assert refused.status_code == 400 and "The form had expired" in refused.text
    data = posted(values, "loaded-language") | {"step-csrf_token": csrf_token(page)}
    assert teacher.post(f"/author/studio/{draft_id}/steps/0", data=data).status_code == 302
    with csrf_app.app_context():
        assert (
            store.get_draft(get_db(), draft_id, ids["teacher"])["draft"]["tasks"][0]["hint"]
            == "Mine."
        )
