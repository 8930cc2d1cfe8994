"""Every rule's refusal: the named rule, a message a registrar understands, and the store unchanged."""

import json

import pytest
from helpers import NO_CRIME, USERS, act, cancellation, last_entry, local_day, raise_request, refused, snapshot
from helpers import RATIONALE as GOOD

from registrar.administration import admin
from registrar.base.errors import Conflict, NotFound
from registrar.decisions.decide import Decision, decide


def test_role_refused_for_auditor_viewer_and_requester(store):
    rid = cancellation(store, avi_description="CCTV shows it was paid for")
    for who in ("auditor", "viewer", "requester"):
        assert refused(store, who, rid, "approve").rule == "role"


def test_restricted_offence_only_senior_decides_and_ddm_is_told_to_refer(store):
    rid = cancellation(store, reference="CR-2026-000002", avi_description="Phone records show no contact")
    error = refused(store, "ddm", rid, "approve", **NO_CRIME)
    assert error.rule == "restricted-offence"
    assert "refer" in error.reason
    assert refused(store, "ddm", rid, "reject").rule == "restricted-offence"


def test_restricted_flag_setting_extends_the_list(store):
    admin.set_setting(store, USERS["fcr"], "restricted_flags", '["hate_crime"]')
    rid = cancellation(store, reference="CR-2026-000006", avi_description="CCTV shows accidental damage")
    assert refused(store, "ddm", rid, "approve", **NO_CRIME).rule == "restricted-offence"


def test_restricted_list_is_editable(store):
    admin.set_restricted(store, USERS["fcr"], "46", True)
    rid = cancellation(store, avi_description="CCTV shows it was paid for")
    assert refused(store, "ddm", rid, "approve", **NO_CRIME).rule == "restricted-offence"


def test_restricted_downgrade_needs_senior(store):
    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000002", proposed_code="8N")
    assert refused(store, "ddm", rid, "approve").rule == "restricted-downgrade"


def test_downgrade_named_at_decision_time_is_also_caught(store):
    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000002", proposed_code="19D")
    assert refused(store, "ddm", rid, "approve", proposed_code="8N").rule == "restricted-downgrade"


def test_independence_requester_may_not_decide(store):
    rid = cancellation(store, by="ddm", avi_description="CCTV shows it was paid for")
    error = refused(store, "ddm", rid, "approve", **NO_CRIME)
    assert error.rule == "independence" and "you raised" in error.reason


def test_independence_officer_in_charge_may_not_decide(store):
    rid = cancellation(store, reference="CR-2026-000004", code="C4", error_description="typed twice")
    error = refused(store, "ddm", rid, "approve", **NO_CRIME)
    assert error.rule == "independence" and "officer in charge" in error.reason


def test_referred_items_only_for_senior(store):
    rid = cancellation(store, avi_description="CCTV shows it was paid for")
    act(store, "ddm", rid, "refer")
    assert refused(store, "ddm2", rid, "approve", **NO_CRIME).rule == "referred-up"


def test_c1_only_through_a_transfer(store):
    rid = cancellation(store, code="C4", error_description="x")
    assert refused(store, "ddm", rid, "approve", ground="C1").rule == "c1-transfer-only"


def test_c2_and_c5_need_avi_and_an_unconfirmed_ground_cannot_be_used(store):
    c2 = cancellation(store, reference="CR-2026-000001", code="C2")
    assert refused(store, "ddm", c2, "approve", **NO_CRIME).rule == "avi-required"
    admin.set_ground(store, USERS["fcr"], "C5", None, True)
    c5 = cancellation(store, reference="CR-2026-000005", code="C5")
    admin.set_ground(store, USERS["fcr"], "C5", None, False)
    assert refused(store, "ddm", c5, "approve", **NO_CRIME).rule == "ground-unconfirmed"
    admin.set_ground(store, USERS["fcr"], "C5", None, True)
    assert refused(store, "ddm", c5, "approve", **NO_CRIME).rule == "avi-required"


