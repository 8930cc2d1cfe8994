"""A deciding process for the latency benchmark: times each decision (or each bare write) and prints them."""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registrar.access.identity import resolve_actor
from registrar.decisions.decide import Decision, decide
from registrar.storage.store import Store, WriteTurns, connect

RATIONALE = "Audit agreed the new code on review of the full record."


def ready() -> None:
    """Tell the bench this process is set up, and wait for its word to start (so all deciders start together)."""
    print("ready", flush=True)
    sys.stdin.readline()


def main(db: str, mode: str, ids: list[int]) -> None:
    """Decide each request through the write path, or do the bare UPDATE + INSERT under the same lock, timing each."""
    latencies = []
    if mode == "decide":
        store = Store.open(db)
        actor = resolve_actor(store.conn, store.settings(), "dan")
        ready()
        for request_id in ids:
            start = time.perf_counter()
            decide(store, actor, Decision(request_id, "approve", RATIONALE))
            latencies.append(time.perf_counter() - start)
    else:
        conn = connect(db)
        conn.execute("CREATE TABLE IF NOT EXISTS bench_floor (request_id INTEGER, rationale TEXT)")
        turns = WriteTurns()  # the lock is taken as the write path takes it: only the work inside differs
        ready()
        for request_id in ids:
            start = time.perf_counter()
            turns.begin(conn)
            conn.execute("UPDATE requests SET version = version + 1 WHERE id = ?", (request_id,))
            conn.execute("INSERT INTO bench_floor VALUES (?, ?)", (request_id, RATIONALE))
            conn.execute("COMMIT")
            turns.ended()
            latencies.append(time.perf_counter() - start)
    print(json.dumps(latencies))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], [int(x) for x in sys.argv[3].split(",") if x])
