"""The teacher's review: the queue, crediting highlights, scores, comments, and who may do it."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest

from classroom import credit
from classroom.db import get_db
from classroom.exercises import library
from classroom.grading import CORE_WEIGHT
from classroom.store import attempts

REPORT_1 = "la-detainers-report-1"
FLAG = "Federal immigration"  # words that no answer-key item touches


def exercise(app, exercise_id=REPORT_1):
    with app.app_context():
        return library().exercises[exercise_id]


def right_choice(ex):
    return [i for i, o in enumerate(ex.task("quiz").options) if o.correct]


def submit(client, aid, highlights, choice=(), answer=""):
    """Submit an attempt; returns the new attempt's id."""
    form = {
        "highlights": json.dumps(highlights),
        "answer-reflect": answer,
        "choice-quiz": [str(c) for c in choice],
    }
    response = client.post(f"/assignments/{aid}/submit", data=form)
    assert response.status_code == 302
    return int(response.location.rstrip("/").rsplit("/", 1)[1])


def as_user(auth, username):
    auth.logout()
    auth.login(username)


def percent(x) -> str:
    """A score as the pages show it."""
    return f"{round(float(x) * 100)}%"


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def review_url(attempt_id, suffix=""):
    return f"/teacher/attempts/{attempt_id}/review{suffix}"


def form_action(html, pattern):
    """The action of the form on the page whose address matches pattern."""
    match = re.search(rf'action="({pattern})"', html)
    assert match, f"no form posting to {pattern}"
    return match.group(1).replace("&amp;", "&")


def weights(app) -> tuple[int, int]:
    """The weight of report 1's loaded-language key's problems (a group of repeats counts once,
    a core problem CORE_WEIGHT times), and the weight of "slammed" among them."""
    key = exercise(app).task("loaded-language").key
    problems: dict = {}
    for i, item in enumerate(key):
        problems.setdefault(item.group or i, []).append(item)
    weight = {
        name: int(CORE_WEIGHT) if any(k.core for k in members) else 1
        for name, members in problems.items()
    }
    slammed = next(k for k in key if k.quote == "slammed")
    return sum(weight.values()), weight[slammed.group or key.index(slammed)]


@pytest.fixture
def marked(client, auth, app, school, highlight):
    """Ada's attempt at report 1: 'slammed' (in the key), an extra highlight, the right answer.

    Hand-computed scores, with w the weight of the loaded-language key's problems (a group of
    repeats counts once, a core problem CORE_WEIGHT times; w = n for n items without groups or
    core), s the weight of "slammed" in it, and four graded tasks of one point each (loaded
    language, statistics, missing context, quiz):
    - loaded language, before credit: recall s/w, precision (1 + 0)/2, so F1 = 2s/(w + 2s);
    - after crediting the extra: the key has one more item, of weight 1, recall (s + 1)/(w + 1),
      precision 1, so F1 = 2(s + 1)/(w + s + 2);
    - statistics and missing context: no highlight in their categories, so precision and F1 0;
    - quiz: right, 1.
    With n items and no groups or core (s = 1, w = n) these are 2/(n + 2) and 4/(n + 3).
    """
    ex = exercise(app)
    w, s = weights(app)
    auth.login("ada")
    attempt_id = submit(
        client,
        school["assignments"][REPORT_1],
        [
            highlight(ex, "slammed", "loaded_language"),
            highlight(ex, FLAG, "loaded_language", note="a label for the agency"),
        ],
        right_choice(ex),
        "I would look for ICE's own numbers.",
    )
    auth.logout()
    return {
        "attempt": attempt_id,
        "auto": (Fraction(2 * s, w + 2 * s) + 1) / 4,
        "credited": (Fraction(2 * (s + 1), w + s + 2) + 1) / 4,
    }


@pytest.fixture
def teacher(client, auth, marked):
    auth.login("teacher")
    return client


