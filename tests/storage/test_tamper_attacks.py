"""A hostile colleague with a shell edits the store file behind registrar's back: every edit of a state table,
the schema, a ledger field's type or a write without its entry is refused or caught by `log verify` (exit 4,
never an internal error or a refusal), naming the table and the row."""

import hashlib
import json
import sqlite3

import pytest
from attacker import (
    assert_caught,
    assert_cli_exit_4,
    cancellation,
    careful,
    head,
    last_entry,
    rewrite_chain,
    role_of,
    run,
    tamper,
    verify_finding,
)
from helpers import NOW, USERS, act, around_now, at, crime, raise_request, snapshot

from registrar.administration import admin
from registrar.base.errors import ExitCode, LedgerBroken, RegistrarError, RuleRefused
from registrar.oversight import audit
from registrar.storage import accounting, ledger, schema
from registrar.storage.store import Store
from seed.generator import build

# --- 3. direct edits of the state tables with plain sqlite3 -----------------------------------------------


def _approved(store) -> None:
    """An approved cancellation of CR-2026-000001, leaving a victim-informed follow-up open."""
    act(store, "ddm2", cancellation(store, "CR-2026-000001"), "approve")


def _pending(store) -> None:
    cancellation(store, "CR-2026-000003")


def _sampled(store) -> None:
    """A ddm decision drawn for audit, its verdict still to come."""
    _approved(store)
    audit.draw_sample(store, USERS["fcr"], *around_now(), 1, audit.SampleRates(1.0))


