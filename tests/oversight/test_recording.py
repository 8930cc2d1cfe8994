"""Recording audits: incidents in, reproducible samples, verdicts in one transaction, accuracy and the pack."""

import json
import os
import shutil
import sqlite3
import struct
import subprocess
from datetime import UTC, datetime

import pytest
from helpers import NOW, USERS, around_now, at, invoke, snapshot

from registrar.administration import admin
from registrar.base.errors import BadInput, Conflict, LedgerBroken, RuleRefused
from registrar.oversight.accuracy import recording_figures
from registrar.oversight.incidents import import_incidents
from registrar.oversight.inspection_pack import PackHeader, render_pack
from registrar.oversight.recording import RecordingWeights, draw_recording_sample, record_recording_verdict
from registrar.oversight.reports import report
from registrar.oversight.stats import wilson_interval
from registrar.storage import ledger

FCR, DDM, AUDITOR, FCM = USERS["fcr"], USERS["ddm"], USERS["auditor"], USERS["fcm"]
INCIDENTS = """number,opened_at,closed_at,opening_code,closing_code,area,crime_references,domestic_abuse,child_at_risk,summary
STORM-1101,2026-11-01T08:00:00Z,2026-11-01T09:30:00Z,SUSPICIOUS,ADVICE,Stafford,,no,no,Man looking into cars
STORM-1102,2026-11-01T09:00:00Z,2026-11-01T11:00:00Z,VIOLENCE,CRIME,Cannock,CR-2026-000003,yes,no,Partner punched caller
STORM-1103,2026-11-02T22:10:00Z,2026-11-03T01:00:00Z,DOMESTIC,ADVICE,Tamworth,,yes,yes,Shouting; child says dad pushed mum
STORM-1104,2026-11-03T14:00:00Z,,RAPE,NFA,Cannock,,no,no,Friend reports that the caller's sister was raped
STORM-1105,2026-11-04T10:00:00Z,2026-11-04T10:20:00Z,ASB,ADVICE,Lichfield,,,,Youths kicking a ball at windows
"""


def incidents(store, text: str = INCIDENTS, who=FCR):
    """Import incidents as one of the test users."""
    return import_incidents(store, who, text.encode(), "storm.csv")


def rows(store, query: str, *params) -> list[dict]:
    """Rows of a query as dicts."""
    return [dict(row) for row in store.conn.execute(query, params)]


def everything(store, seed: int = 5):
    """Import the incidents and draw every one of them."""
    incidents(store)
    return draw_recording_sample(store, FCR, "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z", seed, _all())


def _all() -> RecordingWeights:
    """Weights that draw every incident."""
    return RecordingWeights.from_setting({"base_rate": 1.0, "recorded_rate": 1.0})


def review_of(store, number: str) -> int:
    """The review id of an incident."""
    return store.conn.execute(
        "SELECT r.id FROM recording_reviews r JOIN incidents i ON i.id = r.incident_id WHERE i.number = ?", (number,)
    ).fetchone()[0]


# --- import ---------------------------------------------------------------------------------------------------------


def test_a_realistic_export_imports_with_its_links_and_queues_the_unrecorded_rape_report(store):
    result = incidents(store)
    assert result.rows == 5
    stored = {row["number"]: row for row in rows(store, "SELECT * FROM incidents")}
    assert stored["STORM-1102"]["crime_recorded"] == 1 and stored["STORM-1102"]["domestic_abuse"] == 1
    assert stored["STORM-1103"]["child_at_risk"] == 1 and stored["STORM-1103"]["crime_recorded"] == 0
    assert stored["STORM-1104"]["rape_report"] == 1, "the RAPE opening code marks a report of rape"
    links = rows(
        store,
        "SELECT i.number, c.reference, link FROM incident_crimes JOIN incidents i ON i.id = incident_id "
        "JOIN crimes c ON c.id = crime_id",
    )
    assert links == [{"number": "STORM-1102", "reference": "CR-2026-000003", "link": "recorded"}]
    queued = rows(
        store, "SELECT i.number, source, seniors_only FROM recording_reviews JOIN incidents i ON i.id = incident_id"
    )
    assert queued == [{"number": "STORM-1104", "source": "rape-report", "seniors_only": 1}]
    entry = ledger.head(store.conn)
    assert entry.seq == result.seq
    assert ledger.verify(store.conn, replay=True).rows


