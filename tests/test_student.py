"""The student's path through the test client: assignments, drafts, submitting, feedback."""

from __future__ import annotations

import json
import re

import pytest

from classroom.db import get_db
from classroom.exercises import library
from classroom.grading import span_score

REPORT_1 = "la-detainers-report-1"


@pytest.fixture
def ada(client, auth, school):
    """The client, logged in as the student ada."""
    auth.login("ada")
    return client


def exercise(app, exercise_id=REPORT_1):
    with app.app_context():
        return library().exercises[exercise_id]


def save(client, assignment_id, work):
    return client.put(f"/api/assignments/{assignment_id}/draft", json=work)


def test_home_lists_assignments_as_not_started(ada, school):
    page = ada.get("/home").get_data(as_text=True)
    assert page.count("Not started") == len(school["assignments"])
    assert "Los Angeles jails and ICE requests: report 1" in page


def test_exercise_page_shows_article_steps_and_definitions(ada, app, school):
    ex = exercise(app)
    page = ada.get(f"/assignments/{school['assignments'][REPORT_1]}").get_data(as_text=True)
    assert "Federal immigration enforcement data obtained by the Washington Examiner" in page
    for task in ex.tasks:
        assert f'id="step-{task.id}"' in page
    assert "What counts as" in page and "Hint" in page
    assert 'id="exercise-data"' in page and "exercise.js" in page
    # shown until the script hides it
    assert "Highlighting words in the article needs JavaScript" in page


def test_compare_exercise_shows_both_articles_and_editor_title(ada, school):
    page = ada.get(f"/assignments/{school['assignments']['la-detainers-compare']}")
    text = page.get_data(as_text=True)
    assert 'class="articles count-2"' in text
    assert "Title added by the Classroom editors" in text


def test_draft_round_trip_and_status_in_progress(ada, app, school, highlight):
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    work = {
        "highlights": [highlight(ex, "slammed", "loaded_language", note="for said")],
        "answers": {"reflect": "I would look up the ICE data."},
    }
    response = save(ada, aid, work)
    assert response.status_code == 200
    assert response.json["version"] == ex.version
    draft = ada.get(f"/api/assignments/{aid}/draft").json["work"]
    assert draft["highlights"][0]["quote"] == "slammed"
    assert draft["highlights"][0]["note"] == "for said"
    assert draft["answers"]["reflect"] == "I would look up the ICE data."
    assert "In progress" in ada.get("/home").get_data(as_text=True)
    page = ada.get(f"/assignments/{aid}").get_data(as_text=True)
    assert "I would look up the ICE data." in page  # the answer is back in its textarea


def test_draft_quote_is_taken_from_the_article_not_the_browser(ada, app, school, highlight):
    ex = exercise(app)
    h = highlight(ex, "slammed", "loaded_language") | {"quote": "something else"}
    save(ada, school["assignments"][REPORT_1], {"highlights": [h], "answers": {}})
    draft = ada.get(f"/api/assignments/{school['assignments'][REPORT_1]}/draft").json
    assert draft["work"]["highlights"][0]["quote"] == "slammed"


@pytest.mark.parametrize(
    "body, message",
    [
        ("not json", "Send the draft as a JSON object"),
        ([1, 2], "expected a JSON object"),
        (
            {
                "highlights": [
                    {"article": REPORT_1, "start": 0, "end": 10**6, "category": "loaded_language"}
                ]
            },
            "outside the article",
        ),
        (
            {"highlights": [{"article": REPORT_1, "start": 0, "end": 5, "category": "gossip"}]},
            "unknown category",
        ),
        ({"answers": {"quiz": [99]}}, "options are numbered"),
        ({"answers": {"nope": "x"}}, "no question 'nope'"),
    ],
)
def test_bad_draft_gets_400_with_message_and_keeps_the_old_draft(
    ada, app, school, body, message, highlight
):
    aid = school["assignments"][REPORT_1]
    ex = exercise(app)
    save(ada, aid, {"highlights": [highlight(ex, "slammed", "loaded_language")], "answers": {}})
    if isinstance(body, str):
        response = ada.put(
            f"/api/assignments/{aid}/draft", data=body, content_type="application/json"
        )
    else:
        response = save(ada, aid, body)
    assert response.status_code == 400
    assert message in response.json["error"]
    assert len(ada.get(f"/api/assignments/{aid}/draft").json["work"]["highlights"]) == 1


