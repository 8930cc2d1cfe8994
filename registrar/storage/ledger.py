"""The rationale ledger: an append-only, hash-chained log of every change to the store."""

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from queries import sql
from registrar.access.identity import Actor
from registrar.base.errors import BadInput, LedgerBroken
from registrar.storage import accounting, schema

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "at",
    "actor",
    "role",
    "request_id",
    "crime_reference",
    "action",
    "from_state",
    "to_state",
    "code",
    "rationale",
    "details",
)


_DETAILS_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_quote = json.encoder.encode_basestring


def canonical_details(details: dict | None) -> str:
    """Serialise ledger details as canonical JSON (sorted keys, no spaces)."""
    return _DETAILS_ENCODER.encode(details or {})


def canonical_entry(values: tuple) -> str:
    """The fields as compact JSON, exactly as json.dumps(values, separators=(",", ":"), ensure_ascii=False)."""
    return (
        "[" + ",".join("null" if v is None else _quote(v) if isinstance(v, str) else str(int(v)) for v in values) + "]"
    )


def entry_hash(prev_hash: str, values: tuple) -> str:
    """Hash one entry: sha256 of the previous hash and the canonical JSON of its fields."""
    return hashlib.sha256((prev_hash + canonical_entry(values)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Head:
    """The newest entry's sequence number and hash, publishable as an anchor."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def head(conn: sqlite3.Connection) -> Head:
    """Return the ledger's newest entry as an anchor (0:GENESIS when empty)."""
    row = conn.execute(sql("ledger_head")).fetchone()
    return Head(row[0], row[1]) if row else Head(0, GENESIS)


def append(
    conn: sqlite3.Connection,
    *,
    at: str,
    actor: Actor,
    action: str,
    rationale: str,
    request_id: int | None = None,
    crime_reference: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    code: str | None = None,
    details: dict | None = None,
) -> Head:
    """Append one entry chained to the current head, accounting for every row written since the last one.

    Call inside a write transaction; the entry records the actor's front door and each row's before and after hash.
    """
    previous = head(conn)
    seq = previous.seq + 1
    details = {**(details or {}), **accounting.take(conn)}
    if actor.door != "local":
        details["door"] = actor.door
    values = (
        seq,
        at,
        actor.username,
        actor.role,
        request_id,
        crime_reference,
        action,
        from_state,
        to_state,
        code,
        rationale,
        canonical_details(details),
    )
    digest = entry_hash(previous.hash, values)
    conn.execute(sql("ledger_insert"), (*values, previous.hash, digest))
    return Head(seq, digest)


def hash_at(conn: sqlite3.Connection, seq: int) -> str | None:
    """The hash of the entry with this sequence number, or None."""
    row = conn.execute(sql("ledger_hash_at"), (seq,)).fetchone()
    return row[0] if row else None


def parse_anchor(text: str) -> Head:
    """Read an anchor written as SEQ:HASH."""
    seq_text, _, digest = text.strip().partition(":")
    if (
        not (seq_text.isascii() and seq_text.isdigit())
        or len(digest) != 64
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise BadInput(f"anchor {text!r} is not SEQ:HASH (a number, a colon, 64 hex digits)")
    return Head(int(seq_text), digest)


def check_witnessed(conn: sqlite3.Connection, heads: str) -> int:
    """Check that every head a witness wrote down (lines of `TIME SEQ:HASH`) is on the chain; return how many were.

    A rewritten chain or a removed tail raises LedgerBroken at the first head that shows it; a line that is not a
    head is passed over until every other line is checked, then named (BadInput), so no line can blind the rest.
    """
    newest = head(conn)
    checked, unreadable = 0, []
    for number, line in enumerate(heads.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        when, _, written = line.strip().rpartition(" ")
        try:
            witnessed = parse_anchor(written)
        except BadInput:
            unreadable.append(number)
            continue
        if witnessed.seq > newest.seq:
            raise LedgerBroken(
                f"the witness wrote down entry {witnessed.seq} at {when or '?'}, but the ledger ends at entry "
                f"{newest.seq}: its tail was removed",
                newest.seq + 1,
            )
        if witnessed.seq and hash_at(conn, witnessed.seq) != witnessed.hash:
            raise LedgerBroken(
                f"ledger entry {witnessed.seq} differs from the head the witness wrote down at {when or '?'}: the "
                "chain was rewritten since",
                witnessed.seq,
            )
        checked += 1
    if unreadable:
        lines = ", ".join(map(str, unreadable[:10])) + (" …" if len(unreadable) > 10 else "")
        raise BadInput(
            f"{checked} witnessed heads are on the chain, but line(s) {lines} of the witness file are not heads "
            "(TIME SEQ:HASH): someone wrote to it besides the witness"
        )
    return checked


@dataclass(frozen=True)
class Verification:
    """What a walk of the chain (and, when asked, the replay against the tables) found."""

    entries: int
    head: Head
    rows: int | None = None


# The stored type each chained field must have (SQLite's typeof): an id stored as REAL or TEXT, or text stored
# as BLOB, is tamper.
FIELD_TYPES = (
    ("integer",),
    ("text",),
    ("text",),
    ("text",),
    ("integer", "null"),
    ("text", "null"),
    ("text",),
    ("text", "null"),
    ("text", "null"),
    ("text", "null"),
    ("text",),
    ("text",),
    ("text",),
    ("text",),
)


def _check_types(conn: sqlite3.Connection) -> None:
    """Refuse a ledger any of whose stored values is not of the type that was hashed (one scan, in SQLite)."""
    row = conn.execute(sql("ledger_first_mistyped")).fetchone()
    if row is None:
        not_object = conn.execute(sql("ledger_first_not_object")).fetchone()
        if not_object is not None:  # named here, not later as a row its details no longer account for
            raise LedgerBroken(
                f"ledger entry {not_object[0]} has details that are not a JSON object: it was altered", not_object[0]
            )
        return
    names = (*CHAINED_FIELDS, "prev_hash", "hash")
    index = next(i for i, stored in enumerate(row[1:]) if stored not in FIELD_TYPES[i])
    seq = row[0] if isinstance(row[0], int) else None
    raise LedgerBroken(
        f"ledger entry {seq if seq is not None else '?'} has its {names[index]} stored as {row[1 + index]}, "
        "not as it was hashed: it was altered",
        seq,
    )


def verify(
    conn: sqlite3.Connection,
    anchor: Head | None = None,
    replay: bool = True,
    progress: Callable[[int], None] | None = None,
) -> Verification:
    """Walk the whole chain, then replay its account of every row against the tables; raise LedgerBroken on the first fault."""
    schema.check_schema(conn)
    _check_types(conn)
    account = accounting.Replay() if replay else None
    entries, last_hash = _walk(conn, anchor, account, progress)
    rows_checked = None
    if account is not None:
        accounting.register_function(conn)
        rows_checked = account.compare(conn, accounting.table_shapes(conn), progress)
    return Verification(entries, Head(entries, last_hash), rows_checked)


def verify_as_it_stands(conn: sqlite3.Connection) -> tuple[Verification, bool]:
    """Walk the chain and replay its account of rows against the tables in whatever schema they have now (what an
    upgrade checks before it changes anything); also say whether the ledger has ever accounted for rows."""
    _check_types(conn)
    account = accounting.Replay()
    entries, last_hash = _walk(conn, None, account, None)
    rows_checked = None
    if account.accounted:
        accounting.register_function(conn)
        rows_checked = account.compare(conn, accounting.table_shapes(conn))
    return Verification(entries, Head(entries, last_hash), rows_checked), account.accounted


def _walk(
    conn: sqlite3.Connection,
    anchor: Head | None,
    account: accounting.Replay | None,
    progress: Callable[[int], None] | None,
) -> tuple[int, str]:
    """Check every entry's order, link and hash (and the anchor), feeding the replay; return the count and last hash.

    SQLite builds each entry's hashed bytes (its json_array gives exactly canonical_entry's text for the types
    `_check_types` has let through, which a test holds equal), so the walk checks they are text and hashes them.
    """
    prev_hash = GENESIS
    expected_seq = 1
    anchored = anchor is None or anchor.seq == 0
    sha256 = hashlib.sha256
    cursor = conn.cursor()
    cursor.row_factory = None
    cursor.execute(sql("ledger_chain_canonical" if account is not None else "ledger_chain_canonical_only"))
    while rows := _fetch(conn, cursor, expected_seq - 1):
        for seq, stored_prev, stored_hash, hashed_bytes, details in rows:
            if seq != expected_seq:
                raise LedgerBroken(f"ledger entry {expected_seq} is missing (the next entry is {seq})", expected_seq)
            if not _is_utf8(hashed_bytes):
                raise LedgerBroken(f"ledger entry {seq} holds text that is not UTF-8: it was altered", seq)
            if stored_prev != prev_hash or sha256(hashed_bytes).hexdigest() != stored_hash:
                raise LedgerBroken(
                    f"ledger entry {seq} does not match its hash: it was altered or its predecessor was",
                    seq,
                )
            if anchor is not None and seq == anchor.seq:
                if stored_hash != anchor.hash:
                    raise LedgerBroken(
                        f"ledger entry {seq} differs from the published anchor: the tail was rewritten",
                        seq,
                    )
                anchored = True
            if account is not None and ('"writes"' in details or '"bulk"' in details):
                account.entry(seq, _details(seq, details))
            prev_hash = stored_hash
            expected_seq += 1
        if progress is not None:
            progress(len(rows))
    if not anchored and anchor is not None:
        raise LedgerBroken(
            f"the ledger ends at entry {expected_seq - 1} but the anchor names entry {anchor.seq}: "
            "its tail was truncated",
            expected_seq,
        )
    return expected_seq - 1, prev_hash


def _is_utf8(data: bytes) -> bool:
    """True when the bytes are valid UTF-8 (text stored by anything but registrar may not be)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _details(seq: int, text: str) -> dict:
    """An entry's details as a mapping, or tamper when they are not a JSON object."""
    try:
        value = json.loads(text)
    except ValueError:
        raise LedgerBroken(f"ledger entry {seq} has details that are not JSON", seq) from None
    if not isinstance(value, dict):
        raise LedgerBroken(f"ledger entry {seq} has details that are not a JSON object", seq)
    return value


def _fetch(conn: sqlite3.Connection, cursor: sqlite3.Cursor, last_good: int) -> list:
    """The next page of the chain; text that is not UTF-8 is tamper at the entry that holds it."""
    try:
        return cursor.fetchmany(8192)
    except sqlite3.OperationalError as error:
        if "decode" not in str(error).lower():
            raise
        raise LedgerBroken(
            f"ledger entry {_undecodable_seq(conn, last_good)} holds text that is not UTF-8: it was altered", None
        ) from None


def _undecodable_seq(conn: sqlite3.Connection, after: int) -> int | str:
    """The first entry after `after` with a text field that is not valid UTF-8."""
    scan = conn.cursor()
    scan.row_factory = None
    previous = conn.text_factory
    conn.text_factory = bytes
    try:
        for row in scan.execute(sql("ledger_chain_after"), (after,)):
            for value in row[1:]:
                if isinstance(value, bytes):
                    try:
                        value.decode("utf-8")
                    except UnicodeDecodeError:
                        return row[0]
    finally:
        conn.text_factory = previous
    return "?"
