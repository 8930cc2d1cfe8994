"""Commands that bring files in: imports of crimes, requests and incidents, and batch decisions."""

import json
import sys

import click

from registrar.base.errors import ExitCode
from registrar.base.vocabulary import FIELDS
from registrar.cli.files import column_help, file_format_options, left_out
from registrar.cli.output import render, show
from registrar.cli.recording import import_incidents
from registrar.cli.support import Env, pass_env, progress, read_input, read_rationale
from registrar.intake.columns import CRIME_COLUMNS, REQUEST_COLUMNS
from registrar.intake.tabular import MAX_BATCH_BYTES, MAX_BATCH_ROWS, FileFormat


def batch_epilog() -> str:
    """The batch file's columns, for `batch --help`."""
    names = " ".join(FIELDS)
    return (
        "\b\nColumns: request_id, action (required); rationale; expected_version; and the action's fields:\n"
        f"  {names}\nLimits: {MAX_BATCH_BYTES // 2**20} MiB and {MAX_BATCH_ROWS:,} rows per file. Cells starting with = + - @ are refused."
    )


@click.group("import")
def import_() -> None:
    """Bring crimes and requests in from CSV (with a header) or JSON Lines; all rows or none."""


@import_.command("crimes", epilog="\b\nColumns:\n" + column_help(CRIME_COLUMNS))
@click.argument("source", metavar="FILE|-")
@file_format_options
@pass_env
def import_crimes(env: Env, source: str, form: FileFormat) -> None:
    """Import crimes (fcr, dfcr or fcm).

    \b
    Example:
      registrar import crimes crimes.csv
      registrar import crimes niche-export.csv --encoding cp1252 --map-file niche.map --date-format '%d/%m/%Y %H:%M'
    """
    from registrar.intake import imports

    data = read_input(source)
    with progress(data.count(b"\n"), "checking crimes") as advance:
        result = imports.import_crimes(env.store(), env.actor(), data, source, form, advance)
    click.echo(
        f"imported {result.rows} crimes (sha256 {result.digest[:12]}…, ledger entry {result.seq})"
        + left_out(result.skipped),
        err=True,
    )


@import_.command("requests", epilog="\b\nColumns:\n" + column_help(REQUEST_COLUMNS))
@click.argument("source", metavar="FILE|-")
@file_format_options
@pass_env
def import_requests(env: Env, source: str, form: FileFormat) -> None:
    """Raise requests of any kind from a file.

    \b
    Example:
      registrar import requests - < mash-referrals.jsonl
    """
    from registrar.intake import imports

    data = read_input(source)
    with progress(data.count(b"\n"), "checking requests") as advance:
        result = imports.import_requests(env.store(), env.actor(), data, source, form, advance)
    click.echo(f"raised {result.rows} requests (ledger up to entry {result.seq})" + left_out(result.skipped), err=True)


@click.command(epilog=batch_epilog())
@click.argument("source", metavar="FILE|-")
@click.option("--rationale-file", metavar="PATH", help="Default rationale for rows without one.")
@click.option("--dry-run", is_flag=True, help="Report each row's verdict and change nothing.")
@click.option("--partial", is_flag=True, help="Apply the valid rows even if some are refused (exit 5).")
@click.option("--json", "as_json", is_flag=True, help="A JSON report for scripts.")
@file_format_options
@pass_env
def batch(
    env: Env, source: str, rationale_file: str | None, dry_run: bool, partial: bool, as_json: bool, form: FileFormat
) -> None:
    """Decide many requests from CSV or JSON Lines: every row checked by the same rules, all or nothing.

    \b
    Example:
      registrar queue transfer_in --json \\
        | jq -c '.[] | {request_id: .id, action: "accept"}' \\
        | registrar batch - --rationale-file accept-inbound.txt
    """
    if dry_run and partial:
        raise click.UsageError("--dry-run and --partial do not go together")
    if source == "-" and rationale_file == "-":
        raise click.UsageError("the batch and the rationale cannot both come from stdin")
    default = read_rationale(None, rationale_file) if rationale_file else ""
    from registrar.decisions.batch import read_batch, run_batch

    checked = read_batch(read_input(source), default, form)
    store, actor = env.store(), env.actor()
    mode = "dry-run" if dry_run else "partial" if partial else "all"
    if sys.stderr.isatty() and len(checked.rows) >= 500:
        with click.progressbar(length=len(checked.rows), file=sys.stderr, label="deciding") as bar:
            report = run_batch(store, actor, checked, mode=mode, progress=bar.update)
    else:
        report = run_batch(store, actor, checked, mode=mode)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        rows = [
            {
                "line": r.line,
                "request_id": r.request_id,
                "action": r.action,
                "status": r.status,
                "rule": r.rule or "",
                "message": r.message,
                "ledger_seq": r.ledger_seq or "",
            }
            for r in report.results
        ]
        show(
            render(rows, ("line", "request_id", "action", "status", "rule", "message", "ledger_seq"), "table"), nl=False
        )
    summary = report.as_dict()
    click.echo(
        f"{summary['rows']} rows: {summary['applied']} applied, {summary['already_applied']} already applied, "
        f"{summary['would_apply']} would apply, {summary['refused']} refused"
        + ("" if report.committed or not (summary["applied"] + summary["would_apply"]) else "; nothing was changed"),
        err=True,
    )
    if summary["refused"]:
        ctx = click.get_current_context()
        ctx.exit(ExitCode.PARTIAL if report.committed and summary["applied"] else ExitCode.REFUSED)


import_.add_command(import_incidents)
