"""Batch decisions from a file: validated with the same rules as the keyboard, applied all or nothing."""

import re
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from queries import sql
from registrar.access.identity import Actor
from registrar.base.errors import BadInput, Conflict, NotFound, RegistrarError, RuleRefused
from registrar.base.vocabulary import FIELDS
from registrar.decisions.actions import action_names
from registrar.decisions.decide import Decision, apply_decision
from registrar.decisions.rules import RuleContext
from registrar.intake.tabular import MAX_BATCH_BYTES, MAX_BATCH_ROWS, FileFormat, Row, parse_table
from registrar.storage.long_writes import announcing
from registrar.storage.store import Store

FIELD_COLUMNS = tuple(FIELDS)
BATCH_COLUMNS = {"request_id", "action", "rationale", "expected_version", *FIELD_COLUMNS}
FORMULA_STARTS = ("=", "+", "-", "@")
WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class BatchRow:
    """One decision read from the file, with its line number."""

    line: int
    decision: Decision


@dataclass(frozen=True)
class BatchFile:
    """A checked batch file: its decisions and the sha256 of its bytes."""

    rows: list[BatchRow]
    digest: str


@dataclass
class RowResult:
    """What happened to one row: applied, would_apply, already_applied or refused (and why)."""

    line: int
    request_id: int
    action: str
    status: str
    rule: str | None = None
    message: str = ""
    ledger_seq: int | None = None


@dataclass
class BatchReport:
    """The outcome of a batch run, row by row."""

    digest: str
    mode: str
    results: list[RowResult] = field(default_factory=list)
    committed: bool = False

    def count(self, status: str) -> int:
        """How many rows ended with this status."""
        return sum(1 for r in self.results if r.status == status)

    def as_dict(self) -> dict:
        """The report as plain data for --json."""
        return {
            "file_sha256": self.digest,
            "mode": self.mode,
            "committed": self.committed,
            "rows": len(self.results),
            "applied": self.count("applied"),
            "would_apply": self.count("would_apply"),
            "already_applied": self.count("already_applied"),
            "refused": self.count("refused"),
            "results": [asdict(r) for r in self.results],
        }


BATCH_DATES = {name for name, f in FIELDS.items() if f.type == "date"}


def read_batch(data: bytes, default_rationale: str = "", form: FileFormat | None = None) -> BatchFile:
    """Check a batch file's structure; every problem is reported with its line, nothing is decided."""
    if len(data) > MAX_BATCH_BYTES:
        raise BadInput(f"the batch file is over the {MAX_BATCH_BYTES // (1024 * 1024)} MiB limit")
    table = parse_table(data, columns=BATCH_COLUMNS, required={"request_id", "action"}, form=form, dates=BATCH_DATES)
    if len(table.rows) > MAX_BATCH_ROWS:
        raise BadInput(f"the batch has {len(table.rows)} rows; the limit is {MAX_BATCH_ROWS:,}")
    problems: list[str] = []
    rows: list[BatchRow] = []
    seen: dict[int, int] = {}
    known_actions = set(action_names())
    for row in table.rows:
        decision = _decision(row, default_rationale, known_actions, seen, problems)
        if decision is not None:
            rows.append(BatchRow(row.line, decision))
    if problems:
        raise BadInput(f"{len(problems)} problem(s) in the batch file; nothing was changed", problems)
    return BatchFile(rows, table.digest)


