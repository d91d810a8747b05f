"""The author's pages, live reloading of exercise files, and versions of an exercise."""

from __future__ import annotations

import json
import os
import re

import pytest
from markupsafe import escape

from classroom import exercises as shelf_module
from classroom.content.tasks import TASK_TYPES
from classroom.db import get_db

REPORT_1 = "la-detainers-report-1"


@pytest.fixture
def live(tmp_path, folder, monkeypatch, make_app, make_class):
    """An app on the copied folder that looks for changed files on every request."""
    monkeypatch.setattr(shelf_module, "CHECK_EVERY", 0)
    app = make_app(tmp_path, EXERCISES_DIR=str(folder), WTF_CSRF_ENABLED=False)
    klass = make_class(app, ["ada"], name="Class", teacher=("teacher", "T"), assign=[REPORT_1])
    return app, klass["assignments"][REPORT_1]


def touch_later(path):
    """Make sure the change is seen even on a file system with coarse timestamps."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


def without_tokens(page: str) -> str:
    """A page without its CSRF tokens, which are signed afresh on every request."""
    return re.sub(r'(content|value)="[\w.-]{40,}"', "", page)


@pytest.fixture
def login(password):
    """login(app, username): a new client of app, logged in through the form."""

    def login(app, username):
        client = app.test_client()
        client.post("/login", data={"username": username, "password": password})
        return client

    return login


def test_preview_hides_the_key_until_asked(app, client, auth, school):
    auth.login("teacher")
    plain = client.get(f"/author/exercises/{REPORT_1}").get_data(as_text=True)
    assert "Show the answer key" in plain and 'class="key-item"' not in plain
    keyed = client.get(f"/author/exercises/{REPORT_1}?key=1").get_data(as_text=True)
    assert "Hide the answer key" in keyed
    with app.app_context():
        key = app.extensions["classroom.shelf"].current().exercises[REPORT_1].key_items
    assert keyed.count('class="key-item"') == len(key)  # every key item, explained
    for item in key:
        assert str(escape(item.why[:40])) in keyed
    assert '<mark class="hl cat-0"><span class="sr-only">[key item 1, Loaded language]' in keyed


def test_preview_of_the_comparison_shows_both_articles(client, auth, school):
    auth.login("teacher")
    page = client.get("/author/exercises/la-detainers-compare?key=1").get_data(as_text=True)
    assert page.count('<article class="article">') == 2
    assert "Reports disagree" in page


@pytest.mark.parametrize("path", ["/author/exercises", f"/author/exercises/{REPORT_1}"])
def test_author_pages_are_for_teachers(client, auth, school, path):
    assert client.get(path).status_code == 302
    auth.login("ada")
    assert client.get(path).status_code == 403


def test_unknown_exercise_preview_is_404(client, auth, school):
    auth.login("teacher")
    response = client.get("/author/exercises/nope")
    assert response.status_code == 404
    assert b"The exercise &#39;nope&#39; is not available" in response.data


def test_broken_file_is_listed_with_line_and_others_keep_working(live, folder, login):
    app, assignment = live
    (folder / "broken.yaml").write_text("title: Broken\narticles: [nope]\ntasks: []\n")
    teacher = login(app, "teacher")
    page = teacher.get("/author/exercises").get_data(as_text=True)
    assert "exercises/broken.yaml:2:" in page and "unknown article &#39;nope&#39;" in page
    assert "1 file(s) are skipped" in page
    student = login(app, "ada")
    assert student.get(f"/assignments/{assignment}").status_code == 200


def test_an_edited_file_is_picked_up_without_restart(live, folder, login):
    app, assignment = live
    student = login(app, "ada")
    path = folder / f"{REPORT_1}.yaml"
    path.write_text(
        path.read_text().replace(
            'title: "Los Angeles jails and ICE requests: report 1"', "title: Renamed while running"
        )
    )
    touch_later(path)
    assert "Renamed while running" in student.get("/home").get_data(as_text=True)


def test_the_exercise_page_shows_an_edited_article_and_instruction(live, folder, login):
    """The parts of the page kept for every student are rendered again for the new version."""
    app, assignment = live
    student = login(app, "ada")
    before = student.get(f"/assignments/{assignment}").get_data(as_text=True)
    assert "Editor&#39;s note" not in before
    article = folder / "articles" / f"{REPORT_1}.txt"
    article.write_text("Editor's note: updated.\n\n" + article.read_text(encoding="utf-8"))
    path = folder / f"{REPORT_1}.yaml"
    text = path.read_text(encoding="utf-8")
    instruction = re.search(r"instruction: (.+)", text).group(1).strip("\"'")
    path.write_text(text.replace(instruction, "Look again, carefully"), encoding="utf-8")
    touch_later(article)
    after = student.get(f"/assignments/{assignment}").get_data(as_text=True)
    assert "Editor&#39;s note: updated." in after
    assert '"Editor\\u0027s note: updated.' in after  # in the data the page's script reads
    assert "Look again, carefully" in after and instruction not in after


def test_the_exercise_page_shows_an_articles_edited_source_and_version(live, folder, login):
    """Where and when an article appeared are part of what students see, so of the version."""
    app, assignment = live
    student = login(app, "ada")
    with app.app_context():
        version = app.extensions["classroom.shelf"].current().exercises[REPORT_1].version
    before = student.get(f"/assignments/{assignment}").get_data(as_text=True)
    assert "Publisher and date not given" in before  # the file's "as provided" and "unknown"
    meta = folder / "articles" / f"{REPORT_1}.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace("outlet: as provided", "outlet: The Daily Test")
    )
    touch_later(meta)
    after = student.get(f"/assignments/{assignment}").get_data(as_text=True)
    assert "Source: The Daily Test · No date given" in after
    with app.app_context():
        assert app.extensions["classroom.shelf"].current().exercises[REPORT_1].version != version


@pytest.mark.parametrize(
    "outlet, date, shown",
    [
        ("as provided", "unknown", "Publisher and date not given"),
        ("The Daily Test", "unknown", "Source: The Daily Test · No date given"),
        ("as provided", "2019-01-15", "Publisher not given · Date: 2019-01-15"),
        ("The Daily Test", "2019-01-15", "Source: The Daily Test · Date: 2019-01-15"),
    ],
)
def test_an_unknown_source_or_date_is_said_in_words_not_as_placeholders(
    live, folder, login, outlet, date, shown
):
    """The file's defaults, "as provided" and "unknown", read as placeholder text on the page."""
    app, assignment = live
    meta = folder / "articles" / f"{REPORT_1}.yaml"
    text = meta.read_text(encoding="utf-8")
    text = text.replace("outlet: as provided", f"outlet: {outlet}")
    meta.write_text(text.replace("date: unknown", f"date: '{date}'"))
    touch_later(meta)
    page = login(app, "ada").get(f"/assignments/{assignment}").get_data(as_text=True)
    meta_line = re.search(r'<p class="article-meta">(.*?)</p>', page, re.S).group(1)
    assert " ".join(meta_line.split()) == shown
    assert "as provided" not in page and "Date: unknown" not in page


