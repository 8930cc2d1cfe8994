"""Small dialogs reachable from anywhere: go to a request or crime (open or closed), and confirm quitting."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class GoToDialog(ModalScreen[str | None]):
    """Ask for a request number or crime reference; returns the text, or None on escape."""

    CSS_PATH = "pickers.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-goto")]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Go to a request number or a crime reference", classes="title")
            yield Input(placeholder="3580 or CR-2026-077085", id="goto-text")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#goto-text"))

    @on(Input.Submitted, "#goto-text")
    def go(self, event: Input.Submitted) -> None:
        """Return what was typed."""
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Close without going anywhere."""
        self.dismiss(None)


class ConfirmQuit(ModalScreen[bool]):
    """Ask before quitting the workbench: y quits, anything else stays."""

    CSS_PATH = "pickers.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Quit", id="quit-yes"),
        Binding("n", "answer(False)", "Stay", id="quit-no"),
        Binding("escape", "answer(False)", "Stay", show=False, id="quit-escape"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Quit the workbench? y quits · n or esc stays", classes="title")

    def action_answer(self, quit_now: bool) -> None:
        """Close with the answer."""
        self.dismiss(quit_now)
