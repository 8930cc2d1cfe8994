"""Oversight charts: decisions per week by queue, referral timeliness, compliance per decision maker."""

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from registrar.base.vocabulary import KINDS
from registrar.oversight import reports
from registrar.oversight.report_text import report_text

from .base import WorkbenchPart
from .interval_chart import IntervalChart, Share

WEEKS = 26
# Each series has its own marker, shown in the legend, so the chart reads without colour.
SERIES_MARKERS = ("x", "+", "o", "*", "#")
COMPLIANCE_DAYS = 180


class OversightScreen(WorkbenchPart, Screen):
    """Charts and the oversight report for the last six months."""

    CSS_PATH = "oversight.tcss"
    HELP_NAME = "oversight"
    BINDINGS = [
        Binding("1", "tab('decisions')", "Decisions", id="tab-decisions"),
        Binding("2", "tab('clock')", "Clock", id="tab-clock"),
        Binding("3", "tab('compliance')", "Compliance", id="tab-compliance"),
        Binding("4", "tab('recording')", "Recording", id="tab-recording"),
        Binding("5", "tab('report')", "Report", id="tab-report"),
        Binding("escape", "back", "Back", id="oversight-back"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="oversight-page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="oversight-page-up"),
    ]

    @dataclass
    class Loaded(Message):
        """The figures behind the charts."""

        weekly: dict
        clock: dict
        compliance: dict
        report: dict

    def compose(self) -> ComposeResult:
        yield Static(f"Oversight · last {WEEKS} weeks", classes="title")
        yield Static("Reading six months of decisions…", id="oversight-loading")
        with TabbedContent(initial="decisions", id="oversight-tabs"):
            with TabPane("Decisions per week", id="decisions"):
                yield Static(id="decisions-legend", classes="legend")
                yield PlotextPlot(id="decisions-plot")
            with TabPane("Referral clock", id="clock"):
                yield PlotextPlot(id="clock-plot")
            with TabPane("Compliance", id="compliance"), VerticalScroll():
                yield IntervalChart(id="compliance-chart")
            with TabPane("Recording accuracy", id="recording"), VerticalScroll():
                yield IntervalChart(id="recording-chart")
            with TabPane("Report", id="report"):
                with VerticalScroll(id="report-scroll"):
                    yield Static(id="report-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#oversight-tabs").display = False
        self.load()

    def on_workbench_app_store_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="oversight", exit_on_error=False)
    def load(self) -> None:
        """Compute the figures in a worker thread."""
        with self.app.handle.open() as store:
            now = store.now()
            since, until = reports.default_period(now, WEEKS * 7)
            entries = reports.decision_entries(store.conn, since, until)
            settings = store.settings()
            message = self.Loaded(
                weekly=reports.weekly_decisions(entries),
                clock=reports.weekly_referral_timeliness(store.conn, settings, since, until),
                compliance=reports.compliance(store.conn, *reports.default_period(now, COMPLIANCE_DAYS)),
                report=reports.report(store.conn, settings, since, until, now),
            )
        self.post_message(message)

    @on(Loaded)
    def draw(self, message: Loaded) -> None:
        """Draw the charts and the report text, then show them (never an empty frame)."""
        self.query_one("#oversight-loading").display = False
        self.query_one("#oversight-tabs").display = True
        self._decisions(message.weekly)
        self._clock(message.clock)
        self._compliance(message.compliance)
        self._recording(message.report["recording"])
        self.query_one("#report-text", Static).update(Content(report_text(message.report)))

    def _decisions(self, weekly: dict) -> None:
        plot, plt = self._fresh("decisions-plot")
        weeks = list(weekly)
        xs = list(range(1, len(weeks) + 1))
        if not weeks:
            plt.title("Decisions per week by queue: no decisions in this period")
            plot.refresh()
            return
        series = list(zip(((k.name, k.title) for k in KINDS.values()), SERIES_MARKERS, strict=False))
        for (kind, _), marker in series:
            plt.plot(xs, [weekly[w].get(kind, 0) for w in weeks], marker=marker)
        legend = "   ".join(f"{marker} {title}" for (_, title), marker in series)
        self.query_one("#decisions-legend", Static).update(Content(f"Key: {legend}"))
        plt.xticks(xs[::4], [w[5:] for w in weeks][::4])
        plt.title("Decisions per week by queue")
        plt.ylabel("decisions")
        plot.refresh()

    def _clock(self, clock: dict) -> None:
        plot, plt = self._fresh("clock-plot")
        weeks = list(clock)
        xs = list(range(1, len(weeks) + 1))
        if not weeks:
            plt.title("Referral clock: no referrals decided in this period")
            plot.refresh()
            return
        plt.plot(xs, [clock[w]["share"] * 100 for w in weeks], marker="●")
        plt.ylim(0, 100)
        plt.ylabel("% within clock")
        step = max(1, len(weeks) // 6)
        plt.xticks(xs[::step], [f"{w[5:]} n={clock[w]['decided']}" for w in weeks][::step])
        hours = self.app.settings.get("referral_clock_hours", 24)
        plt.title(f"Referrals decided within {hours} h, by week (n = referrals decided that week)")
        plot.refresh()

    def _compliance(self, compliance: dict) -> None:
        rows = [Share(str(r["maker"]), r["rate"], r["low"], r["high"], r["sampled"]) for r in compliance["by_maker"]]
        title = (
            f"Audit agreement per decision maker, last {COMPLIANCE_DAYS} days, with 95% Wilson interval"
            if rows
            else "Audit agreement: no audited decisions yet (draw a sample from the audit queue)"
        )
        self.query_one("#compliance-chart", IntervalChart).show(title, rows)

    def _recording(self, recording: dict) -> None:
        overall = recording["accuracy"]
        rows = [
            Share(str(r["name"]), r["rate"], r["low"], r["high"], r["should_have_been"]) for r in recording["by_area"]
        ]
        rate = "-" if overall["rate"] is None else f"{overall['rate'] * 100:.1f}%"
        title = (
            f"Recording accuracy by area, last {WEEKS} weeks, with 95% Wilson interval: {rate} overall "
            f"({overall['recorded']} of {overall['should_have_been']} audited incidents that should have been crimes)"
            if rows
            else "Recording accuracy: no audited incidents yet (draw a sample from the recording audit, i)"
        )
        self.query_one("#recording-chart", IntervalChart).show(title, rows)

    def _fresh(self, plot_id: str):
        """A chart cleared of its previous data, and its plotext handle."""
        plot = self.query_one(f"#{plot_id}", PlotextPlot)
        plot.plt.clear_data()
        plot.plt.clear_figure()
        return plot, plot.plt

    def action_page(self, step: int) -> None:
        """Page the report up or down (the charts fit the screen)."""
        scroll = self.query_one("#report-scroll", VerticalScroll)
        if step > 0:
            scroll.scroll_page_down()
        else:
            scroll.scroll_page_up()

    def action_tab(self, tab: str) -> None:
        """Show one tab."""
        self.query_one(TabbedContent).active = tab

    def action_back(self) -> None:
        """Back."""
        self.app.pop_screen()
