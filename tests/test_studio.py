"""The authoring studio: drafts kept per author, started from an article or an exercise, saved
with their revision, checked as `exercises check` does, previewed; teachers only."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from classroom.content import publish as publish_module
from classroom.content import studio
from classroom.content.html_text import paragraphs
from classroom.db import get_db
from classroom.store import studio as store

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
ARTICLE = (Path(__file__).parent / "fixtures" / "millbrook-library.txt").read_text()
NEW = {
    "title": "Millbrook library hours",
    "outlet": "Millbrook Courier",
    "date": "2026-11-03",
    "link": "https://courier.example/library-hours",
    "source": "text",
    "text": ARTICLE,
}


@pytest.fixture
def teacher(app, school, client_of):
    return client_of(app, school["teacher"])


def start(client, **changes) -> int:
    """Start a draft from the fixture article; its id."""
    response = client.post("/author/studio/new", data=NEW | changes)
    assert response.status_code == 302, response.text
    return int(response.location.rstrip("/").rsplit("/", 1)[1])


def stored(app) -> dict:
    """The last draft stored, as the studio keeps it."""
    with app.app_context():
        row = next(get_db().query("select draft from studio_drafts order by id desc limit 1"))
    return json.loads(row["draft"])


def key_item(words: str, category: str, why: str = "Why it matters.", text: str = ARTICLE):
    start = text.index(words)
    return {"article": "millbrook-library-hours", "start": start, "end": start + len(words)} | {
        "category": category,
        "why": why,
    }


# --- the store ------------------------------------------------------------------------------


def test_a_draft_is_kept_for_its_author_only_and_each_save_moves_its_revision(app, school):
    with app.app_context():
        db = get_db()
        draft_id = store.create_draft(db, school["teacher"], "x", {"title": "X"})
        assert store.get_draft(db, draft_id, school["other_teacher"]) is None
        assert store.get_draft(db, draft_id, school["teacher"])["draft"] == {"title": "X"}
        saved = store.save_draft(db, draft_id, school["teacher"], "x", {"title": "Y"}, base=1)
        assert saved["revision"] == 2
        assert (
            store.save_draft(db, draft_id, school["teacher"], "x", {"title": "Z"}, base=1) is None
        )
        assert store.save_draft(db, draft_id, school["other_teacher"], "x", {}, base=None) is None
        assert store.get_draft(db, draft_id, school["teacher"])["draft"] == {"title": "Y"}
        assert [d["title"] for d in store.author_drafts(db, school["teacher"])] == ["Y"]
        assert store.author_drafts(db, school["other_teacher"]) == []


# --- starting a draft ---------------------------------------------------------------------------


def test_a_pasted_article_becomes_a_draft_with_its_text_verbatim(app, teacher):
    windows = ARTICLE.replace("\n", "\r\n")
    draft_id = start(teacher, text=windows)
    page = teacher.get(f"/author/studio/{draft_id}")
    assert page.status_code == 200 and "Millbrook library hours" in page.text
    assert "exercises/millbrook-library-hours.yaml" in page.text
    draft = stored(app)
    article = draft["articles"][0]
    assert article["text"] == ARTICLE  # only the line endings changed
    assert article["outlet"] == "Millbrook Courier" and article["date"] == "2026-11-03"
    assert "https://courier.example/library-hours" in article["note"]
    assert [t["categories"] for t in draft["tasks"]] == [
        ["loaded_language"],
        ["unverified_statistic"],
        ["missing_context"],
    ]


def test_pasted_html_is_cleaned_to_its_paragraphs():
    html = (
        "<html><head><style>p{}</style><script>alert(1)</script></head><body>"
        "<nav><a href=/>Home</a></nav><h1>Council  votes</h1>"
        "<p>The council <b>voted</b>, 5-2.<br>Critics objected.</p>"
        "<aside>Subscribe now</aside><blockquote>“A shame,” he said.</blockquote>"
        "<ul><li>One</li></ul><form>Search</form><footer>© Courier</footer></body></html>"
    )
    assert paragraphs(html) == (
        "Council votes\n\nThe council voted, 5-2. Critics objected.\n\n“A shame,” he said.\n\nOne"
    )


def test_an_uploaded_txt_file_starts_a_draft(teacher):
    upload = (io.BytesIO(ARTICLE.encode()), "library.txt")
    draft_id = start(teacher, source="file", text="", upload=upload)
    assert "Councillor Dana Whitfield" in teacher.get(f"/author/studio/{draft_id}").text


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"text": "   "}, "The article has no text"),
        ({"text": "x" * 200_001}, "the limit is 200 KB"),
        ({"source": "file", "text": ""}, "Choose the .txt file"),
        (
            {"source": "file", "upload": (io.BytesIO(b"\xff\xfe"), "a.txt")},
            "not UTF-8 text",
        ),
        ({"source": "file", "upload": (io.BytesIO(b"hi"), "a.exe")}, "Upload a .txt file"),
        ({"title": ""}, "This field is required"),
        ({"link": "not a link"}, "Give the whole address"),
    ],
)
def test_an_article_that_cannot_be_used_is_refused_with_the_reason(teacher, changes, message):
    response = teacher.post("/author/studio/new", data=NEW | changes)
    assert response.status_code == 400
    assert message in response.text


def test_an_existing_exercise_opens_as_a_draft_with_its_key_in_place(app, teacher):
    response = teacher.post(
        "/author/studio/from-exercise", data={"exercise_id": "la-detainers-report-1"}
    )
    assert response.status_code == 302
    page = teacher.get(response.location)
    assert "exercises/la-detainers-report-1.yaml" in page.text
    draft = stored(app)
    assert studio.problems("la-detainers-report-1", draft) == []
    fields, _ = studio.document(draft)
    assert len([k for t in fields["tasks"] for k in t.get("key", [])]) > 20


def test_a_new_exercise_id_is_made_from_the_title_and_never_taken(teacher, app):
    start(teacher, title="Los Angeles jails: ../../etc/passwd")
    start(teacher, title="LA detainers report 1")
    with app.app_context():
        ids = [r["exercise_id"] for r in get_db().query("select exercise_id from studio_drafts")]
    assert ids[0] == "los-angeles-jails-etc-passwd"
    assert ids[1] == "la-detainers-report-1-2"  # la-detainers-report-1 exists


# --- saving as the author marks the key ---------------------------------------------------------


def test_a_save_computes_the_quote_and_returns_the_problems_beside_their_items(teacher):
    draft_id = start(teacher)
    first = teacher.put(
        f"/api/studio/drafts/{draft_id}",
        json={
            "revision": 1,
            "key": [
                key_item("blasted", "loaded_language"),
                key_item("countless families", "unverified_statistic", why=""),
            ],
        },
    )
    assert first.status_code == 200 and first.json["revision"] == 2
    by_field = {p["field"]: p["message"] for p in first.json["problems"]}
    assert "empty answer key" in by_field["task:2"]  # nothing marked for missing context yet
    assert "why" in by_field["key:1"]  # the item with no explanation
    assert "key:0" not in by_field
    stale = teacher.put(f"/api/studio/drafts/{draft_id}", json={"revision": 1, "key": []})
    assert stale.status_code == 409 and stale.json["draft"]["revision"] == 2


def test_a_quote_that_occurs_twice_is_placed_by_the_words_before_it():
    text = "the cuts hurt. Critics of the cuts spoke."
    second = text.rindex("the cuts")
    assert studio.placed(text, second, second + 8) == {"quote": "the cuts", "prefix": "of "}
    assert studio.placed(text, 0, 8) == {"quote": "the cuts", "suffix": " hurt."}


@pytest.mark.parametrize(
    "body, message",
    [
        ({"revision": 1, "key": [{"article": "nope", "start": 0, "end": 3}]}, "'article'"),
        (
            {"revision": 1, "key": [key_item("blasted", "loaded_language") | {"end": 10**6}]},
            "'end'",
        ),
        ({"revision": 1, "key": [key_item("blasted", "no_such")]}, "categories"),
        ({"revision": 1, "title": "x" * 201}, "'title'"),
        ({"revision": "1"}, "'revision'"),
    ],
)
def test_a_save_that_does_not_fit_the_draft_is_refused_and_says_why(teacher, body, message):
    draft_id = start(teacher)
    response = teacher.put(f"/api/studio/drafts/{draft_id}", json=body)
    assert response.status_code == 400 and message in response.json["error"]


# --- preview -------------------------------------------------------------------------------------


def test_the_preview_shows_the_draft_as_a_student_sees_it_with_the_key_on_demand(teacher):
    draft_id = start(teacher)
    not_yet = teacher.get(f"/author/studio/{draft_id}/preview")
    assert "Not ready to preview" in not_yet.text and "empty answer key" in not_yet.text
    key = [
        key_item("blasted", "loaded_language", why="An emotive verb for 'criticised'."),
        key_item("40 percent", "unverified_statistic", why="Counted by whom?"),
        key_item("Officials said", "missing_context", why="Which officials?"),
    ]
    teacher.put(f"/api/studio/drafts/{draft_id}", json={"revision": 1, "key": key})
    page = teacher.get(f"/author/studio/{draft_id}/preview")
    assert "Show the answer key" in page.text and "Which officials?" not in page.text
    with_key = teacher.get(f"/author/studio/{draft_id}/preview?key=1")
    assert "Which officials?" in with_key.text


# --- who may ------------------------------------------------------------------------------------


def test_another_teachers_draft_does_not_exist_for_you(app, school, teacher, client_of):
    draft_id = start(teacher)
    other = client_of(app, school["other_teacher"])
    assert other.get(f"/author/studio/{draft_id}").status_code == 404
    assert other.get(f"/author/studio/{draft_id}/preview").status_code == 404
    saved = other.put(f"/api/studio/drafts/{draft_id}", json={"revision": 1, "title": "Mine"})
    assert saved.status_code == 404
    assert other.post(f"/author/studio/{draft_id}/delete").status_code == 404
    student = client_of(app, school["students"][0])
    assert student.get("/author/studio/").status_code == 403
    assert student.put(f"/api/studio/drafts/{draft_id}", json={}).status_code == 403
    assert "Millbrook library hours" in teacher.get(f"/author/studio/{draft_id}").text


# --- publishing ----------------------------------------------------------------------------------


@pytest.fixture
def publishing(make_app, tmp_path, folder, school_template, copy_database, client_of):
    """An app on a copy of the exercises folder, and its teacher's client."""
    (tmp_path / "app").mkdir()
    app = make_app(tmp_path / "app", WTF_CSRF_ENABLED=False, EXERCISES_DIR=str(folder))
    path, ids = school_template
    copy_database(path, app)
    return app, client_of(app, ids["teacher"])


