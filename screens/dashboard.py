"""The dashboard: each queue's figures and today's risks, each leading to the list behind it."""

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from registrar.base.vocabulary import AUDIT_ROLES, RECORDING_AUDITORS
from registrar.reading import views

from .base import WorkbenchPart
from .queue import QueueScreen


class DashboardScreen(WorkbenchPart, Screen):
    """Open counts per queue, referred and returned items, overdue work, referral clocks and victims not told."""

    CSS_PATH = "dashboard.tcss"
    HELP_NAME = "dashboard"
    BINDINGS = [
        Binding("enter", "open_figure", "Open", id="open-figure"),
        Binding("l", "app.ledger", "Ledger", id="open-ledger"),
        Binding("u", "audit", "Audit", id="open-audit"),
        Binding("i", "recording", "Recording audit", id="open-recording"),
        Binding("c", "oversight", "Charts", id="open-oversight"),
    ]

    @dataclass
    class Loaded(Message):
        """Fresh figures from the store."""

        figures: list[views.Figure]

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[views.Figure] = []

    def compose(self) -> ComposeResult:
        yield Header()  # names the user, their role and the store once
        yield OptionList(id="figures")
        yield Static("enter opens a figure's list · 1-5 the five queues · ctrl+p every command", id="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def on_workbench_app_store_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def load(self) -> None:
        """Read the figures in a worker thread."""
        actor = self.app.actor
        with self.app.handle.open() as store:
            figures = views.dashboard(store.conn, actor.username, actor.role, store.now())
        self.post_message(self.Loaded(figures))

    @on(Loaded)
    def show_figures(self, message: Loaded) -> None:
        """Put the figures in the list, keeping the highlighted one."""
        option_list = self.query_one("#figures", OptionList)
        highlighted = option_list.highlighted
        self.figures = message.figures
        option_list.clear_options()
        option_list.add_options([Option(self._prompt(figure), id=figure.key) for figure in message.figures])
        option_list.highlighted = highlighted if highlighted is not None else 0
        self.set_focus(option_list)

    @staticmethod
    def _prompt(figure: views.Figure) -> Content:
        """One figure as a line: label, count and note, alerts in the theme's error colour."""
        style = "b $error" if figure.alert else ""
        line = f"{figure.label:<22}{figure.count:>7}   {figure.note}"
        return Content.styled(line, style) if style else Content(line)

    @on(OptionList.OptionSelected, "#figures")
    def figure_selected(self, event: OptionList.OptionSelected) -> None:
        self._open(self.figures[event.option_index])

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "audit":
            return self.app.actor.role in AUDIT_ROLES
        if action == "recording":
            return self.app.actor.role in RECORDING_AUDITORS
        return True

    def action_open_figure(self) -> None:
        """Open the list behind the highlighted figure."""
        index = self.query_one("#figures", OptionList).highlighted
        if index is not None and index < len(self.figures):
            self._open(self.figures[index])

    def action_open_key(self, key: str) -> None:
        """Open the queue of one kind."""
        for figure in self.figures:
            if figure.key == key:
                self._open(figure)

    def action_audit(self) -> None:
        """Open the audit queue."""
        from .audit import AuditScreen

        self.app.push_screen(AuditScreen())

    def action_recording(self) -> None:
        """Open the recording-audit queue of incidents."""
        from .recording import RecordingScreen

        self.app.push_screen(RecordingScreen())

    def action_oversight(self) -> None:
        """Open the oversight charts."""
        from .oversight import OversightScreen

        self.app.push_screen(OversightScreen())

    def _open(self, figure: views.Figure) -> None:
        """Push the screen behind a figure."""
        if figure.key == "audit":
            self.action_audit()
            return
        if figure.key == "recording":
            self.action_recording()
            return
        self.app.push_screen(QueueScreen(figure.label, figure.queue_filter, follow_ups=figure.follow_ups))
