"""Backups of a live store (SQLite's online backup, consistent in WAL mode) and restores that never lose entries."""

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from registrar.access.identity import Actor, os_account
from registrar.base.clock import Clock, system_clock
from registrar.base.errors import BadInput, RegistrarError
from registrar.storage import ledger
from registrar.storage.store import SYSTEM_ACTOR, Store, check_store_directory


@dataclass(frozen=True)
class Copied:
    """A verified copy: where it is, how many entries and rows it holds, and its head."""

    path: Path
    verification: ledger.Verification


def _new_private_file(path: Path) -> None:
    """Create an empty file only the owner can read or write, refusing to replace anything."""
    if os.path.lexists(path):
        raise BadInput(f"{path} already exists; a backup never overwrites a file: choose a new name")
    check_store_directory(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600))


def backup(store: Store, target: Path) -> Copied:
    """Copy the store as it stands now into a new private file, then verify the copy's ledger against its tables."""
    _new_private_file(target)
    try:
        destination = sqlite3.connect(target)
        try:
            store.conn.backup(destination)
        finally:
            destination.close()
        copy = Store.open(target)
        try:
            return Copied(target, ledger.verify(copy.conn))
        finally:
            copy.close()
    except (sqlite3.Error, RegistrarError):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise


def restore(source: Path, target: Path, clock: Clock = system_clock) -> Copied:
    """Put a verified backup in place of the store at `target`, refusing when the store holds entries the backup lacks."""
    backup_store = Store.open(source)
    try:
        checked = ledger.verify(backup_store.conn)
        if os.path.lexists(target):
            current = Store.open(target)
            try:
                _refuse_losing_entries(current, backup_store, checked.head)
                backup_store.conn.backup(current.conn)
            finally:
                current.close()
        else:
            _new_private_file(target)
            destination = sqlite3.connect(target)
            try:
                backup_store.conn.backup(destination)
            finally:
                destination.close()
    finally:
        backup_store.close()
    restored = Store.open(target, clock)
    try:
        with restored.transaction() as conn:
            ledger.append(
                conn,
                at=restored.now(),
                actor=Actor(SYSTEM_ACTOR.username, "system", "registrar", f"restore by {os_account()}"),
                action="restore",
                rationale=f"Restored from the backup {source.name} (its head {checked.head}).",
                details={"backup": str(source), "backup_head": str(checked.head)},
            )
        return Copied(target, ledger.verify(restored.conn))
    finally:
        restored.close()


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
