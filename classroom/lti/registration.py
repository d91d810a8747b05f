"""Dynamic Registration (1EdTech LTI Dynamic Registration 1.0, through the library's
DynamicRegistration): a platform registers Classroom by itself from one link. A teacher who
administers Classroom makes a one-time link (its SHA-256 kept, for a day); the platform opens
it with its OpenID configuration URL and a registration token; Classroom reads the
configuration, posts its own (login, launch, key set, the messages and services it wants),
and keeps the platform's answer as a registered platform with its deployment."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pylti1p3.dynamic_registration import DynamicRegistration

from .claims import LINEITEM_SCOPE, ROSTER_SCOPE, SCORE_SCOPE
from .http import session
from .urls import secure_address, under_issuer

PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"


class Refused(Exception):
    """The platform's configuration or answer cannot be taken; the message says why."""


class Registration(DynamicRegistration):
    """Classroom's side of a Dynamic Registration, with the platform's two values."""

    client_name = "Classroom"
    description = "Students read real news and learn to spot what a careful reader questions."

    def __init__(self, configuration_url: str, token: str | None, tool: dict[str, str]):
        self.configuration_url = configuration_url
        self.token = token
        self.tool = tool  # Classroom's addresses: login, launch, jwks, logo, domain
        self.platform: dict[str, Any] | None = None

    def get_request_session(self):
        return session()

    def get_openid_configuration_endpoint(self) -> str:
        return self.configuration_url

    def get_registration_token(self) -> str | None:
        return self.token

    def get_initiate_login_uri(self) -> str:
        return self.tool["login"]

    def get_jwks_uri(self) -> str:
        return self.tool["jwks"]

    def get_redirect_uris(self) -> list[str]:
        return [self.tool["launch"]]

    def get_target_link_uri(self) -> str:
        return self.tool["launch"]

    def get_domain(self) -> str:
        return urlsplit(self.tool["launch"]).netloc

    def get_logo_uri(self) -> str:
        return self.tool["logo"]

    def get_scopes(self) -> list[str]:
        return [LINEITEM_SCOPE, SCORE_SCOPE, ROSTER_SCOPE]

    def get_claims(self) -> list[str]:
        return ["iss", "sub", "name", "given_name", "family_name"]

    def get_messages(self) -> list[dict[str, str]]:
        return [
            {
                "type": "LtiDeepLinkingRequest",
                "target_link_uri": self.tool["launch"],
                "label": "Classroom exercise",
            }
        ]

    def get_openid_configuration(self) -> dict[str, Any]:
        found = super().get_openid_configuration()
        issuer = str(found.get("issuer", ""))
        # the spec: the configuration's URL must be under its issuer (its host, not a host
        # that begins with it), so that a link cannot register one platform's name with
        # another's keys, and so launch as that platform's users
        if not issuer or not under_issuer(self.configuration_url, issuer):
            raise Refused("the configuration's issuer does not match its address")
        if not secure_address(str(found.get("registration_endpoint", ""))):
            raise Refused("the platform's registration endpoint is not an https:// address")
        return found

    def complete_registration(self, configuration: dict, registered: dict) -> dict[str, Any]:
        """The platform row and deployment the platform's answer gives."""
        tool = registered.get(TOOL_CONFIGURATION) or {}
        about = configuration.get(PLATFORM_CONFIGURATION) or {}
        fields = {
            "name": about.get("product_family_code") or urlsplit(configuration["issuer"]).netloc,
            "issuer": configuration["issuer"],
            "client_id": str(registered.get("client_id") or ""),
            "login_url": configuration.get("authorization_endpoint", ""),
            "token_url": configuration.get("token_endpoint", ""),
            "keyset_url": configuration.get("jwks_uri", ""),
            "token_audience": configuration.get("authorization_server"),
        }
        deployment = tool.get("deployment_id")
        self.platform = {"fields": fields, "deployments": [str(deployment)] if deployment else []}
        return self.platform
