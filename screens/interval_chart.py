"""Shares with their 95% intervals as one labelled row each, drawn in text to fit any width (and read without colour)."""

import textwrap
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget

from registrar.base.text import safe_text

LABEL_MAX = 28
FIGURE_WIDTH = 16  # "100.0% (n=1234)"
TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class Share:
    """One row: what it is, the share (None when nothing was counted), its interval and how many were counted."""

    label: str
    rate: float | None
    low: float
    high: float
    n: int


def _label(text: str, width: int) -> str:
    """A label cut to the column, marked when cut."""
    text = safe_text(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def track(share: Share, width: int) -> str:
    """The 0–100% track of one row: the interval as ├──┤ and the share as ●."""
    cells = [" "] * width

    def at(value: float) -> int:
        """The cell of a share on the track."""
        return min(width - 1, max(0, round(value * (width - 1))))

    low, high = at(share.low), at(share.high)
    for cell in range(low, high + 1):
        cells[cell] = "─"
    cells[low], cells[high] = "├", "┤"
    if share.rate is not None:
        cells[at(share.rate)] = "●"
    return "".join(cells)


def axis(width: int) -> str:
    """Tick labels beneath the track at 0, 25, 50, 75 and 100%."""
    cells = [" "] * (width + 4)
    for tick in TICKS:
        text = f"{tick * 100:.0f}%"
        start = min(width + 4 - len(text), max(0, round(tick * (width - 1)) - len(text) // 2))
        cells[start : start + len(text)] = text
    return "".join(cells)


class IntervalChart(Widget):
    """A title, then each share on its own labelled line, its 95% interval drawn to the terminal's width."""

    DEFAULT_CSS = "IntervalChart { height: auto; padding: 0 1; }"

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.title = ""
        self.rows: list[Share] = []

    def show(self, title: str, rows: list[Share]) -> None:
        """Draw these rows under this title."""
        self.title, self.rows = title, rows
        self.refresh(layout=True)

    def lines(self, width: int) -> list[tuple[str, bool]]:
        """The chart as (text, bold) lines for a width: the title wrapped to it, the rows, an axis last."""
        heading = [(line, True) for line in textwrap.wrap(safe_text(self.title), max(10, width))] or [("", True)]
        if not self.rows:
            return heading
        label_width = min(LABEL_MAX, max(len(safe_text(row.label)) for row in self.rows))
        span = max(10, width - label_width - FIGURE_WIDTH - 4)
        out = [*heading, ("", False)]
        for row in self.rows:
            figure = "-" if row.rate is None else f"{row.rate * 100:.1f}%"
            line = f"{_label(row.label, label_width):>{label_width}}  {track(row, span)}  {figure} (n={row.n})"
            out.append((line, False))
        out.append((" " * (label_width + 2) + axis(span), False))
        return out

    def render(self) -> Content:
        """The chart drawn at the widget's width, the title in bold."""
        return Content("\n").join(
            Content.styled(text, "b") if bold else Content(text) for text, bold in self.lines(self.size.width)
        )

    def get_content_height(self, container, viewport, width: int) -> int:
        """One line per row, the title's lines, a gap and the axis."""
        return len(self.lines(width))
