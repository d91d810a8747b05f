"""The app's Jinja environment reads `x.name` as Jinja does, only sooner for a plain dict."""

from __future__ import annotations

from collections import OrderedDict

import flask
import jinja2
import pytest
from flask import render_template_string

from classroom.templating import Environment

DATA = {
    "entry": {"status": "found", "items": [1, 2], "get": "a key named get", "0": "zero"},
    "ordered": OrderedDict(status="partly"),
    "empty": {},
    "text": "a string",
}
TEMPLATES = [
    "{{ entry.status }}",
    "{{ entry.items() | list }}",  # the method, as Jinja gives it, though the dict has the key
    "{{ entry['items'] }}",
    "{{ entry.get('status') }}|{{ entry.get }}",
    "{{ entry.missing }}|{{ entry.missing is defined }}|{{ empty.status | default('none') }}",
    "{{ entry.keys() | list }}|{{ entry.__class__.__name__ }}",
    "{{ ordered.status }}|{{ text.upper() }}|{{ text.missing is defined }}",
]


@pytest.mark.parametrize("source", TEMPLATES)
def test_a_template_reads_dicts_as_jinja_does(app, source):
    plain = jinja2.Environment(autoescape=True).from_string(source).render(**DATA)
    with app.test_request_context():
        assert render_template_string(source, **DATA) == plain


def test_the_app_renders_with_this_environment(app):
    assert isinstance(app.jinja_env, Environment)


def test_a_missing_key_is_undefined_as_jinja_makes_it(app):
    strict = Environment(app, undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'missing'"):
        strict.from_string("{{ entry.missing }}").render(**DATA)


ADDRESSES = [
    "{{ url_for('asset', filename='app.css') }}",
    "{{ url_for('student.exercise', assignment_id=7) }}",
    "{{ url_for('student.feedback', attempt_id=3, show='missed') }}",
    "{{ url_for('student.feedback', attempt_id=3, _anchor='feedback-list') }}",
    "{{ url_for('auth.login', next='/a b?c=1') }}",
    "{{ url_for('.home') }}",  # relative to the request's blueprint
]


@pytest.mark.parametrize("source", ADDRESSES)
@pytest.mark.parametrize("mounted_at", ["", "/classroom"])
def test_a_kept_address_is_the_one_flask_builds(app, source, mounted_at):
    for _twice in range(2):  # built, then kept
        with app.test_request_context("/home", base_url=f"http://localhost{mounted_at}/"):
            assert flask.request.blueprint == "student"
            plain = source.replace("url_for", "flask_url_for")
            expected = render_template_string(plain, flask_url_for=flask.url_for)
            assert render_template_string(source) == expected
            assert expected.startswith(f"{mounted_at}/")
