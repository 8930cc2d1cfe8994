"""The demo generator: deterministic, the model force's offence mix, open work everywhere, a sound ledger."""

import json
import sqlite3
from datetime import UTC, datetime

import pytest
from helpers import invoke

from registrar.storage import ledger
from seed.generator import MODEL_SUBGROUPS, MODEL_YEAR_CRIMES, build

pytestmark = pytest.mark.own_clock

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MODEL_GROUPS = {
    "Violence Against the Person": 37_125,
    "Theft": 24_360,
    "Public Order Offences": 8_333,
    "Criminal Damage and Arson": 7_738,
    "Sexual Offences": 3_793,
    "Drug Offences": 2_440,
    "Miscellaneous Crimes Against Society": 1_870,
    "Possession of Weapons Offences": 1_117,
    "Robbery": 808,
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One default demo store for the module."""
    store = build(tmp_path_factory.mktemp("demo") / "demo.db", seed=7, now=NOW)
    yield store
    store.close()


def dump(path) -> list[str]:
    """The store as SQL, without sqlite-utils' wall-clock migration record."""
    conn = sqlite3.connect(path)
    lines = [line for line in conn.iterdump() if "_sqlite_migrations" not in line]
    conn.close()
    return lines


def test_same_seed_same_store_and_another_seed_differs(tmp_path):
    first = build(tmp_path / "a.db", seed=3, crimes=4000, now=NOW)
    second = build(tmp_path / "b.db", seed=3, crimes=4000, now=NOW)
    third = build(tmp_path / "c.db", seed=4, crimes=4000, now=NOW)
    for store in (first, second, third):
        store.close()
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")
    assert dump(tmp_path / "a.db") != dump(tmp_path / "c.db")


def test_model_totals_add_up():
    assert sum(MODEL_SUBGROUPS.values()) == sum(MODEL_GROUPS.values()) == MODEL_YEAR_CRIMES


def test_offence_group_shares_within_two_points_of_the_model(demo):
    rows = demo.conn.execute(
        "SELECT o.offence_group, count(*) FROM crimes c JOIN offences o ON o.code = c.offence_code "
        "WHERE c.source = 'demo' GROUP BY 1"
    ).fetchall()
    total = sum(count for _, count in rows)
    assert total == MODEL_YEAR_CRIMES
    for group, count in rows:
        assert abs(count / total - MODEL_GROUPS[group] / MODEL_YEAR_CRIMES) < 0.02, group


def test_crimes_span_a_year_over_ten_areas_with_flags(demo):
    low, high, areas = demo.conn.execute(
        "SELECT min(recorded_at), max(recorded_at), count(DISTINCT area) FROM crimes WHERE source = 'demo'"
    ).fetchone()
    assert low >= "2025-11-23" and high < "2026-11-23T12:00:00Z" and areas == 10
    flagged = demo.conn.execute(
        "SELECT sum(domestic_abuse), sum(hate_crime), sum(vulnerable_victim) FROM crimes"
    ).fetchone()
    assert all(count > 500 for count in flagged)


def test_a_crimes_summary_fits_its_offence_not_only_its_group(demo):
    rows = demo.conn.execute(
        "SELECT offence_code, summary FROM crimes WHERE source = 'demo' AND offence_code IN ('10A', '10B', '81', '8U')"
    )
    said = {}
    for code, summary in rows:
        said.setdefault(code, set()).add(summary)
    assert said, "the demo has firearms and coercive-control crimes"
    for code in ("10A", "10B", "81"):
        assert not any("knife" in text for text in said.get(code, ())), code  # a firearm is not "a knife"
    assert all("controls" in text for text in said.get("8U", ()))


def test_users_of_every_role(demo):
    roles = {row[0]: row[1] for row in demo.conn.execute("SELECT role, count(*) FROM users GROUP BY role")}
    assert roles["fcr"] == 1 and roles["dfcr"] == 1 and roles["fcm"] == 1 and roles["ddm"] == 4
    assert roles["auditor"] == 1 and roles["requester"] >= 10 and roles["viewer"] == 1


def test_every_queue_has_open_work_of_every_kind(demo):
    open_states = {
        (kind, state)
        for kind, state in demo.conn.execute("SELECT DISTINCT kind, state FROM requests WHERE closed_at IS NULL")
    }
    for kind in ("cancellation", "reclassification", "transfer_out", "transfer_in", "referral"):
        assert (kind, "pending") in open_states
        assert (kind, "referred") in open_states
    for kind in ("cancellation", "reclassification", "referral"):
        assert (kind, "returned") in open_states
    assert ("transfer_out", "sent") in open_states and ("transfer_out", "disputed") in open_states


def test_todays_risks_are_present(demo):
    now = "2026-11-23T12:00:00Z"
    one = lambda q, *a: demo.conn.execute(q, a).fetchone()[0]  # noqa: E731
    assert one("SELECT count(*) FROM requests WHERE kind = 'referral' AND closed_at IS NULL AND due_at < ?", now) >= 2
    assert (
        one(
            "SELECT count(*) FROM requests WHERE kind = 'referral' AND closed_at IS NULL AND due_at BETWEEN ? AND '2026-11-23T16:00:00Z'",
            now,
        )
        >= 2
    )
    assert (
        one(
            "SELECT count(*) FROM requests r JOIN crimes c ON c.id = r.crime_id JOIN offences o ON o.code = c.offence_code "
            "WHERE r.kind = 'cancellation' AND r.state = 'pending' AND o.restricted = 1"
        )
        >= 2
    )
    assert one("SELECT count(*) FROM follow_ups WHERE done_at IS NULL") >= 10


def test_history_has_every_ground_direction_and_outcome(demo):
    grounds = {
        row[0] for row in demo.conn.execute("SELECT DISTINCT cancellation_code FROM crimes WHERE state = 'cancelled'")
    }
    assert grounds == {"C1", "C2", "C3", "C4"}  # C5 is unconfirmed, so the demo force never uses it
    details = " ".join(row[0] for row in demo.conn.execute("SELECT details FROM ledger WHERE action = 'approve'"))
    for direction in ("up", "down", "lateral"):
        assert f'"direction":"{direction}"' in details
    actions = {row[0] for row in demo.conn.execute("SELECT DISTINCT action FROM ledger")}
    assert {
        "record",
        "cri",
        "no-crime",
        "duplicate",
        "accepted",
        "disputed",
        "escalate",
        "accept",
        "dispute",
        "reinstate",
        "victim-informed",
        "refer",
        "return",
        "answer",
    } <= actions
    agencies = demo.conn.execute("SELECT count(DISTINCT agency) FROM requests WHERE kind = 'referral'").fetchone()[0]
    assert agencies == 8


def test_request_volumes_are_a_few_per_cent_of_crime(demo):
    for kind in ("cancellation", "reclassification", "transfer_out"):
        count = demo.conn.execute("SELECT count(*) FROM requests WHERE kind = ?", (kind,)).fetchone()[0]
        yearly = count * 365 / 180
        assert 0.005 < yearly / MODEL_YEAR_CRIMES < 0.05, kind


def test_ledger_verifies(demo):
    assert ledger.verify(demo.conn).entries > 5000


def test_demo_store_accepts_as_and_a_fresh_init_store_does_not(tmp_path):
    demo_path = str(tmp_path / "d.db")
    built = invoke(["demo", "--db", demo_path, "--crimes", "2000", "--no-tui"])
    assert built.exit_code == 0, built.output
    assert invoke(["--db", demo_path, "--as", "dan", "queue", "--json"]).exit_code == 0
    plain = str(tmp_path / "p.db")
    assert invoke(["--db", plain, "init", "--force", "STA"]).exit_code == 0
    refused = invoke(["--db", plain, "--as", "fiona", "queue"])
    assert refused.exit_code == 1 and "--as is refused" in refused.stderr


def test_every_dashboard_figure_leads_to_a_list_of_its_size(demo):
    from registrar.reading import views

    now = "2026-11-23T12:00:00Z"
    for figure in views.dashboard(demo.conn, "fiona", "fcr", now):
        if figure.key == "audit":
            rows = views.audit_items(demo.conn, pending=True)
        elif figure.key == "recording":
            rows = views.recording_reviews(demo.conn, pending=True, limit=5000)
        else:
            rows = views.queue_page(demo.conn, figure.queue_filter, limit=5000, follow_ups=figure.follow_ups)
        assert len(rows) == figure.count, figure.label


def test_every_reclassification_takes_its_direction_from_the_one_order(demo):
    weights = dict(demo.conn.execute("SELECT code, severity FROM offences"))
    entries = demo.conn.execute(
        "SELECT l.details FROM ledger l JOIN requests r ON r.id = l.request_id "
        "WHERE r.kind = 'reclassification' AND l.action = 'approve'"
    ).fetchall()
    seen = set()
    for (text,) in entries:
        details = json.loads(text)
        before, after = weights[details["from_code"]], weights[details["to_code"]]
        assert (details["from_weight"], details["to_weight"]) == (before, after)
        expected = "up" if after > before else "down" if after < before else "lateral"
        assert details["direction"] == expected, details
        seen.add(expected)
    assert seen == {"up", "down", "lateral"} and len(entries) > 50
