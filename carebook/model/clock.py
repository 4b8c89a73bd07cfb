"""Time for the domain: timezone-aware UTC instants and Finnish calendar days.

Services ask this module for "now" and "today" so that dates (RAR windows, minors' age,
service start and end) are always taken in Finland's civil calendar, whatever the PC's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

FINLAND = ZoneInfo("Europe/Helsinki")


def utc_now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Finland (whole calendar days in local Finnish time)."""
    return datetime.now(FINLAND).date()


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (SQLite returns naive values for aware columns)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_date(value: datetime) -> date:
    """The Finnish calendar day of an instant."""
    return as_utc(value).astimezone(FINLAND).date()
