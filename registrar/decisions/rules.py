"""The rules of who may decide what, each refusing with a message that names it."""

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date

from queries import sql
from registrar.access.identity import Actor
from registrar.base.clock import normalise
from registrar.base.errors import RuleRefused
from registrar.base.rows import RequestRow
from registrar.base.text import text_fault
from registrar.base.vocabulary import FINAL_SAY_ROLES, KINDS, SENIOR_ROLES, a_role, role_list
from registrar.decisions import templates
from registrar.decisions.actions import ActionSpec

VICTIM_WITHDRAWAL = re.compile(
    r"\b(withdr\w*|unwilling|not willing|(does|did|do)(n't| not) (want|wish)|no longer|declin\w*|refus\w*)"
    r"\s+(\w+\s+){0,4}(support|proceed|prosecut\w*|complain\w*|statement|assist|engage|pursue|go ahead)\w*"
    r"|\bretract\w*",
    re.IGNORECASE,
)
REFERRAL_FLAGS = {"vulnerable_victim": ("child", "adult at risk")}
CONTACT_METHODS = ("phone", "letter", "email", "in person", "text", "video call", "other")


@dataclass(frozen=True)
class RuleContext:
    """What every rule may look at: the store, the settings, the actor and the time."""

    conn: sqlite3.Connection
    settings: dict
    actor: Actor
    now: str
    offences: dict = field(default_factory=dict, compare=False)


def as_text(value: object) -> str:
    """A field value as stripped text ('' for None)."""
    return "" if value is None else str(value).strip()


def offence(ctx: RuleContext, code: str) -> sqlite3.Row | None:
    """The offence row for a Home Office code, or None; the table is read once per context."""
    if not ctx.offences:
        ctx.offences.update((row["code"], row) for row in ctx.conn.execute(sql("reference_offences")))
    return ctx.offences.get(code)


def require_offence(ctx: RuleContext, code: object, what: str, retired_too: bool = False) -> sqlite3.Row:
    """Return the offence for `code`, refusing an unknown code, or a retired one unless a crime already holds it."""
    row = offence(ctx, as_text(code)) if as_text(code) else None
    if row is None:
        raise RuleRefused("offence-code", f"{what} {as_text(code)!r} is not a Home Office offence code in this store")
    if row["retired_at"] and not retired_too:
        raise RuleRefused(
            "offence-code", f"{what} {row['code']} was retired on {row['retired_at'][:10]}; choose a current code"
        )
    return row


def restricted_code(ctx: RuleContext, code: str | None) -> bool:
    """True when `code` is on the store's restricted-offence list."""
    row = offence(ctx, code) if code else None
    return bool(row and row["restricted"])


def restricted_item(ctx: RuleContext, request: RequestRow) -> str | None:
    """Say why a request's crime counts as restricted, or None when it does not."""
    code = {
        "transfer_in": request["offence_code"],
        "referral": request["suggested_code"],
    }.get(request["kind"], request["crime_offence_code"])
    if restricted_code(ctx, code):
        return f"{code} is a restricted offence"
    return restricted_flag(ctx, request)


def restricted_flag(ctx: RuleContext, request: RequestRow) -> str | None:
    """Say which flag the FCR made restricted this request's crime (or referral subject) carries, if any."""
    for flag in ctx.settings.get("restricted_flags") or []:
        flagged = request.get(f"crime_{flag}")
        if request["kind"] == "referral":
            flagged = request.get("subject") in REFERRAL_FLAGS.get(flag, ()) or (
                flag == "domestic_abuse" and request.get("agency") == "DAS"
            )
        if flagged:
            return f"it is flagged {flag.replace('_', ' ')}, which the FCR has made restricted"
    return None


