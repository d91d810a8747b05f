"""The services side of the LTI library: the deep linking answer, scores to a platform's
gradebook (Assignment and Grade Services) and its course rosters (Names and Role
Provisioning), each asking the platform for a token signed with the tool's key. Plain values
in and out; every request goes through classroom.lti.http."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from flask import current_app
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.roles import DesignerRole, StudentRole, TeacherRole, TeachingAssistantRole
from pylti1p3.service_connector import ServiceConnector

from .adapter import http_session, registration, restored
from .claims import origin

__all__ = ["LtiException"]


@dataclass(frozen=True)
class Item:
    """What a deep link returns to the platform: an assignment to launch, and its column."""

    title: str
    url: str
    assignment_id: int
    score_maximum: float = 100


def deep_link_answer(launch_id: str, items: list[Item]) -> tuple[str, str]:
    """The platform's deep linking return address and the signed answer to post to it."""
    launch = restored(launch_id)
    resources = []
    for item in items:
        line = LineItem().set_label(item.title).set_score_maximum(item.score_maximum)
        line.set_resource_id(str(item.assignment_id)).set_tag("classroom")
        resource = DeepLinkResource().set_url(item.url).set_title(item.title)
        resource.set_custom_params({"assignment": str(item.assignment_id)})
        resources.append(resource.set_lineitem(line))
    link: DeepLink = launch.get_deep_link()
    return launch.get_launch_data()[DEEP_LINK_CLAIM]["deep_link_return_url"], (
        link.get_response_jwt(resources)
    )


DEEP_LINK_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"


class Connector(ServiceConnector):
    """Service tokens kept per platform (issuer, client id, token URL) and scopes, in this
    process's memory until a minute before they expire: never in the database or a log. A
    token the platform refuses (401) is forgotten, so the next try asks for a new one."""

    def __init__(self, found, requests_session, kept: dict) -> None:
        super().__init__(found, requests_session)
        self.kept = kept

    def _key(self, scope_key: str) -> tuple:
        found = self._registration
        return (found.get_issuer(), found.get_client_id(), found.get_auth_token_url(), scope_key)

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        token, until = self.kept.get(self._key(scope_key), (None, 0.0))
        return token if until > time.monotonic() else None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        lasts = float(expires_in or 0) - TOKEN_MARGIN
        if lasts > 0:
            self.kept[self._key(scope_key)] = (access_token, time.monotonic() + lasts)

    def make_service_request(self, scopes, url, **kwargs):  # noqa: D102 (the library's)
        try:
            return super().make_service_request(scopes, url, **kwargs)
        except LtiServiceException as err:
            if getattr(err, "response", None) is not None and err.response.status_code == 401:
                self.kept.pop(self._key(self._scope_key(sorted(scopes))), None)
            raise


TOKEN_MARGIN = 60  # seconds before a service token's end that it is no longer used
ROSTER_PAGES = 500  # at most this many pages of a course's roster are read


def _connector(platform: dict[str, Any]) -> Connector:
    kept = current_app.extensions.setdefault("classroom.lti.tokens", {})
    return Connector(registration(platform), http_session(), kept)


def send_score(
    platform: dict[str, Any],
    lineitem_url: str,
    scopes: list[str],
    subject: str,
    score: float | None,
    comment: str | None = None,
) -> None:
    """Send a student's score (0 to 1, None for no score) to the platform's gradebook column;
    LtiException, or requests' exceptions, if the platform refuses or does not answer."""
    grade = Grade().set_user_id(subject).set_score_maximum(100)
    grade.set_timestamp(time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime()))
    grade.set_activity_progress("Completed").set_grading_progress(
        "FullyGraded" if score is not None else "Pending"
    )
    if score is not None:
        grade.set_score_given(round(score * 100, 2))
    if comment:
        grade.set_comment(comment)
    service = AssignmentsGradesService(
        _connector(platform), {"scope": scopes, "lineitem": lineitem_url}
    )
    service.put_grade(grade)


def members(platform: dict[str, Any], memberships_url: str) -> list[dict[str, Any]]:
    """The course's members as the platform lists them, every page (the Link header's next):
    pages on the roster's own host only (the service token goes with each), none twice, at
    most ROSTER_PAGES; LtiException otherwise, so that a roster read in part changes nothing."""
    service = NamesRolesProvisioningService(
        _connector(platform), {"context_memberships_url": memberships_url}
    )
    found: list[dict[str, Any]] = []
    url: str | None = memberships_url
    read: set[str] = set()
    while url:
        if origin(url) != origin(memberships_url):
            raise LtiException(f"the roster's next page is on another host: {url[:200]}")
        if url in read or len(read) >= ROSTER_PAGES:
            raise LtiException(f"the roster does not end (page {len(read) + 1})")
        read.add(url)
        page, url = service.get_members_page(url)
        found.extend(page)
    return found


def member_role(member: dict[str, Any]) -> str | None:
    """teacher or student as a roster entry's roles say, else None."""
    body = {"https://purl.imsglobal.org/spec/lti/claim/roles": member.get("roles", [])}
    if any(r(body).check() for r in (TeacherRole, TeachingAssistantRole, DesignerRole)):
        return "teacher"
    return "student" if StudentRole(body).check() else None
