"""Counting-rules fidelity: hidden downgrades, serious classes, unconfirmed grounds, additional AVI, professional
reports, forces outside England and Wales; each refusal leaves the store and the ledger exactly as they were."""

import json

import pytest
from helpers import USERS, act, cancellation, crimes_csv, invoke, local_day, raise_request, refused, request

from registrar.administration import admin
from registrar.base.errors import BadInput
from registrar.intake import imports
from registrar.storage import ledger

SERIOUS = [
    ("CR-2026-000101", "1", "Stafford", "pc2", {}),  # murder
    ("CR-2026-000102", "106", "Cannock", "pc2", {}),  # modern slavery
    ("CR-2026-000103", "19J", "Cannock", "pc2", {}),  # rape of a female, multiple undefined offences
    ("CR-2026-000104", "105A", "Cannock", "pc2", {}),  # assault without injury
]


@pytest.fixture
def serious(store):
    """The test store with a homicide, a modern slavery crime, a 19J rape and a common assault."""
    imports.import_crimes(store, USERS["fcr"], crimes_csv(SERIOUS), "serious.csv")
    return store


def test_c3_cannot_hide_a_downgrade_into_a_less_serious_crime(serious):
    rid = cancellation(serious, reference="CR-2026-000101", code="C3", surviving_reference="CR-2026-000104")
    assert refused(serious, "fcm", rid, "approve").rule == "hidden-downgrade"
    act(serious, "fcr", rid, "approve")  # the FCR may, with a rationale, after looking
    assert request(serious, rid)["state"] == "approved"


def test_c3_of_a_restricted_crime_into_a_non_restricted_one_is_for_the_fcr(serious):
    rid = cancellation(serious, reference="CR-2026-000103", code="C3", surviving_reference="CR-2026-000101")
    assert refused(serious, "fcm", rid, "approve").rule == "hidden-downgrade"


def test_serious_classes_cancelled_as_c4_or_reclassified_out_need_a_senior(serious):
    c4 = cancellation(serious, reference="CR-2026-000101", code="C4", error_description="entered twice")
    assert refused(serious, "ddm", c4, "approve").rule == "serious-downgrade"
    act(serious, "fcm", c4, "approve")
    down = raise_request(serious, kind="reclassification", crime_reference="CR-2026-000102", proposed_code="8N")
    assert refused(serious, "ddm", down, "approve").rule == "serious-downgrade"
    act(serious, "fcm", down, "approve")
    assert (
        serious.conn.execute("SELECT offence_code FROM crimes WHERE reference = 'CR-2026-000102'").fetchone()[0] == "8N"
    )


