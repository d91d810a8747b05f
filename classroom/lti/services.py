"""The services side of the LTI library: the deep linking answer, scores to a platform's
gradebook (Assignment and Grade Services) and its course rosters (Names and Role
Provisioning), each asking the platform for a token signed with the tool's key. Plain values
in and out; every request goes through classroom.lti.http."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.roles import DesignerRole, StudentRole, TeacherRole, TeachingAssistantRole
from pylti1p3.service_connector import ServiceConnector

from .adapter import http_session, registration, restored

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
    """Service tokens asked for each time (no cache shared across platforms or servers)."""

    def _get_cached_access_token(self, scope_key: str) -> None:
        return None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        return None


def _connector(platform: dict[str, Any]) -> Connector:
    return Connector(registration(platform), http_session())


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
    """The course's members as the platform lists them (every page)."""
    service = NamesRolesProvisioningService(
        _connector(platform), {"context_memberships_url": memberships_url}
    )
    return list(service.get_members())


def member_role(member: dict[str, Any]) -> str | None:
    """teacher or student as a roster entry's roles say, else None."""
    body = {"https://purl.imsglobal.org/spec/lti/claim/roles": member.get("roles", [])}
    if any(r(body).check() for r in (TeacherRole, TeachingAssistantRole, DesignerRole)):
        return "teacher"
    return "student" if StudentRole(body).check() else None
