"""Commands that read requests: list a queue, show one request."""

import click

from registrar.base.text import safe_text
from registrar.base.vocabulary import KIND_NAMES as KINDS
from registrar.base.vocabulary import KINDS as KIND_DEFINITIONS
from registrar.cli.output import json_text, output_options, render
from registrar.cli.output import show as show_data
from registrar.cli.support import RECORD_ID, Env, pass_env, say_if_cut
from registrar.reading import views

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


OPEN_STATES = sorted({state for kind in KIND_DEFINITIONS.values() for state in kind.open_states})


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
    show_data(render(rows[:limit], QUEUE_COLUMNS, fmt), nl=False)
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
    skip = {"history", "linked_crimes", "follow_up", "surviving_crime", "decider_evidence"}
    lines = [f"Request {detail['id']}: {detail['kind']} ({detail['state']}, version {detail['version']})"]
    for key, value in detail.items():
        if key not in skip and key not in ("id", "kind", "state", "version") and value not in (None, "", 0):
            lines.append(f"  {key}: {value}")
    for added in detail["decider_evidence"]:
        lines.append(f"  {added['field']} (the decider's, {added['by']} in entry #{added['seq']}): {added['value']}")
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
        lines.append(f"Victim follow-up: {views.victim_told(detail['follow_up'])}")
    lines.append("History:")
    lines += [
        f"  #{e['seq']} {e['at']} {e['actor']} ({e['role']}) {e['action']}"
        f" {e['from_state'] or ''}→{e['to_state'] or ''} {e['code'] or ''}\n      {e['rationale']}"
        for e in detail["history"]
    ]
    return "\n".join(lines)
