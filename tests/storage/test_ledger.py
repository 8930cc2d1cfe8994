"""The ledger: append-only, hash-chained, and tampering found at its seq or by the anchor."""

import sqlite3

import pytest
from attacker import careful
from helpers import act, raise_request
from hypothesis import given, settings
from hypothesis import strategies as st

from registrar.base.errors import LedgerBroken
from registrar.storage import ledger


def decisions(store, count=3):
    """Make a few decisions so the ledger has entries to tamper with."""
    for _ in range(count):
        rid = raise_request(store, kind="referral", agency="CSC")
        act(store, "ddm", rid, "no-crime")


def raw(store) -> sqlite3.Connection:
    """A bare sqlite3 connection that gets past the append-only triggers and puts them back, as an attacker would."""
    return careful(store.path)


def test_chain_verifies_and_head_is_the_last_entry(store):
    decisions(store)
    result = ledger.verify(store.conn)
    count = store.conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
    assert result.entries == count
    assert ledger.head(store.conn).seq == count


def test_triggers_refuse_update_and_delete(store):
    decisions(store, 1)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE ledger SET rationale = 'x' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM ledger WHERE seq = 1")


def test_edited_entry_is_reported_at_its_seq(store):
    decisions(store)
    raw(store).execute("UPDATE ledger SET rationale = 'nothing to see' WHERE seq = 5")
    with pytest.raises(LedgerBroken) as caught:
        ledger.verify(store.conn)
    assert caught.value.seq == 5


def test_deleted_middle_entry_is_reported(store):
    decisions(store)
    raw(store).execute("DELETE FROM ledger WHERE seq = 4")
    with pytest.raises(LedgerBroken) as caught:
        ledger.verify(store.conn)
    assert caught.value.seq == 4


def test_truncated_tail_is_caught_by_the_anchor(store):
    decisions(store)
    anchor = ledger.head(store.conn)
    raw(store).execute("DELETE FROM ledger WHERE seq >= ?", (anchor.seq - 1,))
    ledger.verify(store.conn, replay=False)  # the shorter chain is self-consistent...
    with pytest.raises(LedgerBroken, match="not accounted for"):
        ledger.verify(store.conn)  # ...but leaves rows no entry accounts for
    with pytest.raises(LedgerBroken, match="truncated"):
        ledger.verify(store.conn, anchor)


def test_rewritten_tail_with_recomputed_hashes_is_caught_by_the_anchor(store):
    decisions(store)
    anchor = ledger.head(store.conn)
    conn = raw(store)
    rows = conn.execute(
        "SELECT seq, at, actor, role, request_id, crime_reference, action, from_state, to_state, code, rationale, "
        "details, prev_hash FROM ledger WHERE seq >= ? ORDER BY seq",
        (anchor.seq - 2,),
    ).fetchall()
    prev = rows[0][12]
    for row in rows:
        values = list(row[:12])
        values[10] = "rewritten " + values[10]
        digest = ledger.entry_hash(prev, tuple(values))
        conn.execute(
            "UPDATE ledger SET rationale = ?, prev_hash = ?, hash = ? WHERE seq = ?", (values[10], prev, digest, row[0])
        )
        prev = digest
    ledger.verify(store.conn)  # recomputed hashes fool a plain walk...
    with pytest.raises(LedgerBroken, match="rewritten") as caught:
        ledger.verify(store.conn, anchor)  # ...but not the published anchor
    assert caught.value.seq == anchor.seq


def test_anchor_must_be_seq_colon_hash():
    from registrar.base.errors import BadInput

    with pytest.raises(BadInput):
        ledger.parse_anchor("12-abc")


FIELD = st.one_of(st.none(), st.integers(min_value=0, max_value=2**62), st.text())


@given(st.tuples(*[FIELD] * 12))
def test_canonical_entry_is_exactly_compact_json(values):
    import json

    assert ledger.canonical_entry(values) == json.dumps(values, separators=(",", ":"), ensure_ascii=False)


@settings(max_examples=400, deadline=None)
@given(
    texts=st.lists(st.one_of(st.none(), st.text()), min_size=10, max_size=10),
    numbers=st.tuples(st.integers(min_value=1, max_value=2**62), st.one_of(st.none(), st.integers(0, 2**62))),
)
def test_sqlite_renders_each_entry_exactly_as_it_was_hashed(texts, numbers):
    conn = sqlite3.connect(":memory:")
    values = (numbers[0], *texts[:3], numbers[1], *texts[3:10])
    placeholders = ", ".join("?" * len(values))
    (rendered,) = conn.execute(f"SELECT json_array({placeholders})", values).fetchone()
    assert rendered == ledger.canonical_entry(values)


def test_searches_take_today_yesterday_and_ages():
    from datetime import UTC, datetime

    from registrar.base.clock import when_typed
    from registrar.reading.views import parse_ledger_query

    now = datetime(2026, 7, 15, 10, 30, tzinfo=UTC)  # 11:30 in London (BST)
    assert when_typed("today", now) == "2026-07-14T23:00:00Z"  # local midnight, in UTC
    assert when_typed("yesterday", now) == "2026-07-13T23:00:00Z"
    assert when_typed("7d", now) == "2026-07-08T10:30:00Z" and when_typed("12h", now) == "2026-07-14T22:30:00Z"
    assert parse_ledger_query("actor:dan since:7d words", now) == {
        "actor": "dan",
        "since": "2026-07-08T10:30:00Z",
        "text": "words",
    }
    with pytest.raises(ValueError):
        when_typed("next tuesday", now)


VALUE = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(),
    st.binary(max_size=40),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUE, min_size=1, max_size=8))
def test_a_rows_image_is_byte_for_byte_what_stores_were_accounted_with(values):
    from registrar.storage.accounting import TableShape

    conn = sqlite3.connect(":memory:")
    columns = tuple(f"c{n}" for n in range(len(values)))
    conn.execute(f"CREATE TABLE t ({', '.join(columns)})")
    conn.execute(f"INSERT INTO t VALUES ({', '.join('?' * len(values))})", values)
    joined = "||','||".join(
        f'quote(t."{column}")' for column in columns
    )  # the image every ledger so far was hashed over
    (expected,) = conn.execute(f"SELECT CAST({joined} AS BLOB) FROM t").fetchone()
    (image,) = conn.execute(f"SELECT {TableShape('t', 'rowid', columns).image('t')} FROM t").fetchone()
    assert image == expected
