"""Tabular output for the command line: a plain table, CSV safe from formula injection, or JSON."""

import csv
import io
import json
from collections.abc import Sequence

import click

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("table", "json", "csv")


def output_options(command):
    """Add --table (default), --json and --csv to a command as one `fmt` parameter."""
    command = click.option("--csv", "fmt", flag_value="csv", help="Comma-separated values with a header.")(command)
    command = click.option("--json", "fmt", flag_value="json", help="A JSON array of objects.")(command)
    return click.option("--table", "fmt", flag_value="table", default=True, help="A plain text table (default).")(
        command
    )


def neutralise(value: object) -> object:
    """Prefix text a spreadsheet would run as a formula with a quote, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def render(rows: Sequence[dict], columns: Sequence[str], fmt: str) -> str:
    """Render rows in the chosen format, showing only `columns` for table and CSV."""
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(_cell(row.get(c))) for c in columns])
        return buffer.getvalue()
    return plain_table(rows, columns)


def _cell(value: object) -> str:
    """A value as one line of text."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _printable(text: str) -> str:
    """Replace control characters so a cell cannot move the cursor or recolour a terminal."""
    return "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" if ch not in "\n\t" else " " for ch in text)


def plain_table(rows: Sequence[dict], columns: Sequence[str], max_width: int = 60) -> str:
    """A left-aligned text table with a header; long cells are cut with an ellipsis."""
    cells = [[_printable(_cell(row.get(c))) for c in columns] for row in rows]
    cells = [[text if len(text) <= max_width else text[: max_width - 1] + "…" for text in line] for line in cells]
    widths = [max([len(c)] + [len(line[i]) for line in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(text.ljust(w) for text, w in zip(line, widths, strict=True)).rstrip() for line in cells]
    return "\n".join(lines) + "\n"


def safe_text(text: str) -> str:
    """Text with control characters replaced, for showing stored values on a terminal."""
    return "\n".join(_printable(line) for line in str(text).split("\n"))
