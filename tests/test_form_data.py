"""A submitted form's fields are read exactly as Werkzeug reads them, whatever was sent."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from flask import request
from hypothesis import given, settings
from hypothesis import strategies as st

from classroom.form_data import ERRORS, Request, parse_qsl, unquote

# What a form body is made of, hostile bytes included: escapes good and broken, separators,
# backslashes (which the quick path must keep as they are), text beyond ASCII.
PIECES = st.sampled_from(
    ["%", "%2", "%22", "%7B", "%C3%A9", "%C3", "%FF", "%zz", "+", "=", "&", "\\", "\\x41"]
)
BODIES = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=30).map("".join)


def werkzeug_reads(body: str) -> list[tuple[str, str]]:
    return urllib.parse.parse_qsl(body, keep_blank_values=True, errors=ERRORS)


@settings(max_examples=500)
@given(BODIES)
def test_any_body_is_read_as_werkzeug_reads_it(body):
    assert parse_qsl(body) == werkzeug_reads(body)


@pytest.mark.parametrize(
    "text",
    ["plain", "%22a%22", "caf%C3%A9", "%C3", "100%", "%zz%22", "\\%41", "é%22", "%5C%78%34%31"],
)
def test_a_value_is_unquoted_as_urllib_does(text):
    assert unquote(text) == urllib.parse.unquote(text, errors=ERRORS)


def test_a_submission_as_the_browser_sends_it_is_read_whole(app):
    highlights = [
        {"article": "a", "start": 1, "end": 9, "category": "loaded", "note": "“why?” \\ é"}
    ]
    body = urllib.parse.urlencode({"highlights": json.dumps(highlights), "answer-x": "a&b=c"})
    with app.test_request_context(
        "/", method="POST", data=body, content_type="application/x-www-form-urlencoded"
    ):
        assert isinstance(request, Request)
        assert json.loads(request.form["highlights"]) == highlights
        assert request.form["answer-x"] == "a&b=c"
