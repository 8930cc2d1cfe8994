"""The workbench driven by real keys through Pilot, asserting on the store and the ledger afterwards."""

import pytest
from helpers import KEYED_RATIONALE as RATIONALE
from helpers import (
    NO_CRIME,
    USERS,
    act,
    answer_no_crime,
    around_now,
    at,
    decide_by_keys,
    last_entry,
    open_dialog,
    open_first,
    paste,
    raise_request,
    request,
    settle,
    snapshot,
    type_rationale,
)
from helpers import avi_cancellation as cancellation
from textual import events

from registrar.storage import ledger
from screens.app import make_app
from screens.decision import DecisionDialog
from screens.detail import DetailScreen
from screens.goto import GoToDialog
from screens.ledger import LedgerScreen
from screens.queue import QueueScreen


async def test_approve_a_cancellation_by_keys_then_the_next_item_opens(store):
    first = cancellation(store)
    second = cancellation(store, reference="CR-2026-000005")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(pilot, "1")
        assert isinstance(app.screen, DetailScreen) and app.screen.request_id == first
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)
        await type_rationale(pilot)
        await answer_no_crime(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.request_id == second
    assert request(store, first)["state"] == "approved"
    assert (
        store.conn.execute("SELECT state FROM crimes WHERE reference = 'CR-2026-000001'").fetchone()[0] == "cancelled"
    )
    entry = last_entry(store)
    assert (entry["actor"], entry["action"], entry["rationale"]) == ("dan", "approve", RATIONALE)
    ledger.verify(store.conn)


async def test_reclassification_transfer_and_referral_decided_by_keys(store):
    reclass = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="105A")
    out = raise_request(store, kind="transfer_out", crime_reference="CR-2026-000005", other_force="DER")
    inbound = raise_request(store, kind="transfer_in", other_force="WMP", other_reference="WMP/1", offence_code="48")
    referral = raise_request(store, kind="referral", agency="CSC", subject="child")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        for key, action in (("2", "a"), ("3", "s"), ("4", "a")):
            await open_first(pilot, key)
            await decide_by_keys(pilot, None, action)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        await open_dialog(pilot, "5", "r")
        await pilot.press("shift+tab", "shift+tab", *"8N, 11A")
        await type_rationale(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert (
        store.conn.execute("SELECT offence_code FROM crimes WHERE reference = 'CR-2026-000003'").fetchone()[0] == "105A"
    )
    assert request(store, reclass)["state"] == "approved"
    assert request(store, out)["state"] == "sent"
    assert request(store, inbound)["state"] == "accepted" and request(store, inbound)["crime_id"] is not None
    assert request(store, referral)["state"] == "recorded"
    linked = store.conn.execute(
        "SELECT c.offence_code FROM request_crimes l JOIN crimes c ON c.id = l.crime_id "
        "WHERE l.request_id = ? ORDER BY 1",
        (referral,),
    ).fetchall()
    assert [row[0] for row in linked] == ["11A", "8N"]
    ledger.verify(store.conn)


async def test_transfer_accepted_with_their_reference_typed(store):
    rid = raise_request(store, kind="transfer_out", crime_reference="CR-2026-000005", other_force="DER")
    act(store, "ddm2", rid, "send")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "3", "a")
        assert app.focused is app.screen.query_one("#field-other_reference"), "their reference is asked first"
        await pilot.press(*"DER/26/777")
        rationale = app.screen.query_one("#rationale").text
        assert "under their reference DER/26/777 on [date]" in rationale, "typed once: the rationale has it too"
        await pilot.press("f3", *"2026-11-20")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert request(store, rid)["state"] == "accepted"
    entry = store.conn.execute("SELECT rationale FROM ledger WHERE action = 'accepted'").fetchone()
    assert "their reference DER/26/777 on 2026-11-20" in entry[0]
    row = store.conn.execute(
        "SELECT state, cancellation_code, transferred_reference FROM crimes WHERE reference = 'CR-2026-000005'"
    ).fetchone()
    assert tuple(row) == ("cancelled", "C1", "DER/26/777")


