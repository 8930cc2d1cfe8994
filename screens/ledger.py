"""The rationale ledger: browse and search every entry, and verify the hash chain from the screen."""

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from registrar.base.errors import LedgerBroken
from registrar.base.text import safe_text
from registrar.reading import views

from .base import WorkbenchPart
from .columns import ColumnFit, refill
from .entry_fields import entry_fields
from .formatting import plain, when

PAGE = 200
MAX_ROWS = 2000
COLUMN_WIDTHS = {"seq": 6, "at": 16, "actor": 10, "action": 24, "request_id": 5, "crime_reference": 14, "code": 12}
# On a narrower terminal the request goes first, then the rationale, then the code (the panel beneath shows the
# highlighted entry whole): at 120 columns the rationale still shows, at 80 the action keeps 22 cells. A cut cell
# ends in an ellipsis.
FIT = ColumnFit(COLUMN_WIDTHS, ("request_id", "rationale", "code"), shrink=("action", 16))
COLUMNS = (
    ("seq", "Seq"),
    ("at", "Time (UK)"),
    ("actor", "Actor"),
    ("action", "Action"),
    ("request_id", "Req"),
    ("crime_reference", "Crime"),
    ("code", "Code"),
    ("rationale", "Rationale"),
)


class LedgerScreen(WorkbenchPart, Screen):
    """Every ledger entry, newest first; search by crime, request, person, action, code, date or words."""

    AUTO_FOCUS = "#entries"

    CSS_PATH = "ledger.tcss"
    HELP_NAME = "ledger"
    BINDINGS = [
        Binding("slash", "search", "Search", id="ledger-search"),
        Binding("v", "verify", "Verify chain", id="ledger-verify"),
        Binding("escape", "back", "Back", id="ledger-back"),
    ]

    @dataclass
    class Loaded(Message):
        """A page of entries."""

        entries: list[dict]
        append: bool

    @dataclass
    class Verified(Message):
        """The result of walking the chain."""

        text: str
        ok: bool

    def __init__(self, query: str = "", verify: bool = False):
        super().__init__()
        self.query_text = query
        self.verify_on_open = verify
        self.filters: dict = {}
        self.entries: list[dict] = []
        self.exhausted = False
        self.loading = False
        self.shown: list[tuple[str, str, int | None]] = []

    def compose(self) -> ComposeResult:
        yield Static("Rationale ledger", classes="title")
        yield Input(
            value=self.query_text,
            id="ledger-query",
            compact=True,
            placeholder="crime:REF request:N actor:USER action:approve code:C2 since:2026-11-01 words…",
        )
        table = DataTable(id="entries", cursor_type="row", zebra_stripes=True)
        self._add_columns(table)
        yield table
        yield Static(id="entry", classes="entry")
        yield Static("v verifies the whole chain", id="verify-status", classes="status")
        yield Footer(compact=True)

    def _add_columns(self, table: DataTable) -> None:
        """Add the columns that fit the terminal's width."""
        self.shown = FIT.fit(COLUMNS, self.app.size.width)
        for key, label, width in self.shown:
            table.add_column(label, key=key, width=width)

    def on_resize(self) -> None:
        """Refit the columns when the terminal changes width."""
        shown = FIT.fit(COLUMNS, self.app.size.width)
        if shown != self.shown:
            self.shown = shown
            refill(self.query_one("#entries", DataTable), shown, [self._cells(entry) for entry in self.entries])

    def on_mount(self) -> None:
        self._apply(self.query_text)
        if self.verify_on_open:
            self.action_verify()
        if self.focused is None:  # keys typed ahead may already have moved the focus
            self.set_focus(self.query_one("#entries"))

    def _apply(self, text: str) -> None:
        """Parse the search and reload."""
        try:
            self.filters = views.parse_ledger_query(text, self.app.handle.clock())
        except ValueError as error:
            self.query_one("#entries", DataTable).clear()
            self.entries = []
            self.query_one("#entry", Static).update(
                Content(f"Not searched: {error}. Dates are YYYY-MM-DD; request:N takes a number.")
            )
            return
        self.entries = []
        self.exhausted = False
        self._read(None, False)

    @work(thread=True, exclusive=True, group="ledger", exit_on_error=False)
    def _read(self, before_seq: int | None, append: bool) -> None:
        """Read a page of entries in a worker thread."""
        extra = {"before_seq": before_seq} if before_seq else {}
        with self.app.handle.open() as store:
            entries = views.ledger_entries(store.conn, **self.filters, **extra, limit=PAGE)
        self.post_message(self.Loaded(entries, append))

    @on(Loaded)
    def show_entries(self, message: Loaded) -> None:
        table = self.query_one("#entries", DataTable)
        if not message.append:
            table.clear()
            self.entries = []
        self.loading = False
        self.exhausted = len(message.entries) < PAGE
        added = message.entries[: MAX_ROWS - len(self.entries)]
        self.entries.extend(added)
        table.add_rows([self._cells(entry) for entry in added])
        self._show_entry()

    def _cells(self, entry: dict) -> list[str]:
        """An entry's cells for the columns shown."""
        return [self._cell(entry, key, width) for key, _, width in self.shown]

    @staticmethod
    def _cell(entry: dict, key: str, width: int | None) -> str:
        """One entry's value for a column, made safe to show, and cut with an ellipsis where it is wider (the panel
        beneath shows it whole)."""
        value = entry[key]
        if key == "at":
            return when(value)
        text = safe_text("" if value is None else str(value)).replace("\n", " ")
        limit = min(width or 80, 80)
        return plain(text if len(text) <= limit else text[: limit - 1] + "…")

    @on(DataTable.RowSelected, "#entries")
    def open_request(self, event: DataTable.RowSelected) -> None:
        """Enter on an entry opens the request it is about."""
        if event.cursor_row < len(self.entries) and self.entries[event.cursor_row]["request_id"]:
            self.app.action_go_to(str(self.entries[event.cursor_row]["request_id"]))
        else:
            self.notify("This entry is not about a request.", severity="warning")

    @on(DataTable.RowHighlighted, "#entries")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_entry()
        if (
            event.cursor_row >= len(self.entries) - 20
            and not self.exhausted
            and not self.loading
            and len(self.entries) < MAX_ROWS
            and self.entries
        ):
            self.loading = True
            self._read(self.entries[-1]["seq"], True)

    def _show_entry(self) -> None:
        """The highlighted entry in full beneath the table."""
        table = self.query_one("#entries", DataTable)
        panel = self.query_one("#entry", Static)
        if not self.entries or table.cursor_row >= len(self.entries):
            panel.update("no entries match" if not self.entries else "")
            return
        e = self.entries[table.cursor_row]
        fields = Content("  ").join(
            Content.assemble((f"{label}: ", "$text-muted"), safe_text(value))
            for label, value in entry_fields(e["details"])
        )
        about = " · ".join(
            text
            for text in (
                f"request {e['request_id']}" if e["request_id"] else "",
                e["crime_reference"] or "",
                f"code {e['code']}" if e["code"] else "",
            )
            if text
        )
        moved = f" {e['from_state'] or 'new'}→{e['to_state']}" if e["to_state"] else ""
        head = f"#{e['seq']} {when(e['at'])} {e['actor']} ({e['role']}) {e['action']}{moved}" + (
            f" · {about}" if about else ""
        )
        panel.update(
            Content("\n").join(
                [
                    Content.styled(safe_text(head), "b"),
                    Content(safe_text(e["rationale"])),
                    fields,
                ]
            )
        )

    @on(Input.Submitted, "#ledger-query")
    def search(self, event: Input.Submitted) -> None:
        self._apply(event.value)
        self.set_focus(self.query_one("#entries"))

    def action_search(self) -> None:
        """Focus the search box."""
        self.set_focus(self.query_one("#ledger-query"))

    def action_verify(self) -> None:
        """Walk the whole chain in a worker and show the result."""
        self.query_one("#verify-status", Static).update("verifying the chain…")
        self._verify()

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def _verify(self) -> None:
        """Verify in a worker thread (the ledger's code is imported here, not at start-up)."""
        from registrar.storage import ledger

        with self.app.handle.open() as store:
            try:
                result = ledger.verify(store.conn)
            except LedgerBroken as broken:
                self.post_message(self.Verified(f"LEDGER BROKEN: {broken.message}", False))
                return
        replayed = f", {result.rows:,} rows replayed against the store" if result.rows is not None else ""
        self.post_message(
            self.Verified(f"chain verified: {result.entries:,} entries{replayed}, head {result.head}", True)
        )

    @on(Verified)
    def show_verification(self, message: Verified) -> None:
        style = "b $success" if message.ok else "b $error"
        self.query_one("#verify-status", Static).update(Content.styled(message.text, style))

    def action_back(self) -> None:
        """Leave the search box, or go back."""
        query = self.query_one("#ledger-query", Input)
        if query.has_focus:
            self.set_focus(self.query_one("#entries"))
            return
        self.app.pop_screen()
