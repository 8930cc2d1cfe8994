"""Dip-sampling: a reproducible sample of designated decision makers' decisions, and the FCR's verdicts."""

import hashlib
import json
from dataclasses import dataclass

from queries import sql
from registrar.access.identity import Actor
from registrar.base.errors import BadInput, Conflict, NotFound, RuleRefused
from registrar.base.vocabulary import AUDIT_ROLES, FINAL_SAY_ROLES, a_role, role_list
from registrar.decisions.actions import _SPECS
from registrar.decisions.decide import Decision, apply_decision, plan
from registrar.decisions.reopening import MATCHING_REOPENING
from registrar.decisions.rules import RuleContext, check_rationale
from registrar.storage import ledger
from registrar.storage.store import Store

SAMPLED_ACTIONS = tuple(sorted({spec.name for spec in _SPECS if spec.decision} | {"withdraw"}))
AUDITORS = DRAWERS = AUDIT_ROLES
REINSTATERS = FINAL_SAY_ROLES


@dataclass(frozen=True)
class SampleRates:
    """The share of decisions drawn: a default, and overrides per kind and per decision maker."""

    default: float = 0.5
    kinds: dict | None = None
    makers: dict | None = None

    def rate_for(self, kind: str, maker: str) -> float:
        """A maker's own rate wins over the kind's, which wins over the default."""
        if self.makers and maker in self.makers:
            return float(self.makers[maker])
        if self.kinds and kind in self.kinds:
            return float(self.kinds[kind])
        return float(self.default)

    def as_dict(self) -> dict:
        """The rates as stored with the sample."""
        return {"default": self.default, "kinds": self.kinds or {}, "makers": self.makers or {}}


MAX_SEED = 2**63 - 1


