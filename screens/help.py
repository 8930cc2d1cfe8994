"""Help for the screen in front, from the Markdown files shipped beside the screens."""

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown


def help_text(name: str) -> str:
    """The help Markdown for a screen, falling back to the general help."""
    folder = Path(__file__).parent / "help"
    resource = folder / f"{name}.md"
    if not resource.is_file():
        resource = folder / "dashboard.md"
    return resource.read_text(encoding="utf-8")


class HelpScreen(ModalScreen[None]):
    """Keys and meaning of the screen the user was on."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: 90%; border: round $primary; background: $surface; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="close-help"),
        Binding("f1", "close", "Close", show=False, id="close-help-f1"),
        Binding("q", "close", "Close", show=False, id="close-help-q"),
    ]

    def __init__(self, name: str):
        super().__init__()
        self.help_name = name

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=True):
            yield Markdown(help_text(self.help_name))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
