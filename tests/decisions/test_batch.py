"""Batch decisions: the same rules as the keyboard, all or nothing, traceable to the file, safe on bad input."""

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys

import pytest
from helpers import ROOT, invoke, many_cancellations, raise_request, request, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registrar.storage import ledger

GOOD = "Batch agreed at the morning meeting; evidence on each record."


def run(store, *args, input=None, as_user="dan"):
    """Invoke the CLI against the test store."""
    return invoke(["--db", str(store.path), "--as", as_user, *args], input=input)


@pytest.fixture
def work(store):
    """Three requests a ddm may decide and one restricted one they may not."""
    return {
        "transfer_in": raise_request(
            store, kind="transfer_in", other_force="WMP", other_reference="W/1", offence_code="48"
        ),
        "reclass": raise_request(
            store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="105A"
        ),
        "duplicate": raise_request(
            store,
            kind="cancellation",
            crime_reference="CR-2026-000005",
            cancellation_code="C3",
            surviving_reference="CR-2026-000003",
        ),
        "restricted": raise_request(
            store,
            kind="cancellation",
            crime_reference="CR-2026-000002",
            cancellation_code="C4",
            error_description="typed twice",
        ),
    }


def csv_for(rows) -> str:
    """A batch CSV from (request_id, action, rationale) rows."""
    return "request_id,action,rationale\n" + "".join(f"{r},{a},{t}\n" for r, a, t in rows)


def test_applies_every_row_with_the_file_digest_and_row_in_the_ledger(store, work):
    text = csv_for(
        [
            (work["transfer_in"], "accept", GOOD),
            (work["reclass"], "approve", GOOD),
            (work["duplicate"], "approve", GOOD),
        ]
    )
    result = run(store, "batch", "-", "--json", input=text)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["applied"] == 3 and report["committed"]
    assert request(store, work["reclass"])["state"] == "approved"
    assert (
        store.conn.execute("SELECT state FROM crimes WHERE reference = 'CR-2026-000005'").fetchone()[0] == "cancelled"
    )
    digest = hashlib.sha256(text.encode()).hexdigest()
    details = [
        json.loads(row[0])
        for row in store.conn.execute(
            "SELECT details FROM ledger WHERE json_extract(details, '$.batch_sha256') = ? ORDER BY seq", (digest,)
        )
    ]
    assert [d["batch_row"] for d in details] == [2, 3, 4]
    ledger.verify(store.conn)


def test_one_refused_row_applies_nothing_and_names_the_line(store, work):
    before = snapshot(store)
    text = csv_for([(work["transfer_in"], "accept", GOOD), (work["restricted"], "approve", GOOD)])
    result = run(store, "batch", "-", "--json", input=text)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    refused = [r for r in report["results"] if r["status"] == "refused"]
    assert [(r["line"], r["rule"]) for r in refused] == [(3, "restricted-offence")]
    assert report["results"][0]["status"] == "would_apply"
    assert snapshot(store) == before


def test_partial_applies_the_valid_rows_with_its_own_exit_code(store, work):
    text = csv_for([(work["transfer_in"], "accept", GOOD), (work["restricted"], "approve", GOOD)])
    result = run(store, "batch", "-", "--partial", input=text)
    assert result.exit_code == 5
    assert request(store, work["transfer_in"])["state"] == "accepted"
    assert request(store, work["restricted"])["state"] == "pending"


def test_dry_run_reports_verdicts_and_changes_nothing(store, work):
    before = snapshot(store)
    text = csv_for([(work["transfer_in"], "accept", GOOD), (work["reclass"], "approve", GOOD)])
    result = run(store, "batch", "-", "--dry-run", "--json", input=text)
    assert result.exit_code == 0
    assert [r["status"] for r in json.loads(result.stdout)["results"]] == ["would_apply", "would_apply"]
    assert snapshot(store) == before


