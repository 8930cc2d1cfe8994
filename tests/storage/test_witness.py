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
    with pytest.raises(BadInput, match=r"line\(s\) 2 of the witness file"):
        ledger.check_witnessed(store.conn, f"t {ledger.head(store.conn)}\nt 12:nothex\n")
    with pytest.raises(LedgerBroken):
        ledger.check_witnessed(store.conn, f"t {ledger.head(store.conn).seq}:{'0' * 64}\n")


def test_a_line_written_besides_the_witness_does_not_blind_it_to_the_lines_after(store):
    first = ledger.head(store.conn)
    forged = f"t 203:zz\n# planted\nt {first.seq}:{'0' * 64}\n"
    with pytest.raises(LedgerBroken, match=f"ledger entry {first.seq} differs"):
        ledger.check_witnessed(store.conn, forged)  # the rewrite after the bad line is still named
    with pytest.raises(BadInput, match="1 witnessed heads are on the chain, but line"):
        ledger.check_witnessed(store.conn, f"t 203:zz\nt {first}\n")


@pytest.mark.parametrize("anchor", ["\u00b2:" + "a" * 64, "\u0661:" + "a" * 64])
def test_an_anchor_in_digits_of_another_script_is_bad_input_not_a_crash(store, anchor):
    result = run_on(store.path, "log", "verify", "--anchor", anchor)
    assert result.exit_code == 1 and "is not SEQ:HASH" in result.stderr


def test_the_witness_writes_down_only_a_head(tmp_path, monkeypatch):
    from registrar.administration import witness

    monkeypatch.setattr(witness.os, "fstat", lambda fd: type("S", (), {"st_uid": 0, "st_mode": 0o100644})())
    monkeypatch.setattr(witness, "_ensure_root_directory", lambda directory, say: None)
    heads = tmp_path / "heads"
    with pytest.raises(BadInput):
        witness.append_head(heads, "203:zz\n# planted\nt 1:" + "0" * 64)
    assert not heads.exists() or heads.read_text() == ""


def test_witness_paths_a_cron_line_would_read_otherwise_are_refused():
    from pathlib import Path

    from registrar.administration import witness

    for store, heads in (("/srv/my store.db", "/var/h"), ("/srv/s.db", "/var/50%.heads")):
        with pytest.raises(BadInput, match="cron line or a systemd unit"):
            witness.check_paths("/opt/registrar/bin/registrar", Path(store), Path(heads))
