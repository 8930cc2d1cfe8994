"""Small dialogs reachable from anywhere: go to a request or crime (open or closed), and a deliberate yes or no."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


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


class Confirm(ModalScreen[bool]):
    """Ask one question that needs a deliberate y: y answers yes; n, esc or anything else answers no."""

    CSS_PATH = "pickers.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n", "answer(False)", "No", id="confirm-no"),
        Binding("escape", "answer(False)", "No", show=False, id="confirm-escape"),
    ]

    def __init__(self, question: str, prompt: str):
        super().__init__()
        self.question = question
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Content(self.question), id="question")
            yield Label(Content(self.prompt), classes="title")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