def marked(client) -> int:
    """A draft of the fixture article with a key item in every step."""
    draft_id = start(client)
    key = [
        key_item("blasted", "loaded_language", why="An emotive verb for 'criticised'."),
        key_item("countless families", "unverified_statistic", why="How many? Nobody counted."),
        key_item("Officials said", "missing_context", why="Which officials?"),
    ]
    assert (
        client.put(f"/api/studio/drafts/{draft_id}", json={"revision": 1, "key": key}).json[
            "problems"
        ]
        == []
    )
    return draft_id


def test_a_published_draft_is_an_exercise_file_that_passes_the_check(publishing, folder):
    app, teacher = publishing
    draft_id = marked(teacher)
    response = teacher.post(f"/author/studio/{draft_id}/publish", follow_redirects=True)
    assert (
        "articles/millbrook-library-hours.txt, articles/millbrook-library-hours.yaml, "
        in response.text
    )
    written = folder / "millbrook-library-hours.yaml"
    assert (folder / "articles" / "millbrook-library-hours.txt").read_text() == ARTICLE
    result = app.test_cli_runner().invoke(args=["exercises", "check", str(written)])
    assert result.exit_code == 0, result.output
    text = written.read_text()
    assert 'quote: "blasted"' in text and 'why: "Which officials?"' in text
    # published again after a change: only the changed line differs
    teacher.put(f"/api/studio/drafts/{draft_id}", json={"revision": 3, "title": "Library hours"})
    teacher.post(f"/author/studio/{draft_id}/publish")
    changed = [a for a in written.read_text().splitlines() if a not in text.splitlines()]
    assert changed == ['title: "Library hours"']


