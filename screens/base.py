"""What every screen of the workbench shares: a typed way to the app, and one handler for workers that fail."""

from rich.text import Text
from textual import getters
from textual.app import App
from textual.worker import Worker, WorkerState

from registrar.crashlog import write_crash_log
from registrar.errors import ExitCode, RegistrarError
from registrar.identity import Actor
from registrar.views import ReferenceData

from .data import StoreHandle


class Workbench(App):
    """The app as its screens see it: the store, who is acting, the settings and the reference data."""

    handle: StoreHandle
    actor: Actor
    settings: dict
    reference: ReferenceData
    drafts: dict[tuple[int, str], str]

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
