"""The launch side of the LTI library (pylti1p3next, imported as pylti1p3), which only this
module, services.py and registration.py know: the rest of Classroom hands them plain values
and gets plain values back (classroom.lti.claims).

The library's storage is ours: OIDC states, nonces and launch data live in the database
(store.lti's values), so that a login begun on one app server is finished on any other, and a
nonce is taken (deleted) when a launch uses it, so that a launch sent again is refused. Its
cookies are ours too: the state cookie is SameSite=None; Secure; Partitioned, on /lti/ only.
Every request it sends goes through classroom.lti.http.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from pylti1p3.cookie import CookieService
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.oidc_login import OIDCLogin
from pylti1p3.registration import Registration
from pylti1p3.request import Request
from pylti1p3.roles import DesignerRole, StudentRole, TeacherRole, TeachingAssistantRole
from pylti1p3.session import SessionService
from pylti1p3.tool_config import ToolConfAbstract

from ..db import get_db
from ..store import lti as store
from . import http, keys
from .checks import ToolLaunch
from .claims import Launch, Refused

COOKIE_PATH = "/lti/"
STATE_LIFETIME = 5 * 60  # a login must come back as a launch within this (its cookie's too)
LAUNCH_LIFETIME = 24 * 60 * 60  # a launch's data, for the deep linking page that follows it
KEY_SET_LIFETIME = 5 * 60  # a platform's public keys are read again after this


def private_key() -> str:
    """The tool's private key (PEM), made on first use."""
    return keys.private_pem(
        keys.key_path(current_app.instance_path, current_app.config.get("LTI_KEY_FILE"))
    )


class ToolRegistration(Registration):
    """A platform's registration, signing with the tool's key under the id its key set gives."""

    def get_kid(self) -> str:
        return keys.kid(self.get_tool_private_key())

    def get_jwks(self) -> list:
        return keys.jwks(self.get_tool_private_key())["keys"]


def registration(row: dict[str, Any]) -> ToolRegistration:
    """The library's registration for a platform row."""
    found = ToolRegistration()
    pem = private_key()
    found.set_issuer(row["issuer"]).set_client_id(row["client_id"])
    found.set_auth_login_url(row["login_url"]).set_auth_token_url(row["token_url"])
    found.set_key_set_url(row["keyset_url"]).set_tool_private_key(pem)
    found.set_tool_public_key(keys.public_pem(pem))
    if row.get("token_audience"):
        found.set_auth_audience(row["token_audience"])
    return found


class ToolConf(ToolConfAbstract):
    """The platforms registered in the database, looked up by issuer and client id."""

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False  # an issuer may have several client ids: always look up by both

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        row = store.platform_by_client(get_db(), iss, client_id)
        return registration(row) if row else None

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        row = store.platform_by_client(get_db(), iss, client_id)
        if row is None or not store.has_deployment(get_db(), row["id"], deployment_id):
            return None
        return Deployment().set_deployment_id(deployment_id)


class Storage(LaunchDataStorage):
    """Launch data, states and nonces in the database, without a cookie of their own: the
    state cookie ties a launch to the browser that began the login."""

    _session_cookie_name = None

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str) -> Any:
        return store.get_value(get_db(), self._prepare_key(key))

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        store.put_value(get_db(), self._prepare_key(key), value, exp or LAUNCH_LIFETIME)

    def check_value(self, key: str) -> bool:
        return self.get_value(key) is not None


class Sessions(SessionService):
    """The library's session service on our storage: a nonce works once, is kept with its
    login's state (so a launch must bring the nonce of the login its state began) and lives
    as long as the state cookie; a state is only ever proved by its cookie."""

    def __init__(self, req: Request) -> None:
        super().__init__(req)
        self.data_storage = Storage()
        self.data_storage.set_request(req)
        self.nonce: str | None = None

    def save_nonce(self, nonce: str) -> None:
        self.nonce = nonce  # the login's state, saved next, keeps it
        self.data_storage.set_value(self._get_key("nonce", nonce), True, STATE_LIFETIME)

    def save_state_params(self, state: str, params: dict) -> None:
        kept = params | {"nonce": self.nonce}
        self.data_storage.set_value(self._get_key(state), kept, STATE_LIFETIME)

    def check_nonce(self, nonce: str) -> bool:
        key = self.data_storage._prepare_key(self._get_key("nonce", nonce))
        return store.take_value(get_db(), key)

    def set_state_valid(self, state: str, id_token_hash: str) -> None:
        return None  # a launch sent again must not pass on a remembered state

    def check_state_is_valid(self, state: str, id_token_hash: str) -> bool:
        return False


