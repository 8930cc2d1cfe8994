"""Row accounting: every write to a state table is named, with its before and after image, in a ledger entry."""

import hashlib
import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from registrar.base.errors import LedgerBroken

# Every table whose rows the ledger must account for; a new table must be added here (a test checks).
ACCOUNTED_TABLES = (
    "settings",
    "users",
    "ssh_keys",
    "offences",
    "cancellation_codes",
    "outcomes",
    "forces",
    "agencies",
    "areas",
    "crimes",
    "requests",
    "request_crimes",
    "follow_ups",
    "audit_samples",
    "audit_items",
    "reference_counters",
    "incidents",
    "incident_crimes",
    "recording_samples",
    "recording_reviews",
    "n100s",
    "request_avi",
    "retirements",
)
# Tables that are not state: the ledger itself and SQLite's or sqlite-utils' own bookkeeping.
UNACCOUNTED_TABLES = frozenset({"ledger", "_sqlite_migrations", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})

# A column that names a row for a person, where the table has one.
ROW_LABELS = {
    "settings": "key",
    "users": "username",
    "ssh_keys": "fingerprint",
    "offences": "code",
    "cancellation_codes": "code",
    "forces": "code",
    "agencies": "code",
    "crimes": "reference",
    "incidents": "number",
}
# An entry that creates more rows than this in one table records them as one digest, with the first characters of
# each row's hash (in key order) so that a row changed since is named, not only its entry.
BULK_THRESHOLD = 32
ROW_PREFIX = 12
HASH_FUNCTION = "registrar_row_hash"
# SQLite takes at most 127 arguments to a function (SQLITE_MAX_FUNCTION_ARG); wider tables join with || instead.
PRINTF_MAX_VALUES = 120
# What a row whose text hides something after a NUL hashes to when it is checked: never a recorded hash.
HIDDEN_TEXT = "text hidden after a NUL"


def row_hash(image: bytes) -> str:
    """The hash of a row's image (its typed, quoted values)."""
    return hashlib.sha256(image).hexdigest()[:32]


@dataclass(frozen=True)
class TableShape:
    """How to name a table's rows and build their typed image in SQL."""

    name: str
    key: str
    columns: tuple[str, ...]

    def image(self, alias: str) -> str:
        """SQL for the row's image: each value quoted by SQLite (so 5, 5.0, '5' and X'35' differ), comma-joined, as bytes.

        One printf builds it (the same bytes as joining with ||, without a copy per column).
        """
        quoted = [f'quote({alias}."{column}")' for column in self.columns]
        if len(quoted) > PRINTF_MAX_VALUES:
            return "CAST(" + "||','||".join(quoted) + " AS BLOB)"
        slots = ",".join("%s" for _ in quoted)
        return f"CAST(printf('{slots}', {', '.join(quoted)}) AS BLOB)"

    def checked_hash(self, alias: str) -> str:
        """SQL for a row's hash as found in the store (verify's, and a write's before-image): text hiding anything
        after a NUL (where quote() stops) gives HIDDEN_TEXT, which no recorded hash matches."""
        hidden = " OR ".join(f'instr({alias}."{column}", char(0))' for column in self.columns)
        return f"CASE WHEN {hidden} THEN '{HIDDEN_TEXT}' ELSE {HASH_FUNCTION}({self.image(alias)}) END"

    @cached_property
    def hash_of_key(self) -> str:
        """SQL for one row's current hash, by key."""
        return f'SELECT {HASH_FUNCTION}({self.image("t")}) FROM main."{self.name}" AS t WHERE t.{_key_sql(self)} = ?'


# Shapes by connection and schema version (a migration changes the version, so the cache follows the schema).
_SHAPES: dict[tuple, dict[str, "TableShape"]] = {}


