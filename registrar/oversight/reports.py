"""Oversight figures from the store and its ledger: compliance, timeliness, victims told, and counts."""

import json
import sqlite3
from collections import Counter, defaultdict
from datetime import timedelta

from queries import sql
from registrar.base.clock import age_hours, parse, stamp
from registrar.decisions.actions import _SPECS
from registrar.oversight.accuracy import recording_figures
from registrar.oversight.stats import percentile, wilson_interval

DECISION_ACTIONS = frozenset(spec.name for spec in _SPECS if spec.decision)
EXPORT_ACTIONS = tuple(sorted({spec.name for spec in _SPECS} | {"audit-agree", "audit-disagree"}))


def default_period(now: str, days: int) -> tuple[str, str]:
    """The `days` before now, including now itself (periods are [from, to))."""
    end = parse(now) + timedelta(seconds=1)
    return stamp(end - timedelta(days=days)), stamp(end)


def check_period(since: str, until: str) -> None:
    """Refuse a period that ends before, or when, it starts (a reversed --from and --to)."""
    from registrar.intake.field_values import BadValue

    if parse(until) <= parse(since):
        raise BadValue(f"the period ends ({until}) before it starts ({since}): give --from before --to")


def _hours(start: str, end: str) -> float:
    """Hours between two store times."""
    return age_hours(start, parse(end))


def _proportion(key: dict, agreed: int, sampled: int) -> dict:
    """A compliance row: counts, rate and its 95% Wilson interval."""
    low, high = wilson_interval(agreed, sampled)
    return {
        **key,
        "sampled": sampled,
        "agreed": agreed,
        "rate": agreed / sampled if sampled else None,
        "low": low,
        "high": high,
    }


def compliance(conn: sqlite3.Connection, since: str, until: str) -> dict:
    """Audit agreement per decision maker, per kind and per offence group, with 95% Wilson intervals."""
    rows = conn.execute(sql("audit_compliance"), {"since": since, "until": until}).fetchall()
    result: dict[str, object] = {}
    for name, column in (("by_maker", "maker"), ("by_kind", "kind"), ("by_offence_group", "offence_group")):
        sampled: Counter = Counter()
        agreed: Counter = Counter()
        for row in rows:
            key = row[column] or "(none)"
            sampled[key] += 1
            agreed[key] += row["verdict"] == "agree"
        result[name] = [_proportion({column: key}, agreed[key], sampled[key]) for key in sorted(sampled, key=str)]
    total = len(rows)
    result["overall"] = _proportion({}, sum(1 for r in rows if r["verdict"] == "agree"), total)
    return result


def timeliness(conn: sqlite3.Connection, settings: dict, since: str, until: str, now: str) -> dict:
    """Referrals decided within the clock, decision times per queue, overdue work and transfers waiting."""
    clock_hours = float(settings.get("referral_clock_hours") or 24)
    closed = [
        r
        for r in conn.execute(sql("report_closed_requests"), {"since": since, "until": until})
        if r["state"] != "withdrawn"
    ]
    per_kind: dict[str, list[float]] = defaultdict(list)
    for row in closed:
        per_kind[row["kind"]].append(_hours(row["received_at"] or row["requested_at"], row["closed_at"]))
    referral_hours = per_kind.get("referral", [])
    within = sum(1 for hours in referral_hours if hours <= clock_hours)
    low, high = wilson_interval(within, len(referral_hours))
    decision_times = [
        {
            "kind": kind,
            "decided": len(hours),
            "median_hours": percentile(hours, 0.5),
            "p90_hours": percentile(hours, 0.9),
        }
        for kind, hours in sorted(per_kind.items())
    ]
    overdue = [dict(row) for row in conn.execute(sql("queue_counts"), {"now": now}) if row["overdue"]]
    waiting = [
        {**dict(row), "waiting_days": round(_hours(row["since"], now) / 24, 1)}
        for row in conn.execute(sql("report_transfers_waiting"))
    ]
    return {
        "referral_clock_hours": clock_hours,
        "referrals_decided": len(referral_hours),
        "referrals_within_clock": within,
        "referrals_within_clock_share": within / len(referral_hours) if referral_hours else None,
        "referrals_within_clock_interval": [low, high],
        "decision_times": decision_times,
        "overdue_open": overdue,
        "transfers_waiting": waiting,
    }


def victims(conn: sqlite3.Connection, now: str, since: str, until: str) -> dict:
    """Cancellations and transfers whose victim has no 'told' record now, oldest first, and how many of them were
    decided in [since, until)."""
    rows = [dict(r) for r in conn.execute(sql("report_victims_untold"))]
    for row in rows:
        row["age_days"] = round(_hours(row["created_at"], now) / 24, 1)
        row["in_period"] = since <= row["created_at"] < until
    return {
        "untold": len(rows),
        "over_2_days": sum(1 for r in rows if r["age_days"] > 2),
        "untold_from_period": sum(1 for r in rows if r["in_period"]),
        "items": rows,
    }


def decision_entries(conn: sqlite3.Connection, since: str, until: str) -> list[dict]:
    """Every decision in the ledger in [since, until), with its request's kind, for counts and export."""
    rows = []
    for row in conn.execute(
        sql("report_decision_entries"), {"since": since, "until": until, "actions": json.dumps(EXPORT_ACTIONS)}
    ):
        entry = dict(row)
        entry["details"] = json.loads(entry["details"])
        rows.append(entry)
    return rows


