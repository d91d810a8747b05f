"""Work saved from two places, or on an exercise edited while its page was open: nothing is
written over newer work, and no highlight lands on words the student did not choose."""

from __future__ import annotations

import json
import os

import pytest

from classroom import exercises as shelf_module

REPORT_1 = "la-detainers-report-1"
HEADLINE = "Los Angeles Jails Have Refused to Hand Over 25,000 Criminal Illegal Aliens to ICE"
ALIENS = "Criminal Illegal Aliens"


@pytest.fixture
def live(tmp_path, folder, monkeypatch, make_app, make_class, client_of):
    """An app on a copied folder that sees edited files at once, with ada's class given report
    1: the assignment's draft address, its submit address and ada's client."""
    monkeypatch.setattr(shelf_module, "CHECK_EVERY", 0)
    app = make_app(tmp_path, EXERCISES_DIR=str(folder), WTF_CSRF_ENABLED=False)
    school = make_class(app, ["ada"], assign=[REPORT_1])
    ada = client_of(app, school["students"][0])
    assignment = school["assignments"][REPORT_1]
    return f"/api/assignments/{assignment}/draft", f"/assignments/{assignment}/submit", ada


def on(quote: str, text: str = HEADLINE, category: str = "loaded_language") -> dict:
    """A highlight as the page sends it: offsets in the text it shows, and the words."""
    start = text.index(quote)
    return {
        "article": REPORT_1,
        "start": start,
        "end": start + len(quote),
        "quote": quote,
        "category": category,
        "note": "",
    }


def edit_article(folder, old: str, new: str) -> None:
    """The author changes the article's words, saved with a later timestamp."""
    path = folder / "articles" / f"{REPORT_1}.txt"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


# --- two tabs, two devices -----------------------------------------------------------------------


def test_a_save_based_on_an_older_revision_gets_409_with_the_current_draft(live):
    draft, _, ada = live
    opened = ada.get(draft).get_json()
    assert opened["revision"] == 0  # nothing saved yet
    # tab A, then tab B, both opened before either saved
    a = ada.put(draft, json={"answers": {"reflect": "A long answer."}, "revision": 0})
    assert a.status_code == 200 and a.get_json()["revision"] == 1
    b = ada.put(draft, json={"answers": {"quiz": [2]}, "revision": 0})
    assert b.status_code == 409
    refused = b.get_json()
    assert refused["error"] == "Your work was changed in another tab or on another device"
    assert refused["draft"]["revision"] == 1
    assert refused["draft"]["work"]["answers"] == {"reflect": "A long answer."}
    # nothing of tab A's was written over
    assert ada.get(draft).get_json()["work"]["answers"] == {"reflect": "A long answer."}


def test_a_save_based_on_the_current_revision_moves_it_on(live):
    draft, _, ada = live
    first = ada.put(draft, json={"answers": {"reflect": "One."}, "revision": 0}).get_json()
    second = ada.put(draft, json={"answers": {"reflect": "Two."}, "revision": first["revision"]})
    assert second.status_code == 200
    assert second.get_json()["revision"] == first["revision"] + 1
    assert ada.get(draft).get_json()["work"]["answers"] == {"reflect": "Two."}


def test_a_submission_elsewhere_moves_the_revision_on(live):
    draft, submit, ada = live
    saved = ada.put(draft, json={"answers": {"reflect": "Mine."}, "revision": 0}).get_json()
    ada.post(submit, data={"highlights": "[]", "answer-reflect": "Submitted on the laptop."})
    stale = ada.put(draft, json={"answers": {"reflect": "Tab."}, "revision": saved["revision"]})
    assert stale.status_code == 409
    assert stale.get_json()["draft"]["work"]["answers"]["reflect"] == "Submitted on the laptop."


@pytest.mark.parametrize("revision", ["1", -1, True, 1.5, [1]])
def test_a_revision_that_is_not_a_count_gets_400_with_a_message(live, revision):
    draft, _, ada = live
    refused = ada.put(draft, json={"answers": {}, "revision": revision})
    assert refused.status_code == 400
    assert "'revision' should be the draft revision" in refused.get_json()["error"]


# --- an article edited under an open page -------------------------------------------------------


def test_highlights_made_on_an_older_version_keep_their_words(live, folder):
    draft, _, ada = live
    old_version = ada.get(draft).get_json()["version"]
    edit_article(folder, "Los Angeles Jails", "LA Jails")
    sent = {
        "highlights": [on(ALIENS), on("Los Angeles Jails", category="missing_context")],
        "answers": {"reflect": "Written on the old page."},
        "version": old_version,
        "revision": 0,
    }
    saved = ada.put(draft, json=sent)
    assert saved.status_code == 200
    answer = saved.get_json()
    assert answer["version"] != old_version
    # the page is told where its work now stands, so it can say so
    assert [h["quote"] for h in answer["work"]["highlights"]] == [ALIENS]
    assert [h["quote"] for h in answer["work"]["unplaced"]] == ["Los Angeles Jails"]
    stored = ada.get(draft).get_json()["work"]
    [placed] = stored["highlights"]
    assert placed["quote"] == ALIENS  # not "es Jails Have Refused t", at the old offsets
    assert placed["start"] == HEADLINE.replace("Los Angeles", "LA").index(ALIENS)
    assert [h["quote"] for h in stored["unplaced"]] == ["Los Angeles Jails"]
    assert stored["answers"] == {"reflect": "Written on the old page."}
    # the next save from the same old page does not list the lost highlight twice
    ada.put(draft, json={**sent, "revision": answer["revision"]})
    assert len(ada.get(draft).get_json()["work"]["unplaced"]) == 1


def test_without_the_version_the_words_at_the_offsets_are_taken_as_before(live, folder):
    """The page's own version, or none sent (an older script): the offsets are the truth."""
    draft, _, ada = live
    version = ada.get(draft).get_json()["version"]
    saved = ada.put(draft, json={"highlights": [on(ALIENS)], "version": version})
    assert saved.status_code == 200 and "work" not in saved.get_json()
    assert ada.get(draft).get_json()["work"]["highlights"][0]["quote"] == ALIENS


def test_a_submission_from_an_older_version_is_graded_on_the_words_chosen(live, folder):
    draft, submit, ada = live
    old_version = ada.get(draft).get_json()["version"]
    edit_article(folder, "Los Angeles Jails", "LA Jails")
    submitted = ada.post(
        submit,
        data={"highlights": json.dumps([on(ALIENS)]), "version": old_version},
    )
    assert submitted.status_code == 302
    assert ada.get(submitted.location).status_code == 200
    # the attempt's work becomes the draft: the words the student chose, where they now stand
    stored = ada.get(draft).get_json()["work"]
    assert [h["quote"] for h in stored["highlights"]] == [ALIENS]


@pytest.mark.parametrize(
    "highlight, message",
    [
        ({"quote": 7}, "'quote' should be the words highlighted"),
        ({"quote": ""}, "'quote' should be the words highlighted"),
        ({"start": "0"}, "'start' and 'end' should be whole numbers"),
        ({"note": ["x"]}, "the note should be text"),
    ],
)
def test_work_from_an_older_version_is_checked_too(live, folder, highlight, message):
    draft, _, ada = live
    old_version = ada.get(draft).get_json()["version"]
    edit_article(folder, "Los Angeles Jails", "LA Jails")
    sent = {"highlights": [{**on(ALIENS), **highlight}], "version": old_version}
    refused = ada.put(draft, json=sent)
    assert refused.status_code == 400
    assert message in refused.get_json()["error"]
