"""Deciders killed with SIGKILL at random points: every decision acknowledged is kept, none half-done, and the
ledger still verifies."""

import random
import signal
import subprocess
import sys

from helpers import WORKERS, many_cancellations

from registrar.storage import ledger


def test_deciders_killed_at_random_points_lose_nothing_acknowledged(store):
    rng = random.Random(20261123)
    for round_number in range(5):
        ids = many_cancellations(store, 60, f"KILL{round_number}")
        stop_after = rng.randint(1, 50)
        process = subprocess.Popen(
            [sys.executable, str(WORKERS), "in-order", str(store.path), "dan", ",".join(map(str, ids))],
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
