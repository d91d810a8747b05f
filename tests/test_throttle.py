"""Slowing down password and join-code guessing without locking the right people out (OWASP's
device cookies): a browser that has logged in to an account before is not held back by other
people's failures; strangers are limited per account and per address; a teacher's reset lifts
the lock; and guesses sent at once never get more than the limit checked, under `flask run`
and under gunicorn."""

from __future__ import annotations

import http.client
import re
import threading
from datetime import datetime
from urllib.parse import urlencode

import pytest
from itsdangerous import URLSafeSerializer

from classroom.db import get_db
from classroom.store import accounts, throttle

ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}  # another school's network


def fail(client, username, times, address=None):
    """Wrong passwords for username, each refused with the form again (not 429)."""
    for _ in range(times):
        response = client.post(
            "/login",
            data={"username": username, "password": "wrong password"},
            environ_base=address or {},
        )
        assert response.status_code == 200


def logged_in_once(app, username, password):
    """A browser that has logged in to the account (and out again): it holds a device cookie."""
    client = app.test_client()
    assert (
        client.post("/login", data={"username": username, "password": password}).status_code == 302
    )
    client.post("/logout")
    return client


def test_made_up_usernames_from_one_address_do_not_lock_out_known_browsers(app, school, password):
    teacher, ben = (logged_in_once(app, name, password) for name in ("teacher", "ben"))
    attacker = app.test_client()  # on the same school network as everyone
    for n in range(throttle.MAX_PER_ADDRESS):
        attacker.post("/login", data={"username": f"made-up{n}", "password": "guess"})
    assert (
        attacker.post("/login", data={"username": "ada", "password": password}).status_code == 429
    )
    for client, name in ((teacher, "teacher"), (ben, "ben")):
        response = client.post("/login", data={"username": name, "password": password})
        assert response.status_code == 302, name


def test_wrong_passwords_for_the_teacher_do_not_lock_out_the_real_teacher(app, school, password):
    teacher = logged_in_once(app, "teacher", password)
    attacker = app.test_client()
    fail(attacker, "teacher", throttle.MAX_PER_ACCOUNT, ELSEWHERE)
    refused = attacker.post(
        "/login", data={"username": "teacher", "password": password}, environ_base=ELSEWHERE
    )
    assert refused.status_code == 429
    assert b"Too many failed logins. Try again in" in refused.data
    assert (
        teacher.post("/login", data={"username": "teacher", "password": password}).status_code
        == 302
    )
    assert b"Period 1" in teacher.get("/teacher/").data


def test_a_known_browser_is_limited_too_then_treated_as_a_stranger(app, school, password):
    ada = logged_in_once(app, "ada", password)
    fail(ada, "ada", throttle.MAX_PER_DEVICE + throttle.MAX_PER_ACCOUNT)
    assert ada.post("/login", data={"username": "ada", "password": password}).status_code == 429


def test_a_forged_device_cookie_is_a_stranger(app, school, password):
    forger = app.test_client()
    forger.set_cookie("device", "WyJhYmMiXQ.forged-signature")
    fail(forger, "ada", throttle.MAX_PER_ACCOUNT)
    assert forger.post("/login", data={"username": "ada", "password": password}).status_code == 429


def test_a_device_cookie_is_for_its_own_account_only(app, school, password):
    ben = logged_in_once(app, "ben", password)  # ben's browser, trying ada's account
    fail(ben, "ada", throttle.MAX_PER_ACCOUNT)
    assert ben.post("/login", data={"username": "ada", "password": password}).status_code == 429


def test_a_teachers_reset_lifts_the_lock(app, school, client_of, password):
    ada = app.test_client()
    fail(ada, "ada", throttle.MAX_PER_ACCOUNT)
    assert ada.post("/login", data={"username": "ada", "password": password}).status_code == 429
    teacher = client_of(app, school["teacher"])
    page = teacher.post(
        f"/teacher/classes/{school['class']['id']}/students/{school['students'][0]}/reset-password"
    )
    code = re.search(r'class="one-time-code"><code>(\w+)</code>', page.text).group(1)
    response = ada.post("/login", data={"username": "ada", "password": code})
    assert response.status_code == 302
    assert ada.get("/home").location == "/password"


def test_a_stranger_gets_at_most_twenty_guesses_an_hour_at_one_account(app, school):
    """Four windows of 15 minutes, the clock moved on by a window each time (the failures made
    older): 5 guesses are checked in each, 20 in the hour, then the account is held again."""
    attacker, checked = app.test_client(), 0
    for _ in range(4):
        for _ in range(throttle.MAX_PER_ACCOUNT + 3):
            response = attacker.post("/login", data={"username": "ada", "password": "guess"})
            checked += response.status_code == 200
            assert response.status_code in (200, 429)
        with app.app_context():
            db = get_db()
            for row in list(db.query("select id, at from login_failures")):
                earlier = datetime.fromisoformat(row["at"]) - throttle.WINDOW
                db["login_failures"].update(
                    row["id"], {"at": earlier.isoformat(timespec="seconds")}
                )
    assert checked == 20