def test_avi_needs_its_source_and_date_too(store):
    rid = raise_request(
        store,
        kind="cancellation",
        crime_reference="CR-2026-000001",
        cancellation_code="C2",
        avi_description="CCTV shows it was paid for",
        avi_source="",
        avi_obtained_at="",
    )
    error = refused(store, "ddm", rid, "approve", **NO_CRIME)
    assert (
        error.rule == "avi-required" and "where it came from" in error.reason and "when it was obtained" in error.reason
    )
    act(store, "ddm", rid, "approve", **NO_CRIME, avi_source="Shop CCTV", avi_obtained_at=local_day(-2))


def test_the_deciders_answer_not_the_wording_decides_whether_it_is_avi(store):
    withdrawal = cancellation(store, avi_description="Victim no longer wants police involvement")
    error = refused(store, "ddm", withdrawal, "approve", avi_shows="victim-unsupportive")
    assert error.rule == "avi-victim-only" and "outcome 14 or 16" in error.reason
    assert refused(store, "ddm", withdrawal, "approve").rule == "avi-shows-required"
    genuine = cancellation(
        store,
        reference="CR-2026-000003",
        avi_description="CCTV shows no contact; victim declined to support prosecution anyway",
    )
    act(store, "ddm", genuine, "approve", **NO_CRIME)
    entry = last_entry(store)
    details = json.loads(entry["details"])
    assert entry["action"] == "approve" and "victim withdrawing or declining" in details["warning"]
    assert details["avi_type"] == "recording" and details["avi_shows"] == "no-crime"
    stored = store.conn.execute("SELECT avi_type, shows FROM request_avi WHERE request_id = ?", (genuine,)).fetchone()
    assert tuple(stored) == ("recording", "no-crime")


def test_c3_needs_a_surviving_recorded_crime(store):
    rid = cancellation(store, code="C3")
    assert refused(store, "ddm", rid, "approve", **NO_CRIME).rule == "surviving-crime"
    assert refused(store, "ddm", rid, "approve", surviving_reference="CR-1999-1").rule == "surviving-crime"
    assert refused(store, "ddm", rid, "approve", surviving_reference="CR-2026-000001").rule == "surviving-crime"
    other = cancellation(store, reference="CR-2026-000005", code="C4", error_description="typed twice")
    act(store, "ddm", other, "approve", **NO_CRIME)
    error = refused(store, "ddm", rid, "approve", surviving_reference="CR-2026-000005")
    assert error.rule == "surviving-crime" and "cancelled" in error.reason


def test_c4_needs_the_error(store):
    rid = cancellation(store, code="C4")
    assert refused(store, "ddm", rid, "approve", **NO_CRIME).rule == "error-description"


def test_unknown_ground(store):
    rid = cancellation(store, code="C4", error_description="typed twice")
    assert refused(store, "ddm", rid, "approve", ground="C9").rule == "bad-value"


def test_reclassification_code_must_exist_and_differ(store):
    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="5D")
    assert refused(store, "ddm", rid, "approve", proposed_code="ZZZ").rule == "bad-value"
    assert refused(store, "ddm", rid, "approve", proposed_code="8N").rule == "same-code"


def test_unknown_and_own_force_refused(store):
    rid = raise_request(store, kind="transfer_out", crime_reference="CR-2026-000003")
    assert refused(store, "ddm", rid, "send").rule == "force-required"
    assert refused(store, "ddm", rid, "send", force="XYZ").rule == "bad-value"
    assert refused(store, "ddm", rid, "send", force="STA").rule == "own-force"


def test_accepted_transfer_needs_their_reference(store):
    rid = raise_request(store, kind="transfer_out", crime_reference="CR-2026-000003", other_force="DER")
    act(store, "ddm", rid, "send")
    assert refused(store, "ddm", rid, "accepted").rule == "other-reference"


def test_dispute_and_cri_need_a_reason(store):
    rid = raise_request(store, kind="transfer_in", other_force="WMP", other_reference="W1", offence_code="48")
    assert refused(store, "ddm", rid, "dispute").rule == "reason-required"
    ref = raise_request(store, kind="referral", agency="CSC")
    assert refused(store, "ddm", ref, "cri").rule == "reason-required"


def test_referral_record_needs_known_offences(store):
    rid = raise_request(store, kind="referral", agency="HEA")
    assert refused(store, "ddm", rid, "record").rule == "offences-required"
    assert refused(store, "ddm", rid, "record", offences=["8N", "NOPE"]).rule == "bad-value"


