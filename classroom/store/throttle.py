"""Slowing down password guessing without locking the right person out, after OWASP's "Slow down
online guessing attacks with device cookies".

A browser that has logged in to an account holds a device token for it (the cookie is signed in
classroom.auth.devices; only the token's SHA-256 is stored here). Failures from such a browser
count against that token only: MAX_PER_DEVICE within WINDOW and the token is no longer trusted,
so other people's failures never lock its owner out. Every other client is untrusted: its
failures count against the account (MAX_PER_ACCOUNT within WINDOW, for all untrusted clients
together) and against its network address (MAX_PER_ADDRESS). Unknown usernames are counted like
real ones, so the answer never tells whether an account exists. An attacker without a device
token gets at most MAX_PER_ACCOUNT guesses per WINDOW at one account: 20 an hour.

Counting is atomic: a turn takes a failure slot in the same write transaction that counts them,
before the password is checked, and gives it back if the password was right. N guesses at once
never get more than the limit checked, across threads and processes.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from .classes import class_by_join_code
from .connection import now, one
from .sessions import digest

# The ids in a JSON array of strings, as rows.
IDS = {
    "sqlite": "select value from json_each(?)",
    "postgresql": "select value from json_array_elements_text(cast(? as json))",
}

WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 5  # failures from untrusted clients, per username
MAX_PER_DEVICE = 5  # failures from one trusted browser, per account
MAX_PER_ADDRESS = 30  # failures from untrusted clients, per network address
DEVICE_LIFETIME = timedelta(days=365)
# Wrong join codes: per address, and from everyone together (which then holds back only the
# addresses that sent a wrong code, so a student typing the right one first time still joins).
MAX_JOIN_PER_ADDRESS = 20
MAX_JOIN_EVERYWHERE = 200


@dataclass(frozen=True)
class Turn:
    """A login attempt let through to the password check, holding one failure slot; or, with
    wait set, one refused for that many seconds."""

    slot: int | None = None
    device: str | None = None  # the trusted device's id, if the browser had one
    wait: int = 0


def _since() -> str:
    return (datetime.now(UTC) - WINDOW).isoformat(timespec="seconds")


def _wait(oldest: Iterable[str | None]) -> int:
    """Seconds until the latest of these failures leaves the window (0 if none is given)."""
    stamps = [s for s in oldest if s]
    if not stamps:
        return 0
    free_at = datetime.fromisoformat(max(stamps)) + WINDOW
    return max(1, int((free_at - datetime.now(UTC)).total_seconds()))


def _count(db: Database, where: str, params: dict, limit: int) -> tuple[int, str | None]:
    """How many failures match in the window, and the oldest of the last `limit` of them."""
    row = one(
        db,
        f"""select (select count(*) from login_failures where {where} and at > :since) as n,
                   (select min(at) from (select at from login_failures where {where}
                    and at > :since order by at desc limit :limit) as recent) as oldest""",
        params | {"since": _since(), "limit": limit},
    )
    return row["n"], row["oldest"]


def take_turn(db: Database, username: str, address: str, device_tokens: Iterable[str]) -> Turn:
    """Let a login attempt through to the password check, or say how long it must wait."""
    username = username.strip().lower()
    ids = json.dumps([digest(t) for t in device_tokens])
    with db.atomic(lock="throttle"):
        db.execute("delete from login_failures where at <= ?", [_since()])
        trusted = one(
            db,
            f"""select d.id from devices d join users u on u.id = d.user_id
               where u.username = ? and d.id in ({IDS[db.engine]})""",
            [username, ids],
        )
        device = trusted["id"] if trusted else None
        if device and _count(db, "device = :d", {"d": device}, MAX_PER_DEVICE)[0] >= (
            MAX_PER_DEVICE
        ):
            device = None  # this browser has failed too often: it is a stranger again
        if device is None:
            mine = _count(db, "username = :u and device is null", {"u": username}, MAX_PER_ACCOUNT)
            here = _count(db, "address = :a and device is null", {"a": address}, MAX_PER_ADDRESS)
            wait = _wait(
                [mine[1] if mine[0] >= MAX_PER_ACCOUNT else None]
                + [here[1] if here[0] >= MAX_PER_ADDRESS else None]
            )
            if wait:
                return Turn(wait=wait)
        slot = (
            db["login_failures"]
            .insert({"username": username, "address": address, "at": now(), "device": device})
            .last_pk
        )
    return Turn(slot=slot, device=device)


def end_turn(db: Database, turn: Turn, password_was_right: bool) -> None:
    """A wrong password leaves the failure counted; the right one gives the slot back, and
    forgets the failures of the trusted browser it came from."""
    if not password_was_right:
        return
    with db.atomic():
        db.execute("delete from login_failures where id = ?", [turn.slot])
        if turn.device:
            db.execute("delete from login_failures where device = ?", [turn.device])


def clear(db: Database, username: str) -> None:
    """Forget every failure for an account (a teacher reset its password)."""
    db.execute("delete from login_failures where username = ?", [username.strip().lower()])


def new_device(db: Database, user_id: int) -> str:
    """A device token for a browser that has just logged in to this account, for its cookie;
    tokens older than DEVICE_LIFETIME are cleared on the way."""
    token = secrets.token_urlsafe(16)
    old = (datetime.now(UTC) - DEVICE_LIFETIME).isoformat(timespec="seconds")
    with db.atomic():
        db.execute("delete from devices where created_at <= ?", [old])
        db["devices"].insert({"id": digest(token), "user_id": user_id, "created_at": now()})
    return token


def is_device_of(db: Database, token: str, user_id: int) -> bool:
    """Whether this device token is one the account still trusts."""
    found = one(db, "select 1 from devices where id = ? and user_id = ?", [digest(token), user_id])
    return found is not None


def forget_devices(db: Database, user_id: int) -> None:
    """No browser is trusted for this account any more (its password was changed or reset)."""
    db.execute("delete from devices where user_id = ?", [user_id])


def join_turn(db: Database, address: str, code: str) -> tuple[dict[str, Any] | None, int]:
    """The class a join code opens, counting a wrong code: (the class or None, seconds to wait).

    The code is looked up in the same write transaction that counts, so codes sent at once from
    one address never get more than the limit checked.
    """
    with db.atomic(lock="throttle"):
        db.execute("delete from join_failures where at <= ?", [_since()])
        row = one(
            db,
            """select (select count(*) from join_failures where address = :a and at > :since)
                      as here,
                      (select max(at) from join_failures where address = :a) as latest,
                      (select count(*) from join_failures where at > :since) as everywhere""",
            {"a": address, "since": _since()},
        )
        if row["here"] >= MAX_JOIN_PER_ADDRESS or (
            row["here"] and row["everywhere"] >= MAX_JOIN_EVERYWHERE
        ):
            return None, _wait([row["latest"]])
        klass = class_by_join_code(db, code)
        if klass is None:
            db["join_failures"].insert({"address": address, "at": now()})
    return klass, 0
