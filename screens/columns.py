"""Table columns that fit the terminal: the least useful go before any text is cut."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual.widgets import DataTable

CELL_PADDING = 2
SCROLLBAR = 2
FLEXIBLE_MIN = 20  # a column without a width (free text) needs at least this many cells to be worth showing


@dataclass(frozen=True)
class ColumnFit:
    """How a table's columns give way on a narrow terminal."""

    widths: dict[str, int]  # columns without a width here are free text, shown at FLEXIBLE_MIN or more
    drop_order: tuple[str, ...]  # least useful first
    shrink: tuple[str, int] | None = None  # a column narrowed, to this minimum, once nothing more can be dropped
    grow: str | None = None  # the column given the cells left over when no free text takes them

    def fit(
        self, columns: tuple[tuple[str, str], ...], width: int, content: Mapping[str, int] | None = None
    ) -> list[tuple[str, str, int | None]]:
        """The columns (key, label, width) that fit a terminal `width` cells wide; with `content` (the widest cell
        of each column shown), a column is no wider than its content or its label needs."""
        available = width - SCROLLBAR
        sized = content or {}
        kept = [
            (key, label, min(self.widths[key], max(len(label), sized[key])) if key in sized else self.widths.get(key))
            if key in self.widths
            else (key, label, None)
            for key, label in columns
        ]
        for key in self.drop_order:
            if _needed(kept) <= available:
                break
            kept = [item for item in kept if item[0] != key]
        over = _needed(kept) - available
        if over > 0 and self.shrink is not None:
            narrowed, minimum = self.shrink
            kept = [
                (key, label, max(minimum, (size or 0) - over) if key == narrowed else size) for key, label, size in kept
            ]
        free = [key for key, _, size in kept if size is None]
        if free:  # free text takes the cells left, so it is cut at the edge rather than scrolled off it
            rest = available - _needed([item for item in kept if item[2] is not None]) - CELL_PADDING * len(free)
            share = max(FLEXIBLE_MIN, rest // len(free))
            kept = [(key, label, share if size is None else size) for key, label, size in kept]
        elif self.grow and available > _needed(kept):
            spare = available - _needed(kept)
            kept = [(key, label, (size or 0) + spare if key == self.grow else size) for key, label, size in kept]
        return kept


def _needed(columns: list[tuple[str, str, int | None]]) -> int:
    """Cells the columns take, padding included."""
    return sum((size or FLEXIBLE_MIN) + CELL_PADDING for _, _, size in columns)


def refill(table: DataTable, shown: list[tuple[str, str, int | None]], rows: Sequence[Sequence[object]]) -> None:
    """Give a table new columns and its rows again, keeping the cursor on the same row."""
    cursor = table.cursor_row
    table.clear(columns=True)
    for key, label, width in shown:
        table.add_column(label, key=key, width=width)
    table.add_rows(rows)
    if rows:
        table.move_cursor(row=min(cursor, len(rows) - 1))
