"""Snapshots of the key screens at a fixed size, on a store with a frozen clock."""

import helpers
import pytest
from helpers import USERS, raise_request, settle

from registrar.base.clock import parse
from screens.app import make_app

pytestmark = pytest.mark.own_clock

# A snapshot is a picture of one moment, so these pin the tests' clock wherever REGISTRAR_TEST_NOW moved it.
SNAPSHOT_MOMENT = parse("2026-11-23T09:00:00Z")


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch):
    """Every snapshot is taken at SNAPSHOT_MOMENT."""
    monkeypatch.setattr(helpers, "NOW", SNAPSHOT_MOMENT)


@pytest.fixture
def busy_store(store):
    """The test store with work in every queue."""
    raise_request(
        store,
        kind="cancellation",
        crime_reference="CR-2026-000001",
        cancellation_code="C2",
        avi_description="CCTV from the shop shows the item was paid for",
        summary="Customer paid",
    )
    raise_request(
        store,
        kind="cancellation",
        crime_reference="CR-2026-000002",
        cancellation_code="C2",
        avi_description="Phone records show no contact",
        summary="Restricted: rape report",
    )
    raise_request(
        store,
        kind="reclassification",
        crime_reference="CR-2026-000003",
        proposed_code="5D",
        summary="Injury more serious",
    )
    raise_request(store, kind="transfer_out", crime_reference="CR-2026-000004", other_force="DER", summary="In Derby")
    raise_request(
        store,
        kind="referral",
        agency="CSC",
        subject="child",
        suggested_code="8N",
        received_at="2026-11-22T07:00:00Z",
        summary="School reports bruising",
    )
    return store


def test_dashboard(snap_compare, busy_store):
    assert snap_compare(make_app(busy_store, USERS["fcr"]), terminal_size=(100, 30), run_before=settle)


def test_cancellation_queue(snap_compare, busy_store):
    async def open_queue(pilot):
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)

    assert snap_compare(make_app(busy_store, USERS["ddm"]), terminal_size=(100, 30), run_before=open_queue)


def test_decision_dialog_at_80x24(snap_compare, busy_store):
    async def open_dialog(pilot):
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)

    assert snap_compare(make_app(busy_store, USERS["ddm"]), terminal_size=(80, 24), run_before=open_dialog)


def test_referral_queue_at_80x24(snap_compare, busy_store):
    async def open_queue(pilot):
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)

    assert snap_compare(make_app(busy_store, USERS["ddm"]), terminal_size=(80, 24), run_before=open_queue)


def test_request_at_80x24(snap_compare, busy_store):
    async def open_request(pilot):
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(busy_store, USERS["ddm"]), terminal_size=(80, 24), run_before=open_request)


def test_audit_disagree_dialog_at_80x24(snap_compare, busy_store):
    from helpers import NO_CRIME, act

    from registrar.oversight.audit import SampleRates, draw_sample

    act(busy_store, "ddm", 1, "approve", **NO_CRIME)
    draw_sample(busy_store, USERS["fcr"], "2026-11-01T00:00:00Z", "2026-11-24T00:00:00Z", 1, SampleRates(1.0))

    async def open_dialog(pilot):
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(make_app(busy_store, USERS["fcr"]), terminal_size=(80, 24), run_before=open_dialog)
