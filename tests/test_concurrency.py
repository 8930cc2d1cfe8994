"""Several processes deciding the same requests at once: each decided once, nothing lost, chain intact."""

from helpers import many_cancellations, start_deciders

from registrar import ledger

WORKERS = 8
REQUESTS = 40


def test_eight_processes_race_on_the_same_requests(store):
    ids = many_cancellations(store, REQUESTS, "RACE")
    processes = start_deciders(store, ids, "racer", WORKERS)
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
    entries = store.conn.execute("SELECT count(*) FROM ledger WHERE action IN ('approve', 'reject')").fetchone()[0]
    assert entries == len(wins) == REQUESTS
    assert ledger.verify(store.conn).entries == store.conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    cancelled = store.conn.execute("SELECT count(*) FROM crimes WHERE reference LIKE 'RACE-%' AND state = 'cancelled'")
    assert cancelled.fetchone()[0] == sum(1 for w in wins if w[2] == "approve")
