"""The SQLite store: connection settings, creation, settings and the write transaction."""

import json
import os
import pwd
import random
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from queries import sql
from registrar.access import identity
from registrar.access.identity import Actor
from registrar.base.clock import Clock, stamp, system_clock
from registrar.base.errors import BadInput, LedgerBroken, NotFound, RegistrarError, StoreBusy, UnsafeStore
from registrar.base.reference import reference_rows
from registrar.storage import schema
from registrar.storage.long_writes import LongWrite, current_long_write

# How long a writer waits for the write lock before it is refused (REGISTRAR_BUSY_SECONDS sets it; a long write that
# is making progress is waited for longer, see long_writes).
BUSY_TIMEOUT_SECONDS = float(os.environ.get("REGISTRAR_BUSY_SECONDS") or 30.0)
RESTORE_BUSY_TIMEOUT = f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}"  # a number, never input
# How long a writer that just committed under contention waits for others to take a turn (over the polling interval).
TURN_SECONDS = 0.0008
WAIT_NOTE_SECONDS = 2.0  # a writer waiting behind a long write says what it waits for this often
LONG_WAIT_POLL_SECONDS = 0.05  # and polls for the lock this often meanwhile

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
    # Serious classes (homicide, attempted murder, modern slavery) whose downgrade to any less serious code (inside
    # the class too) or C3/C4 cancellation needs fcr, dfcr or fcm; every restricted offence is serious too.
    "serious_codes": ["1", "2", "4/1", "4/10", "4/2", "106"],
    "service_account": "",
    "sample_rates": {"default": 0.5, "kinds": {}, "makers": {}},
    # The ground a crime that happened outside the UK is cancelled under (C4 or C1: to be confirmed in the rules).
    "abroad_ground": "C4",
    # Recording audits: an incident's chance of being drawn is base_rate times its highest weight (opening code or
    # flag), times recorded_rate when a crime was recorded from it; rape_codes are opening codes that report a rape.
    "recording_audit": {
        "base_rate": 0.02,
        "recorded_rate": 1.0,
        "opening_codes": {"VIOLENCE": 4, "SEXUAL": 10, "RAPE": 20, "DOMESTIC": 6, "CONCERN": 4},
        "flags": {"domestic_abuse": 4, "child_at_risk": 6, "adult_at_risk": 6, "hate_crime": 3, "rape_report": 20},
        "rape_codes": ["RAPE"],
    },
}

# Settings fixed at creation: changing them would turn a production store into a demo one.
FIXED_SETTINGS = ("store_kind", "allow_as", "created_at", "service_account")
SYSTEM_ACTOR = Actor("registrar", "system", "registrar", "migration")
# SQLite's application_id for registrar stores ("RgSt" = 1382503284), set by queries/store_stamp.sql at creation.
APPLICATION_ID = 0x52675374