def stored_scores(app, attempt_id):
    with app.app_context():
        db = get_db()
        automatic = db["attempts"].get(attempt_id)["score"]
        counts = next(
            db.query("select score from attempt_scores where attempt_id = ?", [attempt_id])
        )
        return automatic, counts["score"]


# --- the queue --------------------------------------------------------------------------------


def queue_rows(html):
    """(student, status) for each row of the queue, in order."""
    return re.findall(
        r'<tr class="queue-[a-z-]+">\s*<td>([^<]+)</td>\s*<td[^>]*>([^<]+)</td>', html
    )


@pytest.fixture
def busy_queue(client, auth, app, school, enrol_students, highlight):
    """Ben submitted first and on time, Ada later and late, Cleo nothing; a 'the queue' URL."""
    aid = school["assignments"][REPORT_1]
    enrol_students(app, school["class"]["id"], ["cleo"])
    ex = exercise(app)
    ids = {}
    for name in ("ada", "ben"):
        as_user(auth, name)
        ids[name] = submit(client, aid, [highlight(ex, "slammed", "loaded_language")])
    with app.app_context():
        db = get_db()
        db["attempts"].update(ids["ben"], {"submitted_at": "2026-01-05T09:00:00+00:00"})
        db["attempts"].update(ids["ada"], {"submitted_at": "2026-01-05T10:00:00+00:00"})
        db["assignments"].update(aid, {"due_at": "2026-01-05T09:30:00+00:00"})
    as_user(auth, "teacher")
    return {"url": f"/teacher/assignments/{aid}/review", **ids}


def test_queue_puts_work_waiting_for_review_first_oldest_first(client, busy_queue):
    html = page(client, busy_queue["url"])
    assert queue_rows(html) == [
        ("Ben", "Needs review"),
        ("Ada", "Needs review"),
        ("Cleo", "Not submitted"),
    ]
    client.post(f"/teacher/attempts/{busy_queue['ben']}/comment", data={"comment-comment": "Ok"})
    assert queue_rows(page(client, busy_queue["url"])) == [
        ("Ada", "Needs review"),
        ("Ben", "Reviewed"),
        ("Cleo", "Not submitted"),
    ]


@pytest.mark.parametrize(
    "show, expected",
    [
        ("late", [("Ada", "Needs review")]),
        ("missing", [("Cleo", "Not submitted")]),
        ("needs-review", [("Ben", "Needs review"), ("Ada", "Needs review")]),
        ("nonsense", [("Ben", "Needs review"), ("Ada", "Needs review"), ("Cleo", "Not submitted")]),
    ],
)
def test_queue_filters(client, busy_queue, show, expected):
    html = page(client, f"{busy_queue['url']}?show={show}")
    assert queue_rows(html) == expected


def test_queue_shows_counts_late_flag_and_both_scores(client, app, busy_queue):
    client.post(f"/teacher/attempts/{busy_queue['ben']}/score", data={"score-percent": "50"})
    html = page(client, busy_queue["url"])
    assert "All (3)" in html and "Needs review (1)" in html
    assert "Late (1)" in html and "Not submitted (1)" in html
    ada_row = re.search(r"<td>Ada</td>.*?</tr>", html, re.S).group(0)
    ben_row = re.search(r"<td>Ben</td>.*?</tr>", html, re.S).group(0)
    assert "late" in ada_row and "late" not in ben_row
    # 'slammed' alone: recall s/w and precision 1 in one of four graded tasks, F1 2s/(w + s)
    # (with n items and no groups or core, w = n and s = 1: 2/(n + 1))
    w, s = weights(app)
    automatic = percent(Fraction(2 * s, w + s) / 4)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", ben_row)
    assert cells[-2:] == [automatic, "50%"]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", ada_row)[-2:] == [automatic, automatic]
    assert f'href="{review_url(busy_queue["ada"])}"' in ada_row
    assert "Elsewhere" not in html and "<td>Cy</td>" not in html  # another teacher's class


# --- crediting, scores and comments -------------------------------------------------------------