EDITS = {
    # name: (setup, statements, table the finding must name)
    "crime-cancelled": (
        None,
        [
            "UPDATE crimes SET state = 'cancelled', cancellation_code = 'C4', "
            "cancelled_at = '2026-11-22T10:00:00Z' WHERE reference = 'CR-2026-000003'"
        ],
        "crimes",
    ),
    "crime-downgraded": (None, ["UPDATE crimes SET offence_code = '8N' WHERE reference = 'CR-2026-000002'"], "crimes"),
    "crime-code-as-blob": (
        None,
        ["UPDATE crimes SET offence_code = CAST(offence_code AS BLOB) WHERE reference = 'CR-2026-000002'"],
        "crimes",
    ),
    "crime-code-hides-text-after-a-nul": (  # quote() stops at a NUL, so the row's image would not change
        None,
        ["UPDATE crimes SET offence_code = offence_code || char(0) || 'x' WHERE reference = 'CR-2026-000002'"],
        "crimes",
    ),
    "request-summary-hides-text-after-a-nul": (
        _pending,
        ["UPDATE requests SET summary = summary || char(0) || ' approved by the FCR'"],
        "requests",
    ),
    "crime-oic-cleared": (None, ["UPDATE crimes SET oic = NULL WHERE reference = 'CR-2026-000004'"], "crimes"),
    "crime-flag-dropped": (None, ["UPDATE crimes SET domestic_abuse = 0 WHERE reference = 'CR-2026-000002'"], "crimes"),
    "crime-deleted": (
        None,
        ["DROP TRIGGER crimes_no_delete", "DELETE FROM crimes WHERE reference = 'CR-2026-000003'"],
        "crimes",
    ),
    "crime-inserted": (
        None,
        [
            "INSERT INTO crimes (reference, offence_code, recorded_at) "
            "VALUES ('CR-2026-000099', '46', '2026-11-01T10:00:00Z')"
        ],
        "crimes",
    ),
    "column-added": (None, ["ALTER TABLE crimes ADD COLUMN note TEXT"], "crimes"),
    "request-state": (_pending, ["UPDATE requests SET state = 'rejected'"], "requests"),
    "request-version": (_pending, ["UPDATE requests SET version = version + 1"], "requests"),
    "request-requester": (_pending, ["UPDATE requests SET requested_by = 'pc9'"], "requests"),
    "user-promoted": (None, ["UPDATE users SET role = 'fcr' WHERE username = 'dan'"], "users"),
    "user-reactivated": (
        lambda s: admin.change_user(s, USERS["fcr"], "dora", active=False),
        ["UPDATE users SET active = 1 WHERE username = 'dora'"],
        "users",
    ),
    "user-inserted": (
        None,
        [
            "INSERT INTO users (username, role, display_name, active, created_at) "
            "VALUES ('mallory', 'fcr', 'Mallory', 1, '2026-11-01T00:00:00Z')"
        ],
        "users",
    ),
    "ssh-key-planted": (
        None,
        [
            "INSERT INTO ssh_keys (fingerprint, username, key_type, key_data, added_at, added_by) "
            "VALUES ('SHA256:evil', 'fiona', 'ssh-ed25519', 'AAAA', '2026-11-01', 'fiona')"
        ],
        "ssh_keys",
    ),
    "setting-allow-as": (None, ["UPDATE settings SET value = 'false' WHERE key = 'allow_as'"], "settings"),
    "setting-restricted-flags": (
        lambda s: admin.set_setting(s, USERS["fcr"], "restricted_flags", '["domestic_abuse"]'),
        ["UPDATE settings SET value = '[]' WHERE key = 'restricted_flags'"],
        "settings",
    ),
    "setting-inserted": (None, ["INSERT INTO settings (key, value) VALUES ('surprise', '1')"], "settings"),
    "offence-unrestricted": (None, ["UPDATE offences SET restricted = 0 WHERE code = '19C'"], "offences"),
    "ground-confirmed": (None, ["UPDATE cancellation_codes SET confirmed = 1 WHERE code = 'C5'"], "cancellation_codes"),
    "force-renamed": (None, ["UPDATE forces SET name = 'Nowhere' WHERE code = 'WMP'"], "forces"),
    "area-planted": (None, ["INSERT INTO areas (name) VALUES ('Atlantis')"], "areas"),
    "counter-moved": (
        None,
        ["INSERT INTO reference_counters (prefix, last) VALUES ('CR-2026-', 5)"],
        "reference_counters",
    ),
    "follow-up-closed": (
        _approved,
        [
            "UPDATE follow_ups SET done_at = '2026-11-23T09:00:00Z', "
            "informed_on = '2026-11-22', method = 'phone', done_by = 'pc1'"
        ],
        "follow_ups",
    ),
    "follow-up-deleted": (_approved, ["DELETE FROM follow_ups"], "follow_ups"),
    "link-planted": (
        _approved,
        ["INSERT INTO request_crimes (request_id, crime_id, link) VALUES (1, 3, 'duplicate')"],
        "request_crimes",
    ),
    "audit-whitewashed": (
        _sampled,
        [
            "UPDATE audit_items SET verdict = 'agree', note = 'Agreed on audit.', "
            "verdict_by = 'fiona', verdict_at = '2026-11-23T09:00:00Z'"
        ],
        "audit_items",
    ),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_a_direct_edit_of_a_state_table_is_caught_by_verify(store, name):
    setup, statements, table = EDITS[name]
    if setup:
        setup(store)
    ledger.verify(store.conn)
    tip = head(store)
    tamper(store.path, *statements)
    message = assert_caught(store, table)
    assert head(store) == tip, message


def test_text_hidden_after_a_nul_is_caught_even_after_a_legitimate_write_overwrites_it(store):
    tamper(store.path, "UPDATE cancellation_codes SET title = title || char(0) || ' (withdrawn)' WHERE code = 'C5'")
    assert "hidden after a NUL" in assert_caught(store, "cancellation_codes")
    admin.set_ground(store, USERS["fcr"], "C5", "Self-defence shown by additional verifiable information", None)
    assert "changed outside the ledger" in assert_caught(store, "cancellation_codes")


def test_a_tampered_crime_is_caught_even_after_a_legitimate_decision_touches_it(store):
    tamper(store.path, "UPDATE crimes SET offence_code = '8N' WHERE reference = 'CR-2026-000002'")  # rape to theft
    rid = cancellation(store, "CR-2026-000002")
    decided = act(store, "ddm2", rid, "approve")  # the rules now see 8N, so a ddm may approve...
    message = assert_caught(store, "crimes", seq=decided.seq)  # ...but the decision's own account exposes the edit
    assert f"crimes row {crime(store, 'CR-2026-000002')['id']} " in message and "changed outside the ledger" in message


def test_a_tampered_setting_is_caught_after_the_fcr_changes_it(store):
    tamper(store.path, "UPDATE settings SET value = '[\"hate_crime\"]' WHERE key = 'restricted_flags'")
    admin.set_setting(store, USERS["fcr"], "restricted_flags", '["domestic_abuse"]')
    assert "changed outside the ledger" in assert_caught(store, "settings", seq=head(store).seq)


def test_a_tampered_bulk_row_is_caught_after_a_legitimate_change(store):
    tamper(store.path, "UPDATE offences SET name = 'Theft', restricted = 0 WHERE code = '19C'")
    admin.set_restricted(store, USERS["fcr"], "19C", True)  # the FCR restores the flag; the name stays forged
    assert_caught(store, "offences")


def test_a_tampered_row_changed_back_before_the_next_write_is_harmless_and_verifies(store):
    tamper(
        store.path,
        "UPDATE users SET role = 'fcr' WHERE username = 'dan'",
        "UPDATE users SET role = 'ddm' WHERE username = 'dan'",
    )
    act(store, "ddm", cancellation(store, "CR-2026-000001"), "approve")
    ledger.verify(store.conn)


def test_rewriting_a_row_and_the_ledger_account_for_it_is_caught_by_the_published_anchor(store):
    act(store, "fcr", cancellation(store, "CR-2026-000002"), "reject")
    anchor = head(store)  # published outside the server, e.g. by a nightly `registrar log head`
    key = crime(store, "CR-2026-000002")["id"]
    # The attacker cancels the rape, then rewrites the entry that last accounted for that row and every hash after it.
    tamper(store.path, f"UPDATE crimes SET state = 'cancelled', cancellation_code = 'C4' WHERE id = {key}")
    conn = careful(store.path)
    accounting.register_function(conn)
    forged = accounting._current_hash(conn, accounting.table_shapes(conn)["crimes"], key)
    prev, rewriting = ledger.GENESIS, False
    for row in conn.execute("SELECT * FROM ledger ORDER BY seq").fetchall():
        values = list(row[:12])
        details = json.loads(values[11])
        for write in details.get("writes", []):
            if write[:2] == ["crimes", key]:
                write[3], rewriting = forged, True
        values[11] = ledger.canonical_details(details)
        if rewriting:
            conn.execute(
                "UPDATE ledger SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (values[11], prev, ledger.entry_hash(prev, tuple(values)), row[0]),
            )
        prev = ledger.entry_hash(prev, tuple(values))
    conn.close()
    assert crime(store, "CR-2026-000002")["state"] == "cancelled"
    assert ledger.verify(store.conn).entries == anchor.seq  # a consistent forgery fools an unanchored check...
    with pytest.raises(LedgerBroken, match="rewritten"):
        ledger.verify(store.conn, anchor)  # ...never one against a head published before it
    result = run(store.path, "log", "verify", "--anchor", str(anchor))
    assert result.exit_code == ExitCode.LEDGER_BROKEN and "rewritten" in result.stderr


# --- 3b. attacks on the schema, the encoding and the guard itself ----------------------------------------


def test_a_planted_trigger_cannot_launder_its_writes_through_a_decision(store):
    rid = cancellation(store, "CR-2026-000001")
    tamper(
        store.path,
        "CREATE TRIGGER promote AFTER UPDATE ON requests "
        "BEGIN UPDATE users SET role = 'fcr' WHERE username = 'dan'; END",
    )
    try:
        fresh = Store.open(store.path)  # as the next CLI command would
    except RegistrarError:
        assert role_of(store, "dan") == "ddm"
        return  # refused at the door: the attack failed
    try:
        try:
            act(fresh, "ddm2", rid, "approve")
        except RegistrarError:
            pass
        assert role_of(fresh, "dan") == "ddm" or verify_finding(fresh.conn), "dan became fcr and the store verifies"
    finally:
        fresh.close()


def test_swapping_column_names_cannot_defeat_independence_unnoticed(store):
    rid = cancellation(store, "CR-2026-000004")
    tamper(
        store.path,
        "ALTER TABLE crimes RENAME COLUMN oic TO swap",
        "ALTER TABLE crimes RENAME COLUMN area TO oic",
        "ALTER TABLE crimes RENAME COLUMN swap TO area",
    )
    try:
        fresh = Store.open(store.path)  # the next command, in a new process
    except LedgerBroken as refusal:
        assert "schema" in refusal.message
        return  # refused at the door: the attack failed
    try:
        try:
            act(fresh, "ddm", rid, "approve")
        except RuleRefused as refusal:
            assert refusal.rule == "independence"
            return
        assert verify_finding(fresh.conn), "dan decided his own crime's cancellation and the store verifies"
    finally:
        fresh.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE crimes SET reference = CAST(x'ff' AS TEXT) WHERE reference = 'CR-2026-000001'",
        "INSERT INTO areas (name) VALUES (CAST(x'ff' AS TEXT))",
    ],
    ids=["crime-reference", "area-key"],
)
def test_undecodable_text_in_a_state_table_is_tamper_not_a_crash(store, statement):
    tamper(store.path, statement)
    with pytest.raises(LedgerBroken):
        ledger.verify(store.conn)
    assert_cli_exit_4(store.path)