def _decision(
    row: Row, default_rationale: str, known_actions: set[str], seen: dict[int, int], problems: list[str]
) -> Decision | None:
    """One row as a Decision, noting each problem with the row's line."""
    values = row.values
    before = len(problems)
    for name, value in values.items():
        if value.startswith(FORMULA_STARTS):
            problems.append(
                f"line {row.line}: {name} starts with {value[0]!r}, which a spreadsheet would run as a "
                "formula; remove it or put the text in quotes without the sign"
            )
    request_text = values.get("request_id", "")
    if not WHOLE_NUMBER.fullmatch(request_text):
        problems.append(f"line {row.line}: request_id {request_text!r} is not a request number")
        request_id = 0
    else:
        request_id = int(request_text)
        if request_id in seen:
            problems.append(f"line {row.line}: request {request_id} is already decided on line {seen[request_id]}")
        seen.setdefault(request_id, row.line)
    action = values.get("action", "").strip().lower()
    if action not in known_actions:
        problems.append(
            f"line {row.line}: action {values.get('action')!r} is not an action; "
            f"actions are {', '.join(sorted(known_actions))}"
        )
    rationale = values.get("rationale") or default_rationale
    if not rationale.strip() and action != "victim-informed":
        problems.append(f"line {row.line}: the rationale is empty (give a rationale column or --rationale-file)")
    version_text = values.get("expected_version", "")
    if version_text and not WHOLE_NUMBER.fullmatch(version_text):
        problems.append(f"line {row.line}: expected_version {version_text!r} is not a number")
    if len(problems) > before:
        return None
    fields: dict[str, object] = {name: values[name] for name in FIELD_COLUMNS if values.get(name)}
    for name in [n for n in fields if FIELDS[n].multiple]:
        fields[name] = [code.strip() for code in str(fields[name]).replace(";", ",").split(",") if code.strip()]
    return Decision(request_id, action, rationale, fields, int(version_text) if version_text else None)


def _already_applied(conn: sqlite3.Connection, digest: str, row: BatchRow) -> sqlite3.Row | None:
    """The ledger entry this batch file's row made before, if it ran already."""
    return conn.execute(
        sql("ledger_batch_row"), (row.decision.request_id, row.decision.action, digest, row.line)
    ).fetchone()


def run_batch(
    store: Store,
    actor: Actor,
    batch: BatchFile,
    *,
    mode: str = "all",
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Decide every row in one transaction; commit all, the valid ones (partial), or nothing (dry-run)."""
    if mode not in ("all", "partial", "dry-run"):
        raise ValueError(f"unknown batch mode {mode!r}")
    report = BatchReport(batch.digest, mode)
    announced = announcing(store.path, actor.username, "batch", len(batch.rows))
    with announced as said, store.acting(actor) as (conn, actor):
        ctx = RuleContext(conn, store.settings(), actor, store.now())
        for done, row in enumerate(batch.rows, start=1):
            report.results.append(_apply_row(ctx, batch.digest, row, dry_run=mode == "dry-run"))
            said.advance(done)
            if progress is not None:
                progress(1)
        said.committing()
        refused = report.count("refused")
        if mode == "dry-run" or (refused and mode == "all"):
            conn.execute("ROLLBACK")
            for result in report.results:
                if result.status == "applied":
                    result.status = "would_apply"
                    result.ledger_seq = None
            return report
        report.committed = True
    return report


def _refusal(error: RegistrarError) -> tuple[str, str]:
    """The rule name and message for a refused row."""
    if isinstance(error, RuleRefused):
        return error.rule, error.reason
    if isinstance(error, Conflict):
        return "conflict", error.message
    if isinstance(error, NotFound):
        return "not-found", error.message
    return "invalid", error.message


def _apply_row(ctx: RuleContext, digest: str, row: BatchRow, dry_run: bool) -> RowResult:
    """Apply one row inside a savepoint, so a refused row leaves no trace."""
    decision = row.decision
    result = RowResult(row.line, decision.request_id, decision.action, "applied")
    earlier = _already_applied(ctx.conn, digest, row)
    if earlier is not None:
        result.status = "already_applied"
        result.ledger_seq = earlier["seq"]
        result.message = f"already applied by this file at {earlier['at']} (ledger #{earlier['seq']})"
        return result
    stamped = Decision(
        decision.request_id,
        decision.action,
        decision.rationale,
        decision.fields,
        decision.expected_version,
        {"batch_sha256": digest, "batch_row": row.line},
    )
    ctx.conn.execute("SAVEPOINT batch_row")
    try:
        outcome = apply_decision(ctx, stamped)
    except RegistrarError as error:
        ctx.conn.execute("ROLLBACK TO batch_row")
        ctx.conn.execute("RELEASE batch_row")
        result.status = "refused"
        result.rule, result.message = _refusal(error)
        return result
    ctx.conn.execute("RELEASE batch_row")
    result.ledger_seq = None if dry_run else outcome.seq
    return result
