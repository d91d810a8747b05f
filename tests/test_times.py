"""Times in the school's time zone: CLASSROOM_TIMEZONE, checked at start-up, on every page and
in the autosave answers the pages' scripts show."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from classroom import create_app

REPORT_1 = "la-detainers-report-1"
# No daylight saving time, so a test never meets a change of offset: UTC+05:30, named IST.
KOLKATA = "Asia/Kolkata"


@pytest.fixture
def kolkata(make_app, make_class, tmp_path):
    """An app of a school in Kolkata, with a class of Ada and report 1 assigned."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, TIMEZONE=KOLKATA)
    return app, make_class(app, ["ada"], assign=[REPORT_1])


def near_now_in_kolkata(shown: str) -> bool:
    """Whether an 'HH:MM:SS IST' time is within a minute of now in Kolkata."""
    now = datetime.now(ZoneInfo(KOLKATA))
    at = datetime.combine(now.date(), datetime.strptime(shown, "%H:%M:%S IST").time(), now.tzinfo)
    apart = abs(at - now) % timedelta(days=1)
    return min(apart, timedelta(days=1) - apart) < timedelta(minutes=1)  # midnight between


@pytest.mark.parametrize("name", ["Europe/Londn", "", "Mars/Olympus_Mons", "../../etc/passwd"])
def test_an_unknown_time_zone_stops_the_app_saying_what_to_set(tmp_path, name):
    with pytest.raises(RuntimeError) as raised:
        create_app({"TESTING": True, "DATABASE": str(tmp_path / "db.sqlite"), "TIMEZONE": name})
    message = str(raised.value)
    assert "CLASSROOM_TIMEZONE" in message and repr(name) in message
    assert "Europe/London" in message  # an example of what works


def test_the_school_zone_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CLASSROOM_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CLASSROOM_TIMEZONE", "America/Chicago")
    app = create_app()
    assert app.config["TIMEZONE"] == "America/Chicago"
    assert app.jinja_env.filters["when"]("2031-01-15T18:00:00+00:00") == "15 Jan 2031, 12:00 CST"
    monkeypatch.setenv("CLASSROOM_TIMEZONE", "America/Chicag")
    with pytest.raises(RuntimeError, match="'America/Chicag'"):
        create_app()


def test_utc_stays_the_default(app):
    assert app.config["TIMEZONE"] == "UTC"
    assert app.jinja_env.filters["when"]("2031-01-15T18:00:00+00:00") == "15 Jan 2031, 18:00 UTC"


def test_the_autosave_answer_and_the_exercise_page_say_the_saved_time_in_the_school_zone(
    kolkata, client_of
):
    app, school = kolkata
    student = client_of(app, school["students"][0])
    assignment = school["assignments"][REPORT_1]
    empty = {"highlights": [], "answers": {}, "revision": 0}
    saved = student.put(f"/api/assignments/{assignment}/draft", json=empty)
    assert saved.status_code == 200, saved.json
    assert near_now_in_kolkata(saved.json["saved_time"])
    page = student.get(f"/assignments/{assignment}").get_data(as_text=True)
    shown = re.search(r"All changes saved \(([^)]*)\)", page).group(1)
    assert near_now_in_kolkata(shown) and "UTC" not in shown


def test_the_studio_autosave_answer_says_the_saved_time_in_the_school_zone(kolkata, client_of):
    app, school = kolkata
    teacher = client_of(app, school["teacher"])
    started = teacher.post(
        "/author/studio/new",
        data={"title": "A story", "source": "text", "text": "Some words of a story."},
    )
    draft_id = int(started.location.rstrip("/").rsplit("/", 1)[1])
    saved = teacher.put(f"/api/studio/drafts/{draft_id}", json={"revision": 1, "title": "B"})
    assert saved.status_code == 200, saved.json
    assert near_now_in_kolkata(saved.json["saved_time"])


def test_due_dates_and_submissions_show_in_the_school_zone(kolkata, client_of):
    app, school = kolkata
    teacher = client_of(app, school["teacher"])
    assignment = school["assignments"][REPORT_1]
    teacher.post(
        f"/teacher/assignments/{assignment}/settings",
        data={"due_date": "2031-03-02", "due_time": "09:00", "feedback_after": "submit"},
    )
    class_page = teacher.get(f"/teacher/classes/{school['class']['id']}").get_data(as_text=True)
    assert "2 Mar 2031, 09:00 IST" in class_page
    student = client_of(app, school["students"][0])
    assert "due 2 Mar 2031, 09:00 IST" in student.get("/home").get_data(as_text=True)
    student.post(f"/assignments/{assignment}/submit", data={"highlights": "[]"})
    queue = teacher.get(f"/teacher/assignments/{assignment}/review").get_data(as_text=True)
    assert re.search(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d IST", queue)
