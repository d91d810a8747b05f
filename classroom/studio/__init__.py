"""The authoring studio: teachers turn an article into an exercise in the browser, as a draft
that autosaves, is checked as they go, and is published as the exercise file.

Two blueprints: the pages (/author/studio) and the JSON the edit page saves with (/api/studio).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("studio", __name__, url_prefix="/author/studio")
api_bp = Blueprint("studio_api", __name__, url_prefix="/api/studio")

# The views register themselves on the blueprints when their module is imported.
from . import routes, steps  # noqa: E402,F401
