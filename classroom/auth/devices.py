"""The device cookie: proof that this browser has logged in to an account before, so that other
people's failed logins do not lock its owner out (OWASP's "Slow down online guessing attacks
with device cookies"; the counting is in classroom.store.throttle).

One cookie holds the device tokens of the last KEEP accounts logged in from this browser (a
shared school computer serves a whole class), signed with the app's secret key so that a
forged one is thrown away before the database is asked.
"""

from __future__ import annotations

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from ..store.throttle import DEVICE_LIFETIME

COOKIE = "device"
KEEP = 40


def _serializer() -> URLSafeSerializer:
    """Signed with the secret key, or with a fallback key the app still accepts."""
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or ()), current_app.secret_key]
    return URLSafeSerializer(keys, salt="classroom device")


def tokens() -> list[str]:
    """The device tokens this browser holds, newest first ([] if none, or forged)."""
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return []
    try:
        found = _serializer().loads(cookie)
    except BadSignature:
        return []
    if not isinstance(found, list):
        return []
    return [t for t in found if isinstance(t, str)][:KEEP]


def remember(token: str) -> None:
    """Add a device token to this browser's cookie, with the response to this request."""
    kept = [token] + [t for t in tokens() if t != token][: KEEP - 1]

    @after_this_request
    def set_cookie(response):
        response.set_cookie(
            COOKIE,
            _serializer().dumps(kept),
            max_age=int(DEVICE_LIFETIME.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config["SESSION_COOKIE_SECURE"]) or request.is_secure,
        )
        return response
