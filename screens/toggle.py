"""A checkbox that reads as text, [x] or [ ], in every theme (the ANSI one included), not only by colour."""

from textual.content import Content
from textual.widgets import Checkbox


class TextCheckbox(Checkbox):
    """A Checkbox whose box shows [x] when ticked and [ ] when not."""

    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"

    @property
    def _button(self) -> Content:
        """The box as text: an x only when ticked."""
        return Content.assemble(self.BUTTON_LEFT, "x" if self.value else " ", self.BUTTON_RIGHT)
