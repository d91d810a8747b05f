"""Static files: versioned URLs cached for a year, and the exercise page's weight budget."""

from __future__ import annotations

import re

import pytest

BUDGET = 72 * 1024  # the exercise page's own CSS and JS, uncompressed (docs/accessibility.md)


def asset_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/assets/[^"]+)"', page)


def test_pages_link_assets_under_one_version(client):
    urls = asset_urls(client.get("/login").get_data(as_text=True))
    assert {"app.css", "favicon.svg"} <= {u.split("/", 3)[3] for u in urls}
    assert len({u.split("/")[2] for u in urls}) == 1


def test_versioned_assets_are_cached_for_a_year(client):
    url = asset_urls(client.get("/login").get_data(as_text=True))[0]
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.immutable


def test_an_old_version_is_sent_to_the_current_one_and_unknown_files_are_404(client):
    current = asset_urls(client.get("/login").get_data(as_text=True))[0]
    response = client.get("/assets/0000000000/app.css")
    assert response.status_code == 302 and response.location.endswith(current.split("/", 3)[3])
    assert client.get("/assets/0000000000/nope.css").status_code == 404


@pytest.mark.parametrize("escape", ["../pyproject.toml", "..%2Fpyproject.toml"])
def test_assets_do_not_leave_the_static_folder(client, escape):
    url = asset_urls(client.get("/login").get_data(as_text=True))[0]
    version = url.split("/")[2]
    assert client.get(f"/assets/{version}/{escape}").status_code == 404


def test_module_imports_resolve_under_the_versioned_path(client, auth, school):
    auth.login("ada")
    page = client.get(f"/assignments/{school['assignments']['la-detainers-report-1']}")
    script = next(u for u in asset_urls(page.get_data(as_text=True)) if u.endswith(".js"))
    base = script.rsplit("/", 1)[0]
    with client.get(script) as response:
        source = response.get_data(as_text=True)
    for module in re.findall(r'from "\./([\w-]+\.js)"', source):
        with client.get(f"{base}/{module}") as response:
            assert response.status_code == 200 and response.cache_control.immutable


def test_the_exercise_pages_own_css_and_js_stay_under_budget(exercise_page_files):
    files = exercise_page_files
    total = sum(f.stat().st_size for f in files)
    assert len(files) >= 5 and total < BUDGET, f"{total} bytes in {sorted(f.name for f in files)}"
