"""Everything a student, teacher or exercise author writes is escaped wherever it is shown.

Each payload goes into every free-text field at once, tagged with the field's name (so that a
page can be checked for the fields it shows); then every page that shows them is read.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from flask import render_template_string
from markupsafe import escape

from classroom.db import get_db
from classroom.store import accounts

PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea></title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '<a href="javascript:alert(1)">click</a>',
    "{{ 7 * 7 }}{% raw %}<b>ssti</b>",
    "&lt;b&gt; already escaped & <i>not</i>",
]
ARTICLE = "A report. The mayor said {payload} today.\n\nCritics slammed the plan as reckless.\n"


def write_exercises(folder: Path, payload: str) -> None:
    """An exercise whose every author-written field carries the payload, an article that
    quotes it, and a broken file whose problem repeats it."""
    p = payload
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "xss-article.txt").write_text(ARTICLE.format(payload=p))
    meta = {"title": f"{p}#article-title", "outlet": f"{p}#outlet", "note": f"{p}#article-note"}
    (folder / "articles" / "xss-article.yaml").write_text(yaml.safe_dump(meta))
    exercise = {
        "title": f"{p}#title",
        "summary": f"{p}#summary",
        "articles": ["xss-article"],
        "categories": [{"id": "spin", "label": f"{p}#label", "definition": f"{p}#definition"}],
        "tasks": [
            {
                "id": "words",
                "type": "highlight",
                "article": "xss-article",
                "categories": ["loaded_language", "spin"],
                "instruction": f"{p}#instruction",
                "hint": f"{p}#hint",
                "key": [{"quote": "slammed", "category": "loaded_language", "why": f"{p}#why"}],
            },
            {
                "id": "quiz",
                "type": "choice",
                "prompt": f"{p}#prompt",
                "options": [
                    {"text": f"{p}#option", "correct": True, "feedback": f"{p}#option-feedback"},
                    {"text": "another option"},
                ],
            },
            {
                "id": "reflect",
                "type": "short_answer",
                "prompt": f"{p}#question",
                "model_answer": f"{p}#model",
                "key_points": [f"{p}#point"],
            },
        ],
    }
    (folder / "xss.yaml").write_text(yaml.safe_dump(exercise, sort_keys=False))
    (folder / "broken.yaml").write_text(yaml.safe_dump({"title": "Broken", f"{p}#field": 1}))


def on_words(text: str, words: str, category: str, note: str) -> dict:
    start = text.index(words)
    return {
        "article": "xss-article",
        "start": start,
        "end": start + len(words),
        "category": category,
        "note": note,
    }


@pytest.fixture(scope="module", params=PAYLOADS, ids=range(len(PAYLOADS)))
def pages(request, tmp_path_factory, make_app, log_in, password):
    """Every page that shows what was written, by name, once the payload is everywhere."""
    p, tmp_path = request.param, tmp_path_factory.mktemp("xss")
    write_exercises(tmp_path / "exercises", p)
    app = make_app(tmp_path, EXERCISES_DIR=str(tmp_path / "exercises"), WTF_CSRF_ENABLED=False)
    with app.app_context():
        teacher_id = accounts.create_user(get_db(), "teacher", f"{p}#teacher", password, "teacher")
    teacher = app.test_client()
    log_in(teacher, teacher_id)
    created = teacher.post("/teacher/classes", data={"name": f"{p}#class"})
    class_url = created.location
    teacher.post(
        f"{class_url}/assignments",
        data={"assign-exercise_id": "xss", "assign-feedback_after": "submit"},
    )
    with app.app_context():
        db = get_db()
        klass = next(db.query("select id, join_code from classes"))
        aid = next(db.query("select id from assignments"))["id"]
    student = app.test_client()
    joined = student.post(
        "/join",
        data={
            "join_code": klass["join_code"],
            "display_name": f"{p}#name",
            "username": "student1",
            "password": password,
            "confirm": password,
        },
        follow_redirects=True,  # the welcome message names the class
    )
    text = ARTICLE.format(payload=p)
    highlights = [
        on_words(text, "slammed", "loaded_language", f"{p}#note"),
        on_words(text, "reckless", "spin", f"{p}#extra-note"),
    ]
    draft = {"highlights": highlights, "answers": {"reflect": f"{p}#draft-answer"}}
    assert student.put(f"/api/assignments/{aid}/draft", json=draft).status_code == 200
    shown = {"student home": joined.text, "exercise": student.get(f"/assignments/{aid}").text}
    submitted = student.post(
        f"/assignments/{aid}/submit",
        data={
            "highlights": json.dumps(highlights),
            "answer-reflect": f"{p}#answer",
            "choice-quiz": "0",
        },
    )
    attempt = int(submitted.location.rsplit("/", 1)[1])
    review = f"/teacher/attempts/{attempt}/review"
    teacher.post(f"/teacher/attempts/{attempt}/comment", data={"comment-comment": f"{p}#comment"})
    wrong = dict(highlights[0], category=p)
    shown |= {
        "feedback": student.get(submitted.location).text,
        "refused submission": student.post(
            f"/assignments/{aid}/submit", data={"highlights": json.dumps([wrong])}
        ).text,
        "teacher home": teacher.get("/teacher/").text,
        "class page": teacher.get(class_url).text,
        "review queue": teacher.get(f"/teacher/assignments/{aid}/review").text,
        "review": teacher.get(review).text,
        "insight": teacher.get(f"/teacher/assignments/{aid}/insight").text,
        "preview": teacher.get("/author/exercises/xss?key=1").text,
        "exercise files": teacher.get("/author/exercises").text,
        "missing exercise": teacher.get(f"/author/exercises/{quote(p, safe='')}").text,
    }
    refused_draft = student.put(
        f"/api/assignments/{aid}/draft", json={"highlights": [wrong], "answers": {}}
    )
    with app.app_context():
        as_json = {
            field: render_template_string("{{ v | tojson }}", v=f"{p}#{field}")
            for field in ("note", "extra-note", "draft-answer")
        }
    return {"payload": p, "pages": shown, "json": as_json, "refused draft": refused_draft}


# The fields each page must show (escaped); every page is also checked for the raw payload.
SHOWN = {
    "student home": ["title", "class"],
    "exercise": ["title", "summary", "instruction", "hint", "label", "definition", "prompt"]
    + ["option", "question", "article-title", "outlet", "name"],
    "feedback": ["title", "why", "extra-note", "answer", "comment", "model", "point"]
    + ["option-feedback", "label"],
    "refused submission": [],
    "teacher home": ["class", "teacher"],
    "class page": ["class", "name", "title"],
    "review queue": ["class", "name", "title"],
    "review": ["class", "name", "title", "note", "extra-note", "answer", "comment", "why"],
    "insight": ["class", "title", "article-title", "label"],
    "preview": ["title", "instruction", "why", "label", "prompt", "option", "model"],
    "exercise files": ["title", "field"],
    "missing exercise": [],
}


def test_every_page_is_listed():
    assert set(SHOWN) == {
        "student home",
        "exercise",
        "feedback",
        "refused submission",
        "teacher home",
        "class page",
        "review queue",
        "review",
        "insight",
        "preview",
        "exercise files",
        "missing exercise",
    }


@pytest.mark.parametrize("page", SHOWN)
def test_what_was_written_is_shown_escaped_never_raw(pages, page):
    html, payload = pages["pages"][page], pages["payload"]
    assert payload not in html, f"the payload stands raw in the {page} page"
    assert str(escape(payload)) in html, f"the {page} page does not show the payload at all"
    for field in SHOWN[page]:
        assert str(escape(f"{payload}#{field}")) in html, f"{page} does not show {field}"


def test_the_exercise_page_carries_the_saved_work_as_inert_json(pages):
    html = pages["pages"]["exercise"]
    for field, as_json in pages["json"].items():
        assert as_json in html, field  # in the script's JSON: <, >, & and ' as \u escapes
        assert "<" not in as_json and ">" not in as_json
    assert '<script type="application/json" id="exercise-data">' in html


def test_a_refused_draft_echoes_the_payload_as_json_only(pages):
    response = pages["refused draft"]
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert pages["payload"] in response.json["error"]  # the message names what was sent
