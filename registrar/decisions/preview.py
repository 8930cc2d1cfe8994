"""What a decision will do, in one line, before it is saved (the workbench shows it under the rationale)."""

from collections.abc import Mapping

from registrar.decisions.reopening import REOPENING_EFFECT
from registrar.decisions.rules import avi_warning


def preview(request: Mapping, action: str, fields: Mapping) -> str:
    """One line saying what saving this decision does to the request and its crimes."""
    crime = request.get("crime_reference") or "the crime"
    kind = request["kind"]
    ground = fields.get("ground") or request.get("cancellation_code") or "?"
    codes = fields.get("offences") or []
    if isinstance(codes, str):
        codes = [code.strip() for code in codes.replace(";", ",").split(",") if code.strip()]
    effects = {
        ("cancellation", "approve"): f"cancels {crime} as {ground}; the victim must then be told",
        ("cancellation", "reinstate"): f"reinstates {crime} in the recorded figures",
        ("reclassification", "approve"): (
            f"reclassifies {crime} from {request.get('crime_offence_code')} to "
            f"{fields.get('proposed_code') or request.get('proposed_code')}"
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
    effect = effects.get((kind, action), f"{action}: the request moves on; no crime changes")
    line = f"Saving {effect}."
    if (kind, action) == ("cancellation", "approve") and ground in ("C2", "C5"):
        warning = avi_warning(str(fields.get("avi_description") or request.get("avi_description") or ""))
        if warning:
            line += f" Warning: {warning}."
    return line
