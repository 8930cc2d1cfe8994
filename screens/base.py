"""What every screen of the workbench shares: a typed way to the app, and one handler for workers that fail."""

import itertools

from rich.text import Text
from textual import events, getters
from textual.app import App
from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState

from registrar.access.identity import Actor
from registrar.base.crashlog import write_crash_log
from registrar.base.errors import ExitCode, RegistrarError
from registrar.reading.views import ReferenceData

from .data import StoreHandle


class Workbench(App):
    """The app as its screens see it: the store, who is acting, the settings and the reference data."""

    handle: StoreHandle
    actor: Actor
    settings: dict
    reference: ReferenceData
    drafts: dict[tuple[int, str], str]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._typed = itertools.count()
        self._held: list[tuple[int, str, str | None]] = []

    async def on_event(self, event: events.Event) -> None:
        """Note where and in what order each key was typed, so keys typed ahead are never lost or reordered."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            event.typed_to = self.focused or self.screen  # type: ignore[attr-defined]
            event.typed_seq = next(self._typed)  # type: ignore[attr-defined]
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        """A key nobody used, typed before the focus moved (a new screen, a search box), goes where the focus is now.

        Keys arrive bunched over a slow link: 'l' then '/actor:dan' reach the app before the ledger is in front.
        Such keys are held, then sent again in the order typed once the screen has refreshed. Textual calls every
        class's `_on_key`; App's (the bindings) runs after this one unless the default is prevented."""
        here = self.focused or self.screen
        if getattr(event, "typed_to", here) is here:
            return
        event.prevent_default()
        self._held.append((getattr(event, "typed_seq", 0), event.key, event.character))
        if len(self._held) == 1:
            self.call_after_refresh(self._send_held_keys)

    def _send_held_keys(self) -> None:
        """Send the held keys again, in the order they were typed."""
        held, self._held = sorted(self._held), []
        for _, key, character in held:
            self.post_message(events.Key(key, character))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notify in plain text: messages carry text from the store, which is never read as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def worker_failed(self, event: Worker.StateChanged) -> None:
        """Every worker's unexpected end, in one place: a refusal is shown in a line; anything else is a crash."""
        error = event.worker.error
        if event.state != WorkerState.ERROR or error is None:
            return
        if isinstance(error, RegistrarError):
            self.notify(error.message, severity="error", timeout=15)
        else:
            self._handle_exception(error)

    def _fatal_error(self) -> None:
        """An unexpected error ends the workbench with one line, the trace in a log file, and exit status 70."""
        error = self._exception or RuntimeError("unknown error")
        log_path = write_crash_log(error)
        where = f"; the trace is in {log_path}" if log_path else ""
        self._return_code = ExitCode.INTERNAL
        self._exit_renderables.append(
            Text(f"registrar: internal error ({type(error).__name__}: {error}){where}; nothing half-done was saved")
        )
        self._close_messages_no_wait()


class WorkbenchPart:
    """A screen or dialog of the workbench: `self.app` is typed, and its workers' failures reach the app's handler."""

    app = getters.app(Workbench)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Pass every worker state change to the app's one handler (Worker.StateChanged does not bubble)."""
        self.app.worker_failed(event)
