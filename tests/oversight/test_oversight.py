"""Oversight: reproducible dip-samples, verdicts and reinstatements in the ledger, and reports that add up."""

import json
from datetime import UTC, datetime

import pytest
from helpers import USERS, act, around_now, invoke, raise_request, request, snapshot

from registrar.base.errors import Conflict, RuleRefused
from registrar.oversight import reports
from registrar.oversight.audit import SampleRates, draw_sample, record_verdict
from registrar.oversight.stats import wilson_interval
from registrar.storage import ledger
from seed.generator import build

PERIOD = around_now()


def decided_work(store, count=6) -> list[int]:
    """Cancellations decided by the two ddms, for sampling."""
    ids = []
    for n, reference in enumerate(("CR-2026-000001", "CR-2026-000003", "CR-2026-000005", "CR-2026-000006")[:count]):
        rid = raise_request(
            store,
            kind="cancellation",
            crime_reference=reference,
            cancellation_code="C4",
            error_description="typed twice by the control room",
        )
        act(store, "ddm" if n % 2 else "ddm2", rid, "approve")
        ids.append(rid)
    for _ in range(count):
        rid = raise_request(store, kind="referral", agency="HOU", subject="adult")
        act(store, "ddm", rid, "no-crime")
        ids.append(rid)
    return ids


@pytest.mark.parametrize(
    "successes, trials, low, high",
    [
        (18, 20, 0.6990, 0.9721),
        (5, 10, 0.2366, 0.7634),
        (0, 10, 0.0, 0.2775),
        (20, 20, 0.8389, 1.0),
    ],
)
def test_wilson_interval_matches_known_values(successes, trials, low, high):
    got = wilson_interval(successes, trials)
    assert got[0] == pytest.approx(low, abs=1e-4) and got[1] == pytest.approx(high, abs=1e-4)


@pytest.mark.own_clock
def test_same_seed_draws_the_same_sample_and_another_seed_does_not(tmp_path):
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    drawn = []
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        store = build(tmp_path / f"{name}.db", seed=3, crimes=3000, now=now)
        fcr = USERS["fcr"].__class__("fiona", "fcr", "Fiona Hale")
        draw_sample(store, fcr, "2026-09-01T00:00:00Z", "2026-11-20T00:00:00Z", seed, SampleRates(0.5))
        drawn.append(
            [
                row["ledger_seq"]
                for row in store.conn.execute(
                    "SELECT ledger_seq FROM audit_items WHERE sample_id = (SELECT max(id) FROM audit_samples) ORDER BY 1"
                )
            ]
        )
        store.close()
    assert drawn[0] == drawn[1] and drawn[0] != drawn[2]
    assert len(drawn[0]) >= 5


def test_sample_takes_only_ddm_decisions_at_the_rate_and_never_twice(store):
    decided_work(store)
    sample = draw_sample(store, USERS["fcr"], *PERIOD, seed=5, rates=SampleRates(1.0))
    makers = {row[0] for row in store.conn.execute("SELECT DISTINCT maker FROM audit_items")}
    assert makers == {"dan", "dora"} and sample.sampled == sample.candidates == 10
    again = draw_sample(store, USERS["fcr"], *PERIOD, seed=5, rates=SampleRates(1.0))
    assert again.sampled == 0 and again.skipped == 10
    none = draw_sample(store, USERS["fcr"], *PERIOD, seed=5, rates=SampleRates(0.0, makers={"dan": 1.0}))
    assert none.candidates == 10


def test_rates_per_kind_and_per_maker():
    rates = SampleRates(0.5, kinds={"cancellation": 0.75}, makers={"dan": 1.0})
    assert rates.rate_for("cancellation", "dora") == 0.75
    assert rates.rate_for("referral", "dora") == 0.5
    assert rates.rate_for("referral", "dan") == 1.0


