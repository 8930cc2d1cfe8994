"""Stores that are not ours, not finished or not current; backups taken while others decide; CLI conventions."""

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import USERS, invoke, many_cancellations, start_deciders

from registrar.administration import admin
from registrar.base.errors import BadInput
from registrar.storage import ledger, schema
from registrar.storage.backup import backup, restore
from registrar.storage.store import Store


def run(db, *args, as_user: str | None = "fiona", input=None):
    """The command line against a store path."""
    prefix = ["--db", str(db)] + (["--as", as_user] if as_user else [])
    return invoke([*prefix, *args], input=input)


def digest(path: Path) -> str:
    """The file's bytes, hashed."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    before = digest(path)
    for command in (["queue"], ["log", "verify"], ["decide", "1", "approve", "--rationale", "x" * 30]):
        result = run(path, *command)
        assert result.exit_code == 1 and "not a registrar store" in result.stderr, (command, result.stderr)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_store_from_a_newer_registrar_is_refused_with_the_versions(store):
    raw = sqlite3.connect(store.path)
    raw.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('registrar', '0099_future', 'x')"
    )
    raw.commit()
    raw.close()
    result = run(store.path, "queue")
    assert result.exit_code == 1 and "newer registrar" in result.stderr and "0099_future" in result.stderr
    assert schema.migration_names()[-1] in result.stderr


def test_an_older_store_is_not_migrated_by_reading_and_upgrade_accounts_for_its_rows(store):
    raw = sqlite3.connect(store.path)
    for statement in (
        "DROP TRIGGER ssh_keys_no_delete",
        "DROP TRIGGER users_no_delete",
        "DROP INDEX ssh_keys_active",
        "DROP TABLE ssh_keys",
        "DELETE FROM _sqlite_migrations WHERE name = '0004_accounting'",
    ):
        raw.execute(statement)
    raw.commit()
    raw.close()
    store.close()
    before = digest(store.path)
    result = run(store.path, "queue")
    assert result.exit_code == 1 and "registrar" in result.stderr and "upgrade" in result.stderr
    assert digest(store.path) == before
    assert run(store.path, "upgrade", as_user=None).exit_code == 0
    upgraded = Store.open(store.path)
    assert (
        upgraded.conn.execute("SELECT action FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()[0]
        == "accounting-baseline"
    )
    ledger.verify(upgraded.conn)
    assert run(store.path, "queue").exit_code == 0


def test_a_demo_killed_mid_build_leaves_no_store_and_the_next_demo_builds_it(tmp_path):
    path = tmp_path / "demo.db"
    code = (
        "import os, signal, sys; import seed.generator as g; from registrar.intake import imports; "
        "real = imports.add_crimes\n"
        "def killed(*a, **k):\n    real(*a, **k); os.kill(os.getpid(), signal.SIGKILL)\n"
        "g.add_crimes = killed; from registrar.cli.main import main; "
        "sys.argv = ['registrar', 'demo', '--db', sys.argv[1], '--crimes', '1000', '--no-tui']; main()"
    )
    killed = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert killed.returncode == -9
    assert not path.exists()
    result = run(path, "demo", "--db", str(path), "--crimes", "1000", "--no-tui", as_user=None)
    assert result.exit_code == 0, result.stderr
    assert "next: registrar" in result.stderr and "--as fiona" in result.stderr
    built = Store.open(path)
    assert ledger.verify(built.conn).rows > 1000
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == ["demo.db"]


def test_rebuild_deletes_only_a_demo_store(tmp_path):
    path = tmp_path / "force.db"
    assert run(path, "init", "--force", "STA", as_user=None).exit_code == 0
    before = digest(path)
    result = run(path, "demo", "--db", str(path), "--rebuild", "--no-tui", as_user=None)
    assert result.exit_code == 1 and "only a demo store" in result.stderr
    assert digest(path) == before


def test_settings_beyond_any_real_clock_and_rows_nested_too_deep_are_bad_input(store):
    with pytest.raises(BadInput, match="whole hours"):
        admin.set_setting(store, USERS["fcr"], "due_hours", json.dumps({"cancellation": 999999999999}))
    with pytest.raises(BadInput, match="whole numbers"):
        admin.set_setting(store, USERS["fcr"], "referral_clock_hours", "999999999999")
    deep = ("[" * 100_000) + ("]" * 100_000)
    result = run(store.path, "import", "requests", "-", input='{"kind": "referral"}\n{"kind": ' + deep + "}\n")
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


def test_help_with_h_and_a_listing_cut_at_its_limit_says_so(store):
    assert run(store.path, "-h").exit_code == 0
    assert "Usage:" in run(store.path, "queue", "-h").stdout
    result = run(store.path, "log", "--limit", "2", "--csv")
    assert result.exit_code == 0 and result.stdout.count("\n") == 3
    assert "showing the first 2" in result.stderr
    assert "showing the first" not in run(store.path, "log", "--limit", "100000").stderr


def test_a_records_system_export_cp1252_semicolons_day_first_with_its_own_headers(store, tmp_path):
    export = (
        "Crime Reference;HO Code;Date Recorded;Beat Area;Notes\r\n"
        "NICHE/24/0001;8N;24/11/2026 09:15;Stafford;Assault outside Café Rouge — victim in A&E\r\n"
        "NICHE/24/0002;46;01/07/2026 23:30;Cannock;Shoplifting £40 of goods\r\n"
    ).encode("cp1252")
    (tmp_path / "niche.csv").write_bytes(export)
    (tmp_path / "niche.map").write_text(
        "# Niche export columns\nCrime Reference=reference\nHO Code=offence_code\nDate Recorded=recorded_at\n"
        "Beat Area=area\nNotes=summary\n"
    )
    refused = run(store.path, "import", "crimes", str(tmp_path / "niche.csv"))
    assert refused.exit_code == 1 and "not utf-8" in refused.stderr.lower()
    result = run(
        store.path,
        "import",
        "crimes",
        str(tmp_path / "niche.csv"),
        "--encoding",
        "cp1252",
        "--map-file",
        str(tmp_path / "niche.map"),
        "--date-format",
        "%d/%m/%Y %H:%M",
    )
    assert result.exit_code == 0, result.stderr
    rows = {r["reference"]: dict(r) for r in store.conn.execute("SELECT * FROM crimes WHERE reference LIKE 'NICHE%'")}
    assert rows["NICHE/24/0001"]["recorded_at"] == "2026-11-24T09:15:00Z"  # GMT in November
    assert rows["NICHE/24/0002"]["recorded_at"] == "2026-07-01T22:30:00Z"  # BST in July
    assert rows["NICHE/24/0001"]["summary"] == "Assault outside Café Rouge — victim in A&E"
    assert rows["NICHE/24/0002"]["area"] == "Cannock"
    bad = export.replace(b"01/07/2026 23:30", b"2026-07-01")
    (tmp_path / "bad.csv").write_bytes(bad.replace(b"NICHE/24/000", b"NICHE/25/000"))
    result = run(
        store.path,
        "import",
        "crimes",
        str(tmp_path / "bad.csv"),
        "--encoding",
        "cp1252",
        "--map-file",
        str(tmp_path / "niche.map"),
        "--date-format",
        "%d/%m/%Y %H:%M",
    )
    assert result.exit_code == 1 and "line 3" in result.stderr and "date format" in result.stderr
    assert store.conn.execute("SELECT count(*) FROM crimes WHERE reference LIKE 'NICHE/25%'").fetchone()[0] == 0


def test_a_date_in_another_layout_is_refused_with_a_hint_at_date_format(store, tmp_path):
    (tmp_path / "uk.csv").write_text("reference,offence_code,recorded_at\nUK/1,46,24/11/2026 09:15\n")
    refused = run(store.path, "import", "crimes", str(tmp_path / "uk.csv"))
    assert refused.exit_code == 1 and "line 2: recorded_at '24/11/2026 09:15' is not a date or time" in refused.stderr
    assert "need --date-format '%d/%m/%Y %H:%M'" in refused.stderr
    assert store.conn.execute("SELECT count(*) FROM crimes WHERE reference = 'UK/1'").fetchone()[0] == 0


def test_dates_that_state_their_offset_keep_it(store, tmp_path):
    export = "reference,offence_code,recorded_at\nOFF/1,46,2026-07-01 23:30 +0000\nOFF/2,46,2026-07-01 23:30 +0100\n"
    (tmp_path / "offsets.csv").write_text(export)
    result = run(store.path, "import", "crimes", str(tmp_path / "offsets.csv"), "--date-format", "%Y-%m-%d %H:%M %z")
    assert result.exit_code == 0, result.stderr
    recorded = dict(store.conn.execute("SELECT reference, recorded_at FROM crimes WHERE reference LIKE 'OFF/%'"))
    assert recorded == {"OFF/1": "2026-07-01T23:30:00Z", "OFF/2": "2026-07-01T22:30:00Z"}  # not read as BST
    named = "reference,offence_code,recorded_at\nOFF/3,46,2026-07-01 23:30 GMT\n"
    (tmp_path / "named.csv").write_text(named)
    refused = run(store.path, "import", "crimes", str(tmp_path / "named.csv"), "--date-format", "%Y-%m-%d %H:%M %Z")
    assert refused.exit_code == 1 and "use %z" in refused.stderr
    assert store.conn.execute("SELECT count(*) FROM crimes WHERE reference = 'OFF/3'").fetchone()[0] == 0


def test_a_batch_with_its_own_headers_and_day_first_dates(store):
    from helpers import avi_cancellation

    rid = avi_cancellation(store)
    rows = f"Req;Decision;Why\n{rid};reject;The CCTV plainly shows the theft took place as reported.\n"
    result = run(
        store.path,
        "batch",
        "-",
        "--map",
        "Req=request_id",
        "--map",
        "Decision=action",
        "--map",
        "Why=rationale",
        as_user="dan",
        input=rows,
    )
    assert result.exit_code == 0, result.stderr
    assert store.conn.execute("SELECT state FROM requests WHERE id = ?", (rid,)).fetchone()[0] == "rejected"
