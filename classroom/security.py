"""Headers that every response carries."""

from __future__ import annotations

from flask import Flask, Response, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def add_headers(response: Response) -> Response:
    """A strict Content-Security-Policy and its companions."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


WEAK_KEYS = {"dev", "development", "secret", "secret-key", "change-me", "changeme", "test"}


class SessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions whose cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure if configured so, or if this request is HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (
            has_request_context() and request.is_secure
        )


def check_secret_key(app: Flask) -> None:
    """Refuse to run outside development and tests with a missing or guessable secret key."""
    key = app.config.get("SECRET_KEY") or ""
    if app.debug or app.testing:
        return
    if len(key) < 24 or key.lower() in WEAK_KEYS:
        raise RuntimeError(
            "SECRET_KEY is missing or too weak for production: remove it from the config to "
            "use the generated instance/secret_key, or set a random value of 24+ characters."
        )


def init_app(app: Flask) -> None:
    """Check the key, add the headers to every response, and trust proxies only if told to."""
    check_secret_key(app)
    app.session_interface = SessionInterface()
    app.after_request(add_headers)
    proxies = int(app.config.get("PROXY_COUNT", 0))
    if proxies:  # behind a reverse proxy that sets X-Forwarded-For and -Proto
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
