"""A ledger entry's details as labelled fields a registrar reads, with the store's internals summarised."""

import re
from collections import Counter

from .formatting import day_or_when

LABELS = {
    "door": "Door",
    "informed_on": "Victim told on",
    "method": "How told",
    "kind": "Kind",
    "source": "Source",
    "requested_by": "Requested by",
    "crimes": "Crimes",
    "crime_reference": "Crime",
    "offences": "Offences",
    "review": "Audit item",
    "incident": "Incident",
    "sample": "Sample",
    "audit_item": "Audit item",
    "maker": "Decided by",
    "decision_seq": "Decision entry",
    "force": "Force",
    "from_force": "From force",
    "other_reference": "Their reference",
    "their_reference": "Their reference",
    "surviving_reference": "Surviving crime",
    "from_code": "From code",
    "to_code": "To code",
    "from_weight": "From weight",
    "to_weight": "To weight",
    "direction": "Direction",
    "came_with_code": "Came with code",
    "came_with_weight": "Came with weight",
    "recorded_weight": "Recorded weight",
    "avi_type": "AVI type",
    "avi_source": "AVI source",
    "avi_shows": "AVI shows",
    "avi_obtained_at": "AVI obtained",
    "avi_description": "AVI",
    "reason": "Reason",
    "error_description": "Error",
    "recorded": "Recorded",
    "late_by_hours": "Late by (hours)",
    "rape_reports_queued": "Rape reports queued",
    "since": "From",
    "until": "To",
    "seed": "Seed",
    "drawn": "Drawn",
    "username": "User",
    "area": "Area",
    "table": "Table",
}
HIDDEN = frozenset({"decider_evidence", "digest", "migrations"})  # repeated elsewhere in the entry, or internal
LIST_SHOWN = 6
TIME = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?")  # a store time, or a date


def _is_time(key: str) -> bool:
    """True for the details that hold a store time or a date (the others are shown as written)."""
    return key.endswith(("_at", "_on")) or key in ("since", "until")


def _value(value: object, key: str = "") -> str:
    """A detail's value as short readable text: a time in the force's local time, anything else as written."""
    if isinstance(value, list):
        items = [_value(item) for item in value]
        more = f" and {len(items) - LIST_SHOWN} more" if len(items) > LIST_SHOWN else ""
        return ", ".join(items[:LIST_SHOWN]) + more
    if isinstance(value, dict):
        return ", ".join(f"{_label(k).lower()} {_value(v, k)}" for k, v in value.items() if k not in HIDDEN)
    if isinstance(value, str) and _is_time(key) and TIME.fullmatch(value):
        return day_or_when(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _label(key: str) -> str:
    """The label of a detail key (its words, capitalised, when it has none of its own)."""
    return LABELS.get(key) or key.replace("_", " ").capitalize()


def _rows_written(writes: list, bulk: list) -> str:
    """How many rows of which tables the entry wrote, from its accounting."""
    tables: Counter = Counter()
    for write in writes:
        if isinstance(write, list) and write:
            tables[str(write[0])] += 1
    for part in bulk:
        if isinstance(part, dict):
            tables[str(part.get("table", "rows"))] += int(part.get("count") or 0)
    return ", ".join(f"{table.replace('_', ' ')} {count:,}" for table, count in sorted(tables.items()))


def entry_fields(details: dict) -> list[tuple[str, str]]:
    """(label, value) for each detail worth reading, then the rows the entry wrote."""
    fields = [
        (_label(key), _value(value, key))
        for key, value in details.items()
        if key not in HIDDEN and key not in ("writes", "bulk")
    ]
    written = _rows_written(details.get("writes") or [], details.get("bulk") or [])
    if written:
        fields.append(("Rows written", written))
    return [(label, value) for label, value in fields if value != ""]
