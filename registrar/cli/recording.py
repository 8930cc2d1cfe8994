"""Commands for recording audits: import incidents, draw a sample, list it and record verdicts."""

import click

from registrar.base.vocabulary import N100_REASONS, NOT_A_CRIME_REASONS, RECORDING_VERDICTS
from registrar.cli.files import column_help, file_format_options, left_out
from registrar.cli.output import output_options, render, show
from registrar.cli.support import RECORD_ID, Env, pass_env, period, progress, read_input, read_rationale
from registrar.intake.columns import INCIDENT_COLUMNS
from registrar.intake.tabular import FileFormat
from registrar.reading import views

REVIEW_COLUMNS = (
    "id",
    "sample_id",
    "source",
    "number",
    "opened_at",
    "opening_code",
    "area",
    "crime_recorded",
    "crime_references",
    "rape_report",
    "verdict",
    "reason",
    "verdict_by",
    "summary",
)


def _choices_help(choices: dict) -> str:
    """Choices as `key: help` lines for an epilog."""
    return "\n".join(f"  {key:<24} {choice.help}" for key, choice in choices.items())


@click.command("incidents", epilog="\b\nColumns:\n" + column_help(INCIDENT_COLUMNS))
@click.argument("source", metavar="FILE|-")
@file_format_options
@pass_env
def import_incidents(env: Env, source: str, form: FileFormat) -> None:
    """Import incidents from the command-and-control system (fcr, dfcr, fcm or auditor), all rows or none.

    Reports of rape closed without a crime go straight to the recording-audit queue of fcr, dfcr and fcm.

    \b
    Example:
      registrar import incidents storm-closed-last-week.csv --date-format '%d/%m/%Y %H:%M'
    """
    from registrar.oversight.incidents import import_incidents as run_import

    data = read_input(source)
    with progress(data.count(b"\n"), "checking incidents") as advance:
        result = run_import(env.store(), env.actor(), data, source, form, advance)
    click.echo(
        f"imported {result.rows} incidents (sha256 {result.digest[:12]}…, ledger entry {result.seq})"
        + left_out(result.skipped),
        err=True,
    )


@click.group()
def recording() -> None:
    """Recording audits: incidents that should have been crimes, reports of rape and N100s."""


@recording.command("draw")
@click.option("--from", "since", help="Incidents reported from (default: 30 days before --to).")
@click.option("--to", "until", help="Incidents reported before (default: now).")
@click.option(
    "--seed", type=click.IntRange(0, 2**63 - 1), help="Seed for a reproducible draw (default: random, recorded)."
)
@click.option(
    "--rate", type=click.FloatRange(0, 1), help="Base share of incidents drawn (default: the recording_audit setting)."
)
@pass_env
def recording_draw(env: Env, since, until, seed, rate) -> None:
    """Draw a risk-based, reproducible sample of incidents for a recording audit (fcr, dfcr or auditor).

    Each incident's chance is the base rate times its riskiest opening code or flag (the recording_audit setting),
    lowered for incidents that already produced a crime.

    \b
    Example:
      registrar recording draw --from 2026-11-16 --to 2026-11-23 --seed 7
    """
    import secrets

    from registrar.oversight.recording import RecordingWeights, draw_recording_sample

    store, actor = env.store(), env.actor()
    weights = RecordingWeights.from_setting(store.settings().get("recording_audit"))
    if rate is not None:
        weights = weights.with_base_rate(rate)
    start, end = period(since, until, store)
    chosen = seed if seed is not None else secrets.randbelow(2**31)
    sample = draw_recording_sample(store, actor, start, end, chosen, weights)
    click.echo(
        f"recording sample {sample.id} (seed {chosen}): {sample.sampled} of {sample.candidates} incidents drawn"
        + (f" ({sample.skipped} already in review)" if sample.skipped else ""),
        err=True,
    )


@recording.command("list")
@click.option("--pending", is_flag=True, help="Only incidents without a verdict.")
@click.option("--sample", "sample_id", type=RECORD_ID, help="Only this sample.")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 100000))
@output_options
@pass_env
def recording_list(env: Env, pending, sample_id, limit, fmt) -> None:
    """List incidents under review: reports of rape for the seniors first, then oldest first.

    \b
    Example:
      registrar recording list --pending
    """
    env.actor()
    rows = views.recording_reviews(env.store().conn, pending=pending, sample_id=sample_id, limit=limit + 1)
    if len(rows) > limit:
        click.echo(f"registrar: showing the first {limit:,}; more match: use --limit to see more", err=True)
    show(render(rows[:limit], REVIEW_COLUMNS, fmt), nl=False)


@recording.command(
    "verdict",
    epilog="\b\nVerdicts:\n"
    + _choices_help(RECORDING_VERDICTS)
    + "\n\b\nReasons for not-a-crime:\n"
    + _choices_help(NOT_A_CRIME_REASONS)
    + "\n\b\nReasons for n100:\n"
    + _choices_help(N100_REASONS),
)
@click.argument("review_id", type=RECORD_ID)
@click.argument("verdict", type=click.Choice(tuple(RECORDING_VERDICTS)))
@click.option("--reason", help="not-a-crime or n100: the reason (see below).")
@click.option("--offence", "offences", multiple=True, metavar="CODE", help="record-now: an offence code per crime.")
@click.option("--note", help="Why (required for record-now and n100).")
@click.option("--note-file", metavar="PATH|-", help="Read the note from a file or stdin.")
@pass_env
def recording_verdict(env: Env, review_id, verdict, reason, offences, note, note_file) -> None:
    """Record the audit's verdict on one incident; record-now records the missed crimes in the same step.

    \b
    Example:
      registrar recording verdict 14 record-now --offence 8N --offence 105A \\
        --note "Caller described being punched by her partner; two crimes missed."
    """
    from registrar.oversight.recording import record_recording_verdict

    text = read_rationale(note, note_file) if note or note_file else ""
    if verdict in ("record-now", "n100") and not text.strip():
        raise click.UsageError(f"a {verdict} verdict needs --note (or --note-file) saying why")
    result = record_recording_verdict(env.store(), env.actor(), review_id, verdict, text, reason, offences)
    created = f"; recorded {', '.join(result.created)} ({result.delay_hours:.1f} h late)" if result.created else ""
    click.echo(f"recording-audit item {review_id}: {result.verdict} (ledger #{result.seq}){created}", err=True)
