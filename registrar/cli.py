"""The `registrar` command line: one click group, verbs as subcommands, stdout for data.

Imports made inside a command are the ones that cost start-up time every other command would pay (each measured
with `python -X importtime` against this module's own imports): screens.app 175 ms (Textual), seed.generator
17 ms, decisions with rules and effects 13 ms, server 8 ms, batch 3 ms, intake 3 ms, audit 3 ms, keys 3 ms,
reports 3 ms, admin 2 ms, crashlog and report_output 1 ms each.
"""

import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import views
from .actions import action_names, actions_for
from .cli_recording import import_incidents, recording
from .cli_support import (
    RECORD_ID,
    Env,
    column_help,
    file_format_options,
    pass_env,
    period,
    progress,
    read_input,
    read_rationale,
    say_if_cut,
    time_option,
)
from .columns import CRIME_COLUMNS, REQUEST_COLUMNS
from .errors import EXIT_MEANINGS, BadInput, ExitCode, RegistrarError
from .gateway import CLOSED_TO_FRONT_DOORS, client_command
from .identity import Actor, SshKey, os_account, os_display_name
from .output import json_text, output_options, render, safe_text
from .reference import force_codes
from .store import Store, default_path
from .tabular import MAX_BATCH_BYTES, MAX_BATCH_ROWS, FileFormat
from .vocabulary import FIELDS
from .vocabulary import KIND_NAMES as KINDS
from .vocabulary import KINDS as KIND_DEFINITIONS
from .vocabulary import ROLE_NAMES as ROLES

if TYPE_CHECKING:
    from .ledger import Head

EXIT_CODES_HELP = "\b\nExit codes:\n" + "\n".join(f"  {code.value:<5}{EXIT_MEANINGS[code]}" for code in ExitCode)

QUEUE_COLUMNS = (
    "id",
    "kind",
    "state",
    "crime_reference",
    "offence_code",
    "restricted",
    "requested_by",
    "due_at",
    "summary",
)


class RegistrarGroup(click.Group):
    """A click group that turns domain errors into messages and documented exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except RegistrarError as error:
            click.echo(f"registrar: {safe_text(error.message)}", err=True)
            for problem in getattr(error, "problems", []):
                click.echo(f"  {safe_text(problem)}", err=True)
            ctx.exit(error.exit_code)
        except sqlite3.OperationalError as error:
            click.echo(f"registrar: the store could not be used ({error}); nothing was changed", err=True)
            ctx.exit(ExitCode.REFUSED)
        except sqlite3.IntegrityError as error:
            click.echo(f"registrar: refused by the store's own checks ({error}); nothing was changed", err=True)
            ctx.exit(ExitCode.REFUSED)
        except sqlite3.DatabaseError as error:
            click.echo(f"registrar: the store is damaged or not a registrar store ({error})", err=True)
            ctx.exit(ExitCode.REFUSED)


def field_options(command):
    """Add one click option per decision field, named and explained as the vocabulary defines it."""
    for field in reversed(FIELDS.values()):
        command = click.option(field.option, field.name, multiple=field.multiple, help=field.help)(command)
    return command


OPEN_STATES = sorted({state for kind in KIND_DEFINITIONS.values() for state in kind.open_states})


def _complete(choices, incomplete: str) -> list[str]:
    """The choices that start with what has been typed, for shell completion."""
    return [choice for choice in choices if choice.startswith(incomplete)]


def actions_epilog() -> str:
    """The actions of each kind, for `decide --help`."""
    width = max(len(kind) for kind in KINDS) + 2
    lines = [f"  {kind:<{width}}{' '.join(spec.name for spec in actions_for(kind))}" for kind in KINDS]
    return "\b\nActions by kind:\n" + "\n".join(lines)


def batch_epilog() -> str:
    """The batch file's columns, for `batch --help`."""
    names = " ".join(FIELDS)
    return (
        "\b\nColumns: request_id, action (required); rationale; expected_version; and the action's fields:\n"
        f"  {names}\nLimits: {MAX_BATCH_BYTES // 2**20} MiB and {MAX_BATCH_ROWS:,} rows per file. Cells starting with = + - @ are refused."
    )