def submit(client, aid, ex, highlights, choice=None, answer=""):
    form = {"highlights": json.dumps(highlights), "answer-reflect": answer}
    if choice is not None:
        form["choice-quiz"] = [str(c) for c in choice]
    return client.post(f"/assignments/{aid}/submit", data=form)


def test_submit_records_attempt_and_shows_feedback(ada, app, school, highlight):
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    quiz = ex.task("quiz")
    right = next(i for i, o in enumerate(quiz.options) if o.correct)
    marks = [
        highlight(ex, "slammed", "loaded_language"),
        highlight(ex, "so-called", "missing_context"),  # right place, other category
        highlight(ex, "Federal immigration", "loaded_language"),
    ]  # not in the key
    response = submit(ada, aid, ex, marks, [right], "Where does 25,000 come from?")
    assert response.status_code == 302
    page = ada.get(response.location).get_data(as_text=True)
    assert "Your score:" in page
    assert "Found" in page and "Missed" in page
    assert "Partly found: right place, other category" in page
    assert "your teacher may credit this" in page and "Federal immigration" in page
    assert ex.task("reflect").model_answer[:60] in page
    assert "Where does 25,000 come from?" in page
    with app.app_context():
        db = get_db()
        attempt = next(db.query("select * from attempts"))
        assert attempt["version"] == ex.version and 0 < attempt["score"] < 1
        assert attempt["started_at"] <= attempt["submitted_at"]
        stored = list(db.query("select quote, category from attempt_highlights order by id"))
        assert [h["quote"] for h in stored] == ["Federal immigration", "so-called", "slammed"]
        answers = {
            r["task_id"]: json.loads(r["answer"]) for r in db.query("select * from attempt_answers")
        }
        assert answers == {"quiz": [right], "reflect": "Where does 25,000 come from?"}
    home = ada.get("/home").get_data(as_text=True)
    assert "Submitted" in home and "after 1 attempt" in home


def test_resubmitting_appends_and_keeps_every_attempt(ada, app, school, highlight):
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    first = submit(ada, aid, ex, [highlight(ex, "slammed", "loaded_language")])
    second = submit(ada, aid, ex, [])
    assert first.location != second.location
    with app.app_context():
        scores = [r["score"] for r in get_db().query("select score from attempts order by id")]
    assert len(scores) == 2 and scores[0] > scores[1] == 0
    old = ada.get(first.location).get_data(as_text=True)
    assert "All attempts" in old and "(this one)" in old
    assert "after 2 attempts" in ada.get("/home").get_data(as_text=True)


@pytest.mark.parametrize("sent", [None, ""])
def test_without_the_script_the_saved_highlights_are_submitted(ada, app, school, sent, highlight):
    """With JavaScript off the form has no highlights to send: the attempt takes the saved
    ones, with the answers from the form; "[]" from the script still means none."""
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    saved = [highlight(ex, "slammed", "loaded_language")]
    ada.put(f"/api/assignments/{aid}/draft", json={"highlights": saved, "answers": {}})
    page = ada.get(f"/assignments/{aid}").get_data(as_text=True)
    assert '<input type="hidden" name="highlights" id="highlights-field">' in page
    form = {"answer-reflect": "written without the script"}
    if sent is not None:
        form["highlights"] = sent
    assert ada.post(f"/assignments/{aid}/submit", data=form).status_code == 302
    assert submit(ada, aid, ex, []).status_code == 302
    with app.app_context():
        counts = [
            r["n"]
            for r in get_db().query(
                "select count(h.id) as n from attempts a"
                " left join attempt_highlights h on h.attempt_id = a.id group by a.id order by a.id"
            )
        ]
        answer = get_db().execute("select answer from attempt_answers where task_id = 'reflect'")
        assert json.loads(answer.fetchone()[0]) == "written without the script"
    assert counts == [1, 0]


