"""The one write path: every decision checked, compare-and-set, applied and logged in one transaction."""

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

from queries import sql
from registrar.access.identity import Actor
from registrar.base.errors import Conflict, NotFound, RuleRefused
from registrar.base.rows import RequestRow
from registrar.base.vocabulary import FIELDS, KINDS
from registrar.decisions import effects, rules
from registrar.decisions.actions import ACTIONS, ActionSpec, actions_for, is_closed
from registrar.decisions.rules import RuleContext
from registrar.intake.field_values import parse_fields
from registrar.storage import ledger

# Decision fields that stand in for the request's own value when the rules look at it.
_OVERRIDES = {f.name: f.request_column for f in FIELDS.values() if f.stands_in and f.request_column}


@dataclass(frozen=True)
class Decision:
    """One action on one request, with its fields and rationale."""

    request_id: int
    action: str
    rationale: str = ""
    fields: Mapping[str, object] = field(default_factory=dict)
    expected_version: int | None = None
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What a decision did: the state change, the crimes it touched and its ledger entry."""

    request_id: int
    kind: str
    action: str
    from_state: str
    to_state: str
    version: int
    crimes: list[str]
    seq: int
    warning: str | None = None


def load_request(conn: sqlite3.Connection, request_id: int) -> RequestRow:
    """Load a request with its crime's facts, or raise NotFound."""
    row = conn.execute(sql("request_for_decision"), (request_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no request {request_id}")
    return cast(RequestRow, dict(row))


def last_change(conn: sqlite3.Connection, request_id: int) -> sqlite3.Row | None:
    """The newest ledger entry about a request."""
    return conn.execute(sql("ledger_last_for_request"), (request_id,)).fetchone()


def _conflict(conn: sqlite3.Connection, request: RequestRow, reason: str) -> Conflict:
    """Build a conflict naming who changed the request last and when."""
    entry = last_change(conn, request["id"])
    if entry is None:
        return Conflict(f"request {request['id']} {reason}")
    return Conflict(
        f"request {request['id']} {reason}: {entry['actor']} ({entry['role']}) took '{entry['action']}' "
        f"at {entry['at']}, leaving it {entry['to_state']}",
        by=entry["actor"],
        at=entry["at"],
    )


def spec_for(request: RequestRow, action: str) -> ActionSpec:
    """The action's spec for this request's kind, refusing actions the kind does not have."""
    spec = ACTIONS.get((request["kind"], action))
    if spec is None:
        names = ", ".join(s.name for s in actions_for(request["kind"]))
        raise RuleRefused(
            "action", f"'{action}' is not an action for a {KINDS[request['kind']].label}; use one of {names}"
        )
    return spec


def check_fresh(conn: sqlite3.Connection, request: RequestRow, spec: ActionSpec, expected_version: int | None) -> None:
    """Raise a conflict when the request changed since it was read or is already closed."""
    if expected_version is not None and request["version"] != expected_version:
        raise _conflict(conn, request, "changed after you opened it")
    if is_closed(request["kind"], request["state"]) and request["state"] not in spec.from_states:
        raise _conflict(conn, request, f"is closed ({request['state']}) and is never decided again")


def plan(ctx: RuleContext, decision: Decision) -> tuple[RequestRow, ActionSpec, effects.Plan, str]:
    """Check every rule for a decision without writing; return the request, spec, plan and rationale."""
    request = load_request(ctx.conn, decision.request_id)
    spec = spec_for(request, decision.action)
    check_fresh(ctx.conn, request, spec, decision.expected_version)
    fields = parse_fields(ctx.conn, spec.fields, decision.fields)
    unknown = sorted(name for name, value in decision.fields.items() if value not in (None, "", [], ()))
    unknown = [name for name in unknown if name not in spec.fields]
    if unknown:
        raise RuleRefused(
            "field",
            f"{', '.join(unknown)} {'is not a field' if len(unknown) == 1 else 'are not fields'} of "
            f"'{spec.name}' (its fields: {', '.join(spec.fields) or 'none'}); nothing was decided",
        )
    seen = dict(request)
    seen["raised_proposed_code"] = request["proposed_code"]  # the rules judge the code proposed and the one chosen
    for field_name, column in _OVERRIDES.items():
        if field_name in spec.fields and fields.get(field_name):
            seen[column] = str(fields[field_name]).strip()
    rules.precheck(ctx, spec, cast(RequestRow, seen))
    checked = effects.planner(request["kind"], spec.name)(ctx, request, fields)
    rationale = decision.rationale
    if not rationale.strip() and checked.rationale:
        rationale = checked.rationale
    text = rules.check_rationale(ctx, rationale)
    if checked.details.get("avi_shows"):
        warning = rules.withdrawal_warning({**fields, "rationale": text, **requested_words(request)})
        if warning:
            checked.details["warning"] = warning
    return request, spec, checked, text


# What the requester wrote as evidence: a decision never rewrites it; a decider's own version is kept beside it.
REQUESTER_EVIDENCE = (
    "avi_type",
    "avi_description",
    "avi_source",
    "avi_obtained_at",
    "surviving_reference",
    "error_description",
)
# What the request came with: the code proposed or transferred stays as it came; the code chosen is in the ledger.
AS_RAISED = (*REQUESTER_EVIDENCE, "proposed_code", "offence_code")


def requested_words(request: RequestRow) -> dict[str, object]:
    """The requester's own words a withdrawal warning reads."""
    return {"requested_avi": request.get("avi_description"), "summary": request.get("summary")}


def split_evidence(changed: dict) -> tuple[dict, dict]:
    """The request fields a decision records, and the decider's own evidence, which stays out of the request's."""
    evidence = {name: value for name, value in changed.items() if name in AS_RAISED}
    return {name: value for name, value in changed.items() if name not in evidence}, evidence


def apply_decision(ctx: RuleContext, decision: Decision) -> Outcome:
    """Check and apply one decision inside an open write transaction."""
    request, spec, checked, rationale = plan(ctx, decision)
    to_state = checked.to_state or spec.to_state or request["state"]
    changed = ctx.conn.execute(
        sql("request_transition"),
        {
            "id": request["id"],
            "version": request["version"],
            "to_state": to_state,
            "closes": is_closed(request["kind"], to_state),
            "now": ctx.now,
            "referred_to": checked.referred_to,
        },
    ).rowcount
    if changed != 1:
        raise _conflict(ctx.conn, request, "was changed by someone else first")
    changed_fields, decider_evidence = split_evidence(effects.changed_fields(request, checked.record))
    if changed_fields:
        ctx.conn.execute(sql("request_record_fields"), effects.record_fields(request["id"], changed_fields))
    crimes = checked.apply(ctx, request) if checked.apply else []
    details = dict(checked.details)
    details.update(decision.details)
    if decider_evidence:
        details["decider_evidence"] = decider_evidence
    if crimes and crimes != [request["crime_reference"]]:
        details["crimes"] = crimes
    head = ledger.append(
        ctx.conn,
        at=ctx.now,
        actor=ctx.actor,
        action=spec.name,
        rationale=rationale,
        request_id=request["id"],
        crime_reference=request["crime_reference"] or (crimes[0] if crimes else None),
        from_state=request["state"],
        to_state=to_state,
        code=checked.code,
        details=details,
    )
    return Outcome(
        request["id"],
        request["kind"],
        spec.name,
        request["state"],
        to_state,
        request["version"] + 1,
        crimes,
        head.seq,
        details.get("warning"),
    )


def decide(store, actor: Actor, decision: Decision) -> Outcome:
    """Apply one decision in its own BEGIN IMMEDIATE transaction."""
    with store.acting(actor) as (conn, actor):
        ctx = RuleContext(conn, store.settings(), actor, store.now())
        return apply_decision(ctx, decision)


@dataclass(frozen=True)
class ActionVerdict:
    """Whether this user may take an action on this request now, and if not, why."""

    spec: ActionSpec
    refusal: str | None

    @property
    def allowed(self) -> bool:
        """True when every rule that does not depend on the decision's fields passes."""
        return self.refusal is None


def action_verdicts(store, actor: Actor, request_id: int) -> list[ActionVerdict]:
    """What the rules say for this user about each action of this request."""
    request = load_request(store.conn, request_id)
    ctx = RuleContext(store.conn, store.settings(), actor, store.now())
    verdicts = []
    for spec in actions_for(request["kind"]):
        try:
            rules.precheck(ctx, spec, request)
        except RuleRefused as refusal:
            verdicts.append(ActionVerdict(spec, refusal.reason))
        else:
            verdicts.append(ActionVerdict(spec, None))
    return verdicts