@click.group(
    cls=RegistrarGroup,
    invoke_without_command=True,
    epilog=EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    envvar="REGISTRAR_DB",
    metavar="PATH",
    help="The store (default: $REGISTRAR_DB, else ~/.local/share/registrar/registrar.db).",
)
@click.option("--as", "as_user", metavar="USER", help="Act as USER; only demo and test stores accept it.")
@click.version_option(package_name="registrar")
@click.pass_context
def cli(ctx: click.Context, db: str | None, as_user: str | None) -> None:
    """Decide cancellations, reclassifications, transfers and MASH referrals, with a tamper-evident rationale log.

    With no command, opens the workbench on the store as you.

    \b
    Example:
      registrar --db force.db queue cancellation --overdue
    """
    ctx.color = True  # files and pipes get the stored text exactly; output.py escapes it for terminals
    ctx.obj = Env(db, as_user, ctx.obj if isinstance(ctx.obj, SshKey) else None)
    if ctx.invoked_subcommand in CLOSED_TO_FRONT_DOORS and ctx.obj.through_front_door:
        raise BadInput(f"`{ctx.invoked_subcommand}` is not run through sudo; registrars use the other commands")
    if ctx.invoked_subcommand is None:
        if not _on_a_terminal():
            click.echo(ctx.get_help())
            ctx.exit(ExitCode.USAGE)
        ctx.invoke(tui)


def _on_a_terminal() -> bool:
    """True when both ends are a terminal, as the workbench needs."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@cli.command()
@click.option("--demo", is_flag=True, help="A demo or test store: it accepts --as USER.")
@click.option(
    "--force", "force_code", default="", metavar="CODE", help="This force's code, e.g. STA (required unless --demo)."
)
@click.option("--fcr", "fcr_user", metavar="USER", help="The first FCR's account (default: you).")
@click.option("--name", "display_name", metavar="TEXT", help="The first FCR's display name.")
@click.option(
    "--service", is_flag=True, help="You are the store's service account: registrars come in through SSH keys and sudo."
)
@pass_env
def init(env: Env, demo: bool, force_code: str, fcr_user: str | None, display_name: str | None, service: bool) -> None:
    """Create a new store (mode 0600, in a directory only you can write) with the reference data; its first user is the FCR.

    For a store several people share, use `registrar server setup` (as root) instead.

    \b
    Example:
      registrar --db ~/registrar/force.db init --force STA
    """
    if not force_code and not demo:
        raise click.UsageError("--force CODE is required for a production store (transfers to it are refused)")
    if force_code and force_code not in force_codes():
        raise BadInput(f"{force_code!r} is not a force code; see `registrar reference list forces` on any store")
    username = fcr_user or os_account()
    Store.create(
        env.db_path,
        fcr=username,
        fcr_name=display_name or os_display_name(username),
        demo=demo,
        force_code=force_code,
        service_account=os_account() if service else "",
    )
    kind = "demo" if demo else "production"
    click.echo(f"created {kind} store {env.db_path}; {username} is its FCR", err=True)


@cli.group()
def users() -> None:
    """Registrar users and their roles (the FCR manages them)."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option("--name", "display_name", default="", help="Display name.")
@pass_env
def users_add(env: Env, username: str, role: str, display_name: str) -> None:
    """Add a user: their OS account name and role.

    \b
    Example:
      registrar users add jpatel --role ddm --name "J Patel"
    """
    from . import admin

    admin.add_user(env.store(), env.actor(), username, role, display_name)
    click.echo(f"added {username} as {role}", err=True)


@users.command("set")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), help="A new role.")
@click.option("--active/--inactive", default=None, help="Reactivate or deactivate.")
@pass_env
def users_set(env: Env, username: str, role: str | None, active: bool | None) -> None:
    """Change a user's role or deactivate them.

    \b
    Example:
      registrar users set jpatel --inactive
    """
    from . import admin

    admin.change_user(env.store(), env.actor(), username, role=role, active=active)
    click.echo(f"updated {username}", err=True)


@users.command("list")
@output_options
@pass_env
def users_list(env: Env, fmt: str) -> None:
    """List the store's users.

    \b
    Example:
      registrar users list --csv
    """
    env.actor()
    rows = views.users(env.store().conn)
    click.echo(render(rows, ("username", "role", "display_name", "active", "created_at"), fmt), nl=False)


@cli.group()
def settings() -> None:
    """Settings the FCR may change without code: rationale length, clocks, restricted flags."""


@settings.command("list")
@output_options
@pass_env
def settings_list(env: Env, fmt: str) -> None:
    """Show every setting.

    \b
    Example:
      registrar settings list
    """
    env.actor()
    rows = [{"key": k, "value": v} for k, v in sorted(env.store().settings().items())]
    click.echo(render(rows, ("key", "value"), fmt), nl=False)


