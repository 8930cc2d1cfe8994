"""Recording audits: a reproducible, risk-based sample of incidents, and the audit team's verdict on each."""

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from queries import sql
from registrar.access.identity import Actor
from registrar.base.clock import age_hours, parse
from registrar.base.errors import BadInput, Conflict, NotFound, RuleRefused
from registrar.base.vocabulary import (
    N100_REASONS,
    NOT_A_CRIME_REASONS,
    RAPE_REVIEWERS,
    RECORDING_AUDITORS,
    RECORDING_DRAWERS,
    RECORDING_VERDICTS,
    a_role,
    role_list,
)
from registrar.decisions.effects import create_crime
from registrar.decisions.rules import RuleContext, check_rationale
from registrar.intake.field_values import parse_value
from registrar.oversight.audit import check_seed, draw_score
from registrar.storage import ledger
from registrar.storage.schema import INCIDENT_FLAGS
from registrar.storage.store import DEFAULT_SETTINGS, Store

MAX_WEIGHT = 1000
SETTING_KEYS = {"base_rate", "recorded_rate", "opening_codes", "flags", "rape_codes"}


def _is_number(value: object) -> bool:
    """True for a finite int or float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def check_recording_weights(value: object) -> None:
    """Refuse a recording_audit setting the sampler would not understand."""
    shape = (
        'recording_audit is {"base_rate": 0.02, "recorded_rate": 1.0, "opening_codes": {CODE: WEIGHT}, '
        f'"flags": {{FLAG: WEIGHT}}, "rape_codes": [CODE]}} with rates from 0 to 1, weights from 0 to {MAX_WEIGHT} '
        f"and flags among {', '.join(INCIDENT_FLAGS)}"
    )
    if not isinstance(value, dict) or set(value) - SETTING_KEYS:
        raise BadInput(shape)
    codes, flags, rape = value.get("opening_codes", {}), value.get("flags", {}), value.get("rape_codes", [])
    if not isinstance(codes, dict) or not isinstance(flags, dict) or not isinstance(rape, list):
        raise BadInput(shape)
    rates = [value.get("base_rate", 0.02), value.get("recorded_rate", 1.0)]
    weights = [*codes.values(), *flags.values()]
    if (
        not all(_is_number(rate) and 0 <= rate <= 1 for rate in rates)
        or not all(_is_number(weight) and 0 <= weight <= MAX_WEIGHT for weight in weights)
        or set(flags) - set(INCIDENT_FLAGS)
        or not all(isinstance(code, str) and code.strip() for code in [*codes, *rape])
    ):
        raise BadInput(shape)


@dataclass(frozen=True)
class RecordingWeights:
    """How likely each incident is to be drawn: a base rate raised by its riskiest opening code or flag."""

    base_rate: float
    recorded_rate: float
    opening_codes: Mapping[str, float]
    flags: Mapping[str, float]
    rape_codes: tuple[str, ...]

    @classmethod
    def from_setting(cls, value: object) -> "RecordingWeights":
        """The weights a store's recording_audit setting holds (the defaults for any key it lacks)."""
        default = DEFAULT_SETTINGS["recording_audit"]
        assert isinstance(default, dict)
        merged = {**default, **(value if isinstance(value, dict) else {})}
        check_recording_weights(merged)
        return cls(
            base_rate=float(merged["base_rate"]),
            recorded_rate=float(merged["recorded_rate"]),
            opening_codes={str(k).upper(): float(v) for k, v in merged["opening_codes"].items()},
            flags={str(k): float(v) for k, v in merged["flags"].items()},
            rape_codes=tuple(str(code).upper() for code in merged["rape_codes"]),
        )

    def with_base_rate(self, rate: float) -> "RecordingWeights":
        """The same weights with another base rate (a share from 0 to 1)."""
        if not _is_number(rate) or not 0 <= rate <= 1:
            raise BadInput(f"the base rate {rate!r} is not a share from 0 to 1")
        return RecordingWeights(rate, self.recorded_rate, self.opening_codes, self.flags, self.rape_codes)

    def chance(self, incident: Mapping) -> float:
        """This incident's chance of being drawn, between 0 and 1."""
        weight = max(
            [
                1.0,
                self.opening_codes.get(str(incident["opening_code"]).upper(), 1.0),
                *(self.flags.get(flag, 1.0) for flag in INCIDENT_FLAGS if incident[flag]),
            ]
        )
        chance = self.base_rate * weight * (self.recorded_rate if incident["crime_recorded"] else 1.0)
        return min(1.0, chance)

    def as_dict(self) -> dict:
        """The weights as stored with a sample."""
        return {
            "base_rate": self.base_rate,
            "recorded_rate": self.recorded_rate,
            "opening_codes": dict(self.opening_codes),
            "flags": dict(self.flags),
            "rape_codes": list(self.rape_codes),
        }