def test_review_page_lays_the_attempt_over_the_key(teacher, marked, app):
    html = page(teacher, review_url(marked["attempt"]))
    assert "Ada: Los Angeles jails and ICE requests: report 1" in html
    assert "key item found" in html and "right place, other category" in html
    assert (
        "[the student&#39;s highlight (Loaded language); not in the key]" in html
    )  # the extra, in the text
    assert "Note: <em>a label for the agency</em>" in html
    assert "I would look for ICE&#39;s own numbers." in html  # the written answer
    assert exercise(app).task("reflect").model_answer[:50] in html
    assert f"Score: <strong>{percent(marked['auto'])}</strong>" in html
    assert "waiting for your review" in html


def test_credit_raises_the_score_and_the_student_sees_it(teacher, client, auth, marked, app):
    html = page(teacher, review_url(marked["attempt"]))
    credit = form_action(html, r"/teacher/attempts/\d+/highlights/\d+/credit")
    response = teacher.post(credit, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert f"Highlight credited. The score is now {percent(marked['credited'])}." in html
    assert f"Score: <strong>{percent(marked['credited'])}</strong>" in html
    assert f"automatic score {percent(marked['auto'])}" in html
    assert "Take back the credit" in html
    automatic, counts = stored_scores(app, marked["attempt"])
    assert automatic == pytest.approx(float(marked["auto"]))  # the attempt is never rewritten
    assert counts == pytest.approx(float(marked["credited"]))

    as_user(auth, "ada")
    student = page(client, f"/attempts/{marked['attempt']}")
    assert f"Your score: <strong>{percent(marked['credited'])}</strong>" in student
    assert f"the automatic score was {percent(marked['auto'])}" in student
    assert f"“{FLAG}”" in student and "credited by your teacher" in student


def test_uncredit_brings_the_automatic_score_back(teacher, client, auth, marked, app):
    html = page(teacher, review_url(marked["attempt"]))
    teacher.post(form_action(html, r"/teacher/attempts/\d+/highlights/\d+/credit"))
    html = page(teacher, review_url(marked["attempt"]))
    uncredit = form_action(html, r"/teacher/attempts/\d+/highlights/\d+/uncredit")
    html = teacher.post(uncredit, follow_redirects=True).get_data(as_text=True)
    assert f"Credit taken back. The score is now {percent(marked['auto'])}." in html
    automatic, counts = stored_scores(app, marked["attempt"])
    assert counts == automatic
    as_user(auth, "ada")
    student = page(client, f"/attempts/{marked['attempt']}")
    assert f"Your score: <strong>{percent(marked['auto'])}</strong>" in student
    assert "credited by your teacher" not in student and "set by your teacher" not in student


def test_crediting_twice_changes_nothing_and_key_highlights_cannot_be_credited(
    teacher, marked, app
):
    html = page(teacher, review_url(marked["attempt"]))
    credit = form_action(html, r"/teacher/attempts/\d+/highlights/\d+/credit")
    teacher.post(credit)
    again = teacher.post(credit, follow_redirects=True).get_data(as_text=True)
    assert "Nothing changed: that highlight was already credited." in again
    with app.app_context():
        db = get_db()
        assert db["review_events"].count == 1
        on_key = next(db.query("select id from attempt_highlights where quote = 'slammed'"))["id"]
        other = next(db.query("select max(id) + 1 as id from attempt_highlights"))["id"]
    refused = teacher.post(f"/teacher/attempts/{marked['attempt']}/highlights/{on_key}/credit")
    assert refused.status_code == 400
    assert b"Only highlights that are not in the answer key can be credited." in refused.data
    missing = teacher.post(f"/teacher/attempts/{marked['attempt']}/highlights/{other}/credit")
    assert missing.status_code == 400 and b"no such highlight" in missing.data


def test_score_and_comment_reach_the_student(teacher, client, auth, marked):
    url = review_url(marked["attempt"])
    response = teacher.post(
        f"/teacher/attempts/{marked['attempt']}/score",
        data={"score-percent": "85"},
        follow_redirects=True,
    )
    assert f"Score set to 85%. The automatic score, {percent(marked['auto'])}, is kept." in (
        response.get_data(as_text=True)
    )
    comment = "Good eye for labels.\nNext time, look at the numbers."
    response = teacher.post(
        f"/teacher/attempts/{marked['attempt']}/comment",
        data={"comment-comment": comment},
        follow_redirects=True,
    )
    assert "Comment saved. The student sees it with their feedback." in response.get_data(
        as_text=True
    )
    assert comment in page(teacher, url)  # back in the form, ready to edit
    as_user(auth, "ada")
    student = page(client, f"/attempts/{marked['attempt']}")
    assert "Your score: <strong>85%</strong>" in student
    assert f"set by your teacher; the automatic score was {percent(marked['auto'])}" in student
    assert "Your teacher's comment" in student and comment in student


def test_a_score_of_zero_counts(teacher, client, auth, marked):
    teacher.post(f"/teacher/attempts/{marked['attempt']}/score", data={"score-percent": "0"})
    as_user(auth, "ada")
    assert "Your score: <strong>0%</strong>" in page(client, f"/attempts/{marked['attempt']}")


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "Enter a score from 0 to 100."),
        ("150", "A score is from 0 to 100."),
        ("-1", "0 to 100"),
        # numbers Python's Decimal reads that are no score; sNaN cannot even be compared
        ("sNaN", "A score is from 0 to 100."),
        ("-sNaN", "A score is from 0 to 100."),
        ("NaN", "A score is from 0 to 100."),
        ("inf", "A score is from 0 to 100."),
        ("-inf", "A score is from 0 to 100."),
        ("1e999", "A score is from 0 to 100."),
        ("1" * 5000, "A score is from 0 to 100."),
    ],
)
def test_a_score_outside_0_to_100_is_refused_with_the_reason(teacher, marked, app, value, message):
    response = teacher.post(
        f"/teacher/attempts/{marked['attempt']}/score", data={"score-percent": value}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert get_db()["review_events"].count == 0


def test_no_comment_no_comment_section(client, auth, marked):
    auth.login("ada")
    assert "Your teacher's comment" not in page(client, f"/attempts/{marked['attempt']}")


def test_history_lists_who_when_old_and_new_beside_the_automatic_score(teacher, marked):
    url = review_url(marked["attempt"])
    teacher.post(form_action(page(teacher, url), r"/teacher/attempts/\d+/highlights/\d+/credit"))
    teacher.post(f"/teacher/attempts/{marked['attempt']}/score", data={"score-percent": "60"})
    teacher.post(f"/teacher/attempts/{marked['attempt']}/comment", data={"comment-comment": "A"})
    teacher.post(f"/teacher/attempts/{marked['attempt']}/comment", data={"comment-comment": "B"})
    html = page(teacher, url)
    table = re.search(r'<table class="table review-history">.*?</table>', html, re.S).group(0)
    rows = [
        [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>\s*<td>.*?</tr>", table, re.S)
    ]
    assert [r[1:] for r in rows] == [
        [
            "Ms Teacher",
            f"Credited “{FLAG}”",
            percent(marked["auto"]),
            percent(marked["credited"]),
        ],
        ["Ms Teacher", "Set the score", percent(marked["credited"]), "60%"],
        ["Ms Teacher", "Comment", "(none)", "A"],
        ["Ms Teacher", "Comment", "A", "B"],
    ]
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC", r[0]) for r in rows)
    assert f"The automatic score, {percent(marked['auto'])}, is kept" in html
    assert "Score: <strong>60%</strong>" in html


def test_an_unchanged_comment_is_not_recorded_again(teacher, marked, app):
    for _ in range(2):
        response = teacher.post(
            f"/teacher/attempts/{marked['attempt']}/comment",
            data={"comment-comment": "Same"},
            follow_redirects=True,
        )
    assert "The comment is unchanged." in response.get_data(as_text=True)
    with app.app_context():
        assert get_db()["review_events"].count == 1


# --- going through the queue --------------------------------------------------------------------


def nav(html):
    """The previous, next and next-waiting links of a review page, as attempt ids."""

    def link(pattern):
        match = re.search(pattern + r'[^>]*href="/teacher/attempts/(\d+)/review', html)
        return int(match.group(1)) if match else None

    return (
        link(r'rel="prev"'),
        link(r'rel="next"'),
        link(r'class="button primary"'),
    )


def test_previous_and_next_follow_the_queue(client, busy_queue):
    ben, ada = busy_queue["ben"], busy_queue["ada"]
    assert nav(page(client, review_url(ben))) == (None, ada, ada)
    assert nav(page(client, review_url(ada))) == (ben, None, ben)
    client.post(f"/teacher/attempts/{ben}/comment", data={"comment-comment": "Seen"})
    # Ben is reviewed now, so he moves below Ada; the next one waiting is still Ada
    assert nav(page(client, review_url(ben))) == (ada, None, ada)
    client.post(f"/teacher/attempts/{ada}/comment", data={"comment-comment": "Seen"})
    html = page(client, review_url(ada))
    assert nav(html) == (None, ben, None)
    assert "Nothing else is waiting for review." in html


def test_next_and_previous_keep_to_the_filter(client, busy_queue):
    html = page(client, review_url(busy_queue["ada"], "?show=late"))
    assert nav(html)[:2] == (None, None)  # Ada is the only late one
    html = page(client, review_url(busy_queue["ben"], "?show=needs-review"))
    assert f'href="{review_url(busy_queue["ada"])}?show=needs-review"' in html


def test_earlier_attempts_are_linked_and_the_queue_shows_the_latest(
    client, auth, app, school, highlight
):
    ex = exercise(app)
    aid = school["assignments"][REPORT_1]
    auth.login("ada")
    first = submit(client, aid, [highlight(ex, "slammed", "loaded_language")])
    latest = submit(client, aid, [])
    as_user(auth, "teacher")
    queue = page(client, f"/teacher/assignments/{aid}/review")
    assert f'href="{review_url(latest)}"' in queue and review_url(first) not in queue
    html = page(client, review_url(latest))
    assert "All attempts of Ada" in html and f'href="{review_url(first)}"' in html
    assert "(this one)" in page(client, review_url(first))


# --- who may review -----------------------------------------------------------------------------


# Every review route: a is the assignment, t the attempt, h its highlight that is not in the key.
ROUTES = [
    ("get", "/teacher/assignments/{a}/review"),
    ("get", "/teacher/assignments/{a}/review?show=late"),
    ("get", "/teacher/attempts/{t}/review"),
    ("post", "/teacher/attempts/{t}/highlights/{h}/credit"),
    ("post", "/teacher/attempts/{t}/highlights/{h}/uncredit"),
    ("post", "/teacher/attempts/{t}/score"),
    ("post", "/teacher/attempts/{t}/comment"),
]
BODY = {"score-percent": "100", "comment-comment": "Hacked"}


def aimed(route, school, marked, app):
    """The route aimed at teacher 'teacher''s assignment and Ada's attempt."""
    with app.app_context():
        extra = next(get_db().query("select id from attempt_highlights where quote = ?", [FLAG]))
    return route.format(a=school["assignments"][REPORT_1], t=marked["attempt"], h=extra["id"])


@pytest.mark.parametrize("method, route", ROUTES)
def test_another_teacher_gets_404_and_changes_nothing(
    client, auth, app, school, marked, method, route
):
    auth.login("other")
    response = getattr(client, method)(aimed(route, school, marked, app), data=BODY)
    assert response.status_code == 404
    with app.app_context():
        assert get_db()["review_events"].count == 0


@pytest.mark.parametrize("method, route", ROUTES)
def test_students_get_403(client, auth, app, school, marked, method, route):
    auth.login("ada")
    response = getattr(client, method)(aimed(route, school, marked, app), data=BODY)
    assert response.status_code == 403


def test_an_attempt_that_does_not_exist_is_404(teacher):
    assert teacher.get(review_url(10**6)).status_code == 404
    assert teacher.post("/teacher/attempts/1000000/comment", data=BODY).status_code == 404


def test_a_review_post_without_csrf_token_is_refused(csrf_app, school, password, csrf_token):
    client = csrf_app.test_client()

    def login(username):
        token = csrf_token(client.get("/login"))
        client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )

    aid = school["assignments"][REPORT_1]
    login("ada")
    token = csrf_token(client.get(f"/assignments/{aid}"))
    response = client.post(
        f"/assignments/{aid}/submit", data={"highlights": "[]", "csrf_token": token}
    )
    attempt_url = review_url(int(response.location.rsplit("/", 1)[1]))
    client.post("/logout", data={"csrf_token": token})
    login("teacher")
    comment = attempt_url.replace("/review", "/comment")
    refused = client.post(comment, data={"comment-comment": "Forged"})
    assert refused.status_code == 400 and b"The form had expired" in refused.data
    with csrf_app.app_context():
        assert get_db()["review_events"].count == 0
    token = csrf_token(client.get(attempt_url))
    accepted = client.post(comment, data={"comment-comment": "Real", "comment-csrf_token": token})
    assert accepted.status_code == 302
    assert "Real" in client.get(attempt_url).get_data(as_text=True)


# --- re-grading, as plain data ------------------------------------------------------------------


def test_regrade_counts_credited_highlights_in_every_task_they_fit():
    """Tasks: highlight on article a (x), compare over a and b (x, y), a choice worth 2 scoring
    0.5, an ungraded written answer. Hand-computed with span_score's rule (see docs/scoring.md).
    """

    def span(article, start, category, **more):
        return {"article": article, "start": start, "end": start + 10, "category": category, **more}

    attempt = {
        "snapshot": {
            "tasks": [
                {
                    "id": "find",
                    "type": "highlight",
                    "points": 1,
                    "graded": True,
                    "article_ids": ["a"],
                    "categories": ["x"],
                    "key": [span("a", 0, "x")],
                },
                {
                    "id": "compare",
                    "type": "compare",
                    "points": 1,
                    "graded": True,
                    "article_ids": ["a", "b"],
                    "categories": ["x", "y"],
                    "key": [span("b", 0, "y")],
                },
                {"id": "quiz", "type": "choice", "points": 2, "graded": True},
                {"id": "reflect", "type": "short_answer", "points": 0, "graded": False},
            ]
        },
        "result": {"tasks": {"quiz": {"score": 0.5}, "reflect": {"score": None}}},
        "highlights": [span("a", 0, "x", id=1), span("b", 20, "y", id=2), span("a", 20, "x", id=3)],
    }
    # find: recall 1, precision 1/2, F1 2/3. compare: nothing of its key found, F1 0.
    assert credit.regrade(attempt, set()) == pytest.approx((2 / 3 + 0 + 2 * 0.5) / 4)
    # Crediting 2 (b, y) adds it to compare only: recall 1/2, precision 1/3, F1 2/5.
    assert credit.regrade(attempt, {2}) == pytest.approx((2 / 3 + 2 / 5 + 1) / 4)
    # Crediting 3 (a, x) too: find scores 1; compare recall 2/3, precision 2/3, F1 2/3.
    assert credit.regrade(attempt, {2, 3}) == pytest.approx((1 + 2 / 3 + 1) / 4)


def test_regrade_without_credits_is_the_automatic_score(app, marked):
    with app.app_context():
        attempt = attempts.get_attempt(get_db(), marked["attempt"])
    assert credit.regrade(attempt, set()) == attempt["auto_score"]
    assert attempt["auto_score"] == pytest.approx(float(marked["auto"]))
