"""Fixtures for real-browser tests: a live server on a seeded database, Chromium, and a page
that fails its test if the browser reported any error."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright
from werkzeug.serving import make_server

from classroom.db import get_db
from classroom.store import accounts, classes
from tests.conftest import EXERCISES, PASSWORD, make_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
JOIN_CODE = "BRWSR7"  # the seeded class's code, for tests that join as a new student
# A ceiling for auto-waiting on a shared, noisy machine, not a speed requirement.
WAIT_MS = 15_000
# Wide enough for the comparison exercise to put its two articles side by side.
VIEWPORT = {"width": 1280, "height": 900}


def chromium_path() -> str | None:
    """Debian's Chromium (Playwright's own browser download does not work here)."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """The base URL of the app serving a seeded school on a free port: a teacher, a class, the
    students ada and ben, every exercise assigned in order of its id. The database lives for the
    whole session, so each test works on a (student, assignment) that no other test touches."""
    app = make_app(tmp_path_factory.mktemp("browser"))  # CSRF on, as it runs for real
    with app.app_context():
        db = get_db()
        teacher = accounts.create_user(db, "teacher", "Ms Teacher", PASSWORD, "teacher")
        klass = classes.create_class(db, teacher, "Period 1")
        db["classes"].update(klass["id"], {"join_code": JOIN_CODE})
        for name in ("ada", "ben"):
            accounts.create_student(db, klass["id"], name.title(), name, PASSWORD)
        for exercise in sorted(EXERCISES.glob("*.yaml")):
            classes.assign(db, klass["id"], exercise.stem)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium through Playwright; missing, it fails the run on CI and skips elsewhere."""
    executable = chromium_path()
    if executable is None:
        reason = "Chromium is not installed (apt-get install chromium); browser tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def make_page(browser: Browser, live_server: str) -> Iterator:
    """Open pages in fresh contexts (no cookies), any size, with or without JavaScript; the
    test fails at teardown if the browser logged an error: script errors, failed loads (a 404
    favicon too) and CSP violations."""
    contexts = []
    problems: list[str] = []

    def open_page(
        viewport: dict = VIEWPORT, javascript: bool = True, expected_error: str | None = None
    ) -> Page:
        """A new page; a console error containing expected_error (a page opened on purpose
        to see its error status, say) is not counted."""
        context = browser.new_context(
            base_url=live_server, viewport=viewport, java_script_enabled=javascript
        )
        context.set_default_timeout(WAIT_MS)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and not (expected_error and expected_error in message.text):
                where = message.location
                problems.append(f"console error at {where.get('url')}: {message.text}")

        context.on("console", on_console)
        context.on(
            "weberror",
            lambda web_error: problems.append(f"uncaught exception: {web_error.error.message}"),
        )
        contexts.append(context)
        return context.new_page()

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()
    if problems:
        pytest.fail("the browser reported errors:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(make_page) -> Page:
    """A page in a fresh context at the default size (see make_page)."""
    return make_page()


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
