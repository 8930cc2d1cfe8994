"""A code input with search: type part of a code or name, pick from the matches with up/down and enter."""

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

MATCHES_SHOWN = 6


class CodeField(Vertical):
    """An Input for a code (or comma-separated codes) with a list of matching codes beneath it."""

    DEFAULT_CSS = """
    CodeField { height: auto; }
    CodeField > OptionList { height: auto; max-height: 6; display: none; }
    CodeField:focus-within > OptionList.-matches { display: block; }
    """
    BINDINGS = [
        Binding("down", "move(1)", "Next match", show=False, id="code-next"),
        Binding("up", "move(-1)", "Previous match", show=False, id="code-previous"),
        Binding("escape", "close_matches", "Close matches", show=False, id="code-close"),
    ]

    @dataclass
    class Changed(Message):
        """The code in the field changed."""

        field: "CodeField"
        value: str

    def __init__(self, choices: list[tuple[str, str]], value: str = "", multiple: bool = False, id: str | None = None):
        super().__init__(id=id)
        self.choices = choices
        self.multiple = multiple
        self.initial = value
        self.matches: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Input(value=self.initial, placeholder="type a code or part of its name", compact=True)
        yield OptionList()

    @property
    def value(self) -> str:
        """The code typed or picked."""
        return self.query_one(Input).value.strip()

    def codes(self) -> list[str]:
        """Every code typed, for fields that take several."""
        return [part.strip() for part in self.value.split(",") if part.strip()]

    def _current_token(self) -> str:
        """The part being typed: the text after the last comma for several codes."""
        text = self.query_one(Input).value
        return (text.rsplit(",", 1)[-1] if self.multiple else text).strip().lower()

    @on(Input.Changed)
    def search(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, self.value))
        token = self._current_token()
        options = self.query_one(OptionList)
        options.clear_options()
        exact = [c for c in self.choices if c[0].lower() == token]
        self.matches = [] if not token or exact else [c for c in self.choices if token in c[1].lower()][:50]
        options.add_options([Option(label) for _, label in self.matches])
        options.set_class(bool(self.matches), "-matches")
        if self.matches:
            options.highlighted = 0

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Escape closes the match list when it is open, and otherwise belongs to the dialog."""
        if action == "close_matches":
            return bool(self.matches)
        return True

    def action_close_matches(self) -> None:
        """Close the match list, keeping what was typed."""
        self.matches = []
        self.query_one(OptionList).set_class(False, "-matches")

    def action_move(self, step: int) -> None:
        """Move through the matches."""
        options = self.query_one(OptionList)
        if self.matches:
            options.action_cursor_down() if step > 0 else options.action_cursor_up()

    @on(Input.Submitted)
    def pick(self, event: Input.Submitted) -> None:
        """Enter takes the highlighted match."""
        options = self.query_one(OptionList)
        if self.matches and options.highlighted is not None:
            event.stop()
            self._take(self.matches[options.highlighted][0])

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(self.matches[event.option_index][0])

    def _take(self, code: str) -> None:
        """Put a picked code into the input."""
        field = self.query_one(Input)
        if self.multiple:
            parts = [p.strip() for p in field.value.split(",")[:-1] if p.strip()]
            field.value = ", ".join(parts + [code]) + ", "
        else:
            field.value = code
        field.cursor_position = len(field.value)
        self.action_close_matches()
