"""A hostile colleague claims to be someone else: a hand-made Actor, a session left open after a demotion, a
spoofed environment, a flipped --as door, the gateway run by hand. Each gets the identity and role they really
hold, or nothing, and the store is unchanged."""

import os
from pathlib import Path

import pytest
from attacker import NOBODY, assert_caught, cancellation, head, last_entry, role_of, run, tamper
from helpers import NOW, RATIONALE, USERS, act, crime, request, snapshot

from registrar.access import identity
from registrar.access.identity import Actor, resolve_actor
from registrar.administration import admin
from registrar.base.clock import fixed_clock
from registrar.base.errors import BadInput, ExitCode, IdentityError, RuleRefused
from registrar.decisions.decide import Decision, decide
from registrar.intake import imports
from registrar.storage import ledger
from registrar.storage.store import SYSTEM_ACTOR, Store

# --- 1. a forged Actor gets the role its user really holds --------------------------------------------

FORGED_DAN = Actor("dan", "fcr", "x")  # dan is really a ddm, and the officer in charge of CR-2026-000004


def refused_forged(store, actor: Actor, request_id: int, action: str, **fields) -> RuleRefused:
    """Decide with a forged actor; expect a refusal and an untouched store."""
    before, tip = snapshot(store), head(store)
    with pytest.raises(RuleRefused) as caught:
        decide(store, actor, Decision(request_id, action, RATIONALE, fields))
    assert snapshot(store) == before and head(store) == tip
    return caught.value


def test_forged_fcr_actor_cannot_approve_a_restricted_cancellation(store):
    rid = cancellation(store, "CR-2026-000002")  # 19C, rape: restricted
    assert refused_forged(store, FORGED_DAN, rid, "approve").rule == "restricted-offence"
    assert crime(store, "CR-2026-000002")["state"] == "recorded"
    assert request(store, rid)["state"] == "pending"


def test_forged_fcr_actor_cannot_reinstate(store):
    rid = cancellation(store, "CR-2026-000001")
    act(store, "ddm2", rid, "approve")
    assert refused_forged(store, FORGED_DAN, rid, "reinstate").rule == "role"
    assert crime(store, "CR-2026-000001")["state"] == "cancelled"


def test_forged_fcr_actor_is_still_bound_by_independence(store):
    rid = cancellation(store, "CR-2026-000004")  # dan is its officer in charge
    refusal = refused_forged(store, FORGED_DAN, rid, "approve")
    assert refusal.rule == "independence" and "officer in charge" in refusal.reason


def test_forged_fcr_actor_cannot_promote_itself_or_change_settings(store):
    before, tip = snapshot(store), head(store)
    with pytest.raises(RuleRefused):
        admin.change_user(store, FORGED_DAN, "dan", role="fcr")
    with pytest.raises(RuleRefused):
        admin.add_user(store, FORGED_DAN, "mallory", "fcr", "Mallory")
    with pytest.raises(RuleRefused):
        admin.set_setting(store, FORGED_DAN, "rationale_min_length", "1")
    with pytest.raises(RuleRefused):
        admin.set_restricted(store, FORGED_DAN, "19C", False)
    assert snapshot(store) == before and head(store) == tip
    assert role_of(store, "dan") == "ddm"


@pytest.mark.parametrize(
    "forged",
    [
        Actor("mallory", "fcr", "Mallory"),  # no such user
        Actor("Dan", "fcr", "Dan"),  # not dan: usernames are exact
        Actor("dan ", "fcr", "Dan"),
        SYSTEM_ACTOR,  # the migration's own actor is not a user
    ],
    ids=["unknown", "case", "space", "system"],
)
def test_forged_actor_for_a_user_who_does_not_exist_writes_nothing(store, forged):
    rid = cancellation(store, "CR-2026-000001")
    before, tip = snapshot(store), head(store)
    with pytest.raises(IdentityError):
        decide(store, forged, Decision(rid, "approve", RATIONALE))
    with pytest.raises(IdentityError):
        admin.add_user(store, forged, "mallory2", "fcr", "Mallory")
    with pytest.raises(IdentityError):
        imports.import_requests(store, forged, b'{"kind": "referral", "agency": "CSC"}\n', "x")
    assert snapshot(store) == before and head(store) == tip


