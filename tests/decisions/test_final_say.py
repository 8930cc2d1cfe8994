"""The FCR's final say: crimes abroad, reopening any closed decision, and audits that reopen what they disagree with."""

import json

import pytest
from helpers import USERS, act, around_now, crime, invoke, last_entry, raise_request, refused, request, snapshot

from registrar.administration import admin
from registrar.base.errors import BadInput, Conflict, RuleRefused
from registrar.oversight.audit import SampleRates, draw_sample, record_verdict
from registrar.storage import ledger

PLACE = "Malaga, Spain"
EVIDENCE = "Spanish police report and the flight booking put the assault in Malaga on 2 November"
WHY = "Reviewed the whole file: the earlier decision was wrong and is reopened."


def abroad_request(store) -> int:
    """A cancellation request for a crime that happened abroad."""
    return raise_request(store, kind="cancellation", crime_reference="CR-2026-000003", summary="Happened in Spain")


def test_a_crime_abroad_is_cancelled_only_by_the_fcr_or_deputy_with_where_and_how_known(store):
    rid = abroad_request(store)
    for who in ("ddm", "fcm"):
        assert refused(store, who, rid, "abroad", abroad_place=PLACE, abroad_evidence=EVIDENCE).rule == "role"
    assert refused(store, "dfcr", rid, "abroad", abroad_evidence=EVIDENCE).rule == "abroad-place"
    assert refused(store, "dfcr", rid, "abroad", abroad_place=PLACE).rule == "abroad-evidence"
    act(store, "dfcr", rid, "abroad", abroad_place=PLACE, abroad_evidence=EVIDENCE)
    cancelled = crime(store, "CR-2026-000003")
    assert (cancelled["state"], cancelled["cancellation_code"]) == ("cancelled", "C4")
    details = json.loads(last_entry(store)["details"])
    assert (details["abroad_place"], details["ground"]) == (PLACE, "C4")
    assert store.conn.execute("SELECT count(*) FROM follow_ups WHERE request_id = ?", (rid,)).fetchone()[0] == 1


def test_the_ground_for_crimes_abroad_is_a_ledgered_setting(store):
    with pytest.raises(BadInput, match="C1 or C4"):
        admin.set_setting(store, USERS["fcr"], "abroad_ground", "C2")
    admin.set_setting(store, USERS["fcr"], "abroad_ground", "C1")
    assert last_entry(store)["action"] == "setting"
    rid = abroad_request(store)
    act(store, "fcr", rid, "abroad", abroad_place=PLACE, abroad_evidence=EVIDENCE)
    assert crime(store, "CR-2026-000003")["cancellation_code"] == "C1"


def test_a_transfer_to_police_scotland_works_as_any_other(store):
    rid = raise_request(store, kind="transfer_out", crime_reference="CR-2026-000005", other_force="PSC")
    act(store, "ddm", rid, "send")
    act(store, "ddm", rid, "accepted", other_reference="PS/2026/0042")
    moved = crime(store, "CR-2026-000005")
    assert (moved["state"], moved["cancellation_code"], moved["transferred_force"]) == ("cancelled", "C1", "PSC")


def test_a_referral_closed_as_no_crime_reopens_to_be_recorded(store):
    rid = raise_request(store, kind="referral", agency="HOU", subject="adult", summary="Tenant hit by a neighbour")
    act(store, "ddm", rid, "no-crime")
    assert refused(store, "ddm", rid, "reopen", WHY).rule == "role"
    assert refused(store, "fcm", rid, "reopen", WHY).rule == "role"
    assert refused(store, "fcr", rid, "reopen", "   ").rule == "rationale-required"
    act(store, "fcr", rid, "reopen", WHY)
    reopened = request(store, rid)
    assert (reopened["state"], reopened["referred_to"], reopened["closed_at"]) == ("referred", "fiona", None)
    assert refused(store, "ddm2", rid, "no-crime").rule == "referred-up", "a ddm cannot close it again"
    act(store, "fcr", rid, "record", offences=["8N"], area="Stafford")
    assert request(store, rid)["state"] == "recorded"
    ledger.verify(store.conn)


def test_a_duplicate_referral_reopened_loses_its_duplicate_link(store):
    rid = raise_request(store, kind="referral", agency="HOU", subject="adult")
    act(store, "ddm", rid, "duplicate", crime_reference="CR-2026-000004")
    act(store, "fcr", rid, "reopen", WHY)
    links = store.conn.execute("SELECT link FROM request_crimes WHERE request_id = ?", (rid,)).fetchall()
    assert links == []


def test_a_reopened_reclassification_puts_the_crime_back_to_its_previous_code(store):
    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="105A")
    act(store, "ddm", rid, "approve")
    assert crime(store, "CR-2026-000003")["offence_code"] == "105A"
    act(store, "dfcr", rid, "reopen", WHY)
    assert crime(store, "CR-2026-000003")["offence_code"] == "8N"
    assert request(store, rid)["state"] == "reversed"
    entry = last_entry(store)
    assert (entry["action"], entry["code"]) == ("reopen", "8N")
    with pytest.raises(Conflict, match="is closed \\(reversed\\)"):
        act(store, "fcr", rid, "reopen", WHY)