@pytest.mark.parametrize(
    "line, problem",
    [
        ("STORM-1101,2026-11-05T08:00:00Z,,ASB,,Stafford,,,,x", "line 7: number STORM-1101 repeats line 2"),
        (
            "STORM-9,2026-11-05T08:00:00Z,,ASB,,Stafford,CR-NOPE,,,x",
            "line 7: crime CR-NOPE is not a crime in this store",
        ),
        (f"STORM-9,{at(40)},,ASB,,Stafford,,,,x", f"line 7: opened_at {at(40)} is in the future"),
        ("STORM-9,next tuesday,,ASB,,Stafford,,,,x", "line 7: opened_at 'next tuesday' is not a date or time"),
        ("STORM-9,2026-11-05T08:00:00Z,,ASB,,Stafford,,maybe,,x", "line 7: domestic_abuse 'maybe' is not yes/no"),
        ("STORM-9,2026-11-05T08:00:00Z,2026-11-04T08:00:00Z,ASB,,Stafford,,,,x", "is before opened_at"),
    ],
)
def test_a_bad_row_is_named_by_line_and_nothing_is_imported(store, line, problem):
    before = snapshot(store)
    with pytest.raises(BadInput) as refused:
        incidents(store, INCIDENTS + line + "\n")
    assert any(problem in p for p in refused.value.problems), refused.value.problems
    assert snapshot(store) == before


def test_incidents_are_imported_by_the_audit_team_not_a_ddm(store):
    before = snapshot(store)
    with pytest.raises(RuleRefused, match="a ddm may not import incidents"):
        incidents(store, who=DDM)
    assert snapshot(store) == before


# --- samples --------------------------------------------------------------------------------------------------------


def test_a_redraw_draws_nothing_twice(store):
    incidents(store)
    weights = RecordingWeights.from_setting({"base_rate": 0.4})
    first = draw_recording_sample(store, FCR, "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z", 11, weights)
    drawn = {
        row["number"]
        for row in rows(
            store,
            "SELECT i.number FROM recording_reviews r JOIN incidents i ON i.id = r.incident_id WHERE r.sample_id = ?",
            first.id,
        )
    }
    assert "STORM-1104" not in drawn, "the report of rape was queued for the seniors on import"
    assert drawn >= {"STORM-1103"}, "domestic abuse with a child at risk is weighted to certainty at 0.4"
    redrawn = draw_recording_sample(store, FCR, "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z", 11, weights)
    assert redrawn.sampled == 0 and redrawn.skipped == first.sampled + first.skipped


def test_the_same_seed_draws_the_same_incidents_in_two_stores(store, tmp_path):
    from registrar.storage.store import Store

    copy = sqlite3.connect(tmp_path / "twin.db")
    store.conn.backup(copy)
    copy.close()
    twin = Store.open(tmp_path / "twin.db")
    weights = RecordingWeights.from_setting({"base_rate": 0.3})
    picked = []
    for each in (store, twin):
        incidents(each)
        sample = draw_recording_sample(each, FCR, "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z", 99, weights)
        picked.append(
            rows(
                each,
                "SELECT i.number FROM recording_reviews r JOIN incidents i ON i.id = r.incident_id "
                "WHERE r.sample_id = ? ORDER BY 1",
                sample.id,
            )
        )
    assert picked[0] == picked[1]
    twin.close()


def test_risk_weights_raise_the_chance_of_violence_domestic_abuse_and_children():
    weights = RecordingWeights.from_setting(None)
    base = {
        "opening_code": "ASB",
        "crime_recorded": 0,
        "domestic_abuse": 0,
        "child_at_risk": 0,
        "adult_at_risk": 0,
        "hate_crime": 0,
        "rape_report": 0,
    }
    assert weights.chance(base) == pytest.approx(0.02)
    assert weights.chance({**base, "opening_code": "violence"}) == pytest.approx(0.08)
    assert weights.chance({**base, "child_at_risk": 1, "domestic_abuse": 1}) == pytest.approx(0.12)
    assert weights.chance({**base, "crime_recorded": 1}) == pytest.approx(0.02)
    halved = RecordingWeights.from_setting({"recorded_rate": 0.5})
    assert halved.chance({**base, "crime_recorded": 1}) == pytest.approx(0.01)
    assert weights.chance({**base, "rape_report": 1}) == pytest.approx(0.4)
    assert weights.with_base_rate(0.1).chance({**base, "rape_report": 1}) == 1.0


