"""Intake: crimes and requests from the crime system's exports, all rows or none."""

import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from queries import sql
from registrar.access.identity import Actor
from registrar.base import clock
from registrar.base.errors import BadInput, RuleRefused
from registrar.base.vocabulary import AVI_TYPES, RAISER_ROLES, SENIOR_ROLES, a_role, role_list
from registrar.intake.columns import CRIME_COLUMNS, CRIME_REQUIRED, REQUEST_COLUMNS, REQUEST_REQUIRED
from registrar.intake.field_values import NOT_A_DATE, BadValue, offence_code_text, parse_value
from registrar.intake.tabular import FileFormat, Row, parse_table
from registrar.storage import ledger
from registrar.storage.schema import CRIME_FLAGS, KINDS
from registrar.storage.store import Store

REFERRAL_SUBJECTS = ("child", "adult at risk", "adult", "other")
# Request columns that are parsed as a decision field of the same meaning is, and their value types.
COLUMN_TYPES = {
    "cancellation_code": "ground",
    "avi_type": "choice",
    "avi_obtained_at": "date",
    "proposed_code": "offence",
    "other_force": "force",
    "offence_code": "offence",
    "suggested_code": "offence",
    "agency": "agency",
    "area": "area",
}
COLUMN_CHOICES = {"avi_type": AVI_TYPES}
TRUE_WORDS = {"1", "y", "yes", "true"}
FALSE_WORDS = {"", "0", "n", "no", "false"}
CRIME_IMPORTERS = SENIOR_ROLES
REQUEST_RAISERS = RAISER_ROLES


@dataclass(frozen=True)
class ImportResult:
    """How many rows went in, how many a skip rule left out, and the ledger entry that records the import."""

    rows: int
    digest: str
    seq: int
    skipped: int = 0


def row_value(
    conn: sqlite3.Connection | None,
    row: Row,
    value_type: str,
    name: str,
    problems: list[str],
    choices: Mapping | None = None,
) -> object:
    """A row's column parsed as every door parses it (field_values), noting a problem by line; None when refused."""
    try:
        return parse_value(conn, value_type, name, row.values.get(name, ""), choices)
    except BadValue as bad:
        problems.append(f"line {row.line}: {bad.reason}")
        return None


