"""Backups of a live store (SQLite's online backup, consistent in WAL mode) and restores that never lose entries."""

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from registrar.access.identity import Actor, os_account
from registrar.base.clock import Clock, system_clock
from registrar.base.errors import BadInput
from registrar.storage import ledger
from registrar.storage.store import SYSTEM_ACTOR, Store, check_store_directory

NAME_MAX = 255  # bytes in a file name on the file systems a store lives on


@dataclass(frozen=True)
class Copied:
    """A verified copy: where it is, how many entries and rows it holds, and its head."""

    path: Path
    verification: ledger.Verification


def _refuse_existing(path: Path) -> None:
    """Refuse a target that exists, in a directory that is missing or not private to its owner, or a name too long."""
    if os.path.lexists(path):
        raise BadInput(f"{path} already exists; a backup never overwrites a file: choose a new name")
    if not path.parent.is_dir():
        raise BadInput(f"{path.parent} is not a directory: make it (mode 0700) first")
    if len(os.fsencode(path.name)) > NAME_MAX:
        raise BadInput(f"{path.name[:40]}… is a longer file name than {NAME_MAX} bytes: choose a shorter one")
    check_store_directory(path.parent)


@contextmanager
def _beside(target: Path) -> Iterator[Path]:
    """A new private file under a hidden name beside `target`, removed (with its WAL) whatever happens."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)


def _copy(source: sqlite3.Connection, path: Path) -> None:
    """Copy a store's committed state into the file at `path` with SQLite's online backup."""
    destination = sqlite3.connect(path)
    try:
        source.backup(destination)
    finally:
        destination.close()


def _link_into_place(partial: Path, target: Path) -> None:
    """Give the finished file its name, refusing (never replacing) a file made there meanwhile."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise BadInput(f"{target} already exists; a backup never overwrites a file: choose a new name") from None


def backup(store: Store, target: Path) -> Copied:
    """Copy the store as it stands now into a new private file and verify the copy, under a hidden name beside the
    target; only a verified copy is given the target's name, so a killed backup leaves nothing there."""
    _refuse_existing(target)
    with _beside(target) as partial:
        _copy(store.conn, partial)
        copy = Store.open(partial)
        try:
            checked = ledger.verify(copy.conn)
        finally:
            copy.close()
        _link_into_place(partial, target)
    return Copied(target, checked)


def restore(source: Path, target: Path, clock: Clock = system_clock) -> Copied:
    """Put a verified backup in place of the store at `target`, refusing when the store holds entries the backup lacks.

    The backup is copied beside the target, its restore entry appended and the whole verified there; then it is
    written over the store in one transaction (or linked into place where there was none), so a killed restore
    leaves the store as it was or restored whole.
    """
    backup_store = Store.open(source)
    try:
        checked = ledger.verify(backup_store.conn)
        current = Store.open(target) if os.path.lexists(target) else None
        if current is None:
            _refuse_existing(target)
        try:
            if current is not None:
                _refuse_losing_entries(current, backup_store, checked.head)
            with _beside(target) as partial:
                _copy(backup_store.conn, partial)
                restored = _with_restore_entry(partial, source, checked.head, clock)
                try:
                    if current is not None:
                        _refuse_another_page_size(restored, current)
                        restored.conn.backup(current.conn)  # one write transaction on the live store
                finally:
                    restored.close()
                if current is None:
                    _link_into_place(partial, target)
        finally:
            if current is not None:
                current.close()
    finally:
        backup_store.close()
    final = Store.open(target, clock)
    try:
        return Copied(target, ledger.verify(final.conn))
    finally:
        final.close()


def _with_restore_entry(partial: Path, source: Path, backup_head: ledger.Head, clock: Clock) -> Store:
    """Open the copy at `partial`, append the restore's ledger entry to it and verify it whole."""
    restored = Store.open(partial, clock)
    with restored.transaction() as conn:
        ledger.append(
            conn,
            at=restored.now(),
            actor=Actor(SYSTEM_ACTOR.username, "system", "registrar", f"restore by {os_account()}"),
            action="restore",
            rationale=f"Restored from the backup {source.name} (its head {backup_head}).",
            details={"backup": str(source), "backup_head": str(backup_head)},
        )
    ledger.verify(restored.conn)
    return restored


def _refuse_losing_entries(current: Store, backup_store: Store, backup_head: ledger.Head) -> None:
    """Refuse a restore that would drop entries: the store's chain must be a prefix of the backup's."""
    head = ledger.head(current.conn)
    if head.seq > backup_head.seq:
        raise BadInput(
            f"the store has {head.seq - backup_head.seq} ledger entries newer than the backup "
            f"(its head is {head.seq}, the backup's {backup_head.seq}); restoring would lose them, so nothing was changed"
        )
    if head.seq and ledger.hash_at(backup_store.conn, head.seq) != head.hash:
        raise BadInput(
            f"the store's ledger entry {head.seq} differs from the backup's: they are different histories, "
            "so nothing was changed"
        )


def _refuse_another_page_size(backup_store: Store, current: Store) -> None:
    """Refuse, saying why, a backup whose page size the live store's (WAL) cannot take in place."""
    theirs = backup_store.conn.execute("PRAGMA page_size").fetchone()[0]
    ours = current.conn.execute("PRAGMA page_size").fetchone()[0]
    if theirs != ours:
        raise BadInput(
            f"the backup's pages are {theirs} bytes and the store's {ours}: SQLite cannot copy one over the other in "
            "place; move the store aside (`mv force.db force.db.before`) and restore to its path, so nothing was changed"
        )
