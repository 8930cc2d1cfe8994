"""Read-only views of the store: queues, one request in full, the ledger and queue counts."""

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from queries import sql
from registrar.base.clock import age, age_hours, parse
from registrar.base.errors import NotFound
from registrar.base.vocabulary import KINDS, RAPE_REVIEWERS, SENIOR_ROLES

QUEUE_PAGE_SIZE = 200
HIGHEST_SEQ = 2**62


class QueueFilter(NamedTuple):
    """What narrows a queue: kind, state, area, offence group, text and the special lists."""

    kind: str | None = None
    state: str | None = None
    due_before: str | None = None
    area: str | None = None
    offence_group: str | None = None
    restricted_only: bool = False
    referred_to_me: str | None = None
    returned_to: str | None = None
    waiting_on_force: bool = False
    text: str | None = None


def queue_page(
    conn: sqlite3.Connection,
    queue_filter: QueueFilter,
    *,
    after: tuple[str, int] = ("", 0),
    limit: int = QUEUE_PAGE_SIZE,
    follow_ups: bool = False,
) -> list[dict]:
    """One page of open requests in due order (or open victim follow-ups, oldest first) after a key."""
    params = {
        "kind": queue_filter.kind,
        "state": queue_filter.state,
        "due_before": queue_filter.due_before,
        "area": queue_filter.area,
        "offence_group": queue_filter.offence_group,
        "restricted_only": int(queue_filter.restricted_only),
        "referred_to_me": queue_filter.referred_to_me,
        "returned_to": queue_filter.returned_to,
        "waiting_on_force": int(queue_filter.waiting_on_force),
        "text": queue_filter.text or None,
        "after_due": after[0],
        "after_id": after[1],
        "limit": limit,
    }
    query = "follow_ups_open_page" if follow_ups else "queue_page"
    return [dict(row) for row in conn.execute(sql(query), params)]


def queue_counts(conn: sqlite3.Connection, now: str) -> list[dict]:
    """Open requests per kind and state, with the oldest request time and overdue count."""
    return [dict(row) for row in conn.execute(sql("queue_counts"), {"now": now})]


# What a C3's surviving crime shows beside the crime cancelled, so "do the two match?" is answered on the screen.
SURVIVING_CRIME_FIELDS = (
    "reference",
    "offence_code",
    "offence_name",
    "state",
    "recorded_at",
    "occurred_at",
    "area",
    "oic",
    "domestic_abuse",
    "hate_crime",
    "vulnerable_victim",
    "summary",
)


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
    detail["decider_evidence"] = [
        {"field": name, "value": value, "by": entry["actor"], "role": entry["role"], "seq": entry["seq"]}
        for entry in detail["history"]
        for name, value in (entry["details"] or {}).get("decider_evidence", {}).items()
    ]
    detail["surviving_crime"] = None
    if detail.get("surviving_reference"):
        surviving = conn.execute(sql("crime_by_reference"), (detail["surviving_reference"],)).fetchone()
        if surviving is not None:
            detail["surviving_crime"] = {key: surviving[key] for key in SURVIVING_CRIME_FIELDS}
    return detail


def victim_told(follow_up: dict, by_whom: bool = False) -> str:
    """A request's victim follow-up in words: not yet told, told when and how, or closed (and by whom)."""
    who = f" ({follow_up['done_by']})" if by_whom else ""
    if not follow_up["done_at"]:
        return "NOT YET TOLD"
    if follow_up["informed_on"]:
        return f"told {follow_up['informed_on']} by {follow_up['method']}{who}"
    return f"closed: {follow_up['method']}{who}"


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


@dataclass(frozen=True)
class Figure:
    """One dashboard figure and the list behind it."""

    key: str
    label: str
    count: int
    note: str
    alert: bool
    queue_filter: QueueFilter
    follow_ups: bool = False


def _age(since: str | None, now: str) -> str:
    """A short age such as '3d' or '5h' between two store times."""
    return age(since, parse(now)) if since else ""


