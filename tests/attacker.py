"""The attacker's tools for the attack tests: a plain sqlite3 connection on the store file, the command line, and
the checks that an attack was refused or caught."""

import os
import sqlite3

import pytest
from helpers import invoke, raise_request

from registrar.base.errors import ExitCode, LedgerBroken
from registrar.storage import ledger

NOBODY = 65534  # an account that is not us (tests run as root, so "someone else" is simulated with chown)


as_root = pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another account (chown) needs root")


# --- the attacker's tools ---------------------------------------------------------------------------


class CarefulAttacker(sqlite3.Connection):
    """A plain connection that drops the ledger's append-only triggers for each statement and puts them back after
    it, as an attacker who knows the schema is checked would."""

    def execute(self, statement, parameters=(), /):  # type: ignore[override]
        triggers = (
            super()
            .execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger'")
            .fetchall()
        )
        for name, _ in triggers:
            super().execute(f'DROP TRIGGER "{name}"')
        try:
            return super().execute(statement, parameters)
        finally:
            for _, created in triggers:
                super().execute(created)


def careful(path) -> sqlite3.Connection:
    """A CarefulAttacker connection on the store file, in autocommit."""
    return sqlite3.connect(str(path), isolation_level=None, factory=CarefulAttacker)


def tamper(path, *statements: str, put_back: bool = True) -> None:
    """Run SQL on the store file through a plain sqlite3 connection, as someone with a shell would; a careful one
    puts back the triggers they dropped to do it (unless `put_back` is False), so only the tamper itself shows."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        triggers = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
        for statement in statements:
            conn.execute(statement)
        if put_back:
            present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
            for name, statement in triggers.items():
                if name not in present:
                    conn.execute(statement)
    finally:
        conn.close()


def rewrite_chain(path, change) -> None:
    """Rewrite every entry's details with `change(details)` (a mapping, or text to store as it is) and re-hash the whole
    chain, as an owner who knows the hashing could (the ledger's triggers dropped for the rewrite, then put back)."""
    import json

    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN IMMEDIATE")
    triggers = raw.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger'").fetchall()
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger'"):
        raw.execute(f'DROP TRIGGER "{name}"')
    fields = ", ".join(ledger.CHAINED_FIELDS)
    prev = ledger.GENESIS
    for row in raw.execute(f"SELECT {fields} FROM ledger ORDER BY seq").fetchall():
        changed = change(json.loads(row[-1]))
        values = (*row[:-1], changed if isinstance(changed, str) else ledger.canonical_details(changed))
        digest = ledger.entry_hash(prev, values)
        raw.execute(
            "UPDATE ledger SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?", (values[-1], prev, digest, row[0])
        )
        prev = digest
    for (statement,) in triggers:
        raw.execute(statement)
    raw.execute("COMMIT")
    raw.close()


def run(path, *args, as_user: str | None = None, env: dict | None = None):
    """Invoke the command line on a store, returning the click result."""
    prefix = ["--db", str(path)] + (["--as", as_user] if as_user else [])
    return invoke(prefix + list(args), env=env)


def assert_caught(store, table: str, seq: int | None = None) -> str:
    """`ledger.verify` and `registrar log verify` both find the tamper and name the table; return the message."""
    with pytest.raises(LedgerBroken) as caught:
        ledger.verify(store.conn)
    message = caught.value.message
    assert table in message, message
    if seq is not None:
        assert caught.value.seq == seq, message
    assert_cli_exit_4(store.path, table)
    return message


def assert_cli_exit_4(path, text: str = "") -> None:
    """`registrar log verify` exits 4 (a LedgerBroken, never another exception) and names `text` on stderr."""
    result = run(path, "log", "verify")
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == ExitCode.LEDGER_BROKEN, (result.exit_code, result.output)
    assert text in result.stderr and result.stdout == "", result.stderr


def head(store) -> ledger.Head:
    return ledger.head(store.conn)


def role_of(store, username: str) -> str:
    return store.conn.execute("SELECT role FROM users WHERE username = ?", (username,)).fetchone()[0]


def cancellation(store, reference: str) -> int:
    """A C4 cancellation request raised by the requester."""
    return raise_request(
        store,
        kind="cancellation",
        crime_reference=reference,
        cancellation_code="C4",
        error_description="typed twice by the control room",
    )


def last_entry(store) -> dict:
    return dict(store.conn.execute("SELECT * FROM ledger ORDER BY seq DESC LIMIT 1").fetchone())


def verify_finding(conn) -> str | None:
    """What `ledger.verify` finds, or None when the store verifies."""
    try:
        ledger.verify(conn)
    except LedgerBroken as broken:
        return broken.message
    return None
