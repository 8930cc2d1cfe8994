"""The FCR's final say: reopening a closed decision, with the crimes moved back in the same transaction."""

import json

from queries import sql
from registrar.base.errors import RuleRefused
from registrar.base.rows import RequestRow
from registrar.decisions.plans import Plan
from registrar.decisions.rules import RuleContext, as_text, require_text

# The reopening that undoes each decision a dip-sample may disagree with, by kind and the decision's action.
MATCHING_REOPENING = {
    ("cancellation", "approve"): "reinstate",
    ("cancellation", "reject"): "reopen",
    ("reclassification", "approve"): "reopen",
    ("reclassification", "reject"): "reopen",
    ("transfer_out", "accepted"): "reopen",
    ("transfer_out", "reject"): "reopen",
    ("transfer_in", "dispute"): "reopen",
    ("referral", "cri"): "reopen",
    ("referral", "no-crime"): "reopen",
    ("referral", "duplicate"): "reopen",
}
# What a reopening does, in a sentence, by kind and the state it starts from.
REOPENING_EFFECT = {
    ("cancellation", "approved"): "reinstates the crime",
    ("cancellation", "rejected"): "reopens the request, referred to you to decide again",
    ("reclassification", "approved"): "puts the crime back to its previous code",
    ("reclassification", "rejected"): "reopens the request, referred to you to decide again",
    ("transfer_out", "accepted"): "takes the crime back: it is recorded here again",
    ("transfer_out", "rejected"): "reopens the request, referred to you to decide again",
    ("transfer_in", "disputed"): "reopens the transfer, referred to you to accept",
    ("referral", "cri"): "reopens the referral, referred to you to record",
    ("referral", "no_crime"): "reopens the referral, referred to you to record",
    ("referral", "duplicate"): "reopens the referral, referred to you to record",
}


def _decided(ctx: RuleContext, request: RequestRow, action: str) -> dict:
    """The details of the decision being reopened."""
    row = ctx.conn.execute(
        sql("ledger_last_action_for_request"), {"request_id": request["id"], "action": action}
    ).fetchone()
    if row is None:
        raise RuleRefused("reopen", f"request {request['id']} has no '{action}' decision to reopen")
    return json.loads(row["details"])


def plan_reopen(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Reopen a closed decision: referred to whoever reopened it (the FCR's final say, not a ddm's to close again), or,
    where the decision changed a crime, the change undone."""
    key = (request["kind"], request["state"])
    if key not in REOPENING_EFFECT:
        raise RuleRefused("reopen", f"a {request['state']} {request['kind']} is not reopened this way")
    reason = as_text(fields.get("reason")) or None
    if key == ("cancellation", "approved"):
        return _reinstate(request, reason)
    if key == ("reclassification", "approved"):
        return _reverse_reclassification(ctx, request, reason)
    if key == ("transfer_out", "accepted"):
        return _take_back_transfer(request, reason)

    if request["kind"] in ("cancellation", "reclassification", "transfer_out") and request["crime_state"] != "recorded":
        raise RuleRefused(
            "reopen",
            f"{request['crime_reference']} is {request['crime_state']} now: it changed since; decide it afresh instead",
        )

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        if request["kind"] == "referral":
            ctx.conn.execute(sql("request_crime_unlink_duplicate"), (request["id"],))
        return []

    return Plan(
        to_state="referred",
        referred_to=ctx.actor.username,
        apply=apply,
        details={"reopened_from": request["state"], "reason": reason, "referred_to": ctx.actor.username},
    )


def _reverse_reclassification(ctx: RuleContext, request: RequestRow, reason: str | None) -> Plan:
    """Put the crime back to the code it had before the approved reclassification."""
    decided = _decided(ctx, request, "approve")
    previous, given = decided.get("from_code"), decided.get("to_code")
    previous = require_text(previous, "reopen", "the approval does not say which code the crime had before")
    if request["crime_offence_code"] != given:
        raise RuleRefused(
            "reopen",
            f"{request['crime_reference']} is now {request['crime_offence_code']}, not {given}: it changed since; "
            "raise a new reclassification instead",
        )

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        ctx.conn.execute(sql("crime_set_offence"), {"id": request["crime_id"], "code": previous})
        return [str(request["crime_reference"])]

    return Plan(
        code=previous,
        to_state="reversed",
        apply=apply,
        details={"reopened_from": "approved", "from_code": given, "to_code": previous, "reason": reason},
    )


def _reinstate(request: RequestRow, reason: str | None) -> Plan:
    """Reopening an approved cancellation reinstates its crime, as `reinstate` does."""
    if request["crime_state"] != "cancelled":
        raise RuleRefused("crime-state", f"{request['crime_reference']} is {request['crime_state']}, not cancelled")

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        ctx.conn.execute(sql("crime_reinstate"), {"id": request["crime_id"]})
        _close_follow_up(ctx, request, "not needed: reinstated")
        return [str(request["crime_reference"])]

    return Plan(code=request["cancellation_code"], to_state="reinstated", apply=apply, details={"reason": reason})


def _close_follow_up(ctx: RuleContext, request: RequestRow, why: str) -> None:
    """Close the victim follow-up a reopening makes unnecessary."""
    ctx.conn.execute(
        sql("follow_up_close"),
        {"now": ctx.now, "informed_on": None, "method": why, "actor": ctx.actor.username, "request_id": request["id"]},
    )


def _take_back_transfer(request: RequestRow, reason: str | None) -> Plan:
    """Reinstate a crime cancelled as C1 by an accepted transfer: it is recorded here again."""
    if request["crime_state"] != "cancelled":
        raise RuleRefused("crime-state", f"{request['crime_reference']} is {request['crime_state']}, not cancelled")

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        ctx.conn.execute(sql("crime_reinstate"), {"id": request["crime_id"]})
        _close_follow_up(ctx, request, "not needed: transfer reopened")
        return [str(request["crime_reference"])]

    return Plan(to_state="reversed", apply=apply, details={"reopened_from": "accepted", "reason": reason})
