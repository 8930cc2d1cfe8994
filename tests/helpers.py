"""Test helpers: users of every role, test crimes, and shortcuts for raising and deciding."""

import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner, Result

from registrar.access.identity import Actor
from registrar.base.clock import FORCE_TIMEZONE, Clock, fixed_clock, parse, stamp
from registrar.cli.main import cli
from registrar.cli.support import Given
from registrar.decisions.decide import Decision, decide
from registrar.intake import imports

# The tests' one clock, frozen; REGISTRAR_TEST_NOW moves it (CI reruns the suite on other days). Test data written
# as dates lies before this default, so a moved NOW goes forward from it.
NOW = parse(os.environ.get("REGISTRAR_TEST_NOW", "2026-11-23T09:00:00Z"))
ROOT = Path(__file__).parent.parent  # the checkout: README, bench/, the sources
WORKERS = Path(__file__).with_name("workers.py")


def at(days: float = 0, hours: float = 0) -> str:
    """A moment relative to NOW as store text (negative: before it)."""
    return stamp(NOW + timedelta(days=days, hours=hours))


def local_day(days: int = 0) -> str:
    """The force's calendar date (YYYY-MM-DD, UK local) `days` after NOW's."""
    return (NOW.astimezone(ZoneInfo(FORCE_TIMEZONE)).date() + timedelta(days=days)).isoformat()


def around_now(days_before: float = 30, days_after: float = 1) -> tuple[str, str]:
    """A reporting period that holds NOW, as store text."""
    return at(-days_before), at(days_after)


