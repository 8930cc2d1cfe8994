"""Commands on the rationale ledger: search it, verify the chain and the tables against it, print its head."""

import click

from registrar.cli.output import output_options, render, show
from registrar.cli.support import RECORD_ID, Env, complete, pass_env, progress, read_input, say_if_cut, time_option
from registrar.reading import views


def action_names() -> list[str]:
    """Every action's name, for shell completion (the actions are loaded only when completing)."""
    from registrar.decisions.actions import action_names as names

    return names()


@click.group(invoke_without_command=True)
@click.option("--request", "request_id", type=RECORD_ID, help="Entries about this request.")
@click.option("--crime", help="Entries about this crime (and the requests about it).")
@click.option("--actor", help="Entries by this person.")
@click.option(
    "--action",
    help="Entries of this action, e.g. approve or reinstate.",
    shell_complete=lambda ctx, param, incomplete: complete(action_names(), incomplete),
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
    from registrar.storage.ledger import CHAINED_FIELDS

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
        since=time_option(since, "--since", env.clock()),
        until=time_option(until, "--until", env.clock()),
        text=text,
        limit=limit + 1,
    )
    show(render(entries[:limit], CHAINED_FIELDS[:-1], fmt), nl=False)
    say_if_cut(len(entries), limit)


@log.command("verify")
@click.option(
    "--anchor", metavar="SEQ:HASH", help="A head published earlier (`log head`); catches a rewritten or truncated tail."
)
@click.option(
    "--witness",
    metavar="FILE",
    help="The heads file the server's witness keeps (- for stdin); every head in it must be on the chain.",
)
@click.option("--chain-only", is_flag=True, help="Check the hash chain only, not the tables against it (faster).")
@pass_env
def log_verify(env: Env, anchor: str | None, witness: str | None, chain_only: bool) -> None:
    """Walk the hash chain, then replay it against every table; exit 4 naming the first bad entry or row.

    Any row the ledger does not account for (a state, role, setting or flag changed outside registrar) is named
    with its table and the last entry that touched it.

    \b
    Example:
      registrar log verify --witness /var/lib/registrar-witness/registrar.heads
    """
    from registrar.storage import accounting, ledger

    store = env.store()
    with progress(
        ledger.head(store.conn).seq + (0 if chain_only else accounting.row_count(store.conn)), "verifying"
    ) as advance:
        result = ledger.verify(
            store.conn, ledger.parse_anchor(anchor) if anchor else None, replay=not chain_only, progress=advance
        )
    rows = "" if result.rows is None else f"; {result.rows} rows accounted for"
    if witness is not None:
        witnessed = ledger.check_witnessed(store.conn, read_input(witness).decode("utf-8", errors="replace"))
        rows += f"; {witnessed} witnessed heads on the chain"
    click.echo(f"ledger verified: {result.entries} entries, head {result.head}{rows}")


@log.command("head")
@pass_env
def log_head(env: Env) -> None:
    """Print the newest entry as SEQ:HASH, to publish outside the server.

    \b
    Example:
      registrar log head > anchor-$(date +%F)
    """
    from registrar.storage import ledger

    click.echo(str(ledger.head(env.store().conn)))
