"""The command that decides one request, its options built from the vocabulary's fields."""

import click

from registrar.base.vocabulary import FIELDS
from registrar.base.vocabulary import KIND_NAMES as KINDS
from registrar.cli.output import output_options, render, show
from registrar.cli.support import RECORD_ID, Env, complete, pass_env, read_rationale
from registrar.decisions.actions import action_names, actions_for


def field_options(command):
    """Add one click option per decision field, named and explained as the vocabulary defines it."""
    for field in reversed(FIELDS.values()):
        command = click.option(field.option, field.name, multiple=field.multiple, help=field.help)(command)
    return command


def actions_epilog() -> str:
    """The actions of each kind, for `decide --help`."""
    width = max(len(kind) for kind in KINDS) + 2
    lines = [f"  {kind:<{width}}{' '.join(spec.name for spec in actions_for(kind))}" for kind in KINDS]
    return "\b\nActions by kind:\n" + "\n".join(lines)


@click.command("decide", epilog=actions_epilog())
@click.argument("request_id", type=RECORD_ID)
@click.argument("action", shell_complete=lambda ctx, param, incomplete: complete(action_names(), incomplete))
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
    from registrar.decisions.decide import Decision, decide

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
    show(render([row], list(row), fmt), nl=False)
    if outcome.warning:
        click.echo(f"registrar: warning: {outcome.warning}", err=True)
