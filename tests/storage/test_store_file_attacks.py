"""Planted links, journals and loose permissions: a store someone other than its owner could change or swap is
refused before it is opened, as sshd's StrictModes refuses such a key file."""

import os
from pathlib import Path

import pytest
from attacker import NOBODY, as_root, run
from helpers import NOW

from registrar.base.clock import fixed_clock
from registrar.base.errors import ExitCode, UnsafeStore
from registrar.storage.store import Store

# --- 5. planted links, journals and loose permissions ----------------------------------------------------


def refused_open(path, match: str) -> str:
    """Store.open and the command line both refuse the store, with a message matching `match`."""
    with pytest.raises(UnsafeStore, match=match) as caught:
        Store.open(path)
    result = run(path, "log", "verify")
    assert result.exit_code == ExitCode.REFUSED and match in result.stderr, result.output
    return caught.value.message


def test_a_store_reached_through_a_symlink_is_refused(store, tmp_path):
    link = tmp_path / "looks-like-mine.db"
    link.symlink_to(store.path)
    refused_open(link, "symbolic link")


def test_a_store_directory_reached_through_a_symlink_is_refused(store, tmp_path):
    link = tmp_path.parent / f"{tmp_path.name}-link"
    link.symlink_to(tmp_path, target_is_directory=True)
    try:
        refused_open(link / store.path.name, "symbolic link")
    finally:
        link.unlink()


@as_root
@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_planted_journal_owned_by_someone_else_is_refused(store, suffix):
    store.close()  # the last connection gone, SQLite removes its -wal and -shm
    planted = Path(f"{store.path}{suffix}")
    assert not planted.exists()
    planted.write_bytes(b"\0" * 32)  # a hot journal would be replayed into the store on the next open
    os.chmod(planted, 0o600)
    os.chown(planted, NOBODY, NOBODY)
    before = store.path.read_bytes()
    assert "belongs to" in refused_open(store.path, suffix.lstrip("-"))
    assert store.path.read_bytes() == before and planted.read_bytes() == b"\0" * 32


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_planted_journal_symlink_is_refused(store, tmp_path, suffix):
    store.close()
    target = tmp_path / "elsewhere"
    target.write_bytes(b"")
    Path(f"{store.path}{suffix}").symlink_to(target)
    refused_open(store.path, "symbolic link")
    assert target.read_bytes() == b""


@as_root
def test_a_store_owned_by_someone_else_is_refused(store):
    os.chown(store.path, NOBODY, NOBODY)
    assert "sudo -u nobody" in refused_open(store.path, "belongs to nobody")


def test_a_group_writable_store_file_is_refused_naming_the_fix(store):
    os.chmod(store.path, 0o660)
    message = refused_open(store.path, "can be written by others")
    assert f"chmod go-w {store.path}" in message


def test_a_group_writable_wal_is_refused(store):
    wal = Path(f"{store.path}-wal")
    assert wal.exists()  # the fixture's connection is open
    os.chmod(wal, 0o664)
    assert "chmod go-w" in refused_open(store.path, "wal file")


def test_a_group_writable_store_directory_is_refused_naming_the_fix(store, tmp_path):
    os.chmod(tmp_path, 0o770)
    try:
        message = refused_open(store.path, "can be written by others")
        assert f"chmod go-w {tmp_path}" in message
    finally:
        os.chmod(tmp_path, 0o700)


@as_root
def test_a_store_directory_owned_by_someone_else_is_refused(store, tmp_path):
    os.chown(tmp_path, NOBODY, NOBODY)
    try:
        refused_open(store.path, "belongs to nobody")
    finally:
        os.chown(tmp_path, os.geteuid(), os.getegid())


def test_a_world_writable_ancestor_without_the_sticky_bit_is_refused(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    path = shared / "mine" / "force.db"
    Store.create(path, fcr="fiona", demo=True, clock=fixed_clock(NOW)).close()
    os.chmod(shared, 0o777)  # anyone could rename `mine` away and put their own store in its place
    refused_open(path, "above the store")
    os.chmod(shared, 0o1777)  # with the sticky bit (as /tmp) only the owner may rename it
    Store.open(path).close()


@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o775])
def test_init_into_a_directory_others_can_write_is_refused(tmp_path, mode):
    directory = tmp_path / "open"
    directory.mkdir()
    os.chmod(directory, mode)
    path = directory / "force.db"
    result = run(path, "init", "--demo", "--fcr", "fiona")
    assert result.exit_code == ExitCode.REFUSED and "can be written by others" in result.stderr, result.output
    assert ("chmod go-w" in result.stderr) == (not mode & 0o1000)  # a sticky shared directory is not made private
    assert os.listdir(directory) == []


def test_init_onto_a_planted_symlink_does_not_write_through_it(tmp_path):
    victim = tmp_path / "victim.txt"
    path = tmp_path / "force.db"
    path.symlink_to(victim)  # dangling: init would create the victim file if it followed the link
    result = run(path, "init", "--demo", "--fcr", "fiona")
    assert result.exit_code == ExitCode.REFUSED and "already exists" in result.stderr
    assert not victim.exists() and path.is_symlink()