def check_role(ctx: RuleContext, spec: ActionSpec, request: RequestRow) -> None:
    """Refuse when the actor's role may not take this action on this request."""
    actor = ctx.actor
    if actor.role not in spec.roles:
        raise RuleRefused(
            "role",
            f"{a_role(actor.role)} may not take '{spec.title}' on a {KINDS[request['kind']].label}; that is for "
            f"{role_list(spec.roles)}",
        )
    if actor.role == "requester" and spec.name in ("withdraw", "answer"):
        if request["requested_by"] != actor.username:
            raise RuleRefused("own-request", f"a requester may {spec.name} only requests they raised")
        if request["state"] not in ("pending", "returned"):
            raise RuleRefused(
                "state", f"a requester may withdraw only pending or returned requests, not {request['state']} ones"
            )


def check_referred_up(ctx: RuleContext, spec: ActionSpec, request: RequestRow) -> None:
    """Refuse a designated decision maker acting on an item referred up to the FCR or crime manager."""
    if request["state"] == "referred" and not ctx.actor.is_senior and ctx.actor.role != "requester":
        raise RuleRefused(
            "referred-up",
            f"request {request['id']} was referred up; only fcr, dfcr or fcm may {spec.name} it now",
        )


def check_independence(ctx: RuleContext, request: RequestRow) -> None:
    """Refuse a decision by the request's requester or the crime's officer in charge (not the clerk who entered it)."""
    username = ctx.actor.username
    if username == request["requested_by"]:
        raise RuleRefused("independence", f"you raised request {request['id']}; someone independent must decide it")
    if request.get("crime_oic") and request["crime_oic"] == username:
        raise RuleRefused(
            "independence",
            f"you are the officer in charge of {request['crime_reference']}; someone independent must decide it",
        )


def check_restricted(ctx: RuleContext, spec: ActionSpec, request: RequestRow) -> None:
    """Refuse a designated decision maker deciding a restricted item; they may refer it."""
    if ctx.actor.is_senior:
        return
    if request["kind"] == "reclassification":
        current = request["crime_offence_code"]
        proposed = request["proposed_code"]
        if spec.name == "approve" and restricted_code(ctx, current) and not restricted_code(ctx, proposed):
            raise RuleRefused(
                "restricted-downgrade",
                f"moving {request['crime_reference']} out of the restricted class ({current} to {proposed}) "
                "is a downgrade only fcr, dfcr or fcm may approve; you may refer it to the FCR",
            )
        raised = str(request.get("raised_proposed_code") or proposed or "")
        if raised != proposed and restricted_code(ctx, raised):
            raise RuleRefused(
                "restricted-offence",
                f"this reclassification was proposed as {raised}, a restricted offence: it is decided only by fcr, "
                "dfcr or fcm, whatever code you choose; you may refer it to the FCR",
            )
        if restricted_code(ctx, current) or restricted_code(ctx, proposed):
            raise RuleRefused(
                "restricted-offence",
                f"a reclassification involving a restricted offence ({current} to {proposed}) is decided only by "
                "fcr, dfcr or fcm; you may refer it to the FCR",
            )
        flagged = restricted_flag(ctx, request)
        if flagged:
            raise RuleRefused(
                "restricted-offence",
                f"{flagged}; only fcr, dfcr or fcm decide it; you may refer it to the FCR",
            )
        return
    why = restricted_item(ctx, request)
    if why:
        hint = "; you may refer it to the FCR" if request["state"] == "pending" else ""
        raise RuleRefused(
            "restricted-offence",
            f"{why}; only fcr, dfcr or fcm decide it{hint}",
        )


def precheck(ctx: RuleContext, spec: ActionSpec, request: RequestRow) -> None:
    """Every rule that depends on who acts and on the request, not on the decision's fields."""
    if request["state"] not in spec.from_states:
        starts = ", ".join(sorted(spec.from_states))
        raise RuleRefused("state", f"request {request['id']} is {request['state']}; {spec.name} needs it {starts}")
    check_role(ctx, spec, request)
    decider_withdrawal = spec.name == "withdraw" and ctx.actor.role != "requester"
    if spec.decision or spec.name == "return" or decider_withdrawal:
        check_referred_up(ctx, spec, request)
    if spec.decision or decider_withdrawal:
        check_independence(ctx, request)
    if decider_withdrawal and request["kind"] in ("referral", "transfer_in") and not ctx.actor.is_senior:
        raise RuleRefused(
            "withdraw",
            f"a {KINDS[request['kind']].label} is recorded, or closed with its reason (a ddm may not withdraw it, "
            "which would close it with neither); only its requester, fcr, dfcr or fcm withdraw it",
        )
    if spec.guarded:
        check_restricted(ctx, spec, request)