@pytest.mark.parametrize("value", ["'{'", "CAST(x'ff' AS TEXT)"], ids=["not-json", "not-utf8"])
def test_a_setting_that_cannot_be_read_is_tamper_not_a_crash(store, value):
    tamper(store.path, f"UPDATE settings SET value = {value} WHERE key = 'allow_as'")
    assert "settings" in verify_finding(store.conn)  # the open connection's verify does find it...
    assert_cli_exit_4(store.path, "settings")  # ...but the command line cannot get that far


# --- 4. ledger fields of the wrong type ---------------------------------------------------------------


@pytest.mark.parametrize(
    "assignment",
    [
        "request_id = 3625.5",
        "request_id = 'abc'",
        "request_id = x'01'",
        "rationale = CAST(rationale AS BLOB)",  # the same bytes: only the stored type differs
        "details = CAST(details AS BLOB)",
        "hash = CAST(hash AS BLOB)",
        "rationale = CAST(x'ff' AS TEXT)",  # not UTF-8
        "actor = CAST(x'6461c3' AS TEXT)",
        "details = CAST(x'7b22ff227d' AS TEXT)",
        "code = 5",
    ],
)
@pytest.mark.parametrize("which", ["first", "raise", "last"])
def test_a_ledger_field_of_the_wrong_type_is_tamper_at_its_entry(store, assignment, which):
    rid = cancellation(store, "CR-2026-000001")
    raised = store.conn.execute("SELECT seq FROM ledger WHERE request_id = ? AND action = 'raise'", (rid,)).fetchone()[
        0
    ]
    act(store, "ddm2", rid, "approve")
    seq = {"first": 1, "raise": raised, "last": head(store).seq}[which]
    if which == "first" and assignment.startswith("request_id"):
        seq = raised  # the first entry has no request
    tamper(store.path, "DROP TRIGGER ledger_no_update", f"UPDATE ledger SET {assignment} WHERE seq = {seq}")
    with pytest.raises(LedgerBroken) as caught:
        ledger.verify(store.conn)
    assert f"ledger entry {seq} " in caught.value.message, caught.value.message
    assert_cli_exit_4(store.path, f"ledger entry {seq} ")
    result = run(store.path, "log", "verify", "--chain-only")
    assert result.exit_code == ExitCode.LEDGER_BROKEN


