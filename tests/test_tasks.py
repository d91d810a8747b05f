"""Every task type, through its whole life: load, page, autosave, submit, feedback, review,
re-grade, export, the JSON Schema and the authoring guide. Parametrised over the registry, so a
new type that misses any of these fails here (tests/test_author.py checks its template's
macros)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from classroom import credit
from classroom.content import schema
from classroom.content.tasks import TASK_TYPES
from classroom.db import get_db
from classroom.exercises import library
from classroom.store import attempts

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "la-detainers-report-1"
QUOTE = "Criminal Illegal Aliens"

# One task of each type, as an author writes it, and what a student does with it: the answer
# the page's script sends as JSON, and the same answer as a plain form posts it.
EXAMPLES = {
    "highlight": {
        "task": {
            "type": "highlight",
            "article": ARTICLE,
            "categories": ["loaded_language"],
            "instruction": "Find the loaded words in the headline.",
            "key": [{"quote": QUOTE, "why": "A label where 'people' would say the fact."}],
        },
        "answer": None,
        "form": {},
        "shown": "Find the loaded words in the headline.",
    },
    "compare": {
        "task": {
            "type": "compare",
            "articles": [ARTICLE, "la-detainers-report-2"],
            "categories": ["loaded_language"],
            "instruction": "Compare the two headlines.",
            "key": [{"article": ARTICLE, "quote": QUOTE, "why": "Report 1's label."}],
        },
        "answer": None,
        "form": {},
        "shown": "Compare the two headlines.",
    },
    "choice": {
        "task": {
            "type": "choice",
            "prompt": "What does the 25,000 count?",
            "options": [
                {"text": "Detainer requests", "correct": True, "feedback": "Requests, not people."},
                {"text": "Convictions", "feedback": "The article never counts convictions."},
            ],
        },
        "answer": [0],
        "form": {"choice-TASK": ["0"]},
        "shown": "Requests, not people.",
    },
    "short_answer": {
        "task": {
            "type": "short_answer",
            "prompt": "Which claim would you check first?",
            "model_answer": "The 25,000 figure, against ICE's own data.",
        },
        "answer": "The number in the headline.",
        "form": {"answer-TASK": "The number in the headline."},
        "shown": "The number in the headline.",
    },
    "select_all": {
        "task": {
            "type": "select_all",
            "prompt": "Which would help you check the 25,000?",
            "options": [
                {"text": "ICE's statistics", "correct": True, "feedback": "The source counts."},
                {"text": "The original story", "correct": True, "feedback": "Where it began."},
                {"text": "How often it was shared", "feedback": "Spread is not proof."},
            ],
        },
        "answer": [0, 2],
        "form": {"choice-TASK": ["0", "2"]},
        "shown": "Where it began.",  # the feedback of an option the student did not tick
    },
}
KINDS = sorted(TASK_TYPES)


def test_every_task_type_has_an_example_here():
    assert sorted(EXAMPLES) == KINDS, "add an example of the new task type to EXAMPLES"


@pytest.fixture
def setup(tmp_path, folder, make_app, make_class, client_of):
    """An exercise with one task of each type, assigned to a student's class; the app, the
    assignment id, and clients logged in as the student and as the teacher."""
    tasks = [{"id": f"{kind}-step", **EXAMPLES[kind]["task"]} for kind in KINDS]
    exercise = {
        "title": "Every task type",
        "articles": [ARTICLE, "la-detainers-report-2"],
        "tasks": tasks,
    }
    (folder / "every-type.yaml").write_text(yaml.safe_dump(exercise, allow_unicode=True))
    app = make_app(tmp_path, EXERCISES_DIR=str(folder), WTF_CSRF_ENABLED=False)
    school = make_class(app, ["ada"], assign=["every-type"])
    student_client = client_of(app, school["students"][0])
    teacher_client = client_of(app, school["teacher"])
    return app, school["assignments"]["every-type"], student_client, teacher_client


def work_for(app, kind: str) -> dict:
    """The example's work as the page's script sends it."""
    with app.app_context():
        ex = library().exercises["every-type"]
    if EXAMPLES[kind]["answer"] is not None:
        return {"highlights": [], "answers": {f"{kind}-step": EXAMPLES[kind]["answer"]}}
    start = ex.article(ARTICLE).text.index(QUOTE)
    span = {"article": ARTICLE, "start": start, "end": start + len(QUOTE)}
    return {"highlights": [{**span, "category": "loaded_language", "note": ""}], "answers": {}}


@pytest.mark.parametrize("kind", KINDS)
def test_the_example_loads_as_its_type(setup, kind):
    app, *_ = setup
    with app.app_context():
        current = library()
        assert [p for p in current.problems if "every-type" in p.path] == []
        task = current.exercises["every-type"].task(f"{kind}-step")
    assert type(task) is TASK_TYPES[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_a_task_goes_from_page_to_autosave_submit_feedback_review_regrade(setup, kind):
    app, assignment, student, teacher = setup
    task_id = f"{kind}-step"
    page = student.get(f"/assignments/{assignment}").get_data(as_text=True)
    assert f'id="step-{task_id}"' in page
    if EXAMPLES[kind]["answer"] is not None:  # the script finds the inputs by data attributes
        assert f'data-task="{task_id}"' in page

    work = work_for(app, kind)
    assert student.put(f"/api/assignments/{assignment}/draft", json=work).status_code == 200
    saved = student.get(f"/api/assignments/{assignment}/draft").get_json()["work"]
    assert saved["answers"] == work["answers"]
    assert [h["quote"] for h in saved["highlights"]] == [QUOTE] * len(work["highlights"])

    form = {name.replace("TASK", task_id): value for name, value in EXAMPLES[kind]["form"].items()}
    form["highlights"] = json.dumps(work["highlights"])
    response = student.post(f"/assignments/{assignment}/submit", data=form)
    assert response.status_code == 302
    attempt_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))

    feedback = student.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert EXAMPLES[kind]["shown"] in feedback
    review = teacher.get(f"/teacher/attempts/{attempt_id}/review")
    assert review.status_code == 200
    assert EXAMPLES[kind]["shown"] in review.get_data(as_text=True)

    with app.app_context():
        attempt = attempts.get_attempt(get_db(), attempt_id)
    assert attempt["answers"].get(task_id) == work["answers"].get(task_id)
    # re-grading from the stored snapshot gives the score the submission got
    assert credit.regrade(attempt, set()) == pytest.approx(attempt["auto_score"])


@pytest.mark.parametrize("kind", KINDS)
def test_a_task_exports_as_json_with_its_type(setup, kind):
    app, *_ = setup
    with app.app_context():
        exercise = library().exercises["every-type"]
    exported = json.loads(json.dumps(exercise.export()))
    task = next(t for t in exported["tasks"] if t["id"] == f"{kind}-step")
    assert task["type"] == kind
    snapshot = next(t for t in exercise.snapshot["tasks"] if t["id"] == f"{kind}-step")
    assert snapshot["template"] == f"tasks/{kind}.html"


@pytest.mark.parametrize("kind", KINDS)
def test_the_schema_describes_every_type(kind):
    made = schema.exercise_schema()
    cls = TASK_TYPES[kind]
    assert kind in made["$defs"]["taskType"]["enum"]
    assert made["$defs"][cls.schema_name()]["properties"]["type"] == {
        "description": f"{kind}: {cls.summary}.",
        "const": kind,
    }
    dispatch = {
        rule["if"]["properties"]["type"]["const"] for rule in made["$defs"]["task"]["allOf"]
    }
    assert kind in dispatch
    snippets = made["properties"]["tasks"]["defaultSnippets"]
    assert any(s["body"][0]["type"] == kind for s in snippets)


def test_the_schema_file_is_the_one_the_registry_makes():
    assert schema.PATH.read_text(encoding="utf-8") == schema.text(), (
        "run: python -m classroom.content.schema > classroom/content/exercise.schema.json"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_a_type_reads_is_in_its_schema(kind):
    cls = TASK_TYPES[kind]
    described = set(cls.schema()["properties"])
    assert set(cls.field_names()) == described
    assert set(cls.field_names(required=True)) <= described


@pytest.mark.parametrize("kind", KINDS)
def test_the_authoring_guide_has_a_section_for_every_type(kind):
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert f"### `{kind}`:" in guide
