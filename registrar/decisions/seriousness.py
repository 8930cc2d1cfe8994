"""One seriousness order over every offence code (the store's weights), read by every door that chooses a code."""

import sqlite3
from collections.abc import Mapping, Sequence

from registrar.base.errors import RuleRefused
from registrar.decisions.rules import RuleContext, offence, serious_code

Offence = Mapping | sqlite3.Row  # an offences row: code, name, severity, restricted


def direction(current: Offence, proposed: Offence) -> str:
    """Which way a change of code moves a crime: up, down or lateral by the two codes' weights."""
    if proposed["severity"] > current["severity"]:
        return "up"
    return "down" if proposed["severity"] < current["severity"] else "lateral"


def describe(row: Offence) -> str:
    """A code as a registrar reads it: '8N Assault with injury (weight 203)'."""
    return f"{row['code']} {row['name']} (weight {row['severity']})"


def check_reclassification(ctx: RuleContext, current: Offence, proposed: Offence, reference: str) -> str:
    """The direction of a reclassification; moving a serious crime down (inside its class too) or out of the serious
    classes at all (even to a heavier code, from which a second step could go down unchecked) needs a senior."""
    moved = direction(current, proposed)
    leaves_class = serious_code(ctx, current["code"]) and not serious_code(ctx, proposed["code"])
    if (moved == "down" or leaves_class) and serious_code(ctx, current["code"]) and not ctx.actor.is_senior:
        raise RuleRefused(
            "serious-downgrade",
            f"{current['code']} is a serious class (homicide, attempted murder, modern slavery or restricted): "
            f"reclassifying {reference} from {describe(current)} to {describe(proposed)} "
            f"({'out of the serious classes' if leaves_class and moved != 'down' else 'down'}) needs fcr, dfcr or fcm; "
            "you may refer it",
        )
    return moved


def check_recorded_codes(ctx: RuleContext, chosen: Sequence[Offence], expected: str | None, source: str) -> None:
    """A designated decision maker records what was `source` (suggested, transferred) or something more serious,
    never a restricted offence (those are for fcr, dfcr or fcm), and never a serious class as something outside it."""
    if ctx.actor.is_senior:
        return
    restricted = [row["code"] for row in chosen if row["restricted"]]
    if restricted:
        raise RuleRefused(
            "restricted-offence",
            f"{', '.join(restricted)} {'is a restricted offence' if len(restricted) == 1 else 'are restricted offences'}"
            ": recording one is for fcr, dfcr or fcm; you may refer it to the FCR",
        )
    named = offence(ctx, expected) if expected else None
    if named is None:
        return
    most = max(chosen, key=lambda row: row["severity"])
    if serious_code(ctx, named["code"]) and not any(serious_code(ctx, row["code"]) for row in chosen):
        raise RuleRefused(
            "record-downgrade",
            f"the code {source} is {describe(named)}, a serious class; recording it as something outside the serious "
            "classes is for fcr, dfcr or fcm: record it as a serious code, or refer it",
        )
    if most["severity"] < named["severity"]:
        raise RuleRefused(
            "record-downgrade",
            f"the code {source} is {describe(named)}; recording {describe(most)} instead is less serious, and only "
            "fcr, dfcr or fcm may record a crime below the code it came with: record it as that code or something "
            "more serious, or refer it",
        )


def came_with(ctx: RuleContext, chosen: Sequence[Offence], expected: str | None) -> dict:
    """For the ledger: the code a recording came with and the weights, so a recording below it reads as a downgrade."""
    named = offence(ctx, expected) if expected else None
    if named is None:
        return {}
    return {
        "came_with_code": named["code"],
        "came_with_weight": named["severity"],
        "recorded_weight": max(row["severity"] for row in chosen),
    }
