"""What an inspector and an FCR read on the oversight screens, at 80x24 and 120x40, on a small demo force: the
palette finds the report, the export, verify and overdue work; the ledger shows rationale and whole codes with its
details labelled; the recording audit gives the summary the room; charts label every row; footers fit."""

import shutil
import stat
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

import pytest
from helpers import NOW, open_first, settle

from registrar.access.identity import Actor
from registrar.base.clock import FORCE_TIMEZONE, fixed_clock
from registrar.storage import ledger
from registrar.storage.store import Store
from screens.app import make_app
from screens.commands import WorkbenchCommands
from screens.detail import DetailScreen
from screens.interval_chart import IntervalChart

SIZES = [(80, 24), (120, 40)]
FIONA = Actor("fiona", "fcr", "Fiona Hale")


@pytest.fixture
def demo(small_demo_force, tmp_path):
    """A copy of the small demo force of this test's own, opened on the tests' clock."""
    copy = tmp_path / "demo.db"
    shutil.copy(small_demo_force, copy)
    store = Store.open(copy, fixed_clock(NOW))
    yield store
    store.close()


def screen_text(app) -> str:
    """The terminal's lines as the screen in front draws them (Textual 8.2's compositor, as the terminal gets it)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@asynccontextmanager
async def workbench(store, size=(80, 24), *keys: str, actor: Actor = FIONA):
    """The workbench running as the FCR at a size, with keys pressed and every worker settled."""
    app = make_app(store, actor)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        yield app, pilot


async def _hits(app, query: str) -> list:
    """What the palette offers for a query on the screen in front."""
    provider = WorkbenchCommands(app.screen)
    return [hit async for hit in provider.search(query)]


@pytest.mark.parametrize("size", SIZES)
async def test_the_palette_finds_report_export_verify_and_overdue(demo, size):
    async with workbench(demo, size) as (app, _):
        for word in ("report", "export", "verify", "overdue"):
            titles = [str(hit.text) for hit in await _hits(app, word)]
            assert any(title.startswith(f"{word}:") for title in titles), (word, titles)


async def test_the_pack_and_the_export_are_made_from_the_workbench_as_new_private_files(demo, tmp_path, monkeypatch):
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    async with workbench(demo) as (app, pilot):
        for title in ("report: inspection pack", "export: decisions"):
            (hit,) = [hit for hit in await _hits(app, title) if str(hit.text).startswith(title)]
            hit.command()
            await settle(pilot)
        said = [str(n.message) for n in app._notifications]
    files = sorted(here.iterdir())
    assert [f.suffix for f in files] == [".csv", ".html"], files
    for written in files:
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        assert any(str(written) in message for message in said), said
    head = ledger.head(demo.conn)
    assert f"{head.seq}:{head.hash}" in files[1].read_text()
    decisions = files[0].read_text().splitlines()
    assert decisions[0].startswith("seq,at,actor,role,request_id,kind") and len(decisions) > 50


async def test_through_a_front_door_the_workbench_writes_no_file_and_says_what_to_run(demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = set(tmp_path.iterdir())
    async with workbench(demo, actor=FIONA._replace(door="ssh SHA256:abc")) as (app, pilot):
        (hit,) = [hit for hit in await _hits(app, "report: inspection pack") if "pack" in str(hit.text)]
        hit.command()
        await settle(pilot)
        said = [str(n.message) for n in app._notifications]
    assert set(tmp_path.iterdir()) == before
    assert any("report --html - > pack.html" in message for message in said), said


@pytest.mark.parametrize("size", SIZES)
async def test_verify_from_the_palette_walks_the_chain_and_replays_it(demo, size):
    async with workbench(demo, size) as (app, pilot):
        (hit,) = [hit for hit in await _hits(app, "verify") if str(hit.text).startswith("verify:")]
        hit.command()
        await settle(pilot)
        await settle(pilot)
        status = str(app.screen.query_one("#verify-status").render())
    assert "chain verified" in status and "rows replayed" in status, status


@pytest.mark.parametrize("size", SIZES)
async def test_the_ledger_shows_whole_codes_and_labelled_details(demo, size):
    async with workbench(demo, size, "ctrl+l", "down", "down") as (app, _):
        shown = screen_text(app)
        panel = str(app.screen.query_one("#entry").render())
    if size[0] >= 120:
        assert "Rationale" in shown.splitlines()[2] and "no-offence" in shown, shown
    cut = [line for line in shown.splitlines() if "recording-recorded-co" in line]
    assert cut and all("…" in line for line in cut), "a cut action ends in an ellipsis"
    assert "Incident: " in panel and "Rows written: recording reviews 1" in panel, panel
    assert "=" not in panel and "writes" not in panel and "digest" not in panel, panel


@pytest.mark.parametrize("size", SIZES)
async def test_the_recording_audit_gives_the_summary_the_room(demo, size):
    from textual.widgets import DataTable

    async with workbench(demo, size, "i") as (app, _):
        table = app.screen.query_one("#items", DataTable)
        widths = {column.key.value: column.width for column in table.columns.values()}
        assert table.virtual_size.width <= table.scrollable_content_region.width, widths
        used = sum(widths.values()) + 2 * len(widths)
    assert widths["summary"] >= (30 if size[0] == 80 else 38), widths
    assert used >= size[0] - 4, f"{size[0] - used} columns left blank"


@pytest.mark.parametrize("size", SIZES)
async def test_the_accuracy_and_compliance_charts_label_every_row_under_a_title(demo, size):
    async with workbench(demo, size, "c") as (app, pilot):
        for tab, chart in (("4", "#recording-chart"), ("3", "#compliance-chart")):
            await pilot.press(tab)
            await settle(pilot)
            widget = app.screen.query_one(chart, IntervalChart)
            shown = screen_text(app)
            assert widget.rows, chart
            assert widget.title.split(",")[0] in shown, widget.title
            for row in widget.rows:
                assert row.label in shown and f"(n={row.n})" in shown, row
        await pilot.press("1")
        await settle(pilot)
        plot = str(app.screen.query_one("#decisions-plot").render())
        legend = str(app.screen.query_one("#decisions-legend").render())
    assert "Cancellations" in legend and "Referrals" in legend
    assert "Cancellations" not in plot, "the key is beside the chart, not drawn over the data"


@pytest.mark.parametrize("size", SIZES)
async def test_every_decision_footer_fits_the_terminal(demo, size):
    async with workbench(demo, size) as (app, pilot):
        for queue_key in "12345":
            await open_first(pilot, queue_key)
            assert isinstance(app.screen, DetailScreen)
            footer = screen_text(app).rstrip("\n").splitlines()[-1].rstrip()
            assert footer.endswith("f1 Help") and len(footer) <= size[0], footer
            assert "] Next" in footer, footer
            await pilot.press("escape", "escape")
            await settle(pilot)


def test_only_times_are_shown_as_times_in_an_entrys_fields():
    from screens.entry_fields import entry_fields

    fields = dict(
        entry_fields(
            {
                "avi_shows": "2026-12-01 footage shows the door was never forced",
                "other_reference": "2026-11-00123456/AB",
                "informed_on": "2026-06-14",
                "avi_obtained_at": "2026-06-05T09:00:00Z",
            }
        )
    )
    assert fields["AVI shows"] == "2026-12-01 footage shows the door was never forced"
    assert fields["Their reference"] == "2026-11-00123456/AB"
    assert fields["Victim told on"] == "2026-06-14" and fields["AVI obtained"] == "2026-06-05 10:00"


async def test_the_recording_audit_asks_a_note_for_a_report_of_rape_kept_out_of_the_figures(demo):
    from textual.widgets import Label

    async with workbench(demo, (80, 24), "i") as (app, pilot):
        assert app.screen.current()["rape_report"], "reports of rape come first"
        await pilot.press("n")
        await settle(pilot)
        labels = [str(label.render()) for label in app.screen.query(Label)]
    assert "Note (required)" in labels, labels


async def test_two_packs_in_one_second_get_two_names_and_a_vanished_directory_is_said(demo, tmp_path, monkeypatch):
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    async with workbench(demo) as (app, pilot):
        (hit,) = [hit for hit in await _hits(app, "report: inspection pack") if "pack" in str(hit.text)]
        for _ in range(2):
            hit.command()
            await settle(pilot)
        names = {path.name for path in here.iterdir()}
        shutil.rmtree(here)
        hit.command()
        await settle(pilot)
        said = [str(n.message) for n in app._notifications]
        assert app.is_running, "the workbench goes on"
    first = "inspection-pack-" + NOW.astimezone(ZoneInfo(FORCE_TIMEZONE)).strftime("%Y-%m-%d-%H%M%S")
    assert names == {f"{first}.html", f"{first}-2.html"}, names
    assert any(message.startswith("nothing was written") for message in said), said


async def test_a_recording_verdict_dialog_leaves_the_decision_dialogs_layout_as_it_was(demo):
    from textual.widgets import Label

    async with workbench(demo, (80, 24)) as (app, pilot):
        seen = []
        for keys in ((), ("i", "n", "escape", "escape")):  # before and after a recording verdict dialog
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            await open_first(pilot, "5")
            await pilot.press("f")
            await settle(pilot)
            seen.append({label.size.width for label in app.screen.query("#dialog .field-label").results(Label)})
            await pilot.press("escape", "escape", "escape")
            await settle(pilot)
    assert seen == [{24}, {24}], seen