def test_the_serious_classes_are_a_ledgered_setting_checked_for_real_codes(serious):
    with pytest.raises(BadInput, match="offence codes"):
        admin.set_setting(serious, USERS["fcr"], "serious_codes", '["1", "XYZ"]')
    admin.set_setting(serious, USERS["fcr"], "serious_codes", '["1", "105A"]')
    entry = serious.conn.execute("SELECT action, code, details FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    assert (entry[0], entry[1]) == ("setting", "serious_codes") and json.loads(entry[2])["to"] == ["1", "105A"]
    down = raise_request(serious, kind="reclassification", crime_reference="CR-2026-000104", proposed_code="9A")
    assert refused(serious, "ddm", down, "approve").rule == "serious-downgrade"
    ledger.verify(serious.conn)


def test_19j_and_19k_are_restricted(serious):
    codes = dict(serious.conn.execute("SELECT code, restricted FROM offences WHERE code IN ('19J', '19K')"))
    assert codes == {"19J": 1, "19K": 1}


@pytest.mark.parametrize(
    ("obtained", "rule"),
    [("next tuesday", "bad-value"), (local_day(40), "avi-date"), ("2026-10-01", "avi-not-additional")],
)
def test_avi_must_be_a_real_date_not_in_the_future_and_additional(store, obtained, rule):
    rid = cancellation(store, avi_description="CCTV shows the item was paid for at the till")
    assert refused(store, "ddm", rid, "approve", avi_obtained_at=obtained, avi_source="shop CCTV").rule == rule


BAD_DATE = "avi_obtained_at 'next tuesday' is not a date or time (YYYY-MM-DD, or 2026-11-24T09:15)"


async def test_a_bad_value_is_refused_in_the_same_words_at_all_four_doors(store):
    from helpers import NO_CRIME, settle, type_rationale

    from screens.app import make_app
    from screens.decision import DecisionDialog
    from screens.detail import DetailScreen

    rid = cancellation(store, avi_description="CCTV shows the item was paid for at the till")
    head = ledger.head(store.conn)
    base = ["--db", str(store.path), "--as", "dan"]
    imported = invoke(
        ["--db", str(store.path), "--as", "pc1", "import", "requests", "-"],
        input="kind,crime_reference,cancellation_code,avi_description,avi_obtained_at\n"
        "cancellation,CR-2026-000004,C2,CCTV shows it was paid for,next tuesday\n",
    )
    decided = invoke(
        [
            *base,
            "decide",
            str(rid),
            "approve",
            "--avi-obtained",
            "next tuesday",
            "--avi-shows",
            "no-crime",
            "--rationale",
            "CCTV reviewed in full; no theft took place.",
        ],
    )
    rows = f"request_id,action,avi_obtained_at,avi_shows,rationale\n{rid},approve,next tuesday,no-crime,CCTV seen.\n"
    batched = invoke([*base, "batch", "-", "--json"], input=rows)
    assert imported.exit_code == decided.exit_code == batched.exit_code == 1
    assert f"line 2: {BAD_DATE}" in imported.stderr
    assert BAD_DATE in decided.stderr and BAD_DATE in batched.stdout
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DetailScreen(rid))
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DecisionDialog)
        dialog.query_one("#field-avi_obtained_at").value = "next tuesday"
        dialog.query_one("#field-avi_shows").value = NO_CRIME["avi_shows"]
        await type_rationale(pilot, "CCTV reviewed in full; no theft took place.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert BAD_DATE in str(dialog.query_one("#refusal").render())
    assert ledger.head(store.conn) == head and request(store, rid)["state"] == "pending"


def test_a_nul_character_is_refused_at_every_door_so_no_text_hides_after_it(store):
    # SQLite's quote() stops at a NUL, so text after one would escape the row's hash; a JSON escape can carry one.
    rid = cancellation(store, avi_description="CCTV shows the item was paid for at the till")
    head = ledger.head(store.conn)
    base = ["--db", str(store.path), "--as", "dan"]
    hidden = "CCTV seen\u0000 and the FCR agreed"
    batch_row = {"request_id": rid, "action": "reject", "rationale": hidden}
    batched = invoke([*base, "batch", "-", "--json"], input=json.dumps(batch_row) + "\n")
    field_row = {"request_id": rid, "action": "return", "rationale": "Please attach the CCTV.", "reason": hidden}
    fielded = invoke([*base, "batch", "-", "--json"], input=json.dumps(field_row) + "\n")
    imported = invoke(
        ["--db", str(store.path), "--as", "pc1", "import", "requests", "-"],
        input=json.dumps({"kind": "referral", "agency": "CSC", "summary": hidden}) + "\n",
    )
    rationale_file = store.path.parent / "rationale.txt"
    rationale_file.write_bytes(b"CCTV reviewed in full; no theft took place.\x00 Approved by the FCR.")
    decided = invoke([*base, "decide", str(rid), "reject", "--rationale-file", str(rationale_file)])
    assert batched.exit_code == fielded.exit_code == imported.exit_code == decided.exit_code == 1
    assert "the rationale holds a NUL character" in decided.stderr
    assert "line 1: column 'rationale' holds a NUL character" in batched.stderr
    assert "line 1: column 'reason' holds a NUL character" in fielded.stderr
    assert "line 1: column 'summary' holds a NUL character" in imported.stderr
    assert ledger.head(store.conn) == head and request(store, rid)["state"] == "pending"


def test_a_professional_report_about_a_child_is_not_closed_by_a_ddm(store):
    for action, fields in (("cri", {"reason": "family will not engage"}), ("no-crime", {})):
        rid = raise_request(store, kind="referral", agency="CSC", subject="child")
        assert refused(store, "ddm", rid, action, **fields).rule == "professional-report"
        act(store, "fcm", rid, action, **fields)
    housing = raise_request(store, kind="referral", agency="HOU", subject="adult")
    act(store, "ddm", housing, "no-crime")


def test_a_transfer_to_police_scotland_works_like_any_other(store):
    rid = raise_request(store, kind="transfer_out", crime_reference="CR-2026-000003", other_force="PSC")
    act(store, "ddm", rid, "send", force="PSC")
    act(store, "ddm", rid, "accepted", other_reference="PS/2026/77")
    crime = store.conn.execute(
        "SELECT state, cancellation_code, transferred_force FROM crimes WHERE reference = ?", ("CR-2026-000003",)
    ).fetchone()
    assert tuple(crime) == ("cancelled", "C1", "PSC")


def test_an_unconfirmed_ground_is_refused_at_import_too(store):
    head = ledger.head(store.conn)
    data = b"kind,crime_reference,cancellation_code,avi_description\ncancellation,CR-2026-000001,C5,CCTV shows self-defence\n"
    with pytest.raises(BadInput) as refusal:
        imports.import_requests(store, USERS["requester"], data, "c5.csv")
    assert "line 2" in refusal.value.problems[0] and "not confirmed" in refusal.value.problems[0]
    assert ledger.head(store.conn) == head
