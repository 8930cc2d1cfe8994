"""Upgrades: a store made before the ledger accounted for rows is taken in whole; a store whose record of its
migrations was altered so that an upgrade would take planted rows in is refused and left byte for byte; an upgrade
killed at any point leaves the store as it was."""

import signal

import pytest
from attacker import rewrite_chain, tamper
from helpers import committed_dump, file_digest, run_on
from killpoints import kill_points, run_killed, steps_of

from registrar.storage import ledger
from registrar.storage.store import Store

# What 0004_accounting made, dropped to turn a store back into one an earlier registrar made.
BEFORE_ACCOUNTING = (
    "DROP TRIGGER ssh_keys_no_delete",
    "DROP TRIGGER users_no_delete",
    "DROP INDEX ssh_keys_active",
    "DROP TABLE ssh_keys",
    "DELETE FROM _sqlite_migrations WHERE name = '0004_accounting'",
)
PLANTED = (
    "INSERT INTO users (username, role, display_name, active, created_at) "
    "VALUES ('mallory', 'fcr', 'Mallory', 1, '2026-01-01T00:00:00Z')",
    "UPDATE crimes SET state = 'cancelled', cancellation_code = 'C4' WHERE reference = 'CR-2026-000001'",
)


def made_before_accounting(store) -> None:
    """Turn the store into one an earlier registrar made: no 0004 objects, and a ledger that never accounted rows."""
    store.close()
    tamper(store.path, *BEFORE_ACCOUNTING, put_back=False)
    rewrite_chain(
        store.path, lambda details: {k: v for k, v in details.items() if k not in ("writes", "bulk", "migrations")}
    )


def test_an_older_store_is_not_migrated_by_reading_and_upgrade_takes_its_rows_in(store):
    made_before_accounting(store)
    before = file_digest(store.path)
    result = run_on(store.path, "queue")
    assert result.exit_code == 1 and "registrar" in result.stderr and "upgrade" in result.stderr
    assert file_digest(store.path) == before
    assert run_on(store.path, "upgrade", as_user=None).exit_code == 0
    upgraded = Store.open(store.path)
    actions = [row[0] for row in upgraded.conn.execute("SELECT action FROM ledger ORDER BY seq DESC LIMIT 1")]
    assert actions == ["accounting-baseline"]
    ledger.verify(upgraded.conn)
    upgraded.close()
    assert run_on(store.path, "queue").exit_code == 0


def test_an_upgrade_refuses_to_launder_rows_planted_behind_a_removed_migration_record(store):
    store.close()
    tamper(store.path, *PLANTED, *BEFORE_ACCOUNTING, put_back=False)
    before = file_digest(store.path)
    refused = run_on(store.path, "upgrade", as_user=None)
    assert refused.exit_code == 4 and "Traceback" not in refused.stderr
    assert "mallory" in refused.stderr and "not accounted for by any ledger entry" in refused.stderr
    assert file_digest(store.path) == before
    assert "accounting-baseline" not in committed_dump(store.path)


def test_an_upgrade_refuses_a_removed_record_even_where_every_row_still_verifies(store):
    store.close()
    tamper(store.path, "DELETE FROM _sqlite_migrations WHERE name = '0004_accounting'")
    before = file_digest(store.path)
    refused = run_on(store.path, "upgrade", as_user=None)
    assert refused.exit_code == 4 and "0004_accounting was never applied" in refused.stderr
    assert "entry 1 accounts for rows" in refused.stderr
    assert file_digest(store.path) == before


def test_an_upgrade_refuses_a_data_migration_record_removed_after_its_entry(store):
    store.close()
    # a store an earlier registrar made, whose first entry does not list its migrations, that lacks 0009
    rewrite_chain(store.path, lambda details: {k: v for k, v in details.items() if k != "migrations"})
    tamper(store.path, "DELETE FROM _sqlite_migrations WHERE name = '0009_account_names'")
    assert run_on(store.path, "upgrade", as_user=None).exit_code == 0  # applied again, in a ledgered entry
    tamper(store.path, "DELETE FROM _sqlite_migrations WHERE name = '0009_account_names'")
    before = committed_dump(store.path)
    refused = run_on(store.path, "upgrade", as_user=None)
    assert refused.exit_code == 4 and "0009_account_names was never applied" in refused.stderr
    assert committed_dump(store.path) == before