@dataclass(frozen=True)
class RecordingSample:
    """A drawn sample of incidents: its id, how many qualified, how many were drawn, how many were already queued."""

    id: int
    candidates: int
    sampled: int
    skipped: int


def incident_identity(row: Mapping) -> str:
    """An incident as the command-and-control system named it: its number and when it was opened, never our row id."""
    return f"incident {row['number']} opened {row['opened_at']}"


def draw_recording_sample(
    store: Store, actor: Actor, since: str, until: str, seed: int, weights: RecordingWeights
) -> RecordingSample:
    """Draw incidents reported in [since, until) for a recording audit; the same seed and period draw the same ones."""
    if since >= until:
        raise BadInput(f"the period is empty: {since} is not before {until}")
    check_seed(seed)
    with store.acting(actor) as (conn, actor):
        if actor.role not in RECORDING_DRAWERS:
            raise RuleRefused(
                "role",
                f"{a_role(actor.role)} may not draw recording audits; that is for {role_list(RECORDING_DRAWERS)}",
            )
        candidates = conn.execute(sql("recording_candidates"), {"since": since, "until": until}).fetchall()
        picked = [row for row in candidates if draw_score(seed, incident_identity(row)) < weights.chance(row)]
        fresh = [row for row in picked if row["already"] is None]
        now = store.now()
        sample_id = int(
            conn.execute(
                sql("recording_sample_insert"),
                {
                    "drawn_at": now,
                    "drawn_by": actor.username,
                    "seed": seed,
                    "period_from": since,
                    "period_to": until,
                    "weights": json.dumps(weights.as_dict(), sort_keys=True),
                    "candidates": len(candidates),
                    "sampled": len(fresh),
                },
            ).lastrowid
            or 0
        )
        conn.executemany(
            sql("recording_review_insert"),
            [
                {
                    "incident_id": row["id"],
                    "sample_id": sample_id,
                    "source": "sample",
                    "seniors_only": row["rape_report"],
                    "added_at": now,
                }
                for row in fresh
            ],
        )
        ledger.append(
            conn,
            at=now,
            actor=actor,
            action="recording-draw",
            rationale=f"Recording audit of incidents {since} to {until}: {len(fresh)} of {len(candidates)} drawn.",
            details={
                "sample": sample_id,
                "seed": seed,
                "since": since,
                "until": until,
                "weights": weights.as_dict(),
                "drawn": [row["number"] for row in fresh],
            },
        )
    return RecordingSample(sample_id, len(candidates), len(fresh), len(picked) - len(fresh))


@dataclass(frozen=True)
class RecordingVerdict:
    """A recorded verdict: the review, the ledger entry and the crimes it recorded."""

    review_id: int
    verdict: str
    seq: int
    created: list[str]
    delay_hours: float | None


def _choice(value: str | None, choices: Mapping, what: str) -> str:
    """A key from `choices`, refused with the list when missing or unknown."""
    key = (value or "").strip().lower()
    if key not in choices:
        raise RuleRefused(f"{what}-required", f"give the {what} as one of {', '.join(choices)}")
    return key


def verdict_refusal(role: str, review: Mapping, verdict: str) -> RuleRefused | None:
    """Why this role may not give this verdict on this incident, or None when it may (the workbench asks too)."""
    if role not in RECORDING_AUDITORS:
        return RuleRefused(
            "role",
            f"{a_role(role)} may not record recording-audit verdicts; that is for {role_list(RECORDING_AUDITORS)}",
        )
    if (review["seniors_only"] or verdict == "n100") and role not in RAPE_REVIEWERS:
        return RuleRefused(
            "rape-report-seniors",
            f"reports of rape and N100s are reviewed only by {role_list(RAPE_REVIEWERS)}, not {a_role(role)}",
        )
    if verdict == "n100" and not review["rape_report"]:
        return RuleRefused(
            "n100-rape-only", f"incident {review['number']} is not a report of rape; an N100 is kept only for those"
        )
    if verdict == "recorded-correctly" and not review["crime_recorded"]:
        return RuleRefused("no-crime-recorded", f"incident {review['number']} has no crime recorded from it")
    if verdict in ("record-now", "n100") and review["crime_recorded"]:
        return RuleRefused(
            "crime-already-recorded",
            f"incident {review['number']} already has a crime recorded; a further crime is raised on that crime",
        )
    return None


def note_required(verdict: str, rape_report: bool) -> bool:
    """True when a verdict needs a written note: recording a missed crime, an N100, or keeping a report of rape out
    of the figures."""
    return verdict in ("record-now", "n100") or (verdict == "not-a-crime" and rape_report)


