"""The workbench's way to the store: a fresh connection for each worker thread."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from registrar.base.clock import Clock, system_clock
from registrar.storage.store import Store


class StoreHandle:
    """Where the store is; opens one connection per use, since a sqlite3 connection refuses other threads."""

    def __init__(self, path: str | Path, clock: Clock = system_clock):
        self.path = Path(path)
        self.clock = clock

    @contextmanager
    def open(self) -> Iterator[Store]:
        """A Store for the calling thread, closed afterwards."""
        store = Store(self.path, self.clock)
        try:
            yield store
        finally:
            store.close()
