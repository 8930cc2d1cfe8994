"""Formatting shared by the workbench's screens: ages, time left and markers."""

from datetime import datetime
from zoneinfo import ZoneInfo

from textual.content import Content

from registrar.base.clock import FORCE_TIMEZONE, parse
from registrar.base.text import safe_text

LOCAL = ZoneInfo(FORCE_TIMEZONE)


def time_left(due_at: str, now: datetime) -> str:
    """Time until a due time, like '3h 20m', or how long past it, like '7h 57m overdue' (never a negative)."""
    seconds = int((parse(due_at) - now).total_seconds())
    late = seconds < 0
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    text = f"{days}d {hours}h" if days else f"{hours}h {minutes:02d}m"
    return f"{text} overdue" if late else text


def when(text: str | None) -> str:
    """A store time (UTC) shown in the force's local time (Europe/London) as 'YYYY-MM-DD HH:MM', or '' for none."""
    if not text:
        return ""
    try:
        return parse(text).astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return text[:16].replace("T", " ")


def day_or_when(text: str | None) -> str:
    """A date given without a time (stored as midnight UTC) as the date; a real time as local time."""
    if text and (len(text) == 10 or text.endswith("T00:00:00Z")):
        return text[:10]
    return when(text)


def plain(value: object) -> Content:
    """Text from the store as a table cell or line: shown as it is, never read as markup, controls made visible."""
    return Content(safe_text("" if value is None else str(value)))
