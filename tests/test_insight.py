"""Class insight: completion, score buckets, key items found, the heatmap and common extras.

The class is seeded with highlights built from the exercise's own key items, so every expected
figure below is worked out by hand from those inputs.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classroom import charts
from classroom.content.snapshot import snapshot
from classroom.db import get_db
from classroom.exercises import library
from classroom.store import attempts, drafts, insight, reviews, roster
from classroom.work import clean_work, grade_work

REPORT_1 = "la-detainers-report-1"
SLAMMED, SO_CALLED, DEMOCRAT = "loaded-language.10", "loaded-language.4", "loaded-language.11"
EXTRA = "Federal immigration"  # touches no key item


def exercise(app):
    with app.app_context():
        return library().exercises[REPORT_1]


def on_key(ex, item_id, category=None):
    """A highlight exactly on a key item, in its own category unless told otherwise."""
    item = next(k for k in ex.key_items if k.id == item_id)
    return {
        "article": item.article,
        "start": item.start,
        "end": item.end,
        "category": category or item.category,
        "note": "",
    }


def on_words(ex, words, category):
    """A highlight on the first occurrence of words in the article."""
    start = ex.articles[0].text.index(words)
    return {
        "article": ex.articles[0].id,
        "start": start,
        "end": start + len(words),
        "category": category,
        "note": "",
    }


def perfect(ex):
    return [on_key(ex, k.id) for k in ex.key_items]


def right_options(ex):
    return [i for i, o in enumerate(ex.task("quiz").options) if o.correct]


def record(db, ex, assignment_id, student_id, highlights, quiz=()):
    """An attempt graded and stored as the submit view would store it."""
    work = clean_work(ex, {"highlights": highlights, "answers": {"quiz": list(quiz)}})
    return attempts.record_attempt(
        db, assignment_id, student_id, snapshot(ex), work, grade_work(ex, work)
    )


def latest_attempt(db, assignment_id, student_id):
    return next(
        db.query(
            "select max(id) as id from attempts where assignment_id = ? and student_id = ?",
            [assignment_id, student_id],
        )
    )["id"]


@pytest.fixture
def seeded(app, client, auth, school, enrol_students):
    """Six students in the class and one who left:
    ada    submits a perfect attempt, then (latest) slammed + the extra as loaded language;
           the teacher sets that score to 45 %
    ben    has a draft only
    cat    submits every key item and the right quiz answer: 100 %
    dan    slammed as missing context, so-called, the extra as a statistic; set to 70 %
    eve    submits nothing highlighted: 0 %
    fay    has not started
    gus    submits a perfect attempt plus the extra, then leaves the class
    """
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    ada, ben = school["students"]
    auth.login("ada")
    for highlights in (perfect(ex), [on_key(ex, SLAMMED), on_words(ex, EXTRA, "loaded_language")]):
        response = client.post(
            f"/assignments/{aid}/submit", data={"highlights": json.dumps(highlights)}
        )
        assert response.status_code == 302
    auth.logout()
    cat, dan, eve, fay, gus = enrol_students(
        app, school["class"]["id"], ["cat", "dan", "eve", "fay", "gus"]
    )
    with app.app_context():
        db = get_db()
        drafts.save_draft(db, aid, ben, ex.version, {"highlights": [], "answers": {}})
        record(db, ex, aid, cat, perfect(ex), right_options(ex))
        dan_attempt = record(
            db,
            ex,
            aid,
            dan,
            [
                on_key(ex, SLAMMED, "missing_context"),
                on_key(ex, SO_CALLED),
                on_words(ex, EXTRA, "unverified_statistic"),
            ],
        )
        record(db, ex, aid, eve, [])
        gus_attempt = record(
            db, ex, aid, gus, [*perfect(ex), on_words(ex, EXTRA, "loaded_language")]
        )
        roster.remove_student(db, school["class"]["id"], gus)
        ada_attempt = latest_attempt(db, aid, ada)
        reviews.set_score(db, ada_attempt, 0.45, school["teacher"])
        reviews.set_score(db, dan_attempt, 0.70, school["teacher"])
        extra_ids = {
            r["attempt_id"]: r["id"]
            for r in db.query(
                "select id, attempt_id from attempt_highlights where quote = ?", [EXTRA]
            )
        }
    return SimpleNamespace(
        ex=ex,
        aid=aid,
        ada_attempt=ada_attempt,
        dan_attempt=dan_attempt,
        gus_attempt=gus_attempt,
        extra_ids=extra_ids,
        school=school,
    )


@pytest.fixture
def teacher(client, auth, seeded):
    auth.login("teacher")
    return client


def insight_url(seeded, suffix=""):
    return f"/teacher/assignments/{seeded.aid}/insight{suffix}"


def figures(app, seeded):
    with app.app_context():
        db = get_db()
        ex = snapshot(seeded.ex)
        done = insight.completion(db, seeded.aid, ex["version"])
        return SimpleNamespace(
            ex=ex,
            completion=done,
            distribution=insight.score_distribution(db, seeded.aid),
            items=insight.key_item_shares(db, seeded.aid, ex),
            heatmap=insight.heatmap(db, seeded.aid, ex, done["on_version"]),
            extras=insight.common_extras(db, seeded.aid, ex),
        )


def test_completion_counts_enrolled_students_by_their_latest_state(app, seeded):
    done = figures(app, seeded).completion
    # ada cat dan eve submitted, ben has a draft, fay nothing; gus has left
    assert done == {
        "students": 6,
        "submitted": 4,
        "in_progress": 1,
        "not_started": 1,
        "on_version": 4,
    }


def test_scores_fall_in_buckets_by_the_score_that_counts(app, seeded):
    distribution = figures(app, seeded).distribution
    # eve 0 %, ada 45 % (set by the teacher), dan 70 % (set), cat 100 %; ada's first 100 % and
    # gus's are not counted
    assert [b["students"] for b in distribution["buckets"]] == [1, 0, 0, 0, 1, 0, 0, 1, 0, 1]
    assert (distribution["buckets"][0]["low"], distribution["buckets"][0]["high"]) == (0, 9)
    assert (distribution["buckets"][9]["low"], distribution["buckets"][9]["high"]) == (90, 100)
    assert distribution["unscored"] == 0


@pytest.mark.parametrize(
    "score, bucket",
    [(0.0, 0), (0.094, 0), (0.095, 1), (0.5, 5), (0.894, 8), (0.899, 9), (0.9, 9), (1.0, 9)],
)
def test_a_score_goes_in_the_bucket_of_its_percentage_as_shown(app, school, score, bucket):
    aid = school["assignments"][REPORT_1]
    with app.app_context():
        db = get_db()
        attempt = record(db, exercise(app), aid, school["students"][0], [])
        reviews.set_score(db, attempt, score, school["teacher"])
        buckets = insight.score_distribution(db, aid)["buckets"]
    assert [b["students"] for b in buckets] == [int(i == bucket) for i in range(10)]


def test_key_items_are_sorted_hardest_first_with_shares_of_submitters(app, seeded):
    items = figures(app, seeded).items
    # cat found every item; ada found slammed; dan found so-called and marked slammed as
    # missing context (the right place, another category)
    others = [k.id for k in seeded.ex.key_items if k.id not in (SLAMMED, SO_CALLED)]
    assert [i["id"] for i in items] == [*others, SO_CALLED, SLAMMED]
    by_id = {i["id"]: i for i in items}
    assert (by_id[SLAMMED]["found"], by_id[SLAMMED]["partly"]) == (2, 1)
    assert (by_id[SO_CALLED]["found"], by_id[SO_CALLED]["partly"]) == (2, 0)
    assert by_id[SO_CALLED]["share"] == 2 / 4
    assert all((by_id[i]["found"], by_id[i]["share"]) == (1, 1 / 4) for i in others)
    assert by_id[DEMOCRAT]["quote"] == "Democrat" and by_id[DEMOCRAT]["submitted"] == 4


# --- the heatmap's sweep against a plain count, place by place, on made-up highlights --------

ARTICLES, CATEGORIES = ("a", "b", "c"), ("x", "y", "z")
# A student's highlights, in a short stretch of a few articles so that they often overlap,
# nest, touch or repeat, their own as much as other students'.
HIGHLIGHTS = st.lists(
    st.tuples(
        st.sampled_from(ARTICLES),
        st.integers(0, 24),
        st.integers(1, 8),
        st.sampled_from(CATEGORIES),
    ).map(lambda h: {"article": h[0], "start": h[1], "end": h[1] + h[2], "category": h[3]}),
    max_size=6,
)


def counted_place_by_place(work):
    """The stretches between any two edges, with the distinct students covering each place in
    them and those per category, worked out one place at a time."""
    stretches = []
    for article in sorted({h["article"] for highlights in work for h in highlights}):
        mine = [
            (student, h)
            for student, highlights in enumerate(work)
            for h in highlights
            if h["article"] == article
        ]
        edges = sorted({h[side] for _, h in mine for side in ("start", "end")})
        for start, end in zip(edges, edges[1:], strict=False):
            places = {
                frozenset(((s, h["category"]) for s, h in mine if h["start"] <= at < h["end"]))
                for at in range(start, end)
            }
            assert len(places) == 1  # no edge inside: every place alike
            (covering,) = places
            students = {s for s, _ in covering}
            if students:
                categories = sorted({c for _, c in covering})
                stretches.append(
                    {
                        "article_id": article,
                        "start": start,
                        "end": end,
                        "students": len(students),
                        "categories": {
                            c: len({s for s, k in covering if k == c}) for c in categories
                        },
                    }
                )
    return stretches


# One app and school for all the examples, which is safe: each example makes a class of its own.
@settings(
    suppress_health_check=[*settings().suppress_health_check, HealthCheck.function_scoped_fixture]
)
@given(work=st.lists(HIGHLIGHTS, min_size=1, max_size=5))
def test_coverage_counts_each_student_once_per_place(app, school, make_class, work):
    ex = exercise(app)
    sweep = make_class(app, 5, name="Sweep", teacher=school["teacher"], assign=[REPORT_1])
    aid, students = sweep["assignments"][REPORT_1], sweep["students"]
    with app.app_context():
        db = get_db()
        for student, highlights in zip(students, work, strict=False):
            attempt = record(db, ex, aid, student, [])
            db["attempt_highlights"].insert_all(
                {
                    "attempt_id": attempt,
                    "article_id": h["article"],
                    "start": h["start"],
                    "end": h["end"],
                    "quote": "...",  # not read here
                    "category": h["category"],
                }
                for h in highlights
            )
        found = insight.coverage(db, aid, ex.version)
    expected = counted_place_by_place(work)
    assert found == expected
    # categories in name order too, as the SQL sweep gave them
    assert [list(r["categories"]) for r in found] == [list(r["categories"]) for r in expected]


def segment_over(heatmap, words):
    """The heatmap segment whose text is exactly these words."""
    return next(s for p in heatmap[0]["paragraphs"] for s in p if s["text"] == words)


def test_heatmap_counts_students_and_categories_per_stretch(app, seeded):
    heatmap = figures(app, seeded).heatmap
    slammed = segment_over(heatmap, "slammed")  # ada and cat as loaded language, dan as context
    assert slammed["students"] == 3
    assert slammed["classes"] == "heat heat-4 heat-key"  # 3 of 4 is 75 %: the fourth shade
    assert slammed["label"] == (
        "3 of 4 students highlighted this: Loaded language 2, Missing context 1; "
        "answer-key item (Loaded language)"
    )
    so_called = segment_over(heatmap, "so-called")  # cat and dan
    assert (so_called["students"], so_called["classes"]) == (2, "heat heat-3 heat-key")
    extra = segment_over(heatmap, EXTRA)  # ada and dan; gus has left the class
    assert extra["classes"] == "heat heat-3"
    assert extra["label"] == (
        "2 of 4 students highlighted this: Loaded language 1, Unverified statistic 1"
    )
    democrat = segment_over(heatmap, "Democrat")  # cat alone: ada's perfect first try is old
    assert (democrat["students"], democrat["classes"]) == (1, "heat heat-2 heat-key")
    assert segment_over(heatmap, " Sheriff’s commitment to ")["classes"] == ""


def test_heatmap_keeps_the_whole_text_in_order(app, seeded):
    heatmap = figures(app, seeded).heatmap
    text = seeded.ex.articles[0].text
    joined = "".join(s["text"] for p in heatmap[0]["paragraphs"] for s in p)
    assert joined == re.sub(r"\n[ \t]*\n\s*", "", text)


def test_heatmap_shows_the_reports_own_headline_once_as_its_title(app, seeded, teacher):
    [report] = figures(app, seeded).heatmap
    assert report["headline"] is True
    assert "".join(s["text"] for s in report["paragraphs"][0]) == report["title"]
    page = teacher.get(insight_url(seeded)).get_data(as_text=True)
    assert page.count("Jails Have") == 1 and '<h3 class="headline">' in page


def test_common_extras_group_students_and_list_the_highlights_to_credit(app, seeded):
    extras = figures(app, seeded).extras
    assert len(extras) == 1  # every other highlight touches a key item
    (row,) = extras
    assert row["quote"] == EXTRA and row["students"] == 2 and row["places"] == 1
    assert row["categories"] == {"loaded_language": 1, "unverified_statistic": 1}
    assert row["mix"] == "Loaded language 1, Unverified statistic 1"
    ada_id, dan_id = seeded.extra_ids[seeded.ada_attempt], seeded.extra_ids[seeded.dan_attempt]
    assert sorted(row["to_credit"]) == sorted([ada_id, dan_id])


@pytest.mark.parametrize(
    "heat, share", [(0, (0, 4)), (1, (1, 50)), (1, (1, 5)), (2, (1, 4)), (4, (3, 4)), (5, (4, 4))]
)
def test_heat_level_grows_with_the_share_of_students(heat, share):
    assert charts.heat_level(*share) == heat


def test_insight_page_draws_the_figures_as_pictures_and_text(teacher, seeded):
    response = teacher.get(insight_url(seeded))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'role="img"' in page and '<title id="completion-title">' in page
    assert "Submitted: <strong>4</strong>" in page and "In progress: <strong>1</strong>" in page
    assert "Not started: <strong>1</strong>" in page
    assert '<th scope="row">40–49 %</th><td>1</td>' in page  # the hidden table
    assert page.index("“Democrat”") < page.index("“so-called”") < page.index("“slammed”")
    assert (
        '<span class="heat heat-4 heat-key" tabindex="0" title="3 of 4 students highlighted '
        'this: Loaded language 2, Missing context 1; answer-key item (Loaded language)">'
        '<span class="sr-only">[3 of 4 students highlighted this' in page
    )
    ids = ",".join(
        map(str, sorted(seeded.extra_ids[a] for a in (seeded.ada_attempt, seeded.dan_attempt)))
    )
    assert f'value="{ids}"' in page and "Credit for all" in page
    assert " style=" not in page and "<script" not in page  # the CSP forbids both


def test_credit_for_all_credits_each_listed_highlight_of_latest_attempts(app, teacher, seeded):
    ada_id, dan_id = seeded.extra_ids[seeded.ada_attempt], seeded.extra_ids[seeded.dan_attempt]
    gus_id = seeded.extra_ids[seeded.gus_attempt]  # gus left the class: never credited here
    response = teacher.post(
        insight_url(seeded, "/credit"), data={"highlights": f"{ada_id},{dan_id},{gus_id}"}
    )
    assert response.status_code == 302
    with app.app_context():
        db = get_db()
        events = list(
            db.query(
                "select attempt_id, highlight_id, teacher_id, score_after from review_events "
                "where kind = 'credit' order by highlight_id"
            )
        )
        assert [(e["attempt_id"], e["highlight_id"]) for e in events] == sorted(
            [(seeded.ada_attempt, ada_id), (seeded.dan_attempt, dan_id)], key=lambda e: e[1]
        )
        assert all(e["teacher_id"] == seeded.school["teacher"] for e in events)
        assert all(e["score_after"] is not None for e in events)
        assert reviews.credited_ids(db, seeded.ada_attempt) == {ada_id}
    page = teacher.get(response.location).get_data(as_text=True)
    assert "Credited 2 highlights" in page
    assert "Credit for all" not in page
    assert re.search(r'<td class="actions">\s*Credited', page)
    # crediting again changes nothing
    teacher.post(insight_url(seeded, "/credit"), data={"highlights": f"{ada_id},{dan_id}"})
    with app.app_context():
        count = next(
            get_db().query("select count(*) as n from review_events where kind = 'credit'")
        )
    assert count["n"] == 2


@pytest.mark.parametrize("bad", ["", "1,x", "1;2"])
def test_credit_for_all_refuses_what_is_not_a_list_of_ids(teacher, seeded, bad):
    assert teacher.post(insight_url(seeded, "/credit"), data={"highlights": bad}).status_code == 400


def test_credit_for_all_refuses_a_highlight_that_is_in_the_key(app, teacher, seeded):
    with app.app_context():
        on_key_id = next(
            get_db().query(
                "select id from attempt_highlights where attempt_id = ? and quote = 'slammed'",
                [seeded.ada_attempt],
            )
        )["id"]
    response = teacher.post(insight_url(seeded, "/credit"), data={"highlights": str(on_key_id)})
    assert response.status_code == 400


def test_credit_for_all_needs_the_form_token(csrf_app, school, password, csrf_token):
    client = csrf_app.test_client()

    def login(username):
        token = csrf_token(client.get("/login"))
        client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )

    ex, aid = exercise(csrf_app), school["assignments"][REPORT_1]
    login("ada")
    token = csrf_token(client.get(f"/assignments/{aid}"))
    highlights = json.dumps([on_words(ex, EXTRA, "loaded_language")])
    client.post(f"/assignments/{aid}/submit", data={"highlights": highlights, "csrf_token": token})
    client.post("/logout", data={"csrf_token": token})
    login("teacher")
    url = f"/teacher/assignments/{aid}/insight"
    page = client.get(url).get_data(as_text=True)
    ids = re.search(r'name="highlights"[^>]* value="([0-9,]+)"', page).group(1)
    refused = client.post(f"{url}/credit", data={"highlights": ids})
    assert refused.status_code == 400
    with csrf_app.app_context():
        assert get_db()["review_events"].count == 0
    token = csrf_token(client.get(url))
    accepted = client.post(f"{url}/credit", data={"highlights": ids, "csrf_token": token})
    assert accepted.status_code == 302
    with csrf_app.app_context():
        assert get_db()["review_events"].count == 1


def test_another_teacher_gets_404_and_students_403(client, auth, seeded):
    auth.login("other")
    assert client.get(insight_url(seeded)).status_code == 404
    assert client.post(insight_url(seeded, "/credit"), data={"highlights": "1"}).status_code == 404
    assert (
        client.get(f"/teacher/assignments/{seeded.school['other_assignment']}/insight").status_code
        == 200
    )
    auth.logout()
    auth.login("ada")
    assert client.get(insight_url(seeded)).status_code == 403
    assert client.post(insight_url(seeded, "/credit"), data={"highlights": "1"}).status_code == 403


def test_insight_of_an_assignment_nobody_has_started(client, auth, school):
    auth.login("teacher")
    page = client.get(f"/teacher/assignments/{school['assignments'][REPORT_1]}/insight")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nobody has submitted yet." in text and "Not started: <strong>2</strong>" in text
    assert "Every highlight touches an answer-key item." in text


def test_stacked_bar_and_columns_are_drawn_from_the_counts():
    bar = charts.stacked_bar({"students": 8, "submitted": 4, "in_progress": 2, "not_started": 2})
    assert [(s["x"], s["width"]) for s in bar] == [(0, 50), (50, 25), (75, 25)]
    columns = charts.column_chart([{"students": n} for n in (2, 0, 1)], height=100, step=20)
    assert [(c["y"], c["height"]) for c in columns] == [(0, 100), (100, 0), (50, 50)]
    assert [c["x"] for c in columns] == [2, 22, 42]


# --- no N+1: the same statements for a class of 5 as for one of 50 -------------------------


def class_with_work(make_class, app, teacher_id, ex, size, name):
    """A class of `size` students, each with a latest attempt (some also an older one) and a
    mix of key and extra highlights, plus a few drafts."""
    klass = make_class(app, size, name=name, teacher=teacher_id, assign=[REPORT_1])
    aid = klass["assignments"][REPORT_1]
    items = [k.id for k in ex.key_items]
    with app.app_context():
        db = get_db()
        for i, student in enumerate(klass["students"]):
            if i % 5 == 4:
                drafts.save_draft(db, aid, student, ex.version, {"highlights": [], "answers": {}})
                continue
            if i % 3 == 0:
                record(db, ex, aid, student, [on_key(ex, items[0])])
            chosen = [on_key(ex, items[(i + j) % len(items)]) for j in range(0, 12, 2)]
            chosen.append(on_words(ex, EXTRA, "loaded_language"))
            record(db, ex, aid, student, chosen, right_options(ex)[: i % 2])
    return aid


def test_one_insight_page_runs_the_same_statements_for_5_or_50_students(
    app, client, auth, school, monkeypatch, make_class, trace_statements
):
    ex = exercise(app)
    small = class_with_work(make_class, app, school["teacher"], ex, 5, "small")
    large = class_with_work(make_class, app, school["teacher"], ex, 50, "large")
    auth.login("teacher")
    statements = trace_statements(monkeypatch)
    counts, queries = {}, {}
    for aid in (small, large):
        statements.clear()
        assert client.get(f"/teacher/assignments/{aid}/insight").status_code == 200
        counts[aid] = len(statements)
        # sqlite-utils wraps each query in a savepoint; the queries are what matter here
        queries[aid] = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))]
    assert counts[small] == counts[large]
    assert len(queries[small]) == len(queries[large])
    # the user, the assignment, then one query per figure: completion, scores, key items,
    # heatmap and extras
    assert len(queries[small]) == 7