# The date layouts exports use, and the --date-format that reads each.
DATE_LAYOUTS = (
    (r"\d{4}-\d{1,2}", "%Y-%m"),
    (r"\d{4}/\d{1,2}", "%Y/%m"),
    (r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"),
    (r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}", "%d/%m/%Y %H:%M"),
    (r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2}", "%d/%m/%Y %H:%M:%S"),
    (r"\d{1,2}-\d{1,2}-\d{4}", "%d-%m-%Y"),
    (r"\d{1,2}\.\d{1,2}\.\d{4}", "%d.%m.%Y"),
    (r"\d{1,2} [A-Za-z]{3} \d{4}", "%d %b %Y"),
    (r"\d{1,2}-[A-Za-z]{3}-\d{4}", "%d-%b-%Y"),
)
_QUOTED_VALUE = re.compile(r"'([^']*)'")


def file_refused(problems: list[str], source: str, form: FileFormat | None) -> BadInput:
    """The refusal of a file whose rows have problems; dates written another way get the --date-format that fits
    the dates the file holds."""
    message = f"{len(problems)} problem(s) in {source}; nothing was imported"
    if not (form and form.date_format):
        hint = date_format_hint([problem for problem in problems if NOT_A_DATE in problem])
        if hint:
            message += f"; {hint}"
    return BadInput(message, problems)


def date_format_hint(date_problems: list[str]) -> str:
    """The --date-format that reads the dates these problems quote, or a general hint when their layout is unknown."""
    if not date_problems:
        return ""
    found: Counter = Counter()
    for problem in date_problems:
        quoted = _QUOTED_VALUE.search(problem)
        value = quoted.group(1).strip() if quoted else ""
        for layout, date_format in DATE_LAYOUTS:
            if re.fullmatch(layout, value):
                found[(date_format, value)] += 1
                break
    if not found:
        return "dates written another way need --date-format (e.g. '%d/%m/%Y %H:%M' for 24/11/2026 09:15)"
    (date_format, example), _ = found.most_common(1)[0]
    day = " (a date with no time keeps its calendar day)" if "%H" not in date_format else ""
    return f"dates written like {example!r} need --date-format '{date_format}'{day}"


def row_time(row: Row, name: str, problems: list[str], default: str | None = None) -> str | None:
    """A row's date or time column as store text, noting a problem when unreadable."""
    if not row.values.get(name, ""):
        return default
    value = row_value(None, row, "date", name, problems)
    return str(value) if value else None


def crime_time_problems(line: int, recorded_at: str | None, occurred_at: str | None, now: str) -> list[str]:
    """A crime is not recorded in the future, nor before it happened."""
    found = []
    if recorded_at and recorded_at > now:
        found.append(f"line {line}: recorded_at {recorded_at} is in the future")
    if recorded_at and occurred_at and occurred_at > recorded_at:
        found.append(f"line {line}: occurred_at {occurred_at} is after recorded_at {recorded_at}")
    return found


def row_area(
    conn: sqlite3.Connection, row: Row, problems: list[str], known: dict[str, str] | None = None
) -> str | None:
    """A row's local policing area: one the FCR keeps in the reference data, never one the file invents (`known`
    keeps the areas an import has found already, so each is looked up once)."""
    written = row.values.get("area")
    if not written:
        return None
    if known is not None and written in known:
        return known[written]
    area = str(row_value(conn, row, "area", "area", problems) or "") or None
    if known is not None and area is not None:
        known[written] = area
    return area


def row_flag(row: Row, name: str, problems: list[str]) -> int:
    """A row's yes/no column as 0 or 1."""
    value = row.values.get(name, "").lower()
    if value in TRUE_WORDS:
        return 1
    if value not in FALSE_WORDS:
        problems.append(f"line {row.line}: {name} {value!r} is not yes/no")
    return 0


def new_key(
    conn: sqlite3.Connection, row: Row, column: str, what: str, query: str, seen: dict[str, int], problems: list[str]
) -> str:
    """A row's identifying value, noting a problem when it is empty, repeats an earlier line or is in the store."""
    value = row.values.get(column, "")
    if not value:
        problems.append(
            f"line {row.line}: {column} is empty (rows that are not {what}s can be left out with --skip 'COLUMN=VALUE')"
        )
    elif value in seen:
        problems.append(f"line {row.line}: {column} {value} repeats line {seen[value]}")
    elif is_known(conn, query, value):
        problems.append(f"line {row.line}: {what} {value} is already in the store")
    seen.setdefault(value, row.line)
    return value


def is_known(conn: sqlite3.Connection, query: str, value: str) -> bool:
    """True when a reference lookup finds the value."""
    return conn.execute(sql(query), (value,)).fetchone() is not None


CRIME_DATES = {"recorded_at", "occurred_at"}
REQUEST_DATES = {"requested_at", "avi_obtained_at", "received_at"}


def import_crimes(
    store: Store,
    actor: Actor,
    data: bytes,
    source: str,
    form: FileFormat | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate every crime row, then insert them all in one transaction (or none)."""
    table = parse_table(data, columns=set(CRIME_COLUMNS), required=CRIME_REQUIRED, form=form, dates=CRIME_DATES)
    with store.acting(actor) as (conn, actor):
        if actor.role not in CRIME_IMPORTERS:
            raise RuleRefused("role", f"{a_role(actor.role)} may not import crimes; that is for fcr, dfcr or fcm")
        problems: list[str] = []
        records = []
        seen: dict[str, int] = {}
        areas: dict[str, str] = {}
        for number, row in enumerate(table.rows, start=1):
            if progress is not None and number % 1000 == 0:
                progress(1000)
            values = row.values
            reference = new_key(conn, row, "reference", "crime", "crime_by_reference", seen, problems)
            code = offence_code_text(values.get("offence_code", ""))
            offence = conn.execute(sql("offence_get"), (code,)).fetchone()
            if offence is None:
                problems.append(
                    f"line {row.line}: offence_code {values.get('offence_code', '')!r} is not a Home Office offence "
                    "code (map the file's own codes or names with --value-map offence_code=FILE)"
                )
            recorded_at = row_time(row, "recorded_at", problems)
            occurred_at = row_time(row, "occurred_at", problems)
            if recorded_at is None and not values.get("recorded_at"):
                problems.append(f"line {row.line}: recorded_at is empty")
            problems += crime_time_problems(row.line, recorded_at, occurred_at, store.now())
            if offence is not None and offence["retired_at"] and (recorded_at or "") >= offence["retired_at"]:
                problems.append(  # a retired code stays valid only for crimes recorded before it was retired
                    f"line {row.line}: offence_code {code} was retired on {offence['retired_at'][:10]}, before this "
                    "crime was recorded"
                )
            records.append(
                {
                    "reference": reference,
                    "offence_code": code,
                    "recorded_at": recorded_at,
                    "occurred_at": occurred_at,
                    "area": row_area(conn, row, problems, areas),
                    "oic": values.get("oic", "").lower() or None,  # compared with account names for independence
                    **{flag: row_flag(row, flag, problems) for flag in CRIME_FLAGS},
                    "summary": values.get("summary", ""),
                    "source": "import",
                    "transferred_force": None,
                    "transferred_reference": None,
                }
            )
        if problems:
            raise file_refused(problems, source, form)
        conn.executemany(sql("crime_insert"), records)
        left_out = {"skipped": table.skipped} if table.skipped else {}
        head = _record_import(conn, store, actor, len(records), source, {"sha256": table.digest, **left_out})
    return ImportResult(len(records), table.digest, head.seq, table.skipped)


CRIME_ROW = (
    "reference",
    "offence_code",
    "recorded_at",
    "occurred_at",
    "area",
    "oic",
    "domestic_abuse",
    "hate_crime",
    "vulnerable_victim",
    "summary",
    "source",
)


def _record_import(conn, store: Store, actor: Actor, count: int, source: str, details: dict) -> ledger.Head:
    """The ledger entry for crimes brought in together; it accounts for them with one digest."""
    return ledger.append(
        conn,
        at=store.now(),
        actor=actor,
        action="import-crimes",
        rationale=f"Imported {count} crimes from {source}.",
        details={"rows": count, "source": source, **details},
    )


def add_crimes(store: Store, actor: Actor, rows: list[tuple], source: str) -> int:
    """Record crimes a client built from the store's own reference data (values in CRIME_ROW order), in one
    transaction and one ledger entry; the store's constraints refuse a repeated reference or an unknown code."""
    with store.acting(actor) as (conn, actor):
        if actor.role not in CRIME_IMPORTERS:
            raise RuleRefused(
                "role", f"{a_role(actor.role)} may not import crimes; that is for {role_list(CRIME_IMPORTERS)}"
            )
        conn.executemany(sql("crime_bulk_insert"), rows)
        head = _record_import(conn, store, actor, len(rows), source, {})
    return head.seq


def _request_record(
    conn, settings: dict, actor: Actor, row: Row, now: str, problems: list[str], crimes_seen: dict
) -> dict:
    """Validate one request row and return the values to insert."""
    values = row.values
    line = row.line
    kind = values.get("kind", "").lower().replace("-", "_").replace(" ", "_")
    if kind not in KINDS:
        problems.append(f"line {line}: kind {values.get('kind')!r} is not one of {', '.join(KINDS)}")
        return {}
    requested_by = values.get("requested_by") or actor.username
    if not actor.is_senior and requested_by != actor.username:
        problems.append(
            f"line {line}: {a_role(actor.role)} may raise requests only in their own name "
            "(fcr, dfcr or fcm import other people's requests)"
        )
    requested_at = row_time(row, "requested_at", problems, now)
    if requested_at and requested_at > now:
        problems.append(f"line {line}: requested_at {requested_at} is in the future")
    record: dict[str, object] = {name: values.get(name) or None for name in REQUEST_COLUMNS}
    record.update(
        kind=kind,
        requested_by=requested_by,
        requested_at=requested_at,
        summary=values.get("summary", ""),
        crime_id=None,
        state="pending",
    )
    crime = None
    if kind in ("cancellation", "reclassification", "transfer_out"):
        reference = values.get("crime_reference", "")
        crime = conn.execute(sql("crime_by_reference"), (reference,)).fetchone() if reference else None
        if crime is None:
            problems.append(f"line {line}: crime_reference {reference!r} is not a crime in this store")
        elif crime["state"] != "recorded":
            problems.append(f"line {line}: crime {reference} is {crime['state']}, not recorded")
        else:
            record["crime_id"] = crime["id"]
            key = (kind, crime["id"])
            existing = conn.execute(sql("request_open_for_crime"), (crime["id"], kind)).fetchone()
            if existing is not None:
                problems.append(f"line {line}: crime {reference} already has open {kind} request {existing[0]}")
            elif key in crimes_seen:
                problems.append(f"line {line}: crime {reference} already has a {kind} on line {crimes_seen[key]}")
            crimes_seen.setdefault(key, line)
    elif values.get("crime_reference"):
        problems.append(f"line {line}: a {kind} does not name a crime_reference")
    for column, value_type in COLUMN_TYPES.items():
        if values.get(column):
            record[column] = row_value(conn, row, value_type, column, problems, COLUMN_CHOICES.get(column)) or None
    if kind == "cancellation":
        code = record.get("cancellation_code")
        if code == "C1":
            problems.append(f"line {line}: C1 comes only from an accepted transfer out; raise a transfer_out instead")
        elif code:
            ground = conn.execute(sql("cancellation_code_get"), (code,)).fetchone()
            if not ground["confirmed"]:
                problems.append(
                    f"line {line}: cancellation_code {code} is not confirmed in the current counting rules; "
                    "it cannot be used until the FCR confirms it"
                )
    if kind == "reclassification":
        proposed = record.get("proposed_code")
        if not values.get("proposed_code"):
            problems.append(f"line {line}: a reclassification needs proposed_code")
        elif crime is not None and proposed and crime["offence_code"] == proposed:
            problems.append(f"line {line}: crime {crime['reference']} already has code {proposed}")
    if kind == "transfer_out" and record.get("other_force") == settings.get("force_code"):
        problems.append(f"line {line}: {values.get('other_force')} is this force; a transfer goes elsewhere")
    if kind == "transfer_in":
        for column in ("other_force", "other_reference", "offence_code"):
            if not values.get(column):
                problems.append(f"line {line}: a transfer_in needs {column}")
    if kind == "referral":
        if not values.get("agency"):
            problems.append(f"line {line}: a referral needs the referring agency's code")
        subject = (values.get("subject") or "other").lower()
        if subject not in REFERRAL_SUBJECTS:
            problems.append(f"line {line}: subject {subject!r} is not one of {', '.join(REFERRAL_SUBJECTS)}")
        record["subject"] = subject
        received_at = row_time(row, "received_at", problems, requested_at)
        record["received_at"] = received_at
        if received_at and received_at > now:
            problems.append(f"line {line}: received_at {received_at} is in the future")
    record["due_at"] = due_at(settings, kind, record)
    return record


def insert_request(conn: sqlite3.Connection, actor: Actor, record: dict, now: str, details: dict) -> tuple[int, int]:
    """Raise one validated request inside an open transaction; return its id and ledger seq."""
    row = {name: None for name in REQUEST_COLUMNS} | {"crime_id": None, "state": "pending"} | record
    request_id = int(conn.execute(sql("request_insert"), row).lastrowid or 0)
    if row.get("avi_type"):
        conn.execute(sql("request_avi_set"), {"request_id": request_id, "avi_type": row["avi_type"], "shows": None})
    crime = conn.execute(sql("crime_reference_by_id"), (row["crime_id"],)).fetchone()
    head = ledger.append(
        conn,
        at=now,
        actor=actor,
        action="raise",
        rationale=row["summary"] or f"{row['kind']} raised by {row['requested_by']}",
        request_id=request_id,
        crime_reference=crime[0] if crime else None,
        to_state="pending",
        code=row["cancellation_code"] or row["proposed_code"] or row["other_force"] or row["agency"],
        details={
            "kind": row["kind"],
            "requested_by": row["requested_by"],
            **details,
            **({"external_id": row["external_id"]} if row["external_id"] else {}),
        },
    )
    return request_id, head.seq


def due_at(settings: dict, kind: str, record: dict) -> str | None:
    """When a request falls due: referrals by their clock from receipt, others by the kind's setting."""
    if kind == "referral":
        start = record.get("received_at") or record.get("requested_at")
        return clock.later(start, float(settings.get("referral_clock_hours") or 24)) if start else None
    start = record.get("requested_at")
    hours = (settings.get("due_hours") or {}).get(kind, 168)
    return clock.later(start, float(hours)) if start else None


def import_requests(
    store: Store,
    actor: Actor,
    data: bytes,
    source: str,
    form: FileFormat | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate every request row, then raise them all in one transaction, each with a ledger entry."""
    table = parse_table(data, columns=set(REQUEST_COLUMNS), required=REQUEST_REQUIRED, form=form, dates=REQUEST_DATES)
    settings = store.settings()
    now = store.now()
    with store.acting(actor) as (conn, actor):
        if actor.role not in REQUEST_RAISERS:
            raise RuleRefused("role", f"{a_role(actor.role)} may not raise requests")
        problems: list[str] = []
        seen_ids: dict[str, int] = {}
        crimes_seen: dict = {}
        records = []
        for number, row in enumerate(table.rows, start=1):
            if progress is not None and number % 1000 == 0:
                progress(1000)
            external_id = row.values.get("external_id")
            if external_id:
                if external_id in seen_ids:
                    problems.append(f"line {row.line}: external_id {external_id} repeats line {seen_ids[external_id]}")
                elif is_known(conn, "request_by_external_id", external_id):
                    problems.append(f"line {row.line}: external_id {external_id} was imported before")
                seen_ids.setdefault(external_id, row.line)
            records.append((row, _request_record(conn, settings, actor, row, now, problems, crimes_seen)))
        if problems:
            raise file_refused(problems, source, form)
        seq = 0
        for row, record in records:
            _, seq = insert_request(conn, actor, record, now, {"sha256": table.digest, "line": row.line})
    return ImportResult(len(records), table.digest, seq, table.skipped)