@pytest.mark.parametrize("exercise_id", sorted(p.stem for p in EXERCISES.glob("*.yaml")))
def test_a_hand_written_exercise_published_unchanged_stays_byte_for_byte(
    publishing, folder, exercise_id
):
    _, teacher = publishing
    before = (folder / f"{exercise_id}.yaml").read_bytes()
    opened = teacher.post("/author/studio/from-exercise", data={"exercise_id": exercise_id})
    draft_id = int(opened.location.rsplit("/", 1)[1])
    page = teacher.get(opened.location)
    revision = int(re.search(r'"revision": (\d+)', page.text).group(1))
    key = json.loads(re.search(r'"key": (\[.*?\]), "problems"', page.text).group(1))
    teacher.put(f"/api/studio/drafts/{draft_id}", json={"revision": revision, "key": key})
    response = teacher.post(f"/author/studio/{draft_id}/publish", follow_redirects=True)
    assert "Published" in response.text
    assert (folder / f"{exercise_id}.yaml").read_bytes() == before


def open_in_studio(teacher, exercise_id: str) -> tuple[int, list[dict]]:
    """Open a shipped exercise as a studio draft: its id and the key its page was given."""
    opened = teacher.post("/author/studio/from-exercise", data={"exercise_id": exercise_id})
    page = teacher.get(opened.location).text
    key = json.loads(re.search(r'"key": (\[.*?\]), "problems"', page).group(1))
    return int(opened.location.rsplit("/", 1)[1]), key


