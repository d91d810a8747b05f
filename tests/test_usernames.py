"""One rule for usernames, the same for a student joining a class and for `flask create-teacher`:
nobody can choose a name that passes for another (a Cyrillic "е" in "tеacher")."""

from __future__ import annotations

import pytest

from classroom import usernames
from classroom.db import get_db

GOOD = ["ada", "Grace", "ms.hopper", "b-o_k", "a" * 32, "x2y"]
# (username, what the refusal says)
BAD = {
    "Cyrillic e": ("t\u0435acher", "Use letters, digits"),
    "Cyrillic a": ("\u0430da", "Use letters, digits"),
    "Greek omicron": ("r\u03bfot", "Use letters, digits"),
    "fullwidth letters": ("\uff54eacher", "Use letters, digits"),
    "accented": ("zo\u00eb", "Use letters, digits"),
    "zero-width space": ("ada\u200b", "Use letters, digits"),
    "a space": ("ms hopper", "Use letters, digits"),
    "a trailing newline": ("teacher\n", "Use letters, digits"),
    "punctuation": ("bad name!", "Use letters, digits"),
    "too short": ("ab", "3 to 32 characters"),
    "too long": ("a" * 33, "3 to 32 characters"),
}


@pytest.mark.parametrize("username", GOOD)
def test_plain_usernames_may_be_chosen(username):
    assert usernames.problem(username) is None


@pytest.mark.parametrize("username, message", BAD.values(), ids=BAD)
def test_the_rule_says_what_is_wrong(username, message):
    assert message in usernames.problem(username)


@pytest.mark.parametrize("username, message", BAD.values(), ids=BAD)
def test_joining_a_class_refuses_the_username(client, app, school, username, message):
    with app.app_context():
        before = get_db()["users"].count
    response = client.post(
        "/join",
        data={
            "join_code": school["class"]["join_code"],
            "display_name": "Dee",
            "username": username,
            "password": "long enough words",
            "confirm": "long enough words",
        },
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert get_db()["users"].count == before


@pytest.mark.parametrize("username, message", BAD.values(), ids=BAD)
def test_create_teacher_refuses_the_username(runner, app, username, message):
    result = runner.invoke(args=["create-teacher", username, "--password", "a good password"])
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert get_db()["users"].count == 0


@pytest.mark.parametrize("username", GOOD)
def test_create_teacher_takes_a_username_joining_would(runner, username):
    result = runner.invoke(args=["create-teacher", username, "--password", "a good password"])
    assert result.exit_code == 0, result.output