def test_submit_with_unreadable_highlights_is_400(ada, school):
    aid = school["assignments"][REPORT_1]
    response = ada.post(f"/assignments/{aid}/submit", data={"highlights": "{oops"})
    assert response.status_code == 400
    assert b"Your saved draft is kept" in response.data


def test_perfect_highlights_score_full_marks(ada, app, school):
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    perfect = [
        {
            "article": k.article,
            "start": k.start,
            "end": k.end,
            "quote": k.quote,
            "category": k.category,
            "note": "",
        }
        for k in ex.key_items
    ]
    right = [i for i, o in enumerate(ex.task("quiz").options) if o.correct]
    response = submit(ada, aid, ex, perfect, right)
    assert b"100%" in ada.get(response.location).data


def test_other_students_work_and_other_classes_are_invisible(client, auth, app, school):
    auth.login("ada")
    ex = exercise(app)
    response = submit(client, school["assignments"][REPORT_1], ex, [])
    auth.logout()
    auth.login("ben")
    assert client.get(response.location).status_code == 404
    assert client.get(f"/assignments/{school['other_assignment']}").status_code == 404
    assert client.get(f"/api/assignments/{school['other_assignment']}/draft").status_code == 404
    assert save(client, school["other_assignment"], {}).status_code == 404
    auth.logout()
    auth.login("other")  # a teacher, but not of this class
    assert client.get(response.location).status_code == 404
    auth.logout()
    auth.login("teacher")  # the class's teacher may read it
    assert client.get(response.location).status_code == 200


def test_draft_against_an_older_version_is_replaced_on_the_new_text(ada, app, school, highlight):
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    moved = highlight(ex, "slammed", "loaded_language") | {"start": 3, "end": 10}
    gone = {**highlight(ex, "slammed", "loaded_language"), "quote": "vanished words"}
    with app.app_context():
        get_db()["drafts"].insert(
            {
                "assignment_id": aid,
                "student_id": school["students"][0],
                "version": "old",
                "work": json.dumps({"highlights": [moved, gone], "answers": {}}),
                "started_at": "2026-01-01T00:00:00+00:00",
                "updated_at": "2026-01-01T00:00:00+00:00",
            }
        )
    draft = ada.get(f"/api/assignments/{aid}/draft").json["work"]
    assert [h["quote"] for h in draft["highlights"]] == ["slammed"]
    assert draft["highlights"][0]["start"] == ex.article(REPORT_1).text.index("slammed")
    assert [h["quote"] for h in draft["unplaced"]] == ["vanished words"]
    assert "vanished words" in ada.get(f"/assignments/{aid}").get_data(as_text=True)


def test_submitting_keeps_the_drafts_start_and_what_could_not_be_placed(
    ada, app, school, highlight
):
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    gone = {**highlight(ex, "slammed", "loaded_language"), "quote": "vanished words"}
    with app.app_context():
        get_db()["drafts"].insert(
            {
                "assignment_id": aid,
                "student_id": school["students"][0],
                "version": ex.version,
                "work": json.dumps({"highlights": [], "answers": {}, "unplaced": [gone]}),
                "started_at": "2026-01-01T00:00:00+00:00",
                "updated_at": "2026-01-01T00:00:00+00:00",
            }
        )
    assert submit(ada, aid, ex, [highlight(ex, "slammed", "loaded_language")]).status_code == 302
    with app.app_context():
        attempt = next(get_db().query("select started_at from attempts"))
    assert attempt["started_at"] == "2026-01-01T00:00:00+00:00"
    draft = ada.get(f"/api/assignments/{aid}/draft").json["work"]
    assert [h["quote"] for h in draft["highlights"]] == ["slammed"]
    assert [h["quote"] for h in draft["unplaced"]] == ["vanished words"]