def test_drawing_is_for_the_fcr_deputy_or_an_auditor(store):
    incidents(store)
    before = snapshot(store)
    for who in (DDM, FCM, USERS["viewer"]):
        with pytest.raises(RuleRefused, match="may not draw recording audits"):
            draw_recording_sample(store, who, "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z", 1, _all())
    assert snapshot(store) == before


# --- verdicts -------------------------------------------------------------------------------------------------------


def test_a_missed_crime_is_recorded_with_the_verdict_late_by_audit(store):
    everything(store)
    review = review_of(store, "STORM-1103")
    crimes_before = store.conn.execute("SELECT count(*) FROM crimes").fetchone()[0]
    result = record_recording_verdict(
        store,
        AUDITOR,
        review,
        "record-now",
        "Child describes dad pushing mum: common assault missed.",
        offences=["105A", "8N"],
    )
    assert len(result.created) == 2
    created = rows(
        store,
        "SELECT reference, offence_code, source, occurred_at, area, domestic_abuse, vulnerable_victim "
        "FROM crimes WHERE source = 'recording-audit' ORDER BY id",
    )
    assert [c["offence_code"] for c in created] == ["105A", "8N"]
    assert all(c["occurred_at"] == "2026-11-02T22:10:00Z" and c["area"] == "Tamworth" for c in created)
    assert all(c["domestic_abuse"] == 1 and c["vulnerable_victim"] == 1 for c in created)
    assert store.conn.execute("SELECT count(*) FROM crimes").fetchone()[0] == crimes_before + 2
    stored = rows(store, "SELECT verdict, reason, delay_hours, verdict_by FROM recording_reviews WHERE id = ?", review)[
        0
    ]
    assert stored["verdict"] == "record-now" and stored["reason"] == "105A 8N" and stored["verdict_by"] == "audrey"
    reported = datetime(2026, 11, 2, 22, 10, tzinfo=UTC)
    assert stored["delay_hours"] == pytest.approx((NOW - reported).total_seconds() / 3600, abs=0.01)
    links = rows(
        store,
        "SELECT link FROM incident_crimes JOIN incidents i ON i.id = incident_id WHERE i.number = ?",
        "STORM-1103",
    )
    assert links == [{"link": "audit"}, {"link": "audit"}]
    entry = ledger.head(store.conn)
    details = json.loads(store.conn.execute("SELECT details FROM ledger WHERE seq = ?", (entry.seq,)).fetchone()[0])
    assert details["recorded"] == result.created and details["incident"] == "STORM-1103"
    assert ledger.verify(store.conn, replay=True).rows


def test_a_verdict_killed_half_way_leaves_nothing(store, monkeypatch):
    everything(store)
    review = review_of(store, "STORM-1103")
    before = snapshot(store)

    def power_cut(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger, "append", power_cut)
    with pytest.raises(KeyboardInterrupt):
        record_recording_verdict(
            store, AUDITOR, review, "record-now", "Common assault missed on the call.", offences=["105A"]
        )
    monkeypatch.undo()
    assert snapshot(store) == before, "the crime, its link and the verdict went together or not at all"


def test_reports_of_rape_and_n100s_reach_only_fcr_dfcr_and_fcm(store):
    everything(store)
    rape = review_of(store, "STORM-1104")
    other = review_of(store, "STORM-1101")
    before = snapshot(store)
    for who in (AUDITOR, DDM):
        with pytest.raises(RuleRefused):
            record_recording_verdict(store, who, rape, "not-a-crime", reason="no-offence")
    with pytest.raises(RuleRefused, match="rape-report-seniors"):
        record_recording_verdict(
            store, AUDITOR, other, "n100", "Third party report, not confirmed.", reason="third-party-unconfirmed"
        )
    assert snapshot(store) == before
    record_recording_verdict(
        store, FCM, rape, "n100", "Sister traced; she does not confirm any offence.", reason="third-party-unconfirmed"
    )
    assert rows(store, "SELECT reason, created_by FROM n100s") == [
        {"reason": "third-party-unconfirmed", "created_by": "carol"}
    ]
    listed = rows(
        store,
        "SELECT r.seniors_only FROM recording_reviews r JOIN incidents i ON i.id = r.incident_id "
        "WHERE i.number = 'STORM-1104'",
    )
    assert listed == [{"seniors_only": 1}]


