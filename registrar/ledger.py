"""The rationale ledger: an append-only, hash-chained log of every change to the store."""

import hashlib
import json
import sqlite3
from dataclasses import dataclass

from queries import sql

from .errors import BadInput, LedgerBroken

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
    return "[" + ",".join(
        "null" if v is None else _quote(v) if isinstance(v, str) else str(int(v)) for v in values) + "]"


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
    actor: str,
    role: str,
    action: str,
    rationale: str,
    request_id: int | None = None,
    crime_reference: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    code: str | None = None,
    details: dict | None = None,
) -> Head:
    """Append one entry chained to the current head; call inside a write transaction."""
    previous = head(conn)
    seq = previous.seq + 1
    values = (
        seq,
        at,
        actor,
        role,
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


def parse_anchor(text: str) -> Head:
    """Read an anchor written as SEQ:HASH."""
    seq_text, _, digest = text.strip().partition(":")
    if not seq_text.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise BadInput(f"anchor {text!r} is not SEQ:HASH (a number, a colon, 64 hex digits)")
    return Head(int(seq_text), digest)


@dataclass(frozen=True)
class Verification:
    """What a walk of the chain found."""

    entries: int
    head: Head


def verify(conn: sqlite3.Connection, anchor: Head | None = None) -> Verification:
    """Walk the whole chain; raise LedgerBroken naming the first bad entry or a lost tail."""
    prev_hash = GENESIS
    expected_seq = 1
    anchored = anchor is None or anchor.seq == 0
    cursor = conn.cursor()
    cursor.row_factory = None
    cursor.execute(sql("ledger_chain"))
    while rows := cursor.fetchmany(4096):
        for row in rows:
            seq = row[0]
            if seq != expected_seq:
                raise LedgerBroken(
                    f"ledger entry {expected_seq} is missing (the next entry is {seq})", expected_seq
                )
            if row[12] != prev_hash or entry_hash(prev_hash, row[:12]) != row[13]:
                raise LedgerBroken(
                    f"ledger entry {seq} does not match its hash: it was altered or its predecessor was",
                    seq,
                )
            if anchor is not None and seq == anchor.seq:
                if row[13] != anchor.hash:
                    raise LedgerBroken(
                        f"ledger entry {seq} differs from the published anchor: the tail was rewritten",
                        seq,
                    )
                anchored = True
            prev_hash = row[13]
            expected_seq += 1
    if not anchored:
        raise LedgerBroken(
            f"the ledger ends at entry {expected_seq - 1} but the anchor names entry {anchor.seq}: "
            "its tail was truncated",
            expected_seq,
        )
    return Verification(expected_seq - 1, Head(expected_seq - 1, prev_hash))