def default_path() -> Path:
    """The per-user store used when neither --db nor REGISTRAR_DB is given."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "registrar" / "registrar.db"


def connect(path: str | Path) -> sqlite3.Connection:
    """Open a connection with the store's settings: WAL, synchronous FULL, foreign keys, busy timeout."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=True)
    conn.row_factory = sqlite3.Row
    # Temporary tables (the row accounting's list) and savepoint journals (a batch's per-row undo) stay in memory;
    # set first, as changing it later drops the connection's temporary tables.
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA foreign_keys = ON")
    # A row that REPLACE conflict resolution deletes fires delete triggers too, so the row accounting sees it go.
    conn.execute("PRAGMA recursive_triggers = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # No checkpoint inside a decider's commit: the WAL is checkpointed at quiet moments instead (see Store.close).
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    return conn


# A process that commits this many times without closing checkpoints once, so the WAL stays bounded.
COMMITS_PER_CHECKPOINT = 1000


def checkpoint(conn: sqlite3.Connection) -> None:
    """Copy the WAL back into the store without waiting for anyone (PASSIVE); skipped when the store is busy."""
    try:
        if not conn.in_transaction:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error:
        pass


def check_stamp(conn: sqlite3.Connection, location: Path) -> None:
    """Refuse, without writing, a database registrar did not make, or one made by a newer registrar."""
    stamped = conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    applied = schema.applied_migration_names(conn)
    if not stamped and not applied:
        raise BadInput(
            f"{location} is not a registrar store (it has no registrar stamp; `registrar init` makes one); "
            "it was left unchanged"
        )
    unknown = sorted(set(applied) - set(schema.migration_names()))
    if unknown:
        raise BadInput(
            f"{location} was made by a newer registrar (schema {', '.join(unknown)}); this registrar "
            f"knows up to {schema.migration_names()[-1]}: upgrade registrar before opening it"
        )


def check_finished(conn: sqlite3.Connection, location: Path) -> None:
    """Refuse a store whose making never finished: every store registrar makes holds its first entry, with its FCR."""
    if conn.execute(sql("ledger_head")).fetchone() is None:
        raise BadInput(
            f"{location} was never finished (its making was cut short: it has no ledger entry, so no FCR): it was "
            "left unchanged; move it aside and make the store again"
        )


def _explain(error: sqlite3.OperationalError) -> str:
    """What an SQLite operational error means for the person at the keyboard."""
    text = str(error).lower()
    if "readonly" in text or "read-only" in text:
        return "the store or its directory is read-only for you, so nothing can be written; nothing was changed"
    if "disk is full" in text or "database or disk is full" in text:
        return "the disk holding the store is full; nothing was changed"
    if "unable to open" in text:
        return "it cannot be opened (check that its directory exists and that you may read and write it)"
    if "locked" in text:
        return "it stayed locked by other writers; nothing was changed: try again"
    return f"{error}; nothing was changed"


def check_store_path(location: Path) -> None:
    """Refuse a store that someone other than its owner could change or swap (as sshd's StrictModes does)."""
    check_store_directory(location.parent)
    for path in (location, Path(f"{location}-wal"), Path(f"{location}-shm"), Path(f"{location}-journal")):
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        what = "store" if path == location else f"store's {path.name.rsplit('-', 1)[1]} file"
        if stat.S_ISLNK(info.st_mode):
            raise UnsafeStore(f"the {what} {path} is a symbolic link; open the real file, owned by its service account")
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeStore(f"the {what} {path} is not a regular file")
        if info.st_uid != os.geteuid() and path != location:
            raise UnsafeStore(
                f"the {what} {path} belongs to {_owner(info.st_uid)}, not to the store's owner: another account "
                "planted or left it; the store's owner should look at it and remove it"
            )
        if info.st_uid != os.geteuid():
            raise UnsafeStore(
                f"the {what} {path} belongs to {_owner(info.st_uid)}, not to you ({identity.os_account()}); "
                f"run registrar as its owner (e.g. `sudo -u {_owner(info.st_uid)} registrar …`)"
            )
        if info.st_mode & 0o022:
            raise UnsafeStore(
                f"the {what} {path} can be written by others (mode {stat.filemode(info.st_mode)}); "
                f"its owner should run `chmod go-w {path}`"
            )


def check_store_directory(directory: Path) -> None:
    """Refuse a store directory writable by others or reached through a link, or a path others could swap."""
    absolute = Path(os.path.abspath(directory))
    info = os.lstat(absolute)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeStore(f"the store's directory {absolute} is a symbolic link; use the real directory")
    if info.st_uid not in (os.geteuid(), 0):
        raise UnsafeStore(f"the store's directory {absolute} belongs to {_owner(info.st_uid)}, not to you or root")
    if info.st_mode & 0o022:
        fix = (
            "keep the store in a directory of its own (mode 0700)"
            if info.st_mode & stat.S_ISVTX
            else f"its owner should run `chmod go-w {absolute}`, or keep the store in a directory of its own"
        )
        raise UnsafeStore(
            f"the store's directory {absolute} can be written by others (mode {stat.filemode(info.st_mode)}), "
            f"who could plant or swap files beside the store: {fix}"
        )
    for ancestor in absolute.parents:
        info = os.stat(ancestor)
        if info.st_uid not in (os.geteuid(), 0) or (info.st_mode & 0o022 and not info.st_mode & stat.S_ISVTX):
            raise UnsafeStore(
                f"{ancestor}, above the store, can be changed by {_owner(info.st_uid)} or others "
                f"(mode {stat.filemode(info.st_mode)}), who could swap the store's directory"
            )


def _owner(uid: int) -> str:
    """An account name for a uid, or the number."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


class WriteTurns:
    """Takes SQLite's write lock for one connection, polling every 0.2-0.8 ms rather than SQLite's backoff of up to
    100 ms, and giving waiting writers a turn.

    A writer that met others waiting last time, and ended its transaction a moment ago, first waits a turn: a loop
    of decisions would otherwise retake the lock before any sleeping waiter polls, and starve them.
    """

    def __init__(self) -> None:
        self.contended = False
        self.last_end = 0.0

    def begin(
        self, conn: sqlite3.Connection, store: Path | None = None, waiting: Callable[[str], None] | None = None
    ) -> None:
        """BEGIN IMMEDIATE, waiting up to the busy timeout for other writers, and on while a long write that holds
        the lock is still making progress (saying so to `waiting` every few seconds)."""
        started = time.monotonic()
        deadline = started + BUSY_TIMEOUT_SECONDS
        checked = moved = started
        behind: LongWrite | None = None
        last_said = ""
        if self.contended and time.monotonic() - self.last_end < TURN_SECONDS:
            time.sleep(TURN_SECONDS)
        self.contended = False
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    now = time.monotonic()
                    if store is not None and now - checked >= WAIT_NOTE_SECONDS:
                        checked = now
                        behind = current_long_write(store)
                        if behind is not None and behind.said != last_said:
                            last_said, moved = behind.said, now
                        if behind is not None and now - moved < behind.patience:  # it moves: wait on, gently
                            deadline = max(deadline, now + 2 * WAIT_NOTE_SECONDS)
                            if waiting is not None:
                                waiting(f"waiting for {behind.said}")
                        else:
                            behind = None
                    if now > deadline:
                        raise StoreBusy(
                            f"the store stayed locked by other writers for {now - started:.0f} s; "
                            "nothing was changed: try again"
                        ) from None
                    self.contended = True
                    # Behind a long write a gentler poll leaves the CPU to it; otherwise a quick one keeps turns fair.
                    time.sleep(LONG_WAIT_POLL_SECONDS if behind else random.uniform(0.0002, 0.0008))
        finally:
            conn.execute(RESTORE_BUSY_TIMEOUT)  # as connect() sets it

    def ended(self) -> None:
        """Note that this writer's transaction has just committed."""
        self.last_end = time.monotonic()


class Store:
    """One connection to a registrar store, with its clock."""

    def __init__(self, path: str | Path, clock: Clock = system_clock):
        self.path = Path(path)
        self.clock = clock
        self.conn = connect(self.path)
        self._accounting = False
        self._commits = 0
        self._turns = WriteTurns()
        self.waiting: Callable[[str], None] | None = None  # told what a write waits for, behind a long one

    @classmethod
    def open(cls, path: str | Path, clock: Clock = system_clock, *, pending_ok: bool = False) -> "Store":
        """Open an existing store, refusing unsafe files, other databases and (unless an upgrade opens it) a store
        an earlier registrar made."""
        location = Path(path)
        if not os.path.lexists(location):
            if location.parent.exists() and not os.access(location.parent, os.X_OK):
                raise UnsafeStore(
                    f"{location.parent} is closed to you ({identity.os_account()}): run registrar as "
                    "the store's owner, or through its SSH or sudo door"
                )
            raise NotFound(f"no store at {location}: create one with `registrar init` or `registrar demo`")
        check_store_path(location)
        try:
            store = cls(location, clock)
            check_stamp(store.conn, location)
            pending = schema.pending_migration_names(store.conn)
            if pending and not pending_ok:
                raise BadInput(
                    f"{location} was made by an earlier registrar and needs {len(pending)} schema change(s) "
                    f"({', '.join(pending)}); back it up, then run `registrar --db {location} upgrade` as its owner"
                )
            if not pending:
                schema.check_schema(store.conn)
                check_finished(store.conn, location)
                store.settings()
        except sqlite3.OperationalError as error:
            raise RegistrarError(f"{location} cannot be used: {_explain(error)}") from None
        except sqlite3.DatabaseError as error:
            raise RegistrarError(f"{location} is not a registrar store ({error}); it was left unchanged") from None
        return store

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        fcr: str,
        fcr_name: str = "",
        demo: bool = False,
        force_code: str = "",
        service_account: str = "",
        clock: Clock = system_clock,
    ) -> "Store":
        """Create a new store (file 0600) with its schema, reference data, settings and first FCR, in one ledger entry."""
        location = Path(path)
        fault = identity.account_name_fault(fcr, service_account, "" if service_account else identity.os_account())
        if fault:
            raise BadInput(f"the first FCR's name {fcr!r} {fault}")
        if os.path.lexists(location):
            raise BadInput(f"{location} already exists; choose another path or open it")
        if not location.parent.exists():
            location.parent.mkdir(parents=True, mode=0o700)
        check_store_directory(location.parent)
        import tempfile

        # Built whole under a name of its own beside the store, then linked into place: a failed or killed set-up
        # leaves no half-made store at the real path, and a store someone made meanwhile is never replaced.
        handle, temporary = tempfile.mkstemp(prefix=f".{location.name}.", suffix=".creating", dir=location.parent)
        os.close(handle)
        building = Path(temporary)
        try:
            cls._build(building, clock, fcr, fcr_name, demo, force_code, service_account).close()
            os.link(building, location)
        except FileExistsError:
            raise BadInput(f"{location} already exists; choose another path or open it") from None
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{building}{suffix}").unlink(missing_ok=True)
        return cls(location, clock)

    @classmethod
    def _build(
        cls, building: Path, clock: Clock, fcr: str, fcr_name: str, demo: bool, force_code: str, service_account: str
    ) -> "Store":
        """Make a complete store at `building`: schema, reference data, settings and first FCR, in one ledger entry."""
        store = cls(building, clock)
        store.conn.execute(sql("store_stamp"))
        store.conn.execute("PRAGMA journal_mode = WAL")
        schema.migrate(store.conn)
        settings = dict(DEFAULT_SETTINGS)
        settings.update(
            store_kind="demo" if demo else "production",
            allow_as=demo,
            force_code=force_code,
            service_account=service_account,
            created_at=stamp(clock()),
        )
        from registrar.storage import ledger

        with store.transaction() as conn:
            _load_reference(conn)
            for name in schema.DATA_MIGRATIONS:  # a new store's reference rows are already current
                record_migration(conn, name, store.now())
            conn.executemany(sql("setting_upsert"), [(k, json.dumps(v)) for k, v in settings.items()])
            conn.execute(sql("user_insert"), (fcr, "fcr", fcr_name or fcr, 1, store.now()))
            ledger.append(
                conn,
                at=store.now(),
                actor=Actor(fcr, "fcr", fcr_name or fcr, "init"),
                action="init",
                rationale=f"Store created; {fcr} is its first FCR.",
                details={
                    "store_kind": settings["store_kind"],
                    "force_code": force_code,
                    "service_account": service_account,
                    "migrations": schema.migration_names(),  # what the store was made with, for upgrade to check
                },
            )
        return store

    def close(self) -> None:
        """Checkpoint the WAL if no one is in the way (a quiet moment: work is done), then close the connection."""
        checkpoint(self.conn)
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a write transaction that takes the write lock first (BEGIN IMMEDIATE); the body may roll back.

        Every row the body writes must be accounted for by a ledger entry before it commits.
        """
        from registrar.storage import accounting

        if not self._accounting:
            accounting.install(self.conn)
            self._accounting = True
        accounting.require_accounted(self.conn)
        self._turns.begin(self.conn, self.path, self.waiting)
        try:
            yield self.conn
            accounting.require_accounted(self.conn)
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.conn.execute("DELETE FROM temp.touched")
            raise
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")
        self._turns.ended()
        self._commits += 1
        if self._commits % COMMITS_PER_CHECKPOINT == 0:
            checkpoint(self.conn)

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Read in one transaction, so figures and the ledger head they are quoted with agree."""
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    @contextmanager
    def acting(self, actor: Actor) -> Iterator[tuple[sqlite3.Connection, Actor]]:
        """A write transaction with the actor re-read inside it: current role, refused if deactivated."""
        with self.transaction() as conn:
            yield conn, identity.current(conn, actor)

    def settings(self) -> dict[str, object]:
        """Return every setting, with defaults for keys the store does not hold."""
        values = dict(DEFAULT_SETTINGS)
        try:
            for key, value in self.conn.execute(sql("settings_all")):
                try:
                    values[key] = json.loads(value)
                except (TypeError, ValueError):
                    raise LedgerBroken(
                        f"settings row {key} holds a value registrar never writes: it was altered outside registrar",
                        None,
                    ) from None
        except sqlite3.OperationalError as error:
            if "decode" not in str(error).lower():
                raise
            raise LedgerBroken(
                "settings holds text that is not UTF-8: it was altered outside registrar", None
            ) from None
        return values

    def now(self) -> str:
        """The store clock's current time as store text."""
        return stamp(self.clock())