def test_referral_with_restricted_disclosure_cannot_be_no_crimed_by_ddm(store):
    rid = raise_request(store, kind="referral", agency="CSC", suggested_code="19E")
    assert refused(store, "ddm", rid, "no-crime").rule == "restricted-offence"
    assert refused(store, "ddm", rid, "record", offences=["19E"]).rule == "restricted-offence"
    act(store, "fcm", rid, "record", offences=["19E"])


def test_rationale_required_too_short_and_untouched_template(store):
    rid = cancellation(store, avi_description="CCTV shows it was paid for")
    assert refused(store, "ddm", rid, "approve", "   ", **NO_CRIME).rule == "rationale-required"
    assert refused(store, "ddm", rid, "approve", "ok", **NO_CRIME).rule == "rationale-too-short"
    template = "Cancellation refused: [why the evidence does not meet the ground]. The crime stays recorded."
    assert refused(store, "ddm", rid, "reject", template).rule == "rationale-template"


def test_rationale_minimum_comes_from_settings(store):
    admin.set_setting(store, USERS["fcr"], "rationale_min_length", "80")
    rid = cancellation(store, avi_description="CCTV shows it was paid for")
    assert refused(store, "ddm", rid, "approve", **NO_CRIME).rule == "rationale-too-short"


def test_wrong_state_and_unknown_action(store):
    rid = cancellation(store, avi_description="CCTV shows it was paid for")
    assert refused(store, "ddm", rid, "answer").rule == "state"
    assert refused(store, "ddm", rid, "send").rule == "action"
    assert refused(store, "fcr", rid, "reinstate").rule == "state"


def test_requester_withdraws_only_own(store):
    rid = cancellation(store, by="ddm2", avi_description="CCTV shows it was paid for")
    assert refused(store, "requester", rid, "withdraw").rule == "own-request"
    assert refused(store, "requester", rid, "answer").rule in ("own-request", "state")


def test_escalate_and_reinstate_only_fcr_or_deputy(store):
    rid = raise_request(store, kind="transfer_out", crime_reference="CR-2026-000003", other_force="DER")
    act(store, "ddm", rid, "send")
    act(store, "ddm", rid, "disputed", reason="Not ours")
    assert refused(store, "fcm", rid, "escalate").rule == "role"
    cancel = cancellation(store, avi_description="CCTV shows it was paid for")
    act(store, "ddm", cancel, "approve", **NO_CRIME)
    assert refused(store, "ddm2", cancel, "reinstate").rule == "role"


def test_victim_informed_needs_method_and_a_real_date(store):
    rid = cancellation(store, avi_description="CCTV shows it was paid for")
    act(store, "ddm", rid, "approve", **NO_CRIME)
    assert refused(store, "ddm", rid, "victim-informed", "").rule == "method"
    assert (
        refused(store, "ddm", rid, "victim-informed", "", method="phone", informed_on=local_day(40)).rule
        == "informed-on"
    )
    assert refused(store, "ddm", rid, "victim-informed", "", method="phone", informed_on="soon").rule == "bad-value"
    act(store, "ddm", rid, "victim-informed", "", method="phone")
    assert refused(store, "ddm", rid, "victim-informed", "", method="phone").rule == "victim-follow-up"


def test_refer_to_must_be_a_senior_user(store):
    rid = cancellation(store, avi_description="CCTV shows it was paid for")
    assert refused(store, "ddm", rid, "refer", referred_to="dora").rule == "referred-to"


def test_crime_no_longer_recorded(store):
    first = cancellation(store, code="C4", error_description="typed twice")
    second = raise_request(store, kind="reclassification", crime_reference="CR-2026-000001", proposed_code="49")
    act(store, "ddm", first, "approve", **NO_CRIME)
    assert refused(store, "ddm", second, "approve").rule == "crime-state"


def test_closed_request_is_never_decided_again(store):
    rid = cancellation(store, avi_description="CCTV shows it was paid for")
    act(store, "ddm", rid, "approve", **NO_CRIME)
    before = snapshot(store)
    with pytest.raises(Conflict) as caught:
        act(store, "ddm2", rid, "reject")
    assert caught.value.by == "dan" and "never decided again" in caught.value.message
    assert snapshot(store) == before


def test_unknown_request(store):
    with pytest.raises(NotFound):
        decide(store, USERS["ddm"], Decision(999, "approve", GOOD))