def table_shapes(conn: sqlite3.Connection) -> dict[str, TableShape]:
    """The accounted tables present in this store, with their key and columns (cached per schema version)."""
    version = conn.execute("PRAGMA main.schema_version").fetchone()[0]
    cached = _SHAPES.get((id(conn), version))
    if cached is None:
        cached = _SHAPES[(id(conn), version)] = _read_shapes(conn)
    return cached


def _read_shapes(conn: sqlite3.Connection) -> dict[str, TableShape]:
    """The accounted tables as the schema defines them."""
    shapes = {}
    for name, create_sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
        if name not in ACCOUNTED_TABLES:
            continue
        info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
        columns = tuple(row[1] for row in info)
        if "WITHOUT ROWID" in create_sql.upper():
            keys = [row[1] for row in info if row[5] > 0]
            if len(keys) != 1:  # each row is accounted for by one key: a table keyed by several is not accountable
                raise ValueError(f"{name} has a primary key of {len(keys)} columns; accounted tables have one")
            key = keys[0]
        else:
            key = "rowid"
        shapes[name] = TableShape(name, key, columns)
    return shapes


def row_count(conn: sqlite3.Connection) -> int:
    """How many rows the accounted tables hold (what a full verify checks)."""
    return sum(conn.execute(f'SELECT count(*) FROM main."{name}"').fetchone()[0] for name in table_shapes(conn))


