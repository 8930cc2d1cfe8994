"""A registrar's name is an account name, so it reaches an authorized_keys line, a sudo rule and the ledger as it
is: names sshd's option syntax would read otherwise, root and the service account are refused, old ones retired."""

import json

import pytest
from helpers import NOW, USERS, file_digest, run_on, snapshot

from registrar.access import identity
from registrar.administration import admin, keys
from registrar.base.clock import fixed_clock
from registrar.base.errors import BadInput, RuleRefused
from registrar.storage import ledger, schema
from registrar.storage.store import Store

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHt8y7pUJ8g3QvC9jGQ9o2m2b5bXo2W2QvHq2dQ9pXyZ attacker@laptop"


@pytest.mark.parametrize(
    "name",
    [
        'dan\\"x',
        'dan"x',
        "dan'x",
        "Dan",
        "dan x",
        "dan\tx",
        "-dan",
        "1dan",
        "dan;rm",
        "a" * 33,
        "",
        "root",
        "dan\u00e9",
    ],
)
def test_users_add_refuses_what_an_account_name_may_not_hold(store, name):
    before = snapshot(store)
    with pytest.raises(BadInput):
        admin.add_user(store, USERS["fcr"], name, "ddm", "Someone")
    assert snapshot(store) == before


def test_the_service_account_cannot_be_a_registrar(tmp_path):
    path = tmp_path / "svc" / "force.db"
    store = Store.create(path, fcr="fiona", force_code="STA", service_account="registrar-svc", clock=fixed_clock(NOW))
    with pytest.raises(BadInput, match="service account"):
        admin.add_user(store, USERS["fcr"], "registrar-svc", "fcr", "The service itself")
    admin.add_user(store, USERS["fcr"], "ann.lee-2", "ddm", "Ann Lee")  # . - _ and digits are account names
    assert identity.account_name_fault("root", "registrar-svc") is not None
    with pytest.raises(BadInput, match="first FCR"):
        Store.create(tmp_path / "svc" / "other.db", fcr="root", force_code="STA", service_account="registrar-svc")
    store.close()


def test_an_init_names_its_fcr_by_an_account_name(tmp_path):
    refused = run_on(tmp_path / "mine" / "force.db", "init", "--force", "STA", "--fcr", 'fiona"', as_user=None)
    assert refused.exit_code == 1 and "is not an account name" in refused.stderr
    assert not (tmp_path / "mine" / "force.db").exists()
    assert not (tmp_path / "mine").exists() or not list((tmp_path / "mine").iterdir()), "nothing half-made is left"


def test_an_upgrade_retires_the_users_an_earlier_registrar_let_in_under_other_names(tmp_path, monkeypatch):
    path = tmp_path / "old" / "force.db"
    monkeypatch.setattr(schema, "DATA_MIGRATIONS", ())
    monkeypatch.setattr(identity, "account_name_fault", lambda *args, **kwargs: None)
    monkeypatch.setattr(admin, "account_name_fault", lambda *args, **kwargs: None)
    store = Store.create(path, fcr="fiona", force_code="STA", service_account="svc", clock=fixed_clock(NOW))
    admin.add_user(store, USERS["fcr"], 'dan\\"x', "ddm", "Dan")
    keys.add_key(store, USERS["fcr"], 'dan\\"x', keys.parse_public_key(KEY))
    store.close()
    monkeypatch.undo()
    assert run_on(path, "upgrade", as_user=None).exit_code == 0
    upgraded = Store.open(path)
    assert upgraded.conn.execute("SELECT active FROM users WHERE username = 'dan\\\"x'").fetchone()[0] == 0
    assert upgraded.conn.execute("SELECT removed_at FROM ssh_keys").fetchone()[0] is not None
    entry = upgraded.conn.execute(
        "SELECT rationale, details FROM ledger WHERE action = 'upgrade' ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert json.loads(entry["details"])["migration"] == "0009_account_names" and 'dan\\"x' in entry["rationale"]
    ledger.verify(upgraded.conn)
    upgraded.close()


@pytest.mark.parametrize("program", ['/opt/reg "x"/bin/registrar', "/opt/a\\b/registrar", "/opt/it's/registrar"])
def test_every_authorized_keys_line_reads_back_as_its_own_gateway_command(tmp_path, program):
    store = Store.create(tmp_path / "svc" / "force.db", fcr="fiona", force_code="STA", service_account="svc")
    admin.add_user(store, USERS["fcr"], "ann.lee-2", "ddm", "Ann Lee")
    fingerprint = keys.add_key(store, USERS["fcr"], "ann.lee-2", keys.parse_public_key(KEY))
    line = keys.authorized_keys_text(store, program).splitlines()[1]
    assert keys.forced_command(line).split(" ")[-4:] == ["--user", "ann.lee-2", "--key", fingerprint]
    import shlex

    assert shlex.split(keys.forced_command(line))[0] == program
    store.close()


def test_a_line_that_would_read_back_otherwise_is_never_written(tmp_path, monkeypatch):
    store = Store.create(tmp_path / "svc" / "force.db", fcr="fiona", force_code="STA", service_account="svc")
    keys.add_key(store, USERS["fcr"], "fiona", keys.parse_public_key(KEY))
    monkeypatch.setattr(keys, "forced_command", lambda line: "/bin/sh")
    with pytest.raises(BadInput, match="would not read back"):
        keys.authorized_keys_text(store, "/opt/registrar/bin/registrar")
    store.close()


def test_an_upgrade_that_would_leave_no_active_fcr_is_refused_and_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "old" / "force.db"
    monkeypatch.setattr(schema, "DATA_MIGRATIONS", ())
    monkeypatch.setattr(identity, "account_name_fault", lambda *args, **kwargs: None)
    Store.create(path, fcr="Fiona Smith", force_code="STA", service_account="svc", clock=fixed_clock(NOW)).close()
    monkeypatch.undo()
    before = file_digest(path)
    refused = run_on(path, "upgrade", as_user=None)
    assert refused.exit_code == 1 and "no active FCR" in refused.stderr and "Traceback" not in refused.stderr
    assert file_digest(path) == before


OTHER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC9rQ2J1dVdVNVk0b0t3b3pWbWFkR3Q4cjJ0S0R3cHJ1 fiona@laptop"


@pytest.mark.parametrize("change", [{"role": "ddm"}, {"active": False}])
def test_the_last_fcr_with_a_key_cannot_demote_or_deactivate_themselves(tmp_path, change):
    store = Store.create(tmp_path / "svc" / "force.db", fcr="fiona", force_code="STA", service_account="svc")
    keys.add_key(store, USERS["fcr"], "fiona", keys.parse_public_key(OTHER_KEY))
    admin.add_user(store, USERS["fcr"], "frank", "fcr", "Frank FCR")  # a second FCR, with no key
    before = snapshot(store)
    with pytest.raises(RuleRefused, match="no other active FCR has an SSH key") as refused:
        admin.change_user(store, USERS["fcr"], "fiona", **change)
    assert refused.value.rule == "last-fcr-key" and snapshot(store) == before
    keys.add_key(store, USERS["fcr"], "frank", keys.parse_public_key(KEY))
    admin.change_user(store, USERS["fcr"], "fiona", **change)
    assert store.conn.execute("SELECT role, active FROM users WHERE username = 'fiona'").fetchone() != ("fcr", 1)
    store.close()