@settings.command("set")
@click.argument("key")
@click.argument("value")
@pass_env
def settings_set(env: Env, key: str, value: str) -> None:
    """Change a setting (FCR only); VALUE is JSON for numbers, lists and maps.

    \b
    Example:
      registrar settings set rationale_min_length 40
      registrar settings set restricted_flags '["domestic_abuse"]'
    """
    from . import admin

    new = admin.set_setting(env.store(), env.actor(), key, value)
    click.echo(f"{key} = {new}", err=True)


@cli.group()
def reference() -> None:
    """Reference data: offences, grounds, forces, agencies, outcomes."""


@reference.command("list")
@click.argument("table", type=click.Choice(("offences", "grounds", "forces", "agencies", "outcomes")))
@output_options
@pass_env
def reference_list(env: Env, table: str, fmt: str) -> None:
    """List one reference table.

    \b
    Example:
      registrar reference list offences --csv
    """
    env.actor()
    rows = views.reference_table(env.store().conn, table)
    click.echo(render(rows, list(rows[0]) if rows else ["code"], fmt), nl=False)


@reference.command("restrict")
@click.argument("code")
@click.option("--off", is_flag=True, help="Remove the code from the restricted list instead.")
@pass_env
def reference_restrict(env: Env, code: str, off: bool) -> None:
    """Put an offence code on the restricted list (fcr or dfcr).

    \b
    Example:
      registrar reference restrict 1
      registrar reference restrict 88C --off
    """
    from . import admin

    admin.set_restricted(env.store(), env.actor(), code, not off)
    click.echo(f"{code} {'unrestricted' if off else 'restricted'}", err=True)


@reference.command("ground")
@click.argument("code")
@click.option("--title", help="The ground's wording.")
@click.option("--confirmed/--unconfirmed", default=None, help="Whether the ground is confirmed in the current rules.")
@pass_env
def reference_ground(env: Env, code: str, title: str | None, confirmed: bool | None) -> None:
    """Edit a cancellation ground's wording (e.g. C5) or confirmed flag.

    \b
    Example:
      registrar reference ground C5 --title "Self-defence shown by AVI" --confirmed
    """
    from . import admin

    admin.set_ground(env.store(), env.actor(), code, title, confirmed)
    click.echo(f"{code} updated", err=True)


@cli.group("import")
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
    from . import intake

    data = read_input(source)
    with progress(data.count(b"\n"), "checking crimes") as advance:
        result = intake.import_crimes(env.store(), env.actor(), data, source, form, advance)
    click.echo(f"imported {result.rows} crimes (sha256 {result.digest[:12]}…, ledger entry {result.seq})", err=True)


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
    from . import intake

    data = read_input(source)
    with progress(data.count(b"\n"), "checking requests") as advance:
        result = intake.import_requests(env.store(), env.actor(), data, source, form, advance)
    click.echo(f"raised {result.rows} requests (ledger up to entry {result.seq})", err=True)


@cli.command()
@click.argument("kind", required=False, type=click.Choice(KINDS))
@click.option(
    "--state",
    type=click.Choice(OPEN_STATES),
    help="Only this open state.",
)
@click.option("--overdue", is_flag=True, help="Only items past their due time.")
@click.option("--area", help="Only this local policing area.")
@click.option("--group", "offence_group", help="Only this offence group.")
@click.option("--restricted", is_flag=True, help="Only restricted offences.")
@click.option("--mine", is_flag=True, help="Only items referred to me (or to any senior decider).")
@click.option("--filter", "text", help="Only items whose reference, summary, offence or requester contain TEXT.")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 100000))
@output_options
@pass_env
def queue(env: Env, kind, state, overdue, area, offence_group, restricted, mine, text, limit, fmt) -> None:
    """List open requests, soonest due first.

    \b
    Example:
      registrar queue referral --overdue --json
    """
    store = env.store()
    actor = env.actor()
    queue_filter = views.QueueFilter(
        kind=kind,
        state=state,
        due_before=store.now() if overdue else None,
        area=area,
        offence_group=offence_group,
        restricted_only=restricted,
        referred_to_me=actor.username if mine else None,
        text=text,
    )
    rows = views.queue_page(store.conn, queue_filter, limit=limit + 1)
    click.echo(render(rows[:limit], QUEUE_COLUMNS, fmt), nl=False)
    say_if_cut(len(rows), limit)


@cli.command()
@click.argument("request_id", type=RECORD_ID)
@click.option("--json", "as_json", is_flag=True, help="The request, its crime and history as JSON.")
@pass_env
def show(env: Env, request_id: int, as_json: bool) -> None:
    """Show one request: evidence, crime, follow-up and its full ledger history.

    \b
    Example:
      registrar show 1042
    """
    env.actor()
    detail = views.request_detail(env.store().conn, request_id)
    if as_json:
        click.echo(json_text(detail), nl=False)
        return
    click.echo(safe_text(describe_request(detail)))


