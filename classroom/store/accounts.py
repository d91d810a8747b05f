"""Accounts: users, their passwords, and enrolling students."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from . import sessions, throttle
from .connection import now, one
from .engine import database_errors, is_unique_violation

# How long a teacher's one-time code works; it also stops working once it has set a password.
CODE_LIFETIME = timedelta(hours=24)

# Checked against when the username is unknown, so that both failures take the same time.
_NO_SUCH_USER = generate_password_hash("no such user, no such password")


def get_user(db: Database, user_id: int) -> dict[str, Any] | None:
    """The user with this id, without the password hash."""
    return one(
        db,
        """select id, username, display_name, role, must_change_password, code_expires_at
           from users where id = ?""",
        [user_id],
    )


class UsernameTaken(Exception):
    """Another account got this username first (two joins at the same moment)."""


def code_expired(user: dict[str, Any]) -> bool:
    """Whether the user's password is a teacher's one-time code that is past its time."""
    expires = user["code_expires_at"] if user["must_change_password"] else None
    return bool(expires) and datetime.fromisoformat(expires) <= datetime.now(UTC)


def check_login(db: Database, username: str, password: str) -> dict[str, Any] | None:
    """The user if the password is right, else None (unknown users cost the same time)."""
    row = one(
        db, "select id, password_hash from users where username = ?", [username.strip().lower()]
    )
    ok = check_password_hash(row["password_hash"] if row else _NO_SUCH_USER, password)
    return get_user(db, row["id"]) if row and ok else None


def check_password(db: Database, user_id: int, password: str) -> bool:
    """Whether this is the user's current password (or one-time code, while it works)."""
    row = one(
        db,
        "select password_hash, must_change_password, code_expires_at from users where id = ?",
        [user_id],
    )
    if row is None or code_expired(row):
        return False
    return check_password_hash(row["password_hash"], password)


def set_password(db: Database, user_id: int, password: str, keep_session: str | None) -> None:
    """A new password chosen by its owner: a one-time code stops working, every other session
    of the user ends, and no browser is trusted for the account any more (see throttle)."""
    hashed = generate_password_hash(password)  # slow on purpose: not while holding the lock
    with db.atomic():
        db["users"].update(
            user_id, {"password_hash": hashed, "must_change_password": 0, "code_expires_at": None}
        )
        sessions.end_all(db, user_id, keep=keep_session)
        throttle.forget_devices(db, user_id)


def give_one_time_code(db: Database, user_id: int, code: str) -> None:
    """A teacher's reset: the code replaces the password (stored hashed, like it) for
    CODE_LIFETIME; every session of the user ends, no browser is trusted for the account, and
    its failed logins are forgotten, so the student can log in at once."""
    hashed = generate_password_hash(code)
    expires = (datetime.now(UTC) + CODE_LIFETIME).isoformat(timespec="seconds")
    with db.atomic():
        db["users"].update(
            user_id,
            {"password_hash": hashed, "must_change_password": 1, "code_expires_at": expires},
        )
        sessions.end_all(db, user_id)
        throttle.forget_devices(db, user_id)
        username = one(db, "select username from users where id = ?", [user_id])["username"]
        throttle.clear(db, username)


def username_taken(db: Database, username: str) -> bool:
    """Whether an account already has this username."""
    return user_id_by_username(db, username) is not None


def user_id_by_username(db: Database, username: str) -> int | None:
    """The id of the account with this username, if there is one."""
    row = one(db, "select id from users where username = ?", [username.strip().lower()])
    return row["id"] if row else None


def has_teacher(db: Database) -> bool:
    """Whether any teacher account exists."""
    return one(db, "select 1 from users where role = 'teacher' limit 1") is not None


def rename(db: Database, user_id: int, display_name: str) -> None:
    """Change the name others see."""
    db["users"].update(user_id, {"display_name": display_name})


def create_user(db: Database, username: str, display_name: str, password: str, role: str) -> int:
    """A new account; usernames are stored in lower case. UsernameTaken if one has it."""
    return _insert_user(db, username, display_name, generate_password_hash(password), role)


# Stored as the password hash of an account that has none (one made by an LTI launch): it is
# not a hash werkzeug made, so no password matches it.
NO_PASSWORD = "!no password"


def create_without_password(db: Database, username: str, display_name: str, role: str) -> int:
    """A new account nobody can log in to with a password (an LTI launch logs it in)."""
    return _insert_user(db, username, display_name, NO_PASSWORD, role)


def _insert_user(db: Database, username: str, display_name: str, hashed: str, role: str) -> int:
    row = {"username": username.strip().lower(), "display_name": display_name, "role": role}
    try:
        return db["users"].insert(row | {"password_hash": hashed, "created_at": now()}).last_pk
    except database_errors() as error:
        if not is_unique_violation(error, "users", "username"):  # not another constraint
            raise
        raise UsernameTaken(username) from error


def create_student(
    db: Database, class_id: int, display_name: str, username: str, password: str
) -> int:
    """A student account, enrolled in the class. UsernameTaken if one has the username."""
    hashed = generate_password_hash(password)  # slow on purpose: not while holding the lock
    with db.atomic():
        user_id = _insert_user(db, username, display_name, hashed, "student")
        enrol(db, class_id, user_id)
    return user_id


def enrol(db: Database, class_id: int, student_id: int) -> None:
    """Put a student in a class (nothing happens if already there)."""
    db["enrolments"].insert(
        {"class_id": class_id, "student_id": student_id, "joined_at": now()}, ignore=True
    )