def test_a_report_of_rape_is_kept_out_of_the_figures_only_with_a_written_note(store):
    everything(store)
    rape = review_of(store, "STORM-1104")
    before = snapshot(store)
    for note in ("", "   "):
        with pytest.raises(RuleRefused, match="rape-report-note"):
            record_recording_verdict(store, FCR, rape, "not-a-crime", note, reason="no-offence")
    assert snapshot(store) == before
    written = "Caller's account on review describes a dispute, no sexual offence; sister confirms."
    record_recording_verdict(store, FCR, rape, "not-a-crime", written, reason="no-offence")
    assert rows(store, "SELECT verdict, note FROM recording_reviews WHERE id = ?", rape) == [
        {"verdict": "not-a-crime", "note": written}
    ]


def test_a_ddm_never_works_the_recording_audit(store):
    everything(store)
    before = snapshot(store)
    with pytest.raises(RuleRefused, match="a ddm may not record recording-audit verdicts"):
        record_recording_verdict(store, DDM, review_of(store, "STORM-1101"), "not-a-crime", reason="no-offence")
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "number, verdict, fields, rule",
    [
        ("STORM-1101", "recorded-correctly", {}, "no-crime-recorded"),
        ("STORM-1102", "record-now", {"offences": ["8N"]}, "crime-already-recorded"),
        ("STORM-1101", "not-a-crime", {"reason": "because"}, "reason-required"),
        ("STORM-1101", "not-a-crime", {}, "reason-required"),
        ("STORM-1103", "record-now", {"offences": []}, "offence-required"),
        ("STORM-1103", "record-now", {"offences": ["99Z"]}, "bad-value"),
        ("STORM-1101", "n100", {"reason": "third-party-unconfirmed"}, "n100-rape-only"),
        ("STORM-1103", "record-now", {"offences": ["8N"], "note": ""}, "rationale-required"),
    ],
)
def test_a_verdict_that_does_not_fit_is_refused_and_changes_nothing(store, number, verdict, fields, rule):
    everything(store)
    review = review_of(store, number)
    before = snapshot(store)
    note = fields.pop("note", "A rationale long enough for the store's rule.")
    with pytest.raises(RuleRefused) as refused:
        record_recording_verdict(store, FCR, review, verdict, note, **fields)
    assert refused.value.rule == rule
    assert snapshot(store) == before


def test_a_verdict_stands_once_given(store):
    everything(store)
    review = review_of(store, "STORM-1101")
    record_recording_verdict(store, AUDITOR, review, "not-a-crime", reason="no-offence")
    before = snapshot(store)
    with pytest.raises(Conflict, match="already has a verdict: not-a-crime by audrey"):
        record_recording_verdict(store, FCR, review, "not-a-crime", reason="crime-related")
    assert snapshot(store) == before


def test_a_hostile_colleague_cannot_rewrite_a_verdict_or_delete_an_n100(store):
    everything(store)
    record_recording_verdict(
        store, FCR, review_of(store, "STORM-1104"), "n100", "Victim does not confirm.", reason="third-party-unconfirmed"
    )
    with pytest.raises(sqlite3.DatabaseError, match="once recorded, stands"):
        store.conn.execute("UPDATE recording_reviews SET verdict = 'not-a-crime' WHERE verdict = 'n100'")
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        store.conn.execute("DELETE FROM n100s")
    store.conn.execute("UPDATE incidents SET crime_recorded = 1 WHERE number = 'STORM-1101'")
    with pytest.raises(LedgerBroken, match="incidents"):
        ledger.verify(store.conn, replay=True)


# --- figures --------------------------------------------------------------------------------------------------------


