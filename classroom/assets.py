"""Static files under a versioned URL, so browsers may cache them for a year.

The version is a hash of every file in static/, taken at start-up, and it is a path segment
(/assets/<version>/js/exercise.js) so that ES modules' relative imports carry it too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, abort, redirect, send_from_directory, url_for
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600


def static_version(folder: Path) -> str:
    """A short hash of the names and contents of every file under folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def init_app(app: Flask) -> None:
    """Serve static files at /assets/<version>/... with long-lived caching."""
    folder = Path(app.static_folder)
    version = static_version(folder)

    def asset(version_asked: str, filename: str):
        """A static file; an old version's URL is sent on to the current one."""
        if version_asked != version:
            # safe_join: "../" must not tell whether a file exists outside the folder
            path = safe_join(str(folder), filename)
            if path is None or not Path(path).is_file():
                abort(404)
            return redirect(url_for("asset", filename=filename))
        if app.debug:  # files change under a running dev server: let the browser ask again
            return send_from_directory(folder, filename, max_age=0)
        response = send_from_directory(folder, filename, max_age=ONE_YEAR)
        response.cache_control.immutable = True
        return response

    app.add_url_rule("/assets/<version_asked>/<path:filename>", endpoint="asset", view_func=asset)

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "asset":
            values.setdefault("version_asked", version)
