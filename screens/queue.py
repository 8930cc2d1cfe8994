"""A queue: open requests soonest due first, paged from SQLite, filtered, refreshed when the store changes."""

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from registrar.base.clock import age, stamp
from registrar.base.text import safe_text
from registrar.base.vocabulary import KINDS
from registrar.reading import views

from .base import WorkbenchPart
from .columns import ColumnFit
from .formatting import plain, time_left
from .pickers import PickerScreen

MAX_ROWS = 2000
PAGE = 200
PREFETCH_MARGIN = 20

COLUMNS = {
    "cancellation": (
        ("left", "Left"),
        ("id", "Req"),
        ("crime_reference", "Crime"),
        ("offence", "Offence"),
        ("ground", "Ground"),
        ("state", "State"),
        ("requested_by", "Requester"),
        ("area", "Area"),
    ),
    "reclassification": (
        ("left", "Left"),
        ("id", "Req"),
        ("crime_reference", "Crime"),
        ("offence", "Offence"),
        ("proposed", "To"),
        ("state", "State"),
        ("requested_by", "Requester"),
        ("area", "Area"),
    ),
    "transfer_out": (
        ("left", "Left"),
        ("id", "Req"),
        ("crime_reference", "Crime"),
        ("offence", "Offence"),
        ("other_force", "Force"),
        ("state", "State"),
        ("requested_by", "Requester"),
    ),
    "transfer_in": (
        ("left", "Left"),
        ("id", "Req"),
        ("other_force", "From"),
        ("other_reference", "Their ref"),
        ("offence", "Offence"),
        ("state", "State"),
        ("area", "Area"),
    ),
    "referral": (
        ("left", "Clock"),
        ("id", "Req"),
        ("agency", "Agency"),
        ("subject", "Subject"),
        ("offence", "Disclosed"),
        ("state", "State"),
        ("summary", "Summary"),
    ),
    None: (
        ("left", "Left"),
        ("id", "Req"),
        ("kind", "Kind"),
        ("crime_reference", "Crime"),
        ("offence", "Offence"),
        ("state", "State"),
        ("requested_by", "Requester"),
    ),
    "follow_ups": (
        ("left", "Age"),
        ("id", "Req"),
        ("kind", "Kind"),
        ("crime_reference", "Crime"),
        ("offence", "Offence"),
        ("ground", "Outcome"),
        ("requested_by", "Requester"),
    ),
}


COLUMN_WIDTHS = {
    "left": 16,
    "id": 5,
    "crime_reference": 14,
    "offence": 26,
    "ground": 6,
    "proposed": 5,
    "state": 10,
    "requested_by": 13,
    "area": 13,
    "kind": 8,
    "other_force": 5,
    "other_reference": 12,
    "agency": 6,
    "subject": 13,
}


# When the terminal is narrow, these columns go first (least useful first), then the offence narrows to 16 cells.
FIT = ColumnFit(
    COLUMN_WIDTHS, ("area", "requested_by", "summary", "other_reference"), shrink=("offence", 16), grow="offence"
)
# Columns sized to what they hold once rows are read (the offence title takes what they leave).
SIZED_TO_CONTENT = ("left", "id", "crime_reference", "ground", "proposed", "state", "requested_by", "area", "kind")


