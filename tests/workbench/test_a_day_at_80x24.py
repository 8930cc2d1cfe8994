"""A day's work at 80x24 without friction: the offence title gets the room, a C3 shows both crimes side by side,
work reached by `:` goes on in its own queue, 1-5 switch queues anywhere, and what saving does is said plainly."""

import html
import re

from helpers import (
    USERS,
    avi_cancellation,
    cancellation,
    decide_by_keys,
    open_first,
    paste,
    raise_request,
    request,
    settle,
    type_rationale,
)

from registrar.decisions.preview import preview
from screens.app import make_app
from screens.decision import DecisionDialog
from screens.detail import DetailScreen
from screens.queue import QueueScreen


def screen_text(app) -> str:
    """The text the terminal shows, read from the workbench's own screenshot."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_queue_columns_fit_their_content_and_give_the_offence_title_the_room(store):
    avi_cancellation(store, reference="CR-2026-000005")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        table = app.screen.query_one("#rows")
        widths = {column.key.value: column.width for column in table.columns.values()}
        assert widths["left"] <= 9, widths
        assert widths["offence"] >= 30, widths
        assert "105A Assault without injury" in screen_text(app)


async def test_a_c3_request_shows_both_crimes_side_by_side(store):
    cancellation(store, reference="CR-2026-000004", code="C3", surviving_reference="CR-2026-000003")
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot, "1")
        text = str(app.screen.query_one("#crime").render())
        assert "The crime to cancel beside the surviving crime" in text
        area = next(line for line in text.splitlines() if line.strip().startswith("Area"))
        assert "Tamworth" in area and "Cannock" in area, area  # this crime's area, then the surviving crime's
        oic = next(line for line in text.splitlines() if line.strip().startswith("OIC"))
        assert "dan" in oic and "pc3" in oic
        summary = next(line for line in text.splitlines() if line.strip().startswith("Summary"))
        assert "CR-2026-000004" in summary and "CR-2026-000003" in summary


async def test_a_request_reached_by_go_to_is_followed_by_the_next_of_its_queue(store):
    first = avi_cancellation(store, reference="CR-2026-000001")
    second = avi_cancellation(store, reference="CR-2026-000005")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("colon", *str(first), "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.queue is None
        await decide_by_keys(pilot, None, "a", avi_answer=True)
        await settle(pilot)
        assert request(store, first)["state"] == "approved"
        assert isinstance(app.screen, DetailScreen) and app.screen.request_id == second
        saved = str(app.screen.query_one("#saved").render())
        assert f"Saved: approve cancellation on request {first}" in saved
        assert not any("last item" in str(n.message) for n in app._notifications)


async def test_one_to_five_switch_queues_from_inside_a_queue_and_a_request(store):
    avi_cancellation(store)
    raise_request(store, kind="referral", agency="HOU", subject="adult")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot, "1")
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen) and app.screen.queue_filter.kind == "referral"
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen) and app.screen.queue_filter.kind == "reclassification"
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("enter", "a")
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)
        await pilot.press("shift+tab", "3")  # a digit in a dialog's field is text, never a queue
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)


def test_what_saving_will_do_names_titles_and_direction_and_claims_nothing_untrue(store):
    offences = {row["code"]: dict(row) for row in store.conn.execute("SELECT * FROM offences")}
    reclass = {
        "kind": "reclassification",
        "crime_reference": "CR-1",
        "crime_offence_code": "105A",
        "proposed_code": "105B",
    }
    line = preview(reclass, "approve", {}, offences)
    assert "from 105A Assault without injury to 105B Racially or religiously aggravated assault" in line
    assert "(up, weight 13 to 25)" in line
    c3 = {"kind": "cancellation", "crime_reference": "CR-1", "cancellation_code": "C3"}
    assert "victim" not in preview(c3, "approve", {}) and "victim" not in preview(
        {**c3, "cancellation_code": "C4"}, "approve", {}
    )
    assert "victim must then be told" in preview({**c3, "cancellation_code": "C2"}, "approve", {})
    assert preview(c3, "reject", {}) == "Saving moves the request on; no crime changes."


async def test_the_header_names_the_user_once_and_help_says_how_to_close(store):
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_text(app).count("Fiona FCR") == 1
        await pilot.press("f1")
        await settle(pilot)
        assert "esc, q or F1 closes this help" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "closes this help" not in screen_text(app)


async def test_a_refusal_goes_once_the_fields_change(store):
    rid = cancellation(store, code="C4")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot, "1")
        await pilot.press("a")
        await settle(pilot)
        await type_rationale(pilot, "The control room typed this crime in twice by mistake.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        refusal = app.screen.query_one("#refusal")
        assert "error" in str(refusal.render()).lower() and refusal.display
        await pilot.click("#field-error_description")
        await paste(pilot, "Entered twice by the control room")
        await settle(pilot)
        assert not refusal.display, "a refusal once fixed does not stay on the dialog"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert request(store, rid)["state"] == "approved"


async def test_a_reason_that_refuses_several_actions_is_said_once(store):
    raise_request(store, kind="referral", agency="CSC", subject="child", suggested_code="19C")
    app = make_app(store, USERS["ddm"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot, "5")
        rules = str(app.screen.query_one("#rules").render())
    refused = [line for line in rules.splitlines() if "✗" in line]
    reasons = [line.split(": ", 1)[1] for line in refused if ": " in line]
    assert len(reasons) == len(set(reasons)), rules
    assert "Record crimes; Crime-related incident; No notifiable crime; Already recorded: 19C is a restricted" in rules
    assert "f  Refer up" in rules and len(rules.splitlines()) <= 6, rules
