"""What a decision will do, in one line, before it is saved (the workbench shows it under the rationale)."""

from collections.abc import Mapping

from registrar.decisions.reopening import REOPENING_EFFECT
from registrar.decisions.rules import withdrawal_warning
from registrar.decisions.seriousness import direction

CANCELLATION_NOTES = {
    "C2": "; the victim must then be told",
    "C5": "; the victim must then be told",
    "C3": ", part of the surviving crime, which stays recorded",
    "C4": ", recorded in error",
}


def preview(request: Mapping, action: str, fields: Mapping, offences: Mapping[str, Mapping] | None = None) -> str:
    """One line saying what saving this decision does to the request and its crimes (`offences` by code, for the
    titles and the direction of a reclassification)."""
    crime = request.get("crime_reference") or "the crime"
    kind = request["kind"]
    ground = fields.get("ground") or request.get("cancellation_code") or "?"
    codes = fields.get("offences") or []
    if isinstance(codes, str):
        codes = [code.strip() for code in codes.replace(";", ",").split(",") if code.strip()]
    effects = {
        ("cancellation", "approve"): f"cancels {crime} as {ground}" + CANCELLATION_NOTES.get(ground, ""),
        ("cancellation", "reinstate"): f"reinstates {crime} in the recorded figures",
        ("reclassification", "approve"): reclassifies(
            crime,
            request.get("crime_offence_code"),
            fields.get("proposed_code") or request.get("proposed_code"),
            offences,
        ),
        (
            "transfer_out",
            "send",
        ): f"sends {crime} to {fields.get('force') or request.get('other_force')}; it stays recorded",
        ("transfer_out", "accepted"): f"cancels {crime} as C1, transferred (their reference "
        f"{fields.get('other_reference') or request.get('other_reference') or '?'})",
        (
            "transfer_in",
            "accept",
        ): f"records a new crime here as {fields.get('offence_code') or request.get('offence_code')}",
        ("referral", "record"): (
            f"records {len(codes)} crime{'s' if len(codes) != 1 else ''}: {', '.join(codes)}"
            if codes
            else "records the crimes you list (none yet)"
        ),
        ("cancellation", "abroad"): f"cancels {crime}: it happened abroad (filed under the abroad_ground setting)",
        ("referral", "cri"): "closes the referral as a crime-related incident: no crime is recorded",
        ("referral", "no-crime"): "closes the referral as disclosing no notifiable crime: no crime is recorded",
        ("referral", "duplicate"): f"closes the referral as already recorded in {fields.get('crime_reference') or '?'}",
    }
    if action == "reopen":
        effects[(kind, action)] = REOPENING_EFFECT.get((kind, str(request.get("state"))), "reopens the decision")
    effect = effects.get((kind, action), "moves the request on; no crime changes")
    return f"Saving {effect}."


def reclassifies(crime: str, current: object, proposed: object, offences: Mapping[str, Mapping] | None) -> str:
    """'reclassifies CR-1 from 105A Assault without injury to 105B Racially or ... (up, weight 13 to 25)'."""
    known = offences or {}
    before, after = known.get(str(current)), known.get(str(proposed or ""))
    if before is None or after is None:
        return f"reclassifies {crime} from {current} to {proposed or '?'}"
    return (
        f"reclassifies {crime} from {before['code']} {before['name']} to {after['code']} {after['name']} "
        f"({direction(before, after)}, weight {before['severity']} to {after['severity']})"
    )


def warning(request: Mapping, action: str, fields: Mapping, rationale: str) -> str | None:
    """The withdrawal warning a cancellation on AVI would be saved with, read from every word on the screen."""
    ground = fields.get("ground") or request.get("cancellation_code")
    if (request["kind"], action) != ("cancellation", "approve") or ground not in ("C2", "C5"):
        return None
    texts = {**fields, "rationale": rationale, "requested_avi": request.get("avi_description")}
    return withdrawal_warning({**texts, "summary": request.get("summary")})