def unaccounted_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables in the store that are neither accounted for nor known bookkeeping."""
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return sorted(
        n for n in names if n not in ACCOUNTED_TABLES and n not in UNACCOUNTED_TABLES and not n.startswith("sqlite_")
    )


def register_function(conn: sqlite3.Connection) -> None:
    """Make the row hash callable from SQL on this connection."""
    conn.create_function(HASH_FUNCTION, 1, row_hash, deterministic=True)


def install(conn: sqlite3.Connection) -> None:
    """Create this connection's temporary triggers that note every row written to an accounted table.

    An update notes the row's hash before and after; an insert notes that the row is new (its hash is read when the
    entry is written, so bulk inserts are not hashed twice); a delete notes that the row is gone.
    """
    register_function(conn)
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS touched "
        "(n INTEGER PRIMARY KEY, tbl TEXT NOT NULL, key NOT NULL, op TEXT NOT NULL, before TEXT, after TEXT)"
    )
    for shape in table_shapes(conn).values():
        key_new = f'NEW."{shape.key}"' if shape.key != "rowid" else "NEW.rowid"
        key_old = f'OLD."{shape.key}"' if shape.key != "rowid" else "OLD.rowid"
        before = shape.checked_hash("OLD")  # a NUL-hidden edit cannot pass as the row the ledger last saw
        after = f"{HASH_FUNCTION}({shape.image('NEW')})"
        for event, key, values in (
            ("INSERT", key_new, "'insert', NULL, NULL"),
            ("UPDATE", key_old, f"'update', {before}, {after}"),
            ("DELETE", key_old, f"'delete', {before}, NULL"),
        ):
            conn.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS account_{shape.name}_{event.lower()} AFTER {event} "
                f'ON main."{shape.name}" BEGIN INSERT INTO touched (tbl, key, op, before, after) '
                f"VALUES ('{shape.name}', {key}, {values}); END"
            )


def pending(conn: sqlite3.Connection) -> bool:
    """True when rows were written that no ledger entry has yet accounted for."""
    try:
        return conn.execute("SELECT 1 FROM temp.touched LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:
        return False


class UnaccountedWrite(RuntimeError):
    """A bug: rows were written in a transaction without a ledger entry accounting for them."""


def take(conn: sqlite3.Connection) -> dict:
    """Collect the rows written since the last entry as `writes` and `bulk` details, and clear the list."""
    try:
        touched = conn.execute("SELECT tbl, key, op, before, after FROM temp.touched ORDER BY n").fetchall()
    except sqlite3.OperationalError:
        return {}
    if not touched:
        return {}
    conn.execute("DELETE FROM temp.touched")
    created = _only_created(touched)
    rows: dict[tuple, list] = {}
    if created is None:
        created = {}
        for tbl, key, op, before, after in touched:
            row = rows.get((tbl, key))
            if row is None:
                rows[(tbl, key)] = [tbl, key, None if op == "insert" else before, op, after]
            else:
                row[3], row[4] = op, after
        for tbl, key, before, _, _ in rows.values():
            if before is None:
                created.setdefault(tbl, []).append(key)
    bulk_tables = {tbl for tbl, keys in created.items() if len(keys) > BULK_THRESHOLD}
    if not rows:  # rows only created: those not in a bulk are accounted for one by one, in the order written
        rows = {(tbl, key): [tbl, key, None, "insert", None] for tbl, key, *_ in touched if tbl not in bulk_tables}
    shapes = table_shapes(conn) if created or any(row[3] == "insert" for row in rows.values()) else {}
    writes = []
    for tbl, key, before, op, after in rows.values():
        if tbl in bulk_tables and before is None:
            continue
        if op == "insert":
            after = _current_hash(conn, shapes[tbl], key)
        writes.append([tbl, key, before, after])
    result: dict = {}
    if writes:
        result["writes"] = writes
    if bulk_tables:
        result["bulk"] = [_bulk_record(conn, shapes[tbl], created[tbl]) for tbl in sorted(bulk_tables)]
    return result


def _only_created(touched: list) -> dict[str, list] | None:
    """The keys created in each table, when a large entry only inserted rows, each once (an import's common case);
    else None, and the rows are followed one by one."""
    if len(touched) <= BULK_THRESHOLD or any(op != "insert" for _, _, op, _, _ in touched):
        return None
    created: dict[str, list] = {}
    for tbl, key, _, _, _ in touched:
        created.setdefault(tbl, []).append(key)
    if any(len(set(keys)) != len(keys) for keys in created.values()):
        return None
    return created


def _current_hash(conn: sqlite3.Connection, shape: TableShape, key) -> str | None:
    """The row's hash as it stands now, or None when it no longer exists."""
    row = conn.execute(shape.hash_of_key, (key,)).fetchone()
    return row[0] if row else None


def _key_sql(shape: TableShape) -> str:
    """The key column as SQL."""
    return "rowid" if shape.key == "rowid" else f'"{shape.key}"'


def _bulk_record(conn: sqlite3.Connection, shape: TableShape, keys: list) -> dict:
    """One digest over many created rows, in key order, with the keys as ranges."""
    ordered = sorted(keys)
    runs = compress(ordered)
    digest = hashlib.sha256()
    prefixes: list[str] = []
    row_hashes = f'SELECT {HASH_FUNCTION}({shape.image("t")}) FROM main."{shape.name}" AS t '
    if runs and isinstance(runs[0], list):
        query = row_hashes + f"WHERE t.{_key_sql(shape)} BETWEEN ? AND ? ORDER BY t.{_key_sql(shape)}"
        for first, last in runs:
            values = [value for (value,) in conn.execute(query, (first, last))]
            digest.update("".join(values).encode("ascii"))
            prefixes.extend(value[:ROW_PREFIX] for value in values)
    else:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS bulk_keys (key PRIMARY KEY)")
        conn.execute("DELETE FROM temp.bulk_keys")
        conn.executemany("INSERT INTO temp.bulk_keys (key) VALUES (?)", [(k,) for k in ordered])
        query = (
            row_hashes + f"WHERE t.{_key_sql(shape)} IN (SELECT key FROM temp.bulk_keys) ORDER BY t.{_key_sql(shape)}"
        )
        values = [value for (value,) in conn.execute(query)]
        digest.update("".join(values).encode("ascii"))
        prefixes.extend(value[:ROW_PREFIX] for value in values)
        conn.execute("DELETE FROM temp.bulk_keys")
    return {
        "table": shape.name,
        "keys": runs,
        "count": len(ordered),
        "digest": digest.hexdigest(),
        "rows": "".join(prefixes),
    }


def compress(keys: list) -> list:
    """Integer keys as [first, last] runs; other keys as they are."""
    if not keys or not all(isinstance(k, int) for k in keys):
        return list(keys)
    runs = [[keys[0], keys[0]]]
    for key in keys[1:]:
        if key == runs[-1][1] + 1:
            runs[-1][1] = key
        else:
            runs.append([key, key])
    return runs


# --- replay ---------------------------------------------------------------------------------------


@dataclass
class _Bulk:
    """Rows one entry created together, and the images learnt for those changed since."""

    seq: int
    table: str
    digest: str
    count: int
    runs: list = field(default_factory=list)
    keys: set = field(default_factory=set)
    first_images: dict = field(default_factory=dict)
    hasher: Any = field(default_factory=hashlib.sha256)
    seen: int = 0
    rows: str = ""  # each created row's hash prefix, in key order ("" in entries written before they were kept)

    @cached_property
    def _starts(self) -> list[int]:
        """How many keys come before each run."""
        starts, total = [], 0
        for first, last in self.runs:
            starts.append(total)
            total += last - first + 1
        return starts

    @cached_property
    def _ordered(self) -> dict:
        """Each non-integer key's place in key order."""
        return {key: place for place, key in enumerate(sorted(self.keys))}

    def recorded(self, key) -> str | None:
        """The hash prefix this entry recorded for the row with `key`, or None where it kept none."""
        if not self.rows:
            return None
        if self.keys:
            place = self._ordered.get(key)
        else:
            index = bisect_right(self.runs, [key, float("inf")]) - 1
            place = self._starts[index] + key - self.runs[index][0] if index >= 0 else None
        if place is None:
            return None
        return self.rows[place * ROW_PREFIX : (place + 1) * ROW_PREFIX] or None

    def all_keys(self) -> Iterator:
        """Every key this entry created, in key order."""
        if self.keys:
            yield from sorted(self.keys)
        for first, last in self.runs:
            yield from range(first, last + 1)

    def contains(self, key) -> bool:
        """True when this bulk created the row with this key."""
        if self.keys:
            return key in self.keys
        index = bisect_right(self.runs, [key, float("inf")]) - 1
        return index >= 0 and self.runs[index][0] <= key <= self.runs[index][1]


class _BulkSweep:
    """The bulks that created each row, found by sweeping rows in ascending key order (one pass, not a scan per row)."""

    def __init__(self, bulks: list[_Bulk]):
        self.intervals = sorted(
            ((first, last, index) for index, bulk in enumerate(bulks) for first, last in bulk.runs),
            key=lambda interval: (interval[0], interval[1], interval[2]),
        )
        self.bulks = bulks
        self.by_key: dict = {}
        for bulk in bulks:
            for key in bulk.keys:
                self.by_key.setdefault(key, []).append(bulk)
        self.next = 0
        self.active: list[tuple[int, int]] = []

    def at(self, key) -> list[_Bulk]:
        """The bulks containing `key`; keys must come in ascending order."""
        if key in self.by_key:
            return self.by_key[key]
        if not isinstance(key, int):
            return []
        while self.next < len(self.intervals) and self.intervals[self.next][0] <= key:
            first, last, index = self.intervals[self.next]
            self.active.append((last, index))
            self.next += 1
        if self.active:
            self.active = [(last, index) for last, index in self.active if last >= key]
        return [self.bulks[index] for _, index in self.active]


@dataclass
class _TableState:
    """What the ledger says about one table's rows: each row's last hash and the entry that wrote it."""

    rows: dict = field(default_factory=dict)
    bulks: list = field(default_factory=list)


class Replay:
    """Follows the ledger's account of every row, entry by entry, then compares it with the tables."""

    def __init__(self) -> None:
        self.tables: dict[str, _TableState] = {}

    def _state(self, table: str) -> _TableState:
        return self.tables.setdefault(table, _TableState())

    def entry(self, seq: int, details: dict) -> None:
        """Apply one entry's account of the rows it wrote."""
        for bulk in details.get("bulk", ()):
            if not isinstance(bulk, dict):
                raise LedgerBroken(f"ledger entry {seq} has a malformed account of bulk writes", seq)
            keys = bulk.get("keys") or []
            runs = [list(r) for r in keys if isinstance(r, list)]
            record = _Bulk(
                seq,
                str(bulk.get("table")),
                str(bulk.get("digest")),
                int(bulk.get("count") or 0),
                runs=sorted(runs),
                keys={k for k in keys if not isinstance(k, list)},
                rows=str(bulk.get("rows") or ""),
            )
            state = self._state(record.table)
            for key, (last_hash, _) in state.rows.items():
                if record.contains(key):
                    record.first_images[key] = last_hash  # a baseline over rows already accounted for
            state.bulks.append(record)
        for write in details.get("writes", ()):
            if not isinstance(write, list) or len(write) != 4:
                raise LedgerBroken(f"ledger entry {seq} has a malformed account of its writes", seq)
            table, key, before, after = write
            state = self._state(table)
            last = state.rows.get(key)
            if last is None:
                bulks = self._bulks_of(state, key)
                for bulk in bulks:
                    bulk.first_images.setdefault(key, before)
                if before is not None and not bulks:
                    raise _outside(table, key, seq, None, "existed before any entry created it")
            elif last[0] != before:
                raise _outside(table, key, seq, last[1], "was changed outside the ledger")
            state.rows[key] = (after, seq)

    @staticmethod
    def _bulks_of(state: _TableState, key) -> list[_Bulk]:
        """The bulk entries that account for this row: the one that created it, and any baseline since."""
        return [bulk for bulk in state.bulks if bulk.contains(key)]

    def compare(
        self, conn: sqlite3.Connection, shapes: dict[str, TableShape], progress: Callable[[int], None] | None = None
    ) -> int:
        """Compare every accounted table with the replayed account; return the rows checked."""
        checked = 0
        for name, shape in shapes.items():
            state = self._state(name)
            found = set()
            cursor = conn.cursor()
            cursor.row_factory = None
            key_sql = _key_sql(shape)
            cursor.execute(
                f'SELECT t.{key_sql}, {shape.checked_hash("t")} FROM main."{name}" AS t ORDER BY t.{key_sql}'
            )
            sweep = _BulkSweep(state.bulks)
            while rows := _page(cursor, name):
                if progress is not None:
                    progress(len(rows))
                for key, current in rows:
                    checked += 1
                    last = state.rows.get(key)
                    bulks = sweep.at(key) if state.bulks else []
                    if current == HIDDEN_TEXT:
                        raise _outside(
                            name,
                            key,
                            None,
                            last[1] if last else None,
                            "holds text hidden after a NUL character, which no door accepts: it was altered outside "
                            "registrar (or imported before registrar refused NULs)",
                            conn=conn,
                            shape=shape,
                        )
                    if last is not None:
                        found.add(key)
                        if last[0] != current:
                            raise _outside(
                                name,
                                key,
                                None,
                                last[1],
                                "differs from what the ledger recorded",
                                conn=conn,
                                shape=shape,
                            )
                    for bulk in bulks:
                        image = bulk.first_images.get(key) if last is not None else current
                        recorded = bulk.recorded(key)
                        if recorded is not None and (image or "")[:ROW_PREFIX] != recorded:
                            raise _outside(
                                name,
                                key,
                                None,
                                last[1] if last else bulk.seq,
                                f"differs from what ledger entry {bulk.seq} recorded when it created it",
                                conn=conn,
                                shape=shape,
                            )
                        bulk.hasher.update((image or "").encode("ascii"))
                        bulk.seen += 1
                    if last is None and not bulks:
                        raise _outside(
                            name, key, None, None, "is not accounted for by any ledger entry", conn=conn, shape=shape
                        )
            for key, (after, seq) in state.rows.items():
                if after is not None and key not in found:
                    raise _outside(name, key, None, seq, "is missing: it was deleted outside the ledger")
            for bulk in state.bulks:
                if bulk.seen != bulk.count and bulk.rows:
                    _name_missing(conn, shape, bulk)
                if bulk.seen != bulk.count or bulk.hasher.hexdigest() != bulk.digest:
                    raise LedgerBroken(
                        f"the {bulk.count} {name} rows created by ledger entry {bulk.seq} no longer match the "
                        f"digest it recorded ({bulk.seen} found): rows were changed, added or removed outside the ledger",
                        bulk.seq,
                    )
        for name, state in self.tables.items():
            if name not in shapes and (state.bulks or any(after is not None for after, _ in state.rows.values())):
                seq = max([seq for _, seq in state.rows.values()] + [bulk.seq for bulk in state.bulks])
                raise LedgerBroken(
                    f"the {name} table, whose rows ledger entry {seq} accounts for, is missing: it was dropped outside "
                    "registrar",
                    seq,
                )
        return checked

    @property
    def accounted(self) -> bool:
        """True when some entry accounted for rows (the ledger has done so since 0004_accounting)."""
        return bool(self.tables)


def _name_missing(conn: sqlite3.Connection, shape: TableShape, bulk: _Bulk) -> None:
    """Raise naming the first row a bulk entry created that is no longer in its table."""
    query = f'SELECT 1 FROM main."{shape.name}" WHERE {_key_sql(shape)} = ?'
    for key in bulk.all_keys():
        if conn.execute(query, (key,)).fetchone() is None:
            raise _outside(shape.name, key, None, bulk.seq, "is missing: it was deleted outside the ledger")


def _page(cursor: sqlite3.Cursor, table: str) -> list:
    """The next page of a table's keys and hashes; text that is not UTF-8 is tamper."""
    try:
        return cursor.fetchmany(8192)
    except sqlite3.OperationalError as error:
        if "decode" not in str(error).lower():
            raise
        raise LedgerBroken(f"{table} holds text that is not UTF-8: it was altered outside registrar", None) from None


def _outside(
    table: str,
    key,
    seq: int | None,
    last_seq: int | None,
    what: str,
    conn: sqlite3.Connection | None = None,
    shape: TableShape | None = None,
) -> LedgerBroken:
    """A tamper finding naming the table, the row and the last entry that touched it."""
    label = ""
    if conn is not None and shape is not None and table in ROW_LABELS and shape.key == "rowid":
        try:
            row = conn.execute(f'SELECT "{ROW_LABELS[table]}" FROM main."{table}" WHERE rowid = ?', (key,)).fetchone()
        except sqlite3.OperationalError:
            row = None
        if row is not None:
            label = f" ({row[0]})"
    last = f"; the last ledger entry to touch it is {last_seq}" if last_seq else "; no ledger entry touched it"
    when = f" (found at entry {seq})" if seq else ""
    return LedgerBroken(f"{table} row {key}{label} {what}{when}{last}", seq or last_seq)


def require_accounted(conn: sqlite3.Connection) -> None:
    """Refuse to commit rows no ledger entry accounts for (a bug in the write path, never a user's error)."""
    if pending(conn):
        raise UnaccountedWrite("a write reached the store without a ledger entry accounting for it; nothing was saved")


def baseline(conn: sqlite3.Connection) -> dict:
    """Bulk records for every row of every accounted table, for a store made before rows were accounted for."""
    records = []
    for shape in table_shapes(conn).values():
        keys = [row[0] for row in conn.execute(f'SELECT {_key_sql(shape)} FROM main."{shape.name}"')]
        if keys:
            records.append(_bulk_record(conn, shape, keys))
    return {"bulk": records}
