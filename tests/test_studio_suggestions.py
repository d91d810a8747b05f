"""The studio's suggestions: candidate key items offered on the draft's article, each with its
reason, accepted into the key or dismissed with one action; dismissals kept across saves."""

from __future__ import annotations

import json

import pytest

from classroom.content import studio_suggestions
from classroom.content.suggest import suggest
from tests.test_studio import ARTICLE, key_item, start, stored

ARTICLE_ID = "millbrook-library-hours"


@pytest.fixture
def teacher(app, school, client_of):
    return client_of(app, school["teacher"])


def offered(client, draft_id: int) -> list[dict]:
    """The suggestions the edit page hands its script."""
    page = client.get(f"/author/studio/{draft_id}")
    assert page.status_code == 200
    data = page.text.split('<script type="application/json" id="studio-data">', 1)[1]
    return json.loads(data.split("</script>", 1)[0])["suggestions"]


def test_the_edit_page_offers_the_articles_suggestions_each_with_its_place_and_reason(teacher):
    draft_id = start(teacher)
    found = offered(teacher, draft_id)
    expected = suggest(ARTICLE)
    assert len(found) == len(expected) > 5
    slashes = next(s for s in found if s["quote"] == "Slashes")
    assert slashes["category"] == "loaded_language"
    assert ARTICLE[slashes["start"] : slashes["end"]] == "Slashes"
    assert slashes["article"] == ARTICLE_ID and slashes["reason"]
    assert len({s["id"] for s in found}) == len(found)  # each can be dismissed on its own
    page = teacher.get(f"/author/studio/{draft_id}").text
    assert 'id="suggestions"' in page


def test_a_suggestion_already_in_the_key_is_not_offered_again(teacher):
    draft_id = start(teacher)
    item = key_item("Slashes", "loaded_language")
    saved = teacher.put(f"/api/studio/drafts/{draft_id}", json={"revision": 1, "key": [item]})
    assert saved.status_code == 200
    quotes = [(s["quote"], s["category"]) for s in offered(teacher, draft_id)]
    assert ("Slashes", "loaded_language") not in quotes
    assert ("blasted", "loaded_language") in quotes


def test_a_dismissed_suggestion_stays_dismissed_across_later_saves(app, teacher):
    draft_id = start(teacher)
    blasted = next(s for s in offered(teacher, draft_id) if s["quote"] == "blasted")
    body = {"revision": 1, "dismissed": [blasted["id"]]}
    assert teacher.put(f"/api/studio/drafts/{draft_id}", json=body).status_code == 200
    later = {"revision": 2, "title": "Library hours", "key": [key_item("Fume", "loaded_language")]}
    assert teacher.put(f"/api/studio/drafts/{draft_id}", json=later).status_code == 200
    assert stored(app)["dismissed"] == [blasted["id"]]
    assert "blasted" not in [s["quote"] for s in offered(teacher, draft_id)]
    assert "reckless attack on" in [s["quote"] for s in offered(teacher, draft_id)]


def test_dismissals_can_be_taken_back(app, teacher):
    draft_id = start(teacher)
    first = offered(teacher, draft_id)[0]
    teacher.put(f"/api/studio/drafts/{draft_id}", json={"revision": 1, "dismissed": [first["id"]]})
    teacher.put(f"/api/studio/drafts/{draft_id}", json={"revision": 2, "dismissed": []})
    assert first["id"] in [s["id"] for s in offered(teacher, draft_id)]


@pytest.mark.parametrize(
    "dismissed",
    [
        "all",
        [7],
        ["x" * 200],
        ["millbrook-library-hours:5:1:loaded_language"],  # an end before its start
        ["no-such-article:0:4:loaded_language"],
        ["millbrook-library-hours:0:4:no_such_category"],
        ["millbrook-library-hours:0:4:loaded_language"] * 2001,
    ],
)
def test_a_dismissal_that_names_no_suggestion_place_is_refused_and_nothing_is_saved(
    app, teacher, dismissed
):
    draft_id = start(teacher)
    body = {"revision": 1, "dismissed": dismissed}
    response = teacher.put(f"/api/studio/drafts/{draft_id}", json=body)
    assert response.status_code == 400
    assert "dismissed" in response.json["error"]
    assert "dismissed" not in stored(app)


def test_suggestions_cover_every_article_of_the_draft():
    draft = {
        "articles": [
            {"id": "a", "text": "Critics slammed the plan."},
            {"id": "b", "text": "Costs soared by 40 percent, officials said."},
        ],
        "key": [],
    }
    found = studio_suggestions.for_draft(draft)
    assert {s["article"] for s in found} == {"a", "b"}
    assert ("slammed", "a") in [(s["quote"], s["article"]) for s in found]
    assert ("40 percent", "b") in [(s["quote"], s["article"]) for s in found]
