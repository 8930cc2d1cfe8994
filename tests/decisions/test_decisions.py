"""Every action of every kind, through the one write path, asserted on the store and the ledger."""

import pytest
from helpers import (
    NO_CRIME,
    NOW,
    RATIONALE,
    act,
    at,
    crime,
    last_entry,
    local_day,
    next_reference,
    raise_request,
    refused,
    request,
)

from registrar.base.errors import Conflict
from registrar.reading import views
from registrar.storage import ledger


def cancellation(store, reference="CR-2026-000001", code="C2", **extra) -> int:
    """Raise a cancellation request for a crime."""
    extra.setdefault("avi_description", "CCTV from the shop shows the item was paid for")
    return raise_request(
        store, kind="cancellation", crime_reference=reference, cancellation_code=code, summary="Customer paid", **extra
    )


def test_approve_cancellation_cancels_the_crime_and_opens_a_victim_follow_up(store):
    rid = cancellation(store)
    outcome = act(store, "ddm", rid, "approve", **NO_CRIME)
    assert outcome.to_state == "approved"
    assert crime(store, "CR-2026-000001")["state"] == "cancelled"
    assert crime(store, "CR-2026-000001")["cancellation_code"] == "C2"
    assert request(store, rid)["state"] == "approved"
    assert request(store, rid)["closed_at"] is not None
    follow_up = store.conn.execute("SELECT * FROM follow_ups WHERE request_id = ?", (rid,)).fetchone()
    assert follow_up["done_at"] is None
    entry = last_entry(store)
    assert (entry["actor"], entry["role"], entry["action"], entry["code"]) == ("dan", "ddm", "approve", "C2")
    assert (entry["from_state"], entry["to_state"]) == ("pending", "approved")
    assert entry["rationale"] == RATIONALE
    ledger.verify(store.conn)


def test_reject_cancellation_keeps_the_crime_recorded(store):
    rid = cancellation(store)
    act(store, "ddm", rid, "reject")
    assert request(store, rid)["state"] == "rejected"
    assert crime(store, "CR-2026-000001")["state"] == "recorded"


def test_c3_cancellation_links_the_surviving_crime(store):
    rid = cancellation(store, reference="CR-2026-000004", code="C3", surviving_reference="CR-2026-000003")
    act(store, "fcm", rid, "approve", **NO_CRIME)
    survivor = crime(store, "CR-2026-000003")
    assert crime(store, "CR-2026-000004")["surviving_crime_id"] == survivor["id"]
    assert crime(store, "CR-2026-000004")["cancellation_code"] == "C3"


def test_c4_cancellation_with_the_error_given_at_decision(store):
    rid = cancellation(store, code="C4", avi_description="")
    act(store, "ddm", rid, "approve", **NO_CRIME, error_description="Recorded twice by the control room")
    assert crime(store, "CR-2026-000001")["cancellation_code"] == "C4"
    assert request(store, rid)["error_description"] is None, "the requester's evidence is never rewritten"
    added = views.request_detail(store.conn, rid)["decider_evidence"]
    assert [(a["field"], a["value"], a["by"]) for a in added] == [
        ("error_description", "Recorded twice by the control room", "dan")
    ]


def test_refer_then_senior_decides_a_restricted_cancellation(store):
    rid = cancellation(store, reference="CR-2026-000002")
    act(store, "ddm", rid, "refer")
    assert request(store, rid)["state"] == "referred"
    act(store, "fcr", rid, "approve", **NO_CRIME)
    assert crime(store, "CR-2026-000002")["state"] == "cancelled"


def test_refer_to_a_named_senior(store):
    rid = cancellation(store)
    act(store, "ddm", rid, "refer", referred_to="carol")
    assert request(store, rid)["referred_to"] == "carol"


def test_return_then_answer_reopens_as_pending(store):
    rid = cancellation(store)
    act(store, "ddm", rid, "return")
    assert request(store, rid)["state"] == "returned"
    assert request(store, rid)["closed_at"] is None
    act(store, "requester", rid, "answer", "The shop sent the receipt; CCTV attached too.")
    assert request(store, rid)["state"] == "pending"