def record_recording_verdict(
    store: Store,
    actor: Actor,
    review_id: int,
    verdict: str,
    note: str = "",
    reason: str | None = None,
    offences: Sequence[str] = (),
) -> RecordingVerdict:
    """Record the audit team's verdict on one incident; missed crimes are recorded in the same transaction."""
    with store.acting(actor) as (conn, actor):
        review = conn.execute(sql("recording_review_get"), (review_id,)).fetchone()
        if review is None:
            raise NotFound(f"there is no recording-audit item {review_id}")
        if review["verdict"] is not None:
            raise Conflict(
                f"recording-audit item {review_id} already has a verdict: {review['verdict']} by "
                f"{review['verdict_by']} at {review['verdict_at']}",
                by=review["verdict_by"],
                at=review["verdict_at"],
            )
        if verdict not in RECORDING_VERDICTS:
            raise BadInput(f"verdict {verdict!r} is not one of {', '.join(RECORDING_VERDICTS)}")
        refusal = verdict_refusal(actor.role, review, verdict)
        if refusal is not None:
            raise refusal
        ctx = RuleContext(conn, store.settings(), actor, store.now())
        chosen = None
        codes: list[str] = []
        if verdict == "not-a-crime":
            chosen = _choice(reason, NOT_A_CRIME_REASONS, "reason")
        elif verdict == "n100":
            chosen = _choice(reason, N100_REASONS, "reason")
        elif verdict == "record-now":
            parsed = parse_value(conn, "offences", "offence", list(offences))
            codes = [str(code) for code in parsed] if isinstance(parsed, list) else []
            if not codes:
                raise RuleRefused("offence-required", "recording missed crimes needs an offence code for each crime")
        elif offences or reason:
            raise BadInput(f"a {verdict} verdict takes no reason or offence codes")
        if verdict in ("not-a-crime", "n100") and offences:
            raise BadInput(f"a {verdict} verdict takes a reason, not offence codes")
        if verdict == "record-now" and reason:
            raise BadInput("a record-now verdict takes offence codes, not a reason")
        if verdict == "not-a-crime" and review["rape_report"] and not note.strip():
            raise RuleRefused(
                "rape-report-note",
                f"incident {review['number']} is a report of rape: keeping it out of the figures needs a written "
                "note saying why, as an N100 does",
            )
        if note_required(verdict, bool(review["rape_report"])) or note.strip():
            text = check_rationale(ctx, note)
        else:
            text = f"{RECORDING_VERDICTS[verdict].label} on audit" + (
                f": {NOT_A_CRIME_REASONS[chosen].label.lower()}." if chosen else "."
            )
        delay = round(age_hours(review["opened_at"], parse(ctx.now)), 2) if verdict == "record-now" else None
        created = [_record_missed(ctx, review, code) for code in codes]
        changed = conn.execute(
            sql("recording_review_verdict"),
            {
                "verdict": verdict,
                "reason": chosen or (" ".join(codes) if codes else None),
                "note": text,
                "verdict_by": actor.username,
                "verdict_at": ctx.now,
                "delay_hours": delay,
                "id": review_id,
            },
        ).rowcount
        if changed != 1:
            raise Conflict(f"recording-audit item {review_id} was given a verdict by someone else first")
        if verdict == "n100":
            conn.execute(
                sql("n100_insert"),
                {
                    "incident_id": review["incident_id"],
                    "reason": chosen,
                    "note": text,
                    "created_at": ctx.now,
                    "created_by": actor.username,
                },
            )
        head = ledger.append(
            conn,
            at=ctx.now,
            actor=actor,
            action=f"recording-{verdict}",
            rationale=text,
            crime_reference=created[0] if created else None,
            code=chosen or (" ".join(codes) if codes else None),
            details={
                "review": review_id,
                "incident": review["number"],
                **({"sample": review["sample_id"]} if review["sample_id"] else {"source": review["source"]}),
                **({"recorded": created, "late_by_hours": delay} if created else {}),
            },
        )
    return RecordingVerdict(review_id, verdict, head.seq, created, delay)


def _record_missed(ctx: RuleContext, review: Mapping, code: str) -> str:
    """Record one crime the incident should have produced, linked to it and marked as recorded late by audit."""
    crime_id, reference = create_crime(
        ctx,
        offence_code=code,
        occurred_at=review["opened_at"],
        area=review["area"],
        domestic_abuse=review["domestic_abuse"],
        hate_crime=review["hate_crime"],
        vulnerable_victim=int(bool(review["child_at_risk"] or review["adult_at_risk"])),
        summary=f"Recorded on audit of incident {review['number']}: {review['summary']}".strip(),
        source="recording-audit",
    )
    ctx.conn.execute(sql("incident_crime_link"), {"number": review["number"], "reference": reference, "link": "audit"})
    return reference