def check_rationale(ctx: RuleContext, rationale: str) -> str:
    """Refuse a missing, too short or untouched-template rationale; return it stripped."""
    text = rationale.strip()
    minimum = int(ctx.settings.get("rationale_min_length") or 1)
    fault = text_fault(text)
    if fault:
        raise RuleRefused("rationale-text", f"the rationale {fault}")
    if not text:
        raise RuleRefused("rationale-required", "every decision needs a rationale saying why")
    own = templates.own_words(text)
    if len(own) < minimum:
        raise RuleRefused(
            "rationale-too-short",
            f"the rationale has {len(own)} characters of your own (a template's words do not count); "
            f"this store asks for at least {minimum}",
        )
    left = templates.unfilled_placeholders(text)
    if left:
        raise RuleRefused(
            "rationale-template",
            f"the rationale still has the template's prompt {left[0]}; replace it with this case's facts",
        )
    return text


def known_area(ctx: RuleContext, value: object, fallback: str | None) -> str | None:
    """Return a local policing area the store knows (or the fallback when none is given), refusing others."""
    area = as_text(value)
    if not area:
        return fallback
    row = ctx.conn.execute(sql("area_get"), (area,)).fetchone()
    if row is None or row["retired_at"]:
        raise RuleRefused("area", f"{area!r} is not a current local policing area of this force")
    return area


def require_text(value: object, rule: str, message: str) -> str:
    """Return `value` as non-empty text or refuse with the named rule."""
    text = as_text(value)
    if not text:
        raise RuleRefused(rule, message)
    return text


def require_recorded(request: RequestRow) -> None:
    """Refuse when the request's crime is no longer recorded."""
    if request["crime_state"] != "recorded":
        raise RuleRefused("crime-state", f"{request['crime_reference']} is {request['crime_state']}, not recorded")


def cancellation_evidence(ctx: RuleContext, request: RequestRow, fields: dict) -> dict:
    """Check the ground and the evidence it needs; return the evidence to store."""
    ground = as_text(fields.get("ground") or request["cancellation_code"]).upper()
    if not ground:
        raise RuleRefused("ground-required", "approval needs a cancellation ground (C2 to C5)")
    code = ctx.conn.execute(sql("cancellation_code_get"), (ground,)).fetchone()
    if code is None:
        raise RuleRefused("ground-unknown", f"{ground} is not a cancellation code in this store")
    if not code["confirmed"]:
        raise RuleRefused(
            "ground-unconfirmed",
            f"{ground} is not confirmed in the current counting rules, so it cannot be used until the FCR confirms it "
            f"(`registrar reference ground {ground} --confirmed`)",
        )
    require_recorded(request)
    evidence: dict = {
        name: as_text(fields.get(name)) or request.get(name)
        for name in ("avi_description", "avi_source", "avi_obtained_at", "surviving_reference", "error_description")
    }
    needs = code["needs"]
    if needs == "accepted_transfer":
        raise RuleRefused(
            "c1-transfer-only",
            f"{ground} is applied only when a transfer out is accepted with the receiving force's reference; "
            "raise a transfer out instead",
        )
    if needs == "avi":
        evidence.update(_avi(ctx, request, fields, ground, evidence))
    if needs == "surviving_crime":
        reference = require_text(
            evidence["surviving_reference"], "surviving-crime", f"{ground} needs the reference of the surviving crime"
        )
        surviving = ctx.conn.execute(sql("crime_by_reference"), (reference,)).fetchone()
        if surviving is None:
            raise RuleRefused("surviving-crime", f"surviving crime {reference} does not exist")
        if surviving["id"] == request["crime_id"]:
            raise RuleRefused("surviving-crime", "a crime cannot be a duplicate of itself")
        if surviving["state"] != "recorded":
            raise RuleRefused("surviving-crime", f"surviving crime {reference} is {surviving['state']}, not recorded")
        _check_not_a_hidden_downgrade(ctx, request, surviving)
        evidence["surviving_crime_id"] = surviving["id"]
    if needs == "error_description":
        require_text(evidence["error_description"], "error-description", f"{ground} needs a description of the error")
    if needs in ("surviving_crime", "error_description"):
        require_senior_for_serious(ctx, request["crime_offence_code"], f"cancelling it as {ground}")
    evidence["ground"] = ground
    evidence["ground_confirmed"] = bool(code["confirmed"])
    return evidence