def test_requester_withdraws_own_request(store):
    rid = cancellation(store)
    act(store, "requester", rid, "withdraw")
    assert request(store, rid)["state"] == "withdrawn"
    assert crime(store, "CR-2026-000001")["state"] == "recorded"


def test_victim_informed_closes_the_follow_up(store):
    rid = cancellation(store)
    act(store, "ddm", rid, "approve", **NO_CRIME)
    act(store, "requester", rid, "victim-informed", "", informed_on=local_day(), method="phone")
    row = store.conn.execute("SELECT * FROM follow_ups WHERE request_id = ?", (rid,)).fetchone()
    assert (row["informed_on"], row["method"], row["done_by"]) == (local_day(), "phone", "pc1")
    assert request(store, rid)["state"] == "approved" and request(store, rid)["closed_at"] is not None
    assert last_entry(store)["rationale"] == f"Victim informed by phone on {local_day()}."


def test_reinstate_restores_the_crime(store):
    rid = cancellation(store)
    act(store, "ddm", rid, "approve", **NO_CRIME)
    act(store, "fcr", rid, "reinstate", "Audit found the CCTV did not cover the till.")
    assert crime(store, "CR-2026-000001")["state"] == "recorded"
    assert crime(store, "CR-2026-000001")["cancellation_code"] is None
    assert request(store, rid)["state"] == "reinstated"


def test_reclassification_approve_changes_the_code_and_logs_direction(store):
    rid = raise_request(
        store,
        kind="reclassification",
        crime_reference="CR-2026-000003",
        proposed_code="5D",
        new_information="Injury was serious",
    )
    act(store, "ddm", rid, "approve")
    assert crime(store, "CR-2026-000003")["offence_code"] == "5D"
    details = last_entry(store)["details"]
    assert '"direction":"up"' in details  # 5D (weight 1100) above 8N (203)
    assert '"from_code":"8N"' in details


def test_reclassification_down_is_logged_as_down(store):
    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="105A")
    act(store, "ddm", rid, "approve")
    assert '"direction":"down"' in last_entry(store)["details"]


def test_reclassification_reject(store):
    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="105A")
    act(store, "ddm", rid, "reject")
    assert crime(store, "CR-2026-000003")["offence_code"] == "8N"
    assert request(store, rid)["state"] == "rejected"


def test_senior_may_downgrade_out_of_restricted_class(store):
    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000002", proposed_code="20A")
    act(store, "fcr", rid, "approve")
    assert crime(store, "CR-2026-000002")["offence_code"] == "20A"


def transfer_out(store, reference="CR-2026-000003") -> int:
    """Raise a transfer out to Derbyshire."""
    return raise_request(
        store, kind="transfer_out", crime_reference=reference, other_force="DER", summary="Happened in Derby"
    )


def test_transfer_out_send_accept_cancels_as_c1_in_one_step(store):
    rid = transfer_out(store)
    act(store, "ddm", rid, "send")
    assert request(store, rid)["state"] == "sent"
    assert crime(store, "CR-2026-000003")["state"] == "recorded"
    act(store, "ddm", rid, "accepted", other_reference="DER/26/9911")
    record = crime(store, "CR-2026-000003")
    assert (record["state"], record["cancellation_code"]) == ("cancelled", "C1")
    assert (record["transferred_force"], record["transferred_reference"]) == ("DER", "DER/26/9911")
    assert store.conn.execute("SELECT count(*) FROM follow_ups WHERE request_id = ?", (rid,)).fetchone()[0] == 1


