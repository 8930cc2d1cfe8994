"""The store's schema as ordered migrations, applied through sqlite_utils.Migrations."""

import re
import sqlite3
from functools import cache

from registrar.base.errors import LedgerBroken
from registrar.base.vocabulary import KIND_NAMES as KINDS
from registrar.base.vocabulary import ROLE_NAMES as ROLES

MIGRATION_SET = "registrar"

CRIME_FLAGS = ("domestic_abuse", "hate_crime", "vulnerable_victim")

_INITIAL = [
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    f"""CREATE TABLE users (
        username TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN {ROLES!r}),
        display_name TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE offences (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        offence_group TEXT NOT NULL,
        subgroup TEXT NOT NULL,
        victim_based INTEGER NOT NULL DEFAULT 1,
        restricted INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),
        severity INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE cancellation_codes (
        code TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        needs TEXT NOT NULL,
        confirmed INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE outcomes (
        number INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        outcome_group TEXT NOT NULL
    )""",
    """CREATE TABLE forces (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL
    )""",
    """CREATE TABLE agencies (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL
    )""",
    """CREATE TABLE crimes (
        id INTEGER PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        offence_code TEXT NOT NULL REFERENCES offences(code),
        state TEXT NOT NULL DEFAULT 'recorded' CHECK (state IN ('recorded', 'cancelled')),
        cancellation_code TEXT REFERENCES cancellation_codes(code),
        recorded_at TEXT NOT NULL,
        occurred_at TEXT,
        cancelled_at TEXT,
        area TEXT,
        oic TEXT,
        domestic_abuse INTEGER NOT NULL DEFAULT 0 CHECK (domestic_abuse IN (0, 1)),
        hate_crime INTEGER NOT NULL DEFAULT 0 CHECK (hate_crime IN (0, 1)),
        vulnerable_victim INTEGER NOT NULL DEFAULT 0 CHECK (vulnerable_victim IN (0, 1)),
        summary TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT 'import',
        transferred_force TEXT REFERENCES forces(code),
        transferred_reference TEXT,
        surviving_crime_id INTEGER REFERENCES crimes(id),
        CHECK ((state = 'cancelled') = (cancellation_code IS NOT NULL))
    )""",
    "CREATE INDEX crimes_recorded_at ON crimes(recorded_at)",
    "CREATE TABLE areas (name TEXT PRIMARY KEY) WITHOUT ROWID",
    """CREATE TRIGGER crimes_remember_area AFTER INSERT ON crimes WHEN NEW.area IS NOT NULL
       BEGIN INSERT OR IGNORE INTO areas (name) VALUES (NEW.area); END""",
    "CREATE INDEX crimes_cancelled ON crimes(cancelled_at) WHERE state = 'cancelled'",
    f"""CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN {KINDS!r}),
        state TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        crime_id INTEGER REFERENCES crimes(id),
        requested_by TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        closed_at TEXT,
        referred_to TEXT,
        summary TEXT NOT NULL DEFAULT '',
        external_id TEXT UNIQUE,
        cancellation_code TEXT REFERENCES cancellation_codes(code),
        avi_description TEXT,
        avi_source TEXT,
        avi_obtained_at TEXT,
        surviving_reference TEXT,
        error_description TEXT,
        proposed_code TEXT REFERENCES offences(code),
        new_information TEXT,
        other_force TEXT REFERENCES forces(code),
        other_reference TEXT,
        dispute_reason TEXT,
        offence_code TEXT REFERENCES offences(code),
        area TEXT,
        agency TEXT REFERENCES agencies(code),
        received_at TEXT,
        subject TEXT,
        suggested_code TEXT REFERENCES offences(code),
        cri_reason TEXT,
        CHECK (crime_id IS NOT NULL OR kind IN ('transfer_in', 'referral'))
    )""",
    "CREATE INDEX requests_open_by_due ON requests(due_at, id) WHERE closed_at IS NULL",
    "CREATE INDEX requests_open_by_kind ON requests(kind, state) WHERE closed_at IS NULL",
    "CREATE INDEX requests_referred_by_due ON requests(due_at, id) WHERE state = 'referred'",
    "CREATE INDEX requests_by_crime ON requests(crime_id)",
    "CREATE INDEX requests_closed_at ON requests(closed_at) WHERE closed_at IS NOT NULL",
    """CREATE TABLE request_crimes (
        request_id INTEGER NOT NULL REFERENCES requests(id),
        crime_id INTEGER NOT NULL REFERENCES crimes(id),
        link TEXT NOT NULL CHECK (link IN ('recorded', 'duplicate', 'created')),
        PRIMARY KEY (request_id, crime_id)
    )""",
    "CREATE INDEX request_crimes_by_crime ON request_crimes(crime_id)",
    """CREATE TABLE follow_ups (
        id INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL REFERENCES requests(id),
        crime_id INTEGER NOT NULL REFERENCES crimes(id),
        created_at TEXT NOT NULL,
        done_at TEXT,
        informed_on TEXT,
        method TEXT,
        done_by TEXT
    )""",
    "CREATE UNIQUE INDEX follow_ups_one_per_request ON follow_ups(request_id)",
    "CREATE INDEX follow_ups_open ON follow_ups(created_at) WHERE done_at IS NULL",
    """CREATE TABLE ledger (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL,
        request_id INTEGER,
        crime_reference TEXT,
        action TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT,
        code TEXT,
        rationale TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX ledger_by_request ON ledger(request_id, seq) WHERE request_id IS NOT NULL",
    "CREATE INDEX ledger_by_crime ON ledger(crime_reference, seq) WHERE crime_reference IS NOT NULL",
    "CREATE INDEX ledger_by_actor ON ledger(actor, seq)",
    "CREATE INDEX ledger_by_at ON ledger(at)",
    """CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
       BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: entries cannot be changed'); END""",
    """CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
       BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: entries cannot be deleted'); END""",
    """CREATE TRIGGER requests_no_delete BEFORE DELETE ON requests
       BEGIN SELECT RAISE(ABORT, 'requests are never deleted'); END""",
    """CREATE TRIGGER crimes_no_delete BEFORE DELETE ON crimes
       BEGIN SELECT RAISE(ABORT, 'crimes are never deleted'); END""",
]

