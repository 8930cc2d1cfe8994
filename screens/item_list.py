"""A list of items awaiting a verdict (sampled decisions, audited incidents): read in a worker, one shown in full."""

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from registrar.storage.store import Store

from .base import WorkbenchPart
from .columns import ColumnFit, refill
from .formatting import plain


class ItemListScreen(WorkbenchPart, Screen):
    """Items in a table, the one under the cursor in a panel beneath; refreshed when the store changes."""

    CSS_PATH = "audit.tcss"
    AUTO_FOCUS = "#items"
    HEADING = ""
    COLUMNS: tuple[tuple[str, str, int | None], ...] = ()  # a width of None: free text, given the cells left over
    DROP_ORDER: tuple[str, ...] = ()  # the columns that go first on a narrow terminal, so free text keeps its room

    @dataclass
    class Loaded(Message):
        """The items read from the store."""

        items: list[dict]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict] = []
        self.shown: list[tuple[str, str, int | None]] = []

    def compose(self) -> ComposeResult:
        yield Static(self.HEADING, classes="title")
        table = DataTable(id="items", cursor_type="row", zebra_stripes=True)
        self.shown = self._fit()
        for key, label, width in self.shown:
            table.add_column(label, key=key, width=width)
        yield table
        yield Static(id="item", classes="entry")
        yield Footer(compact=True)

    def _fit(self) -> list[tuple[str, str, int | None]]:
        """The columns that fit the terminal's width, free text taking what is left."""
        fit = ColumnFit({key: width for key, _, width in self.COLUMNS if width is not None}, self.DROP_ORDER)
        return fit.fit(tuple((key, label) for key, label, _ in self.COLUMNS), self.app.size.width)

    def _rows(self) -> list[list[Content | str]]:
        """The items' cells for the columns shown."""
        return [[self.cell(item, key) for key, _, _ in self.shown] for item in self.items]

    def on_resize(self) -> None:
        """Refit the columns when the terminal changes width."""
        shown = self._fit()
        if shown != self.shown:
            self.shown = shown
            refill(self.query_one("#items", DataTable), shown, self._rows())

    def on_mount(self) -> None:
        self.load()

    def on_workbench_app_store_changed(self) -> None:
        self.load()

    def read_items(self, store: Store) -> list[dict]:
        """The items to list, read from the store in a worker thread (each screen says which)."""
        return []

    def cell(self, item: dict, key: str) -> Content | str:
        """One item's cell for a column: its value as plain text unless a screen formats it."""
        return plain(item.get(key))

    def describe(self, item: dict | None) -> Content:
        """The panel's text for the item under the cursor (or for none)."""
        return Content("")

    def open_form(self, dialog: Screen, title: str) -> None:
        """Open a form dialog; when it closes, say what it did and read the list again."""

        def done(result: str | None) -> None:
            if result:
                self.notify(result, title=title)
            self.load()

        self.app.push_screen(dialog, done)

    @work(thread=True, exclusive=True, group="items", exit_on_error=False)
    def load(self) -> None:
        """Read the items in a worker."""
        with self.app.handle.open() as store:
            items = self.read_items(store)
        self.post_message(self.Loaded(items))

    @on(Loaded)
    def show_items(self, message: Loaded) -> None:
        """Show the items, keeping the cursor on the same item, or on the one now in its place when it went."""
        table = self.query_one("#items", DataTable)
        current, row = self.current(), table.cursor_row
        self.items = message.items
        table.clear()
        table.add_rows(self._rows())
        same = [index for index, item in enumerate(self.items) if current and item["id"] == current["id"]]
        if self.items:
            table.move_cursor(row=same[0] if same else min(row, len(self.items) - 1))
        self.show_current()

    def current(self) -> dict | None:
        """The item under the cursor."""
        table = self.query_one("#items", DataTable)
        if not self.items or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    @on(DataTable.RowHighlighted, "#items")
    def show_current(self) -> None:
        """Show the item under the cursor in full; the keys that apply to it change with it."""
        self.refresh_bindings()
        self.query_one("#item", Static).update(self.describe(self.current()))

    def action_back(self) -> None:
        """Back."""
        self.app.pop_screen()