def describe_request(detail: dict) -> str:
    """A request in full as readable text."""
    skip = {"history", "linked_crimes", "follow_up", "surviving_crime"}
    lines = [f"Request {detail['id']}: {detail['kind']} ({detail['state']}, version {detail['version']})"]
    for key, value in detail.items():
        if key not in skip and key not in ("id", "kind", "state", "version") and value not in (None, "", 0):
            lines.append(f"  {key}: {value}")
    if detail.get("surviving_crime"):
        c = detail["surviving_crime"]
        lines.append(f"Surviving crime: {c['reference']} {c['offence_code']} {c['offence_name']} ({c['state']})")
    if detail["linked_crimes"]:
        lines.append("Linked crimes:")
        lines += [
            f"  {c['reference']} {c['offence_code']} {c['offence_name']} ({c['link']}, {c['state']})"
            for c in detail["linked_crimes"]
        ]
    if detail["follow_up"]:
        f = detail["follow_up"]
        told = (
            "NOT YET TOLD"
            if not f["done_at"]
            else f"told {f['informed_on']} by {f['method']}"
            if f["informed_on"]
            else f"closed: {f['method']}"
        )
        lines.append(f"Victim follow-up: {told}")
    lines.append("History:")
    lines += [
        f"  #{e['seq']} {e['at']} {e['actor']} ({e['role']}) {e['action']}"
        f" {e['from_state'] or ''}→{e['to_state'] or ''} {e['code'] or ''}\n      {e['rationale']}"
        for e in detail["history"]
    ]
    return "\n".join(lines)


@cli.command("decide", epilog=actions_epilog())
@click.argument("request_id", type=RECORD_ID)
@click.argument("action", shell_complete=lambda ctx, param, incomplete: _complete(action_names(), incomplete))
@field_options
@click.option(
    "--expect-version", type=RECORD_ID, help="Refuse with a conflict if the request changed since this version."
)
@click.option("--rationale", help="Why: the decision's rationale, kept in the ledger forever.")
@click.option("--rationale-file", metavar="PATH|-", help="Read the rationale from a file or stdin.")
@output_options
@pass_env
def decide_command(
    env: Env, request_id: int, action: str, expect_version, rationale, rationale_file, fmt, **fields
) -> None:
    """Decide one request: ACTION with its fields and a rationale.

    \b
    Example:
      registrar decide 1042 approve --ground C2 --avi "Shop CCTV shows the item was paid for" \\
        --avi-type recording --avi-source "Shop CCTV" --avi-obtained 2026-11-20 --avi-shows no-crime \\
        --rationale "CCTV reviewed by PS Khan shows the item was paid for; no crime."
    """
    text = read_rationale(rationale, rationale_file)
    from .decisions import Decision, decide

    decision = Decision(
        request_id=request_id,
        action=action,
        rationale=text,
        fields={k: v for k, v in fields.items() if v not in (None, ())},
        expected_version=expect_version,
    )
    outcome = decide(env.store(), env.actor(), decision)
    row = {
        "request_id": outcome.request_id,
        "action": outcome.action,
        "from_state": outcome.from_state,
        "to_state": outcome.to_state,
        "version": outcome.version,
        "crimes": ",".join(outcome.crimes),
        "ledger_seq": outcome.seq,
    }
    click.echo(render([row], list(row), fmt), nl=False)
    if outcome.warning:
        click.echo(f"registrar: warning: {outcome.warning}", err=True)


@cli.group(invoke_without_command=True)
@click.option("--request", "request_id", type=RECORD_ID, help="Entries about this request.")
@click.option("--crime", help="Entries about this crime (and the requests about it).")
@click.option("--actor", help="Entries by this person.")
@click.option(
    "--action",
    help="Entries of this action, e.g. approve or reinstate.",
    shell_complete=lambda ctx, param, incomplete: _complete(action_names(), incomplete),
)
@click.option("--code", help="Entries with this code (ground, offence, force).")
@click.option("--since", help="Entries at or after this date or time.")
@click.option("--until", help="Entries before this date or time.")
@click.option("--search", "text", help="Entries whose rationale or details contain TEXT.")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 1000000))
@output_options
@click.pass_context
def log(ctx: click.Context, request_id, crime, actor, action, code, since, until, text, limit, fmt) -> None:
    """Search the rationale ledger, newest first; `log verify` checks the chain.

    \b
    Example:
      registrar log --crime CR-2026-000123
      registrar log --actor jpatel --since 2026-11-01 --csv
    """
    from .ledger import CHAINED_FIELDS

    if ctx.invoked_subcommand is not None:
        return
    env: Env = ctx.obj
    env.actor()
    entries = views.ledger_entries(
        env.store().conn,
        request_id=request_id,
        crime=crime,
        actor=actor,
        action=action,
        code=code,
        since=time_option(since, "--since"),
        until=time_option(until, "--until"),
        text=text,
        limit=limit + 1,
    )
    click.echo(render(entries[:limit], CHAINED_FIELDS[:-1], fmt), nl=False)
    say_if_cut(len(entries), limit)