@pytest.mark.parametrize(
    "assignment",
    ["request_id = 'abc'", "request_id = 2.5", "actor = CAST(x'ff' AS TEXT)", "rationale = CAST(x'c3' AS TEXT)"],
)
@pytest.mark.parametrize("replay", [True, False], ids=["full", "chain-only"])
def test_a_field_no_registrar_writes_is_tamper_even_with_its_hash_recomputed(store, assignment, replay):
    act(store, "ddm2", cancellation(store, "CR-2026-000001"), "approve")
    last = head(store)
    anchor = ledger.Head(last.seq - 1, ledger.hash_at(store.conn, last.seq - 1) or "")
    tamper(store.path, "DROP TRIGGER ledger_no_update", f"UPDATE ledger SET {assignment} WHERE seq = {last.seq}")
    # the tamperer recomputes the entry's hash as verify would, past the published anchor
    conn = careful(store.path)
    (hashed,) = conn.execute(
        "SELECT CAST(prev_hash || json_array(seq, at, actor, role, request_id, crime_reference, action, from_state, "
        "to_state, code, rationale, details) AS BLOB) FROM ledger WHERE seq = ?",
        (last.seq,),
    ).fetchone()
    conn.execute("UPDATE ledger SET hash = ? WHERE seq = ?", (hashlib.sha256(hashed).hexdigest(), last.seq))
    conn.close()
    with pytest.raises(LedgerBroken) as caught:
        ledger.verify(store.conn, anchor, replay=replay)
    assert f"ledger entry {last.seq} " in caught.value.message, caught.value.message


# --- 6. the commit guard: no write is saved without its ledger entry ----------------------------------


def test_a_write_without_a_ledger_entry_is_refused_and_rolled_back(store):
    before, tip = snapshot(store), head(store)
    with pytest.raises(accounting.UnaccountedWrite):
        with store.transaction() as conn:
            conn.execute("UPDATE users SET role = 'fcr' WHERE username = 'dan'")
    with pytest.raises(accounting.UnaccountedWrite):
        with store.acting(USERS["fcr"]) as (conn, _):
            conn.executemany("INSERT INTO areas (name) VALUES (?)", [("Atlantis",), ("Lyonesse",)])
    assert snapshot(store) == before and head(store) == tip
    assert not accounting.pending(store.conn)
    raise_request(store, kind="referral", agency="CSC")  # the next entry accounts only for its own rows
    assert "users" not in last_entry(store)["details"] and "areas" not in last_entry(store)["details"]
    ledger.verify(store.conn)


