"""Commands of the FCR's oversight: dip-sample audits, the report and inspection pack, and exports."""

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from registrar.access.identity import Actor
from registrar.base.errors import BadInput
from registrar.base.text import safe_text
from registrar.cli.output import output_options, render, show
from registrar.cli.support import RECORD_ID, Env, pass_env, period, read_rationale, write_file
from registrar.reading import views
from registrar.storage.store import Store

if TYPE_CHECKING:
    from registrar.storage.ledger import Head


def _rates(values: tuple[str, ...], what: str) -> dict[str, float]:
    """NAME=RATE options as a mapping."""
    rates = {}
    for value in values:
        name, sep, rate = value.partition("=")
        try:
            rates[name] = float(rate)
        except ValueError:
            raise BadInput(f"{what} {value!r} is not NAME=RATE (a number between 0 and 1)") from None
        if not sep or not name:
            raise BadInput(f"{what} {value!r} is not NAME=RATE")
    return rates


@click.group()
def audit() -> None:
    """Dip-sampling: draw ddm decisions for audit and record agree or disagree."""


@audit.command("draw")
@click.option("--from", "since", help="Start of the period (default: 30 days before --to).")
@click.option("--to", "until", help="End of the period (default: now).")
@click.option(
    "--seed",
    type=click.IntRange(0, 2**63 - 1),
    help="Seed for a reproducible draw (default: random, recorded with the sample).",
)
@click.option(
    "--rate", type=click.FloatRange(0, 1), help="Share of decisions to draw (default: the sample_rates setting)."
)
@click.option("--kind-rate", multiple=True, metavar="KIND=RATE", help="A rate for one kind, e.g. cancellation=0.75.")
@click.option("--maker-rate", multiple=True, metavar="USER=RATE", help="A rate for one decision maker.")
@pass_env
def audit_draw(env: Env, since, until, seed, rate, kind_rate, maker_rate) -> None:
    """Draw a reproducible sample of designated decision makers' decisions.

    \b
    Example:
      registrar audit draw --from 2026-11-01 --to 2026-11-23 --seed 7 --kind-rate cancellation=0.75
    """
    import secrets

    from registrar.oversight.audit import SampleRates, draw_sample

    store, actor = env.store(), env.actor()
    configured: dict = store.settings().get("sample_rates") or {}  # type: ignore[assignment]
    rates = SampleRates(
        default=rate if rate is not None else float(configured.get("default", 0.5)),
        kinds={**configured.get("kinds", {}), **_rates(kind_rate, "--kind-rate")},
        makers={**configured.get("makers", {}), **_rates(maker_rate, "--maker-rate")},
    )
    start, end = period(since, until, store)
    sample = draw_sample(store, actor, start, end, seed if seed is not None else secrets.randbelow(2**31), rates)
    click.echo(
        f"sample {sample.id}: {sample.sampled} of {sample.candidates} decisions drawn"
        + (f" ({sample.skipped} already sampled before)" if sample.skipped else ""),
        err=True,
    )


@audit.command("list")
@click.option("--sample", "sample_id", type=RECORD_ID, help="Only this sample.")
@click.option("--pending", is_flag=True, help="Only items without a verdict.")
@output_options
@pass_env
def audit_list(env: Env, sample_id, pending, fmt) -> None:
    """List sampled decisions with their rationale and verdict.

    \b
    Example:
      registrar audit list --pending
    """
    env.actor()
    rows = views.audit_items(env.store().conn, sample_id=sample_id, pending=pending)
    show(
        render(
            rows,
            (
                "id",
                "sample_id",
                "request_id",
                "kind",
                "maker",
                "action",
                "code",
                "decided_at",
                "verdict",
                "verdict_by",
                "rationale",
            ),
            fmt,
        ),
        nl=False,
    )