async def _accepted_dialog(store, pilot):
    """Open the accepted-transfer dialog on a sent transfer, its reference field in front."""
    rid = raise_request(store, kind="transfer_out", crime_reference="CR-2026-000005", other_force="DER")
    act(store, "ddm2", rid, "send")
    await open_first(pilot, "3")
    await pilot.press("a")
    await settle(pilot)
    return rid


async def test_their_reference_follows_the_field_after_the_rationale_was_typed_in(store):
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(80, 24)) as pilot:
        rid = await _accepted_dialog(store, pilot)
        rationale = app.screen.query_one("#rationale")
        await pilot.press("f3", "f3")
        await paste(pilot, "5 Dec 2026")
        await pilot.press("shift+tab", *"XY-99")
        assert "under their reference XY-99 on 5 Dec 2026." in rationale.text, rationale.text
        await pilot.press(*["backspace"] * 5, *"[reference]1", *"23")
        assert rationale.text.count("[reference]123") == 1 and "XY" not in rationale.text, rationale.text
        await pilot.press(*["backspace"] * 14)
        assert "under their reference [reference] on 5 Dec 2026." in rationale.text, "emptied: the prompt is back"
        await pilot.press(*"DER/1/2")
        await type_rationale(pilot, "Derby accepted it as DER/1/2 by email on 5 Dec 2026.")
        await pilot.press("shift+tab", "end", "backspace", *"3")
        stale = str(app.screen.query_one("#stale").render())
        assert "your rationale names DER/1/2; the field now says DER/1/3" in stale, stale
        assert rationale.text == "Derby accepted it as DER/1/2 by email on 5 Dec 2026.", "the user's words stand"
        await pilot.press("end", "backspace", *"2", "ctrl+s")
        await settle(pilot)
    entry = store.conn.execute("SELECT rationale, details FROM ledger WHERE action = 'accepted'").fetchone()
    assert entry[0] == "Derby accepted it as DER/1/2 by email on 5 Dec 2026." and '"DER/1/2"' in entry[1]
    assert request(store, rid)["state"] == "accepted"


async def test_refusal_is_explained_in_place_and_writes_nothing(store):
    rid = cancellation(store, avi_description="")
    before = snapshot(store)
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await decide_by_keys(pilot, "1", "a")
        assert isinstance(app.screen, DecisionDialog)
        shown = str(app.screen.query_one("#refusal").render())
        assert "avi-required" in shown and "Nothing was saved" in shown
    assert snapshot(store) == before
    assert request(store, rid)["state"] == "pending"


async def test_untouched_template_is_refused(store):
    rid = cancellation(store)
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "1", "x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "rationale-template" in str(app.screen.query_one("#refusal").render())
    assert request(store, rid)["state"] == "pending"


async def test_conflict_names_who_decided_first_and_refreshes(store):
    rid = cancellation(store)
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "1", "a")
        act(store, "ddm2", rid, "reject", "Another decision maker rejected it first, with reasons.")
        await type_rationale(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        messages = [n.message for n in app._notifications]
        assert any("dora" in m and "reject" in m for m in messages), messages
        assert app.screen.detail["state"] == "rejected"
    assert request(store, rid)["state"] == "rejected"
    actions = [
        row[0]
        for row in store.conn.execute("SELECT actor FROM ledger WHERE request_id = ? AND action != 'raise'", (rid,))
    ]
    assert actions == ["dora"]


async def test_restricted_item_as_ddm_offers_refer_not_approve(store):
    rid = cancellation(store, reference="CR-2026-000002")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(pilot, "1")
        rules = str(app.screen.query_one("#rules").render())
        assert "restricted offence" in rules and "refer" in rules
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)
        await type_rationale(pilot, "Restricted offence: referring to the FCR for her decision.")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert request(store, rid)["state"] == "referred"
    assert store.conn.execute("SELECT state FROM crimes WHERE reference = 'CR-2026-000002'").fetchone()[0] == "recorded"