class Cookies(CookieService):
    """The state cookie: set on the login's redirect, read back by the launch."""

    def __init__(self) -> None:
        self.to_set: dict[str, tuple[str, int | None]] = {}

    def get_cookie(self, name: str) -> str | None:
        return request.cookies.get(f"{self._cookie_prefix}-{name}")

    def set_cookie(self, name: str, value, exp: int | None = 3600) -> None:
        self.to_set[f"{self._cookie_prefix}-{name}"] = (str(value), exp)

    def apply(self, response: Response) -> Response:
        """Put the cookies on the response: inside the platform's frame a cookie is a third
        party's, so it must be SameSite=None (and so Secure) to come back with the launch."""
        for key, (value, exp) in self.to_set.items():
            response.set_cookie(
                key,
                value,
                max_age=exp,
                path=COOKIE_PATH,
                secure=True,
                httponly=True,
                samesite="None",
                partitioned=True,
            )
        return response


class WebRequest(Request):
    """This Flask request, as the library reads it."""

    @property
    def session(self):
        raise NotImplementedError("launch data is kept in the database, not the session")

    def is_secure(self) -> bool:
        return request.is_secure

    def get_param(self, key: str) -> str | None:
        return (request.form if request.method == "POST" else request.args).get(key)


class Login(OIDCLogin):
    """The library's OIDC login, handing back the platform's address rather than a response."""

    def get_redirect(self, url: str):
        return url


LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "client_id")
LOGIN_PARAMS += ("lti_deployment_id",)


def begin_login(launch_url: str) -> tuple[str, Cookies]:
    """The platform's authorization address to send the browser to, and the state cookie to
    set on the way; Refused if the platform is not registered. What the login was begun with
    is kept with the state, for the new window a browser that blocks the cookie needs."""
    req, cookies = WebRequest(), Cookies()
    params = {k: v for k in LOGIN_PARAMS if (v := req.get_param(k))}
    login = Login(req, ToolConf(), session_service=Sessions(req), cookie_service=cookies)
    login.set_launch_data_storage(Storage())
    login.pass_params_to_launch({"login": params})
    try:
        return login.get_redirect_object(launch_url), cookies
    except OIDCException as err:
        raise Refused("unknown_platform", str(err)) from err


def _tools() -> tuple[WebRequest, dict]:
    req = WebRequest()
    services = {"session_service": Sessions(req), "cookie_service": Cookies()}
    return req, services


def finish_launch() -> Launch:
    """The launch this request carries, every check passed and its data kept on the server
    (under its launch_id); Refused saying which check failed."""
    req, services = _tools()
    launch = ToolLaunch(
        req, ToolConf(), **services, launch_data_storage=Storage(), requests_session=http_session()
    )
    launch.set_public_key_caching(Storage(), KEY_SET_LIFETIME)
    launch.check()
    row = store.platform_by_client(get_db(), launch.get_iss(), launch.get_client_id())
    return Launch.from_claims(
        launch.get_launch_id(), row["id"], launch.get_launch_data(), role_of(launch)
    )


def login_params(state: str | None) -> dict[str, str] | None:
    """What the login of this state was begun with (while it is live), for a new window."""
    if not state:
        return None
    req, services = _tools()
    kept = services["session_service"].get_state_params(state)
    return kept.get("login") if kept else None


def role_of(launch: MessageLaunch) -> str | None:
    """teacher or student as the launch's roles say (those in the course first), else None."""
    body = launch.get_launch_data()
    if any(r(body).check() for r in (TeacherRole, TeachingAssistantRole, DesignerRole)):
        return "teacher"
    return "student" if StudentRole(body).check() else None


def http_session():
    """The session every request to a platform goes through (classroom.lti.http)."""
    return http.session()


def restored(launch_id: str) -> MessageLaunch:
    """A launch kept on the server, by its id (LtiException if it has expired)."""
    req, services = _tools()
    return ToolLaunch.from_cache(
        launch_id,
        req,
        ToolConf(),
        **services,
        launch_data_storage=Storage(),
        requests_session=http_session(),
    )


def kept_launch(launch_id: str) -> Launch | None:
    """A launch kept on the server by its id, as it was when it passed (None once expired)."""
    if not launch_id:
        return None
    try:
        launch = restored(launch_id)
    except LtiException:
        return None
    row = store.platform_by_client(get_db(), launch.get_iss(), launch.get_client_id())
    if row is None:
        return None
    return Launch.from_claims(launch_id, row["id"], launch.get_launch_data(), role_of(launch))


__all__ = ["LtiException", "Refused", "begin_login", "finish_launch", "login_params"]