@audit.command("verdict")
@click.argument("item_id", type=RECORD_ID)
@click.argument("verdict", type=click.Choice(("agree", "disagree")))
@click.option("--note", help="Why (required for disagree).")
@click.option("--note-file", metavar="PATH|-", help="Read the note from a file or stdin.")
@click.option(
    "--reopen",
    "--reinstate",
    "reopen",
    is_flag=True,
    help="With disagree: undo the decision in the same step (reinstate a cancelled crime, reopen a referral or "
    "rejection, put a reclassification back); fcr, dfcr.",
)
@pass_env
def audit_verdict(env: Env, item_id, verdict, note, note_file, reopen) -> None:
    """Record agree or disagree on a sampled decision.

    \b
    Example:
      registrar audit verdict 12 disagree --note "Victim withdrawal is not AVI; reinstate." --reopen
    """
    from registrar.oversight.audit import record_verdict

    result = record_verdict(env.store(), env.actor(), item_id, verdict, read_rationale(note, note_file), reopen)
    click.echo(
        f"audit item {item_id}: {result.verdict} (ledger #{result.seq})"
        + (f"; {result.reopened} done" if result.reopened else ""),
        err=True,
    )


@click.command()
@click.option("--from", "since", help="Start of the period (default: 30 days before --to).")
@click.option("--to", "until", help="End of the period (default: now).")
@click.option("--json", "fmt", flag_value="json", help="The whole report as JSON.")
@click.option("--csv", "fmt", flag_value="csv", help="section,key,measure,value rows.")
@click.option("--table", "fmt", flag_value="table", default=True, help="Readable sections (default).")
@click.option(
    "--html",
    "html_path",
    metavar="FILE|-",
    help="Also write the inspection pack: one self-contained, printable HTML document, a new private file ('-' for "
    "stdout).",
)
@click.option("--overwrite", is_flag=True, help="Let --html replace a file that exists (never through a link).")
@pass_env
def report(env: Env, since, until, fmt, html_path, overwrite) -> None:
    """Oversight figures: compliance and recording accuracy with intervals, timeliness, victims told, and counts.

    \b
    Example:
      registrar report --from 2026-10-01 --to 2026-11-01 --json
      registrar report --from 2026-10-01 --to 2026-11-01 --html inspection-october.html
    """
    from registrar.oversight.report_text import report_rows, report_text
    from registrar.oversight.reports import report as build_report
    from registrar.storage import ledger

    store = env.store()
    actor = env.actor()
    start, end = period(since, until, store)
    with store.snapshot() as conn:
        figures = build_report(conn, store.settings(), start, end, store.now())
        head = ledger.head(conn)
    if html_path is not None:
        chosen = click.get_current_context().get_parameter_source("fmt") == click.core.ParameterSource.COMMANDLINE
        if html_path == "-" and chosen:
            raise click.UsageError("--html - writes the pack to standard output: give --json or --csv separately")
        write_pack(store, actor, figures, head, html_path, overwrite)
        if html_path == "-":
            return
    if fmt == "json":
        click.echo(json.dumps(figures, indent=2, default=str))
    elif fmt == "csv":
        show(render(report_rows(figures), ("section", "key", "measure", "value"), "csv"), nl=False)
    else:
        click.echo(safe_text(report_text(figures)))


def write_pack(store: Store, actor: Actor, figures: dict, head: "Head", path: str, overwrite: bool = False) -> None:
    """Write the inspection pack to a file (whole or not at all) or stdout; through a front door only to stdout."""
    from registrar.oversight.for_inspection import pack_text

    text = pack_text(store, actor, figures, head)
    if path == "-":
        click.echo(text)
        return
    write_file(Path(path), text, overwrite, "the pack comes on standard output: give --html - > pack.html")
    click.echo(f"inspection pack written to {path} (ledger head {head})", err=True)


@click.group()
def export() -> None:
    """Exports for an inspection."""


@export.command("decisions")
@click.option("--from", "since", help="Start of the period (default: 30 days before --to).")
@click.option("--to", "until", help="End of the period (default: now).")
@output_options
@pass_env
def export_decisions(env: Env, since, until, fmt) -> None:
    """Every decision with who, when, what and why; CSV cells are safe from formula injection.

    \b
    Example:
      registrar export decisions --from 2026-01-01 --to 2026-07-01 --csv > decisions.csv
    """
    from registrar.oversight.for_inspection import DECISION_COLUMNS
    from registrar.oversight.reports import decision_entries

    store = env.store()
    env.actor()
    start, end = period(since, until, store)
    show(render(decision_entries(store.conn, start, end), DECISION_COLUMNS, fmt), nl=False)
