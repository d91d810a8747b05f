"""What a validated LTI launch says, as plain data (no Flask, no LTI library): who the user is
on the platform, in which course and role, which link they followed, and which of the
platform's services (gradebook column, roster, deep linking) the launch offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
ROSTER_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"


class Refused(Exception):
    """A launch or login that is not let in. reason is one of REASONS' keys; detail is the
    library's own words, for the log."""

    def __init__(self, reason: str, detail: str = "", **shown: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.shown = shown  # what the refusal's page names (whose class it is)


# Why a launch was refused, as the page says it: a headline, and what to do.
REASONS = {
    "no_state": (
        "This launch did not come back to the browser that began it",
        "Your browser kept the cookie that ties the platform's sign-in to this page from "
        "Classroom, or the sign-in took more than five minutes. Go back to the course and "
        "open the link again.",
    ),
    "unreadable": (
        "The platform's message could not be read",
        "It is not a well-formed LTI 1.3 launch. Ask whoever looks after the platform to "
        "check Classroom's registration there.",
    ),
    "unknown_platform": (
        "This platform is not registered with Classroom",
        "A teacher who looks after Classroom adds it on the LTI platforms page, with the "
        "issuer and client id the platform shows.",
    ),
    "wrong_audience": (
        "This launch was meant for another tool",
        "Its audience is not a client id registered with Classroom for this platform. Check "
        "the client id on the LTI platforms page against the platform's.",
    ),
    "bad_signature": (
        "The launch's signature is not the platform's",
        "It was not signed with a key in the platform's key set, so it cannot be trusted. "
        "If the platform changed its keys, check the key set URL on the LTI platforms page.",
    ),
    "expired": (
        "This launch has expired",
        "The platform's message is only good for a few minutes. Go back to the course and "
        "open the link again.",
    ),
    "early": (
        "This launch is dated in the future",
        "The platform's clock and Classroom's differ by more than a minute. Ask whoever looks "
        "after the platform or Classroom to set the server's clock right.",
    ),
    "other_login": (
        "This launch belongs to another sign-in",
        "The platform's message was made for a sign-in other than the one this browser began, "
        "so it cannot be trusted here. Go back to the course and open the link again.",
    ),
    "unsupported": (
        "Classroom does not open this kind of launch",
        "It opens the course's links and the platform's picker for adding an activity. Open "
        "Classroom from a link in the course.",
    ),
    "elsewhere": (
        "This launch is for another address",
        "The platform asked to open an address that is not Classroom's. Ask whoever looks "
        "after the platform to check Classroom's target link URI there.",
    ),
    "replayed": (
        "This launch was used already",
        "Each launch works once, so a copy of it sent again is refused. Go back to the "
        "course and open the link again.",
    ),
    "unknown_deployment": (
        "This deployment of the platform is not registered with Classroom",
        "Add its deployment id on the LTI platforms page (the platform shows it where "
        "Classroom was installed).",
    ),
    "no_role": (
        "Classroom has pages for teachers and students only",
        "The platform says you are neither an instructor nor a learner in this course.",
    ),
    "no_course": (
        "This launch names no course",
        "Open Classroom from a course on the platform, so that it knows which class to show.",
    ),
    "not_linked": (
        "Your teacher has not set this course up in Classroom yet",
        "Ask them to open Classroom from the course once: then its class is ready for you.",
    ),
    "not_yours": (
        "This course is linked to another teacher's class",
        "Classroom gives each class one teacher, the one who first opened Classroom from the "
        "course, so only they see its students' work here. The scores still reach the "
        "course's gradebook on the platform, where every instructor of the course sees them. "
        "For a class of your own, add Classroom to a course (or section) of your own on the "
        "platform.",
    ),
    "no_assignment": (
        "This link opens no assignment in Classroom",
        "It was not made with Classroom's picker, or its assignment was removed. Your "
        "teacher can add it again from the platform.",
    ),
    "other_role": (
        "This account is of the other kind in Classroom",
        "Classroom keeps one role per account, the one of its first launch: a student's "
        "account cannot open a teacher's pages, and a teacher's account does not open a "
        "course where the platform says it is a learner. Ask the teacher who looks after "
        "Classroom.",
    ),
}


def origin(url: str | None) -> str | None:
    """The scheme, host and port of a URL (what a frame-ancestors source names), if any."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Launch:
    """A launch that passed every check."""

    launch_id: str
    platform_id: int
    issuer: str
    deployment_id: str
    subject: str
    name: str
    role: str | None  # teacher or student, as the course's roles say
    kind: str  # resource or deep_link
    context_id: str | None
    context_title: str | None
    resource_link_id: str | None
    custom: dict[str, str] = field(default_factory=dict)
    lineitem_url: str | None = None
    scopes: tuple[str, ...] = ()
    memberships_url: str | None = None
    frame_origins: tuple[str, ...] = ()

    @classmethod
    def from_claims(
        cls, launch_id: str, platform_id: int, body: dict[str, Any], role: str | None
    ) -> Launch:
        """A launch from the validated token's claims."""
        context = body.get(LTI + "context") or {}
        link = body.get(LTI + "resource_link") or {}
        ags = body.get(AGS) or {}
        nrps = body.get(NRPS) or {}
        settings = body.get(DEEP_LINKING) or {}
        shown = body.get(LTI + "launch_presentation") or {}
        name = body.get("name") or " ".join(
            p for p in (body.get("given_name"), body.get("family_name")) if p
        )
        origins = {origin(body["iss"]), origin(shown.get("return_url"))}
        origins.add(origin(settings.get("deep_link_return_url")))
        kind = body.get(LTI + "message_type")
        return cls(
            launch_id=launch_id,
            platform_id=platform_id,
            issuer=body["iss"],
            deployment_id=body[LTI + "deployment_id"],
            subject=str(body["sub"]),
            name=(name or "").strip()[:80],
            role=role,
            kind="deep_link" if kind == "LtiDeepLinkingRequest" else "resource",
            context_id=context.get("id"),
            context_title=context.get("title") or context.get("label"),
            resource_link_id=link.get("id"),
            custom={str(k): str(v) for k, v in (body.get(LTI + "custom") or {}).items()},
            lineitem_url=ags.get("lineitem"),
            scopes=tuple(ags.get("scope") or ()),
            memberships_url=nrps.get("context_memberships_url"),
            frame_origins=tuple(sorted(o for o in origins if o)),
        )
