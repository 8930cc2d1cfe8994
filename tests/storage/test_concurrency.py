"""Several processes deciding the same requests at once: each decided once, nothing lost, chain intact."""

from helpers import many_cancellations, start_deciders

from registrar.storage import ledger

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


def test_a_writer_that_met_waiters_gives_them_a_turn_before_retaking_the_lock(store, monkeypatch):
    from registrar.storage import store as store_module
    from registrar.storage.store import TURN_SECONDS, WriteTurns, connect

    other = connect(store.path)
    other.execute("BEGIN IMMEDIATE")
    slept: list[float] = []
    clock = [1000.0]  # a clock that moves only when this writer sleeps, so no real time can pass a turn by

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds
        if other.in_transaction:
            other.execute("ROLLBACK")  # the other writer finishes while this one waits

    monkeypatch.setattr(store_module.time, "sleep", sleep)
    monkeypatch.setattr(store_module.time, "monotonic", lambda: clock[0])
    conn, turns = connect(store.path), WriteTurns()
    turns.begin(conn)  # the lock was held: it polled, then took it
    assert len(slept) == 1 and slept[0] < TURN_SECONDS
    conn.execute("COMMIT")
    turns.ended()
    slept.clear()
    turns.begin(conn)  # straight after a contended turn: the waiters get theirs first
    assert slept == [TURN_SECONDS]
    conn.execute("COMMIT")
    turns.ended()
    slept.clear()
    turns.begin(conn)  # nobody was waiting last time: straight in, no pause
    assert slept == [] and conn.in_transaction
    conn.execute("ROLLBACK")
