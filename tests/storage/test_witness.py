"""The witness's heads: a chain the store's owner rewrote consistently (an entry's door, the last entry dropped with
its writes undone) passes `log verify` but not `log verify --witness`, which names the entry."""

import pytest
from attacker import rewrite_chain, tamper
from helpers import USERS, run_on

from registrar.administration import admin
from registrar.base.errors import BadInput, LedgerBroken
from registrar.storage import ledger


def witnessed(store, heads) -> str:
    """The heads file a witness would have written at each of these moments."""
    return "".join(f"2026-01-01T00:0{n}:00Z {head}\n" for n, head in enumerate(heads))


def test_every_witnessed_head_on_the_chain_passes(store, tmp_path):
    first = ledger.head(store.conn)
    admin.set_setting(store, USERS["fcr"], "rationale_min_length", "25")
    heads = tmp_path / "heads"
    heads.write_text("# root's witness\n" + witnessed(store, [first, ledger.head(store.conn)]))
    store.close()
    result = run_on(store.path, "log", "verify", "--witness", str(heads))
    assert result.exit_code == 0 and "2 witnessed heads on the chain" in result.stdout


def test_a_consistent_rewrite_of_an_entrys_door_is_caught_by_the_witness_alone(store, tmp_path):
    heads = tmp_path / "heads"
    heads.write_text(witnessed(store, [ledger.head(store.conn)]))
    store.close()
    rewrite_chain(store.path, lambda details: {**details, "door": "local"} if "door" in details else details)
    assert run_on(store.path, "log", "verify").exit_code == 0  # the chain holds together: no one published a head
    caught = run_on(store.path, "log", "verify", "--witness", str(heads))
    assert caught.exit_code == 4 and "differs from the head the witness wrote down" in caught.stderr


def test_the_last_entry_dropped_with_its_writes_undone_is_caught_by_the_witness(store, tmp_path):
    admin.set_setting(store, USERS["fcr"], "rationale_min_length", "25")
    heads = tmp_path / "heads"
    heads.write_text(witnessed(store, [ledger.head(store.conn)]))
    last = ledger.head(store.conn).seq
    store.close()
    tamper(
        store.path,
        "UPDATE settings SET value = '20' WHERE key = 'rationale_min_length'",
        "DROP TRIGGER ledger_no_delete",
        f"DELETE FROM ledger WHERE seq = {last}",
    )
    assert run_on(store.path, "log", "verify").exit_code == 0
    caught = run_on(store.path, "log", "verify", "--witness", str(heads))
    assert caught.exit_code == 4 and "its tail was removed" in caught.stderr and f"entry {last}" in caught.stderr


def test_a_witness_line_that_is_not_a_head_is_named(store):
    with pytest.raises(BadInput, match="line 2 of the witness file"):
        ledger.check_witnessed(store.conn, f"t {ledger.head(store.conn)}\nt 12:nothex\n")
    with pytest.raises(LedgerBroken):
        ledger.check_witnessed(store.conn, f"t {ledger.head(store.conn).seq}:{'0' * 64}\n")
