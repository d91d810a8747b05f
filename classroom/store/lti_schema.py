"""The LTI 1.3 tables (migration m013_lti), kept here so that migrations.py stays short. Never
edit what has shipped: a later change is a new migration."""

from __future__ import annotations

from sqlite_utils import Database


def create(db: Database) -> None:
    """LTI 1.3 (docs/lti.md): the learning platforms registered (one row per issuer and client
    id, with their deployments); accounts by (issuer, subject), classes by (issuer, context)
    and assignments by (issuer, resource link), each with the platform's service URLs; the
    OIDC states, nonces and launch data every app server must share, each with its expiry;
    scores waiting to be sent to a platform's gradebook (wanted moves on with every change,
    sent is the wanted last sent; tries, next_try_at and last_error while the platform
    refuses); and the one-time links a teacher makes for Dynamic Registration (their SHA-256)."""
    db["lti_platforms"].create(
        {
            "id": int,
            "issuer": str,
            "client_id": str,
            "name": str,
            "login_url": str,
            "token_url": str,
            "keyset_url": str,
            "token_audience": str,
            "added_by": int,
            "added_at": str,
        },
        pk="id",
        foreign_keys=[("added_by", "users", "id")],
        not_null=["issuer", "client_id", "name", "login_url", "token_url", "keyset_url"],
        strict=True,
    )
    db["lti_platforms"].create_index(["issuer", "client_id"], unique=True)
    db["lti_deployments"].create(
        {"platform_id": int, "deployment_id": str, "added_at": str},
        pk=("platform_id", "deployment_id"),
        foreign_keys=[("platform_id", "lti_platforms", "id")],
        not_null=["added_at"],
        strict=True,
    )
    db["lti_accounts"].create(
        {"issuer": str, "subject": str, "user_id": int, "created_at": str},
        pk=("issuer", "subject"),
        foreign_keys=[("user_id", "users", "id")],
        not_null=["user_id", "created_at"],
        strict=True,
    )
    db["lti_accounts"].create_index(["user_id"])
    db["lti_courses"].create(
        {
            "issuer": str,
            "context_id": str,
            "class_id": int,
            "platform_id": int,
            "title": str,
            "memberships_url": str,
            "synced_at": str,
            "linked_at": str,
        },
        pk=("issuer", "context_id"),
        foreign_keys=[("class_id", "classes", "id"), ("platform_id", "lti_platforms", "id")],
        not_null=["class_id", "platform_id", "linked_at"],
        strict=True,
    )
    db["lti_courses"].create_index(["class_id"])
    db["lti_links"].create(
        {
            "issuer": str,
            "resource_link_id": str,
            "assignment_id": int,
            "platform_id": int,
            "lineitem_url": str,
            "scopes": str,
            "seen_at": str,
        },
        pk=("issuer", "resource_link_id"),
        foreign_keys=[
            ("assignment_id", "assignments", "id"),
            ("platform_id", "lti_platforms", "id"),
        ],
        not_null=["assignment_id", "platform_id", "seen_at"],
        strict=True,
    )
    db["lti_links"].create_index(["assignment_id"])
    db["lti_values"].create(
        {"key": str, "value": str, "expires_at": str},
        pk="key",
        not_null=["value", "expires_at"],
        strict=True,
    )
    db["lti_values"].create_index(["expires_at"])
    db["lti_grades"].create(
        {
            "assignment_id": int,
            "student_id": int,
            "wanted": int,
            "sent": int,
            "changed_at": str,
            "tries": int,
            "next_try_at": str,
            "last_error": str,
            "sent_at": str,
            "sent_score": float,
        },
        pk=("assignment_id", "student_id"),
        foreign_keys=[("assignment_id", "assignments", "id"), ("student_id", "users", "id")],
        not_null=["wanted", "sent", "changed_at", "tries", "next_try_at"],
        defaults={"wanted": 1, "sent": 0, "tries": 0},
        strict=True,
    )
    db["lti_grades"].create_index(["next_try_at"])
    db["lti_registrations"].create(
        {"id": str, "teacher_id": int, "created_at": str, "expires_at": str, "used_at": str},
        pk="id",
        foreign_keys=[("teacher_id", "users", "id")],
        not_null=["teacher_id", "created_at", "expires_at"],
        strict=True,
    )