def test_forged_actor_for_a_deactivated_user_writes_nothing(store):
    admin.change_user(store, USERS["fcr"], "dora", active=False)
    rid = cancellation(store, "CR-2026-000001")
    before, tip = snapshot(store), head(store)
    with pytest.raises(IdentityError, match="deactivated"):
        decide(store, Actor("dora", "fcr", "Dora"), Decision(rid, "approve", RATIONALE))
    assert snapshot(store) == before and head(store) == tip
    assert request(store, rid)["state"] == "pending"


# --- 2. a session left open after the FCR demotes or deactivates its user -------------------------------


def opened(store, username: str) -> Actor:
    """The actor a CLI command or the workbench resolved when it started."""
    return resolve_actor(store.conn, store.settings(), username)


def test_a_demoted_decider_acts_with_the_role_they_hold_now(store):
    derek = opened(store, "derek")
    assert derek.role == "dfcr"
    restricted = cancellation(store, "CR-2026-000002")
    plain = cancellation(store, "CR-2026-000001")
    admin.change_user(store, USERS["fcr"], "derek", role="ddm")
    before = snapshot(store)
    with pytest.raises(RuleRefused) as caught:
        decide(store, derek, Decision(restricted, "approve", RATIONALE))
    assert caught.value.rule == "restricted-offence" and snapshot(store) == before
    outcome = decide(store, derek, Decision(plain, "approve", RATIONALE))
    entry = last_entry(store)
    assert entry["seq"] == outcome.seq and (entry["actor"], entry["role"]) == ("derek", "ddm")
    ledger.verify(store.conn)


def test_a_promoted_decider_is_recorded_with_the_new_role(store):
    dora = opened(store, "dora")
    rid = cancellation(store, "CR-2026-000002")
    admin.change_user(store, USERS["fcr"], "dora", role="fcm")
    decide(store, dora, Decision(rid, "approve", RATIONALE))
    assert last_entry(store)["role"] == "fcm"


def test_a_decider_demoted_to_viewer_is_refused_by_role(store):
    dan = opened(store, "dan")
    rid = cancellation(store, "CR-2026-000001")
    admin.change_user(store, USERS["fcr"], "dan", role="viewer")
    assert refused_forged(store, dan, rid, "approve").rule == "role"


def test_a_deactivated_user_cannot_go_on_deciding_from_an_open_session(store):
    dan = opened(store, "dan")
    rid = cancellation(store, "CR-2026-000001")
    admin.change_user(store, USERS["fcr"], "dan", active=False)
    before, tip = snapshot(store), head(store)
    with pytest.raises(IdentityError, match="deactivated"):
        decide(store, dan, Decision(rid, "approve", RATIONALE))
    with pytest.raises(IdentityError):
        imports.import_requests(store, dan, b'{"kind": "referral", "agency": "CSC"}\n', "x")
    assert snapshot(store) == before and head(store) == tip


def test_a_deactivated_fcr_cannot_go_on_managing_users(store):
    admin.add_user(store, USERS["fcr"], "fred", "fcr", "Fred FCR")
    fred = opened(store, "fred")
    admin.change_user(store, USERS["fcr"], "fred", active=False)
    tip = head(store)
    with pytest.raises(IdentityError):
        admin.change_user(store, fred, "fred", active=True)
    with pytest.raises(IdentityError):
        admin.add_user(store, fred, "mallory", "fcr", "Mallory")
    assert head(store) == tip
    assert store.conn.execute("SELECT active FROM users WHERE username = 'fred'").fetchone()[0] == 0