def dashboard(conn: sqlite3.Connection, username: str, role: str, now: str) -> list[Figure]:
    """The dashboard's figures for one user: queues, referred, returned, overdue, clocks and victims."""
    per_kind: dict[str, dict] = {kind: {"items": 0, "overdue": 0, "oldest": None, "states": {}} for kind in KINDS}
    for row in queue_counts(conn, now):
        entry = per_kind[row["kind"]]
        entry["items"] += row["items"]
        entry["overdue"] += row["overdue"] or 0
        entry["states"][row["state"]] = row["items"]
        if entry["oldest"] is None or row["oldest"] < entry["oldest"]:
            entry["oldest"] = row["oldest"]
    figures = []
    for kind, title in ((k.name, k.title) for k in KINDS.values()):
        entry = per_kind[kind]
        note = f"{entry['overdue']} overdue" if entry["overdue"] else "none overdue"
        if entry["oldest"]:
            note += f", oldest {_age(entry['oldest'], now)}"
        alert = kind == "referral" and entry["overdue"] > 0
        if alert:
            note = f"{entry['overdue']} PAST THE 24 H CLOCK, oldest {_age(entry['oldest'], now)}"
        figures.append(Figure(kind, title, entry["items"], note, alert, QueueFilter(kind=kind)))
    referral_overdue = per_kind["referral"]["overdue"]
    figures.append(
        Figure(
            "referrals-overdue",
            "Referrals past 24 h",
            referral_overdue,
            "undecided beyond the recording clock",
            referral_overdue > 0,
            QueueFilter(kind="referral", due_before=now),
        )
    )
    if role in SENIOR_ROLES:
        mine = conn.execute(sql("referred_to_count"), {"username": username}).fetchone()[0]
        figures.append(
            Figure(
                "referred-to-me",
                "Referred to me",
                mine,
                "restricted and referred-up items",
                False,
                QueueFilter(referred_to_me=username),
            )
        )
    else:
        referred = sum(entry["states"].get("referred", 0) for entry in per_kind.values())
        figures.append(
            Figure(
                "referred",
                "Referred up",
                referred,
                "waiting for fcr, dfcr or fcm",
                False,
                QueueFilter(state="referred"),
            )
        )
    if role == "requester":
        returned = conn.execute(sql("returned_to_count"), {"username": username}).fetchone()[0]
        figures.append(
            Figure(
                "returned",
                "Returned to me",
                returned,
                "answer these to reopen them",
                returned > 0,
                QueueFilter(returned_to=username),
            )
        )
    else:
        returned = sum(entry["states"].get("returned", 0) for entry in per_kind.values())
        figures.append(
            Figure(
                "returned",
                "Returned",
                returned,
                "waiting on the requester for information",
                False,
                QueueFilter(state="returned"),
            )
        )
    overdue = sum(entry["overdue"] for entry in per_kind.values())
    figures.append(
        Figure("overdue", "Overdue", overdue, "every queue, past due", overdue > 0, QueueFilter(due_before=now))
    )
    waiting = sum(per_kind["transfer_out"]["states"].get(state, 0) for state in ("sent", "disputed", "escalated"))
    figures.append(
        Figure(
            "transfers-waiting",
            "Transfers waiting",
            waiting,
            "sent, disputed or escalated to another force",
            False,
            QueueFilter(kind="transfer_out", waiting_on_force=True),
        )
    )
    victims = conn.execute(sql("follow_ups_open_count")).fetchone()
    old_victims = victims["oldest"] is not None and age_hours(victims["oldest"], parse(now)) > 48
    figures.append(
        Figure(
            "victims",
            "Victims not told",
            victims["items"],
            f"oldest {_age(victims['oldest'], now)}" if victims["oldest"] else "all told",
            old_victims,
            QueueFilter(),
            follow_ups=True,
        )
    )
    pending_audit = conn.execute(sql("audit_pending_count")).fetchone()[0]
    figures.append(
        Figure(
            "audit", "Audit: awaiting verdict", pending_audit, "sampled ddm decisions to check", False, QueueFilter()
        )
    )
    recording = conn.execute(sql("recording_pending_count")).fetchone()
    figures.append(
        Figure(
            "recording",
            "Recording audit",
            recording["pending"],
            f"incidents; {recording['seniors_only']} rape reports (seniors)",
            bool(recording["seniors_only"]) and role in RAPE_REVIEWERS,
            QueueFilter(),
        )
    )
    return figures