def _model_force_audit(store) -> None:
    """The 2014 inspection's audit: 131 incidents, 117 should have been crimes, 113 recorded, 4 missed."""
    lines = ["number,opened_at,opening_code,area,crime_references"]
    crime_lines = ["reference,offence_code,recorded_at,area"]
    for n in range(131):
        recorded = n < 113
        if recorded:
            crime_lines.append(f"AUD-{n:03d},8N,2026-10-0{1 + n % 5}T12:00:00Z,{'Stafford' if n % 2 else 'Cannock'}")
        lines.append(
            f"INC-{n:03d},2026-10-0{1 + n % 5}T09:00:00Z,VIOLENCE,{'Stafford' if n % 2 else 'Cannock'},"
            + (f"AUD-{n:03d}" if recorded else "")
        )
    from registrar.intake import imports

    imports.import_crimes(store, FCR, ("\n".join(crime_lines) + "\n").encode(), "audit-crimes.csv")
    incidents(store, "\n".join(lines) + "\n")
    draw_recording_sample(store, FCR, "2026-10-01T00:00:00Z", "2026-10-10T00:00:00Z", 3, _all())
    for n in range(131):
        review = review_of(store, f"INC-{n:03d}")
        if n < 113:
            record_recording_verdict(store, AUDITOR, review, "recorded-correctly")
        elif n < 117:
            record_recording_verdict(
                store, AUDITOR, review, "record-now", "Assault described; no crime recorded.", offences=["8N"]
            )
        else:
            record_recording_verdict(store, AUDITOR, review, "not-a-crime", reason="no-offence")


def test_the_model_forces_117_and_113_give_96_6_percent_with_its_interval(store):
    _model_force_audit(store)
    figures = recording_figures(store.conn, "2026-10-01T00:00:00Z", "2026-10-10T00:00:00Z")
    accuracy = figures["accuracy"]
    assert (accuracy["recorded"], accuracy["should_have_been"]) == (113, 117)
    assert round(accuracy["rate"] * 100, 1) == 96.6
    assert (round(accuracy["low"], 3), round(accuracy["high"], 3)) == (0.915, 0.987)
    independent = store.conn.execute(
        "SELECT sum(verdict = 'recorded-correctly'), sum(verdict IN ('recorded-correctly', 'record-now')) "
        "FROM recording_reviews"
    ).fetchone()
    assert (accuracy["recorded"], accuracy["should_have_been"]) == tuple(independent)
    by_area = {row["name"]: (row["recorded"], row["should_have_been"]) for row in figures["by_area"]}
    independent_by_area = {
        area: (recorded, should)
        for area, recorded, should in store.conn.execute(
            "SELECT i.area, sum(r.verdict = 'recorded-correctly'), count(*) FROM recording_reviews r "
            "JOIN incidents i ON i.id = r.incident_id WHERE r.verdict IN ('recorded-correctly', 'record-now') "
            "GROUP BY i.area"
        )
    }
    assert by_area == independent_by_area
    assert figures["within_24h"]["recorded"] == 113, "each was recorded three hours after the call"
    assert figures["verdicts"] == {"recorded-correctly": 113, "not-a-crime": 14, "record-now": 4, "n100": 0}


def test_wilson_interval_matches_published_values():
    assert wilson_interval(113, 117) == pytest.approx((0.91538, 0.98663), abs=1e-4)
    assert wilson_interval(29, 43) == pytest.approx((0.52516, 0.79507), abs=1e-4)


def test_referrals_that_should_have_been_crimes_count_audit_disagreements(store):
    from helpers import act, raise_request

    from registrar.oversight.audit import SampleRates, draw_sample, record_verdict

    recorded = raise_request(store, kind="referral", agency="CSC", subject="child", summary="Bruise on a child")
    act(store, "ddm", recorded, "record", offences=["8N"], area="Stafford")
    closed = raise_request(store, kind="referral", agency="HOU", subject="adult", summary="Tenant hit by a neighbour")
    act(store, "ddm", closed, "no-crime")
    sample = draw_sample(store, FCR, *around_now(), 1, SampleRates(default=1.0))
    assert sample.sampled == 2
    item = store.conn.execute("SELECT id FROM audit_items WHERE request_id = ?", (closed,)).fetchone()[0]
    record_verdict(store, AUDITOR, item, "disagree", "A tenant describing being hit discloses an assault.")
    figures = recording_figures(store.conn, *around_now())["referrals"]
    assert (figures["overall"]["recorded"], figures["overall"]["should_have_been"]) == (1, 2)


# --- the inspection pack ----------------------------------------------------------------------------------------------


SECTIONS = (
    "Compliance of designated decision makers",
    "Crime-recording accuracy",
    "Timeliness",
    "Cancellations by ground",
    "Reclassifications by direction",
    "Transfers between forces",
    "MASH and third-party referrals",
    "Victims not told",
)