def test_flipping_allow_as_on_a_production_store_does_not_open_the_as_door(tmp_path):
    path = tmp_path / "prod" / "force.db"
    prod = Store.create(path, fcr="fiona", fcr_name="Fiona FCR", force_code="STA", clock=fixed_clock(NOW))
    prod.close()
    refused = run(path, "users", "add", "mallory", "--role", "fcr", as_user="fiona")
    assert refused.exit_code == ExitCode.REFUSED and "--as is refused" in refused.stderr
    tamper(
        path,
        "UPDATE settings SET value = 'true' WHERE key = 'allow_as'",
        "UPDATE settings SET value = '\"demo\"' WHERE key = 'store_kind'",
    )
    # The ledger's first entry, not the flipped settings, says whether the store was made as a demo...
    forced = run(path, "users", "add", "mallory", "--role", "fcr", as_user="fiona")
    assert forced.exit_code == ExitCode.REFUSED and "--as is refused" in forced.stderr
    reopened = Store.open(path)
    try:
        assert reopened.conn.execute("SELECT count(*) FROM users WHERE username = 'mallory'").fetchone()[0] == 0
        assert "settings" in assert_caught(reopened, "settings")  # ...and verify names the flipped setting
    finally:
        reopened.close()


def test_identity_is_not_taken_from_user_logname_or_a_spoofed_sudo_uid(tmp_path):
    if Path(f"/proc/{os.getppid()}/comm").read_text().strip() == "sudo":
        pytest.skip("this process really was started by sudo, whose SUDO_UID is trusted by design")
    path = tmp_path / "svc" / "force.db"
    me = identity.os_account()
    prod = Store.create(
        path, fcr="nobody", fcr_name="Nobody FCR", force_code="STA", service_account=me, clock=fixed_clock(NOW)
    )
    tip = head(prod)
    spoof = {"USER": "nobody", "LOGNAME": "nobody", "SUDO_UID": str(NOBODY), "SUDO_USER": "nobody"}
    result = run(path, "users", "add", "mallory", "--role", "fcr", env=spoof)
    assert result.exit_code == ExitCode.REFUSED and f"'{me}' is not a registrar user" in result.stderr
    assert head(prod) == tip
    assert prod.conn.execute("SELECT count(*) FROM users WHERE username = 'mallory'").fetchone()[0] == 0
    prod.close()


def test_the_gateway_run_by_hand_by_someone_other_than_the_service_account_is_refused(tmp_path):
    path = tmp_path / "svc" / "force.db"
    prod = Store.create(
        path, fcr="fiona", force_code="STA", service_account="registrar-service", clock=fixed_clock(NOW)
    )
    tip = head(prod)
    result = run(
        path,
        "gateway",
        "--user",
        "fiona",
        "--key",
        "SHA256:forged",
        env={"SSH_ORIGINAL_COMMAND": "users add mallory --role fcr"},
    )
    assert result.exit_code == ExitCode.REFUSED and "no SSH connection" in result.stderr
    result = run(
        path,
        "gateway",
        "--user",
        "fiona",
        "--key",
        "SHA256:forged",
        env={"SSH_ORIGINAL_COMMAND": "users add mallory --role fcr", "SSH_CONNECTION": "127.0.0.1 1 127.0.0.1 22"},
    )
    assert result.exit_code == ExitCode.REFUSED and "service account" in result.stderr
    assert head(prod) == tip
    prod.close()


@pytest.mark.parametrize(
    "asked, expected",
    [
        ("--raw queue --csv", ["--raw", "queue", "--csv"]),
        ("queue --json", ["queue", "--json"]),
        ("--raw", []),
    ],
)
def test_the_gateway_takes_raw_before_a_command_and_nothing_else_before_it(asked, expected):
    from registrar.access.gateway import client_command

    assert client_command(asked, {"queue", "init", "show"}) == expected


@pytest.mark.parametrize("asked", ["--raw init --force STA", "--raw --db /tmp/x.db queue", "--raw --raw queue"])
def test_raw_opens_no_closed_command_and_no_other_store(asked):
    from registrar.access.gateway import client_command

    with pytest.raises(BadInput):
        client_command(asked, {"queue", "init", "show"})