def test_failures_on_an_unknown_username_count_per_address(app, school, password):
    """Per-address limits hold back strangers only: an address that sent too many guesses for
    made-up names is refused, another address is not."""
    attacker = app.test_client()
    for n in range(throttle.MAX_PER_ADDRESS):
        attacker.post(
            "/login", data={"username": f"made-up{n}", "password": "x"}, environ_base=ELSEWHERE
        )
    assert (
        attacker.post(
            "/login", data={"username": "ben", "password": password}, environ_base=ELSEWHERE
        ).status_code
        == 429
    )
    assert (
        app.test_client().post("/login", data={"username": "ben", "password": password}).status_code
        == 302
    )


# --- guesses sent at once ------------------------------------------------------------------

GUESSES = 40


def guess_at_once(port: int, username: str, times: int) -> list[int]:
    """Send wrong passwords for username all at once from threads; the statuses."""
    start, statuses = threading.Barrier(times), [0] * times
    body = urlencode({"username": username, "password": "a wrong guess"})

    def guess(i: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start.wait()
        connection.request(
            "POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        statuses[i] = connection.getresponse().status
        connection.close()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_guesses_sent_at_once_under_flask_run_get_no_more_than_the_limit_checked(
    app, school, threaded_server
):
    with threaded_server(app) as port:
        statuses = guess_at_once(port, "ada", GUESSES)
    assert sorted(statuses) == [200] * throttle.MAX_PER_ACCOUNT + [429] * (
        GUESSES - throttle.MAX_PER_ACCOUNT
    )


def test_guesses_sent_at_once_under_gunicorn_get_no_more_than_the_limit_checked(
    tmp_path, make_app, make_class, gunicorn_server
):
    """Two worker processes of eight threads each: the count is shared through the database."""
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("WTF_CSRF_ENABLED = False\n")
    app = make_app(instance, DATABASE=str(instance / "classroom.sqlite"))
    make_class(app, ["ada"])
    app.extensions["classroom.db"].close()
    flags = ("--workers", "2", "--worker-class", "gthread", "--threads", "8")
    with gunicorn_server(instance, tmp_path / "gunicorn.log", *flags) as port:
        statuses = guess_at_once(port, "ada", GUESSES)
    assert sorted(statuses) == [200] * throttle.MAX_PER_ACCOUNT + [429] * (
        GUESSES - throttle.MAX_PER_ACCOUNT
    )


# --- join codes ------------------------------------------------------------------------------


def join_form(code: str, username: str = "dee") -> dict:
    words = "long enough words"
    return {"join_code": code, "display_name": "Dee", "username": username} | {
        "password": words,
        "confirm": words,
    }


def test_wrong_join_codes_are_limited_per_address(client, school):
    for n in range(throttle.MAX_JOIN_PER_ADDRESS):
        response = client.post("/join", data=join_form(f"NOPE{n:02d}"))
        assert b"No class has this join code" in response.data
    right = join_form(school["class"]["join_code"])
    refused = client.post("/join", data=right)
    assert refused.status_code == 429
    assert b"Too many wrong join codes from this network. Try again in" in refused.data
    assert client.post("/join", data=right, environ_base=ELSEWHERE).location == "/home"


def test_wrong_join_codes_from_everywhere_hold_back_only_the_guessers(app, school, monkeypatch):
    """Guesses spread over many addresses are limited together (so no class's code can be
    found quickly from many machines), without refusing a student who types the right code."""
    monkeypatch.setattr(throttle, "MAX_JOIN_EVERYWHERE", 10)
    client = app.test_client()
    for n in range(10):
        client.post("/join", data=join_form("NOPE99"), environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
    right = join_form(school["class"]["join_code"])
    refused = client.post("/join", data=right, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert refused.status_code == 429
    assert client.post("/join", data=right, environ_base=ELSEWHERE).location == "/home"


def test_two_joins_with_one_username_at_once_get_a_message_not_a_crash(client, school, monkeypatch):
    """The second of two joins passes the 'is it taken?' check before the first is stored."""
    monkeypatch.setattr(accounts, "username_taken", lambda db, username: False)
    response = client.post("/join", data=join_form(school["class"]["join_code"], "ada"))
    assert response.status_code == 409
    assert b"This username is taken. Try another." in response.data


@pytest.mark.parametrize("what", ["session token", "device token", "one-time code"])
def test_nothing_a_browser_holds_is_stored_as_it_is(app, school, client_of, what, password):
    """Only hashes of session tokens, device tokens and one-time codes are in the database."""
    client = app.test_client()
    client.post("/login", data={"username": "ada", "password": password})
    if what == "session token":
        with client.session_transaction() as session:
            held = [session["sid"]]
    elif what == "device token":
        held = URLSafeSerializer("unsigned").loads_unsafe(client.get_cookie("device").value)[1]
    else:
        teacher = client_of(app, school["teacher"])
        page = teacher.post(
            f"/teacher/classes/{school['class']['id']}/students/{school['students'][1]}"
            "/reset-password"
        )
        held = [re.search(r'class="one-time-code"><code>(\w+)</code>', page.text).group(1)]
    assert held and all(len(secret) >= 10 for secret in held)
    with app.app_context():
        db = get_db()
        if db.engine == "sqlite":
            dump = "\n".join(db.conn.iterdump())
        else:  # every row of every table
            dump = "\n".join(
                repr(r) for t in db.table_names() for r in db.query(f"select * from {t}")
            )
    assert not [secret for secret in held if secret in dump]
