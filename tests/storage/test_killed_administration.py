"""Administration killed with SIGKILL at many points (every SQL statement, online backup, link and rename is a
point): `init`, `backup` and `restore` leave the store and the target either as they were or complete and verified,
and the command can be run again."""

import os
import signal
from pathlib import Path

import pytest
from helpers import committed_dump as dump
from helpers import many_cancellations
from killpoints import kill_points, run_killed, steps_of

from registrar.storage import ledger
from registrar.storage.backup import backup
from registrar.storage.store import Store

# The commands run in processes of their own, on the wall clock.
pytestmark = [pytest.mark.slow, pytest.mark.own_clock]


def whole(path: Path) -> int:
    """The entries of a store that opens and verifies (it raises otherwise)."""
    store = Store.open(path)
    try:
        return ledger.verify(store.conn).entries
    finally:
        store.close()


def private_directory(path: Path) -> Path:
    """A new directory only its owner may use."""
    path.mkdir(mode=0o700)
    return path


def names_in(directory: Path) -> list[str]:
    """The files a directory holds other than hidden partial ones (a killed command's leftovers under its own name)."""
    return sorted(name for name in os.listdir(directory) if not name.startswith("."))


def test_init_killed_at_any_point_leaves_no_store_or_a_whole_one(tmp_path):
    directory = private_directory(tmp_path / "srv")
    command = ("init", "--force", "STA", "--fcr", "fiona")
    total = steps_of(run_killed(0, "--db", str(tmp_path / "count.db"), *command))
    for limit in kill_points(total, 8):
        target = directory / "force.db"
        result = run_killed(limit, "--db", str(target), *command)
        assert result.returncode == -signal.SIGKILL, (limit, result.stderr)
        if target.exists():
            assert whole(target) == 1, limit
            target.unlink()
        assert names_in(directory) == [], (limit, os.listdir(directory))
    assert run_killed(10**9, "--db", str(directory / "force.db"), *command).returncode == 0


def test_backup_killed_at_any_point_leaves_nothing_at_the_target_or_a_verified_copy(store, tmp_path):
    many_cancellations(store, 50, "B")
    store.close()
    before = dump(store.path)
    copies = private_directory(tmp_path / "copies")
    total = steps_of(run_killed(0, "--db", str(store.path), "backup", str(copies / "count.db")))
    (copies / "count.db").unlink()
    for limit in kill_points(total, 8):
        target = copies / "copy.db"
        result = run_killed(limit, "--db", str(store.path), "backup", str(target))
        assert result.returncode == -signal.SIGKILL, (limit, result.stderr)
        if target.exists():
            assert whole(target) == whole(store.path), limit
            target.unlink()
        assert names_in(copies) == [] and dump(store.path) == before, limit
    assert run_killed(10**9, "--db", str(store.path), "backup", str(copies / "copy.db")).returncode == 0


def test_restore_killed_at_any_point_leaves_the_store_as_it_was_or_restored_whole(store, tmp_path):
    many_cancellations(store, 50, "R")
    copies = private_directory(tmp_path / "copies")
    backup(store, copies / "count.db")
    store.close()
    total = steps_of(run_killed(0, "--db", str(store.path), "restore", str(copies / "count.db")))
    for round_number, limit in enumerate(kill_points(total, 8)):
        ahead = private_directory(tmp_path / f"ahead-{round_number}") / "store.db"  # the store as it went on
        ahead.write_bytes(dump_file(store.path))
        ahead.chmod(0o600)
        went_on = Store.open(ahead)
        many_cancellations(went_on, 3, f"A{round_number}")
        source = copies / f"backup-{round_number}.db"
        backup(went_on, source)
        went_on.close()
        before = dump(store.path)
        result = run_killed(limit, "--db", str(store.path), "restore", str(source))
        assert result.returncode == -signal.SIGKILL, (limit, result.stderr)
        assert dump(store.path) == before or whole(store.path) == whole(source) + 1, limit
        leftovers = set(names_in(store.path.parent)) - {"copies", "store.db", "store.db-wal", "store.db-shm"}
        assert not {name for name in leftovers if not name.startswith("ahead-")}, (limit, leftovers)


def dump_file(path: Path) -> bytes:
    """A store's bytes with its WAL folded in (a consistent copy to go on from)."""
    opened = Store.open(path)
    try:
        opened.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        opened.close()
    return path.read_bytes()


def test_restore_to_a_new_path_killed_at_any_point_leaves_nothing_there_or_the_store_whole(store, tmp_path):
    copies = private_directory(tmp_path / "copies")
    source = copies / "backup.db"
    backup(store, source)
    store.close()
    entries = whole(source)
    elsewhere = private_directory(tmp_path / "elsewhere")
    total = steps_of(run_killed(0, "--db", str(elsewhere / "count.db"), "restore", str(source)))
    for limit in kill_points(total, 8):
        target = elsewhere / "force.db"
        result = run_killed(limit, "--db", str(target), "restore", str(source))
        assert result.returncode == -signal.SIGKILL, (limit, result.stderr)
        if target.exists():
            assert whole(target) == entries + 1, limit
            target.unlink()
        leftovers = [name for name in names_in(elsewhere) if not name.startswith("count.db")]
        assert leftovers == [], (limit, leftovers)