def counts(entries: list[dict], closed_referrals: list[sqlite3.Row]) -> dict:
    """Cancellations by ground, reclassifications by direction, transfers by force, referrals by agency and outcome."""
    grounds: Counter = Counter()
    directions: Counter = Counter()
    out: dict[str, Counter] = defaultdict(Counter)
    inbound: dict[str, Counter] = defaultdict(Counter)
    for e in entries:
        if e["kind"] == "cancellation" and e["action"] == "approve":
            grounds[e["code"]] += 1
        elif e["kind"] == "transfer_out" and e["action"] == "accepted":
            grounds["C1"] += 1
        if e["kind"] == "reclassification" and e["action"] == "approve":
            directions[e["details"].get("direction", "unknown")] += 1
        if e["kind"] == "transfer_out" and e["action"] in ("send", "accepted", "disputed", "withdraw"):
            out[e["other_force"] or "?"][e["action"]] += 1
        if e["kind"] == "transfer_in" and e["action"] in ("accept", "dispute"):
            inbound[e["other_force"] or "?"][e["action"]] += 1
    referrals: dict[str, Counter] = defaultdict(Counter)
    for row in closed_referrals:
        referrals[row["agency"] or "?"][row["state"]] += 1
    return {
        "cancellations_by_ground": dict(sorted(grounds.items())),
        "reclassifications_by_direction": dict(sorted(directions.items())),
        "transfers_out_by_force": {k: dict(sorted(v.items())) for k, v in sorted(out.items())},
        "transfers_in_by_force": {k: dict(sorted(v.items())) for k, v in sorted(inbound.items())},
        "referrals_by_agency_and_outcome": {k: dict(sorted(v.items())) for k, v in sorted(referrals.items())},
    }


LARGEST_DROPS = 10


def downgrades(entries: list[dict]) -> dict:
    """Every decision that left a crime less serious than it was, or than the code it came with: how many, who decided,
    and the largest drops in weight (the seriousness order at the time of each decision)."""
    found = []
    for e in entries:
        d = e["details"]
        if e["kind"] == "reclassification" and e["action"] == "approve" and d.get("direction") == "down":
            before, after, came, went = d.get("from_weight"), d.get("to_weight"), d.get("from_code"), d.get("to_code")
        elif e["action"] in ("record", "accept") and d.get("recorded_weight", 0) < d.get("came_with_weight", 0):
            before, after, came, went = d["came_with_weight"], d["recorded_weight"], d["came_with_code"], e["code"]
        else:
            continue
        drop = before - after if isinstance(before, int) and isinstance(after, int) else None
        found.append(
            {
                "seq": e["seq"],
                "at": e["at"],
                "actor": e["actor"],
                "role": e["role"],
                "request_id": e["request_id"],
                "kind": e["kind"],
                "crime_reference": e["crime_reference"],
                "from_code": came,
                "to_code": went,
                "from_weight": before,
                "to_weight": after,
                "drop": drop,
            }
        )
    by_decider = Counter((f["actor"], f["role"]) for f in found)
    return {
        "count": len(found),
        "by_decider": [
            {"actor": actor, "role": role, "count": n} for (actor, role), n in sorted(by_decider.items(), key=str)
        ],
        "largest": sorted(found, key=lambda f: -(f["drop"] or 0))[:LARGEST_DROPS],
    }


def weekly_decisions(entries: list[dict]) -> dict[str, dict[str, int]]:
    """Decisions per ISO week (YYYY-Www) and kind, for the chart."""
    weeks: dict[str, Counter] = defaultdict(Counter)
    for e in entries:
        if e["action"] not in DECISION_ACTIONS:
            continue
        year, week, _ = parse(e["at"]).isocalendar()
        weeks[f"{year}-W{week:02d}"][e["kind"]] += 1
    return {week: dict(counter) for week, counter in sorted(weeks.items())}


def weekly_referral_timeliness(conn: sqlite3.Connection, settings: dict, since: str, until: str) -> dict[str, dict]:
    """Per ISO week: referrals decided and the share within the recording clock."""
    clock_hours = float(settings.get("referral_clock_hours") or 24)
    weeks: dict[str, list[bool]] = defaultdict(list)
    for row in conn.execute(sql("report_closed_requests"), {"since": since, "until": until}):
        if row["kind"] != "referral" or row["state"] == "withdrawn":
            continue
        year, week, _ = parse(row["closed_at"]).isocalendar()
        weeks[f"{year}-W{week:02d}"].append(
            _hours(row["received_at"] or row["requested_at"], row["closed_at"]) <= clock_hours
        )
    return {week: {"decided": len(v), "within": sum(v), "share": sum(v) / len(v)} for week, v in sorted(weeks.items())}


def report(conn: sqlite3.Connection, settings: dict, since: str, until: str, now: str) -> dict:
    """The whole oversight report for [since, until)."""
    check_period(since, until)
    entries = decision_entries(conn, since, until)
    closed = [
        r
        for r in conn.execute(sql("report_closed_requests"), {"since": since, "until": until})
        if r["kind"] == "referral"
    ]
    return {
        "period": {"from": since, "to": until, "generated_at": now},
        "compliance": compliance(conn, since, until),
        "timeliness": timeliness(conn, settings, since, until, now),
        "victims": victims(conn, now, since, until),
        "counts": counts(entries, closed),
        "downgrades": downgrades(entries),
        "recording": recording_figures(conn, since, until),
    }