async def test_queue_refreshes_when_another_user_adds_work_keeping_the_cursor(store):
    first = raise_request(store, kind="referral", agency="CSC", received_at=at(hours=-1))
    second = raise_request(store, kind="referral", agency="EDU", received_at=at(hours=-0.5))
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("down")
        assert app.screen.current_id() == second
        earlier = raise_request(store, kind="referral", agency="HEA", received_at=at(hours=-2))
        app.check_for_changes()
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert [row["id"] for row in app.screen.rows] == [earlier, first, second]
        assert app.screen.current_id() == second


async def test_queue_filters_by_text_and_restricted(store):
    cancellation(store)
    restricted = cancellation(store, reference="CR-2026-000002")
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert len(app.screen.rows) == 2
        await pilot.press("r")
        await settle(pilot)
        assert [row["id"] for row in app.screen.rows] == [restricted]
        await pilot.press("r", "slash", *"000001", "enter")
        await settle(pilot)
        assert [row["crime_reference"] for row in app.screen.rows] == ["CR-2026-000001"]


async def test_victim_informed_from_the_follow_up_list(store):
    rid = cancellation(store)
    act(store, "ddm2", rid, "approve", **NO_CRIME)
    app = make_app(store, USERS["requester"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        figures = [f.key for f in app.screen.figures]
        await pilot.press(*["down"] * figures.index("victims"), "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("shift+tab", "enter", "down", "enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    row = store.conn.execute("SELECT method, done_by FROM follow_ups WHERE request_id = ?", (rid,)).fetchone()
    assert tuple(row) == ("phone", "pc1")


async def test_ledger_screen_searches_and_verifies(store):
    rid = cancellation(store)
    act(store, "ddm2", rid, "approve", **NO_CRIME)
    app = make_app(store, USERS["auditor"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        await pilot.press("slash", *"action:approve", "enter")
        await settle(pilot)
        assert [e["request_id"] for e in app.screen.entries] == [rid]
        await pilot.press("v")
        await settle(pilot)
        assert "chain verified" in str(app.screen.query_one("#verify-status").render())


@pytest.mark.parametrize("width", [80, 100, 120, 160])
async def test_the_ledger_fits_its_columns_to_the_terminal_and_names_every_action_apart(store, width):
    from textual.widgets import DataTable

    for _ in range(15):  # more entries than the screen shows, so the table has its scrollbar
        raise_request(store, kind="referral", agency="CSC")
    rid = cancellation(store)
    act(store, "ddm2", rid, "approve", **NO_CRIME)
    app = make_app(store, USERS["auditor"])
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        table = app.screen.query_one("#entries", DataTable)
        assert table.show_vertical_scrollbar
        shown = {column.key.value: column.width for column in table.columns.values()}
        assert table.virtual_size.width <= table.scrollable_content_region.width, shown  # nothing cut at the edge
        assert shown["action"] >= len("recording-not-a-crime") and "crime_reference" in shown
        assert ("rationale" in shown) == (width >= 120) and ("request_id" in shown) == (width >= 160)
        assert ("code" in shown) == (width >= 100) and shown.get("code", 12) >= len("no-offence")
        if "rationale" in shown:
            assert shown["rationale"] >= 20 and sum(shown.values()) + 2 * len(shown) >= width - 4, "no room left over"
        panel = str(app.screen.query_one("#entry").render())
        assert f"request {rid}" in panel  # the panel names what a narrow table leaves out


async def test_command_palette_offers_only_valid_decisions(store):
    cancellation(store, reference="CR-2026-000002")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(pilot, "1")
        from screens.commands import WorkbenchCommands

        provider = WorkbenchCommands(app.screen)
        titles = [title for title, _, _ in provider._commands()]
        assert "decide: refer" in titles and "decide: approve" not in titles
        assert "queue: referrals" in titles


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_help_opens_for_the_screen_in_front(store, size):
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert app.screen.help_name == "queue"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_audit_queue_agree_then_disagree_with_reinstatement(store):
    from registrar.oversight.audit import SampleRates, draw_sample

    first = cancellation(store)
    second = cancellation(store, reference="CR-2026-000005")
    act(store, "ddm", first, "approve", **NO_CRIME)
    act(store, "ddm2", second, "approve", **NO_CRIME)
    draw_sample(store, USERS["fcr"], *around_now(), 1, SampleRates(1.0))
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        app.post_message(events.Paste("The CCTV did not cover the till: not AVI at all."))
        await pilot.pause()
        await pilot.press("tab", "space", "ctrl+s")
        await settle(pilot)
    verdicts = [
        tuple(r) for r in store.conn.execute("SELECT request_id, verdict, verdict_by FROM audit_items ORDER BY id")
    ]
    assert verdicts == [(first, "agree", "fiona"), (second, "disagree", "fiona")]
    assert request(store, second)["state"] == "reinstated"
    assert store.conn.execute("SELECT state FROM crimes WHERE reference = 'CR-2026-000005'").fetchone()[0] == "recorded"
    ledger.verify(store.conn)


async def test_audit_keys_are_not_offered_to_a_ddm(store):
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        from screens.dashboard import DashboardScreen

        assert isinstance(app.screen, DashboardScreen)


async def test_oversight_charts_load(store):
    rid = cancellation(store)
    act(store, "ddm", rid, "approve", **NO_CRIME)
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        text = str(app.screen.query_one("#report-text").render())
        assert "Cancellations by ground: C4 1" in text or "C2 1" in text


async def test_area_and_group_pickers_filter_the_queue(store):
    cancellation(store)
    cancellation(store, reference="CR-2026-000005")
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("a", *"lich", "enter")
        await settle(pilot)
        assert [row["area"] for row in app.screen.rows] == ["Lichfield"]
        await pilot.press("a", "enter")
        await settle(pilot)
        await pilot.press("g", *"theft", "enter")
        await settle(pilot)
        assert app.screen.queue_filter.offence_group == "Theft"
        assert [row["crime_reference"] for row in app.screen.rows] == ["CR-2026-000001"]


async def test_escape_in_a_code_list_keeps_the_dialog(store):
    raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="5D")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "2", "a")
        await pilot.press("shift+tab", "backspace", "backspace", "1", "0")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)


async def test_changing_the_code_keeps_the_template_in_step(store):
    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="5D")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "2", "a")
        assert "to 5D because" in app.screen.query_one("#rationale").text
        await pilot.press("shift+tab", "backspace", "backspace", *"105A")
        await settle(pilot)
        assert "to 105A because" in app.screen.query_one("#rationale").text
        await pilot.press("f3")
        await paste(pilot, "the CCTV shows no injury at all")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert request(store, rid)["proposed_code"] == "5D", "the code proposed stays as raised"
    assert store.conn.execute("SELECT offence_code FROM crimes WHERE reference = 'CR-2026-000003'").fetchone()[0] == (
        "105A"
    )
    entry = store.conn.execute("SELECT code, rationale FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    assert entry["code"] == "105A" and "8N to 105A because the CCTV" in entry["rationale"]


async def test_enter_in_the_audit_queue_opens_the_request(store):
    from registrar.oversight.audit import SampleRates, draw_sample

    rid = cancellation(store)
    act(store, "ddm", rid, "approve", **NO_CRIME)
    draw_sample(store, USERS["fcr"], *around_now(), 1, SampleRates(1.0))
    app = make_app(store, USERS["auditor"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.request_id == rid


async def test_a_registrar_deactivated_while_the_workbench_is_open_cannot_decide_and_is_closed_out(store):
    from registrar.administration import admin

    rid = cancellation(store)
    before_head = ledger.head(store.conn)
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "1", "a")
        await type_rationale(pilot)
        admin.change_user(store, USERS["fcr"], "dan", active=False)
        deactivated_head = ledger.head(store.conn)
        await pilot.press("ctrl+s")
        await settle(pilot)
        if app.return_code is None:  # the save came before the workbench's next look at the store: refused
            assert isinstance(app.screen, DecisionDialog)
            assert "deactivated" in str(app.screen.query_one("#refusal").render())
            app.check_for_changes()
            await pilot.pause()
        assert app.return_code == 1  # closed at once: a deactivated user reads nothing more, restricted or not
    assert request(store, rid)["state"] == "pending"
    assert deactivated_head.seq == before_head.seq + 1 and ledger.head(store.conn) == deactivated_head


async def test_a_manager_demoted_while_the_workbench_is_open_decides_with_the_current_role(store):
    from registrar.administration import admin

    rid = cancellation(store, reference="CR-2026-000002")
    app = make_app(store, USERS["fcm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(pilot, "1")
        assert app.screen.request_id == rid
        await pilot.press("a")
        await settle(pilot)
        await type_rationale(pilot)
        admin.change_user(store, USERS["fcr"], "carol", role="ddm")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "restricted-offence" in str(app.screen.query_one("#refusal").render())
        app.check_for_changes()
        assert app.actor.role == "ddm" and "(ddm)" in app.sub_title
    assert request(store, rid)["state"] == "pending"


async def test_a_toggle_reads_as_text_in_every_theme():
    from textual.app import App

    from screens.toggle import TextCheckbox

    class One(App):
        def compose(self):
            yield TextCheckbox("Reinstate the crime now", id="box")

    for theme in ("textual-dark", "ansi-dark"):
        app = One()
        async with app.run_test(size=(60, 5)) as pilot:
            app.theme = theme
            box = app.query_one("#box", TextCheckbox)
            box.focus()
            assert str(box.render()).startswith("[ ] Reinstate")
            await pilot.press("space")
            assert box.value and str(box.render()).startswith("[x] Reinstate")


def test_overdue_reads_as_overdue_never_as_a_negative_duration():
    from datetime import UTC, datetime

    from screens.formatting import time_left

    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert time_left("2026-11-24T04:03:00Z", now) == "7h 57m overdue"
    assert time_left("2026-11-26T15:00:00Z", now) == "2d 3h"
    assert "-" not in time_left("2026-11-20T12:00:00Z", now)


async def test_the_saved_toast_names_the_crimes_recorded(store):
    referral = raise_request(store, kind="referral", agency="HOU", subject="adult")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(pilot, "5")
        assert app.screen.request_id == referral
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("shift+tab", "shift+tab", *"8N, 105A")
        await type_rationale(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        recorded = [
            row[0]
            for row in store.conn.execute(
                "SELECT c.reference FROM request_crimes rc JOIN crimes c ON c.id = rc.crime_id WHERE rc.request_id = ? "
                "ORDER BY c.id",
                (referral,),
            )
        ]
        assert len(recorded) == 2
        messages = [str(n.message) for n in app._notifications]
        assert any(f"recorded {recorded[0]} and {recorded[1]}" in m for m in messages), messages


async def test_escape_keeps_typed_words_as_a_draft_that_comes_back(store):
    rid = cancellation(store)
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "1", "a")
        await type_rationale(pilot, "Half-written: the CCTV shows the item was paid for at")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("a")
        await settle(pilot)
        area = app.screen.query_one("#rationale")
        assert area.text == "Half-written: the CCTV shows the item was paid for at"
    assert request(store, rid)["state"] == "pending"


async def test_the_dialog_says_what_saving_will_do_before_it_is_saved(store):
    referral = raise_request(store, kind="referral", agency="HOU", subject="adult")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "5", "r")
        preview = app.screen.query_one("#preview")
        assert "records the crimes you list (none yet)" in str(preview.render())
        await pilot.press("shift+tab", "shift+tab", *"8N, 105A")
        await pilot.pause()
        assert "records 2 crimes: 8N, 105A" in str(preview.render())
    assert request(store, referral)["state"] == "pending"


async def test_go_to_a_closed_request_or_a_crime_reference_from_anywhere(store):
    closed = cancellation(store)
    act(store, "ddm", closed, "reject")
    app = make_app(store, USERS["viewer"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("colon", *str(closed), "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.request_id == closed
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("colon", *"CR-2026-000001", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.request_id == closed
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("colon", *"99999", "enter")
        await settle(pilot)
        assert any("no request 99999" in str(n.message) for n in app._notifications)
        await pilot.press("colon")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, GoToDialog), "esc closes the go-to box (it used to open again)"


async def test_q_goes_back_then_asks_before_quitting_and_j_k_move(store):
    cancellation(store)
    cancellation(store, reference="CR-2026-000005")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        table = app.screen.query_one("DataTable")
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0
        await pilot.press("q")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "DashboardScreen"
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.is_running and app.screen.__class__.__name__ == "DashboardScreen"
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code in (0, None)


async def test_a_viewer_sees_one_read_only_line_not_a_wall_of_refusals(store):
    cancellation(store)
    app = make_app(store, USERS["viewer"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(pilot, "1")
        shown = str(app.screen.query_one("#rules").render())
        assert "read-only: viewer" in shown and "may not" not in shown


async def test_keys_are_remapped_and_the_theme_is_kept_in_the_config_file(store, tmp_path):
    config = tmp_path / "config" / "registrar" / "workbench.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[keys]\ngo-to = "ctrl+o"\n')
    closed = cancellation(store)
    app = make_app(store, USERS["viewer"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o", *str(closed), "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.request_id == closed
        app.theme = "ansi-dark"
        await pilot.pause()
    assert 'theme = "ansi-dark"' in config.read_text() and 'go-to = "ctrl+o"' in config.read_text()
    again = make_app(store, USERS["viewer"])
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "ansi-dark"


async def test_through_a_front_door_each_registrar_keeps_a_theme_of_their_own(store, tmp_path):
    shared = tmp_path / "config" / "registrar" / "workbench.toml"
    shared.parent.mkdir(parents=True)
    shared.write_text('theme = "textual-light"\n[keys]\ngo-to = "ctrl+o"\n')
    dan = USERS["ddm"]._replace(door="ssh SHA256:dan")
    dora = USERS["ddm2"]._replace(door="ssh SHA256:dora")
    app = make_app(store, dan)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"  # the shared file, until dan has a file of his own
        app.theme = "ansi-dark"
        await pilot.pause()
    own = shared.parent / "users" / "dan.toml"
    assert 'theme = "ansi-dark"' in own.read_text() and 'go-to = "ctrl+o"' in own.read_text()
    assert shared.read_text() == 'theme = "textual-light"\n[keys]\ngo-to = "ctrl+o"\n'
    other = make_app(store, dora)
    async with other.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert other.theme == "textual-light"


async def test_enter_on_a_ledger_entry_opens_its_request(store):
    rid = cancellation(store)
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.request_id == rid


async def test_help_lists_the_keys_bound_now_including_remapped_ones(store, tmp_path):
    from textual.widgets import Markdown

    config = tmp_path / "config" / "registrar" / "workbench.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[keys]\nopen-ledger = "L"\n')
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        shown = app.screen.query_one(Markdown).source
        assert "Keys bound here now" in shown and "| L | Ledger |" in shown


async def test_a_c3_request_shows_the_surviving_crime_offence_and_summary(store):
    rid = cancellation(
        store, reference="CR-2026-000003", code="C3", surviving_reference="CR-2026-000005", avi_description=""
    )
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot, "1")
        assert app.screen.request_id == rid
        shown = " ".join(str(widget.render()) for widget in app.screen.query("Static"))
        assert "CR-2026-000005 105A Assault without injury (recorded): Summary of CR-2026-000005" in " ".join(
            shown.split()
        )


def test_times_are_shown_in_the_forces_local_time():
    from screens.formatting import when

    assert when("2026-07-01T22:30:00Z") == "2026-07-01 23:30"  # BST
    assert when("2026-11-24T09:15:00Z") == "2026-11-24 09:15"  # GMT
    assert when(None) == ""


def test_long_values_wrap_under_themselves_not_under_their_label():
    from screens.detail import LABEL_WIDTH, _section

    text = str(_section("Request", [("Summary", "word " * 40)], width=60))
    lines = text.splitlines()[1:]
    assert len(lines) > 1 and all(line.startswith(" " * LABEL_WIDTH) for line in lines[1:])
    assert all(len(line) <= 60 for line in lines)


async def test_keys_typed_ahead_of_a_screen_change_are_kept_in_order(store):
    from textual import events

    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key, character in [("l", "l"), ("slash", "/"), *[(c, c) for c in "actor:dan"], ("enter", "\r")]:
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        assert app.screen.query_one("#ledger-query").value == "actor:dan"
        assert app.screen.filters.get("actor") == "dan", "the search was applied, not typed into the table"
