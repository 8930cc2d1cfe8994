"""The rationale editor: a TextArea that steps through a template's [bracketed] prompts."""

from textual.binding import Binding
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from registrar.decisions.templates import PLACEHOLDER


class RationaleArea(TextArea):
    """A soft-wrapped TextArea whose F3 selects the next [prompt], so typing replaces it."""

    BINDINGS = [Binding("f3", "next_prompt", "Next prompt", id="next-prompt")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._offered: tuple[Selection, str] | None = None  # the first prompt, selected for the user on opening

    def offer_first_prompt(self) -> None:
        """Select the first prompt for the user, so typing replaces it; a first F3 then stays on it."""
        self.action_next_prompt()
        self._offered = (self.selection, self.text)

    def action_next_prompt(self) -> None:
        """Select the next [bracketed] prompt after the cursor, wrapping to the first; the first F3 after opening
        keeps the prompt offered then, since the user has not yet reached it."""
        if self._offered is not None and self._offered == (self.selection, self.text):
            self._offered = None
            return
        self._offered = None
        text = self.text
        start = self.document.get_index_from_location(self.selection.end)
        match = PLACEHOLDER.search(text, start) or PLACEHOLDER.search(text)
        if match:
            self.selection = Selection(
                self.document.get_location_from_index(match.start()), self.document.get_location_from_index(match.end())
            )
