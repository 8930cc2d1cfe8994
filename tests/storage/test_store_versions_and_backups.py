"""Stores that are not ours, not finished or not current, settings no clock could write, and backups taken while
others decide."""

import json
import os
import sqlite3

import pytest
from helpers import NOW, USERS, file_digest, many_cancellations, run_on, start_deciders

from registrar.administration import admin
from registrar.base.clock import fixed_clock
from registrar.base.errors import BadInput
from registrar.storage import ledger, schema
from registrar.storage.backup import backup, restore
from registrar.storage.store import Store


@pytest.mark.parametrize("kind", ["another application's database", "an empty file"])
def test_a_database_registrar_did_not_make_is_refused_and_left_byte_for_byte(tmp_path, kind):
    path = tmp_path / "other.db"
    if kind == "an empty file":
        path.write_bytes(b"")
    else:
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        other.execute("INSERT INTO notes (body) VALUES ('not ours')")
        other.commit()
        other.close()
    path.chmod(0o600)
    before = file_digest(path)
    for command in (["queue"], ["log", "verify"], ["decide", "1", "approve", "--rationale", "x" * 30]):
        result = run_on(path, *command)
        assert result.exit_code == 1 and "not a registrar store" in result.stderr, (command, result.stderr)
    assert file_digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_store_from_a_newer_registrar_is_refused_with_the_versions(store):
    raw = sqlite3.connect(store.path)
    raw.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('registrar', '0099_future', 'x')"
    )
    raw.commit()
    raw.close()
    result = run_on(store.path, "queue")
    assert result.exit_code == 1 and "newer registrar" in result.stderr and "0099_future" in result.stderr
    assert schema.migration_names()[-1] in result.stderr


def test_settings_beyond_any_real_clock_and_rows_nested_too_deep_are_bad_input(store):
    with pytest.raises(BadInput, match="whole hours"):
        admin.set_setting(store, USERS["fcr"], "due_hours", json.dumps({"cancellation": 999999999999}))
    with pytest.raises(BadInput, match="whole numbers"):
        admin.set_setting(store, USERS["fcr"], "referral_clock_hours", "999999999999")
    deep = ("[" * 100_000) + ("]" * 100_000)
    result = run_on(store.path, "import", "requests", "-", input='{"kind": "referral"}\n{"kind": ' + deep + "}\n")
    assert result.exit_code == 1 and "line 2" in result.stderr and "Traceback" not in result.stderr


def test_a_backup_taken_while_eight_deciders_write_verifies_and_restores(store, tmp_path):
    ids = many_cancellations(store, 80, "BAK")
    deciders = start_deciders(store, ids, "writer")
    copy = tmp_path / "backups" / "force.db"
    copy.parent.mkdir(mode=0o700)
    copied = backup(store, copy)
    for process in deciders:
        process.communicate(timeout=120)
        assert process.returncode == 0
    assert copy.stat().st_mode & 0o777 == 0o600
    assert copied.verification.rows > 0
    live_head = ledger.head(store.conn)
    assert copied.verification.head.seq <= live_head.seq
    if copied.verification.head.seq < live_head.seq:
        with pytest.raises(BadInput, match="newer than the backup"):
            restore(copy, store.path)
    with pytest.raises(BadInput, match="never overwrites"):
        backup(store, copy)
    restored_path = tmp_path / "restored" / "force.db"
    restored_path.parent.mkdir(mode=0o700)
    restored = restore(copy, restored_path)
    assert restored.verification.head.seq == copied.verification.head.seq + 1
    assert (
        Store.open(restored_path)
        .conn.execute("SELECT action, details FROM ledger ORDER BY seq DESC LIMIT 1")
        .fetchone()[0]
        == "restore"
    )


NEW_CODES = {"4/3", "14", "15", "26", "42", "43", "60", "69", "88D", "96"}


