"""The values a platform needs from Classroom (its login, launch and key set addresses), and
the checks on the addresses a platform gives when it is registered."""

from __future__ import annotations

from contextlib import nullcontext
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

PLATFORM_URLS = {"login_url": "login", "token_url": "token", "keyset_url": "key set"}


def tool_urls(base: str | None = None) -> dict[str, str]:
    """What to paste into a platform, each under the name platforms give it."""
    root = (base or _root()).rstrip("/")
    here = nullcontext() if has_request_context() else current_app.test_request_context()
    with here:
        paths = {
            "Login (OIDC initiation) URL": url_for("lti.login"),
            "Redirect (launch) URL": url_for("lti.launch"),
            "Target link URI": url_for("lti.launch"),
            "Deep linking URL": url_for("lti.launch"),
            "Public key set (JWKS) URL": url_for("lti.jwks"),
        }
    return {label: root + path for label, path in paths.items()}


def tool_addresses() -> dict[str, str]:
    """Classroom's own addresses, as Dynamic Registration sends them (in a request)."""
    return {
        "login": url_for("lti.login", _external=True),
        "launch": url_for("lti.launch", _external=True),
        "jwks": url_for("lti.jwks", _external=True),
        "logo": url_for("asset", filename="favicon.svg", _external=True),
    }


def _root() -> str:
    if has_request_context():
        return request.host_url
    return current_app.config.get("LTI_TOOL_URL") or "https://classroom.example.org"


def problem(fields: dict[str, str | None]) -> str | None:
    """What is wrong with a platform's registration, said to the person registering it."""
    for key in ("name", "issuer", "client_id"):
        if not (fields.get(key) or "").strip():
            return f"The {key.replace('_', ' ')} is missing."
    for key, label in PLATFORM_URLS.items():
        parts = urlsplit((fields.get(key) or "").strip())
        if parts.scheme not in ("https", "http") or not parts.hostname:
            return f"The {label} URL must be a full address, starting https://."
    return None
