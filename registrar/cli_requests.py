"""Commands on requests and the ledger: list a queue, show a request, decide it, search and verify the log."""

import click

from . import views
from .actions import action_names, actions_for
from .cli_support import RECORD_ID, Env, pass_env, progress, read_rationale, say_if_cut, time_option
from .output import json_text, output_options, render, safe_text
from .vocabulary import FIELDS
from .vocabulary import KIND_NAMES as KINDS
from .vocabulary import KINDS as KIND_DEFINITIONS

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


@click.command()
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


@click.command()
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


@click.command("decide", epilog=actions_epilog())
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


@click.group(invoke_without_command=True)
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
