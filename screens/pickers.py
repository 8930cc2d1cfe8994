"""A modal list to pick one value from, by keyboard, with type-to-filter."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from .formatting import plain


class PickerScreen(ModalScreen[str | None]):
    """Choose one of a list of (value, label) pairs; escape returns None."""

    CSS_PATH = "pickers.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel-pick"),
        Binding("up", "move(-1)", "Up", show=False, id="pick-up"),
        Binding("down", "move(1)", "Down", show=False, id="pick-down"),
    ]

    def __init__(self, title: str, choices: list[tuple[str, str]]):
        super().__init__()
        self.picker_title = title
        self.choices = choices
        self.shown_choices: list[tuple[str, str]] = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.picker_title, classes="title")
            yield Input(placeholder="type to narrow", id="picker-filter")
            yield OptionList(*[Option(plain(label)) for _, label in self.choices], id="picker-options")

    def on_mount(self) -> None:
        self.query_one("#picker-options", OptionList).highlighted = 0
        self.set_focus(self.query_one("#picker-filter"))

    @on(Input.Changed, "#picker-filter")
    def narrow(self, event: Input.Changed) -> None:
        text = event.value.lower()
        self.shown_choices = [(v, label) for v, label in self.choices if text in label.lower() or text in v.lower()]
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        options.add_options([Option(plain(label)) for _, label in self.shown_choices])
        if self.shown_choices:
            options.highlighted = 0

    @on(Input.Submitted, "#picker-filter")
    def take_highlighted(self) -> None:
        index = self.query_one("#picker-options", OptionList).highlighted
        if index is not None and index < len(self.shown_choices):
            self.dismiss(self.shown_choices[index][0])

    def action_move(self, step: int) -> None:
        """Move through the options while typing in the filter."""
        options = self.query_one("#picker-options", OptionList)
        if step < 0:
            options.action_cursor_up()
        else:
            options.action_cursor_down()

    @on(OptionList.OptionSelected, "#picker-options")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown_choices[event.option_index][0])

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
