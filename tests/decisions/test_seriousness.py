"""Seriousness at every door: one order of weights over every offence code, checked wherever a code is chosen.

The four moves a hostile ddm tried (a referral of child rape recorded as shoplifting, another force's rape accepted
as shoplifting, murder reclassified as manslaughter, attempted murder as assault with injury) are refused for a ddm
at the command line, in a batch and in the workbench, and allowed for a crime manager; the ledger and the report read
the direction from the same order, which the FCR amends in a live store.
"""

import json

import pytest
from helpers import (
    RATIONALE,
    USERS,
    act,
    crimes_csv,
    decide_by_keys,
    invoke,
    open_first,
    raise_request,
    refused,
    request,
    settle,
    snapshot,
)

from registrar.administration import admin
from registrar.base.errors import RuleRefused
from registrar.intake import imports
from registrar.oversight.reports import report
from registrar.storage import ledger
from screens.app import make_app
from screens.decision import DecisionDialog

GRAVE = [
    ("CR-2026-000201", "1", "Stafford", "pc2", {}),  # murder
    ("CR-2026-000202", "2", "Cannock", "pc2", {}),  # attempted murder
]


@pytest.fixture
def grave(store):
    """The test store with a murder and an attempted murder."""
    imports.import_crimes(store, USERS["fcr"], crimes_csv(GRAVE), "grave.csv")
    return store


def child_rape_referral(store) -> int:
    """A MASH referral suggesting 19D, returned by the ddm for more information and answered."""
    rid = raise_request(store, kind="referral", agency="CSC", subject="child", suggested_code="19D", area="Stafford")
    act(store, "ddm", rid, "return", "Please send the school's full account of the disclosure.")
    act(store, "requester", rid, "answer", "The school's account is attached to the referral now.")
    return rid


def rape_transfer(store) -> int:
    """Another force's 19C sent to us."""
    return raise_request(
        store, kind="transfer_in", other_force="WMP", other_reference="WMP/26/9", offence_code="19C", area="Tamworth"
    )


def the_four_moves(store) -> list[tuple[int, str, dict]]:
    """Each move as (request, action, fields)."""
    murder = raise_request(store, kind="reclassification", crime_reference="CR-2026-000201", proposed_code="4/1")
    attempt = raise_request(store, kind="reclassification", crime_reference="CR-2026-000202", proposed_code="8N")
    return [
        (child_rape_referral(store), "record", {"offences": ["46"]}),
        (rape_transfer(store), "accept", {"offence_code": "46"}),
        (murder, "approve", {}),
        (attempt, "approve", {}),
    ]


def test_the_four_moves_are_refused_for_a_ddm_and_leave_the_store_as_it_was(grave):
    moves = the_four_moves(grave)
    rules = [refused(grave, "ddm", rid, action, **fields).rule for rid, action, fields in moves]
    assert rules == ["restricted-offence", "restricted-offence", "serious-downgrade", "serious-downgrade"]


def test_a_crime_manager_makes_the_four_moves_and_the_ledger_says_which_way(grave):
    moves = the_four_moves(grave)
    for rid, action, fields in moves:
        act(grave, "fcm", rid, action, **fields)
    assert [request(grave, rid)["state"] for rid, _, _ in moves] == ["recorded", "accepted", "approved", "approved"]
    murder_entry, attempt_entry = (
        json.loads(row[0])
        for row in grave.conn.execute(
            "SELECT details FROM ledger WHERE action = 'approve' AND request_id IN (?, ?) ORDER BY seq",
            (moves[2][0], moves[3][0]),
        )
    )
    assert (murder_entry["direction"], murder_entry["from_weight"], murder_entry["to_weight"]) == ("down", 7979, 5200)
    assert (attempt_entry["direction"], attempt_entry["from_code"], attempt_entry["to_code"]) == ("down", "2", "8N")
    ledger.verify(grave.conn)


