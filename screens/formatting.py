"""Formatting shared by the workbench's screens: ages, time left and markers."""

from datetime import datetime

from registrar.clock import parse


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
    """A store time as 'YYYY-MM-DD HH:MM' (UTC), or '' for none."""
    return text[:16].replace("T", " ") if text else ""
