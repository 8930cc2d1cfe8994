"""Several processes deciding the same requests at once: each decided once, nothing lost, chain intact."""

import pytest
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


def test_a_long_write_that_stops_moving_or_is_gone_is_not_waited_for_past_the_timeout(store, monkeypatch):
    import json
    import os
    import sqlite3

    from registrar.base.errors import StoreBusy
    from registrar.storage import long_writes
    from registrar.storage import store as stores

    monkeypatch.setattr(stores, "BUSY_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(stores, "WAIT_NOTE_SECONDS", 0.1)
    monkeypatch.setattr(long_writes, "FRESH_SECONDS", 0.5)
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    said: list[str] = []
    store.waiting = said.append
    announcement = long_writes.announcement_path(store.path)
    try:
        for pid in (os.getpid(), 2**22 + 12345):  # a long write alive but stuck; one whose process is gone
            announcement.write_text(json.dumps({"who": "dan", "what": "batch", "done": 7, "total": 9, "pid": pid}))
            said.clear()
            with pytest.raises(StoreBusy):
                with store.transaction():
                    pass
            assert bool(said) == (pid == os.getpid()), said  # the live one is named while it is waited for
            assert not said or said[0] == "waiting for a batch by dan, row 7 of 9"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        announcement.unlink(missing_ok=True)
