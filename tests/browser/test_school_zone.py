"""The exercise page's save status in the school's time zone, as the page's script writes it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REPORT_1 = "la-detainers-report-1"
KOLKATA = "Asia/Kolkata"  # UTC+05:30 all year: never the same clock time as UTC


@pytest.fixture(scope="module")
def kolkata_site(tmp_path_factory, make_app, make_class, serve) -> Iterator[str]:
    """A school in Kolkata: Ada in a class with report 1 assigned, served on a free port."""
    app = make_app(tmp_path_factory.mktemp("kolkata"), TIMEZONE=KOLKATA)
    make_class(app, ["ada"], assign=[REPORT_1])
    with serve(app) as url:
        yield url


def test_the_save_status_tells_the_time_in_the_school_zone(
    make_page, kolkata_site, log_in, open_exercise, select_word, tag_selection
):
    page = make_page(base_url=kolkata_site)
    log_in(page, "ada")
    open_exercise(page, "Los Angeles jails and ICE requests: report 1")
    select_word(page, REPORT_1, "slammed")
    tag_selection(page, "slammed", "Loaded language", "a word that judges")
    status = page.locator("#save-status")
    expect(status).to_have_attribute("data-kind", "saved")
    shown = re.fullmatch(r"All changes saved \((\d\d:\d\d:\d\d) IST\)\.", status.inner_text())
    assert shown, status.inner_text()
    now = datetime.now(ZoneInfo(KOLKATA))
    at = datetime.strptime(shown.group(1), "%H:%M:%S").time()
    apart = abs(datetime.combine(now.date(), at, now.tzinfo) - now) % timedelta(days=1)
    assert min(apart, timedelta(days=1) - apart) < timedelta(minutes=1)  # midnight between
