"""Upgrading a store an earlier registrar made: verified first, then every change and its ledger entries in one
transaction, so a killed upgrade leaves the store as it was and a tampered one is refused, never laundered."""

import json
import sqlite3
from pathlib import Path

from queries import sql
from registrar.access import identity
from registrar.base.clock import Clock, system_clock
from registrar.base.errors import BadInput, LedgerBroken, RegistrarError
from registrar.base.reference import reference_rows
from registrar.storage import accounting, ledger, schema
from registrar.storage import store as stores
from registrar.storage.store import SYSTEM_ACTOR, Store, record_migration


def upgrade(path: str | Path, clock: Clock = system_clock) -> Store:
    """Open the store at `path` and apply what it lacks, after verifying it as it stands; return it, current."""
    store = Store.open(path, clock, pending_ok=True)
    try:
        pending = schema.pending_migration_names(store.conn)
        stores.check_finished(store.conn, Path(path))
        if pending:
            _check_before(store.conn, pending)
            _apply(store, pending)
        schema.check_schema(store.conn)
        store.settings()
    except sqlite3.DatabaseError as error:
        store.close()
        raise RegistrarError(f"{path} cannot be upgraded ({error}); it was left unchanged") from None
    except BaseException:
        store.close()
        raise
    return store


def _check_before(conn: sqlite3.Connection, pending: list[str]) -> None:
    """Refuse to upgrade a store whose chain or rows do not verify as they stand, or whose record of the migrations
    it has had disagrees with its ledger (a record removed so that an upgrade would take planted rows in)."""
    schema.check_before_upgrade(conn)  # before anything runs: no planted trigger may write during the upgrade
    _, accounted = ledger.verify_as_it_stands(conn)
    if "0004_accounting" in pending and accounted:
        seq = conn.execute(sql("ledger_first_accounting")).fetchone()[0]
        raise LedgerBroken(
            f"the store says 0004_accounting was never applied, but ledger entry {seq} accounts for rows as only "
            "that migration does: its record was removed outside registrar; nothing was changed",
            seq,
        )
    for name in pending:
        entry = conn.execute(sql("ledger_migration_entry"), {"name": name}).fetchone()
        if entry is not None:
            raise LedgerBroken(
                f"the store says {name} was never applied, but ledger entry {entry[0]} applied it: its record was "
                "removed outside registrar; nothing was changed",
                entry[0],
            )


def _apply(store: Store, pending: list[str]) -> None:
    """Apply the schema changes, the row baseline a pre-accounting store needs and the data migrations, with their
    records and ledger entries, in one transaction."""
    conn = store.conn
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        statements = dict(schema.MIGRATIONS)
        for name in pending:
            if name in statements:
                for statement in statements[name]:
                    conn.execute(statement)
                record_migration(conn, name, store.now())
        accounting.install(conn)  # only now: the tables are as this registrar knows them
        if "0004_accounting" in pending:
            ledger.append(
                conn,
                at=store.now(),
                actor=SYSTEM_ACTOR,
                action="accounting-baseline",
                rationale="Rows present when the ledger began to account for every row.",
                details=accounting.baseline(conn),
            )
        for name in pending:
            if name in DATA_STEPS:
                rationale = DATA_STEPS[name](conn, store.now())
                record_migration(conn, name, store.now())
                ledger.append(
                    conn,
                    at=store.now(),
                    actor=SYSTEM_ACTOR,
                    action="upgrade",
                    rationale=rationale,
                    details={"migration": name},
                )
        accounting.require_accounted(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _offence_seriousness(conn: sqlite3.Connection, now: str) -> str:
    """Add the Home Office codes a store lacks and give every shipped code its seriousness weight."""
    known = {row["code"] for row in conn.execute(sql("reference_offences"))}
    rows = stores.shipped_offences()
    conn.executemany(sql("offence_insert"), [row for row in rows if row[0] not in known])
    conn.executemany(sql("offence_set_severity"), [{"code": row[0], "severity": row[6]} for row in rows])
    conn.executemany(
        sql("outcome_retitle"), [{"number": int(r["number"]), "name": r["name"]} for r in reference_rows("outcomes")]
    )
    added = len([row for row in rows if row[0] not in known])
    return (
        f"Reference data brought up to date: {added} Home Office offence code(s) added, every code given its "
        "seriousness weight (the Crime Severity Score order) by which downgrades are judged, and outcome titles "
        "as the outcomes framework words them."
    )


def _account_names(conn: sqlite3.Connection, now: str) -> str:
    """Deactivate the users an earlier registrar let in under names that are not account names (such a name could
    reach sshd's option syntax), and retire their SSH keys; refuse when that would leave no active FCR."""
    settings = {key: json.loads(value) for key, value in conn.execute(sql("settings_all"))}
    service = str(settings.get("service_account") or "")
    users = conn.execute(sql("users_all")).fetchall()
    owner = "" if service else identity.os_account()
    bad = [u for u in users if u["active"] and identity.account_name_fault(u["username"], service, owner)]
    if not bad:
        return "Every user's name is an account name: nothing to change."
    if not any(u["role"] == "fcr" and u["active"] and u not in bad for u in users):
        names = ", ".join(repr(u["username"]) for u in bad)
        raise BadInput(
            f"users {names} have names that are not account names, and deactivating them would leave no active FCR: "
            "an FCR with an account name must be added first, with the registrar that made this store"
        )
    for user in bad:
        conn.execute(sql("user_update"), (user["role"], 0, user["username"]))
    for key in conn.execute(sql("ssh_keys_active")).fetchall():
        if key["username"] in {u["username"] for u in bad}:
            conn.execute(
                sql("ssh_key_remove"), {"now": now, "actor": SYSTEM_ACTOR.username, "fingerprint": key["fingerprint"]}
            )
    return (
        f"Deactivated {len(bad)} user(s) whose names are not account names, and retired their SSH keys: "
        f"{', '.join(u['username'] for u in bad)}. Add them again under account names."
    )


# What each data migration does to a store's rows; it returns the rationale its ledger entry gives.
DATA_STEPS = {"0007_offence_seriousness": _offence_seriousness, "0009_account_names": _account_names}
