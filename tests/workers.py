"""Worker processes for the concurrency and crash tests: decide requests as one user, report each result."""

import random
import sys

from registrar.access.identity import resolve_actor
from registrar.base.errors import Conflict, RuleRefused
from registrar.decisions.decide import Decision, decide
from registrar.storage.store import Store


def decide_all(db: str, username: str, seed: int, request_ids: list[int]) -> None:
    """Try to decide every request in a shuffled order, printing 'ok ID' or 'conflict ID' as each returns."""
    store = Store.open(db)
    actor = resolve_actor(store.conn, store.settings(), username)
    order = list(request_ids)
    random.Random(seed).shuffle(order)
    for request_id in order:
        action = "approve" if (request_id + seed) % 2 else "reject"
        try:
            decide(store, actor, Decision(request_id, action, f"Decision by {username}: evidence checked in full."))
        except (Conflict, RuleRefused):
            print("conflict", request_id, flush=True)
        else:
            print("ok", request_id, action, flush=True)


def decide_in_order(db: str, username: str, request_ids: list[int]) -> None:
    """Approve requests one by one, printing 'ok ID' only after each commit returns (an acknowledgement); what a
    decision waits for behind a long write goes to stderr."""
    store = Store.open(db)
    store.waiting = lambda what: print(what, file=sys.stderr, flush=True)
    actor = resolve_actor(store.conn, store.settings(), username)
    for request_id in request_ids:
        decide(store, actor, Decision(request_id, "approve", f"Approved by {username} after checking the record."))
        print("ok", request_id, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "in-order":
        decide_in_order(sys.argv[2], sys.argv[3], [int(x) for x in sys.argv[4].split(",")])
    else:
        decide_all(sys.argv[1], sys.argv[2], int(sys.argv[3]), [int(x) for x in sys.argv[4].split(",")])