def test_a_reclassification_changed_since_is_not_put_back_blindly(store):
    first = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="105A")
    act(store, "ddm", first, "approve")
    second = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="8L")
    act(store, "ddm", second, "approve")
    error = refused(store, "fcr", first, "reopen", WHY)
    assert error.rule == "reopen" and "changed since" in error.reason


def test_a_reopened_transfer_takes_the_crime_back(store):
    rid = raise_request(store, kind="transfer_out", crime_reference="CR-2026-000005", other_force="DER")
    act(store, "ddm", rid, "send")
    act(store, "ddm", rid, "accepted", other_reference="DER/1")
    act(store, "fcr", rid, "reopen", WHY)
    back = crime(store, "CR-2026-000005")
    assert (back["state"], back["cancellation_code"], back["transferred_force"]) == ("recorded", None, None)
    assert request(store, rid)["state"] == "reversed"
    follow_up = store.conn.execute("SELECT done_at, method FROM follow_ups WHERE request_id = ?", (rid,)).fetchone()
    assert follow_up["done_at"] and follow_up["method"] == "not needed: transfer reopened"


def test_a_rejected_cancellation_reopens_to_be_decided_again(store):
    rid = raise_request(
        store,
        kind="cancellation",
        crime_reference="CR-2026-000006",
        cancellation_code="C4",
        error_description="Recorded twice by the contact centre",
    )
    act(store, "ddm", rid, "reject")
    act(store, "fcr", rid, "reopen", WHY)
    assert request(store, rid)["state"] == "referred"


def test_a_rejected_cancellation_whose_crime_was_cancelled_since_is_not_reopened(store):
    first = raise_request(
        store,
        kind="cancellation",
        crime_reference="CR-2026-000006",
        cancellation_code="C4",
        error_description="Recorded twice by the contact centre",
    )
    act(store, "ddm", first, "reject")
    second = raise_request(
        store,
        kind="cancellation",
        crime_reference="CR-2026-000006",
        cancellation_code="C4",
        error_description="Recorded against the wrong occurrence",
    )
    act(store, "ddm", second, "approve")
    error = refused(store, "fcr", first, "reopen", WHY)
    assert error.rule == "reopen" and "changed since" in error.reason


PERIOD = around_now()


@pytest.mark.parametrize(
    ("kind", "decide", "check"),
    [
        (
            "referral",
            lambda store: act(
                store,
                "ddm",
                raise_request(store, kind="referral", agency="HOU", subject="adult"),
                "cri",
                reason="victim will not engage",
            ),
            lambda store, rid: request(store, rid)["state"] == "referred",
        ),
        (
            "reclassification",
            lambda store: act(
                store,
                "ddm",
                raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="105A"),
                "approve",
            ),
            lambda store, rid: crime(store, "CR-2026-000003")["offence_code"] == "8N",
        ),
    ],
)
def test_a_dip_sample_disagreement_takes_the_matching_reopening_in_the_same_step(store, kind, decide, check):
    outcome = decide(store)
    draw_sample(store, USERS["fcr"], *PERIOD, seed=3, rates=SampleRates(1.0))
    item = store.conn.execute("SELECT id FROM audit_items WHERE request_id = ?", (outcome.request_id,)).fetchone()[0]
    before = snapshot(store)
    with pytest.raises(RuleRefused, match="may not reopen"):
        record_verdict(store, USERS["auditor"], item, "disagree", "The ddm's decision was wrong here.", reopen=True)
    assert snapshot(store) == before
    result = record_verdict(store, USERS["fcr"], item, "disagree", "The ddm's decision was wrong here.", reopen=True)
    assert result.reopened == "reopen" and check(store, outcome.request_id)
    actions = [row[0] for row in store.conn.execute("SELECT action FROM ledger ORDER BY seq DESC LIMIT 2")]
    assert actions == ["reopen", "audit-disagree"]


def test_reopening_and_abroad_from_the_command_line(store):
    rid = abroad_request(store)
    base = ["--db", str(store.path)]
    refused_run = invoke(
        [
            *base,
            "--as",
            "dan",
            "decide",
            str(rid),
            "abroad",
            "--abroad-place",
            PLACE,
            "--abroad-evidence",
            EVIDENCE,
            "--rationale",
            WHY,
        ],
    )
    assert refused_run.exit_code == 1 and "may not take 'Cancel: it happened abroad'" in refused_run.stderr
    done = invoke(
        [
            *base,
            "--as",
            "fiona",
            "decide",
            str(rid),
            "abroad",
            "--abroad-place",
            PLACE,
            "--abroad-evidence",
            EVIDENCE,
            "--rationale",
            WHY,
            "--json",
        ],
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)[0]["to_state"] == "approved"
    assert crime(store, "CR-2026-000003")["state"] == "cancelled"


def test_reopening_an_approved_cancellation_reinstates_its_crime(store):
    rid = raise_request(
        store,
        kind="cancellation",
        crime_reference="CR-2026-000006",
        cancellation_code="C4",
        error_description="Recorded twice by the contact centre",
    )
    act(store, "ddm", rid, "approve")
    assert crime(store, "CR-2026-000006")["state"] == "cancelled"
    assert refused(store, "ddm", rid, "reopen", WHY).rule == "role"
    act(store, "dfcr", rid, "reopen", WHY)
    assert crime(store, "CR-2026-000006")["state"] == "recorded"
    assert request(store, rid)["state"] == "reinstated"
