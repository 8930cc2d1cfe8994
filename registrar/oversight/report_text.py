"""The oversight report as readable text or as flat CSV rows."""


def _pct(value: float | None, places: int = 0) -> str:
    """A share as a percentage, or '-'."""
    return "-" if value is None else f"{value * 100:.{places}f}%"


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
        "Timeliness (decided in the period; 'now' is at the time of the report, from any date)",
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
        f"  transfers waiting on another force now: {len(t['transfers_waiting'])}"
        + (f", longest {max(w['waiting_days'] for w in t['transfers_waiting'])} days" if t["transfers_waiting"] else "")
    )
    v = figures["victims"]
    lines += [
        "",
        f"Victims not told (now, from any date): {v['untold']} ({v['over_2_days']} for over 2 days); "
        f"{v['untold_from_period']} of them decided in the period",
    ]
    c = figures["counts"]
    lines += [
        "",
        "Cancellations by ground: " + ", ".join(f"{k} {n}" for k, n in c["cancellations_by_ground"].items()),
        "Reclassifications by direction: "
        + ", ".join(f"{k} {n}" for k, n in c["reclassifications_by_direction"].items()),
    ]
    for title, key in (
        ("Transfers out by force", "transfers_out_by_force"),
        ("Transfers in by force", "transfers_in_by_force"),
        ("Referrals by agency and outcome", "referrals_by_agency_and_outcome"),
    ):
        lines += ["", *count_table(title, c[key])]
    lines += ["", *downgrade_text(figures["downgrades"])]
    lines += ["", *recording_text(figures["recording"])]
    return "\n".join(lines)


def count_table(title: str, table: dict[str, dict[str, int]]) -> list[str]:
    """Counts by row and column as aligned lines under a title (a column per action or outcome)."""
    if not table:
        return [f"{title}: none"]
    columns = sorted({column for counts in table.values() for column in counts})
    widths = [max(len(column), 5) for column in columns]
    lines = [f"{title:<34}" + "".join(f"{column:>{width + 2}}" for column, width in zip(columns, widths, strict=True))]
    for name, counts in table.items():
        lines.append(
            f"  {name:<32}"
            + "".join(f"{counts.get(column, 0):>{width + 2}}" for column, width in zip(columns, widths, strict=True))
        )
    return lines


def _share_line(label: str, row: dict) -> str:
    """One recorded / should-have-been line with its interval."""
    return (
        f"  {label[:56]:<56} {row['recorded']:>5}/{row['should_have_been']:<5} {_pct(row['rate'], 1):>6}  "
        f"[{_pct(row['low'], 1)} to {_pct(row['high'], 1)}]"
    )


def downgrade_text(d: dict) -> list[str]:
    """Decisions that left a crime less serious: how many, by whom, and the largest drops in weight."""
    lines = [f"Downgrades by seriousness: {d['count']}"]
    lines += [f"  {row['actor']} ({row['role']}): {row['count']}" for row in d["by_decider"]]
    for row in d["largest"]:
        lines.append(
            f"  {row['crime_reference'] or '-'} request {row['request_id']}: {row['from_code']} ({row['from_weight']}) "
            f"to {row['to_code']} ({row['to_weight']}) by {row['actor']} at {row['at']}"
        )
    return lines


def recording_text(r: dict) -> list[str]:
    """The recording-accuracy section: audited incidents, accuracy with intervals, N100s and referrals."""
    verdicts = r["verdicts"]
    lines = [
        "Crime-recording accuracy (in the period: audited incidents that should have been crimes, 95% Wilson interval)",
        f"  incidents reported: {r['incidents']['reported']:,} ({r['incidents']['with_crime']:,} with a crime); "
        f"audited {r['audited']}: rightly recorded {verdicts['recorded-correctly']}, rightly not a crime "
        f"{verdicts['not-a-crime']}, missed {verdicts['record-now']}, N100 {verdicts['n100']}; "
        f"now, from any date: awaiting a verdict {r['pending']['items']} ({r['pending']['for_seniors']} for fcr, dfcr "
        "or fcm)",
        _share_line("overall", r["accuracy"]),
    ]
    lines += [_share_line(f"offence group {row['name']}", row) for row in r["by_offence_group"]]
    lines += [_share_line(f"area {row['name']}", row) for row in r["by_area"]]
    lines.append(_share_line("recorded within 24 h of the report", r["within_24h"]))
    late = r["recorded_late_by_audit"]
    if late["crimes_missed"]:
        lines.append(
            f"  missed crimes recorded late by audit: {late['crimes_missed']}, longest {late['longest_delay_hours']:.0f} h"
        )
    rape = r["rape_reports"]
    lines.append(
        f"Reports of rape reviewed: {rape['reviewed']}"
        + ("; " + ", ".join(f"{k} {n}" for k, n in rape["outcomes"].items()) if rape["outcomes"] else "")
    )
    n100 = r["n100"]
    lines.append(
        f"N100 records: {n100['count']}"
        + ("; " + ", ".join(f"{k} {n}" for k, n in n100["by_reason"].items()) if n100["count"] else "")
    )
    referrals = r["referrals"]
    lines.append(f"Referrals that should have been crimes (of {referrals['decided']} decided)")
    lines.append(_share_line("overall", referrals["overall"]))
    lines += [_share_line(f"agency {row['name']}", row) for row in referrals["by_agency"]]
    return lines


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
    rows.append({"section": "victims", "key": "now", "measure": "untold", "value": figures["victims"]["untold"]})
    rows.append(
        {"section": "victims", "key": "period", "measure": "untold", "value": figures["victims"]["untold_from_period"]}
    )
    for section, table in figures["counts"].items():
        for key, value in table.items():
            if isinstance(value, dict):
                for measure, count in value.items():
                    rows.append({"section": section, "key": key, "measure": measure, "value": count})
            else:
                rows.append({"section": section, "key": key, "measure": "count", "value": value})
    d = figures["downgrades"]
    rows.append({"section": "downgrades", "key": "all", "measure": "count", "value": d["count"]})
    for row in d["by_decider"]:
        rows.append(
            {"section": "downgrades_by_decider", "key": row["actor"], "measure": "count", "value": row["count"]}
        )
    for row in d["largest"]:
        key = f"request {row['request_id']} {row['from_code']} to {row['to_code']}"
        rows.append({"section": "largest_downgrades", "key": key, "measure": "drop", "value": row["drop"]})
    r = figures["recording"]
    for section, items in (
        ("recording_overall", [{"name": "all", **r["accuracy"]}]),
        ("recording_within_24h", [{"name": "all", **r["within_24h"]}]),
        ("recording_by_offence_group", r["by_offence_group"]),
        ("recording_by_area", r["by_area"]),
        ("referral_recording", [{"name": "all", **r["referrals"]["overall"]}, *r["referrals"]["by_agency"]]),
    ):
        for row in items:
            for measure in ("should_have_been", "recorded", "rate", "low", "high"):
                rows.append({"section": section, "key": row["name"], "measure": measure, "value": row[measure]})
    for key, count in r["verdicts"].items():
        rows.append({"section": "recording_verdicts", "key": key, "measure": "count", "value": count})
    for key, count in r["n100"]["by_reason"].items():
        rows.append({"section": "n100_by_reason", "key": key, "measure": "count", "value": count})
    return rows
