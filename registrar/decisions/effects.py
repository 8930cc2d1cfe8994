"""What each decision does to the crime records, planned (checked) before anything is written."""

import re
from collections.abc import Callable

from queries import sql
from registrar.base.clock import local_date, normalise
from registrar.base.errors import RuleRefused
from registrar.base.rows import RequestRow
from registrar.decisions import rules, seriousness
from registrar.decisions.actions import ACTIONS
from registrar.decisions.plans import Plan
from registrar.decisions.reopening import plan_reopen
from registrar.decisions.rules import RuleContext


def _reason(fields: dict, what: str) -> str:
    """Return the decision's `reason` field or refuse without one."""
    return rules.require_text(fields.get("reason"), "reason-required", f"{what} needs a reason")


def next_crime_reference(ctx: RuleContext) -> str:
    """Allocate the next free crime reference of this year, PREFIX-YYYY-NNNNNN, from a counter kept per year."""
    prefix = f"{ctx.settings.get('crime_reference_prefix') or 'CR'}-{ctx.now[:4]}-"
    row = ctx.conn.execute(sql("reference_counter_get"), (prefix,)).fetchone()
    number = row[0] if row else _highest_number(ctx, prefix)
    while True:
        number += 1
        reference = f"{prefix}{number:06d}"
        if ctx.conn.execute(sql("crime_by_reference"), (reference,)).fetchone() is None:
            break
    ctx.conn.execute(sql("reference_counter_set"), (prefix, number))
    return reference


def _highest_number(ctx: RuleContext, prefix: str) -> int:
    """The highest all-digit number already used after `prefix` (once per year, before the counter exists)."""
    highest = 0
    for (reference,) in ctx.conn.execute(sql("crime_references_with_prefix"), {"low": prefix, "high": prefix + "~"}):
        suffix = reference[len(prefix) :]
        if suffix.isascii() and suffix.isdigit():
            highest = max(highest, int(suffix))
    return highest


def create_crime(ctx: RuleContext, **values) -> tuple[int, str]:
    """Record a new crime here; return its id and reference."""
    reference = next_crime_reference(ctx)
    row = {
        "reference": reference,
        "recorded_at": ctx.now,
        "occurred_at": None,
        "area": None,
        "oic": None,
        "domestic_abuse": 0,
        "hate_crime": 0,
        "vulnerable_victim": 0,
        "summary": "",
        "transferred_force": None,
        "transferred_reference": None,
        **values,
    }
    cursor = ctx.conn.execute(sql("crime_insert"), row)
    return int(cursor.lastrowid or 0), reference


def _open_follow_up(ctx: RuleContext, request: RequestRow) -> None:
    """Start the 'victim informed' follow-up for a cancelled or transferred crime."""
    ctx.conn.execute(sql("follow_up_open"), (request["id"], request["crime_id"], ctx.now))


