"""Times: stored in UTC as ISO 8601 text, shown and entered in the school's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo


def zone(name: str) -> tzinfo:
    """The time zone with this IANA name ('UTC' needs no tz database); ValueError (or
    zoneinfo's ZoneInfoNotFoundError, a KeyError) for a name that is not one."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"no time zone is named {name!r}")
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except KeyError as err:
        raise ValueError(f"no time zone is named {name!r}") from err


def to_utc(day: date, at: time, tz: tzinfo) -> str:
    """A local date and time as stored: ISO 8601 in UTC."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC).isoformat(timespec="seconds")


def local(stored: str | None, tz: tzinfo) -> datetime | None:
    """A stored time in the school's zone."""
    return datetime.fromisoformat(stored).astimezone(tz) if stored else None


def now() -> datetime:
    """The time now, in UTC: the one clock that due dates are held against, so that a test can
    let a due date pass without changing the assignment."""
    return datetime.now(UTC)


def is_past(stored: str | None) -> bool:
    """Whether a stored time has passed."""
    return stored is not None and datetime.fromisoformat(stored) <= now()


def readable(stored: str | None, tz: tzinfo) -> str:
    """A stored time as people read it, in the school's zone: '23 Nov 2026, 18:50 UTC'."""
    when = local(stored, tz)
    return f"{when:%-d %b %Y, %H:%M} {when.tzname()}" if when else ""


def time_of_day(stored: str | None, tz: tzinfo) -> str:
    """The time of day of a stored time, in the school's zone, to the second: '18:50:12 BST'."""
    when = local(stored, tz)
    return f"{when:%H:%M:%S} {when.tzname()}" if when else ""