def _pack(store) -> tuple[str, ledger.Head]:
    """The pack for the store's October and November."""
    figures = report(store.conn, store.settings(), "2026-10-01T00:00:00Z", "2026-11-24T00:00:00Z", store.now())
    head = ledger.head(store.conn)
    return render_pack(figures, PackHeader("STA", "Staffordshire Police", FCR, store.now(), head)), head


def test_the_pack_has_every_section_the_head_and_nothing_from_outside(store):
    _model_force_audit(store)
    html, head = _pack(store)
    for section in SECTIONS:
        assert section in html, section
    assert f"{head.seq}:{head.hash}" in html
    assert "Staffordshire Police" in html and "Fiona FCR" in html
    assert "96.6%" in html and "91.5% to 98.7%" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html and "src=" not in html


def test_text_from_the_store_cannot_inject_markup_into_the_pack(store):
    hostile = "<script>alert(1)</script><img src=x>"
    admin.add_area(store, FCR, hostile)
    incidents(store, f'number,opened_at,opening_code,area\nINC-X,2026-11-02T09:00:00Z,VIOLENCE,"{hostile}"\n')
    draw_recording_sample(store, FCR, "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z", 1, _all())
    record_recording_verdict(
        store, FCR, review_of(store, "INC-X"), "record-now", "Assault described on the call.", offences=["8N"]
    )
    html, _ = _pack(store)
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_pack_renders_in_a_real_headless_browser(store, tmp_path):
    browser = shutil.which("chromium")
    if browser is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install chromium (see .ci/run)")
        pytest.skip("chromium is not installed")
    _model_force_audit(store)
    db = str(store.path)
    pack = tmp_path / "pack.html"
    result = invoke(
        ["--db", db, "--as", "fiona", "report", "--from", "2026-10-01", "--to", "2026-11-24", "--html", str(pack)]
    )
    assert result.exit_code == 0, result.output
    picture = tmp_path / "pack.png"
    profile = tmp_path / "profile"
    shown = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--window-size=900,3000",
            f"--screenshot={picture}",
            pack.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr[-2000:]
    width, height = _png_size(picture.read_bytes())
    assert (width, height) == (900, 3000)
    assert picture.stat().st_size > 50_000, "a page of tables and charts, not a blank screen"


# --- the command line -----------------------------------------------------------------------------------------------


def run(store, who, *args, input=None, code=0):
    """Invoke the CLI on the test store and check the exit code."""
    result = invoke(["--db", str(store.path), "--as", who, *args], input=input)
    assert result.exit_code == code, result.output
    return result


def test_an_fcr_imports_draws_and_works_a_sample_from_the_command_line(store):
    run(store, "fiona", "import", "incidents", "-", input=INCIDENTS)
    run(store, "fiona", "recording", "draw", "--from", "2026-11-01", "--to", "2026-11-05", "--seed", "4", "--rate", "1")
    listed = json.loads(run(store, "audrey", "recording", "list", "--pending", "--json").stdout)
    assert listed[0]["number"] == "STORM-1104", "the report of rape comes first, for the seniors"
    target = next(row["id"] for row in listed if row["number"] == "STORM-1103")
    before = snapshot(store)
    refused = run(store, "audrey", "recording", "verdict", str(target), "record-now", "--note", "x" * 30, code=1)
    assert "offence code for each crime" in refused.output
    assert snapshot(store) == before
    done = run(
        store,
        "audrey",
        "recording",
        "verdict",
        str(target),
        "record-now",
        "--offence",
        "105A",
        "--note",
        "Child says dad pushed mum; assault missed.",
    )
    assert f"recorded CR-{NOW.year}-" in done.output
    assert store.conn.execute("SELECT count(*) FROM crimes WHERE source = 'recording-audit'").fetchone()[0] == 1
    text = run(store, "fiona", "report", "--from", "2026-11-01", "--to", "2026-11-05").stdout
    assert "Crime-recording accuracy" in text and "0/1" in text
    csv_rows = run(store, "fiona", "report", "--from", "2026-11-01", "--to", "2026-11-05", "--csv").stdout
    assert "recording_overall,all,should_have_been,1" in csv_rows