def plan_cancellation_approve(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Approve a cancellation: the crime is cancelled with its ground and the victim must be told."""
    evidence = rules.cancellation_evidence(ctx, request, fields)

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        ctx.conn.execute(
            sql("crime_cancel"),
            {
                "id": request["crime_id"],
                "code": evidence["ground"],
                "now": ctx.now,
                "surviving_crime_id": evidence.get("surviving_crime_id"),
                "transferred_force": None,
                "transferred_reference": None,
            },
        )
        _open_follow_up(ctx, request)
        if evidence.get("avi_shows"):
            ctx.conn.execute(
                sql("request_avi_set"),
                # the requester's kind of AVI stays theirs; a decider who judges it another kind has it in the ledger
                {
                    "request_id": request["id"],
                    "avi_type": request.get("avi_type") or evidence["avi_type"],
                    "shows": evidence["avi_shows"],
                },
            )
        return [str(request["crime_reference"])]

    record = {k: evidence.get(k) for k in ACTIONS["cancellation", "approve"].fields}
    details = {k: v for k, v in record.items() if v and k != "ground"}
    if not evidence["ground_confirmed"]:
        details["ground_unconfirmed"] = True
    return Plan(code=evidence["ground"], record=record, details=details, apply=apply)


def plan_cancellation_abroad(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Cancel a crime that happened outside the UK: its own path, with the evidence of where it happened."""
    rules.require_recorded(request)
    place = rules.require_text(fields.get("abroad_place"), "abroad-place", "say where the crime happened")
    evidence = rules.require_text(
        fields.get("abroad_evidence"), "abroad-evidence", "give the evidence that it happened there"
    )
    ground = str(ctx.settings.get("abroad_ground") or "C4")

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        ctx.conn.execute(
            sql("crime_cancel"),
            {
                "id": request["crime_id"],
                "code": ground,
                "now": ctx.now,
                "surviving_crime_id": None,
                "transferred_force": None,
                "transferred_reference": None,
            },
        )
        _open_follow_up(ctx, request)
        return [str(request["crime_reference"])]

    return Plan(
        code=ground,
        record={"ground": ground, "error_description": f"Happened abroad: {place}. {evidence}"},
        details={"abroad_place": place, "abroad_evidence": evidence, "ground": ground},
        apply=apply,
    )


def plan_reinstate(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Reinstate a wrongly cancelled crime; any open victim follow-up is closed as no longer needed."""
    if request["crime_state"] != "cancelled":
        raise RuleRefused("crime-state", f"{request['crime_reference']} is {request['crime_state']}, not cancelled")

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        ctx.conn.execute(sql("crime_reinstate"), {"id": request["crime_id"]})
        ctx.conn.execute(
            sql("follow_up_close"),
            {
                "now": ctx.now,
                "informed_on": None,
                "method": "not needed: reinstated",
                "actor": ctx.actor.username,
                "request_id": request["id"],
            },
        )
        return [str(request["crime_reference"])]

    return Plan(code=request["cancellation_code"], apply=apply)


def plan_reclassification_approve(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Approve a reclassification: the crime takes the proposed code; the direction is logged."""
    rules.require_recorded(request)
    proposed = rules.require_offence(ctx, fields.get("proposed_code") or request["proposed_code"], "proposed code")
    current = rules.require_offence(ctx, request["crime_offence_code"], "current code", retired_too=True)
    if proposed["code"] == current["code"]:
        raise RuleRefused("same-code", f"{request['crime_reference']} already has code {current['code']}")
    moved = seriousness.check_reclassification(ctx, current, proposed, str(request["crime_reference"]))

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        ctx.conn.execute(sql("crime_set_offence"), {"id": request["crime_id"], "code": proposed["code"]})
        return [str(request["crime_reference"])]

    return Plan(
        code=proposed["code"],
        record={"proposed_code": proposed["code"]},
        details={
            "from_code": current["code"],
            "to_code": proposed["code"],
            "direction": moved,
            "from_weight": current["severity"],
            "to_weight": proposed["severity"],
        },
        apply=apply,
    )


def plan_transfer_send(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Send a crime to the force whose area it happened in."""
    rules.require_recorded(request)
    force = rules.known_force(ctx, fields.get("force") or request["other_force"])
    return Plan(code=force, record={"force": force}, details={"force": force})


def plan_transfer_accepted(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Record the other force's acceptance: the crime is cancelled as C1 in the same transaction."""
    rules.require_recorded(request)
    force = rules.known_force(ctx, request["other_force"])
    reference = rules.require_text(
        fields.get("other_reference") or request["other_reference"],
        "other-reference",
        "an accepted transfer needs the receiving force's crime reference",
    )

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        ctx.conn.execute(
            sql("crime_cancel"),
            {
                "id": request["crime_id"],
                "code": "C1",
                "now": ctx.now,
                "surviving_crime_id": None,
                "transferred_force": force,
                "transferred_reference": reference,
            },
        )
        _open_follow_up(ctx, request)
        return [str(request["crime_reference"])]

    return Plan(
        code="C1",
        record={"other_reference": reference},
        details={"force": force, "other_reference": reference},
        apply=apply,
    )


def plan_transfer_disputed(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Record that the other force disputed the transfer, with their reason."""
    reason = _reason(fields, "a disputed transfer")
    return Plan(code=request["other_force"], record={"dispute_reason": reason}, details={"reason": reason})


def plan_transfer_in_accept(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Accept an inbound transfer: a crime is recorded here with our reference."""
    offence = rules.require_offence(ctx, fields.get("offence_code") or request["offence_code"], "offence code")
    seriousness.check_recorded_codes(ctx, [offence], request["offence_code"], "transferred")
    area = rules.known_area(ctx, fields.get("area"), request["area"])

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        crime_id, reference = create_crime(
            ctx,
            offence_code=offence["code"],
            area=area,
            summary=request["summary"],
            source="transfer_in",
            transferred_force=request["other_force"],
            transferred_reference=request["other_reference"],
        )
        ctx.conn.execute(sql("request_crime_link"), (request["id"], crime_id, "created"))
        ctx.conn.execute(sql("request_record_fields"), {**_NO_FIELDS, "id": request["id"], "crime_id": crime_id})
        return [reference]

    return Plan(
        code=offence["code"],
        record={"offence_code": offence["code"]},
        apply=apply,
        details={
            "from_force": request["other_force"],
            "their_reference": request["other_reference"],
            **seriousness.came_with(ctx, [offence], request["offence_code"]),
        },
    )


def plan_dispute(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Dispute an inbound transfer, with the reason sent back."""
    reason = _reason(fields, "disputing a transfer")
    return Plan(code=request["other_force"], record={"dispute_reason": reason}, details={"reason": reason})


def plan_referral_record(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Record one or more crimes disclosed by a referral and link them to it."""
    codes = fields.get("offences") or []
    if isinstance(codes, str):
        codes = [part for part in codes.replace(";", ",").split(",")]
    codes = [rules.as_text(code) for code in codes if rules.as_text(code)]
    if not codes:
        raise RuleRefused("offences-required", "recording needs at least one offence code")
    offences = [rules.require_offence(ctx, code, "offence code") for code in codes]
    seriousness.check_recorded_codes(ctx, offences, request["suggested_code"], "suggested")
    area = rules.known_area(ctx, fields.get("area"), request["area"])
    vulnerable = 1 if request["subject"] in ("child", "adult at risk") else 0

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        references = []
        for offence in offences:
            crime_id, reference = create_crime(
                ctx,
                offence_code=offence["code"],
                area=area,
                summary=request["summary"],
                source="referral",
                occurred_at=request["received_at"],
                vulnerable_victim=vulnerable,
            )
            ctx.conn.execute(sql("request_crime_link"), (request["id"], crime_id, "recorded"))
            references.append(reference)
        return references

    return Plan(
        code=",".join(o["code"] for o in offences),
        apply=apply,
        details={
            "offences": [o["code"] for o in offences],
            **seriousness.came_with(ctx, offences, request["suggested_code"]),
        },
    )


PROFESSIONAL_AGENCIES = frozenset({"CSC", "ASC", "EDU", "HEA"})
AT_RISK_SUBJECTS = frozenset({"child", "adult at risk"})


def _professional_report(ctx: RuleContext, request: RequestRow, closing_as: str) -> None:
    """A professional's report about a child or adult at risk is recorded on their word: only a senior closes it
    without a crime."""
    if (
        request["agency"] in PROFESSIONAL_AGENCIES
        and request["subject"] in AT_RISK_SUBJECTS
        and not ctx.actor.is_senior
    ):
        raise RuleRefused(
            "professional-report",
            f"a report from a professional agency ({request['agency']}) about a {request['subject']} is recorded on "
            f"the professional's word; closing it as {closing_as} because the victim or family will not engage is "
            "for fcr, dfcr or fcm, with a rationale: refer it",
        )


def plan_referral_no_crime(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Close a referral as disclosing no notifiable offence."""
    _professional_report(ctx, request, "no crime")
    rules.require_senior_for_serious(ctx, request["suggested_code"], "closing the referral as no crime")
    return Plan()


def plan_referral_cri(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Close a referral as a crime-related incident, with the reason it is not recorded."""
    _professional_report(ctx, request, "a crime-related incident")
    rules.require_senior_for_serious(ctx, request["suggested_code"], "closing the referral as a crime-related incident")
    reason = _reason(fields, "a crime-related incident")
    return Plan(record={"cri_reason": reason}, details={"reason": reason})


def plan_referral_duplicate(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Close a referral as already recorded, linking the existing crime."""
    reference = rules.require_text(
        fields.get("crime_reference"),
        "crime-reference",
        "a duplicate referral needs the reference of the crime already recorded",
    )
    crime = ctx.conn.execute(sql("crime_by_reference"), (reference,)).fetchone()
    if crime is None:
        raise RuleRefused("crime-reference", f"crime {reference} does not exist")
    if crime["state"] != "recorded":
        raise RuleRefused("crime-reference", f"crime {reference} is {crime['state']}, not recorded")

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        ctx.conn.execute(sql("request_crime_link"), (request["id"], crime["id"], "duplicate"))
        return [reference]

    return Plan(code=reference, apply=apply, details={"crime_reference": reference})


def plan_refer(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Refer an item up to the FCR or crime manager, optionally to one named person."""
    target = rules.referral_target(ctx, fields.get("referred_to"))
    return Plan(referred_to=target, details={"referred_to": target} if target else {})


def plan_answer(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """An answered return goes back where it was: pending, or referred up if it had been referred."""
    row = ctx.conn.execute(sql("ledger_state_before_return"), (request["id"],)).fetchone()
    return Plan(to_state=row[0] if row and row[0] == "referred" else "pending")


def plan_victim_informed(ctx: RuleContext, request: RequestRow, fields: dict) -> Plan:
    """Record that the victim was told of the cancellation or transfer, when and how."""
    if ctx.conn.execute(sql("follow_up_pending"), (request["id"],)).fetchone() is None:
        raise RuleRefused("victim-follow-up", f"request {request['id']} has no victim follow-up waiting")
    informed_on, method = rules.victim_contact(fields, local_date(ctx.now), local_date(request["closed_at"] or ctx.now))

    def apply(ctx: RuleContext, request: RequestRow) -> list[str]:
        ctx.conn.execute(
            sql("follow_up_close"),
            {
                "now": ctx.now,
                "informed_on": informed_on,
                "method": method,
                "actor": ctx.actor.username,
                "request_id": request["id"],
            },
        )
        return [str(request["crime_reference"])]

    return Plan(
        apply=apply,
        details={"informed_on": informed_on, "method": method},
        rationale=f"Victim informed by {method} on {informed_on}.",
    )


# Every column request_record_fields may set, left alone (NULL keeps the request's value) unless a plan sets it.
_NO_FIELDS = {name: None for name in re.findall(r":([a-z_]+)", sql("request_record_fields")) if name != "id"}

PLANNERS: dict[tuple[str, str], Callable[[RuleContext, RequestRow, dict], Plan]] = {
    ("cancellation", "approve"): plan_cancellation_approve,
    ("cancellation", "reinstate"): plan_reinstate,
    ("cancellation", "victim-informed"): plan_victim_informed,
    ("reclassification", "approve"): plan_reclassification_approve,
    ("transfer_out", "send"): plan_transfer_send,
    ("transfer_out", "accepted"): plan_transfer_accepted,
    ("transfer_out", "disputed"): plan_transfer_disputed,
    ("transfer_out", "victim-informed"): plan_victim_informed,
    ("transfer_in", "accept"): plan_transfer_in_accept,
    ("transfer_in", "dispute"): plan_dispute,
    ("referral", "record"): plan_referral_record,
    ("referral", "cri"): plan_referral_cri,
    ("referral", "no-crime"): plan_referral_no_crime,
    ("referral", "duplicate"): plan_referral_duplicate,
    ("cancellation", "abroad"): plan_cancellation_abroad,
    **{
        (kind, "reopen"): plan_reopen
        for kind in ("cancellation", "reclassification", "transfer_out", "transfer_in", "referral")
    },
}


def planner(kind: str, action: str) -> Callable[[RuleContext, RequestRow, dict], Plan]:
    """The planner for an action; actions that only move state get an empty plan."""
    if action == "refer":
        return plan_refer
    if action == "answer":
        return plan_answer
    return PLANNERS.get((kind, action), lambda ctx, request, fields: Plan())


# Plan record keys that name a request column differently.
_RECORD_COLUMNS = {"ground": "cancellation_code", "force": "other_force"}


def _same(held: object, value: object) -> bool:
    """True when a field's new value is what the request holds: times compared as times (a date typed as
    2026-11-29 is the 2026-11-29T00:00:00Z the plan writes)."""
    if held == value:
        return True
    if isinstance(held, str) and isinstance(value, str) and held[:10] == value[:10]:
        try:
            return normalise(held) == normalise(value)
        except ValueError:
            return False
    return False


def changed_fields(request: RequestRow, record: dict) -> dict:
    """The plan's fields that differ from what the request already holds (an unchanged row is not rewritten)."""
    return {
        name: value
        for name, value in record.items()
        if value is not None and not _same(request.get(_RECORD_COLUMNS.get(name, name)), value)
    }


def record_fields(request_id: int, record: dict) -> dict:
    """Parameters for request_record_fields: the plan's fields, every other column left alone."""
    return {**_NO_FIELDS, **{k: v for k, v in record.items() if v is not None}, "id": request_id}