def _avi(ctx: RuleContext, request: RequestRow, fields: dict, ground: str, evidence: dict) -> dict:
    """Check the AVI by what it is: its kind, source and date, and the decider's answer that it shows no crime."""
    avi_type = as_text(fields.get("avi_type") or request.get("avi_type"))
    missing = [
        label
        for value, label in (
            (evidence["avi_description"], "what it is"),
            (avi_type, "what kind it is"),
            (evidence["avi_source"], "where it came from"),
            (evidence["avi_obtained_at"], "when it was obtained"),
        )
        if not as_text(value)
    ]
    if missing:
        raise RuleRefused(
            "avi-required", f"{ground} needs the additional verifiable information: {', '.join(missing)} is missing"
        )
    obtained_at = _avi_date(ctx, request, as_text(evidence["avi_obtained_at"]))
    shows = as_text(fields.get("avi_shows"))
    if not shows:
        raise RuleRefused(
            "avi-shows-required",
            "say what the AVI shows: no-crime (it shows the crime did not happen) or victim-unsupportive "
            "(it shows only that the victim does not support police action)",
        )
    if shows == "victim-unsupportive":
        raise RuleRefused(
            "avi-victim-only",
            "information that shows only that the victim does not support police action is not AVI: the crime stays "
            "recorded; close it with outcome 14 or 16 (evidential difficulties, the victim does not support) instead",
        )
    return {"avi_obtained_at": obtained_at, "avi_type": avi_type, "avi_shows": shows}


# The texts a withdrawal warning reads, and how it names each: the requester's and the decider's words alike.
WARNING_TEXTS = {
    "avi_description": "the AVI's description",
    "avi_source": "the AVI's source",
    "rationale": "the rationale",
    "requested_avi": "the AVI as raised",
    "summary": "the request's summary",
}


def withdrawal_warning(texts: dict[str, object]) -> str | None:
    """A warning, never a refusal, when any of these words read like a victim withdrawing support."""
    named = [label for name, label in WARNING_TEXTS.items() if VICTIM_WITHDRAWAL.search(as_text(texts.get(name)))]
    if not named:
        return None
    return (
        f"{' and '.join(named)} {'mentions' if len(named) == 1 else 'mention'} the victim withdrawing or declining; "
        "a cancellation needs information that shows no crime happened, not the victim's unwillingness (that is "
        "outcome 14 or 16, and the crime stays recorded)"
    )


def _avi_date(ctx: RuleContext, request: RequestRow, text: str) -> str:
    """The AVI's date as store text: a real date, not in the future, and not before the crime was reported."""
    try:
        when = normalise(text)
    except ValueError:
        raise RuleRefused("avi-date", f"when the AVI was obtained, {text!r}, is not a date (YYYY-MM-DD)") from None
    if when > ctx.now:
        raise RuleRefused("avi-date", f"the AVI is dated {when[:10]}, in the future")
    reported = ctx.conn.execute(sql("crime_recorded_at"), (request["crime_id"],)).fetchone()
    if reported is not None and when[:10] < reported[0][:10]:
        raise RuleRefused(
            "avi-not-additional",
            f"the AVI was obtained on {when[:10]}, before the crime was reported on {reported[0][:10]}: "
            "information the police had already is not additional",
        )
    return when


