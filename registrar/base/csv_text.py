"""Rows as CSV text safe from formula injection: what a spreadsheet would run as a formula stays text."""

import csv
import io
import json
from collections.abc import Callable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix text a spreadsheet would run as a formula with a quote, so it stays text."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_text(value: object) -> str:
    """A value as one line of text."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def csv_text(rows: Sequence[dict], columns: Sequence[str], shown: Callable[[str], str] | None = None) -> str:
    """A header and one line per row, every cell neutralised (and passed through `shown`, when given)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = [neutralise(cell_text(row.get(c))) for c in columns]
        writer.writerow([shown(text) for text in cells] if shown else cells)
    return buffer.getvalue()