def test_verdicts_are_ledger_entries_and_a_disagreement_can_reinstate(store):
    decided_work(store)
    draw_sample(store, USERS["fcr"], *PERIOD, seed=5, rates=SampleRates(1.0))
    items = store.conn.execute("SELECT id, request_id, kind FROM audit_items ORDER BY id").fetchall()
    cancellation = next(i for i in items if i["kind"] == "cancellation")
    other = next(i for i in items if i["kind"] == "referral")
    record_verdict(store, USERS["auditor"], other["id"], "agree", "")
    result = record_verdict(
        store,
        USERS["fcr"],
        cancellation["id"],
        "disagree",
        "The error described was not an error: the crime stands.",
        reopen=True,
    )
    assert result.reopened == "reinstate"
    assert request(store, cancellation["request_id"])["state"] == "reinstated"
    actions = [row[0] for row in store.conn.execute("SELECT action FROM ledger ORDER BY seq DESC LIMIT 3")]
    assert actions == ["reinstate", "audit-disagree", "audit-agree"]
    ledger.verify(store.conn)
    with pytest.raises(Conflict):
        record_verdict(store, USERS["fcr"], other["id"], "disagree", "Second thoughts on this referral decision.")


def test_roles_a_ddm_cannot_audit_a_viewer_cannot_record_an_auditor_cannot_reinstate(store):
    decided_work(store)
    with pytest.raises(RuleRefused):
        draw_sample(store, USERS["ddm"], *PERIOD, seed=1, rates=SampleRates(1.0))
    draw_sample(store, USERS["fcr"], *PERIOD, seed=1, rates=SampleRates(1.0))
    item = store.conn.execute("SELECT id FROM audit_items WHERE kind = 'cancellation' LIMIT 1").fetchone()[0]
    before = snapshot(store)
    for who in ("ddm", "viewer", "requester", "fcm"):
        with pytest.raises(RuleRefused):
            record_verdict(store, USERS[who], item, "agree", "")
    with pytest.raises(RuleRefused):
        record_verdict(
            store, USERS["auditor"], item, "disagree", "Wrong ground used for this case entirely.", reopen=True
        )
    with pytest.raises(RuleRefused) as short:
        record_verdict(store, USERS["auditor"], item, "disagree", "no")
    assert short.value.rule == "rationale-too-short"
    assert snapshot(store) == before


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo store with history, audits and open work."""
    store = build(tmp_path_factory.mktemp("oversight") / "demo.db", seed=2, now=datetime(2026, 11, 23, 12, tzinfo=UTC))
    yield store
    store.close()


@pytest.mark.own_clock
def test_report_counts_agree_with_independent_sql(demo):
    since, until, now = "2026-06-01T00:00:00Z", "2026-11-23T12:00:00Z", "2026-11-23T12:00:00Z"
    figures = reports.report(demo.conn, demo.settings(), since, until, now)
    conn = demo.conn
    grounds = dict(
        conn.execute(
            "SELECT l.code, count(*) FROM ledger l JOIN requests r ON r.id = l.request_id WHERE r.kind = 'cancellation' "
            "AND l.action = 'approve' AND l.at >= ? AND l.at < ? GROUP BY 1",
            (since, until),
        ).fetchall()
    )
    grounds["C1"] = conn.execute(
        "SELECT count(*) FROM ledger WHERE action = 'accepted' AND at >= ? AND at < ?", (since, until)
    ).fetchone()[0]
    assert figures["counts"]["cancellations_by_ground"] == dict(sorted(grounds.items()))
    outcomes = {}
    for agency, state, n in conn.execute(
        "SELECT agency, state, count(*) FROM requests WHERE kind = 'referral' AND closed_at >= ? AND closed_at < ? "
        "GROUP BY 1, 2",
        (since, until),
    ):
        outcomes.setdefault(agency, {})[state] = n
    assert figures["counts"]["referrals_by_agency_and_outcome"] == outcomes
    within, decided = conn.execute(
        "SELECT sum((julianday(closed_at) - julianday(received_at)) * 24 <= 24), count(*) FROM requests "
        "WHERE kind = 'referral' AND state != 'withdrawn' AND closed_at >= ? AND closed_at < ?",
        (since, until),
    ).fetchone()
    assert (figures["timeliness"]["referrals_within_clock"], figures["timeliness"]["referrals_decided"]) == (
        within,
        decided,
    )
    untold = conn.execute("SELECT count(*) FROM follow_ups WHERE done_at IS NULL").fetchone()[0]
    assert figures["victims"]["untold"] == untold
    agreed, sampled = conn.execute(
        "SELECT sum(verdict = 'agree'), count(*) FROM audit_items WHERE verdict IS NOT NULL AND decided_at >= ? "
        "AND decided_at < ?",
        (since, until),
    ).fetchone()
    overall = figures["compliance"]["overall"]
    assert (overall["agreed"], overall["sampled"]) == (agreed, sampled) and sampled > 50
    directions = {}
    for (details,) in conn.execute(
        "SELECT l.details FROM ledger l JOIN requests r ON r.id = l.request_id WHERE r.kind = 'reclassification' "
        "AND l.action = 'approve' AND l.at >= ? AND l.at < ?",
        (since, until),
    ):
        direction = json.loads(details)["direction"]
        directions[direction] = directions.get(direction, 0) + 1
    assert figures["counts"]["reclassifications_by_direction"] == dict(sorted(directions.items()))


@pytest.mark.own_clock
def test_demo_has_a_reinstatement_from_audit_and_pending_audit_work(demo):
    assert demo.conn.execute("SELECT count(*) FROM audit_items WHERE verdict IS NULL").fetchone()[0] > 0
    assert demo.conn.execute("SELECT count(*) FROM audit_items WHERE verdict = 'disagree'").fetchone()[0] > 0


def test_cli_audit_report_and_export(store, tmp_path):
    ids = decided_work(store)
    run = lambda who, *args: invoke(["--db", str(store.path), "--as", who, *args])  # noqa: E731
    assert run("dan", "audit", "draw", "--from", PERIOD[0], "--to", PERIOD[1]).exit_code == 1
    drawn = run("fiona", "audit", "draw", "--from", PERIOD[0], "--to", PERIOD[1], "--seed", "3", "--rate", "1")
    assert drawn.exit_code == 0, drawn.output
    items = json.loads(run("audrey", "audit", "list", "--pending", "--json").stdout)
    assert len(items) == len(ids)
    assert run("audrey", "audit", "verdict", str(items[0]["id"]), "agree").exit_code == 0
    assert run("vic", "audit", "verdict", str(items[1]["id"]), "agree").exit_code == 1
    figures = json.loads(run("fiona", "report", "--from", PERIOD[0], "--to", PERIOD[1], "--json").stdout)
    assert figures["compliance"]["overall"]["sampled"] == 1
    csv_lines = run("fiona", "report", "--from", PERIOD[0], "--to", PERIOD[1], "--csv").stdout.splitlines()
    assert csv_lines[0] == "section,key,measure,value" and len(csv_lines) > 5
    exported = run("fiona", "export", "decisions", "--from", PERIOD[0], "--to", PERIOD[1], "--csv").stdout
    assert exported.splitlines()[0].startswith("seq,at,actor,role,request_id,kind")
    assert (
        exported.count("\n") - 1
        == store.conn.execute(
            "SELECT count(*) FROM ledger WHERE request_id IS NOT NULL AND action != 'raise'"
        ).fetchone()[0]
    )


def test_export_neutralises_formula_cells(store):
    rid = raise_request(store, kind="referral", agency="CSC")
    act(store, "ddm", rid, "no-crime", '=HYPERLINK("http://x","click") no offence disclosed here')
    out = invoke(
        [
            "--db",
            str(store.path),
            "--as",
            "fiona",
            "export",
            "decisions",
            "--from",
            PERIOD[0],
            "--to",
            PERIOD[1],
            "--csv",
        ],
    ).stdout
    assert "'=HYPERLINK" in out and ",=HYPERLINK" not in out
