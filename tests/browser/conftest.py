"""Fixtures for real-browser tests: a live server on a seeded database, Chromium, a page that
fails its test if the browser reported any error, and what a person does on those pages (log
in, join, open an exercise, select and tag words) as factories."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright
from werkzeug.serving import make_server

from classroom.db import get_db

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
JOIN_CODE = "BRWSR7"  # the seeded class's code (the join_code fixture)
# The screens every page is checked on: a phone, a tablet, a laptop.
SCREENS = {
    "phone": {"width": 360, "height": 740},
    "tablet": {"width": 768, "height": 1024},
    "laptop": {"width": 1366, "height": 768},
}
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
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
def join_code() -> str:
    """The seeded class's join code, for tests that join as a new student."""
    return JOIN_CODE


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """Serve the WSGI app on a free loopback port in a thread; its base URL while it runs."""
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
def serve():
    """serve(app): a context manager serving a WSGI app on a free port, giving its base URL."""
    return serving


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, make_app, make_class, exercises_dir) -> Iterator[str]:
    """The base URL of the app serving a seeded school on a free port: a teacher, a class, the
    students ada and ben, every exercise assigned in order of its id. The database lives for the
    whole session, so each test works on a (student, assignment) that no other test touches."""
    app = make_app(tmp_path_factory.mktemp("browser"))  # CSRF on, as it runs for real
    exercises = sorted(e.stem for e in exercises_dir.glob("*.yaml"))
    klass = make_class(app, ["ada", "ben"], assign=exercises)
    with app.app_context():
        get_db()["classes"].update(klass["class"]["id"], {"join_code": JOIN_CODE})
    with serving(app) as url:
        yield url


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
        viewport: dict = VIEWPORT,
        javascript: bool = True,
        expected_error: str | tuple[str, ...] = (),
        base_url: str = live_server,
    ) -> Page:
        """A new page (on another server than the seeded one with base_url); a console error
        containing expected_error, or one of them (a page opened on purpose to see its error
        status, say), is not counted."""
        context = browser.new_context(
            base_url=base_url, viewport=viewport, java_script_enabled=javascript
        )
        context.set_default_timeout(WAIT_MS)

        def on_console(message: ConsoleMessage) -> None:
            expected = (expected_error,) if isinstance(expected_error, str) else expected_error
            if message.type == "error" and not any(e in message.text for e in expected):
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


