"""The workbench application: screens over one store, refreshed when anyone changes it."""

import os
from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen

from registrar.access.identity import Actor
from registrar.base.errors import IdentityError, NotFound
from registrar.reading import views
from registrar.reading.views import ReferenceData, reference_data
from registrar.storage.store import ChangeWatcher, Store

from . import config
from .base import Workbench
from .commands import GuardedCommandPalette, WorkbenchCommands
from .dashboard import DashboardScreen
from .data import StoreHandle
from .goto import Confirm, GoToDialog
from .ledger import LedgerScreen

CHANGE_POLL_SECONDS = 2.0


class WorkbenchApp(Workbench):
    """The FCR's workbench: dashboard, queues, detail, decisions and the ledger."""

    CSS_PATH = "app.tcss"
    TITLE = "registrar"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False, id="help-alt"),
        Binding("ctrl+g", "dashboard", "Dashboard", show=False, id="dashboard"),
        Binding("ctrl+l", "ledger", "Ledger", show=False, id="ledger"),
        Binding("colon", "go_to", "Go to", show=False, id="go-to"),
        Binding("q", "back_or_quit", "Back", show=False, id="back-or-quit"),
        Binding("j", "move(1)", "Down", show=False, id="move-down"),
        Binding("k", "move(-1)", "Up", show=False, id="move-up"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, show=False),
        Binding("1", "queue('cancellation')", "Cancellations", id="queue-cancellations", show=False),
        Binding("2", "queue('reclassification')", "Reclassifications", id="queue-reclassifications", show=False),
        Binding("3", "queue('transfer_out')", "Transfers out", id="queue-transfers-out", show=False),
        Binding("4", "queue('transfer_in')", "Transfers in", id="queue-transfers-in", show=False),
        Binding("5", "queue('referral')", "Referrals", id="queue-referrals", show=False),
    ]

    class StoreChanged(Message):
        """Someone (here or elsewhere) committed a change to the store."""

    def __init__(self, handle: StoreHandle, actor: Actor, settings: dict, reference: ReferenceData):
        super().__init__()
        self.handle = handle
        self.actor = actor
        self.settings = settings
        self.reference = reference
        self.drafts: dict[tuple[int, str], str] = {}
        self._watch: ChangeWatcher | None = None
        self.sub_title = f"{actor.display_name} ({actor.role}) · {handle.path.name}"

    def on_mount(self) -> None:
        """Open the dashboard and start watching the store for other users' changes."""
        own = self.actor.username if self.actor.door != "local" else None  # front doors: one account, many people
        settings = config.load(own)
        theme = os.environ.get("REGISTRAR_THEME") or settings.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        keys = settings.get("keys")
        if isinstance(keys, dict):
            self.set_keymap({str(k): str(v) for k, v in keys.items()})
        self.theme_changed_signal.subscribe(self, lambda theme: config.save_theme(theme.name, own))
        self._watch = ChangeWatcher(self.handle.path)
        self.set_interval(CHANGE_POLL_SECONDS, self.check_for_changes)
        self.push_screen(DashboardScreen())

    def on_unmount(self) -> None:
        """Close the watching connection."""
        if self._watch is not None:
            self._watch.close()

    def check_for_changes(self) -> None:
        """Tell the screen in front when the store changed, so open queues refresh themselves."""
        if self._watch is not None and self._watch.changed():
            self.refresh_actor()
            self.screen.post_message(self.StoreChanged())

    def refresh_actor(self) -> None:
        """Take up a change to this user's role at once; a deactivated user's workbench closes at once, since what
        it shows (restricted requests too) is for registrars only."""
        try:
            actor = self._watch.current(self.actor) if self._watch else self.actor
        except IdentityError as error:
            self.exit(return_code=1, message=f"registrar: {error.message}: the workbench was closed")
            return
        else:
            if actor.role != self.actor.role:
                self.notify(f"Your role is now {actor.role}.", timeout=10)
            self.actor = actor
        self.sub_title = f"{self.actor.display_name} ({self.actor.role}) · {self.handle.path.name}"

    def action_command_palette(self) -> None:
        """Open the command palette (guarded against early page keys)."""
        if self.use_command_palette and not GuardedCommandPalette.is_open(self):
            self.push_screen(GuardedCommandPalette(id="--command-palette"))

    def action_help(self) -> None:
        """Show help for the screen in front."""
        from .help import HelpScreen, bound_keys

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(
                HelpScreen(getattr(self.screen, "HELP_NAME", "dashboard"), bound_keys(self.screen.active_bindings))
            )

    def action_dashboard(self) -> None:
        """Return to the dashboard."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, DashboardScreen):
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """1-5 switch queues from any screen, but never from inside a dialog."""
        if action == "queue":
            return not isinstance(self.screen, ModalScreen)
        return True

    def action_queue(self, kind: str) -> None:
        """Open the queue of one kind from wherever the user is (the screens in between close)."""
        self.action_dashboard()
        if isinstance(self.screen, DashboardScreen):
            self.screen.action_open_key(kind)

    def action_go_to(self, text: str | None = None) -> None:
        """Open a request by its number, or the newest request about a crime reference (closed ones too)."""
        if text is None:
            self.push_screen(GoToDialog(), lambda typed: typed and self.action_go_to(typed))
            return
        with self.handle.open() as store:
            try:
                request_id = views.find_request(store.conn, text)
            except NotFound as error:
                self.notify(error.message, title="Go to", severity="warning")
                return
        from .detail import DetailScreen

        self.push_screen(DetailScreen(request_id))

    def action_back_or_quit(self) -> None:
        """q goes back one screen; on the dashboard it asks before quitting."""
        if isinstance(self.screen, DashboardScreen):
            self.push_screen(
                Confirm("Quit the workbench?", "y quits · n or esc stays"),
                lambda quit_now: self.exit() if quit_now else None,
            )
        elif len(self.screen_stack) > 2:
            self.pop_screen()

    def action_move(self, step: int) -> None:
        """j and k move the cursor of the list in front, as down and up do."""
        focused = self.focused
        action = getattr(focused, "action_cursor_down" if step > 0 else "action_cursor_up", None)
        if action is not None:
            action()

    def action_ledger(self) -> None:
        """Open the rationale ledger."""
        if not isinstance(self.screen, LedgerScreen):
            self.push_screen(LedgerScreen())

    def action_verify(self) -> None:
        """Open the ledger and verify the whole chain, replayed against the store."""
        if isinstance(self.screen, LedgerScreen):
            self.screen.action_verify()
        else:
            self.push_screen(LedgerScreen(verify=True))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The built-in commands the palette keeps: theme, keys, quit."""
        for command in super().get_system_commands(screen):
            if command.title in ("Theme", "Keys", "Quit"):
                yield SystemCommand(f"app: {command.title.lower()}", command.help, command.callback)


def make_app(store: Store, actor: Actor) -> WorkbenchApp:
    """Build the workbench for a store and the acting user (shared by the CLI and the tests)."""
    return WorkbenchApp(StoreHandle(store.path, store.clock), actor, store.settings(), reference_data(store.conn))


def run_workbench(store: Store, actor: Actor, mouse: bool = True) -> int:
    """Run the workbench in this terminal until the user quits; return its exit status (70 after a crash)."""
    app = make_app(store, actor)
    app.run(mouse=mouse)
    return app.return_code or 0