@log.command("verify")
@click.option(
    "--anchor", metavar="SEQ:HASH", help="A head published earlier (`log head`); catches a rewritten or truncated tail."
)
@click.option("--chain-only", is_flag=True, help="Check the hash chain only, not the tables against it (faster).")
@pass_env
def log_verify(env: Env, anchor: str | None, chain_only: bool) -> None:
    """Walk the hash chain, then replay it against every table; exit 4 naming the first bad entry or row.

    Any row the ledger does not account for (a state, role, setting or flag changed outside registrar) is named
    with its table and the last entry that touched it.

    \b
    Example:
      registrar log verify --anchor "$(tail -1 /var/lib/registrar-anchors/heads)"
    """
    from . import accounting, ledger

    store = env.store()
    with progress(
        ledger.head(store.conn).seq + (0 if chain_only else accounting.row_count(store.conn)), "verifying"
    ) as advance:
        result = ledger.verify(
            store.conn, ledger.parse_anchor(anchor) if anchor else None, replay=not chain_only, progress=advance
        )
    rows = "" if result.rows is None else f"; {result.rows} rows accounted for"
    click.echo(f"ledger verified: {result.entries} entries, head {result.head}{rows}")


@log.command("head")
@pass_env
def log_head(env: Env) -> None:
    """Print the newest entry as SEQ:HASH, to publish outside the server.

    \b
    Example:
      registrar log head > anchor-$(date +%F)
    """
    from . import ledger

    click.echo(str(ledger.head(env.store().conn)))