_AUDIT = [
    """CREATE TABLE audit_samples (
        id INTEGER PRIMARY KEY,
        drawn_at TEXT NOT NULL,
        drawn_by TEXT NOT NULL,
        seed INTEGER NOT NULL,
        period_from TEXT NOT NULL,
        period_to TEXT NOT NULL,
        rates TEXT NOT NULL,
        candidates INTEGER NOT NULL,
        sampled INTEGER NOT NULL
    )""",
    """CREATE TABLE audit_items (
        id INTEGER PRIMARY KEY,
        sample_id INTEGER NOT NULL REFERENCES audit_samples(id),
        ledger_seq INTEGER NOT NULL UNIQUE REFERENCES ledger(seq),
        request_id INTEGER NOT NULL REFERENCES requests(id),
        kind TEXT NOT NULL,
        maker TEXT NOT NULL,
        action TEXT NOT NULL,
        offence_group TEXT,
        decided_at TEXT NOT NULL,
        verdict TEXT CHECK (verdict IN ('agree', 'disagree')),
        note TEXT,
        verdict_by TEXT,
        verdict_at TEXT
    )""",
    "CREATE INDEX audit_items_pending ON audit_items(sample_id, id) WHERE verdict IS NULL",
    "CREATE INDEX audit_items_by_maker ON audit_items(maker) WHERE verdict IS NOT NULL",
    """CREATE TRIGGER audit_items_no_delete BEFORE DELETE ON audit_items
       BEGIN SELECT RAISE(ABORT, 'audit items are never deleted'); END""",
    """CREATE TRIGGER audit_verdict_final BEFORE UPDATE OF verdict ON audit_items WHEN OLD.verdict IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'an audit verdict, once recorded, stands'); END""",
]

_COUNTERS = [
    """CREATE TABLE reference_counters (
        prefix TEXT PRIMARY KEY,
        last INTEGER NOT NULL
    ) WITHOUT ROWID""",
]

_ACCOUNTING = [
    """CREATE TABLE ssh_keys (
        id INTEGER PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        username TEXT NOT NULL REFERENCES users(username),
        key_type TEXT NOT NULL,
        key_data TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL,
        removed_at TEXT,
        removed_by TEXT
    )""",
    "CREATE INDEX ssh_keys_active ON ssh_keys(username) WHERE removed_at IS NULL",
    "CREATE UNIQUE INDEX ssh_keys_one_active ON ssh_keys(fingerprint) WHERE removed_at IS NULL",
    """CREATE TRIGGER ssh_keys_no_delete BEFORE DELETE ON ssh_keys
       BEGIN SELECT RAISE(ABORT, 'keys are never deleted; they are marked removed'); END""",
    """CREATE TRIGGER users_no_delete BEFORE DELETE ON users
       BEGIN SELECT RAISE(ABORT, 'users are never deleted; they are deactivated'); END""",
]

