"""LTI 1.3 in the database: the platforms registered and their deployments, accounts, classes
and assignments by the platform's ids, and the short-lived values (OIDC states, nonces, launch
data) that every app server must see alike. No Flask, no LTI library: plain rows."""

from __future__ import annotations

import hashlib
import itertools
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from . import accounts
from .connection import now, one

PLATFORM_FIELDS = ("issuer", "client_id", "name", "login_url", "token_url", "keyset_url")


class PlatformTaken(Exception):
    """A platform with this issuer and client id is registered already."""


def _later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


# --- platforms and deployments -----------------------------------------------------------


def add_platform(
    db: Database, fields: dict[str, str], deployments: list[str], added_by: int | None
) -> int:
    """Register a platform with its deployment ids; PlatformTaken if it is there already."""
    with db.atomic():
        if platform_by_client(db, fields["issuer"], fields["client_id"]):
            raise PlatformTaken(fields["issuer"])
        row = {k: fields[k].strip() for k in PLATFORM_FIELDS}
        row |= {"token_audience": fields.get("token_audience") or None, "added_at": now()}
        platform_id = db["lti_platforms"].insert(row | {"added_by": added_by}).last_pk
        for deployment in deployments:
            add_deployment(db, platform_id, deployment)
    return platform_id


def add_deployment(db: Database, platform_id: int, deployment_id: str) -> None:
    """Accept launches from this deployment of the platform (nothing if it is there already)."""
    db["lti_deployments"].insert(
        {"platform_id": platform_id, "deployment_id": deployment_id.strip(), "added_at": now()},
        ignore=True,
    )


def platforms(db: Database) -> list[dict[str, Any]]:
    """Every platform registered, with its deployment ids (a list), by name."""
    rows = list(db.query("select * from lti_platforms order by lower(name), id"))
    for row in rows:
        row["deployments"] = deployments(db, row["id"])
    return rows


def deployments(db: Database, platform_id: int) -> list[str]:
    """The platform's deployment ids, in the order they were added."""
    return [
        r["deployment_id"]
        for r in db.query(
            """select deployment_id from lti_deployments where platform_id = ?
               order by added_at, deployment_id""",
            [platform_id],
        )
    ]


def platform(db: Database, platform_id: int) -> dict[str, Any] | None:
    """The platform with this id."""
    return one(db, "select * from lti_platforms where id = ?", [platform_id])


def platform_by_client(db: Database, issuer: str, client_id: str | None) -> dict | None:
    """The platform of this issuer and client id; with no client id, the issuer's only one."""
    if client_id:
        return one(
            db,
            "select * from lti_platforms where issuer = ? and client_id = ?",
            [issuer, client_id],
        )
    found = list(db.query("select * from lti_platforms where issuer = ? limit 2", [issuer]))
    return found[0] if len(found) == 1 else None


def has_deployment(db: Database, platform_id: int, deployment_id: str) -> bool:
    """Whether launches from this deployment of the platform are accepted."""
    return (
        one(
            db,
            "select 1 from lti_deployments where platform_id = ? and deployment_id = ?",
            [platform_id, deployment_id],
        )
        is not None
    )


# --- accounts, classes and assignments by the platform's ids ------------------------------


def account(db: Database, issuer: str, subject: str) -> int | None:
    """The Classroom user this platform's user is, if they have launched before."""
    row = one(
        db, "select user_id from lti_accounts where issuer = ? and subject = ?", [issuer, subject]
    )
    return row["user_id"] if row else None


def account_for(db: Database, issuer: str, subject: str, name: str, role: str) -> int:
    """The Classroom user this platform user is, made (with no password) on their first
    launch. Two first launches at once make one account."""
    with db.atomic(lock=("lti-account", issuer, subject)):
        found = account(db, issuer, subject)
        if found is not None:
            return found
        base = "lti-" + hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:12]
        username = base
        for n in itertools.count(2):
            if not accounts.username_taken(db, username):
                break
            username = f"{base}-{n}"
        user_id = accounts.create_without_password(db, username, name, role)
        db["lti_accounts"].insert(
            {"issuer": issuer, "subject": subject, "user_id": user_id, "created_at": now()}
        )
    return user_id


