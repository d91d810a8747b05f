"""Rosters from the platform (LTI Names and Role Provisioning Services): a linked class's
students follow its course. Learners who are active there are enrolled (their account made,
with no password, if they have not launched yet); students who came from the platform and are
no longer active learners there leave the class, keeping their work, as when a teacher removes
them. Students who joined with the class's code are left as they are."""

from __future__ import annotations

from collections import Counter

from sqlite_utils import Database

from ..store import accounts, roster
from ..store import lti as store
from . import services


class NoRoster(Exception):
    """The class is not linked to a course whose launch offered its roster."""


def sync(db: Database, class_id: int) -> Counter:
    """Read the course's roster and make the class follow it; how many were added, removed and
    kept. NoRoster if there is none to read; the platform's errors (LtiException, requests'
    exceptions) if it refuses or does not answer, with nothing changed."""
    course = store.course_of_class(db, class_id)
    if course is None or not course["memberships_url"]:
        raise NoRoster(class_id)
    platform = store.platform(db, course["platform_id"])
    members = services.members(platform, course["memberships_url"])  # before anything changes
    issuer = course["issuer"]
    learners = {
        str(m["user_id"]): m
        for m in members
        if services.member_role(m) == "student" and m.get("status", "Active") == "Active"
    }
    counts: Counter = Counter(added=0, removed=0, kept=0)
    with db.atomic():
        enrolled = store.platform_students(db, class_id, issuer)
        for subject, member in learners.items():
            if subject in enrolled:
                counts["kept"] += 1
                continue
            name = (member.get("name") or "Student").strip()[:80]
            user_id = store.account_for(db, issuer, subject, name, "student")
            if accounts.get_user(db, user_id)["role"] != "student":
                continue  # a Classroom teacher who is a learner there: not a student here
            accounts.enrol(db, class_id, user_id)
            counts["added"] += 1
        for subject, user_id in enrolled.items():
            if subject not in learners:
                roster.remove_student(db, class_id, user_id)
                counts["removed"] += 1
        store.mark_synced(db, class_id)
    return counts