def test_transfer_out_disputed_escalated_then_accepted(store):
    rid = transfer_out(store)
    act(store, "ddm", rid, "send")
    act(store, "ddm", rid, "disputed", reason="Derbyshire say the assault began in Burton")
    assert request(store, rid)["dispute_reason"] == "Derbyshire say the assault began in Burton"
    act(store, "fcr", rid, "escalate")
    assert request(store, rid)["state"] == "escalated"
    act(store, "fcr", rid, "accepted", other_reference="DER/26/1")
    assert crime(store, "CR-2026-000003")["cancellation_code"] == "C1"


def test_transfer_out_withdrawn_after_dispute_keeps_the_crime(store):
    rid = transfer_out(store)
    act(store, "ddm", rid, "send")
    act(store, "ddm", rid, "disputed", reason="Not ours")
    act(store, "fcm", rid, "withdraw", "We keep it: the offence began in our area.")
    assert request(store, rid)["state"] == "withdrawn"
    assert crime(store, "CR-2026-000003")["state"] == "recorded"


def test_transfer_out_reject(store):
    rid = transfer_out(store)
    act(store, "ddm", rid, "reject")
    assert request(store, rid)["state"] == "rejected"


def test_transfer_out_victim_informed(store):
    rid = transfer_out(store)
    act(store, "ddm", rid, "send")
    act(store, "ddm", rid, "accepted", other_reference="DER/26/2")
    act(store, "ddm", rid, "victim-informed", "", method="letter")
    assert store.conn.execute("SELECT done_at FROM follow_ups WHERE request_id = ?", (rid,)).fetchone()[0]


def transfer_in(store) -> int:
    """Raise an inbound transfer from West Midlands."""
    return raise_request(
        store,
        kind="transfer_in",
        other_force="WMP",
        other_reference="WMP/20/55",
        offence_code="48",
        area="Tamworth",
        summary="Car stolen in Tamworth",
    )


def test_transfer_in_accept_records_a_crime_here(store):
    rid = transfer_in(store)
    expected = next_reference(store)
    outcome = act(store, "ddm", rid, "accept")
    assert outcome.crimes == [expected]
    created = crime(store, expected)
    assert (created["offence_code"], created["source"], created["transferred_force"]) == ("48", "transfer_in", "WMP")
    assert request(store, rid)["crime_id"] == created["id"]


def test_transfer_in_dispute(store):
    rid = transfer_in(store)
    act(store, "ddm", rid, "dispute", reason="The car was taken in Walsall")
    assert request(store, rid)["state"] == "disputed"
    assert request(store, rid)["closed_at"] is not None


def referral(store, suggested="8N") -> int:
    """Raise a MASH referral from children's social care."""
    return raise_request(
        store,
        kind="referral",
        agency="CSC",
        subject="child",
        suggested_code=suggested,
        area="Stafford",
        summary="School reports bruising",
        received_at=at(hours=-1),
    )


def test_referral_due_in_24_hours_from_receipt(store):
    rid = referral(store)
    assert request(store, rid)["due_at"] == at(hours=23)


def test_referral_record_creates_and_links_crimes(store):
    rid = referral(store)
    expected = [next_reference(store), next_reference(store, 1)]
    outcome = act(store, "ddm", rid, "record", offences=["8N", "11A"])
    assert outcome.crimes == expected
    links = store.conn.execute("SELECT link FROM request_crimes WHERE request_id = ?", (rid,)).fetchall()
    assert [row[0] for row in links] == ["recorded", "recorded"]
    assert crime(store, expected[1])["vulnerable_victim"] == 1


def test_referral_cri_no_crime_duplicate(store):
    first, second, third = (raise_request(store, kind="referral", agency="HOU", subject="adult") for _ in range(3))
    act(store, "ddm", first, "cri", reason="Victim cannot be traced")
    act(store, "ddm", second, "no-crime")
    act(store, "ddm", third, "duplicate", crime_reference="CR-2026-000005")
    assert [request(store, i)["state"] for i in (first, second, third)] == ["cri", "no_crime", "duplicate"]
    assert request(store, first)["cri_reason"] == "Victim cannot be traced"
    assert (
        store.conn.execute("SELECT link FROM request_crimes WHERE request_id = ?", (third,)).fetchone()[0]
        == "duplicate"
    )


