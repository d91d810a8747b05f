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
    """What is wrong with a platform's registration, said to the person registering it. Its
    addresses are ones Classroom's server will fetch (key set, tokens, scores, rosters), so
    they must be https:// (plain http:// only in debug mode, for a platform on this machine)."""
    for key in ("name", "issuer", "client_id"):
        if not (fields.get(key) or "").strip():
            return f"The {key.replace('_', ' ')} is missing."
    for key, label in PLATFORM_URLS.items():
        if not secure_address((fields.get(key) or "").strip()):
            return f"The {label} URL must be a full address, starting https://."
    return None


def secure_address(url: str) -> bool:
    """Whether a platform's address may be fetched: https://, or http:// in debug mode."""
    parts = urlsplit(url)
    schemes = ("https", "http") if current_app.debug else ("https",)
    return parts.scheme in schemes and bool(parts.hostname)


def under_issuer(url: str, issuer: str) -> bool:
    """Whether a URL lives under an issuer: the same scheme and host, and a path at or below
    the issuer's (https://platform.test.evil.example is not under https://platform.test)."""
    found, base = urlsplit(url), urlsplit(issuer)
    if (found.scheme, found.netloc.lower()) != (base.scheme, base.netloc.lower()):
        return False
    root = base.path.rstrip("/")
    return not root or found.path == root or found.path.startswith(root + "/")