def from_platform(db: Database, user_id: int) -> bool:
    """Whether this Classroom user came from a learning platform (and so has no password)."""
    return one(db, "select 1 from lti_accounts where user_id = ? limit 1", [user_id]) is not None


def students_from_platforms(db: Database, class_id: int) -> set[int]:
    """The class's students who came from a learning platform, whichever it was."""
    return {
        r["student_id"]
        for r in db.query(
            """select distinct e.student_id from enrolments e
               join lti_accounts a on a.user_id = e.student_id where e.class_id = ?""",
            [class_id],
        )
    }


def subject_of(db: Database, user_id: int, issuer: str) -> str | None:
    """The platform's id for this Classroom user, if they came from that issuer."""
    row = one(
        db, "select subject from lti_accounts where user_id = ? and issuer = ?", [user_id, issuer]
    )
    return row["subject"] if row else None


def course(db: Database, issuer: str, context_id: str) -> dict[str, Any] | None:
    """The class linked to this platform course, with the course's title and roster URL."""
    return one(
        db,
        """select k.*, c.name as class_name, c.teacher_id from lti_courses k
           join classes c on c.id = k.class_id where k.issuer = ? and k.context_id = ?""",
        [issuer, context_id],
    )


def course_of_class(db: Database, class_id: int) -> dict[str, Any] | None:
    """The platform course a class is linked to, if any."""
    return one(
        db,
        """select k.*, p.name as platform_name from lti_courses k
           join lti_platforms p on p.id = k.platform_id where k.class_id = ?""",
        [class_id],
    )


def link_course(
    db: Database, issuer: str, context_id: str, class_id: int, platform_id: int, title: str
) -> None:
    """Link a platform course to a class (a class is linked to one course at most)."""
    db.execute(
        """insert into lti_courses (issuer, context_id, class_id, platform_id, title, linked_at)
           values (?, ?, ?, ?, ?, ?) on conflict do nothing""",
        [issuer, context_id, class_id, platform_id, title, now()],
    )


def note_course_services(
    db: Database, issuer: str, context_id: str, title: str | None, memberships_url: str | None
) -> None:
    """Keep the course's title and roster URL as the latest launch gave them."""
    db.execute(
        """update lti_courses set title = coalesce(cast(? as text), title),
                  memberships_url = coalesce(cast(? as text), memberships_url)
           where issuer = ? and context_id = ?""",
        [title, memberships_url, issuer, context_id],
    )


def mark_synced(db: Database, class_id: int) -> None:
    """The roster of the class's course was read from the platform now."""
    db.execute("update lti_courses set synced_at = ? where class_id = ?", [now(), class_id])


def platform_students(db: Database, class_id: int, issuer: str) -> dict[str, int]:
    """The class's students who came from this issuer, as {subject: user id} (those who joined
    with a code are not there)."""
    return {
        r["subject"]: r["user_id"]
        for r in db.query(
            """select a.subject, a.user_id from enrolments e
               join lti_accounts a on a.user_id = e.student_id and a.issuer = ?
               join users u on u.id = e.student_id
               where e.class_id = ? and u.role = 'student'""",
            [issuer, class_id],
        )
    }


def linked_classes(db: Database) -> list[int]:
    """Every class linked to a platform course with a roster to read."""
    return [
        r["class_id"]
        for r in db.query(
            "select class_id from lti_courses where memberships_url is not null order by class_id"
        )
    ]


def link(db: Database, issuer: str, resource_link_id: str) -> dict[str, Any] | None:
    """The assignment this platform link opens, with its gradebook column."""
    return one(
        db,
        "select * from lti_links where issuer = ? and resource_link_id = ?",
        [issuer, resource_link_id],
    )