def test_a_ddm_records_what_was_suggested_or_more_serious_never_less(store):
    def assault_referral() -> int:
        return raise_request(store, kind="referral", agency="HOU", subject="adult", suggested_code="8N")

    lower = assault_referral()
    error = refused(store, "ddm", lower, "record", offences=["105A"])
    assert error.rule == "record-downgrade" and "8N Assault with injury (weight 203)" in error.reason
    assert "refer" in error.reason
    same, higher, several = assault_referral(), assault_referral(), assault_referral()
    act(store, "ddm", same, "record", offences=["8n"])
    act(store, "ddm", higher, "record", offences=["5D"])
    act(store, "ddm", several, "record", offences=["105A", "8N"])  # the principal crime keeps the suggested weight
    assert [request(store, rid)["state"] for rid in (same, higher, several)] == ["recorded"] * 3
    act(store, "fcm", lower, "record", offences=["105A"])
    entry = json.loads(store.conn.execute("SELECT details FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()[0])
    assert (entry["came_with_code"], entry["came_with_weight"], entry["recorded_weight"]) == ("8N", 203, 13)


def test_an_inbound_transfer_is_accepted_at_its_own_seriousness_or_above(store):
    rid = raise_request(store, kind="transfer_in", other_force="WMP", other_reference="WMP/1", offence_code="8N")
    assert refused(store, "ddm", rid, "accept", offence_code="105A").rule == "record-downgrade"
    act(store, "ddm", rid, "accept", offence_code="5D")
    created = store.conn.execute("SELECT offence_code FROM crimes WHERE id = ?", (request(store, rid)["crime_id"],))
    assert created.fetchone()[0] == "5D"


def test_a_downgrade_inside_a_serious_class_is_refused_but_moving_up_is_not(grave):
    up = raise_request(grave, kind="reclassification", crime_reference="CR-2026-000202", proposed_code="1")
    act(grave, "ddm", up, "approve")
    details = json.loads(grave.conn.execute("SELECT details FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()[0])
    assert details["direction"] == "up"
    plain_down = raise_request(grave, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="105A")
    act(grave, "ddm", plain_down, "approve")  # 8N to 105A: down, but not a serious class, so a ddm decides it


def test_the_four_moves_are_refused_at_the_command_line_with_exit_1(grave):
    moves = the_four_moves(grave)
    before = snapshot(grave)
    for rid, action, fields in moves:
        options = [f"--{'offence' if 'offences' in fields else 'offence-code'}", "46"] if fields else []
        result = invoke(
            ["--db", str(grave.path), "--as", "dan", "decide", str(rid), action, *options, "--rationale", RATIONALE]
        )
        assert result.exit_code == 1, result.output
        assert "restricted-offence" in result.stderr or "serious-downgrade" in result.stderr
    assert snapshot(grave) == before
    murder = moves[2][0]
    done = invoke(
        ["--db", str(grave.path), "--as", "carol", "decide", str(murder), "approve", "--rationale", RATIONALE]
    )
    assert done.exit_code == 0, done.output
    assert (
        grave.conn.execute("SELECT offence_code FROM crimes WHERE reference = 'CR-2026-000201'").fetchone()[0] == "4/1"
    )


def test_the_four_moves_in_a_batch_are_refused_whole(grave):
    moves = the_four_moves(grave)
    lines = [
        json.dumps({"request_id": rid, "action": action, "rationale": RATIONALE, **fields})
        for rid, action, fields in moves
    ]
    before = snapshot(grave)
    result = invoke(["--db", str(grave.path), "--as", "dan", "batch", "-", "--json"], input="\n".join(lines) + "\n")
    assert result.exit_code == 1, result.output
    refusals = [row["rule"] for row in json.loads(result.stdout)["results"]]
    assert refusals == ["restricted-offence", "restricted-offence", "serious-downgrade", "serious-downgrade"]
    assert snapshot(grave) == before


def test_an_imported_referral_keeps_its_code_in_any_notation_and_stays_restricted(store):
    data = b"kind,agency,subject,suggested_code,summary\nreferral,CSC,child,19d,Disclosure at school\n"
    imports.import_requests(store, USERS["requester"], data, "mash.csv")
    rid = store.conn.execute("SELECT max(id) FROM requests").fetchone()[0]
    assert request(store, rid)["suggested_code"] == "19D"
    assert refused(store, "ddm", rid, "record", offences=["46"]).rule == "restricted-offence"
    ons = b"kind,crime_reference,proposed_code\nreclassification,CR-2026-000003,4.1\n"
    imports.import_requests(store, USERS["requester"], ons, "ons.csv")
    assert request(store, rid + 1)["proposed_code"] == "4/1"


async def test_the_workbench_refuses_a_ddm_the_murder_downgrade_in_place(grave):
    murder = raise_request(grave, kind="reclassification", crime_reference="CR-2026-000201", proposed_code="4/1")
    before = snapshot(grave)
    app = make_app(grave, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await decide_by_keys(pilot, "2", "a")
        assert isinstance(app.screen, DecisionDialog)
        refusal = str(app.screen.query_one("#refusal").render())
        assert "serious-downgrade" in refusal or "serious class" in refusal
    assert snapshot(grave) == before and request(grave, murder)["state"] == "pending"


async def test_the_workbench_does_not_offer_a_ddm_recording_a_child_rape_referral(store):
    rid = child_rape_referral(store)
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(pilot, "5")
        rules = str(app.screen.query_one("#rules").render())
        assert "restricted offence" in rules
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, DecisionDialog)
    assert request(store, rid)["state"] == "pending"


def test_the_fcr_amends_the_order_in_a_live_store_and_the_rules_follow(grave):
    with pytest.raises(RuleRefused):
        admin.set_severity(grave, USERS["ddm"], "4/1", 9000, "Trying to make my own downgrade an upgrade.")
    admin.set_severity(grave, USERS["fcr"], "4.1", 8000, "Force policy: manslaughter weighed as murder is, and above.")
    entry = grave.conn.execute("SELECT action, code, details FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    assert (entry[0], entry[1], json.loads(entry[2])["was"]) == ("reference", "4/1", 5200)
    murder = raise_request(grave, kind="reclassification", crime_reference="CR-2026-000201", proposed_code="4/1")
    act(grave, "ddm", murder, "approve")  # now an upgrade by the store's own order
    ledger.verify(grave.conn)
    cli = invoke(
        ["--db", str(grave.path), "--as", "fiona", "reference", "severity", "2", "4700", "--rationale", "Rounded."]
    )
    assert cli.exit_code == 1 and "rationale" in cli.stderr
    cli = invoke(
        ["--db", str(grave.path), "--as", "dan", "reference", "severity", "2", "4700", "--rationale", RATIONALE]
    )
    assert cli.exit_code == 1 and "ddm" in cli.stderr


def test_the_report_and_the_pack_show_downgrades_by_seriousness(grave, tmp_path):
    moves = the_four_moves(grave)
    for rid, action, fields in moves[2:]:
        act(grave, "fcm", rid, action, **fields)
    plain = raise_request(grave, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="105A")
    act(grave, "ddm", plain, "approve")
    figures = report(grave.conn, grave.settings(), "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z", grave.now())
    downgrades = figures["downgrades"]
    assert downgrades["count"] == 3
    assert downgrades["by_decider"] == [
        {"actor": "carol", "role": "fcm", "count": 2},
        {"actor": "dan", "role": "ddm", "count": 1},
    ]
    assert [(row["from_code"], row["to_code"], row["drop"]) for row in downgrades["largest"]] == [
        ("2", "8N", 4460),
        ("1", "4/1", 2779),
        ("8N", "105A", 190),
    ]
    pack = tmp_path / "pack.html"
    result = invoke(
        [
            "--db",
            str(grave.path),
            "--as",
            "fiona",
            "report",
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01",
            "--html",
            str(pack),
        ]
    )
    assert result.exit_code == 0, result.output
    html = pack.read_text()
    assert "Downgrades by seriousness" in html and "2 (4663)" in html and "8N (203)" in html
    csv_text = invoke(
        ["--db", str(grave.path), "--as", "fiona", "report", "--from", "2000-01-01", "--to", "2100-01-01", "--csv"]
    ).stdout
    assert "downgrades,all,count,3" in csv_text


def test_every_code_has_a_weight_in_one_order(store):
    weights = dict(store.conn.execute("SELECT code, severity FROM offences"))
    assert len(weights) == 127 and all(weight > 0 for weight in weights.values())
    assert weights["1"] > weights["4/1"] > weights["8N"] > weights["105A"] > weights["92E"]
    assert weights["19E"] > weights["19C"] and weights["2"] > weights["5D"] > weights["8N"]


# --- holes a hostile ddm found, each closed ---------------------------------------------------------------------


def test_a_ddm_chooses_no_restricted_code_at_any_recording_door(store):
    referral = raise_request(store, kind="referral", agency="HOU", subject="adult", suggested_code="8N")
    assert refused(store, "ddm", referral, "record", offences=["8N", "19c"]).rule == "restricted-offence"
    inbound = raise_request(store, kind="transfer_in", other_force="WMP", other_reference="W/2", offence_code="8N")
    assert refused(store, "ddm", inbound, "accept", offence_code="19C").rule == "restricted-offence"
    act(store, "fcm", inbound, "accept", offence_code="19C")
    assert request(store, inbound)["offence_code"] == "8N", "the request keeps the code the other force sent"


def test_a_ddm_cannot_swap_a_restricted_proposal_for_a_code_of_their_own(store):
    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="19C")
    error = refused(store, "ddm", rid, "approve", proposed_code="5E")
    assert error.rule == "restricted-offence" and "proposed as 19C" in error.reason
    act(store, "fcm", rid, "approve", proposed_code="5E")
    assert request(store, rid)["proposed_code"] == "19C", "the code proposed stays as raised"


def test_a_ddm_cannot_close_incoming_work_by_withdrawing_it(store):
    referral = raise_request(store, kind="referral", agency="HEA", subject="child", suggested_code="1")
    inbound = raise_request(store, kind="transfer_in", other_force="WMP", other_reference="W/3", offence_code="1")
    assert refused(store, "ddm", referral, "withdraw").rule == "withdraw"
    assert refused(store, "ddm", inbound, "withdraw").rule == "withdraw"
    act(store, "requester", referral, "withdraw", "Raised against the wrong child; the agency will resend it.")
    assert request(store, referral)["state"] == "withdrawn"


def test_a_serious_referral_is_not_closed_without_a_crime_by_a_ddm(store):
    murder = raise_request(store, kind="referral", agency="HOU", subject="adult", suggested_code="1")
    assert refused(store, "ddm", murder, "no-crime").rule == "serious-downgrade"
    assert refused(store, "ddm", murder, "cri", reason="The victim cannot be traced").rule == "serious-downgrade"
    act(store, "fcm", murder, "no-crime")


def test_a_serious_class_cannot_be_stepped_down_through_a_heavier_code(grave):
    imports.import_crimes(grave, USERS["fcr"], crimes_csv([("CR-2026-000203", "106", "Stafford", "pc2", {})]), "s")
    assert grave.conn.execute("SELECT severity FROM offences WHERE code = '4/6'").fetchone()[0] > 1800
    step = raise_request(grave, kind="reclassification", crime_reference="CR-2026-000203", proposed_code="4/6")
    error = refused(grave, "ddm", step, "approve")
    assert error.rule == "serious-downgrade" and "out of the serious classes" in error.reason
    slavery = raise_request(grave, kind="referral", agency="HOU", subject="adult", suggested_code="106")
    assert refused(grave, "ddm", slavery, "record", offences=["4/6"]).rule == "record-downgrade"


def test_the_fcr_makes_a_code_added_to_the_store_a_serious_class(store):
    admin.add_offence(store, USERS["fcr"], "4/99", "A new homicide", "Violence Against the Person", "Homicide", 6000)
    admin.set_setting(store, USERS["fcr"], "serious_codes", '["1", "2", "4/1", "4/99"]')
    assert "4/99" in store.settings()["serious_codes"]
    cli = invoke(["--db", str(store.path), "--as", "fiona", "reference", "restrict", "19c", "--off"])
    assert cli.exit_code == 0, cli.output
    assert store.conn.execute("SELECT restricted FROM offences WHERE code = '19C'").fetchone()[0] == 0