def areas(conn: sqlite3.Connection) -> list[str]:
    """Every local policing area named on a crime."""
    return [row[0] for row in conn.execute(sql("area_names"))]


def offence_groups(conn: sqlite3.Connection) -> list[str]:
    """Every offence group."""
    return [row[0] for row in conn.execute(sql("offence_groups"))]


class ReferenceData(NamedTuple):
    """The small lists the workbench's pickers offer: offences, grounds, forces, senior users, areas, groups."""

    offences: list[dict]
    grounds: list[dict]
    forces: list[dict]
    seniors: list[dict]
    areas: list[str]
    offence_groups: list[str]


def reference_data(conn: sqlite3.Connection) -> ReferenceData:
    """Read every picker list in one go."""
    return ReferenceData(
        offences=reference_table(conn, "offences"),
        grounds=reference_table(conn, "grounds"),
        forces=reference_table(conn, "forces"),
        seniors=[u for u in users(conn) if u["role"] in SENIOR_ROLES and u["active"]],
        areas=areas(conn),
        offence_groups=offence_groups(conn),
    )


LEDGER_QUERY_KEYS = ("crime", "request", "actor", "action", "code", "since", "until")


def parse_ledger_query(text: str, now: datetime) -> dict:
    """Read 'crime:REF actor:dan since:2026-11-01 (or today, yesterday, 7d before `now`) words' into ledger_entries() filters."""
    from registrar.base.clock import when_typed

    filters: dict = {}
    words = []
    for token in text.split():
        key, sep, value = token.partition(":")
        if sep and key in LEDGER_QUERY_KEYS and value:
            if key == "request":
                if not value.isdigit():
                    raise ValueError(f"request:{value} is not a request number")
                filters["request_id"] = int(value)
            elif key in ("since", "until"):
                filters[key] = when_typed(value, now)
            else:
                filters[key] = value
        else:
            words.append(token)
    if words:
        filters["text"] = " ".join(words)
    return filters


def audit_items(
    conn: sqlite3.Connection,
    *,
    sample_id: int | None = None,
    pending: bool = False,
    after_id: int = 0,
    limit: int = 2000,
) -> list[dict]:
    """Sampled decisions with their rationale and verdict, oldest first."""
    params = {"sample_id": sample_id, "pending": int(pending), "after_id": after_id, "limit": limit}
    return [dict(row) for row in conn.execute(sql("audit_items_page"), params)]


def recording_reviews(
    conn: sqlite3.Connection, *, pending: bool = False, sample_id: int | None = None, limit: int = 2000
) -> list[dict]:
    """Incidents under recording audit: reports of rape for the seniors first, then oldest first."""
    params = {"pending": int(pending), "sample_id": sample_id, "limit": limit}
    return [dict(row) for row in conn.execute(sql("recording_reviews_page"), params)]


def audit_samples(conn: sqlite3.Connection) -> list[dict]:
    """Every drawn sample, newest first, with how many items still wait for a verdict."""
    return [dict(row) for row in conn.execute(sql("audit_samples_all"))]


def find_request(conn: sqlite3.Connection, text: str) -> int:
    """The request a person means by a request number or a crime reference (its newest request), open or closed."""
    wanted = text.strip().lstrip("#")
    if wanted.isdigit():
        row = conn.execute(sql("request_exists"), (int(wanted),)).fetchone()
        if row is None:
            raise NotFound(f"there is no request {wanted}")
        return int(row[0])
    row = conn.execute(sql("requests_for_crime_reference"), (wanted, wanted)).fetchone()
    if row is None:
        exists = conn.execute(sql("crime_by_reference"), (wanted,)).fetchone()
        raise NotFound(f"crime {wanted} has no requests" if exists else f"there is no request or crime {wanted!r}")
    return int(row[0])
