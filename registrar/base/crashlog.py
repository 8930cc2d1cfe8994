"""Unexpected errors: the full trace goes to a log file under the user's state directory, never to the screen."""

import os
import traceback
from pathlib import Path

from registrar.base.clock import system_clock


def state_directory() -> Path:
    """Where registrar keeps its logs ($XDG_STATE_HOME/registrar, else ~/.local/state/registrar)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "registrar"


def write_crash_log(error: BaseException) -> Path | None:
    """Write the error's trace to a new private log file and return its path (None if it cannot be written)."""
    directory = state_directory()
    name = f"crash-{system_clock():%Y%m%dT%H%M%SZ}-{os.getpid()}.log"
    try:
        directory.mkdir(parents=True, mode=0o700, exist_ok=True)
        descriptor = os.open(directory / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)))
    except OSError:
        return None
    return directory / name
