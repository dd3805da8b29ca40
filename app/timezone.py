"""Europe/Brussels ↔ UTC. Stored in UTC, shown and entered in Brussels time."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def local(value: datetime) -> datetime:
    return value.astimezone(BRUSSELS)


def from_local(day: date, at: time) -> datetime:
    """A wall-clock time in Brussels as an aware UTC datetime (DST handled by zoneinfo)."""
    return datetime.combine(day, at, tzinfo=BRUSSELS).astimezone(UTC)


def local_day_bounds(first: date, last_exclusive: date) -> tuple[datetime, datetime]:
    return from_local(first, time.min), from_local(last_exclusive, time.min)
