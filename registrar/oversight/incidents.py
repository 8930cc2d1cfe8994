"""Incidents from the command-and-control system's export, all rows or none, for recording audits."""

import re
from collections.abc import Callable

from queries import sql
from registrar.access.identity import Actor
from registrar.base.errors import RuleRefused
from registrar.base.vocabulary import RECORDING_AUDITORS, a_role, role_list
from registrar.intake.columns import INCIDENT_COLUMNS, INCIDENT_REQUIRED
from registrar.intake.imports import ImportResult, file_refused, is_known, new_key, row_area, row_flag, row_time
from registrar.intake.tabular import FileFormat, parse_table
from registrar.oversight.recording import RecordingWeights
from registrar.storage import ledger
from registrar.storage.schema import INCIDENT_FLAGS
from registrar.storage.store import Store

INCIDENT_DATES = {"opened_at", "closed_at"}
# The order of an incident's values as add_incidents takes them.
INCIDENT_ROW = (
    "number",
    "opened_at",
    "closed_at",
    "opening_code",
    "closing_code",
    "area",
    "crime_recorded",
    "domestic_abuse",
    "child_at_risk",
    "adult_at_risk",
    "hate_crime",
    "rape_report",
    "summary",
)
INCIDENT_IMPORTERS = RECORDING_AUDITORS
MAX_TEXT = 20_000


def _references(text: str) -> list[str]:
    """Crime references separated by spaces, commas or semicolons."""
    return [part for part in re.split(r"[\s,;]+", text) if part]


def import_incidents(
    store: Store,
    actor: Actor,
    data: bytes,
    source: str,
    form: FileFormat | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate every incident row, then insert them all in one transaction (or none).

    Every report of rape closed without a crime joins the recording-audit queue for fcr, dfcr or fcm at once.
    """
    table = parse_table(
        data, columns=set(INCIDENT_COLUMNS), required=INCIDENT_REQUIRED, form=form, dates=INCIDENT_DATES
    )
    weights = RecordingWeights.from_setting(store.settings().get("recording_audit"))
    now = store.now()
    with store.acting(actor) as (conn, actor):
        if actor.role not in INCIDENT_IMPORTERS:
            raise RuleRefused(
                "role", f"{a_role(actor.role)} may not import incidents; that is for {role_list(INCIDENT_IMPORTERS)}"
            )
        problems: list[str] = []
        records: list[dict] = []
        links: list[dict] = []
        seen: dict[str, int] = {}
        areas: dict[str, str] = {}
        for number, row in enumerate(table.rows, start=1):
            if progress is not None and number % 1000 == 0:
                progress(1000)
            values = row.values
            incident = new_key(conn, row, "number", "incident", "incident_by_number", seen, problems)
            opened_at = row_time(row, "opened_at", problems)
            if opened_at is not None and opened_at > now:
                problems.append(f"line {row.line}: opened_at {opened_at} is in the future")
            closed_at = row_time(row, "closed_at", problems)
            if opened_at and closed_at and closed_at < opened_at:
                problems.append(f"line {row.line}: closed_at {closed_at} is before opened_at {opened_at}")
            opening_code = values.get("opening_code", "").strip().upper()
            if not opening_code:
                problems.append(f"line {row.line}: opening_code is empty")
            references = _references(values.get("crime_references", ""))
            if len(set(references)) < len(references):
                problems.append(f"line {row.line}: crime_references names the same crime twice")
                references = list(dict.fromkeys(references))
            for reference in references:
                if not is_known(conn, "crime_by_reference", reference):
                    problems.append(f"line {row.line}: crime {reference} is not a crime in this store")
                links.append({"number": incident, "reference": reference, "link": "recorded"})
            recorded = (
                row_flag(row, "crime_recorded", problems) if values.get("crime_recorded") else int(bool(references))
            )
            if references and not recorded:
                problems.append(f"line {row.line}: crime_recorded is no but crime_references names crimes")
            if len(values.get("summary", "")) > MAX_TEXT:
                problems.append(f"line {row.line}: summary is over {MAX_TEXT:,} characters")
            flags = {flag: row_flag(row, flag, problems) for flag in INCIDENT_FLAGS}
            flags["rape_report"] |= int(opening_code in weights.rape_codes)
            records.append(
                {
                    "number": incident,
                    "opened_at": opened_at,
                    "closed_at": closed_at,
                    "opening_code": opening_code,
                    "closing_code": values.get("closing_code", "").strip().upper(),
                    "area": row_area(conn, row, problems, areas),
                    "crime_recorded": recorded,
                    **flags,
                    "summary": values.get("summary", ""),
                }
            )
        if problems:
            raise file_refused(problems, source, form)
        rows = [tuple(record[name] for name in INCIDENT_ROW) for record in records]
        left_out = {"skipped": table.skipped} if table.skipped else {}
        head = add_incidents(conn, store, actor, rows, links, source, {"sha256": table.digest, **left_out})
    return ImportResult(len(records), table.digest, head.seq, table.skipped)


def add_incidents(
    conn, store: Store, actor: Actor, records: list[tuple], links: list[dict], source: str, details: dict
) -> ledger.Head:
    """Insert checked incidents (values in INCIDENT_ROW order) and their crime links inside an open transaction,
    queue their unrecorded rape reports for the seniors, and ledger it all in one entry."""
    after = conn.execute(sql("incident_last_id")).fetchone()[0]
    conn.executemany(sql("incident_insert"), records)
    conn.executemany(sql("incident_crime_link"), links)
    queued = conn.execute(sql("recording_rape_reviews_insert"), {"after": after, "added_at": store.now()}).rowcount
    return ledger.append(
        conn,
        at=store.now(),
        actor=actor,
        action="import-incidents",
        rationale=f"Imported {len(records)} incidents from {source}"
        + (f"; {queued} rape report(s) closed without a crime queued for review." if queued else "."),
        details={"rows": len(records), "source": source, "rape_reports_queued": queued, **details},
    )
