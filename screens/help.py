"""Help for the screen in front, from the Markdown files shipped beside the screens."""

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static


def help_text(name: str) -> str:
    """The help Markdown for a screen, falling back to the general help."""
    folder = Path(__file__).parent / "help"
    resource = folder / f"{name}.md"
    if not resource.is_file():
        resource = folder / "dashboard.md"
    return resource.read_text(encoding="utf-8")


def keys_table(keys: list[tuple[str, str, str]]) -> str:
    """The keys bound on the screen right now (remapped ones as remapped) with the ids that remap them."""
    if not keys:
        return ""
    escaped_bar = "\\|"
    rows = "\n".join(
        f"| {key.replace('|', escaped_bar)} | {description} | `{binding_id}` |" for key, description, binding_id in keys
    )
    return (
        "\n\n## Keys bound here now\n\nRemap one in `~/.config/registrar/workbench.toml` under `[keys]` by its id, "
        f'e.g. `go-to = "ctrl+o"`.\n\n| key | does | id |\n|---|---|---|\n{rows}\n'
    )


def bound_keys(bindings: dict) -> list[tuple[str, str, str]]:
    """(key, description, id) for each active binding with a description, one per action."""
    seen: dict[str, tuple[str, str, str]] = {}
    for key, active in bindings.items():
        binding = active.binding
        if binding.description and binding.action not in seen:
            seen[binding.action] = (binding.key_display or key, binding.description, binding.id or "")
    return sorted(seen.values())


class HelpScreen(ModalScreen[None]):
    """Keys and meaning of the screen the user was on."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: 90%; border: round $primary; background: $surface; }
    HelpScreen > #help-close { width: 90; max-width: 100%; height: 1; background: $panel; color: $text; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="close-help"),
        Binding("f1", "close", "Close", show=False, id="close-help-f1"),
        Binding("q", "close", "Close", show=False, id="close-help-q"),
    ]

    def __init__(self, name: str, keys: list[tuple[str, str, str]] | None = None):
        super().__init__()
        self.help_name = name
        self.keys = keys or []

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=True):
            yield Markdown(help_text(self.help_name) + keys_table(self.keys))
        yield Static("esc, q or F1 closes this help · up/down and PageDown scroll it", id="help-close")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(VerticalScroll))

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
