"""An LTI 1.3 platform of our own, in process, for the tests (conftest's `platform` fixture):
it signs launches with its own key and serves its key set, answers the tool's token requests
(checking the tool's signed assertion against the tool's own key set), accepts scores into its
gradebook, serves a course roster, and reads deep linking answers as a platform would.

The tool's outgoing requests reach it through a requests transport adapter (mounted as the
app's `classroom.lti.transport`), so nothing leaves the process. The browser is a Flask test
client, over HTTPS as a platform requires.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

ISSUER = "https://platform.test"
CLIENT_ID = "classroom-on-platform-test"
DEPLOYMENT = "deployment-1"
TOOL = "https://localhost"  # the tool, as the test client reaches it
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
]


@cache
def key_pair(name: str) -> tuple[str, dict]:
    """A private key (PEM) and its public JWK, made once per test run for each name."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = json.loads(JWK.from_pem(pem.encode()).export_public())
    return pem, public | {"kid": f"platform-key-{name}", "alg": "RS256", "use": "sig"}


@dataclass
class Person:
    """Someone on the platform."""

    sub: str
    name: str
    roles: list[str]
    status: str = "Active"


@dataclass
class Platform:
    """The platform: its people, its course, its gradebook and what it received."""

    issuer = ISSUER
    instructor = INSTRUCTOR
    learner = LEARNER
    tool_app: object
    course_id: str = "course-42"
    course_title: str = "Period 3 Media Literacy"
    people: dict[str, Person] = field(default_factory=dict)
    lineitems: dict[str, dict] = field(default_factory=dict)  # id -> line item
    links: dict[str, str] = field(default_factory=dict)  # resource link id -> line item id
    scores: list[dict] = field(default_factory=list)  # every score posted, in order
    tokens_issued: int = 0
    down: bool = False  # every request answered 503
    page_size: int = 1000  # roster members per page (the rest on pages the Link header names)
    next_page: str | None = None  # a roster page's next link, whatever page it is (a loop...)
    roster_reads: int = 0
    revoked: set = field(default_factory=set)  # access tokens it no longer takes
    registered: dict | None = None  # what a tool registering dynamically sent
    key_name: str = "main"
    key_set_alg: str = "RS256"  # the alg its key set names for its key

    def __post_init__(self) -> None:
        self.add("teacher", "Grace Hopper", INSTRUCTOR)
        self.add("ada", "Ada Lovelace", LEARNER)

    def add(self, handle: str, name: str, role: str) -> Person:
        """Put someone in the course."""
        self.people[handle] = Person(
            sub=f"user-{handle}-{uuid.uuid4().hex[:6]}", name=name, roles=[role]
        )
        return self.people[handle]

    # --- what the tool's registration needs ---------------------------------------------------

    def registration(self) -> dict[str, str]:
        return {
            "name": "Test Platform",
            "issuer": ISSUER,
            "client_id": CLIENT_ID,
            "login_url": f"{ISSUER}/auth",
            "token_url": f"{ISSUER}/token",
            "keyset_url": f"{ISSUER}/jwks",
        }

    def adapter(self) -> requests.adapters.BaseAdapter:
        return WsgiAdapter(self.wsgi)

    # --- the browser's side of a launch ------------------------------------------------------

    def launch(
        self,
        client,
        who: str,
        *,
        message: str = "LtiResourceLinkRequest",
        link: str | None = "link-1",
        custom: dict | None = None,
        follow: bool = False,
        **tamper,
    ):
        """Open the tool from the platform as `who`: the OIDC login, then the signed launch
        posted back. tamper changes the token (aud, exp, deployment, key, claims, alg, kid) or
        how it is sent (replay: send it twice, returning the second answer; no_cookie: lose the
        state cookie, as a browser blocking third-party cookies does)."""
        person = self.people[who]
        query = self.begin(client, who, link)
        token = self.id_token(person, query["nonce"], message, link, custom or {}, **tamper)
        if tamper.get("no_cookie"):
            client.delete_cookie(f"lti1p3-{query['state']}", path="/lti/", domain="localhost")
        if via := tamper.get("via"):  # the launch reaches another server of the tool
            name = f"lti1p3-{query['state']}"
            cookie = client.get_cookie(name, domain="localhost", path="/lti/")
            client = via.test_client()
            client.set_cookie(name, cookie.value, domain="localhost", path="/lti/")
        headers = tamper.get("headers")  # as the browser sends them (Sec-Fetch-Dest...)
        answer = self.post(client, token, query, follow=follow, headers=headers)
        if tamper.get("replay"):
            answer = self.post(client, token, query, follow=follow, headers=headers)
        return answer

    def begin(self, client, who: str, link: str | None = "link-1", **params) -> dict[str, str]:
        """The OIDC login as the platform begins it in the browser: the query of the tool's
        redirect to the platform's authorization page (state, nonce, redirect_uri...)."""
        person = self.people[who]
        login = client.post(
            "/lti/login",
            base_url=TOOL,
            data={
                "iss": ISSUER,
                "login_hint": person.sub,
                "target_link_uri": f"{TOOL}/lti/launch",
                "lti_message_hint": link or "deep-link",
                "client_id": CLIENT_ID,
                "lti_deployment_id": DEPLOYMENT,
            }
            | params,
        )
        assert login.status_code == 302, login.get_data(as_text=True)
        asked = urlsplit(login.location)
        assert f"{asked.scheme}://{asked.netloc}{asked.path}" == f"{ISSUER}/auth"
        query = {k: v[0] for k, v in parse_qs(asked.query).items()}
        assert query["client_id"] == CLIENT_ID and query["login_hint"] == person.sub
        return query

    def post(self, client, token: str, query: dict[str, str], follow=False, headers=None):
        """The platform's page posting the signed launch back to the tool, for that login."""
        redirect = urlsplit(query["redirect_uri"])
        form = {"id_token": token, "state": query["state"]}
        return client.post(
            redirect.path, base_url=TOOL, data=form, follow_redirects=follow, headers=headers
        )

    def id_token(
        self, person: Person, nonce: str, message: str, link: str | None, custom: dict, **tamper
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": tamper.get("aud", CLIENT_ID),
            "sub": person.sub,
            "iat": now,
            "exp": tamper.get("exp", now + 300),
            "nonce": nonce,
            "name": person.name,
            LTI + "message_type": message,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": tamper.get("deployment", DEPLOYMENT),
            LTI + "target_link_uri": f"{TOOL}/lti/launch",
            LTI + "roles": person.roles,
            LTI + "context": {
                "id": self.course_id,
                "title": self.course_title,
                "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
            },
            LTI + "launch_presentation": {"return_url": f"{ISSUER}/courses/{self.course_id}"},
            LTI + "custom": custom,
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": f"{ISSUER}/memberships/{self.course_id}",
                "service_versions": ["2.0"],
            },
        }
        ags = {"scope": SCOPES, "lineitems": f"{ISSUER}/lineitems"}
        if message == "LtiResourceLinkRequest":
            claims[LTI + "resource_link"] = {"id": link, "title": "An assignment"}
            if link in self.links:
                ags["lineitem"] = self.links[link]
        else:
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{ISSUER}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False,
                "data": "platform-opaque-data",
            }
        claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = ags
        claims |= tamper.get("claims", {})
        for name in tamper.get("without", ()):
            claims.pop(name, None)
        pem, public = key_pair(tamper.get("key", self.key_name))
        kid = tamper.get("kid", key_pair(self.key_name)[1]["kid"])  # a forged key still claims it
        alg = tamper.get("alg", "RS256")
        header = {"kid": kid} if kid else {}
        if alg in ("RS256", "RS512"):
            return jwt.encode(claims, pem, algorithm=alg, headers=header)
        # a forger's token: unsigned ('none'), or HS256 with the platform's public key (a
        # published value) as the shared secret
        public_pem = JWK(**public).export_to_pem().decode()
        return hand_signed({"alg": alg, "typ": "JWT"} | header, claims, public_pem)

    def receive_deep_link(self, jwt_value: str) -> list[dict]:
        """What a platform does with the tool's deep linking answer: check its signature with
        the tool's key set, then make a link (and a gradebook column) for each item."""
        tool_keys = self._tool_keys()
        header = jwt.get_unverified_header(jwt_value)
        key = next(k for k in tool_keys["keys"] if k["kid"] == header["kid"])
        body = jwt.decode(jwt_value, jwt.PyJWK(key).key, algorithms=["RS256"], audience=ISSUER)
        assert body["iss"] == CLIENT_ID
        assert body[LTI + "message_type"] == "LtiDeepLinkingResponse"
        assert body[LTI + "deployment_id"] == DEPLOYMENT
        assert body["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "platform-opaque-data"
        items = body["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
        for item in items:
            link = f"link-{len(self.links) + 1}"
            if "lineItem" in item:
                lineitem = f"{ISSUER}/lineitems/{len(self.lineitems) + 1}"
                self.lineitems[lineitem] = item["lineItem"] | {"id": lineitem}
                self.links[link] = lineitem
            item["link"] = link
        return items

    def _tool_keys(self) -> dict:
        return self.tool_app.test_client().get("/lti/jwks", base_url=TOOL).get_json()

    # --- the platform's services, as WSGI ----------------------------------------------------

    def wsgi(self, environ, start_response):
        request = Request(environ)
        if self.down:
            return Response("platform down", 503)(environ, start_response)
        path = request.path
        if path == "/jwks":
            answer = Response(
                json.dumps({"keys": [key_pair(self.key_name)[1] | {"alg": self.key_set_alg}]}),
                mimetype="application/json",
            )
        elif path == "/token" and request.method == "POST":
            answer = self._token(request)
        elif path.startswith("/lineitems/") and path.endswith("/scores"):
            answer = self._score(request)
        elif path == f"/memberships/{self.course_id}":
            answer = self._roster(request)
        elif path == "/.well-known/openid-configuration":
            answer = Response(json.dumps(self.openid_configuration()), mimetype="application/json")
        elif path == "/register" and request.method == "POST":
            answer = self._register(request)
        else:
            answer = Response("no such page", 404)
        return answer(environ, start_response)

    def _token(self, request: Request) -> Response:
        assertion = request.form["client_assertion"]
        key = next(
            k
            for k in self._tool_keys()["keys"]
            if k["kid"] == jwt.get_unverified_header(assertion)["kid"]
        )
        body = jwt.decode(
            assertion, jwt.PyJWK(key).key, algorithms=["RS256"], audience=f"{ISSUER}/token"
        )
        assert body["iss"] == body["sub"] == CLIENT_ID
        self.tokens_issued += 1
        token = {
            "access_token": f"token-{self.tokens_issued}",
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": request.form["scope"],
        }
        return Response(json.dumps(token), mimetype="application/json")

    def _authorized(self, request: Request) -> bool:
        given = request.headers.get("Authorization", "")
        return given.startswith("Bearer token-") and given.removeprefix("Bearer ") not in (
            self.revoked
        )

    def _score(self, request: Request) -> Response:
        if not self._authorized(request):
            return Response("no token", 401)
        lineitem = f"{ISSUER}{request.path.removesuffix('/scores')}"
        if lineitem not in self.lineitems:
            return Response("no such line item", 404)
        assert request.content_type == "application/vnd.ims.lis.v1.score+json"
        self.scores.append(json.loads(request.get_data()) | {"lineitem": lineitem})
        return Response("", 204)

    def _roster(self, request: Request) -> Response:
        if not self._authorized(request):
            return Response("no token", 401)
        self.roster_reads += 1
        if self.roster_reads > 1000:  # a tool that follows a loop for ever: stop it here
            return Response("enough", 429)
        members = [
            {"user_id": p.sub, "name": p.name, "roles": p.roles, "status": p.status}
            for p in self.people.values()
        ]
        page = int(request.args.get("page", "1"))
        shown = members[(page - 1) * self.page_size : page * self.page_size]
        body = {
            "id": request.url,
            "context": {"id": self.course_id, "title": self.course_title},
            "members": shown,
        }
        answer = Response(
            json.dumps(body), mimetype="application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
        )
        following = self.next_page
        if following is None and page * self.page_size < len(members):
            following = f"{ISSUER}/memberships/{self.course_id}?page={page + 1}"
        if following:
            answer.headers["Link"] = f'<{following}>; rel="next"'
        return answer

    def openid_configuration(self) -> dict:
        """What the platform says of itself to a tool registering dynamically."""
        return {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/auth",
            "token_endpoint": f"{ISSUER}/token",
            "jwks_uri": f"{ISSUER}/jwks",
            "registration_endpoint": f"{ISSUER}/register",
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "test-platform",
                "version": "1.0",
                "messages_supported": [
                    {"type": "LtiResourceLinkRequest"},
                    {"type": "LtiDeepLinkingRequest"},
                ],
            },
        }

    def _register(self, request: Request) -> Response:
        if request.headers.get("Authorization") != "Bearer registration-token-1":
            return Response("no registration token", 401)
        self.registered = json.loads(request.get_data())
        answer = self.registered | {
            "client_id": CLIENT_ID,
            "https://purl.imsglobal.org/spec/lti-tool-configuration": self.registered[
                "https://purl.imsglobal.org/spec/lti-tool-configuration"
            ]
            | {"deployment_id": DEPLOYMENT},
        }
        return Response(json.dumps(answer), mimetype="application/json")

    def grade_of(self, who: str) -> list[dict]:
        """The scores the platform received for someone, in order."""
        sub = self.people[who].sub
        return [s for s in self.scores if s["userId"] == sub]


def hand_signed(header: dict, claims: dict, secret: str) -> str:
    """A JWT signed as its header says, by hand (PyJWT refuses to make these two): 'none' has
    no signature, HS256 an HMAC with the secret."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing = part(json.dumps(header).encode()) + "." + part(json.dumps(claims).encode())
    if header["alg"] == "none":
        return signing + "."
    mac = hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest()
    return signing + "." + part(mac)


class WsgiAdapter(requests.adapters.BaseAdapter):
    """A requests transport that answers from a WSGI app, in process."""

    def __init__(self, app) -> None:
        super().__init__()
        self.client = Client(app)

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        answer = self.client.open(
            parts.path,
            base_url=f"{parts.scheme}://{parts.netloc}",
            query_string=parts.query,
            method=request.method,
            headers=headers,
            data=body,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = requests.structures.CaseInsensitiveDict(answer.headers)
        response._content = answer.get_data()
        response.url = request.url
        response.request = request
        response.reason = answer.status.split(" ", 1)[1] if " " in answer.status else ""
        return response

    def close(self) -> None:
        pass