def test_a_write_after_the_ledger_entry_is_refused(store):
    before, tip = snapshot(store), head(store)
    with pytest.raises(accounting.UnaccountedWrite):
        with store.acting(USERS["fcr"]) as (conn, actor):
            conn.execute("UPDATE settings SET value = '5' WHERE key = 'rationale_min_length'")
            ledger.append(conn, at=store.now(), actor=actor, action="setting", rationale="Setting changed.")
            conn.execute("UPDATE users SET role = 'fcr' WHERE username = 'dan'")  # smuggled in after the entry
    assert snapshot(store) == before and head(store) == tip


def test_a_body_that_commits_early_is_still_refused(store):
    with pytest.raises(accounting.UnaccountedWrite):
        with store.transaction() as conn:
            conn.execute("UPDATE crimes SET area = 'Nowhere' WHERE reference = 'CR-2026-000001'")
            conn.commit()


def test_a_stray_write_outside_a_transaction_is_not_laundered_into_the_next_entry(store):
    with store.transaction():
        pass  # the accounting triggers are installed on this connection
    try:
        store.conn.execute("UPDATE crimes SET area = 'Nowhere' WHERE reference = 'CR-2026-000001'")
    except (sqlite3.DatabaseError, accounting.UnaccountedWrite):
        assert crime(store, "CR-2026-000001")["area"] == "Stafford"
        return
    try:
        raise_request(store, kind="referral", agency="CSC")
    except accounting.UnaccountedWrite:
        pass
    assert "crimes" in (verify_finding(store.conn) or ""), "the stray write now verifies as part of a referral"


# --- 7. no table escapes the accounting ---------------------------------------------------------------


def test_every_table_of_a_migrated_store_is_accounted_for(store):
    fresh = sqlite3.connect(":memory:")
    schema.migrate(fresh)
    for conn in (fresh, store.conn):
        assert accounting.unaccounted_tables(conn) == []
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert set(accounting.ACCOUNTED_TABLES) <= tables  # no stale names in the list either
        assert set(accounting.ROW_LABELS) <= set(accounting.ACCOUNTED_TABLES)
    triggers = {row[0] for row in store.conn.execute("SELECT name FROM temp.sqlite_master WHERE type = 'trigger'")}
    for table in accounting.ACCOUNTED_TABLES:
        assert {f"account_{table}_{event}" for event in ("insert", "update", "delete")} <= triggers, table
    fresh.close()


def test_a_new_table_is_named_as_unaccounted(store):
    store.conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    assert accounting.unaccounted_tables(store.conn) == ["notes"]


# --- 8. the demo generator writes only through accounted paths -----------------------------------------


def test_a_generated_demo_store_verifies_with_replay_and_its_rows_are_all_accounted(tmp_path):
    demo = build(tmp_path / "demo.db", seed=1, crimes=2000, now=NOW)
    try:
        assert not accounting.pending(demo.conn)
        result = ledger.verify(demo.conn)
        total = sum(
            demo.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in accounting.table_shapes(demo.conn)
        )
        assert result.rows == total and result.rows > 2000
        assert accounting.unaccounted_tables(demo.conn) == []
        generated = demo.conn.execute("SELECT id FROM crimes WHERE source = 'demo' ORDER BY id LIMIT 1 OFFSET 1000")
        tamper(
            demo.path,
            "UPDATE crimes SET offence_code = CASE offence_code WHEN '8N' THEN '46' ELSE '8N' END "
            f"WHERE id = {generated.fetchone()[0]}",
        )
        assert_caught(demo, "crimes")
    finally:
        demo.close()


def _entry_of(store, *statements: str) -> dict:
    """Run statements and one ledger entry in a transaction; return the entry's details, after verify passes."""
    with store.acting(USERS["fcr"]) as (conn, actor):
        for statement in statements:
            conn.execute(statement)
        ledger.append(conn, at=store.now(), actor=actor, action="setting", rationale="A write the ledger accounts for.")
    ledger.verify(store.conn)
    return json.loads(last_entry(store)["details"])


