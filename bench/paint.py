"""Headless first paint and queue switch, timed from process start; `--bare` times a plain DataTable app."""

import time

STARTED = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class StallMeter:
    """The longest gap between ticks of a 20 ms timer: how long the event loop froze."""

    def __init__(self, app) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0
        app.set_interval(0.02, self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now


async def until(predicate) -> None:
    """Poll every millisecond until the predicate holds (a benchmark, so polling is fine here)."""
    while not predicate():
        await asyncio.sleep(0.001)


async def workbench(db: str) -> dict:
    """The real workbench: dashboard first paint, then open two queues."""
    from registrar.access.identity import resolve_actor
    from registrar.storage.store import Store
    from screens.app import make_app
    from screens.dashboard import DashboardScreen
    from screens.queue import QueueScreen

    store = Store.open(db)
    app = make_app(store, resolve_actor(store.conn, store.settings(), "fiona"))
    async with app.run_test(size=(100, 30)) as pilot:
        meter = StallMeter(app)
        await until(lambda: isinstance(app.screen, DashboardScreen) and app.screen.figures)
        await pilot.pause()
        first_paint = time.perf_counter() - STARTED
        switches = []
        for kind in ("cancellation", "referral", "transfer_out", "reclassification"):
            dashboard = app.screen
            start = time.perf_counter()
            dashboard.action_open_key(kind)
            await until(lambda: isinstance(app.screen, QueueScreen) and app.screen.rows)
            switches.append(time.perf_counter() - start)
            app.pop_screen()
            await until(lambda: isinstance(app.screen, DashboardScreen))
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        return {
            "first_paint": first_paint,
            "queue_switch": max(switches),
            "switches": switches,
            "max_stall": meter.longest,
        }


async def bare() -> dict:
    """A bare Textual app showing one DataTable of 200 rows."""
    from textual.app import App
    from textual.widgets import DataTable

    class Bare(App):
        def compose(self):
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("a", "b", "c", "d")
            table.add_rows([(n, f"CR-2026-{n:06d}", "46 Shoplifting", "pending") for n in range(200)])

    app = Bare()
    async with app.run_test(size=(100, 30)) as pilot:
        meter = StallMeter(app)
        await pilot.pause()
        first_paint = time.perf_counter() - STARTED
        switches = []
        for _ in range(4):
            start = time.perf_counter()
            table = app.query_one(DataTable)
            table.clear()
            table.add_rows([(n, f"CR-2026-{n:06d}", "46 Shoplifting", "pending") for n in range(200)])
            switches.append(time.perf_counter() - start)
        switch = max(switches)
        return {"first_paint": first_paint, "queue_switch": switch, "max_stall": meter.longest}


if __name__ == "__main__":
    result = asyncio.run(bare() if sys.argv[1] == "--bare" else workbench(sys.argv[1]))
    print(json.dumps(result))
