"""Holes an independent review found, each now closed: the store refuses, unchanged, with a named rule."""

import json

import pytest
from helpers import NOW, USERS, act, invoke, local_day, raise_request, refused, request
from helpers import RATIONALE as GOOD

from registrar.administration import admin
from registrar.base.errors import BadInput, RuleRefused
from registrar.intake import imports


def run_as(store, who, *args, input=None):
    """Run the CLI against the test store as one of the users."""
    return invoke(["--db", str(store.path), "--as", USERS[who].username, *args], input=input)


def test_a_ddm_cannot_import_a_request_in_another_name(store):
    data = b"kind,crime_reference,cancellation_code,error_description,requested_by\ncancellation,CR-2026-000001,C4,typo,nobody\n"
    with pytest.raises(BadInput) as caught:
        imports.import_requests(store, USERS["ddm"], data, "x.csv")
    assert "only in their own name" in caught.value.problems[0]


def test_independence_means_the_requester_and_the_oic_not_the_clerk_who_entered_it(store):
    data = b"kind,crime_reference,cancellation_code,error_description,requested_by\ncancellation,CR-2026-000001,C4,typo,pc1\n"
    imports.import_requests(store, USERS["fcm"], data, "x.csv")
    rid = store.conn.execute("SELECT max(id) FROM requests").fetchone()[0]
    entered = store.conn.execute(
        "SELECT actor FROM ledger WHERE request_id = ? AND action = 'raise'", (rid,)
    ).fetchone()
    assert entered[0] == "carol"  # the ledger records who entered it
    act(store, "fcm", rid, "approve")  # the clerk who imported it is not its requester
    assert request(store, rid)["state"] == "approved"


def test_fields_of_other_actions_are_refused_never_silently_ignored(store):
    inbound = raise_request(store, kind="transfer_in", other_force="WMP", other_reference="W/9", offence_code="20A")
    error = refused(store, "ddm", inbound, "dispute", reason="not ours", offence_code="8N")
    assert error.rule == "field" and "offence_code is not a field of 'dispute'" in error.reason
    upgrade = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="19C")
    assert refused(store, "ddm", upgrade, "reject", proposed_code="8N").rule == "field"
    assert refused(store, "ddm", upgrade, "reject").rule == "restricted-offence"
    murder = raise_request(store, kind="transfer_in", other_force="WMP", other_reference="W/10", offence_code="1")
    assert refused(store, "ddm", murder, "accept", offences=["8N"]).rule == "field"  # --offence is record's


def test_duplicate_referral_is_guarded_and_needs_a_recorded_crime(store):
    restricted = raise_request(store, kind="referral", agency="CSC", suggested_code="20B")
    assert refused(store, "ddm", restricted, "duplicate", crime_reference="CR-2026-000005").rule == "restricted-offence"
    plain = raise_request(store, kind="referral", agency="CSC")
    other = raise_request(
        store,
        kind="cancellation",
        crime_reference="CR-2026-000005",
        cancellation_code="C4",
        error_description="typed twice",
    )
    act(store, "ddm2", other, "approve")
    assert refused(store, "ddm", plain, "duplicate", crime_reference="CR-2026-000005").rule == "crime-reference"


def test_a_ddm_cannot_withdraw_a_restricted_referral_or_one_they_raised(store):
    restricted = raise_request(store, kind="referral", agency="CSC", suggested_code="88A")
    assert refused(store, "ddm", restricted, "withdraw").rule == "withdraw"
    own = raise_request(store, by="ddm", kind="referral", agency="EDU")
    assert refused(store, "ddm", own, "withdraw").rule == "independence"
    act(store, "fcr", restricted, "withdraw", "The agency confirmed it sent this referral in error.")


def test_restricted_flags_cover_reclassifications_and_referrals(store):
    admin.set_setting(store, USERS["fcr"], "restricted_flags", '["domestic_abuse", "vulnerable_victim"]')
    reclass = raise_request(store, kind="reclassification", crime_reference="CR-2026-000002", proposed_code="19D")
    assert refused(store, "ddm", reclass, "approve").rule == "restricted-offence"
    flagged = raise_request(store, kind="reclassification", crime_reference="CR-2026-000001", proposed_code="49")
    admin.set_setting(store, USERS["fcr"], "restricted_flags", '["vulnerable_victim"]')
    act(store, "ddm", flagged, "approve")
    child = raise_request(store, kind="referral", agency="HEA", subject="child")
    assert refused(store, "ddm", child, "no-crime").rule == "restricted-offence"


def test_an_answered_return_goes_back_up_when_it_had_been_referred(store):
    rid = raise_request(
        store,
        kind="cancellation",
        crime_reference="CR-2026-000001",
        cancellation_code="C4",
        error_description="typed twice",
    )
    act(store, "ddm", rid, "refer")
    act(store, "fcr", rid, "return", "Please say which record was typed twice.")
    act(store, "requester", rid, "answer", "The duplicate is the online report of the same theft.")
    assert request(store, rid)["state"] == "referred"
    assert refused(store, "ddm", rid, "approve").rule == "referred-up"