def test_version_moves_with_every_decision(store):
    rid = cancellation(store)
    assert request(store, rid)["version"] == 1
    act(store, "ddm", rid, "return")
    act(store, "requester", rid, "answer")
    assert request(store, rid)["version"] == 3


def test_stale_version_is_a_conflict_naming_who_and_when(store):
    from helpers import USERS

    from registrar.decisions.decide import Decision, decide

    rid = cancellation(store)
    act(store, "ddm2", rid, "return")
    with pytest.raises(Conflict) as caught:
        decide(store, USERS["ddm"], Decision(rid, "approve", RATIONALE, {}, expected_version=1))
    assert caught.value.by == "dora"
    assert at() in caught.value.message


def test_the_victim_is_told_on_the_uk_day_not_the_utc_one(store):
    """At 23:30 UTC in summer it is already tomorrow in the force: that day is today, the day before is refused."""
    from datetime import UTC, datetime

    from registrar.base.clock import fixed_clock, local_date, stamp

    year = NOW.year + 1
    store.clock = fixed_clock(datetime(year, 6, 15, 23, 30, tzinfo=UTC))
    assert local_date(stamp(store.clock())) == f"{year}-06-16"
    rid = cancellation(store)
    act(store, "ddm", rid, "approve", **NO_CRIME)
    assert refused(store, "ddm", rid, "victim-informed", "", method="phone", informed_on=f"{year}-06-15").rule == (
        "informed-on"
    )
    act(store, "ddm", rid, "victim-informed", "", method="phone")
    informed = store.conn.execute("SELECT informed_on FROM follow_ups WHERE request_id = ?", (rid,)).fetchone()[0]
    assert informed == f"{year}-06-16"


def test_the_requesters_kind_of_avi_stays_theirs_and_an_unchanged_date_is_not_the_deciders(store):
    import json

    from helpers import avi_cancellation, local_day

    day = local_day(-2)
    rid = avi_cancellation(store, avi_type="forensic", avi_source="Medical report", avi_obtained_at=day)
    act(store, "ddm", rid, "approve", avi_shows="no-crime", avi_type="document", avi_obtained_at=day)
    avi = store.conn.execute("SELECT avi_type, shows FROM request_avi WHERE request_id = ?", (rid,)).fetchone()
    assert tuple(avi) == ("forensic", "no-crime"), "the requester's kind stays on the request"
    details = json.loads(store.conn.execute("SELECT details FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()[0])
    assert details["decider_evidence"] == {"avi_type": "document"}, "the same date typed as a day is not a change"


def test_a_date_held_as_a_day_and_decided_as_that_day_is_not_the_deciders_evidence(small_demo_force, tmp_path):
    import json
    import shutil

    from helpers import NOW

    from registrar.access.identity import Actor
    from registrar.base.clock import fixed_clock
    from registrar.decisions.decide import Decision, decide
    from registrar.storage.store import Store

    copy = tmp_path / "demo.db"
    shutil.copy(small_demo_force, copy)
    demo = Store.open(copy, fixed_clock(NOW))
    rid, day, kind = demo.conn.execute(
        "SELECT r.id, r.avi_obtained_at, v.avi_type FROM requests r JOIN request_avi v ON v.request_id = r.id "
        "WHERE r.kind = 'cancellation' AND r.state = 'pending' AND r.cancellation_code = 'C2' "
        "AND length(r.avi_obtained_at) = 10 LIMIT 1"
    ).fetchone()
    fields = {"ground": "C2", "avi_type": kind, "avi_obtained_at": day, "avi_shows": "no-crime"}
    decide(
        demo, Actor("fiona", "fcr", "Fiona Hale"), Decision(rid, "approve", "Body-worn video reviewed in full.", fields)
    )
    details = json.loads(demo.conn.execute("SELECT details FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()[0])
    assert "decider_evidence" not in details, details
    demo.close()