@pytest.mark.parametrize("saved_on", ["this version", "an older version"])
def test_autosave_keeps_what_could_not_be_placed(ada, app, school, saved_on, highlight):
    """The script never sends the unplaced list: each save keeps the stored one, and a draft
    saved on an older version adds what could not be placed on this one."""
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    earlier = {**highlight(ex, "slammed", "loaded_language"), "quote": "removed earlier"}
    gone = {**highlight(ex, "slammed", "loaded_language"), "quote": "vanished words"}
    old = saved_on != "this version"
    with app.app_context():
        get_db()["drafts"].insert(
            {
                "assignment_id": aid,
                "student_id": school["students"][0],
                "version": "old" if old else ex.version,
                "work": json.dumps(
                    {"highlights": [gone] if old else [], "answers": {}, "unplaced": [earlier]}
                ),
                "started_at": "2026-01-01T00:00:00+00:00",
                "updated_at": "2026-01-01T00:00:00+00:00",
            }
        )
    sent = {"highlights": [highlight(ex, "slammed", "loaded_language")], "answers": {}}
    assert ada.put(f"/api/assignments/{aid}/draft", json=sent).status_code == 200
    draft = ada.get(f"/api/assignments/{aid}/draft").json["work"]
    expected = ["removed earlier", "vanished words"] if old else ["removed earlier"]
    assert [h["quote"] for h in draft["unplaced"]] == expected
    assert [h["quote"] for h in draft["highlights"]] == ["slammed"]


def test_the_step_score_says_its_precision_counts_characters_not_highlights(
    ada, app, school, highlight
):
    """One highlight, "Executive Associate Director Henry Lucero slammed the", of which the key
    item "slammed" is a part: what the page gives is the share of its characters on the key (a
    word or two around it forgiven, docs/scoring.md), and it says so."""
    ex = exercise(app)
    quote, on_key = "Executive Associate Director Henry Lucero slammed the", "slammed"
    task = ex.task("loaded-language")
    assert [k.quote for k in task.key if k.quote in quote] == [on_key]
    mark = highlight(ex, quote, "loaded_language")
    response = submit(ada, school["assignments"][REPORT_1], ex, [mark])
    page = ada.get(response.location).get_data(as_text=True)
    precision = span_score(task.key, [mark], ["loaded_language"], [mark["article"]]).precision
    share = round(100 * precision)
    assert 0 < share < 100
    assert f"{share}% of the characters you highlighted in this step were on it" in page
    assert "of your highlights in this step were on it" not in page


@pytest.mark.parametrize(
    "show, shown",
    [("missed", "missed"), ("found", "found"), ("all", "all"), ("everything", "all"), ("", "all")],
)
def test_the_feedback_list_is_filtered_without_javascript(ada, app, school, highlight, show, shown):
    ex = exercise(app)
    response = submit(
        ada, school["assignments"][REPORT_1], ex, [highlight(ex, "slammed", "loaded_language")]
    )
    page = ada.get(f"{response.location}?show={show}").get_data(as_text=True)
    assert f'class="step-list feedback-items show-{shown}"' in page
    current = re.findall(r'<a href="[^"]*show=(\w+)#feedback-list"[^>]*aria-current="true"', page)
    assert current == [shown]
    assert "You found 1 of the" in page and "Show in paragraph" in page
    assert page.index("In short") < page.index("The answer key, step by step")
    # one entry per problem: the repeats of one (a group) are one entry
    total = sum(len({k.group or k.id for k in t.key}) for t in ex.tasks if hasattr(t, "key"))
    assert f"Missed or partly found ({total - 1})" in page and "Found (1)" in page
