"""Read-only views of the store: queues, one request in full, the ledger and queue counts."""

import json
import sqlite3
from dataclasses import dataclass

from queries import sql

from .errors import NotFound

QUEUE_PAGE_SIZE = 200
HIGHEST_SEQ = 2**62


@dataclass(frozen=True)
class QueueFilter:
    """What narrows a queue: kind, state, area, offence group, text and the special lists."""

    kind: str | None = None
    state: str | None = None
    due_before: str | None = None
    area: str | None = None
    offence_group: str | None = None
    restricted_only: bool = False
    referred_to_me: str | None = None
    returned_to: str | None = None
    text: str | None = None


def queue_page(
    conn: sqlite3.Connection,
    queue_filter: QueueFilter,
    *,
    after: tuple[str, int] = ("", 0),
    limit: int = QUEUE_PAGE_SIZE,
) -> list[dict]:
    """One page of open requests in due order, starting after the (due_at, id) key given."""
    params = {
        "kind": queue_filter.kind,
        "state": queue_filter.state,
        "due_before": queue_filter.due_before,
        "area": queue_filter.area,
        "offence_group": queue_filter.offence_group,
        "restricted_only": int(queue_filter.restricted_only),
        "referred_to_me": queue_filter.referred_to_me,
        "returned_to": queue_filter.returned_to,
        "text": queue_filter.text or None,
        "after_due": after[0],
        "after_id": after[1],
        "limit": limit,
    }
    return [dict(row) for row in conn.execute(sql("queue_page"), params)]


def queue_counts(conn: sqlite3.Connection, now: str) -> list[dict]:
    """Open requests per kind and state, with the oldest request time and overdue count."""
    return [dict(row) for row in conn.execute(sql("queue_counts"), {"now": now})]


def request_detail(conn: sqlite3.Connection, request_id: int) -> dict:
    """A request in full: its evidence, its crime, linked crimes, follow-up and ledger history."""
    row = conn.execute(sql("request_detail"), (request_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no request {request_id}")
    detail = dict(row)
    detail["linked_crimes"] = [dict(r) for r in conn.execute(sql("request_linked_crimes"), (request_id,))]
    follow_up = conn.execute(sql("request_follow_up"), (request_id,)).fetchone()
    detail["follow_up"] = dict(follow_up) if follow_up else None
    detail["history"] = ledger_entries(conn, request_id=request_id, limit=1000)[::-1]
    return detail


def crime_detail(conn: sqlite3.Connection, reference: str) -> dict:
    """A crime by reference with its offence, or NotFound."""
    row = conn.execute(sql("crime_by_reference"), (reference,)).fetchone()
    if row is None:
        raise NotFound(f"there is no crime {reference}")
    return dict(row)


def ledger_entries(
    conn: sqlite3.Connection,
    *,
    request_id: int | None = None,
    crime: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    code: str | None = None,
    since: str | None = None,
    until: str | None = None,
    text: str | None = None,
    before_seq: int = HIGHEST_SEQ,
    limit: int = 200,
) -> list[dict]:
    """Ledger entries newest first, filtered by request, crime, person, action, code, dates or text."""
    params = {
        "request_id": request_id,
        "crime": crime,
        "actor": actor,
        "action": action,
        "code": code,
        "since": since,
        "until": until,
        "text": text or None,
        "before_seq": before_seq,
        "limit": limit,
    }
    entries = []
    for row in conn.execute(sql("ledger_search"), params):
        entry = dict(row)
        entry["details"] = json.loads(entry["details"])
        entries.append(entry)
    return entries


def users(conn: sqlite3.Connection) -> list[dict]:
    """Every registrar user of the store."""
    return [dict(row) for row in conn.execute(sql("users_all"))]


def reference_table(conn: sqlite3.Connection, name: str) -> list[dict]:
    """The rows of one reference table."""
    return [dict(row) for row in conn.execute(sql(f"reference_{name}"))]