def test_the_recording_audit_setting_is_checked(store):
    before = snapshot(store)
    for bad in ('{"base_rate": 2}', '{"flags": {"murder": 3}}', '{"opening_codes": {"X": -1}}', "[1]"):
        run(store, "fiona", "settings", "set", "recording_audit", bad, code=1)
    assert snapshot(store) == before
    run(store, "fiona", "settings", "set", "recording_audit", '{"base_rate": 0.1, "opening_codes": {"VIOLENCE": 8}}')
    weights = RecordingWeights.from_setting(store.settings()["recording_audit"])
    assert weights.base_rate == 0.1 and weights.opening_codes["VIOLENCE"] == 8
    assert weights.flags["child_at_risk"] == 6, "keys left out keep their defaults"


# --- the workbench --------------------------------------------------------------------------------------------------


async def test_an_auditor_records_a_missed_crime_by_keys_and_cannot_touch_the_rape_report(store):
    from helpers import settle, type_rationale

    from screens.app import make_app
    from screens.recording import RecordingScreen

    everything(store)
    app = make_app(store, AUDITOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RecordingScreen)
        assert screen.items[0]["number"] == "STORM-1104", "the report of rape is listed first"
        before = snapshot(store)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen, "an auditor's n on a report of rape opens nothing"
        assert snapshot(store) == before
        row = next(i for i, item in enumerate(screen.items) if item["number"] == "STORM-1103")
        for _ in range(row):
            await pilot.press("j")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"105A", "tab")
        await type_rationale(pilot, "Child says dad pushed mum: common assault missed on the call.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert [item["number"] for item in screen.items].count("STORM-1103") == 0
    created = rows(store, "SELECT offence_code, source FROM crimes WHERE source = 'recording-audit'")
    assert created == [{"offence_code": "105A", "source": "recording-audit"}]
    verdict = rows(
        store, "SELECT verdict, verdict_by FROM recording_reviews WHERE id = ?", review_of(store, "STORM-1103")
    )
    assert verdict == [{"verdict": "record-now", "verdict_by": "audrey"}]


async def test_a_refused_verdict_stays_open_in_the_dialog_and_saves_nothing(store):
    from helpers import settle

    from screens.app import make_app
    from screens.recording import RecordingVerdictDialog

    everything(store)
    app = make_app(store, FCR)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        before = snapshot(store)
        await pilot.press("N")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RecordingVerdictDialog)
        refusal = str(app.screen.query_one("#recording-refusal").render())
        assert "give the reason" in refusal and "Nothing was saved" in refusal
        assert snapshot(store) == before


async def test_store_text_that_looks_like_markup_is_shown_as_it_is_never_read_as_markup(store):
    from helpers import act, raise_request, settle

    from registrar.oversight.audit import SampleRates, draw_sample
    from screens.app import make_app
    from screens.audit import AuditScreen
    from screens.recording import RecordingScreen

    hostile = "[/] [link=https://evil.example]click[/link] [bold red]x"
    admin.add_area(store, FCR, "[/]")
    incidents(
        store, f'number,opened_at,opening_code,area,summary\n"[/]",2026-11-02T09:00:00Z,"[/b]","[/]","{hostile}"\n'
    )
    draw_recording_sample(store, FCR, "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z", 1, _all())
    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="105A")
    act(store, "ddm", rid, "reject", f"{hostile}: the new information does not change the offence.")
    draw_sample(store, FCR, *around_now(), 1, SampleRates(1.0))
    app = make_app(store, FCR)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, RecordingScreen)
        assert hostile in str(app.screen.query_one("#item").render())
        await pilot.press("escape", "u")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        assert hostile in str(app.screen.query_one("#item").render())
    assert app.return_code in (None, 0)


# --- what a hostile colleague would try ---------------------------------------------------------------------------


def test_the_pack_is_never_written_through_a_link_a_pipe_or_onto_a_directory(store, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "pack.html.partial").symlink_to(victim)
    (tmp_path / ".pack.html.partial").symlink_to(victim)
    (tmp_path / "link.html").symlink_to(victim)
    os.mkfifo(tmp_path / "pipe.html")
    for target, words in (
        (tmp_path / "link.html", "not a regular file"),
        (tmp_path / "pipe.html", "not a regular file"),
        (tmp_path, "not a regular file"),
        (tmp_path / "missing" / "pack.html", "is not a directory"),
    ):
        refused = run(store, "fiona", "report", "--html", str(target), code=1)
        assert words in refused.output, refused.output
    run(store, "fiona", "report", "--html", str(tmp_path / "pack.html"))
    assert victim.read_text() == "precious"
    assert (tmp_path / "pack.html").read_text().startswith("<!DOCTYPE html>")
    assert oct((tmp_path / "pack.html").stat().st_mode & 0o777) == "0o600"
    assert (tmp_path / "pipe.html").is_fifo()