@pytest.fixture(scope="session")
def log_in(password):
    """log_in(page, username, password=the fixtures' own): log in through the login form, as a
    person would."""
    everyones = password

    def log_in(page: Page, username: str, password: str = everyones) -> None:
        page.goto("/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    return log_in


@pytest.fixture(scope="session")
def join():
    """join(page, username, name): create a student account in the seeded class through the
    join form."""

    def join(page: Page, username: str, name: str) -> None:
        page.goto(f"/join?code={JOIN_CODE}")
        page.get_by_label("Your name, as your teacher will see it").fill(name)
        page.get_by_label("Choose a username").fill(username)
        page.get_by_label("Choose a password (at least 12 characters)").fill("a long password")
        page.get_by_label("Type the password again").fill("a long password")
        page.get_by_role("button", name="Join the class").click()
        expect(page.get_by_text("Welcome to Period 1!")).to_be_visible()

    return join


@pytest.fixture(scope="session")
def tab_to():
    """tab_to(page, selector, limit=80): press Tab until the element matching selector has
    focus, as a keyboard user would; fails if it never does."""

    def tab_to(page: Page, selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    return tab_to


@pytest.fixture(scope="session")
def open_exercise():
    """open_exercise(page, title): follow the link to an exercise and wait for its script, which
    draws the article text in segments: a selection made before then would go unnoticed."""

    def open_exercise(page: Page, title: str) -> None:
        page.get_by_role("link", name=title).click()
        expect(page.locator(".article-text span[data-o]").first).to_be_attached()

    return open_exercise


# The viewport rectangle of the first occurrence of a word in an article's text, scrolled to
# the middle of the window first if asked. A word never wraps, so it has one rectangle.
WORD_RECT = r"""([article, word, scroll]) => {
  const root = document.querySelector(`.article-text[data-article="${article}"]`);
  const pattern = new RegExp(`\\b${word}\\b`);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.search(pattern);
    if (at < 0 || node.parentElement.closest(".sr-only")) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    if (scroll) window.scrollBy(0, range.getBoundingClientRect().top - window.innerHeight / 2);
    const rects = [...range.getClientRects()];
    if (rects.length !== 1) return null;
    const [r] = rects;
    return { left: r.left, right: r.right, y: (r.top + r.bottom) / 2 };
  }
  return null;
}"""


@pytest.fixture(scope="session")
def word_rect():
    """word_rect(page, article, word, scroll=True): where the word is on screen, scrolling it
    into the middle of the window unless told not."""

    def word_rect(page: Page, article: str, word: str, scroll: bool = True) -> dict:
        rect = page.evaluate(WORD_RECT, [article, word, scroll])
        assert rect, f"no single-line '{word}' in the text of {article}"
        assert 0 < rect["y"] < page.viewport_size["height"], f"'{word}' is out of the window"
        return rect

    return word_rect


@pytest.fixture(scope="session")
def drag():
    """drag(page, start, end): press the mouse just inside the start word's left edge and
    release just inside the end word's right edge, the way a reader selects words."""

    def drag(page: Page, start: dict, end: dict) -> None:
        page.mouse.move(start["left"] + 1, start["y"])
        page.mouse.down()
        page.mouse.move(end["right"] - 1, end["y"], steps=8)
        page.mouse.up()

    return drag


@pytest.fixture(scope="session")
def select_word(word_rect, drag):
    """select_word(page, article, word): select one word of an article with the mouse."""

    def select_word(page: Page, article: str, word: str) -> None:
        rect = word_rect(page, article, word)
        drag(page, rect, rect)

    return select_word


@pytest.fixture(scope="session")
def tag_selection():
    """tag_selection(page, quote, category, note): in the open tagger, check the quote, pick a
    category, write a note and add the highlight."""

    def tag_selection(page: Page, quote: str, category: str, note: str) -> None:
        tagger = page.locator("#tagger")
        expect(tagger).to_be_visible()
        expect(tagger.locator("#tagger-quote")).to_have_text(quote)
        tagger.get_by_role("radio", name=category).check()
        tagger.locator("#tagger-note").fill(note)
        expect(tagger.locator("#tagger-save")).to_have_text("Add highlight")
        tagger.locator("#tagger-save").click()
        expect(tagger).to_be_hidden()

    return tag_selection


@pytest.fixture(scope="session")
def screens() -> dict[str, dict[str, int]]:
    """The phone, tablet and laptop sizes pages are checked at."""
    return SCREENS


@pytest.fixture(scope="session")
def assert_accessible():
    """assert_accessible(page, what): axe-core (WCAG 2.1 AA) on the page as it stands, at the
    phone, tablet and laptop widths in turn (the page's own size after), failing with a
    readable list of violations."""
    axe = Axe()

    def assert_accessible(page: Page, what: str) -> None:
        size = page.viewport_size
        try:
            for screen, viewport in SCREENS.items():
                page.set_viewport_size(viewport)
                violations = axe.run(page, options=WCAG_AA).response["violations"]
                report = "\n".join(
                    f"- {v['id']} ({v['impact']}): {v['help']}: "
                    + ", ".join(n["target"][0] for n in v["nodes"][:5])
                    for v in violations
                )
                assert not violations, (
                    f"{what} on a {screen}: {len(violations)} axe violation(s)\n{report}"
                )
        finally:
            page.set_viewport_size(size)

    return assert_accessible
