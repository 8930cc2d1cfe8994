"""A long write (a batch, an import) announces itself beside the store and says how far it has got, so a writer
waiting behind it waits on, saying what for, instead of being refused when SQLite's busy timeout runs out."""

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

FRESH_SECONDS = 30.0  # a long write that says nothing new for this long has stopped making progress
COMMIT_SECONDS = 120.0  # how long a long write may take to commit (one call, so it cannot say how far it has got)
UPDATE_SECONDS = 0.5  # how often a long writer rewrites its announcement


class Progress:
    """What a long writer calls to say how far it has got: `advance(done)` as it goes, `committing()` at the end."""

    def __init__(self, write: Callable[[int, str], None], total: int):
        self._write = write
        self._total = total
        self._last = 0.0

    def advance(self, done: int) -> None:
        """Say that `done` rows are written (rewriting the announcement at most every UPDATE_SECONDS)."""
        if time.monotonic() - self._last >= UPDATE_SECONDS:
            self._last = time.monotonic()
            self._write(done, "writing")

    def committing(self) -> None:
        """Say that every row is written and the commit has begun."""
        self._write(self._total, "committing")


def announcement_path(store: Path) -> Path:
    """The file beside the store where a long write says who is writing and how far it has got."""
    return store.with_name(f"{store.name}-writing")


@contextmanager
def announcing(store: Path, who: str, what: str, total: int) -> Iterator[Progress]:
    """Announce a long write for its duration; yield the Progress it reports through."""
    path = announcement_path(store)

    def write(done: int, phase: str) -> None:
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(
                {"who": who, "what": what, "done": done, "total": total, "phase": phase, "pid": os.getpid()}, handle
            )
        os.replace(temporary, path)

    try:
        write(0, "writing")
    except OSError:  # a directory this account cannot write: the write goes on, unannounced
        yield Progress(lambda done, phase: None, total)
        return
    try:
        yield Progress(write, total)
    finally:
        path.unlink(missing_ok=True)


class LongWrite(NamedTuple):
    """A long write under way: what it says of itself, and whether it has reached its commit."""

    said: str
    committing: bool

    @property
    def patience(self) -> float:
        """How long a waiter goes on waiting while this says nothing new."""
        return COMMIT_SECONDS if self.committing else FRESH_SECONDS


def current_long_write(store: Path) -> LongWrite | None:
    """The long write under way beside the store, or None when there is none or its process is gone (whether it
    still moves is for the waiter to see: what it says changes as it goes)."""
    try:
        value = json.loads(announcement_path(store).read_text(encoding="utf-8"))
        committing = value.get("phase") == "committing"
        said = f"a {value['what']} by {value['who']}, " + (
            f"committing its {int(value['total']):,} rows"
            if committing
            else f"row {int(value['done']):,} of {int(value['total']):,}"
        )
        pid = int(value["pid"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    try:
        os.kill(pid, 0)
    except PermissionError:  # alive, under another account
        pass
    except OSError:
        return None
    return LongWrite(said, committing)
