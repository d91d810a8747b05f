"""The launch's checks, one step at a time (on the LTI library's MessageLaunch), so that each
refusal says which failed: the state cookie; the token's form; its registration (issuer and
our client id, from its one audience or its authorized party); its signature (RS256 only, by
the key its kid names in the platform's key set, exp and iat with a minute's leeway); its nonce
(the one kept with the login this state began, used once); its deployment; its message (a
course link or the deep linking picker, LTI 1.3.0, with roles). Only adapter.py uses it."""

from __future__ import annotations

import hashlib

import jwt
import requests
from pylti1p3.exception import (
    LtiException,
    LtiInvalidNonceException,
    LtiKeyException,
    LtiMessageValidationException,
)
from pylti1p3.message_launch import MessageLaunch

from .claims import Refused

LEEWAY = 60  # seconds the platform's clock may differ from ours (iat, exp)
ALGORITHM = "RS256"  # what LTI 1.3 signs with; no other is taken, 'none' and HS256 least of all
MESSAGES = ("LtiResourceLinkRequest", "LtiDeepLinkingRequest")  # the launches Classroom opens
REREAD_AFTER = 60  # seconds before a kid the kept key set lacks has it read again

LTI_MESSAGE_TYPE = "https://purl.imsglobal.org/spec/lti/claim/message_type"


class OtherLogin(LtiInvalidNonceException):
    """The token was made for another login than the one this state began."""


class Unsupported(LtiMessageValidationException):
    """A kind of launch Classroom does not open (a submission review, a data privacy one)."""


class ToolLaunch(MessageLaunch):
    """A launch read from this request, validated step by step so that each refusal says
    which check failed; the signature is checked before the nonce is taken."""

    def _get_request_param(self, key: str) -> str | None:
        return self._request.get_param(key)

    def get_client_id(self) -> str:
        """Our client id, as the token names it: its one audience, or, where it has several,
        its authorized party (azp), which must be one of them (OpenID Connect Core 3.1.3.7)."""
        body = self._get_jwt_body()
        aud, azp = body.get("aud"), body.get("azp")
        audiences = [aud] if isinstance(aud, str) else list(aud or [])
        if azp is not None:
            if azp not in audiences:
                raise LtiMessageValidationException("the authorized party is not an audience")
            return azp
        if len(audiences) != 1:
            raise LtiMessageValidationException("several audiences and no authorized party")
        return audiences[0]

    def get_public_key(self) -> tuple[str, str]:
        """The key the token's kid names in the platform's key set (kept five minutes). A kid
        the kept set lacks has the set read again, at most once a minute, so that launches
        signed with a platform's new key are not refused until the kept set expires."""
        try:
            return super().get_public_key()
        except LtiKeyException:
            if not self._jwt.get("header", {}).get("kid") or not self._read_key_set_again():
                raise
            return super().get_public_key()

    def _read_key_set_again(self) -> bool:
        """Read the platform's key set afresh into the cache; whether it was (not if it was
        read again within the minute: made-up kids cost the platform one read a minute)."""
        storage, url = self._public_key_cache_data_storage, self._registration.get_key_set_url()
        if storage is None or not url:
            return False
        digest = hashlib.md5(url.encode()).hexdigest()
        if storage.get_value("key-set-read-" + digest):
            return False
        storage.set_value("key-set-read-" + digest, True, REREAD_AFTER)
        try:
            key_set = self._requests_session.get(url).json()
        except (requests.RequestException, ValueError) as err:
            raise LtiKeyException(f"the key set could not be read again: {err}") from err
        storage.set_value("key-set-url-" + digest, key_set, self._public_key_cache_lifetime)
        self._registration.set_key_set(key_set)
        return True

    def validate_jwt_signature(self) -> ToolLaunch:
        """The signature, by the key of the token's kid in the platform's key set, with RS256
        and nothing else; exp and iat with a minute's leeway for the platforms' clocks."""
        alg = self._jwt.get("header", {}).get("alg")
        if alg != ALGORITHM:
            raise LtiMessageValidationException(f"signed with {alg!r}, not {ALGORITHM}")
        public_key, _ = self.get_public_key()  # the key whose kid (and alg) the token names
        try:
            jwt.decode(
                self._get_id_token(),
                public_key,
                algorithms=[ALGORITHM],
                options=self._jwt_verify_options,
                leeway=LEEWAY,
            )
        except jwt.InvalidTokenError as err:
            raise LtiMessageValidationException(f"Can't decode id_token: {err}") from err
        return self

    def validate_nonce(self) -> ToolLaunch:
        """The nonce is the one kept with this state's login, from the same issuer, and is
        used now (taken: a copy of the launch finds it gone)."""
        body = self._get_jwt_body()
        kept = self._session_service.get_state_params(self._get_request_param("state")) or {}
        begun = kept.get("login") or {}
        if not body.get("nonce") or kept.get("nonce") != body["nonce"]:
            raise OtherLogin("the nonce is not the one of the login this state began")
        if begun.get("iss") != body.get("iss"):
            raise OtherLogin("the login this state began was for another issuer")
        return super().validate_nonce()

    def validate_message(self) -> ToolLaunch:
        """A course link or the deep linking picker, LTI 1.3.0, with roles (the library's
        checks of each), and no other kind of launch."""
        kind = self._get_jwt_body().get(LTI_MESSAGE_TYPE)
        if kind not in MESSAGES:
            raise Unsupported(f"Classroom does not open {str(kind)[:40]!r} launches")
        return super().validate_message()

    def check(self) -> ToolLaunch:
        self._validated = True  # the steps below read the body without validating again
        self.set_jwt_verify_options({"verify_aud": False, "require": ["exp", "iat", "nonce"]})
        try:
            self.validate_state()
        except LtiException as err:
            raise Refused("no_state", str(err)) from err
        steps = [
            (self.validate_jwt_format, "unreadable"),
            (self.validate_registration, "wrong_audience"),
            (self.validate_jwt_signature, "bad_signature"),
            (self.validate_nonce, "replayed"),
            (self.validate_deployment, "unknown_deployment"),
            (self.validate_message, "unreadable"),
        ]
        for step, reason in steps:
            try:
                step()
            except OtherLogin as err:
                raise Refused("other_login", str(err)) from err
            except Unsupported as err:
                raise Refused("unsupported", str(err)) from err
            except LtiException as err:
                if isinstance(err.__cause__, jwt.ExpiredSignatureError):
                    reason = "expired"
                elif isinstance(err.__cause__, jwt.ImmatureSignatureError):
                    reason = "early"
                raise Refused(reason, str(err)) from err
        self.save_launch_data()
        return self