def save_link(
    db: Database,
    issuer: str,
    resource_link_id: str,
    assignment_id: int,
    platform_id: int,
    lineitem_url: str | None,
    scopes: list[str],
) -> None:
    """Remember which assignment a platform link opens, and the gradebook column its launch
    named (kept if a later launch names none)."""
    db.execute(
        """insert into lti_links
             (issuer, resource_link_id, assignment_id, platform_id, lineitem_url, scopes, seen_at)
           values (:issuer, :link, :assignment, :platform, :lineitem, :scopes, :now)
           on conflict (issuer, resource_link_id) do update set
             lineitem_url = coalesce(excluded.lineitem_url, lti_links.lineitem_url),
             scopes = case when excluded.lineitem_url is null then lti_links.scopes
                           else excluded.scopes end,
             seen_at = excluded.seen_at""",
        {
            "issuer": issuer,
            "link": resource_link_id,
            "assignment": assignment_id,
            "platform": platform_id,
            "lineitem": lineitem_url,
            "scopes": " ".join(scopes),
            "now": now(),
        },
    )


def assignment_in_class(db: Database, assignment_id: int, class_id: int) -> bool:
    """Whether the assignment was given to this class."""
    return (
        one(
            db, "select 1 from assignments where id = ? and class_id = ?", [assignment_id, class_id]
        )
        is not None
    )


def gradebook_column(db: Database, assignment_id: int) -> dict[str, Any] | None:
    """The platform gradebook column an assignment's scores go to (the link seen last that
    has one), with its platform's row as `platform`."""
    row = one(
        db,
        """select * from lti_links where assignment_id = ? and lineitem_url is not null
           order by seen_at desc limit 1""",
        [assignment_id],
    )
    if row:
        row["platform"] = platform(db, row["platform_id"])
    return row


# --- one-time Dynamic Registration links ------------------------------------------------------

REGISTRATION_LIFETIME = 24 * 60 * 60  # seconds a Dynamic Registration link works


def new_registration_link(db: Database, teacher_id: int) -> str:
    """A one-time token for a Dynamic Registration link (only its SHA-256 is kept)."""
    token = secrets.token_urlsafe(24)
    db["lti_registrations"].insert(
        {
            "id": hashlib.sha256(token.encode()).hexdigest(),
            "teacher_id": teacher_id,
            "created_at": now(),
            "expires_at": _later(REGISTRATION_LIFETIME),
        }
    )
    return token


def registration_link(db: Database, token: str) -> dict[str, Any] | None:
    """The live, unused link of this token (with the teacher who made it), or None."""
    return one(
        db,
        """select * from lti_registrations
           where id = ? and used_at is null and expires_at > ?""",
        [hashlib.sha256(token.encode()).hexdigest(), now()],
    )


def use_registration_link(db: Database, link_id: str) -> bool:
    """Spend the link; whether it was still unused (two uses at once: one wins)."""
    cursor = db.execute(
        "update lti_registrations set used_at = ? where id = ? and used_at is null",
        [now(), link_id],
    )
    return cursor.rowcount == 1


# --- short-lived values shared by every server ---------------------------------------------


def put_value(db: Database, key: str, value: Any, lifetime: float) -> None:
    """Keep a JSON value under key for lifetime seconds (replacing one kept there); values
    past their time are cleared on the way."""
    stamp = now()
    with db.atomic():
        db.execute("delete from lti_values where expires_at <= ?", [stamp])
        db.execute(
            """insert into lti_values (key, value, expires_at) values (?, ?, ?)
               on conflict (key) do update set value = excluded.value,
                                               expires_at = excluded.expires_at""",
            [key, json.dumps(value), _later(lifetime)],
        )


def get_value(db: Database, key: str) -> Any:
    """The value kept under key, or None if there is none or it has expired."""
    row = one(db, "select value from lti_values where key = ? and expires_at > ?", [key, now()])
    return json.loads(row["value"]) if row else None


def take_value(db: Database, key: str) -> bool:
    """Remove the value kept under key; whether it was there and live. Two servers taking the
    same key at once: one gets True (a nonce is used once)."""
    cursor = db.execute("delete from lti_values where key = ? and expires_at > ?", [key, now()])
    return cursor.rowcount == 1