def test_editing_an_exercise_keeps_old_attempts_and_replaces_drafts(live, folder, login):
    app, assignment = live
    student = login(app, "ada")
    with app.app_context():
        exercise = app.extensions["classroom.shelf"].current().exercises[REPORT_1]
    text = exercise.article(REPORT_1).text
    at = text.index("slammed")
    mark = {
        "article": REPORT_1,
        "start": at,
        "end": at + 7,
        "quote": "slammed",
        "category": "loaded_language",
        "note": "",
    }
    submitted = student.post(
        f"/assignments/{assignment}/submit", data={"highlights": json.dumps([mark])}
    )
    before = student.get(submitted.location).get_data(as_text=True)
    student.put(f"/api/assignments/{assignment}/draft", json={"highlights": [mark]})

    # the author inserts a sentence at the top of the article and rewrites an explanation
    article = folder / "articles" / f"{REPORT_1}.txt"
    article.write_text("Editor's note: updated.\n\n" + text, encoding="utf-8")
    path = folder / f"{REPORT_1}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "tells you to see every one", "asks you to see every one"
        ),
        encoding="utf-8",
    )
    touch_later(article)

    after = student.get(submitted.location).get_data(as_text=True)
    assert without_tokens(after) == without_tokens(before)  # old score and feedback stay
    draft = student.get(f"/api/assignments/{assignment}/draft").json
    assert draft["version"] != exercise.version
    moved = draft["work"]["highlights"][0]
    assert moved["quote"] == "slammed"
    assert moved["start"] == at + len("Editor's note: updated.\n\n")
    with app.app_context():
        versions = [r["version"] for r in get_db().query("select version from attempts")]
    assert versions == [exercise.version]


def test_a_repeated_phrase_is_re_placed_by_its_context_not_its_old_offset(live, folder, login):
    app, assignment = live
    student = login(app, "ada")
    article = folder / "articles" / f"{REPORT_1}.txt"
    text = article.read_text(encoding="utf-8")
    phrase = "criminal aliens"
    spots = [i for i in range(len(text)) if text.startswith(phrase, i)]
    target = spots[1]
    mark = {
        "article": REPORT_1,
        "start": target,
        "end": target + len(phrase),
        "quote": phrase,
        "category": "loaded_language",
        "note": "",
    }
    assert (
        student.put(f"/api/assignments/{assignment}/draft", json={"highlights": [mark]}).status_code
        == 200
    )
    # an insertion as long as the gap to the next occurrence puts that one at the old offset
    inserted = "x" * (spots[2] - target) + "\n\n"
    article.write_text(inserted + text, encoding="utf-8")
    touch_later(article)
    moved = student.get(f"/api/assignments/{assignment}/draft").json["work"]["highlights"][0]
    assert moved["start"] == target + len(inserted)


@pytest.mark.parametrize("kind", sorted(TASK_TYPES))
def test_every_task_type_has_the_four_macros_its_pages_call(app, kind):
    """A new task type is a class and a template; the exercise page, the feedback, the review
    and the preview call these macros of its template."""
    with app.app_context():
        template = app.jinja_env.get_template(f"tasks/{kind}.html").module
    for macro in ("intro", "work", "feedback", "answer_key"):
        assert callable(getattr(template, macro, None)), f"tasks/{kind}.html has no {macro}"