def test_odd_numbers_and_broken_text_are_refused_not_crashed_on(store):
    incidents(store)
    before = snapshot(store)
    assert "share from 0 to 1" in run(store, "fiona", "recording", "draw", "--rate", "nan", code=1).output
    with pytest.raises(BadInput, match="seed"):
        draw_recording_sample(store, FCR, "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z", -5, _all())
    with pytest.raises(BadInput, match="seed"):
        draw_recording_sample(store, FCR, "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z", 2**70, _all())
    broken = '{"number": "X-1", "opened_at": "2026-11-02", "opening_code": "ASB", "summary": "\\ud800"}\n'
    refused = run(store, "fiona", "import", "incidents", "-", input=broken, code=1)
    assert "not valid Unicode" in refused.output
    deep = '{"opening_codes": ' + '{"a": ' * 5000 + "1" + "}" * 5001
    assert "nested too deeply" in run(store, "fiona", "settings", "set", "recording_audit", deep, code=1).output
    twice = "number,opened_at,opening_code,crime_references\nX-2,2026-11-02,ASB,CR-2026-000001 CR-2026-000001\n"
    assert (
        "line 2: crime_references names the same crime twice"
        in run(store, "fiona", "import", "incidents", "-", input=twice, code=1).output
    )
    assert snapshot(store) == before


def test_a_rationale_of_undecodable_bytes_is_refused(store):
    from helpers import raise_request, refused

    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="105A")
    assert refused(store, "ddm", rid, "reject", "\udcff\udcfe" + "x" * 40).rule == "rationale-text"


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE request_avi SET avi_type = 'other'",
        "UPDATE n100s SET reason = 'credible-evidence'",
        "UPDATE recording_reviews SET note = 'Rewritten quietly.' WHERE verdict IS NOT NULL",
        "INSERT INTO incident_crimes (incident_id, crime_id, link) VALUES (1, 1, 'audit')",
    ],
)
def test_a_direct_edit_of_what_the_new_writes_leave_fails_verify(store, edit):
    from helpers import NO_CRIME, act, cancellation

    everything(store)
    record_recording_verdict(
        store, FCR, review_of(store, "STORM-1104"), "n100", "Victim does not confirm.", reason="third-party-unconfirmed"
    )
    act(store, "ddm", cancellation(store, avi_description="CCTV shows it was paid for"), "approve", **NO_CRIME)
    ledger.verify(store.conn, replay=True)
    store.conn.execute(edit)
    with pytest.raises(LedgerBroken):
        ledger.verify(store.conn, replay=True)


@pytest.mark.parametrize(
    "command",
    [["report"], ["report", "--json"], ["export", "decisions", "--csv"], ["audit", "draw"], ["recording", "draw"]],
)
def test_a_reversed_period_is_refused_by_every_command_that_takes_one(store, command):
    before = snapshot(store)
    refused = run(store, "fiona", *command, "--from", "2026-12-01", "--to", "2026-11-01", code=1)
    assert "bad-value" in refused.output and "before it starts" in refused.output
    assert refused.stdout == ""
    assert snapshot(store) == before


def test_each_row_of_an_unknown_area_is_named_though_known_areas_are_looked_up_once(store):
    lines = ["number,opened_at,opening_code,area"] + [
        f"INC-A{n},2026-11-0{1 + n}T09:00:00Z,VIOLENCE,{area}"
        for n, area in enumerate(("Stafford", "Nowhere", "Stafford", "Nowhere"))
    ]
    before = snapshot(store)
    with pytest.raises(BadInput, match="2 problem") as refused:
        incidents(store, "\n".join(lines) + "\n")
    named = " ".join(refused.value.problems)
    assert "line 3" in named and "line 5" in named and "line 2" not in named and "line 4" not in named, named
    assert snapshot(store) == before
    incidents(store, "\n".join(line.replace("Nowhere", "Cannock") for line in lines) + "\n")
    assert rows(store, "SELECT area FROM incidents WHERE number LIKE 'INC-A%' ORDER BY number") == [
        {"area": "Stafford"},
        {"area": "Cannock"},
        {"area": "Stafford"},
        {"area": "Cannock"},
    ]
