"""Slowing down password guessing: per account and per network address.

After MAX_PER_ACCOUNT failures for one username, or MAX_PER_ADDRESS from one address, within
WINDOW, logins are refused until the oldest failure leaves the window. Unknown usernames are
counted like real ones, so the answer never tells whether an account exists.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from .connection import now

WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 30


def _since() -> str:
    return (datetime.now(UTC) - WINDOW).isoformat(timespec="seconds")


def wait_seconds(db: Database, username: str, address: str) -> int:
    """How long logins for this username or from this address are refused (0: not refused)."""
    row = next(
        db.query(
            """select
             (select count(*) from login_failures where username = :u and at > :since) as mine,
             (select min(at) from (select at from login_failures where username = :u
                                   and at > :since order by at desc limit :n)) as mine_oldest,
             (select count(*) from login_failures where address = :a and at > :since) as here,
             (select min(at) from (select at from login_failures where address = :a
                                   and at > :since order by at desc limit :m)) as here_oldest""",
            {
                "u": username.strip().lower(),
                "a": address,
                "since": _since(),
                "n": MAX_PER_ACCOUNT,
                "m": MAX_PER_ADDRESS,
            },
        )
    )
    oldest = [row["mine_oldest"]] if row["mine"] >= MAX_PER_ACCOUNT else []
    oldest += [row["here_oldest"]] if row["here"] >= MAX_PER_ADDRESS else []
    if not oldest:
        return 0
    free_at = datetime.fromisoformat(max(oldest)) + WINDOW
    return max(1, int((free_at - datetime.now(UTC)).total_seconds()))


def record_failure(db: Database, username: str, address: str) -> None:
    """Remember a failed login; failures older than the window are cleared on the way."""
    with db.atomic():
        db.execute("delete from login_failures where at <= ?", [_since()])
        db["login_failures"].insert(
            {"username": username.strip().lower(), "address": address, "at": now()}
        )


def clear(db: Database, username: str) -> None:
    """Forget an account's failures after it logs in."""
    db.execute("delete from login_failures where username = ?", [username.strip().lower()])
