"""The largest batch allowed, with a CPU-bound process per core beside it and eight deciders: no decider is refused
because the batch holds the write lock past their busy timeout; they wait, saying what for, and nothing is lost."""

import os
import signal
import sqlite3
import subprocess
import sys

import pytest
from helpers import ROOT, USERS, WORKERS, many_cancellations

from registrar.administration import admin
from registrar.intake.tabular import MAX_BATCH_ROWS
from registrar.storage import ledger

pytestmark = [pytest.mark.slow, pytest.mark.own_clock]  # the batch runs in a process on the wall clock
BUSY_SECONDS = "2"  # the deciders' busy timeout: far shorter than the batch holds the lock
RATIONALE = "Approved in the batch: the duplicate record was checked in full."


def test_a_maximum_batch_under_load_refuses_no_decider_and_loses_nothing(store, tmp_path):
    batch_ids = many_cancellations(store, MAX_BATCH_ROWS, "BIG")
    mine = many_cancellations(store, 8 * 5, "OWN")
    for n in range(8):
        admin.add_user(store, USERS["fcr"], f"load{n}", "ddm", f"Load {n}")
    rows = tmp_path / "batch.csv"
    rows.write_text("request_id,action,rationale\n" + "".join(f"{i},approve,{RATIONALE}\n" for i in batch_ids))
    store.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REGISTRAR_BUSY_SECONDS": BUSY_SECONDS}
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    try:
        batch = subprocess.Popen(
            [sys.executable, "-m", "registrar", "--db", str(store.path), "--as", "dan", "batch", str(rows)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        _wait_until_the_batch_holds_the_lock(store.path, batch)
        deciders = [
            subprocess.Popen(
                [sys.executable, str(WORKERS), "in-order", str(store.path), f"load{n}", _ids(mine[n * 5 : n * 5 + 5])],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for n in range(8)
        ]
        results = [decider.communicate(timeout=600) for decider in deciders]
        _, batch_errors = batch.communicate(timeout=600)
    finally:
        for hog in hogs:
            hog.send_signal(signal.SIGKILL)
            hog.wait()
    assert batch.returncode == 0, batch_errors
    for decider, (out, errors) in zip(deciders, results, strict=True):
        assert decider.returncode == 0 and "locked" not in errors, errors
        assert len(out.split("\n")) - 1 == 5, out
    assert any("waiting for a batch by dan, row" in errors for _, errors in results), "no decider said it waited"
    check = sqlite3.connect(store.path)
    approved = check.execute("SELECT count(*) FROM requests WHERE state = 'approved'").fetchone()[0]
    assert approved == MAX_BATCH_ROWS + 8 * 5
    check.close()
    from registrar.storage.store import Store

    reopened = Store.open(store.path)
    ledger.verify(reopened.conn)
    reopened.close()


def _ids(ids: list[int]) -> str:
    """Request ids as the workers take them."""
    return ",".join(map(str, ids))


def _wait_until_the_batch_holds_the_lock(path, batch: subprocess.Popen) -> None:
    """Poll (there is no event to wait on) until the batch process has taken the write lock."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        while batch.poll() is None:
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError:
                return
        raise AssertionError(f"the batch ended before it took the lock: {batch.stderr.read() if batch.stderr else ''}")
    finally:
        probe.close()