@cli.command(epilog=batch_epilog())
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
    from .batch import read_batch, run_batch

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
        click.echo(
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


@cli.group()
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

    from .audit import SampleRates, draw_sample

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
    click.echo(
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
    from .audit import record_verdict

    result = record_verdict(env.store(), env.actor(), item_id, verdict, read_rationale(note, note_file), reopen)
    click.echo(
        f"audit item {item_id}: {result.verdict} (ledger #{result.seq})"
        + (f"; {result.reopened} done" if result.reopened else ""),
        err=True,
    )


@cli.command()
@click.option("--from", "since", help="Start of the period (default: 30 days before --to).")
@click.option("--to", "until", help="End of the period (default: now).")
@click.option("--json", "fmt", flag_value="json", help="The whole report as JSON.")
@click.option("--csv", "fmt", flag_value="csv", help="section,key,measure,value rows.")
@click.option("--table", "fmt", flag_value="table", default=True, help="Readable sections (default).")
@click.option(
    "--html",
    "html_path",
    metavar="FILE|-",
    help="Also write the inspection pack: one self-contained, printable HTML document ('-' for stdout).",
)
@pass_env
def report(env: Env, since, until, fmt, html_path) -> None:
    """Oversight figures: compliance and recording accuracy with intervals, timeliness, victims told, and counts.

    \b
    Example:
      registrar report --from 2026-10-01 --to 2026-11-01 --json
      registrar report --from 2026-10-01 --to 2026-11-01 --html inspection-october.html
    """
    from . import ledger
    from .report_output import report_rows, report_text
    from .reports import report as build_report

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
        write_pack(store, actor, figures, head, html_path)
        if html_path == "-":
            return
    if fmt == "json":
        click.echo(json.dumps(figures, indent=2, default=str))
    elif fmt == "csv":
        click.echo(render(report_rows(figures), ("section", "key", "measure", "value"), "csv"), nl=False)
    else:
        click.echo(safe_text(report_text(figures)))


def write_whole_file(target: Path, text: str) -> None:
    """Write a new regular file whole or not at all (private, 0600), never through a link, a device or a pipe."""
    import tempfile

    if target.name in ("", ".", ".."):
        raise BadInput(f"{str(target)!r} is not a file name")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise BadInput(f"{target} exists and is not a regular file; give a new file name")
    if not target.parent.is_dir():
        raise BadInput(f"{target.parent} is not a directory")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as error:
        raise BadInput(f"could not write in {target.parent}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise BadInput(f"could not write {target}: {error.strerror}") from None


def write_pack(store: Store, actor: Actor, figures: dict, head: "Head", path: str) -> None:
    """Write the inspection pack to a file (whole or not at all) or stdout; through a front door only to stdout."""
    from .inspection_pack import PackHeader, render_pack
    from .reference import force_name

    code = str(store.settings().get("force_code") or "")
    header = PackHeader(code, force_name(code), actor, store.now(), head)
    text = render_pack(figures, header)
    if path == "-":
        click.echo(text)
        return
    env = click.get_current_context().find_object(Env)
    if env is not None and env.through_front_door:
        raise BadInput("through the SSH or sudo door the pack comes on standard output: give --html - > pack.html")
    write_whole_file(Path(path), text)
    click.echo(f"inspection pack written to {path} (ledger head {head})", err=True)


@cli.group()
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
    from .ledger import CHAINED_FIELDS
    from .reports import decision_entries

    store = env.store()
    env.actor()
    start, end = period(since, until, store)
    rows = decision_entries(store.conn, start, end)
    click.echo(
        render(
            rows,
            (*CHAINED_FIELDS[:5], "kind", *CHAINED_FIELDS[5:]),
            fmt,
        ),
        nl=False,
    )


@cli.command()
@click.option("--no-mouse", is_flag=True, help="Ignore the mouse (everything works by keyboard).")
@pass_env
def tui(env: Env, no_mouse: bool) -> None:
    """Open the workbench on the store as you.

    \b
    Example:
      registrar --db /srv/registrar/force.db tui
    """
    if not _on_a_terminal():
        raise click.UsageError("the workbench needs a terminal; for scripts use the other commands (see --help)")
    from screens.app import run_workbench

    store = env.store()
    code = run_workbench(store, env.actor(), mouse=not no_mouse)
    if code:
        click.get_current_context().exit(code)


@cli.command()
@click.option(
    "--db", "demo_db", metavar="PATH", help="Where the demo store lives (default: demo.db beside your store)."
)
@click.option("--seed", default=1, show_default=True, help="The generator's seed: the same seed builds the same force.")
@click.option(
    "--crimes",
    default=87_584,
    show_default=True,
    type=click.IntRange(1_000, 20_000_000),
    help="Crimes to generate (a year of the model force; 1000000 for a ten-year scale store).",
)
@click.option(
    "--incidents-per-crime",
    "incident_ratio",
    default=4.0,
    show_default=True,
    type=click.FloatRange(1, 20),
    help="Incidents in the last year for each crime recorded in it.",
)
@click.option("--rebuild", is_flag=True, help="Build afresh even if the store exists.")
@click.option("--no-tui", is_flag=True, help="Only build the store; do not open the workbench.")
@click.pass_context
def demo(
    ctx: click.Context, demo_db: str | None, seed: int, crimes: int, incident_ratio: float, rebuild: bool, no_tui: bool
) -> None:
    """Build a realistic demo force (if needed) and open the workbench as its FCR.

    \b
    Example:
      registrar demo
      registrar demo --db /tmp/scale.db --crimes 1000000 --no-tui
    """
    import time

    from seed.generator import DEMO_FCR, STAGES, build

    env: Env = ctx.obj
    parent_source = ctx.parent.get_parameter_source("db") if ctx.parent else None
    if demo_db:
        path = Path(demo_db)
    elif parent_source == click.core.ParameterSource.COMMANDLINE:
        path = env.db_path
    else:
        path = default_path().with_name("demo.db")
    if os.path.lexists(path) and rebuild:
        _require_demo_store(path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not path.exists():
        started = time.perf_counter()
        building = path.with_name(f".{path.name}.building")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
        with progress(STAGES, "building the demo force") as advance:
            build(building, seed=seed, crimes=crimes, progress=advance, incident_ratio=incident_ratio).close()
        os.replace(building, path)
        click.echo(
            f"built demo store {path} ({crimes:,} crimes, seed {seed}) in {time.perf_counter() - started:.1f} s",
            err=True,
        )
    if no_tui:
        click.echo(
            f"next: registrar --db {path} --as {DEMO_FCR} queue referral --overdue\n"
            f"      registrar --db {path} --as {DEMO_FCR} log verify\n"
            f"      registrar --db {path} demo   (opens the workbench as {DEMO_FCR}, the FCR)",
            err=True,
        )
        return
    env.db_path = path
    env.as_user = env.as_user or DEMO_FCR
    ctx.invoke(tui)


@cli.group()
def keys() -> None:
    """SSH keys of the server's front door: each key names one registrar (the FCR manages them)."""


@keys.command("add")
@click.argument("username")
@click.argument("keyfile", metavar="KEYFILE|-")
@pass_env
def keys_add(env: Env, username: str, keyfile: str) -> None:
    """Give a registrar an SSH key; it can then run only the gateway, as them.

    \b
    Example:
      sudo -u registrar registrar keys add dan ~dan/.ssh/id_ed25519.pub
      ssh registrar@server keys add dan - < dan.pub
    """
    from . import keys as ssh_keys

    key = ssh_keys.parse_public_key(read_input(keyfile).decode("utf-8", errors="replace"))
    store = env.store()
    fingerprint = ssh_keys.add_key(store, env.actor(), username, key)
    target = ssh_keys.write_authorized_keys(store)
    click.echo(
        f"gave {username} key {fingerprint}"
        + (f"; rewrote {target}" if target else "; this is a personal store, so no authorized_keys was written"),
        err=True,
    )


@keys.command("remove")
@click.argument("fingerprint")
@pass_env
def keys_remove(env: Env, fingerprint: str) -> None:
    """Take a key away; the ledger keeps whose it was.

    \b
    Example:
      registrar keys remove SHA256:3q2+7w…
    """
    from . import keys as ssh_keys

    store = env.store()
    owner = ssh_keys.remove_key(store, env.actor(), fingerprint)
    ssh_keys.write_authorized_keys(store)
    click.echo(f"removed {owner}'s key {fingerprint}", err=True)


@keys.command("list")
@output_options
@pass_env
def keys_list(env: Env, fmt: str) -> None:
    """List the keys that open the front door, with their registrar.

    \b
    Example:
      registrar keys list --csv
    """
    from . import keys as ssh_keys

    env.actor()
    rows = ssh_keys.active_keys(env.store())
    click.echo(
        render(rows, ("username", "fingerprint", "key_type", "comment", "added_at", "added_by", "active"), fmt),
        nl=False,
    )


@keys.command("sync")
@pass_env
def keys_sync(env: Env) -> None:
    """Rewrite the service account's authorized_keys from the store (after a restore, or a hand edit).

    \b
    Example:
      sudo -u registrar registrar keys sync
    """
    from . import keys as ssh_keys

    target = ssh_keys.sync(env.store(), env.actor())
    click.echo(f"rewrote {target}", err=True)


@cli.command()
@click.option("--user", "username", required=True, help="The registrar this key belongs to.")
@click.option("--key", "fingerprint", required=True, help="The key's fingerprint, recorded with every entry.")
@click.pass_context
def gateway(ctx: click.Context, username: str, fingerprint: str) -> None:
    """The SSH front door, run by a key's forced command; never run it by hand.

    With no command it opens the workbench; otherwise it runs the registrar command the client asked for
    (from SSH_ORIGINAL_COMMAND, split without a shell), with --db and --as refused.

    \b
    Example (a line of the service account's authorized_keys, written by `registrar keys add`):
      restrict,pty,command="/opt/registrar/bin/registrar --db /srv/registrar/force.db gateway --user dan --key SHA256:…" ssh-ed25519 AAAA…
    """
    env: Env = ctx.obj
    if env.as_user is not None:
        raise BadInput("--as is refused through the SSH gateway: your key says who you are")
    if not os.environ.get("SSH_CONNECTION"):
        raise BadInput("the gateway runs only from an SSH key's forced command (there is no SSH connection)")
    words = client_command(os.environ.get("SSH_ORIGINAL_COMMAND"), set(cli.commands))
    key = SshKey(username, fingerprint)
    if not words:
        if not _on_a_terminal():
            raise click.UsageError("the workbench needs a terminal: connect with `ssh -t`, or name a command")
        words = ["tui"]
    cli.main(args=["--db", str(env.db_path), *words], prog_name="registrar", obj=key)


@cli.group()
def server() -> None:
    """Setting up a force server (run as root)."""


@server.command("setup")
@click.option("--account", default="registrar", show_default=True, help="The service account that owns the store.")
@click.option(
    "--store",
    "store_path",
    default="/srv/registrar/force.db",
    show_default=True,
    type=click.Path(),
    help="The store's absolute path; its directory becomes the account's, 0700.",
)
@click.option("--force", "force_code", required=True, metavar="CODE", help="This force's code, e.g. STA.")
@click.option("--fcr", required=True, metavar="USER", help="The FCR's registrar username (their OS login name).")
@click.option("--fcr-name", default="", help="The FCR's display name.")
@click.option("--fcr-key", type=click.Path(exists=True, dir_okay=False), help="The FCR's SSH public key.")
@click.option("--home", type=click.Path(), help="The account's home (default /var/lib/ACCOUNT).")
@click.option("--group", default="registrars", show_default=True, help="Group for the sudo front door.")
@click.option("--sudoers/--no-sudoers", default=False, help="Write /etc/sudoers.d/registrar-ACCOUNT for the group.")
def server_setup(account, store_path, force_code, fcr, fcr_name, fcr_key, home, group, sudoers) -> None:
    """Create the service account, its private store, its authorized_keys and (if asked) the sudo rule.

    Idempotent: each step says what it did or what it found in place.

    \b
    Example:
      sudo registrar server setup --account registrar --store /srv/registrar/force.db \
        --force STA --fcr fiona --fcr-key /home/fiona/.ssh/id_ed25519.pub --sudoers
    """
    from . import keys as ssh_keys
    from .server import Plan, setup

    if force_code not in force_codes():
        raise BadInput(f"{force_code!r} is not a force code; see `registrar reference list forces` on any store")
    plan = Plan(
        account=account,
        store=Path(store_path),
        force_code=force_code,
        fcr=fcr,
        fcr_name=fcr_name,
        home=Path(home or f"/var/lib/{account}"),
        group=group or None,
        sudoers=sudoers,
        fcr_key=fcr_key,
        program=ssh_keys.gateway_program(),
    )
    setup(plan, lambda line: click.echo(line))


@cli.command()
@pass_env
def upgrade(env: Env) -> None:
    """Apply the schema changes a newer registrar needs to a store made by an earlier one (back it up first).

    \b
    Example:
      registrar backup /var/backups/registrar/before-upgrade.db && registrar upgrade
    """
    from . import ledger

    store = Store.open(env.db_path, upgrade=True)
    click.echo(f"{env.db_path} is up to date (ledger head {ledger.head(store.conn)})", err=True)


@cli.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@pass_env
def backup(env: Env, target: Path) -> None:
    """Copy the live store consistently to a new private file, verify the copy, and print its head.

    Safe while others decide (SQLite's online backup); it never overwrites a file.

    \b
    Example:
      registrar backup /var/backups/registrar/force-$(date +%F).db
    """
    from .backup import backup as copy_store

    copied = copy_store(env.store(), target)
    result = copied.verification
    click.echo(f"backed up to {target}: {result.entries} entries and {result.rows} rows verified", err=True)
    click.echo(str(result.head))


@cli.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_env
def restore(env: Env, source: Path) -> None:
    """Put a verified backup in place of the store; refused if the store holds entries the backup lacks.

    A damaged store that cannot be opened is first moved aside (`mv force.db force.db.damaged`).

    \b
    Example:
      registrar --db /srv/registrar/force.db restore /var/backups/registrar/force-2026-11-23.db
    """
    from .backup import restore as put_back

    restored = put_back(source, env.db_path)
    click.echo(f"restored {env.db_path} from {source}: {restored.verification.entries} entries verified", err=True)
    click.echo(str(restored.verification.head))


def _require_demo_store(path: Path) -> None:
    """Refuse to delete anything but a demo store."""
    try:
        kind = Store.open(path).settings().get("store_kind")
    except RegistrarError as error:
        raise BadInput(
            f"--rebuild deletes only a demo store, and {path} cannot be read as one ({error.message})"
        ) from None
    if kind != "demo":
        raise BadInput(f"--rebuild deletes only a demo store; {path} is a {kind} store and was left alone")


def main() -> None:
    """Run the command line, mapping any unexpected error to exit 70 without a traceback."""
    try:
        cli.main(prog_name="registrar")
    except KeyboardInterrupt:
        click.echo("registrar: interrupted; nothing half-done was kept", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except Exception as error:
        report_crash(error)


def report_crash(error: BaseException) -> None:
    """One line on stderr, the trace in a log file, exit 70."""
    from .crashlog import write_crash_log

    log_path = write_crash_log(error)
    where = f"; the trace is in {log_path}" if log_path else ""
    click.echo(
        f"registrar: internal error ({type(error).__name__}: {safe_text(str(error))}){where}; please report it",
        err=True,
    )
    sys.exit(ExitCode.INTERNAL)


cli.add_command(recording)
import_.add_command(import_incidents)