INCIDENT_FLAGS = ("domestic_abuse", "child_at_risk", "adult_at_risk", "hate_crime", "rape_report")

_RECORDING_AUDIT = [
    f"""CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        opening_code TEXT NOT NULL,
        closing_code TEXT NOT NULL DEFAULT '',
        area TEXT,
        crime_recorded INTEGER NOT NULL DEFAULT 0 CHECK (crime_recorded IN (0, 1)),
        {", ".join(f"{flag} INTEGER NOT NULL DEFAULT 0 CHECK ({flag} IN (0, 1))" for flag in INCIDENT_FLAGS)},
        summary TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX incidents_opened_at ON incidents(opened_at)",
    """CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
       BEGIN SELECT RAISE(ABORT, 'incidents are never deleted'); END""",
    """CREATE TABLE incident_crimes (
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        crime_id INTEGER NOT NULL REFERENCES crimes(id),
        link TEXT NOT NULL CHECK (link IN ('recorded', 'audit')),
        PRIMARY KEY (incident_id, crime_id)
    )""",
    "CREATE INDEX incident_crimes_by_crime ON incident_crimes(crime_id)",
    """CREATE TABLE recording_samples (
        id INTEGER PRIMARY KEY,
        drawn_at TEXT NOT NULL,
        drawn_by TEXT NOT NULL,
        seed INTEGER NOT NULL,
        period_from TEXT NOT NULL,
        period_to TEXT NOT NULL,
        weights TEXT NOT NULL,
        candidates INTEGER NOT NULL,
        sampled INTEGER NOT NULL
    )""",
    """CREATE TABLE recording_reviews (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL UNIQUE REFERENCES incidents(id),
        sample_id INTEGER REFERENCES recording_samples(id),
        source TEXT NOT NULL CHECK (source IN ('sample', 'rape-report')),
        seniors_only INTEGER NOT NULL DEFAULT 0 CHECK (seniors_only IN (0, 1)),
        added_at TEXT NOT NULL,
        verdict TEXT CHECK (verdict IN ('recorded-correctly', 'not-a-crime', 'record-now', 'n100')),
        reason TEXT,
        note TEXT,
        verdict_by TEXT,
        verdict_at TEXT,
        delay_hours REAL
    )""",
    "CREATE INDEX recording_reviews_pending ON recording_reviews(seniors_only, id) WHERE verdict IS NULL",
    """CREATE TRIGGER recording_reviews_no_delete BEFORE DELETE ON recording_reviews
       BEGIN SELECT RAISE(ABORT, 'recording reviews are never deleted'); END""",
    """CREATE TRIGGER recording_verdict_final BEFORE UPDATE OF verdict ON recording_reviews
       WHEN OLD.verdict IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'a recording-audit verdict, once recorded, stands'); END""",
    """CREATE TABLE n100s (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL UNIQUE REFERENCES incidents(id),
        reason TEXT NOT NULL,
        note TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    )""",
    """CREATE TRIGGER n100s_no_delete BEFORE DELETE ON n100s
       BEGIN SELECT RAISE(ABORT, 'N100 records are never deleted'); END""",
]

_STRUCTURED_AVI = [
    """CREATE TABLE request_avi (
        request_id INTEGER PRIMARY KEY REFERENCES requests(id),
        avi_type TEXT CHECK (avi_type IN ('recording', 'forensic', 'witness', 'document', 'retraction', 'other')),
        shows TEXT CHECK (shows IN ('no-crime', 'victim-unsupportive'))
    )""",
]

# Areas become reference data the FCR keeps (a crime no longer adds its area), and a code or area can be retired.
_REFERENCE_UPKEEP = [
    "DROP TRIGGER crimes_remember_area",
    """CREATE TABLE retirements (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('offence', 'area')),
        code TEXT NOT NULL,
        retired_at TEXT NOT NULL,
        retired_by TEXT NOT NULL,
        UNIQUE (kind, code)
    )""",
]

MIGRATIONS: list[tuple[str, list[str]]] = [
    ("0001_initial", _INITIAL),
    ("0002_audit", _AUDIT),
    ("0003_reference_counters", _COUNTERS),
    ("0004_accounting", _ACCOUNTING),
    ("0005_recording_audit", _RECORDING_AUDIT),
    ("0006_structured_avi", _STRUCTURED_AVI),
    ("0008_reference_upkeep", _REFERENCE_UPKEEP),
]


# Migrations that bring a store's reference rows up to date rather than its schema: the store applies each in one
# transaction with its ledger entry and its record here, so a killed upgrade leaves it pending, never half-applied.
DATA_MIGRATIONS = ("0007_offence_seriousness", "0009_account_names")


def migration_names() -> list[str]:
    """Every migration this registrar knows, schema and data alike, in order."""
    return sorted([*(name for name, _ in MIGRATIONS), *DATA_MIGRATIONS])


def applied_migration_names(conn: sqlite3.Connection) -> list[str]:
    """The migrations the store says were applied to it."""
    try:
        return [
            row[0]
            for row in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,))
        ]
    except sqlite3.OperationalError:
        return []


def pending_migration_names(conn: sqlite3.Connection) -> list[str]:
    """Name the migrations not yet applied, without importing sqlite_utils."""
    applied = set(applied_migration_names(conn))
    return [name for name in migration_names() if name not in applied]


def migrate(conn: sqlite3.Connection) -> None:
    """Apply every pending schema migration, each in its own transaction (the store applies the data ones)."""
    from sqlite_utils import Database, Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, statements in MIGRATIONS:
        migrations(name=name)(_runner(statements))
    migrations.apply(Database(conn, execute_plugins=False))


def _runner(statements: list[str]):
    """Wrap a list of DDL statements as a migration function."""

    def run(db) -> None:
        for statement in statements:
            db.execute(statement)

    return run


def _normal(statement: str) -> str:
    """A CREATE statement with its white space folded, as compared with sqlite_master."""
    return re.sub(r"\s+", " ", statement).strip()


_OBJECT = re.compile(
    r"(CREATE|DROP)\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\s+(?:IF\s+\w+\s+EXISTS\s+)?(\w+)", re.I
)


@cache
def _expected_objects() -> dict[str, str]:
    """Each object the migrations leave in place, by name, with its CREATE statement (a later DROP takes one away)."""
    made: dict[str, str] = {}
    for _, statements in MIGRATIONS:
        for statement in statements:
            found = _OBJECT.match(statement.strip())
            if found and found.group(1).upper() == "CREATE":
                made[found.group(2)] = _normal(statement)
            elif found:
                made.pop(found.group(2), None)
    return made


@cache
def _expected_statements() -> frozenset[str]:
    """The CREATE statement of every object the migrations leave in place."""
    return frozenset(_expected_objects().values())


@cache
def _statements_ever_made() -> frozenset[str]:
    """The CREATE statement of every object any migration ever made (what a store an earlier registrar made holds)."""
    return frozenset(
        _normal(statement)
        for _, statements in MIGRATIONS
        for statement in statements
        if (found := _OBJECT.match(statement.strip())) and found.group(1).upper() == "CREATE"
    )


def unexpected_objects(conn: sqlite3.Connection, known: frozenset[str] | None = None) -> list[str]:
    """Tables, columns, indexes, triggers or views that no migration made (of those in `known`, by default what the
    migrations leave in place): a trigger planted to write on our behalf, a renamed column."""
    known = _expected_statements() if known is None else known
    found = []
    for kind, name, table, statement in conn.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_master"):
        if statement is None or (table == "_sqlite_migrations" and kind in ("table", "index")):
            continue
        if _normal(statement) not in known:
            found.append(f"{kind} {name}")
    return found


def missing_objects(conn: sqlite3.Connection) -> list[str]:
    """Objects the migrations leave in place that the store lacks: a protective trigger dropped, say."""
    present = {name for (name,) in conn.execute("SELECT name FROM main.sqlite_master")}
    return sorted(name for name in _expected_objects() if name not in present)


def check_before_upgrade(conn: sqlite3.Connection) -> None:
    """Refuse to upgrade a store holding an object no migration ever made (a trigger planted to write during it)."""
    unexpected = unexpected_objects(conn, _statements_ever_made())
    if unexpected:
        raise LedgerBroken(
            f"the store's schema was changed outside registrar ({', '.join(unexpected)}); nothing was changed: "
            "restore it from a backup and compare",
            None,
        )


def check_schema(conn: sqlite3.Connection) -> None:
    """Refuse a store whose schema someone changed by hand (a planted trigger, a renamed column)."""
    unexpected = unexpected_objects(conn)
    if unexpected:
        raise LedgerBroken(
            f"the store's schema was changed outside registrar ({', '.join(unexpected)}); "
            "nothing was run: restore it from a backup and compare",
            None,
        )
    missing = missing_objects(conn)
    if missing:
        raise LedgerBroken(
            f"the store lacks {', '.join(missing)}, which registrar made: removed outside registrar (a protective "
            "trigger, say); nothing was run: restore it from a backup and compare",
            None,
        )
