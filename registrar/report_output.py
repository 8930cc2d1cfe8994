"""The oversight report as readable text or as flat CSV rows."""


def _pct(value: float | None) -> str:
    """A share as a percentage, or '-'."""
    return "-" if value is None else f"{value * 100:.0f}%"


def report_text(figures: dict) -> str:
    """The report as sections of aligned lines."""
    period = figures["period"]
    lines = [f"Oversight report {period['from']} to {period['to']}", ""]
    lines.append("Compliance (audit agreement, 95% Wilson interval)")
    for section, column in (("by_maker", "maker"), ("by_kind", "kind"), ("by_offence_group", "offence_group")):
        for row in figures["compliance"][section]:
            lines.append(
                f"  {column.replace('_', ' '):<13} {str(row[column])[:28]:<28} {row['agreed']:>4}/{row['sampled']:<4} "
                f"{_pct(row['rate']):>5}  [{_pct(row['low'])} to {_pct(row['high'])}]"
            )
    overall = figures["compliance"]["overall"]
    lines.append(
        f"  overall       {'':<28} {overall['agreed']:>4}/{overall['sampled']:<4} {_pct(overall['rate']):>5}  "
        f"[{_pct(overall['low'])} to {_pct(overall['high'])}]"
    )
    t = figures["timeliness"]
    lines += [
        "",
        "Timeliness",
        f"  referrals decided within {t['referral_clock_hours']:.0f} h: {t['referrals_within_clock']} of "
        f"{t['referrals_decided']} ({_pct(t['referrals_within_clock_share'])})",
    ]
    for row in t["decision_times"]:
        median = "-" if row["median_hours"] is None else f"{row['median_hours']:.1f} h"
        p90 = "-" if row["p90_hours"] is None else f"{row['p90_hours']:.1f} h"
        lines.append(f"  {row['kind']:<18} decided {row['decided']:>5}  median {median:>9}  90th percentile {p90:>9}")
    for row in t["overdue_open"]:
        lines.append(f"  overdue now: {row['kind']} {row['state']}: {row['overdue']}")
    lines.append(
        f"  transfers waiting on another force: {len(t['transfers_waiting'])}"
        + (f", longest {max(w['waiting_days'] for w in t['transfers_waiting'])} days" if t["transfers_waiting"] else "")
    )
    v = figures["victims"]
    lines += ["", f"Victims not told: {v['untold']} ({v['over_2_days']} for over 2 days)"]
    c = figures["counts"]
    lines += [
        "",
        "Cancellations by ground: " + ", ".join(f"{k} {n}" for k, n in c["cancellations_by_ground"].items()),
        "Reclassifications by direction: "
        + ", ".join(f"{k} {n}" for k, n in c["reclassifications_by_direction"].items()),
    ]
    lines.append(
        "Transfers out by force: "
        + "; ".join(
            f"{force} " + ", ".join(f"{a} {n}" for a, n in counts.items())
            for force, counts in c["transfers_out_by_force"].items()
        )
    )
    lines.append(
        "Transfers in by force: "
        + "; ".join(
            f"{force} " + ", ".join(f"{a} {n}" for a, n in counts.items())
            for force, counts in c["transfers_in_by_force"].items()
        )
    )
    lines.append(
        "Referrals by agency and outcome: "
        + "; ".join(
            f"{agency} " + ", ".join(f"{s} {n}" for s, n in counts.items())
            for agency, counts in c["referrals_by_agency_and_outcome"].items()
        )
    )
    return "\n".join(lines)


def report_rows(figures: dict) -> list[dict]:
    """The report flattened to section, key, measure, value rows for CSV."""
    rows = []
    for section, column in (("by_maker", "maker"), ("by_kind", "kind"), ("by_offence_group", "offence_group")):
        for row in figures["compliance"][section]:
            for measure in ("sampled", "agreed", "rate", "low", "high"):
                rows.append(
                    {"section": f"compliance_{section}", "key": row[column], "measure": measure, "value": row[measure]}
                )
    t = figures["timeliness"]
    for measure in ("referrals_decided", "referrals_within_clock", "referrals_within_clock_share"):
        rows.append({"section": "timeliness", "key": "referral", "measure": measure, "value": t[measure]})
    for row in t["decision_times"]:
        for measure in ("decided", "median_hours", "p90_hours"):
            rows.append({"section": "decision_time", "key": row["kind"], "measure": measure, "value": row[measure]})
    rows.append({"section": "victims", "key": "all", "measure": "untold", "value": figures["victims"]["untold"]})
    for section, table in figures["counts"].items():
        for key, value in table.items():
            if isinstance(value, dict):
                for measure, count in value.items():
                    rows.append({"section": section, "key": key, "measure": measure, "value": count})
            else:
                rows.append({"section": section, "key": key, "measure": "count", "value": value})
    return rows
