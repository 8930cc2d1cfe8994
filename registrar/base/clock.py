"""UTC timestamps as sortable ISO 8601 text, the only time format the store holds."""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

FORMAT = "%Y-%m-%dT%H:%M:%SZ"
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Return the current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def fixed_clock(moment: datetime) -> Clock:
    """Return a clock frozen at `moment`, for tests and generated history."""
    return lambda: moment


def stamp(moment: datetime) -> str:
    """Format a datetime as the store's UTC text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def parse(text: str) -> datetime:
    """Read the store's UTC text, or a date or ISO time a user typed, as an aware datetime."""
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValueError(f"{text} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    return moment.astimezone(UTC)


def normalise(text: str) -> str:
    """Return a user-typed date or time as store text; raises ValueError when unreadable."""
    return stamp(parse(text))


FORCE_TIMEZONE = "Europe/London"
_RELATIVE = re.compile(r"(\d{1,4})([hdw])")


def when_typed(text: str, now: datetime) -> str:
    """A search bound a person typed: a date or time, or 'today', 'yesterday' (from local midnight), '7d', '12h', '2w'."""
    word = text.strip().lower()
    if word in ("today", "yesterday"):
        from zoneinfo import ZoneInfo  # only these words need the time zone database; every command imports this

        local = now.astimezone(ZoneInfo(FORCE_TIMEZONE))
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return stamp(midnight - timedelta(days=1 if word == "yesterday" else 0))
    relative = _RELATIVE.fullmatch(word)
    if relative:
        size, unit = int(relative.group(1)), relative.group(2)
        return stamp(now - timedelta(hours=size * {"h": 1, "d": 24, "w": 168}[unit]))
    return normalise(text)


def local_date(text: str) -> str:
    """The force's calendar date (YYYY-MM-DD, UK local time) of the store time `text`: the day a person would name."""
    from zoneinfo import ZoneInfo  # as in when_typed: only the commands that need a local day load the database

    return parse(text).astimezone(ZoneInfo(FORCE_TIMEZONE)).date().isoformat()


def later(text: str, hours: float) -> str:
    """Return store text `hours` after the store text `text`."""
    return stamp(parse(text) + timedelta(hours=hours))


def age(since: str, now: datetime) -> str:
    """How long ago a time was, in whole days from two days on ('5d'), else in whole hours ('7h')."""
    seconds = int((now - parse(since)).total_seconds())
    if seconds >= 172800:
        return f"{seconds // 86400}d"
    return f"{seconds // 3600}h"


def age_hours(since: str, now: datetime) -> float:
    """Hours between store text `since` and `now`."""
    return (now - parse(since)).total_seconds() / 3600
