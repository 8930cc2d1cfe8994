"""Crime-recording accuracy: of the incidents and referrals that should have been crimes, how many were recorded."""

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable

from queries import sql
from registrar.base.clock import age_hours, parse
from registrar.base.vocabulary import N100_REASONS
from registrar.oversight.stats import wilson_interval

SHOULD_HAVE_BEEN = ("recorded-correctly", "record-now")
RECORDING_CLOCK_HOURS = 24.0
REFERRAL_RECORDED_STATES = ("recorded", "duplicate")


def share(key: dict, recorded: int, should: int) -> dict:
    """A row of recorded / should-have-been, its rate and 95% Wilson interval."""
    low, high = wilson_interval(recorded, should)
    return {
        **key,
        "should_have_been": should,
        "recorded": recorded,
        "rate": recorded / should if should else None,
        "low": low,
        "high": high,
    }


def _grouped(rows: Iterable, column: str, recorded: Callable) -> list[dict]:
    """Shares per value of `column`, in order."""
    should: Counter = Counter()
    done: Counter = Counter()
    for row in rows:
        key = row[column] or "(none)"
        should[key] += 1
        done[key] += bool(recorded(row))
    return [{"name": key, **share({}, done[key], should[key])} for key in sorted(should, key=str)]


def _rightly_recorded(row: sqlite3.Row) -> bool:
    """True when the audit found the incident's crime recorded at the time."""
    return row["verdict"] == "recorded-correctly"


def _referral_recorded(row: sqlite3.Row) -> bool:
    """True when the referral's decision recorded (or linked) a crime."""
    return row["state"] in REFERRAL_RECORDED_STATES


def _on_time(row: sqlite3.Row) -> bool:
    """True when the incident's crime was recorded within the clock of the report."""
    if row["verdict"] != "recorded-correctly" or row["first_recorded_at"] is None:
        return False
    return age_hours(row["opened_at"], parse(row["first_recorded_at"])) <= RECORDING_CLOCK_HOURS


def recording_figures(conn: sqlite3.Connection, since: str, until: str) -> dict:
    """Recording accuracy from the audited incidents reported in [since, until), N100s and referrals."""
    audited = conn.execute(sql("recording_audited"), {"since": since, "until": until}).fetchall()
    should = [row for row in audited if row["verdict"] in SHOULD_HAVE_BEEN]
    verdicts = Counter(row["verdict"] for row in audited)
    incidents = conn.execute(sql("incidents_count"), {"since": since, "until": until}).fetchone()
    pending = conn.execute(sql("recording_pending_count")).fetchone()
    delays = sorted(row["delay_hours"] for row in should if row["delay_hours"] is not None)
    return {
        "incidents": {"reported": incidents["incidents"], "with_crime": incidents["with_crime"]},
        "audited": len(audited),
        "verdicts": {key: verdicts.get(key, 0) for key in ("recorded-correctly", "not-a-crime", "record-now", "n100")},
        "pending": {"items": pending["pending"], "for_seniors": pending["seniors_only"]},
        "accuracy": share({}, sum(1 for row in should if _rightly_recorded(row)), len(should)),
        "by_offence_group": _grouped(should, "offence_group", _rightly_recorded),
        "by_area": _grouped(should, "area", _rightly_recorded),
        "within_24h": share({}, sum(1 for row in should if _on_time(row)), len(should)),
        "recorded_late_by_audit": {"crimes_missed": len(delays), "longest_delay_hours": delays[-1] if delays else None},
        "rape_reports": _rape_reports(audited),
        "n100": _n100s(conn, since, until),
        "referrals": referral_recording(conn, since, until),
    }


def _rape_reports(audited: list[sqlite3.Row]) -> dict:
    """Reports of rape reviewed, by what the review decided."""
    outcomes = Counter(row["verdict"] for row in audited if row["rape_report"])
    return {"reviewed": sum(outcomes.values()), "outcomes": dict(sorted(outcomes.items()))}


def _n100s(conn: sqlite3.Connection, since: str, until: str) -> dict:
    """N100 records for incidents reported in the period, by reason."""
    reasons = Counter(row["reason"] for row in conn.execute(sql("n100s_in_period"), {"since": since, "until": until}))
    return {
        "count": sum(reasons.values()),
        "by_reason": {N100_REASONS[key].label if key in N100_REASONS else key: n for key, n in sorted(reasons.items())},
    }


def referral_recording(conn: sqlite3.Connection, since: str, until: str) -> dict:
    """Referrals decided in the period that should have been crimes (recorded, duplicate, or a closure the audit
    disagreed with) and how many were recorded, overall and by agency."""
    rows = conn.execute(sql("referral_recording"), {"since": since, "until": until}).fetchall()
    should = [row for row in rows if row["state"] in REFERRAL_RECORDED_STATES or row["disagreed"]]
    return {
        "decided": len(rows),
        "overall": share({}, sum(1 for row in should if _referral_recorded(row)), len(should)),
        "by_agency": _grouped(should, "agency", _referral_recorded),
    }