def test_an_older_store_gets_the_new_codes_and_weights_in_one_ledgered_upgrade(tmp_path, monkeypatch):
    from registrar.storage import store as store_module

    earlier = [(*row[:6], 50) for row in store_module.shipped_offences() if row[0] not in NEW_CODES]
    monkeypatch.setattr(store_module, "shipped_offences", lambda: earlier)
    monkeypatch.setattr(schema, "DATA_MIGRATIONS", ())
    path = tmp_path / "old" / "force.db"
    Store.create(path, fcr="fiona", force_code="STA", clock=fixed_clock(NOW)).close()
    monkeypatch.undo()
    before = file_digest(path)
    refused = run_on(path, "queue", as_user=None)
    assert refused.exit_code == 1 and "0007_offence_seriousness" in refused.stderr and file_digest(path) == before
    assert run_on(path, "upgrade", as_user=None).exit_code == 0
    upgraded = Store.open(path)
    weights = dict(upgraded.conn.execute("SELECT code, severity FROM offences"))
    assert NEW_CODES <= set(weights) and weights["1"] == 7979 and weights["92E"] == 3
    entries = upgraded.conn.execute(
        "SELECT actor, details FROM ledger WHERE action = 'upgrade' ORDER BY seq"
    ).fetchall()
    assert {entry["actor"] for entry in entries} == {"registrar"}
    assert [json.loads(entry["details"])["migration"] for entry in entries] == [
        "0007_offence_seriousness",
        "0009_account_names",
    ]
    ledger.verify(upgraded.conn)
    seq = upgraded.conn.execute("SELECT max(seq) FROM ledger").fetchone()[0]
    upgraded.close()
    assert run_on(path, "upgrade", as_user=None).exit_code == 0
    again = Store.open(path)
    assert again.conn.execute("SELECT max(seq) FROM ledger").fetchone()[0] == seq
    again.close()


def test_a_store_killed_while_it_is_made_leaves_nothing_at_its_path_and_can_be_made_again(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "srv" / "force.db"
    killed_midway = (
        "import os, signal, sys\n"
        "from registrar.storage import store\n"
        "def die(conn):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "store._load_reference = die\n"
        "store.Store.create(sys.argv[1], fcr='fiona', force_code='STA')\n"
    )
    result = subprocess.run([sys.executable, "-c", killed_midway, str(path)], capture_output=True, timeout=60)
    assert result.returncode == -9 and path.parent.exists() and not path.exists()
    made = run_on(path, "init", "--force", "STA", "--fcr", "fiona", as_user=None)
    assert made.exit_code == 0, made.stderr
    assert run_on(path, "--as", "fiona", "log", "verify", as_user=None).exit_code == 0


def test_a_backup_into_a_missing_directory_or_under_too_long_a_name_is_refused_not_a_crash(store, tmp_path):
    fits = tmp_path / ("x" * 250 + ".db")  # its hidden partial name is longer than a name may be, but is cut
    assert run_on(store.path, "backup", str(fits)).exit_code == 0 and fits.exists()
    for target in (tmp_path / "nowhere" / "x.db", tmp_path / ("x" * 260 + ".db")):
        result = run_on(store.path, "backup", str(target))
        assert result.exit_code == 1 and "Traceback" not in result.stderr, result.stderr
        assert not os.path.lexists(target)
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".partial")]


def test_a_restore_of_a_backup_with_other_pages_is_refused_saying_why(store, tmp_path):
    copies = tmp_path / "copies"
    copies.mkdir(mode=0o700)
    source = copies / "b.db"
    backup(store, source)
    raw = sqlite3.connect(source, isolation_level=None)
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.execute("PRAGMA page_size = 8192")
    raw.execute("VACUUM")
    raw.close()
    store.close()
    before = file_digest(store.path)
    refused = run_on(store.path, "restore", str(source), as_user=None)
    assert refused.exit_code == 1 and "pages are 8192 bytes" in refused.stderr
    assert file_digest(store.path) == before