def test_changing_one_explanation_changes_only_its_line(publishing, folder):
    _, teacher = publishing
    path = folder / "la-detainers-report-1.yaml"
    before = path.read_text().splitlines()
    draft_id, key = open_in_studio(teacher, path.stem)
    slammed = next(k for k in key if k["why"].startswith("The writer’s verb"))
    slammed["why"] = "A verb that makes a statement sound like a blow."
    saved = teacher.put(f"/api/studio/drafts/{draft_id}", json={"revision": 1, "key": key})
    assert saved.json["problems"] == []
    teacher.post(f"/author/studio/{draft_id}/publish")
    after = path.read_text().splitlines()
    assert len(after) == len(before)
    assert [b for a, b in zip(before, after, strict=True) if a != b] == [
        '        why: "A verb that makes a statement sound like a blow."'
    ]


def test_marking_an_item_core_and_grouping_it_changes_only_its_lines(publishing, folder):
    _, teacher = publishing
    path = folder / "la-detainers-report-1.yaml"
    before = path.read_text().splitlines()
    draft_id, key = open_in_studio(teacher, path.stem)
    calling = next(k for k in key if k["why"].startswith("The writer’s words: a slangy"))
    assert (calling["core"], calling["group"]) == (False, "")
    calling |= {"core": True, "group": "combat-words"}
    attack = next(k for k in key if k["why"].startswith("Lucero’s charge (ICE)"))
    attack["group"] = "combat-words"
    saved = teacher.put(f"/api/studio/drafts/{draft_id}", json={"revision": 1, "key": key})
    assert saved.json["problems"] == []
    teacher.post(f"/author/studio/{draft_id}/publish")
    after = path.read_text().splitlines()
    # three lines added, each after its item's explanation, and nothing else changed
    calling = after.index('      - quote: "calling him out"')
    attack = after.index('      - quote: "most severe attack"')
    assert after[calling + 2 : calling + 4] == ["        core: true", "        group: combat-words"]
    assert after[attack + 2] == "        group: combat-words"
    del after[attack + 2], after[calling + 2 : calling + 4]
    assert after == before


def test_a_draft_with_problems_is_not_published(publishing, folder):
    _, teacher = publishing
    draft_id = start(teacher)
    response = teacher.post(f"/author/studio/{draft_id}/publish", follow_redirects=True)
    assert "Not published: fix the 3 problem(s)" in response.text
    assert not (folder / "millbrook-library-hours.yaml").exists()


def test_where_the_folder_cannot_be_written_the_files_are_offered_as_a_download(
    publishing, folder, monkeypatch
):
    _, teacher = publishing
    draft_id = marked(teacher)
    refuse = publish_module.NotWritable(folder, "the disk is read-only")
    monkeypatch.setattr(publish_module, "check_writable", lambda f: (_ for _ in ()).throw(refuse))
    response = teacher.post(f"/author/studio/{draft_id}/publish")
    assert "the disk is read-only" in response.text and "Download" in response.text
    assert not (folder / "millbrook-library-hours.yaml").exists()
    download = teacher.get(f"/author/studio/{draft_id}/download")
    assert download.headers["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert names == [
        "exercises/articles/millbrook-library-hours.txt",
        "exercises/articles/millbrook-library-hours.yaml",
        "exercises/millbrook-library-hours.yaml",
    ]