class QueueScreen(WorkbenchPart, Screen):
    """One queue's open items in a table; enter opens an item, '/' filters."""

    AUTO_FOCUS = "#rows"

    CSS_PATH = "queue.tcss"
    HELP_NAME = "queue"
    BINDINGS = [
        Binding("enter", "open_item", "Open", id="open-item", show=False),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("o", "toggle_overdue", "Overdue", id="toggle-overdue"),
        Binding("r", "toggle_restricted", "Restricted", id="toggle-restricted"),
        Binding("a", "pick_area", "Area", id="pick-area"),
        Binding("g", "pick_group", "Group", id="pick-group"),
        Binding("escape", "back", "Back", id="back"),
    ]

    @dataclass
    class Loaded(Message):
        """A page of rows read from the store."""

        rows: list[dict]
        limit: int
        append: bool
        keep_id: int | None
        generation: int

    def __init__(self, title: str, queue_filter: views.QueueFilter, follow_ups: bool = False):
        super().__init__()
        self.queue_title = title
        self.base_filter = queue_filter
        self.queue_filter = queue_filter
        self.follow_ups = follow_ups
        self.rows: list[dict] = []
        self.exhausted = False
        self.loading = False
        self.generation = 0
        self.columns = COLUMNS["follow_ups" if follow_ups else queue_filter.kind]
        self.shown: list[tuple[str, str, int | None]] = []
        self.resumed = False

    def compose(self) -> ComposeResult:
        self.generation += 1
        self._load(("", 0), PAGE, append=False, keep_id=None, generation=self.generation)  # read while building
        yield Static(id="queue-title", classes="title")
        yield Input(
            placeholder="filter: reference, summary, offence, requester… (enter to apply, esc to close)",
            id="filter-input",
            compact=True,
        )
        table = DataTable(id="rows", cursor_type="row", zebra_stripes=True)
        self._add_columns(table)
        yield table
        yield Static(id="queue-status", classes="status")
        yield Footer(compact=True)

    def _add_columns(self, table: DataTable) -> None:
        """Add the columns that fit the terminal's width and the rows read."""
        self.shown = FIT.fit(self.columns, self.app.size.width, self._content_widths())
        for key, label, width in self.shown:
            table.add_column(label, key=key, width=width)

    def on_resize(self) -> None:
        """Refit the columns when the terminal changes width."""
        self._refit()

    def _content_widths(self) -> dict[str, int]:
        """The widest cell of each column sized to its content, over the rows read."""
        now = self.app.handle.clock()
        keys = [key for key, _ in self.columns if key in SIZED_TO_CONTENT]
        widths = dict.fromkeys(keys, 0)
        for row in self.rows[:PAGE]:
            for key, cell in zip(keys, self._cells(row, now, keys), strict=True):
                widths[key] = max(widths[key], len(cell.plain if isinstance(cell, Content) else str(cell)))
        return widths if self.rows else {}

    def _refit(self) -> None:
        """Rebuild the columns when the terminal's width or the rows read call for other widths."""
        if self.shown == FIT.fit(self.columns, self.app.size.width, self._content_widths()):
            return
        table = self.query_one("#rows", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        self._add_columns(table)
        now = self.app.handle.clock()
        table.add_rows([self._cells(row, now) for row in self.rows])
        if self.rows:
            table.move_cursor(row=min(cursor, len(self.rows) - 1))

    def on_mount(self) -> None:
        self.query_one("#filter-input").display = False
        self._show_title()
        if self.focused is None:  # keys typed ahead may already have moved the focus
            self.set_focus(self.query_one("#rows"))

    def on_workbench_app_store_changed(self) -> None:
        self.reload(keep_current=True)

    def on_screen_resume(self) -> None:
        """Refresh when coming back from a request (the first showing is read already, from compose)."""
        if self.resumed:
            self.reload(keep_current=True)
        self.resumed = True

    # --- loading ----------------------------------------------------------------------------

    def reload(self, keep_current: bool = False) -> None:
        """Read the queue afresh, keeping the cursor on the same request when asked."""
        self.generation += 1
        keep = self.current_id() if keep_current else None
        limit = min(MAX_ROWS, max(PAGE, len(self.rows))) if keep_current else PAGE
        self._load(("", 0), limit, append=False, keep_id=keep, generation=self.generation)
        self._show_title()

    def _next_page(self) -> None:
        """Fetch the next page when the cursor nears the end of what is loaded."""
        if self.loading or self.exhausted or len(self.rows) >= MAX_ROWS or not self.rows:
            return
        last = self.rows[-1]
        self._load((last["due_at"], last["id"]), PAGE, append=True, keep_id=None, generation=self.generation)

    def _load(self, after: tuple[str, int], limit: int, *, append: bool, keep_id: int | None, generation: int) -> None:
        self.loading = True
        self._read(after, limit, append, keep_id, generation)

    @work(thread=True, group="queue", exit_on_error=False)
    def _read(self, after: tuple[str, int], limit: int, append: bool, keep_id: int | None, generation: int) -> None:
        """Read one page in a worker thread."""
        with self.app.handle.open() as store:
            rows = views.queue_page(store.conn, self.queue_filter, after=after, limit=limit, follow_ups=self.follow_ups)
        self.post_message(self.Loaded(rows, limit, append, keep_id, generation))

    @on(Loaded)
    def show_rows(self, message: Loaded) -> None:
        """Put a page into the table."""
        self.loading = False
        if message.generation != self.generation:
            return
        table = self.query_one("#rows", DataTable)
        now = self.app.handle.clock()
        if not message.append:
            self.rows = []
            table.clear()
        self.exhausted = len(message.rows) < message.limit
        room = MAX_ROWS - len(self.rows)
        added = message.rows[:room]
        self.rows.extend(added)
        table.add_rows([self._cells(row, now) for row in added])
        if not message.append:
            self._refit()
        if message.keep_id is not None:
            for index, row in enumerate(self.rows):
                if row["id"] == message.keep_id:
                    table.move_cursor(row=index)
                    break
        self._show_status()

    def _cells(self, row: dict, now, keys: list[str] | None = None) -> list:
        """One row's cells for this queue's columns (or the given ones)."""
        overdue = row["due_at"] < stamp(now)
        cells = []
        for key in keys if keys is not None else [key for key, _, _ in self.shown]:
            if key == "left":
                text = age(row["due_at"], now) if self.follow_ups else time_left(row["due_at"], now)
                cells.append(Content.styled(text, "b $error") if overdue and not self.follow_ups else text)
            elif key == "offence":
                marker = "R " if row["restricted"] else "  "
                label = safe_text(f"{marker}{row['offence_code'] or ''} {row['offence_name'] or ''}")
                cells.append(Content.styled(label, "b $warning") if row["restricted"] else Content(label))
            elif key == "ground":
                cells.append(plain(row["cancellation_code"] or (row["other_force"] and f"to {row['other_force']}")))
            elif key == "proposed":
                cells.append(row["proposed_code"] or "")
            elif key == "kind":
                cells.append(KINDS[row["kind"]].short)
            elif key == "summary":
                cells.append(plain((row["summary"] or "")[:120]))
            else:
                cells.append(plain(row.get(key)))
        return cells

    def _show_title(self) -> None:
        parts = []
        f = self.queue_filter
        if f.text:
            parts.append(f"text '{f.text}'")
        if f.area:
            parts.append(f"area {f.area}")
        if f.offence_group:
            parts.append(f"group {f.offence_group}")
        if f.restricted_only:
            parts.append("restricted only")
        if f.due_before and not self.base_filter.due_before:
            parts.append("overdue only")
        filters = f" · {', '.join(parts)}" if parts else ""
        self.query_one("#queue-title", Static).update(Content(f"{self.queue_title}{filters}"))

    def _show_status(self) -> None:
        shown = len(self.rows)
        more = " (more below)" if not self.exhausted and shown < MAX_ROWS else ""
        cap = f" · showing the first {MAX_ROWS}; narrow with filters" if shown >= MAX_ROWS else ""
        self.query_one("#queue-status", Static).update(
            f"{shown} item{'s' if shown != 1 else ''}{more}{cap} · "
            + ("oldest first" if self.follow_ups else "soonest due first")
        )

    def current_id(self) -> int | None:
        """The request under the cursor."""
        table = self.query_one("#rows", DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]["id"]

    def neighbour(self, request_id: int, step: int) -> int | None:
        """The request before or after one in this queue's order, for moving through items."""
        ids = [row["id"] for row in self.rows]
        if request_id in ids:
            index = ids.index(request_id) + step
            return ids[index] if 0 <= index < len(ids) else None
        return ids[0] if ids and step > 0 else None

    @on(DataTable.RowHighlighted, "#rows")
    def near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.rows) - PREFETCH_MARGIN:
            self._next_page()

    # --- actions -----------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#rows")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_item()

    def action_open_item(self) -> None:
        """Open the highlighted request."""
        from .detail import DetailScreen

        request_id = self.current_id()
        if request_id is not None:
            self.app.push_screen(DetailScreen(request_id, self))

    def action_filter(self) -> None:
        """Show the text filter."""
        field = self.query_one("#filter-input", Input)
        field.display = True
        field.value = self.queue_filter.text or ""
        self.set_focus(field)

    @on(Input.Submitted, "#filter-input")
    def apply_filter(self, event: Input.Submitted) -> None:
        self._set_filter(text=event.value.strip() or None)
        self.set_focus(self.query_one("#rows"))

    def action_back(self) -> None:
        """Close the filter box if open, else go back."""
        field = self.query_one("#filter-input", Input)
        if field.display and field.has_focus:
            field.display = False
            self.set_focus(self.query_one("#rows"))
            return
        self.app.pop_screen()

    def action_toggle_overdue(self) -> None:
        """Show only items past their due time, or all again."""
        if self.base_filter.due_before:
            return
        now = stamp(self.app.handle.clock())
        self._set_filter(due_before=None if self.queue_filter.due_before else now)

    def action_toggle_restricted(self) -> None:
        """Show only restricted offences, or all again."""
        self._set_filter(restricted_only=not self.queue_filter.restricted_only)

    def action_pick_area(self) -> None:
        """Choose a local policing area (or all)."""
        self._pick("Area", self.app.reference.areas, "area")

    def action_pick_group(self) -> None:
        """Choose an offence group (or all)."""
        self._pick("Offence group", self.app.reference.offence_groups, "offence_group")

    def _pick(self, title: str, choices: list[str], field: str) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self._set_filter(**{field: value or None})

        self.app.push_screen(PickerScreen(title, [("", "(all)")] + [(c, c) for c in choices]), chosen)

    def _set_filter(self, **changes) -> None:
        self.queue_filter = self.queue_filter._replace(**changes)
        self.reload()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "toggle_overdue" and (self.base_filter.due_before or self.follow_ups):
            return False
        return True
