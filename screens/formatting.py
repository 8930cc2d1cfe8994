"""Formatting shared by the workbench's screens: ages, time left and markers."""

from datetime import datetime

from registrar.clock import parse


def time_left(due_at: str, now: datetime) -> str:
    """Time until a due time, like '3h 20m', or how long past it, like '-2d 4h'."""
    seconds = int((parse(due_at) - now).total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{sign}{days}d {hours}h"
    return f"{sign}{hours}h {minutes:02d}m"


def when(text: str | None) -> str:
    """A store time as 'YYYY-MM-DD HH:MM' (UTC), or '' for none."""
    return text[:16].replace("T", " ") if text else ""