def serious_code(ctx: RuleContext, code: str | None) -> bool:
    """True for a restricted offence or one of the serious classes in the `serious_codes` setting."""
    return bool(code) and (code in (ctx.settings.get("serious_codes") or []) or restricted_code(ctx, code))


def require_senior_for_serious(ctx: RuleContext, code: str | None, what: str) -> None:
    """Refuse a designated decision maker taking a serious crime out of the figures or its class."""
    if serious_code(ctx, code) and not ctx.actor.is_senior:
        raise RuleRefused(
            "serious-downgrade",
            f"{code} is a serious class (homicide, attempted murder, modern slavery or restricted): {what} needs fcr, "
            "dfcr or fcm; "
            "you may refer it",
        )


def _check_not_a_hidden_downgrade(ctx: RuleContext, request: RequestRow, surviving: sqlite3.Row) -> None:
    """A C3 survivor must be at least as serious as the crime cancelled, else only the FCR or deputy may decide."""
    if ctx.actor.role in FINAL_SAY_ROLES:
        return
    cancelled = offence(ctx, str(request["crime_offence_code"]))
    kept = offence(ctx, surviving["offence_code"])
    if cancelled is None or kept is None:
        return
    if kept["severity"] < cancelled["severity"] or (cancelled["restricted"] and not kept["restricted"]):
        raise RuleRefused(
            "hidden-downgrade",
            f"{request['crime_reference']} ({cancelled['code']} {cancelled['name']}) would be cancelled as part of "
            f"{surviving['reference']} ({kept['code']} {kept['name']}), a less serious crime: that hides a downgrade, "
            "so only fcr or dfcr may approve it",
        )


def known_force(ctx: RuleContext, code: object) -> str:
    """Return a force code known to the store and not this force's own, or refuse loudly."""
    force = require_text(code, "force-required", "a transfer needs the other force's code")
    if ctx.conn.execute(sql("force_get"), (force,)).fetchone() is None:
        raise RuleRefused(
            "unknown-force",
            f"{force!r} is not a force code in this store; check the code (see `registrar reference forces`)",
        )
    if force == ctx.settings.get("force_code"):
        raise RuleRefused("own-force", f"{force} is this force; a transfer goes to another force")
    return force


def referral_target(ctx: RuleContext, username: object) -> str | None:
    """Return the named senior user an item is referred to, or None for anyone senior."""
    name = as_text(username)
    if not name:
        return None
    row = ctx.conn.execute(sql("user_get"), (name,)).fetchone()
    if row is None or not row["active"] or row["role"] not in SENIOR_ROLES:
        raise RuleRefused("referred-to", f"{name!r} is not an active {role_list(SENIOR_ROLES)} user")
    return name


def victim_contact(fields: dict, today: str, decided_on: str) -> tuple[str, str]:
    """Check the date (a UK calendar day: not before the decision's, not after today's) and method of telling the victim."""
    informed_on = as_text(fields.get("informed_on")) or today
    try:
        when = date.fromisoformat(informed_on)
    except ValueError:
        raise RuleRefused("informed-on", f"{informed_on!r} is not a date (YYYY-MM-DD)") from None
    if when.isoformat() > today:
        raise RuleRefused("informed-on", f"{informed_on} is in the future")
    if when.isoformat() < decided_on:
        raise RuleRefused("informed-on", f"{informed_on} is before the decision on {decided_on}")
    method = as_text(fields.get("method")).lower()
    if method not in CONTACT_METHODS:
        raise RuleRefused("method", f"say how the victim was told: one of {', '.join(CONTACT_METHODS)}")
    return when.isoformat(), method