def shipped_offences() -> list[tuple]:
    """The shipped Home Office offence list with each code's seriousness weight, as offence_insert rows."""
    weights = {r["code"]: int(r["weight"]) for r in reference_rows("offence_severity")}
    return [
        (
            r["code"],
            r["name"],
            r["group"],
            r["subgroup"],
            int(r["victim_based"]),
            int(r["restricted"]),
            weights[r["code"]],
        )
        for r in reference_rows("offences")
    ]


def record_migration(conn: sqlite3.Connection, name: str, now: str) -> None:
    """Note a data migration as applied, as sqlite_utils notes a schema one."""
    conn.execute(sql("migration_record"), {"migration_set": schema.MIGRATION_SET, "name": name, "applied_at": now})


def _load_reference(conn: sqlite3.Connection) -> None:
    """Insert the shipped reference data into a new store."""
    conn.executemany(sql("offence_insert"), shipped_offences())
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


class ChangeWatcher:
    """A read-only watch on a store: whether anyone committed since last asked, and who this user now is."""

    def __init__(self, path: str | Path):
        self.conn = connect(path)
        self._version = self._data_version()

    def _data_version(self) -> int:
        """SQLite's counter of commits made by other connections."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        """True when the store changed since the last call."""
        version = self._data_version()
        if version == self._version:
            return False
        self._version = version
        return True

    def current(self, actor: Actor) -> Actor:
        """The actor as the store now has them (current role); IdentityError when removed or deactivated."""
        return identity.current(self.conn, actor)

    def close(self) -> None:
        """Close the watching connection."""
        self.conn.close()