def test_rerunning_an_applied_file_changes_nothing_and_says_so(store, work, tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(csv_for([(work["transfer_in"], "accept", GOOD), (work["reclass"], "approve", GOOD)]))
    assert run(store, "batch", str(path)).exit_code == 0
    before = snapshot(store)
    again = run(store, "batch", str(path), "--json")
    assert again.exit_code == 0
    assert [r["status"] for r in json.loads(again.stdout)["results"]] == ["already_applied", "already_applied"]
    assert snapshot(store) == before


def test_json_lines_and_a_default_rationale_file(store, work, tmp_path):
    rationale = tmp_path / "why.txt"
    rationale.write_text("Sending force's report places the offence in our area.")
    lines = json.dumps({"request_id": work["transfer_in"], "action": "accept", "area": "Tamworth"}) + "\n"
    result = run(store, "batch", "-", "--rationale-file", str(rationale), input=lines)
    assert result.exit_code == 0, result.output
    entry = store.conn.execute("SELECT rationale FROM ledger WHERE action = 'accept'").fetchone()
    assert entry[0] == "Sending force's report places the offence in our area."


def test_queue_json_turns_into_batch_input(store, work):
    queue = json.loads(run(store, "queue", "transfer_in", "--json").stdout)
    lines = "".join(
        json.dumps({"request_id": row["id"], "action": "accept", "rationale": GOOD}) + "\n" for row in queue
    )
    assert run(store, "batch", "-", input=lines).exit_code == 0
    assert request(store, work["transfer_in"])["state"] == "accepted"


def test_unknown_request_is_a_refused_row(store, work):
    result = run(store, "batch", "-", "--json", input=csv_for([(99999, "approve", GOOD)]))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["results"][0]["rule"] == "not-found"


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"id,verdict\n1,approve\n", "unknown column(s)"),
        (b"request_id,rationale\n1,x\n", "missing required column(s) action"),
        (b"request_id,action,rationale\n1,approve,caf\xe9\n", "not UTF-8"),
        (
            b"request_id,action,rationale\n1,approve,long enough reason here\n1,reject,long enough reason here\n",
            "line 3: request 1 is already decided on line 2",
        ),
        (b"request_id,action,rationale\n1,bless,long enough reason here\n", "line 2: action 'bless' is not an action"),
        (b"request_id,action,rationale\n1,approve,\n", "line 2: the rationale is empty"),
        (b'request_id,action,rationale\n1,approve,=HYPERLINK("x")\n', "line 2: rationale starts with '='"),
        (b"request_id,action,rationale\nabc,approve,long enough reason here\n", "request_id 'abc'"),
    ],
)
def test_bad_files_are_refused_with_the_line_and_change_nothing(store, work, data, expected, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    before = snapshot(store)
    result = run(store, "batch", str(path))
    assert result.exit_code == 1
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert snapshot(store) == before


def test_files_over_the_size_limit_are_refused(store, monkeypatch, tmp_path):
    from registrar.decisions import batch

    monkeypatch.setattr(batch, "MAX_BATCH_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text(csv_for([(n, "approve", GOOD) for n in range(1, 20)]))
    result = run(store, "batch", str(path))
    assert result.exit_code == 1 and "limit" in result.stderr


CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.lists(st.lists(CELL, min_size=1, max_size=5), max_size=6).map(
            lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")
        ),
        st.lists(st.tuples(st.integers(min_value=100000, max_value=10**9), CELL, CELL), max_size=5).map(
            lambda rows: ("request_id,action,rationale\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows)).encode()
        ),
    )
)
def test_random_malformed_files_never_trace_back_or_change_the_store(store, data):
    before = snapshot(store)
    result = invoke(["--db", str(store.path), "--as", "dan", "batch", "-"], input=data)
    assert result.exit_code in (0, 1, 2), result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert snapshot(store) == before


def test_a_batch_killed_midway_leaves_nothing_applied_and_a_sound_ledger(store, tmp_path):
    ids = many_cancellations(store, 4000, "K")
    path = tmp_path / "kill.csv"
    path.write_text(csv_for([(i, "approve", GOOD) for i in ids]))
    ledger_before = store.conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "registrar", "--db", str(store.path), "--as", "dan", "batch", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    probe = sqlite3.connect(store.path, timeout=0, isolation_level=None)
    caught_mid_batch = False
    while process.poll() is None:
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError:
            process.send_signal(signal.SIGKILL)
            caught_mid_batch = True
            break
    process.wait()
    probe.close()
    assert caught_mid_batch and process.returncode == -signal.SIGKILL, "the batch finished before it was killed"
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.conn.execute("SELECT count(*) FROM requests WHERE state = 'approved'").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM ledger").fetchone()[0] == ledger_before
    ledger.verify(store.conn)
