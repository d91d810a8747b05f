"""Where a launch leads: the Classroom account of the platform's user (by issuer and subject),
the class of the platform's course (by issuer and context), the assignment of the link they
followed (by issuer and resource link), and the page that opens. Plain functions of the
database and a Launch: no Flask, no LTI library."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from ..store import accounts, classes
from ..store import lti as store
from .claims import Launch, Refused


@dataclass(frozen=True)
class Arrival:
    """What a launch amounts to: who, in which class, at which assignment; and what comes
    next: 'assignment', 'class', 'link_course' (a teacher's course not linked yet) or
    'deep_link' (the picker)."""

    user_id: int
    role: str
    next: str
    class_id: int | None = None
    assignment_id: int | None = None


def arrive(db: Database, launch: Launch) -> Arrival:
    """Log the launch's user in to their account (made on their first launch) and find their
    class and assignment; Refused where Classroom has nothing to show them."""
    if launch.role is None:
        raise Refused("no_role")
    if launch.kind == "deep_link" and launch.role != "teacher":
        raise Refused("no_role", "deep linking is for instructors")
    if not launch.context_id:
        raise Refused("no_course")
    user_id = store.account_for(
        db, launch.issuer, launch.subject, launch.name or default_name(launch), launch.role
    )
    role = accounts.get_user(db, user_id)["role"]
    if role != launch.role:
        # one role per account, and the launch's role in this course is what counts: a
        # Classroom teacher who is a learner in this course gets no teacher's pages here
        raise Refused("other_role")
    course = store.course(db, launch.issuer, launch.context_id)
    if course is None:
        if role != "teacher":
            raise Refused("not_linked")
        return Arrival(user_id, role, "link_course")
    class_id = course["class_id"]
    if role == "teacher" and course["teacher_id"] != user_id:
        owner = accounts.get_user(db, course["teacher_id"])
        raise Refused("not_yours", owner=owner["display_name"], class_name=course["class_name"])
    store.note_course_services(
        db, launch.issuer, launch.context_id, launch.context_title, launch.memberships_url
    )
    if role == "student":
        accounts.enrol(db, class_id, user_id)
    if launch.kind == "deep_link":
        return Arrival(user_id, role, "deep_link", class_id)
    assignment_id = link_assignment(db, launch, class_id)
    if assignment_id is None:
        if role == "teacher":
            return Arrival(user_id, role, "class", class_id)
        raise Refused("no_assignment")
    return Arrival(user_id, role, "assignment", class_id, assignment_id)


def default_name(launch: Launch) -> str:
    """A name for someone the platform gives none (it may keep names private)."""
    return "Teacher" if launch.role == "teacher" else "Student"


def link_assignment(db: Database, launch: Launch, class_id: int) -> int | None:
    """The assignment the launch's link opens: the one it opened before, or the one its custom
    parameter names (set by Classroom's deep linking answer) if it is in the course's class;
    the gradebook column the launch names is kept with it."""
    if not launch.resource_link_id:
        return None
    known = store.link(db, launch.issuer, launch.resource_link_id)
    assignment_id = known["assignment_id"] if known else None
    if assignment_id is None:
        named = launch.custom.get("assignment", "")
        if named.isdigit() and store.assignment_in_class(db, int(named), class_id):
            assignment_id = int(named)
    if assignment_id is None:
        return None
    store.save_link(
        db,
        launch.issuer,
        launch.resource_link_id,
        assignment_id,
        launch.platform_id,
        launch.lineitem_url,
        list(launch.scopes),
    )
    return assignment_id


def link_course(db: Database, launch: Launch, user_id: int, class_id: int | None) -> int:
    """Link the launch's course to one of the teacher's classes (class_id), or to a new class
    named after the course; the class's id."""
    if class_id is None:
        name = (launch.context_title or "Course from the platform").strip()[:80]
        class_id = classes.create_class(db, user_id, name)["id"]
    store.link_course(
        db, launch.issuer, launch.context_id, class_id, launch.platform_id, launch.context_title
    )
    store.note_course_services(
        db, launch.issuer, launch.context_id, launch.context_title, launch.memberships_url
    )
    return class_id
