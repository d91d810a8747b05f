"""Headers that every response carries."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from flask import Flask, Request, Response, g, has_request_context, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .numbers import LARGEST

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


# Every response's headers (add_headers), by name and in lower case: each is added unless the
# view set its own.
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)
HTTPS_ONLY = ("Strict-Transport-Security", "max-age=31536000")
# A page with someone's work or a class's data: on a shared school computer, the next person
# must not bring it back with the Back button after logging out.
NOT_KEPT = ("Cache-Control", "private, no-store")
_NAMES = {name: name.lower() for name, _ in (*SECURITY_HEADERS, HTTPS_ONLY, NOT_KEPT)}


def security_headers(
    secure: bool, logged_in: bool, present=frozenset(), framed: str | None = None
) -> list[tuple[str, str]]:
    """The headers a response gets: the security headers, HSTS over HTTPS (behind a proxy: see
    PROXY_COUNT), no caching for a logged-in user's page; but none whose lower-case name is in
    present (the view set its own). A page that classroom.lti lets a learning platform frame
    (framed: who may) names them in its CSP, and has no X-Frame-Options."""
    wanted = [*SECURITY_HEADERS]
    if framed:
        csp = CSP.replace("frame-ancestors 'none'", f"frame-ancestors {framed}")
        wanted[:2] = [("Content-Security-Policy", csp)]
    wanted += [HTTPS_ONLY] if secure else []
    wanted += [NOT_KEPT] if logged_in else []
    return [(name, value) for name, value in wanted if _NAMES[name] not in present]


def add_headers(response: Response) -> Response:
    """A strict Content-Security-Policy and its companions (one look at the headers the view
    set, rather than one per header added). Only a page that classroom.lti lets a learning
    platform frame (g.frame_ancestors) names who may frame it, instead of nobody."""
    present = {name.lower() for name, _ in response.headers}
    response.headers.extend(
        security_headers(request.is_secure, bool(g.get("user")), present, g.get("frame_ancestors"))
    )
    return response


# Where the app keeps what its first request runs (exercises.init_app: report broken files),
# which the health check runs too when it comes first.
FIRST_REQUEST = "classroom.first_request"


class HealthCheck:
    """GET (or HEAD) /healthz answered before Flask's request handling: a load balancer asks
    every few seconds whether the process answers, and needs no session, user, CSRF token or
    database for that. It carries the security headers as every response does, is never
    cached (whoever asks), and the first one runs what the app runs on its first request
    (on_first)."""

    def __init__(self, wsgi_app, on_first=None) -> None:
        self.wsgi_app, self.on_first = wsgi_app, on_first
        self.answers = {
            secure: [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", "3"),
                ("Cache-Control", "no-store"),  # an answer about this moment only
                *security_headers(secure, logged_in=False, present={"cache-control"}),
            ]
            for secure in (False, True)
        }

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != "/healthz" or environ.get("REQUEST_METHOD") not in (
            "GET",
            "HEAD",
        ):
            return self.wsgi_app(environ, start_response)
        if self.on_first is not None:
            on_first, self.on_first = self.on_first, None
            on_first()
        start_response("200 OK", self.answers[environ.get("wsgi.url_scheme") == "https"])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else b"ok\n"]


class RowIdConverter(IntegerConverter):
    """An <int:...> in a URL stops at SQLite's largest integer: past it, no such page (404)
    rather than an OverflowError from the query (500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


WEAK_KEYS = {"dev", "development", "secret", "secret-key", "change-me", "changeme", "test"}


# A permanent session lasts PERMANENT_SESSION_LIFETIME from the last time its cookie was sent.
# Sending it with every response (Flask's default) re-signs it every time, a tenth of a small
# page's cost; once an hour (or half the lifetime, if that is shorter) moves the expiry on
# just as well.
REFRESH_AFTER = timedelta(hours=1)


def refresh_due(signed_at: datetime | None, lifetime: timedelta, now: datetime) -> bool:
    """Whether a session cookie signed at signed_at should be sent again now."""
    return signed_at is None or now - signed_at >= min(REFRESH_AFTER, lifetime / 2)


# A cookie's signature is verified once a process (HMACs, base64, JSON: a tenth of a small
# page), then looked up by the whole cookie: a cookie differing in any character is verified
# afresh. Its age is checked on every request, and the session's row on the server too
# (auth.live), so logging out still ends it at once everywhere. Only sessions holding plain
# values are kept (a list, as flashed messages are, could be changed in place by a request).
VERIFIED_KEPT = 4096  # cookies a process keeps verified; past that, it starts again
SCALARS = (str, int, float, bool, type(None))


class SessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions, Secure whenever the request came over HTTPS, sent again to push
    their expiry on once an hour (see refresh_due) rather than with every response, and each
    cookie's signature verified once (see VERIFIED_KEPT)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure if configured so, or if this request is HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (
            has_request_context() and request.is_secure
        )

    def framed(self, app: Flask) -> bool:
        """Whether this is a session an LTI launch began, sent securely: inside the platform's
        frame its cookie is a third party's, which browsers send only when SameSite=None (and
        so Secure), and keep in the platform's partition (CHIPS) when they block the rest."""
        return has_request_context() and bool(session.get("lti")) and self.get_cookie_secure(app)

    def get_cookie_samesite(self, app: Flask) -> str | None:
        """SameSite=None for a session in a platform's frame, else as configured (Lax)."""
        return "None" if self.framed(app) else super().get_cookie_samesite(app)

    def get_cookie_partitioned(self, app: Flask) -> bool:
        """Partitioned for a session launched in a platform's frame (CHIPS: its cookie kept in
        the platform's partition); a launch in a window of its own is first-party, where a
        partitioned cookie would sit beside any plain one and lose to it (classroom.lti)."""
        if self.framed(app):
            return bool(session["lti"].get("partitioned", True))
        return super().get_cookie_partitioned(app)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, made once for the app's keys rather than twice a request."""
        return self._for_keys(app)[1]

    def _for_keys(self, app: Flask) -> tuple:
        """(keys, serializer, cookies verified under them), made anew when the keys change."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = self.__dict__.get("_serializer")
        if kept is None or kept[0] != keys:
            kept = self._serializer = (keys, super().get_signing_serializer(app), {})
        return kept

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The session in the cookie, with when the cookie was signed."""
        _, serializer, verified = self._for_keys(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        found = verified.get(cookie)
        if found is None:
            try:
                data, signed_at = serializer.loads(cookie, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            found = (data, signed_at, int(signed_at.timestamp()))
            if all(type(v) in SCALARS for v in data.values()):  # nothing a request could change
                if len(verified) >= VERIFIED_KEPT:
                    verified.clear()
                verified[cookie] = found
        data, signed_at, stamp = found
        # the age check itsdangerous makes (max_age), made here on every request
        age = int(time.time()) - stamp
        if not 0 <= age <= int(app.permanent_session_lifetime.total_seconds()):
            return self.session_class()
        session = self.session_class(data)  # a copy: the verified data stays as signed
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """When the session changed, or its cookie is due to be sent again."""
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return refresh_due(signed_at, app.permanent_session_lifetime, datetime.now(UTC))


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


def refuse_a_key_of_its_own(app: Flask) -> None:
    """Refuse to generate a secret key into the instance folder where several servers may serve
    the same users (a PostgreSQL database: CLASSROOM_DATABASE_URL), outside development and
    tests: each would make its own, and refuse the cookies and forms the others signed."""
    if app.config.get("DATABASE_URL") and not (app.debug or app.testing):
        raise RuntimeError(
            "CLASSROOM_SECRET_KEY is not set: with CLASSROOM_DATABASE_URL, set it (or "
            "SECRET_KEY in instance/config.py) to the same random value of 24+ characters on "
            "every app server, or each signs cookies the others refuse "
            "(docs/deployment.md#beyond-one-machine)."
        )


def init_app(app: Flask) -> None:
    """Check the key, bound ids in URLs, add the headers to every response, answer the health
    check first, and trust proxies only if told to."""
    check_secret_key(app)
    app.url_map.converters["int"] = RowIdConverter  # before any route that uses it is added
    app.session_interface = SessionInterface()
    app.after_request(add_headers)
    # inside ProxyFix, so that HTTPS behind a proxy is seen as such
    app.wsgi_app = HealthCheck(app.wsgi_app, app.extensions.get(FIRST_REQUEST))
    proxies = int(app.config.get("PROXY_COUNT", 0))
    if proxies:  # behind a reverse proxy that sets X-Forwarded-For and -Proto
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
