"""Trying to break it: deciders killed mid-flight, hostile text, and a ledger that must still verify."""

import json
import random
import signal
import subprocess
import sys
from pathlib import Path

from helpers import USERS, act, invoke, many_cancellations, raise_request, settle

from registrar.reading import views
from registrar.storage import ledger
from screens.app import make_app

WORKER = Path(__file__).with_name("workers.py")


def test_deciders_killed_at_random_points_lose_nothing_acknowledged(store):
    rng = random.Random(20261123)
    for round_number in range(5):
        ids = many_cancellations(store, 60, f"KILL{round_number}")
        stop_after = rng.randint(1, 50)
        process = subprocess.Popen(
            [sys.executable, str(WORKER), "in-order", str(store.path), "dan", ",".join(map(str, ids))],
            stdout=subprocess.PIPE,
            text=True,
        )
        acknowledged = []
        for line in process.stdout:
            acknowledged.append(int(line.split()[1]))
            if len(acknowledged) == stop_after:
                process.send_signal(signal.SIGKILL)
                break
        process.wait()
        process.stdout.close()
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ledger.verify(store.conn)
        states = dict(
            store.conn.execute(
                "SELECT r.id, r.state || '/' || c.state FROM requests r JOIN crimes c ON c.id = r.crime_id "
                "WHERE r.id BETWEEN ? AND ?",
                (ids[0], ids[-1]),
            )
        )
        for request_id in acknowledged:
            assert states[request_id] == "approved/cancelled", "an acknowledged decision was lost"
        for request_id, state in states.items():
            assert state in ("approved/cancelled", "pending/recorded"), f"half-applied decision {request_id}: {state}"
        approved = [rid for rid, state in states.items() if state.startswith("approved")]
        entries = store.conn.execute(
            "SELECT count(*) FROM ledger WHERE action = 'approve' AND request_id BETWEEN ? AND ?", (ids[0], ids[-1])
        ).fetchone()[0]
        assert entries == len(approved), "every decision has exactly one ledger entry"


HOSTILE = "'; DROP TABLE crimes; -- \x1b[31mred\x1b[0m \x07 ┬─┬ %_ " + "long " * 20_000


def test_hostile_rationale_is_stored_verbatim_and_shown_safely(store):
    rid = raise_request(store, kind="referral", agency="CSC", summary="\x1b]52;c;ZXZpbA==\x07 clipboard grab")
    act(store, "ddm", rid, "no-crime", HOSTILE)
    stored = store.conn.execute("SELECT rationale FROM ledger WHERE action = 'no-crime'").fetchone()[0]
    assert stored == HOSTILE.strip()
    assert store.conn.execute("SELECT count(*) FROM crimes").fetchone()[0] == 6
    ledger.verify(store.conn)
    for args in (
        ["log"],
        ["show", str(rid)],
        ["queue", "--filter", "'; DROP TABLE requests; --"],
        ["log", "--search", "%_"],
        ["export", "decisions", "--from", "2026-11-01", "--csv"],
    ):
        result = invoke(["--db", str(store.path), "--as", "fiona", *args])
        assert result.exit_code == 0, (args, result.output[-300:])
        if "--csv" not in args:
            assert "\x1b" not in result.stdout and "\x07" not in result.stdout, args
    assert views.queue_page(store.conn, views.QueueFilter(text="%")) == []
    assert len(views.ledger_entries(store.conn, text="%_")) == 1


async def test_hostile_text_renders_in_the_workbench(store):
    rid = raise_request(store, kind="referral", agency="CSC", summary="\x1b[2J\x1b]52;c;ZXZpbA==\x07 odd summary")
    act(store, "ddm", rid, "refer", HOSTILE)
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        history = str(app.screen.query_one("#history").render())
        assert "DROP TABLE" in history and "\x1b" not in history
        await pilot.press("ctrl+l")
        await settle(pilot)
        panel = str(app.screen.query_one("#entry").render())
        assert "\x1b" not in panel and "\x07" not in panel


def test_identity_is_the_os_account_whatever_the_environment(tmp_path, monkeypatch):
    from registrar.access.identity import os_account

    path = str(tmp_path / "prod.db")
    invoke(["--db", path, "init", "--force", "STA"])
    invoke(["--db", path, "users", "add", "mallory", "--role", "fcr"])
    monkeypatch.setenv("USER", "mallory")
    monkeypatch.setenv("LOGNAME", "mallory")
    monkeypatch.setenv("USERNAME", "mallory")
    result = invoke(["--db", path, "log", "--json", "--limit", "1"])
    assert json.loads(result.stdout)[0]["actor"] == os_account()