def test_new_crime_references_survive_odd_imported_ones(store):
    year = f"CR-{NOW.year}-"
    odd = (
        f"reference,offence_code,recorded_at\n{year}0X,46,{local_day(-1)}\n{year}9999999,46,{local_day(-1)}\n".encode()
    )
    imports.import_crimes(store, USERS["fcr"], odd, "odd.csv")
    first = raise_request(store, kind="referral", agency="CSC")
    second = raise_request(store, kind="referral", agency="CSC")
    one = act(store, "ddm", first, "record", offences=["8N"]).crimes
    two = act(store, "ddm", second, "record", offences=["8N"]).crimes
    assert one == [f"{year}10000000"] and two == [f"{year}10000001"]


def test_the_last_fcr_cannot_step_down_and_force_codes_are_checked(store):
    with pytest.raises(RuleRefused) as caught:
        admin.change_user(store, USERS["fcr"], "fiona", role="viewer")
    assert caught.value.rule == "last-fcr"
    with pytest.raises(BadInput):
        admin.set_setting(store, USERS["fcr"], "force_code", "ZZZ")
    for bad in ('{"kinds": []}', '{"kinds": {"cancelation": 0.5}}', '{"default": 2}', '{"makers": null}'):
        with pytest.raises(BadInput):
            admin.set_setting(store, USERS["fcr"], "sample_rates", bad)


def test_production_init_needs_the_force_code(tmp_path):
    result = invoke(["--db", str(tmp_path / "p.db"), "init"])
    assert result.exit_code == 2 and "--force" in result.output


@pytest.mark.parametrize(
    "args, code",
    [
        (["decide", "99999999999999999999", "reject", "--rationale", GOOD], 2),
        (["show", "99999999999999999999"], 2),
        (["log", "--request", "99999999999999999999"], 2),
        (["report", "--to", "9999-12-31T23:59:59Z"], 1),
        (["export", "decisions", "--to", "0001-01-01"], 1),
        (["log", "--since", "0900-01-01"], 1),
    ],
)
def test_out_of_range_numbers_and_dates_are_clear_errors(store, args, code):
    result = run_as(store, "fcr", *args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


@pytest.mark.parametrize(
    "line",
    [
        {"request_id": "²", "action": "approve", "rationale": GOOD},
        {"request_id": True, "action": "approve", "rationale": GOOD},
        {"request_id": 1, "action": "approve", "rationale": GOOD, "expected_version": "¹"},
        {"request_id": "123456789012345678901", "action": "approve", "rationale": GOOD},
    ],
)
def test_batch_refuses_numbers_that_are_not_plain_digits(store, line):
    result = run_as(store, "ddm", "batch", "-", input=json.dumps(line) + "\n")
    assert result.exit_code == 1 and "line 1" in result.stderr, result.output


def test_referrals_received_in_the_future_are_refused(store):
    with pytest.raises(BadInput) as caught:
        imports.import_requests(
            store, USERS["fcr"], f"kind,agency,received_at\nreferral,CSC,{local_day(40)}\n".encode(), "r.csv"
        )
    assert "in the future" in caught.value.problems[0]


def test_json_lines_may_carry_a_line_separator_inside_a_value(store):
    text = json.dumps({"kind": "referral", "agency": "CSC", "summary": "first\u2028second"}, ensure_ascii=False) + "\n"
    imports.import_requests(store, USERS["fcr"], text.encode(), "r.jsonl")
    assert (
        store.conn.execute("SELECT summary FROM requests ORDER BY id DESC LIMIT 1").fetchone()[0] == "first\u2028second"
    )


def test_victim_cannot_be_told_before_the_decision(store):
    rid = raise_request(
        store,
        kind="cancellation",
        crime_reference="CR-2026-000001",
        cancellation_code="C4",
        error_description="typed twice",
    )
    act(store, "ddm", rid, "approve")
    assert (
        refused(store, "ddm", rid, "victim-informed", "", method="phone", informed_on=local_day(-1)).rule
        == "informed-on"
    )


def test_a_templates_own_words_do_not_count_towards_the_minimum(store):
    rid = raise_request(store, kind="referral", agency="CSC")
    assert refused(store, "ddm", rid, "return", "Returned for more information: .").rule == "rationale-too-short"
    assert refused(store, "ddm", rid, "no-crime", "No notifiable offence disclosed: x.").rule == "rationale-too-short"
    act(store, "ddm", rid, "no-crime", "No notifiable offence disclosed: the GP confirms a skin condition.")


def test_decisions_name_only_known_areas(store):
    rid = raise_request(store, kind="transfer_in", other_force="WMP", other_reference="W/1", offence_code="48")
    narnia = refused(store, "ddm", rid, "accept", area="Narnia")
    assert narnia.rule == "bad-value" and "not a local policing area" in narnia.reason
    act(store, "ddm", rid, "accept", area="Tamworth")