def check_seed(seed: int) -> None:
    """Refuse a seed the command line could not repeat: a whole number from 0 to 2**63 - 1."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise BadInput(f"the seed {seed!r} is not a whole number from 0 to {MAX_SEED:,}")


def draw_score(seed: int, identity: int | str) -> float:
    """A number in [0, 1) fixed by the seed and the item's own identity (a decision's ledger entry, an incident's
    number and time), so a redraw, or another store holding the same items, picks the same ones."""
    digest = hashlib.sha256(f"{seed}:{identity}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class Sample:
    """A drawn sample: its id, how many decisions qualified and how many were drawn."""

    id: int
    candidates: int
    sampled: int
    skipped: int


def draw_sample(store: Store, actor: Actor, since: str, until: str, seed: int, rates: SampleRates) -> Sample:
    """Draw ddm decisions made in [since, until) for audit; decisions sampled before are not drawn twice."""
    check_seed(seed)
    for value in [rates.default, *(rates.kinds or {}).values(), *(rates.makers or {}).values()]:
        if not 0 <= float(value) <= 1:
            raise BadInput(f"sample rate {value} is not between 0 and 1")
    if since >= until:
        raise BadInput(f"the period is empty: {since} is not before {until}")
    with store.acting(actor) as (conn, actor):
        if actor.role not in DRAWERS:
            raise RuleRefused(
                "role", f"{a_role(actor.role)} may not draw audit samples; that is for fcr, dfcr or auditor"
            )
        candidates = conn.execute(
            sql("audit_candidates"), {"since": since, "until": until, "actions": json.dumps(SAMPLED_ACTIONS)}
        ).fetchall()
        picked = [row for row in candidates if draw_score(seed, row["seq"]) < rates.rate_for(row["kind"], row["actor"])]
        fresh = [row for row in picked if row["already"] is None]
        now = store.now()
        sample_id = int(
            conn.execute(
                sql("audit_sample_insert"),
                (
                    now,
                    actor.username,
                    seed,
                    since,
                    until,
                    json.dumps(rates.as_dict(), sort_keys=True),
                    len(candidates),
                    len(fresh),
                ),
            ).lastrowid
            or 0
        )
        conn.executemany(
            sql("audit_item_insert"),
            [
                (
                    sample_id,
                    row["seq"],
                    row["request_id"],
                    row["kind"],
                    row["actor"],
                    row["action"],
                    row["offence_group"],
                    row["at"],
                )
                for row in fresh
            ],
        )
        ledger.append(
            conn,
            at=now,
            actor=actor,
            action="audit-draw",
            rationale=f"Dip-sample of ddm decisions {since} to {until}: {len(fresh)} of {len(candidates)} drawn.",
            details={
                "sample": sample_id,
                "seed": seed,
                "since": since,
                "until": until,
                "rates": rates.as_dict(),
                "drawn": [row["seq"] for row in fresh],
            },
        )
    return Sample(sample_id, len(candidates), len(fresh), len(picked) - len(fresh))


@dataclass(frozen=True)
class Verdict:
    """A recorded verdict and, when asked, the reopening made with it (reinstate or reopen), or None."""

    item_id: int
    verdict: str
    seq: int
    reopened: str | None


def record_verdict(store: Store, actor: Actor, item_id: int, verdict: str, note: str, reopen: bool = False) -> Verdict:
    """Record agree or disagree on a sampled decision; a disagreement may take the matching reopening in the same
    step (a cancellation's crime reinstated, a referral reopened to be recorded, a reclassification put back)."""
    if verdict not in ("agree", "disagree"):
        raise BadInput(f"verdict {verdict!r} is not agree or disagree")
    if reopen and verdict != "disagree":
        raise RuleRefused("reopen-needs-disagree", "reopening a decision goes with a disagreement")
    with store.acting(actor) as (conn, actor):
        if actor.role not in AUDITORS:
            raise RuleRefused(
                "role", f"{a_role(actor.role)} may not record audit verdicts; that is for fcr, dfcr or auditor"
            )
        if reopen and actor.role not in REINSTATERS:
            raise RuleRefused(
                "role", f"{a_role(actor.role)} may not reopen decisions; that is for {role_list(REINSTATERS)}"
            )
        ctx = RuleContext(conn, store.settings(), actor, store.now())
        item = conn.execute(sql("audit_item_get"), (item_id,)).fetchone()
        if item is None:
            raise NotFound(f"there is no audit item {item_id}")
        if item["verdict"] is not None:
            raise Conflict(
                f"audit item {item_id} already has a verdict: {item['verdict']} by {item['verdict_by']} "
                f"at {item['verdict_at']}",
                by=item["verdict_by"],
                at=item["verdict_at"],
            )
        if actor.username == item["maker"]:
            raise RuleRefused("independence", "you made this decision; someone else must audit it")
        text = check_rationale(ctx, note) if verdict == "disagree" or note.strip() else "Agreed on audit."
        matching = MATCHING_REOPENING.get((item["kind"], item["action"])) if reopen else None
        if reopen and matching is None:
            raise RuleRefused(
                "reopen-none",
                f"a '{item['action']}' on a {item['kind']} has no reopening; record the disagreement alone",
            )
        reopening = Decision(item["request_id"], matching, text, details={"audit_item": item_id}) if matching else None
        if reopening is not None:
            plan(ctx, reopening)  # every rule checked before the verdict is written
        changed = conn.execute(sql("audit_item_verdict"), (verdict, text, actor.username, ctx.now, item_id)).rowcount
        if changed != 1:
            raise Conflict(f"audit item {item_id} was given a verdict by someone else first")
        head = ledger.append(
            conn,
            at=ctx.now,
            actor=actor,
            action=f"audit-{verdict}",
            rationale=text,
            request_id=item["request_id"],
            crime_reference=item["crime_reference"],
            code=item["action"],
            details={
                "audit_item": item_id,
                "sample": item["sample_id"],
                "decision_seq": item["ledger_seq"],
                "maker": item["maker"],
            },
        )
        matching = MATCHING_REOPENING.get((item["kind"], item["action"])) if reopen else None
        if reopen and matching is None:
            raise RuleRefused(
                "reopen-none",
                f"a '{item['action']}' on a {item['kind']} has no reopening; record the disagreement alone",
            )
        if matching is not None:
            apply_decision(ctx, Decision(item["request_id"], matching, text, details={"audit_item": item_id}))
    return Verdict(item_id, verdict, head.seq, matching)
