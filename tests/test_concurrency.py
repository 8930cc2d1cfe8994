"""Several processes deciding the same requests at once: each decided once, nothing lost, chain intact."""

import subprocess
import sys
from pathlib import Path

from helpers import USERS
from registrar import admin, intake, ledger

WORKERS = 8
REQUESTS = 40


def test_eight_processes_race_on_the_same_requests(store):
    crimes = "reference,offence_code,recorded_at\n" + "".join(f"RACE-{i},46,2026-11-01\n" for i in range(REQUESTS))
    intake.import_crimes(store, USERS["fcr"], crimes.encode(), "race.csv")
    requests = "kind,crime_reference,cancellation_code,error_description\n" + "".join(
        f"cancellation,RACE-{i},C4,typed twice\n" for i in range(REQUESTS))
    intake.import_requests(store, USERS["requester"], requests.encode(), "race.csv")
    ids = [row[0] for row in store.conn.execute("SELECT id FROM requests ORDER BY id")]
    for n in range(WORKERS):
        admin.add_user(store, USERS["fcr"], f"racer{n}", "ddm", f"Racer {n}")
    worker = Path(__file__).with_name("workers.py")
    processes = [
        subprocess.Popen([sys.executable, str(worker), str(store.path), f"racer{n}", str(n), ",".join(map(str, ids))],
                         stdout=subprocess.PIPE, text=True)
        for n in range(WORKERS)
    ]
    wins = []
    for process in processes:
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        wins += [line.split() for line in out.splitlines() if line.startswith("ok")]
    decided = sorted(int(w[1]) for w in wins)
    assert decided == ids, "every request decided exactly once"
    states = dict(store.conn.execute("SELECT id, state FROM requests"))
    for _, request_id, action in wins:
        assert states[int(request_id)] == {"approve": "approved", "reject": "rejected"}[action]
    entries = store.conn.execute(
        "SELECT count(*) FROM ledger WHERE action IN ('approve', 'reject')").fetchone()[0]
    assert entries == len(wins) == REQUESTS
    assert ledger.verify(store.conn).entries == store.conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    cancelled = store.conn.execute("SELECT count(*) FROM crimes WHERE reference LIKE 'RACE-%' AND state = 'cancelled'")
    assert cancelled.fetchone()[0] == sum(1 for w in wins if w[2] == "approve")