@pytest.mark.own_clock  # the upgrade runs in a process of its own, on the wall clock
def test_an_upgrade_killed_at_any_point_leaves_the_store_as_it_was_and_can_be_run_again(store, tmp_path):
    made_before_accounting(store)
    before = committed_dump(store.path)
    copy = tmp_path / "copy" / "store.db"
    copy.parent.mkdir(mode=0o700)
    copy.write_bytes(store.path.read_bytes())
    copy.chmod(0o600)
    total = steps_of(run_killed(0, "--db", str(copy), "upgrade"))
    assert total > 20, "the upgrade made too few steps to be killed part way"
    for limit in kill_points(total):
        result = run_killed(limit, "--db", str(store.path), "upgrade")
        assert result.returncode == -signal.SIGKILL, (limit, result.stderr)
        if committed_dump(store.path) != before:  # killed after its commit: then it is whole
            assert limit > total * 3 // 4 and run_on(store.path, "log", "verify", as_user=None).exit_code == 0, limit
            break
    assert run_on(store.path, "upgrade", as_user=None).exit_code == 0
    upgraded = Store.open(store.path)
    ledger.verify(upgraded.conn)
    baselines = upgraded.conn.execute("SELECT count(*) FROM ledger WHERE action = 'accounting-baseline'").fetchone()
    assert baselines[0] == 1
    upgraded.close()


def test_a_store_whose_making_was_cut_short_is_refused_by_every_command(store):
    store.close()
    tamper(store.path, "DROP TRIGGER ledger_no_delete", "DELETE FROM ledger")
    before = file_digest(store.path)
    for command in (("queue",), ("log", "verify"), ("upgrade",)):
        refused = run_on(store.path, *command, as_user=None)
        assert refused.exit_code == 1 and "was never finished" in refused.stderr, command
    assert file_digest(store.path) == before


def test_a_trigger_planted_to_write_during_an_upgrade_is_refused_before_anything_runs(store):
    store.close()
    tamper(
        store.path,
        "DELETE FROM _sqlite_migrations WHERE name = '0009_account_names'",
        "CREATE TRIGGER zz AFTER INSERT ON _sqlite_migrations BEGIN "
        "INSERT INTO users VALUES ('mallory', 'fcr', 'Mallory', 1, '2025-01-01T00:00:00Z'); "
        "UPDATE crimes SET state = 'cancelled', cancellation_code = 'C1' WHERE id = 1; END",
    )
    before = committed_dump(store.path)
    refused = run_on(store.path, "upgrade", as_user=None)
    assert refused.exit_code == 4 and "trigger zz" in refused.stderr and "nothing was changed" in refused.stderr
    assert committed_dump(store.path) == before and "INSERT INTO \"users\" VALUES('mallory'" not in before
    tamper(store.path, "DROP TRIGGER zz", put_back=False)
    again = run_on(store.path, "upgrade", as_user=None)  # the record alone: the store was made with 0009
    assert again.exit_code == 4 and "0009_account_names was never applied" in again.stderr
    assert "entry 1 applied it" in again.stderr


def test_a_protective_trigger_dropped_is_named_by_every_command(store):
    store.close()
    tamper(store.path, "DROP TRIGGER audit_verdict_final", "DROP TRIGGER crimes_no_delete", put_back=False)
    for command in (("queue",), ("log", "verify")):
        refused = run_on(store.path, *command)
        assert refused.exit_code == 4 and "audit_verdict_final" in refused.stderr, refused.stderr
        assert "crimes_no_delete" in refused.stderr