def next_reference(store, offset: int = 0) -> str:
    """The reference the store gives the next crime it records at NOW (then `offset` further on)."""
    prefix = f"CR-{NOW.year}-"
    numbers = [
        int(reference[len(prefix) :])
        for (reference,) in store.conn.execute("SELECT reference FROM crimes WHERE reference LIKE ?", (prefix + "%",))
        if reference[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1 + offset:06d}"


RATIONALE = "Reviewed the evidence on file; the decision follows the rules."
# The decider's explicit answer that approves a C2/C5 cancellation: the AVI shows no crime happened.
NO_CRIME = {"avi_shows": "no-crime"}

USERS = {
    "fcr": Actor("fiona", "fcr", "Fiona FCR"),
    "dfcr": Actor("derek", "dfcr", "Derek Deputy"),
    "fcm": Actor("carol", "fcm", "Carol Crime Manager"),
    "ddm": Actor("dan", "ddm", "Dan DDM"),
    "ddm2": Actor("dora", "ddm", "Dora DDM"),
    "auditor": Actor("audrey", "auditor", "Audrey Auditor"),
    "requester": Actor("pc1", "requester", "PC One"),
    "viewer": Actor("vic", "viewer", "Vic Viewer"),
}

# The model force's local policing areas, as the demo has them.
AREAS = (
    "Moorlands",
    "Stafford",
    "Stoke North",
    "Stoke South",
    "East Staffs",
    "Cannock",
    "South Staffs",
    "Lichfield",
    "Tamworth",
    "Newcastle",
)

CRIMES = [
    # reference, code, area, oic, flags
    ("CR-2026-000001", "46", "Stafford", "pc2", {}),
    ("CR-2026-000002", "19C", "Cannock", "pc2", {"domestic_abuse": 1}),
    ("CR-2026-000003", "8N", "Cannock", "pc3", {}),
    ("CR-2026-000004", "8N", "Tamworth", "dan", {}),
    ("CR-2026-000005", "105A", "Lichfield", "pc3", {}),
    ("CR-2026-000006", "58A", "Stafford", "pc3", {"hate_crime": 1}),
]


def crimes_csv(rows=CRIMES) -> bytes:
    """The test crimes as an import CSV."""
    lines = ["reference,offence_code,recorded_at,area,oic,domestic_abuse,hate_crime,summary"]
    for reference, code, area, oic, flags in rows:
        lines.append(
            f"{reference},{code},{at(-22)},{area},{oic},{flags.get('domestic_abuse', 0)},"
            f"{flags.get('hate_crime', 0)},Summary of {reference}"
        )
    return ("\n".join(lines) + "\n").encode()


def raise_request(store, by: str = "requester", **values) -> int:
    """Raise one request through intake as one of the test users; return its id (AVI gets a source and date)."""
    if values.get("avi_description"):
        values.setdefault("avi_type", "recording")
        values.setdefault("avi_source", "CCTV from the premises")
        values.setdefault("avi_obtained_at", local_day(-3))
    line = json.dumps(values).encode() + b"\n"
    imports.import_requests(store, USERS[by], line, "test")
    return store.conn.execute("SELECT max(id) FROM requests").fetchone()[0]


def act(store, who: str, request_id: int, action: str, rationale: str = RATIONALE, **fields):
    """Decide as one of the test users."""
    return decide(store, USERS[who], Decision(request_id, action, rationale, fields))


def snapshot(store) -> str:
    """Every row of the store as SQL text, to prove a refusal changed nothing."""
    return "\n".join(store.conn.iterdump())


def crime(store, reference: str) -> dict:
    """One crime row."""
    return dict(store.conn.execute("SELECT * FROM crimes WHERE reference = ?", (reference,)).fetchone())


def request(store, request_id: int) -> dict:
    """One request row."""
    return dict(store.conn.execute("SELECT * FROM requests WHERE id = ?", (request_id,)).fetchone())


async def settle(pilot) -> None:
    """Let the workbench's workers finish and their messages land (no sleeping)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def many_cancellations(store, count: int, prefix: str) -> list[int]:
    """Import `count` crimes and a C4 cancellation request for each; return the request ids."""
    crimes = "reference,offence_code,recorded_at\n" + "".join(
        f"{prefix}-{i},46,{local_day(-22)}\n" for i in range(count)
    )
    imports.import_crimes(store, USERS["fcr"], crimes.encode(), f"{prefix}.csv")
    requests = "kind,crime_reference,cancellation_code,error_description\n" + "".join(
        f"cancellation,{prefix}-{i},C4,typed twice\n" for i in range(count)
    )
    imports.import_requests(store, USERS["requester"], requests.encode(), f"{prefix}.csv")
    return [
        row[0]
        for row in store.conn.execute(
            "SELECT r.id FROM requests r JOIN crimes c ON c.id = r.crime_id WHERE c.reference LIKE ? ORDER BY r.id",
            (f"{prefix}-%",),
        )
    ]


AVI = "CCTV from the shop shows the item was paid for"


def cancellation(store, reference="CR-2026-000001", code="C2", by="requester", **extra) -> int:
    """Raise a cancellation request, with only the evidence given."""
    return raise_request(store, by=by, kind="cancellation", crime_reference=reference, cancellation_code=code, **extra)


def avi_cancellation(store, reference="CR-2026-000001", code="C2", **extra) -> int:
    """Raise a cancellation request carrying its additional verifiable information."""
    extra.setdefault("avi_description", AVI)
    return cancellation(store, reference, code, **extra)


def refused(store, who, request_id, action, rationale=RATIONALE, **fields):
    """Decide, expect a refusal, and prove the store did not change; return the refusal."""
    import pytest

    from registrar.base.errors import RuleRefused

    before = snapshot(store)
    with pytest.raises(RuleRefused) as caught:
        act(store, who, request_id, action, rationale, **fields)
    assert snapshot(store) == before
    return caught.value


def last_entry(store) -> dict:
    """The newest ledger entry."""
    return dict(store.conn.execute("SELECT * FROM ledger ORDER BY seq DESC LIMIT 1").fetchone())


KEYED_RATIONALE = "Evidence checked against the crime report and the officer's notes today."


async def paste(pilot, text: str) -> None:
    """Paste text into the focused widget, as a terminal delivers a paste (a key per character is slow to drive)."""
    from textual import events

    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def type_rationale(pilot, text: str = KEYED_RATIONALE) -> None:
    """Go to the rationale (F3), select all of it (F7) and paste the text over it, as a user would."""
    await pilot.press("f3", "f7")
    await paste(pilot, text)


async def answer_no_crime(pilot) -> None:
    """From the rationale, go back to "AVI: what it shows" (shift+tab) and answer that it shows no crime happened."""
    await pilot.press("shift+tab", "enter", "down", "enter")
    await settle(pilot)


async def open_first(pilot, queue_key: str) -> None:
    """From the dashboard, open a queue by its number and its first item."""
    await settle(pilot)
    await pilot.press(queue_key)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def open_dialog(pilot, queue_key: str, action_key: str) -> None:
    """Open a queue's first item and the dialog of one of its actions."""
    await open_first(pilot, queue_key)
    await pilot.press(action_key)
    await settle(pilot)


async def decide_by_keys(
    pilot,
    queue_key: str | None,
    action_key: str,
    *typed: str,
    rationale: str = KEYED_RATIONALE,
    avi_answer: bool = False,
) -> None:
    """Open a queue's first item (unless queue_key is None), press the action's key, type into the dialog's fields
    (each string is typed then tab), replace the rationale, answer the AVI question if asked and submit with ctrl+s."""
    if queue_key is not None:
        await open_first(pilot, queue_key)
    await pilot.press(action_key)
    await settle(pilot)
    for text in typed:
        await pilot.press(*text, "tab")
    await type_rationale(pilot, rationale)
    if avi_answer:
        await answer_no_crime(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)


def start_deciders(store, ids: list[int], prefix: str, count: int = 8) -> list:
    """Add `count` ddm users and start one deciding process each (tests/workers.py) over the same requests."""
    import subprocess
    import sys

    from registrar.administration import admin

    processes = []
    for n in range(count):
        admin.add_user(store, USERS["fcr"], f"{prefix}{n}", "ddm", f"{prefix.title()} {n}")
        processes.append(
            subprocess.Popen(
                [sys.executable, str(WORKERS), str(store.path), f"{prefix}{n}", str(n), ",".join(map(str, ids))],
                stdout=subprocess.PIPE,
                text=True,
            )
        )
    return processes


def invoke(args: list[str], clock: Clock | None = None, **kwargs) -> Result:
    """Run the command line in-process on the tests' clock (frozen at NOW unless another is given)."""
    return CliRunner().invoke(cli, args, obj=Given(clock=clock or fixed_clock(NOW)), **kwargs)


def run_on(db, *args: str, as_user: str | None = "fiona", input=None) -> Result:
    """The command line against a store path, as the FCR unless another user (or None, no --as) is given."""
    prefix = ["--db", str(db)] + (["--as", as_user] if as_user else [])
    return invoke([*prefix, *args], input=input)


def file_digest(path: Path) -> str:
    """A file's bytes, hashed (to prove a refusal left it byte for byte)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def committed_dump(path: Path) -> str:
    """Every committed row and schema object of a store, as SQL text, read by a plain connection (after checking it
    is sound)."""
    import sqlite3

    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return "\n".join(raw.iterdump())
    finally:
        raw.close()
