"""Accounts: users, their passwords, and enrolling students."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from .connection import now, one

# Checked against when the username is unknown, so that both failures take the same time.
_NO_SUCH_USER = generate_password_hash("no such user, no such password")


def get_user(db: Database, user_id: int) -> dict[str, Any] | None:
    """The user with this id, without the password hash."""
    return one(
        db,
        "select id, username, display_name, role, must_change_password from users where id = ?",
        [user_id],
    )


def check_login(db: Database, username: str, password: str) -> dict[str, Any] | None:
    """The user if the password is right, else None (unknown users cost the same time)."""
    row = one(
        db, "select id, password_hash from users where username = ?", [username.strip().lower()]
    )
    ok = check_password_hash(row["password_hash"] if row else _NO_SUCH_USER, password)
    return get_user(db, row["id"]) if row and ok else None


def set_password(db: Database, user_id: int, password: str) -> None:
    """A new password chosen by its owner; any one-time code stops working."""
    db["users"].update(
        user_id, {"password_hash": generate_password_hash(password), "must_change_password": 0}
    )


def username_taken(db: Database, username: str) -> bool:
    """Whether an account already has this username."""
    return user_id_by_username(db, username) is not None


def user_id_by_username(db: Database, username: str) -> int | None:
    """The id of the account with this username, if there is one."""
    row = one(db, "select id from users where username = ?", [username.strip().lower()])
    return row["id"] if row else None


def create_user(db: Database, username: str, display_name: str, password: str, role: str) -> int:
    """A new account; usernames are stored in lower case."""
    return (
        db["users"]
        .insert(
            {
                "username": username.strip().lower(),
                "display_name": display_name,
                "password_hash": generate_password_hash(password),
                "role": role,
                "created_at": now(),
            }
        )
        .last_pk
    )


def create_student(
    db: Database, class_id: int, display_name: str, username: str, password: str
) -> int:
    """A student account, enrolled in the class."""
    with db.atomic():
        user_id = create_user(db, username, display_name, password, "student")
        enrol(db, class_id, user_id)
    return user_id


def enrol(db: Database, class_id: int, student_id: int) -> None:
    """Put a student in a class (nothing happens if already there)."""
    db["enrolments"].insert(
        {"class_id": class_id, "student_id": student_id, "joined_at": now()}, ignore=True
    )
