"""Friendly error pages, JSON errors for the API, and the headers on every response."""

from __future__ import annotations

import re

import pytest


def test_404_is_a_page_in_the_site_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"There is no page at this address." in response.data
    assert b'class="site-header"' in response.data
    assert b"Log in" in response.data  # where to go next


@pytest.mark.parametrize(
    "path, said",
    [
        ("/no/such/page", "There is no page at this address."),
        ("/assignments/999", "You have no assignment at this address."),
        ("/attempts/999", "There is no attempt of yours at this address."),
    ],
)
def test_a_404_page_says_what_happened_once(client, auth, school, path, said):
    """The view's own words, not followed by the general ones saying the same again."""
    auth.login("ada")
    page = client.get(path).get_data(as_text=True)
    main = page[page.index("<main") : page.index("</main>")]
    paragraphs = [p for p in re.findall(r"<p[^>]*>(.*?)</p>", main, re.S) if "<a " not in p]
    assert paragraphs == [said]
    assert "Back to my start page" in main  # and what to do next


def test_api_errors_are_json(client, auth, school):
    auth.login("ada")
    response = client.get("/api/assignments/999/draft")
    assert response.status_code == 404
    assert response.json["error"] == "You have no assignment at this address."


def test_500_is_friendly_and_says_work_is_safe(app, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    monkeypatch.setattr(app.logger, "disabled", True)  # the 'classroom' logger: shared
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Your saved work is safe" in response.data
    assert b"kaboom" not in response.data


def test_500_after_a_form_was_sent_does_not_claim_it_was_saved(app, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.post("/boom")
    def boom():
        raise RuntimeError("kaboom")

    monkeypatch.setattr(app.logger, "disabled", True)  # the 'classroom' logger: shared
    response = app.test_client().post("/boom")
    assert response.status_code == 500
    assert b"what you just sent may not have been saved" in response.data
    assert b"Your saved work is safe" not in response.data
    assert b"Work saved before is safe" in response.data


def test_405_and_oversized_requests(client, auth, school):
    assert client.get("/logout").status_code == 405
    auth.login("ada")
    big = "x" * (600 * 1024)
    response = client.put(
        f"/api/assignments/{school['assignments']['la-detainers-report-1']}/draft",
        data=big,
        content_type="application/json",
    )
    assert response.status_code == 413
    assert "too large" in response.json["error"]


@pytest.mark.parametrize("path", ["/login", "/no/such/page", "/static/app.css"])
def test_security_headers_on_every_response(client, path):
    with client.get(path) as response:
        headers = response.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_health_check_answers_without_login_or_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.data == b"ok\n"


def test_health_check_touches_no_database_even_from_a_logged_in_browser(
    client, log_in, school, trace_statements, monkeypatch
):
    log_in(client, school["students"][0])
    statements = trace_statements(monkeypatch)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.data == b"ok\n"
    assert statements == []  # not even the session's user is looked up
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_health_check_carries_the_security_headers_and_is_never_cached(client, method, scheme):
    response = client.open("/healthz", method=method, base_url=f"{scheme}://localhost")
    assert response.status_code == 200
    assert response.data == (b"ok\n" if method == "GET" else b"")
    headers = response.headers
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    assert ("Strict-Transport-Security" in headers) == (scheme == "https")


def test_other_methods_on_the_health_check_are_refused_as_before(client):
    assert client.post("/healthz").status_code == 405


def test_broken_files_are_reported_once_even_when_the_health_check_comes_first(
    make_app, tmp_path, folder, caplog
):
    (folder / "bad.yaml").write_text("title: [unclosed\n")
    app = make_app(tmp_path, EXERCISES_DIR=str(folder))
    client = app.test_client()
    with caplog.at_level("WARNING"):
        client.get("/healthz")
        reported = [r.getMessage() for r in caplog.records if "bad.yaml" in r.getMessage()]
        client.get("/login")
    assert len(reported) == 1 and "YAML syntax" in reported[0]
    assert len([r for r in caplog.records if "bad.yaml" in r.getMessage()]) == 1


def test_a_header_the_view_set_itself_is_kept_and_not_doubled(client, log_in, school):
    log_in(client, school["students"][0])
    response = client.get("/readyz")  # sets its own Cache-Control
    assert response.headers.getlist("Cache-Control") == ["no-store"]
    assert len(response.headers.getlist("Content-Security-Policy")) == 1