def test_every_sequence_of_writes_to_one_row_in_one_entry_is_accounted_for(store):
    _entry_of(store, "INSERT INTO areas (name) VALUES ('Atlantis')")
    gone_and_back = _entry_of(
        store, "DELETE FROM areas WHERE name = 'Atlantis'", "INSERT INTO areas (name) VALUES ('Atlantis')"
    )
    assert [w[0] for w in gone_and_back["writes"]] == ["areas"]
    replaced = _entry_of(  # REPLACE deletes the updated row without a DELETE statement
        store,
        "UPDATE settings SET value = '40' WHERE key = 'rationale_min_length'",
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('rationale_min_length', '45')",
    )
    assert len(replaced["writes"]) == 2 and replaced["writes"][0][3] is None  # the replaced row is recorded as gone


@pytest.mark.parametrize("pairs", [2, 20], ids=["few", "over-the-bulk-threshold"])
def test_an_entry_lists_its_writes_in_the_order_they_were_made(store, pairs):
    statements = []
    for n in range(pairs):
        statements += [
            f"INSERT INTO areas (name) VALUES ('Area {n}')",
            f"INSERT INTO agencies VALUES ('Z{n}', 'Trust')",
        ]
    details = _entry_of(store, *statements)
    assert [w[0] for w in details["writes"]] == ["areas", "agencies"] * pairs  # the same for every process


def test_a_table_wider_than_a_function_takes_still_has_an_image():
    from registrar.storage.accounting import PRINTF_MAX_VALUES, TableShape

    conn = sqlite3.connect(":memory:")
    columns = tuple(f"c{n}" for n in range(PRINTF_MAX_VALUES + 10))
    conn.execute(f"CREATE TABLE wide ({', '.join(columns)})")
    conn.execute(f"INSERT INTO wide VALUES ({', '.join('?' * len(columns))})", [f"v'{n}" for n in range(len(columns))])
    joined = "||','||".join(f'quote(t."{column}")' for column in columns)
    (expected,) = conn.execute(f"SELECT CAST({joined} AS BLOB) FROM wide AS t").fetchone()
    assert (
        conn.execute(f"SELECT {TableShape('wide', 'rowid', columns).image('t')} FROM wide AS t").fetchone()[0]
        == expected
    )


def test_details_rewritten_to_text_that_is_not_json_are_named_at_their_entry_not_at_a_row(store):
    seq = ledger.head(store.conn).seq
    store.close()
    rewrite_chain(store.path, lambda details: "not json {" if details.get("username") == "dan" else details)
    reopened = Store.open(store.path)
    with pytest.raises(LedgerBroken, match=r"ledger entry \d+ has details that are not a JSON object") as caught:
        ledger.verify(reopened.conn)
    assert caught.value.seq is not None and caught.value.seq <= seq
    reopened.close()


def _sixty_crimes(store) -> int:
    """Import 60 crimes in one entry (a bulk record); return that entry's sequence number."""
    lines = "".join(
        json.dumps({"reference": f"CR-2026-9{n:05d}", "offence_code": "8N", "recorded_at": at(-1), "area": "Cannock"})
        + "\n"
        for n in range(60)
    )
    from registrar.intake import imports

    imports.import_crimes(store, USERS["fcr"], lines.encode(), "sixty")
    return ledger.head(store.conn).seq


def test_one_changed_crime_of_a_bulk_import_is_named_with_its_reference(store):
    entry = _sixty_crimes(store)
    tamper(store.path, "UPDATE crimes SET oic = 'pc666' WHERE reference = 'CR-2026-900041'")
    message = assert_caught(store, "crimes")
    assert "(CR-2026-900041)" in message and f"differs from what ledger entry {entry} recorded" in message


def test_a_restricted_flag_changed_in_the_reference_data_is_named_with_its_code(store):
    tamper(store.path, "UPDATE offences SET restricted = 1 - restricted WHERE code = '19C'")
    message = assert_caught(store, "offences")
    assert "(19C)" in message and "differs from what ledger entry 1 recorded" in message


def test_a_crime_of_a_bulk_import_deleted_behind_the_ledger_is_named(store):
    _sixty_crimes(store)
    victim = store.conn.execute("SELECT id FROM crimes WHERE reference = 'CR-2026-900007'").fetchone()[0]
    tamper(
        store.path,
        *[
            f"DROP TRIGGER {name}"
            for (name,) in store.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'crimes' AND sql LIKE '%DELETE%'"
            )
        ],
        f"DELETE FROM crimes WHERE id = {victim}",
    )
    message = assert_caught(store, "crimes")
    assert f"crimes row {victim} is missing" in message
