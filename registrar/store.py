"""The SQLite store: connection settings, creation, settings and the write transaction."""

import grp
import json
import os
import random
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from queries import sql
from seed import reference_rows

from . import schema
from .clock import Clock, stamp, system_clock
from .errors import BadInput, NotFound, RegistrarError

BUSY_TIMEOUT_SECONDS = 30.0

DEFAULT_SETTINGS: dict[str, object] = {
    "store_kind": "production",
    "allow_as": False,
    "force_code": "",
    "crime_reference_prefix": "CR",
    "rationale_min_length": 20,
    "referral_clock_hours": 24,
    "due_hours": {
        "cancellation": 168,
        "reclassification": 168,
        "transfer_out": 120,
        "transfer_in": 72,
    },
    "restricted_flags": [],
    "sample_rates": {"default": 0.5, "kinds": {}, "makers": {}},
}

# Settings fixed at creation: changing them would turn a production store into a demo one.
FIXED_SETTINGS = ("store_kind", "allow_as", "created_at")


def default_path() -> Path:
    """The per-user store used when neither --db nor REGISTRAR_DB is given."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "registrar" / "registrar.db"


def connect(path: str | Path) -> sqlite3.Connection:
    """Open a connection with the store's settings: WAL, synchronous FULL, foreign keys, busy timeout."""
    conn = sqlite3.connect(
        str(path), isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=True
    )
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


class Store:
    """One connection to a registrar store, with its clock."""

    def __init__(self, path: str | Path, clock: Clock = system_clock):
        self.path = Path(path)
        self.clock = clock
        self.conn = connect(self.path)

    @classmethod
    def open(cls, path: str | Path, clock: Clock = system_clock) -> "Store":
        """Open an existing store, applying any pending migrations."""
        location = Path(path)
        if not location.exists():
            raise NotFound(
                f"no store at {location}: create one with `registrar init` or `registrar demo`"
            )
        _share_new_files_with_group(location)
        try:
            store = cls(location, clock)
            if schema.pending_migration_names(store.conn):
                store.conn.execute("PRAGMA journal_mode = WAL")
                schema.migrate(store.conn)
            store.settings()
        except sqlite3.DatabaseError as error:
            raise RegistrarError(f"{location} is not a registrar store ({error})") from None
        return store

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        demo: bool = False,
        force_code: str = "",
        group: str | None = None,
        clock: Clock = system_clock,
    ) -> "Store":
        """Create a new store with its schema, reference data and settings."""
        location = Path(path)
        if location.exists():
            raise BadInput(f"{location} already exists; choose another path or open it")
        gid = _group_id(group) if group else None
        location.parent.mkdir(parents=True, exist_ok=True)
        if gid is not None:
            _share_directory(location.parent, gid)
            os.umask(0o007)
        store = cls(location, clock)
        store.conn.execute("PRAGMA journal_mode = WAL")
        schema.migrate(store.conn)
        with store.transaction():
            _load_reference(store.conn)
            settings = dict(DEFAULT_SETTINGS)
            settings.update(
                store_kind="demo" if demo else "production",
                allow_as=demo,
                force_code=force_code,
                created_at=stamp(clock()),
            )
            store.conn.executemany(
                sql("setting_upsert"), [(k, json.dumps(v)) for k, v in settings.items()]
            )
        if gid is not None:
            os.chown(location, -1, gid)
            os.chmod(location, 0o660)
        return store

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a write transaction that takes the write lock first (BEGIN IMMEDIATE); the body may roll back."""
        self._begin_immediate()
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def _begin_immediate(self) -> None:
        """Take the write lock, polling every millisecond or so rather than SQLite's backoff of up to 100 ms."""
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) or time.monotonic() > deadline:
                        raise
                    time.sleep(random.uniform(0.0005, 0.0015))
        finally:
            self.conn.execute("PRAGMA busy_timeout = 30000")

    def settings(self) -> dict[str, object]:
        """Return every setting, with defaults for keys the store does not hold."""
        values = dict(DEFAULT_SETTINGS)
        for key, value in self.conn.execute(sql("settings_all")):
            values[key] = json.loads(value)
        return values

    def now(self) -> str:
        """The store clock's current time as store text."""
        return stamp(self.clock())


def _load_reference(conn: sqlite3.Connection) -> None:
    """Insert the shipped reference data into a new store."""
    severity = {r["subgroup"]: int(r["severity"]) for r in reference_rows("subgroup_severity")}
    conn.executemany(
        sql("offence_insert"),
        [
            (
                r["code"],
                r["name"],
                r["group"],
                r["subgroup"],
                int(r["victim_based"]),
                int(r["restricted"]),
                severity.get(r["subgroup"], 0),
            )
            for r in reference_rows("offences")
        ],
    )
    conn.executemany(
        sql("cancellation_code_insert"),
        [(r["code"], r["title"], r["needs"], int(r["confirmed"])) for r in reference_rows("cancellation_codes")],
    )
    conn.executemany(
        sql("outcome_insert"),
        [(int(r["number"]), r["name"], r["group"]) for r in reference_rows("outcomes")],
    )
    conn.executemany(sql("force_insert"), [(r["code"], r["name"]) for r in reference_rows("forces")])
    conn.executemany(sql("agency_insert"), [(r["code"], r["name"]) for r in reference_rows("agencies")])


def _group_id(name: str) -> int:
    """Look up a Unix group by name."""
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise BadInput(f"there is no Unix group named {name!r}") from None


def _share_directory(directory: Path, gid: int) -> None:
    """Give the store's directory to the group, setgid so new WAL files inherit it."""
    os.chown(directory, -1, gid)
    os.chmod(directory, 0o2770)


def _share_new_files_with_group(location: Path) -> None:
    """Keep WAL and journal files group-writable when the store itself is."""
    if location.stat().st_mode & stat.S_IWGRP:
        os.umask(0o007)
