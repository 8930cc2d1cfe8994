"""What is saved is exactly what the decider read and wrote: typed words are never rewritten, the requester's
evidence is never overwritten, and a withdrawal warning is shown whole and needs a deliberate yes."""

import json

from helpers import (
    NO_CRIME,
    USERS,
    act,
    avi_cancellation,
    cancellation,
    open_dialog,
    paste,
    raise_request,
    request,
    settle,
    snapshot,
)

from screens.app import make_app
from screens.decision import DecisionDialog
from screens.detail import DetailScreen
from screens.goto import Confirm

TYPED = "Medical notes show a fixated course of conduct over weeks"


async def test_a_typed_rationale_is_never_rewritten_when_the_code_changes(store):
    rid = raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="8Q")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, "2", "a")
        area = app.screen.query_one("#rationale")
        await pilot.press("f3")
        await paste(pilot, TYPED)  # over the template's [reason] prompt
        typed = area.text
        assert TYPED in typed and "to 8Q" in typed
        await pilot.press("shift+tab", "backspace", "L", "backspace", "Q")  # the sequence that once garbled it
        await settle(pilot)
        assert area.text == typed, "the program never edits words the user wrote"
        await pilot.press("backspace", *"8L")
        await settle(pilot)
        assert area.text == typed
        note = str(app.screen.query_one("#stale").render())
        assert "names 8Q" in note and "now says 8L" in note and "kept as you wrote them" in note
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, Confirm), "a rationale naming what the field no longer holds is weighed first"
        assert "your rationale names 8Q; the field now says 8L" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await settle(pilot)
        assert request(store, rid)["state"] == "pending", "n goes back to change it, saving nothing"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    entry = store.conn.execute("SELECT code, rationale FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    assert (entry["code"], entry["rationale"]) == ("8L", typed.strip())
    assert request(store, rid)["state"] == "approved"


async def test_an_untouched_template_follows_the_code_without_garbling_it(store):
    raise_request(store, kind="reclassification", crime_reference="CR-2026-000003", proposed_code="8Q")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "2", "a")
        area = app.screen.query_one("#rationale")
        before = area.text
        await pilot.press("shift+tab", "backspace", *"8L")  # the field's text is selected on entry: 8L replaces it
        await settle(pilot)
        assert area.text == before.replace("to 8Q", "to 8L")
        await pilot.press("backspace", "Q")  # 8L to 8 to 8Q: the template is rebuilt, never patched in place
        await settle(pilot)
        assert area.text == before and "8QL" not in area.text and "to 8 " not in area.text


async def test_the_requesters_evidence_is_kept_apart_from_what_the_decider_adds(store):
    rid = cancellation(store, avi_description="CCTV from the shop shows the item was paid for")
    raised = request(store, rid)["avi_description"]
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "1", "a")
        field = app.screen.query_one("#field-avi_description")
        assert field.value == "" and raised in str(field.placeholder)
        await pilot.click("#field-avi_description")
        await paste(pilot, "Till roll and CCTV, both seen by PC Khan")
        await pilot.press("escape")
        await settle(pilot)
    assert request(store, rid)["avi_description"] == raised


async def test_the_ledger_and_show_say_who_wrote_which_evidence(store):
    rid = cancellation(store, avi_description="CCTV from the shop shows the item was paid for")
    act(store, "ddm", rid, "approve", **NO_CRIME, avi_description="Till roll and CCTV, both seen by PC Khan")
    assert request(store, rid)["avi_description"] == "CCTV from the shop shows the item was paid for"
    details = json.loads(
        store.conn.execute("SELECT details FROM ledger WHERE action = 'approve' AND request_id = ?", (rid,)).fetchone()[
            0
        ]
    )
    assert details["decider_evidence"] == {"avi_description": "Till roll and CCTV, both seen by PC Khan"}
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DetailScreen(rid))
        await settle(pilot)
        text = str(app.screen.query_one("#request").render())
        assert "CCTV from the shop shows the item was paid for" in text
        assert "(dan's)" in text and "Till roll and CCTV, both seen by PC Khan" in text


async def test_a_withdrawal_warning_is_shown_whole_reads_the_rationale_and_needs_a_deliberate_yes(store):
    rid = cancellation(store, avi_description="CCTV from the shop shows the item was paid for")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, "1", "a")
        dialog = app.screen
        await pilot.press("f3")
        await paste(pilot, "the CCTV shows payment and the victim withdraws her complaint")
        await settle(pilot)
        shown = str(dialog.query_one("#warning").render())
        assert "the rationale mentions the victim withdrawing" in shown and "Saving asks you to confirm" in shown
        assert dialog.query_one("#warning").size.height >= 3, "the warning wraps whole, it is not cut to a row"
        before = snapshot(store)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, Confirm) and "Warning:" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is dialog and snapshot(store) == before
        await pilot.press("shift+tab", "enter", "down", "enter")  # AVI: what it shows, no-crime
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, (Confirm, DecisionDialog))
    assert request(store, rid)["state"] == "approved"
    details = json.loads(store.conn.execute("SELECT details FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()[0])
    assert "the rationale mentions the victim withdrawing" in details["warning"]


async def test_the_first_f3_fills_the_first_prompt_of_a_template_with_several(store):
    raise_request(store, kind="referral", agency="CSC", subject="child")
    app = make_app(store, USERS["fcm"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, "5", "r")
        await pilot.press("f3")
        await paste(pilot, "sexual touching")
        await pilot.press("f3")
        await paste(pilot, "an 11-year-old girl")
        text = app.screen.query_one("#rationale").text
    assert text == "The referral discloses sexual touching against an 11-year-old girl: recorded as [code].", text


async def test_a_changed_kind_of_avi_follows_an_untouched_template_and_is_weighed_in_a_typed_one(store):
    from textual.widgets import Select

    avi_cancellation(store, avi_type="forensic", avi_source="Medical report")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "1", "a")
        area, kind = app.screen.query_one("#rationale"), app.screen.query_one("#field-avi_type", Select)
        assert "Forensic result" in area.text
        kind.value = "document"
        await settle(pilot)
        assert "Document or record" in area.text and "Forensic result" not in area.text, "untouched: it follows"
        await pilot.press("f3")
        await paste(pilot, "nothing was taken")
        kind.value = "recording"
        await settle(pilot)
        assert "Document or record" in area.text, "typed in: the user's text stands"
        assert "names Document or record" in str(app.screen.query_one("#stale").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
