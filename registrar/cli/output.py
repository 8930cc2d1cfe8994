"""Tabular output for the command line: a plain table, CSV safe from formula injection, or JSON; on a terminal,
characters it would act on rather than print (controls, escape sequences, bidi overrides) are shown as escapes."""

import csv
import io
import json
import sys
from collections.abc import Sequence

import click

from registrar.base.text import json_escape, safe_text, visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("table", "json", "nl", "csv")


def output_options(command):
    """Add --table (default), --json, --nl and --csv to a command as one `fmt` parameter."""
    command = click.option("--csv", "fmt", flag_value="csv", help="Comma-separated values with a header.")(command)
    command = click.option("--nl", "fmt", flag_value="nl", help="One JSON object per line.")(command)
    command = click.option("--json", "fmt", flag_value="json", help="A JSON array of objects.")(command)
    return click.option("--table", "fmt", flag_value="table", default=True, help="A plain text table (default).")(
        command
    )


def neutralise(value: str) -> str:
    """Prefix text a spreadsheet would run as a formula with a quote, so it stays text."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _to_terminal(terminal: bool | None = None) -> bool:
    """Whether output is for a terminal: as given, else whether stdout is one (files and pipes get the exact text)."""
    return sys.stdout.isatty() if terminal is None else terminal


def render(rows: Sequence[dict], columns: Sequence[str], fmt: str, terminal: bool | None = None) -> str:
    """Render rows in the chosen format, showing only `columns` for table and CSV."""
    terminal = _to_terminal(terminal)
    if fmt == "json":
        return json_text(list(rows), terminal)
    if fmt == "nl":
        lines = [json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in rows]
        return "".join(safe_text(line, json_escape) if terminal else line for line in lines)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            cells = [neutralise(_cell(row.get(c))) for c in columns]
            writer.writerow([visible(text) for text in cells] if terminal else cells)
        return buffer.getvalue()
    return plain_table(rows, columns)


def json_text(value: object, terminal: bool | None = None) -> str:
    """Indented JSON; for a terminal, unprintable characters are \\u escapes, so it decodes to the same value."""
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"
    return safe_text(text, json_escape) if _to_terminal(terminal) else text


def _cell(value: object) -> str:
    """A value as one line of text."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def plain_table(rows: Sequence[dict], columns: Sequence[str], max_width: int = 60) -> str:
    """A left-aligned text table with a header, measured in terminal cells; long cells are cut with an ellipsis."""
    from rich.cells import cell_len, set_cell_size  # 2 ms that only table output pays

    cells = [[visible(_cell(row.get(c))) for c in columns] for row in rows]
    cells = [
        [text if cell_len(text) <= max_width else set_cell_size(text, max_width - 1) + "…" for text in line]
        for line in cells
    ]
    widths = [max([cell_len(c)] + [cell_len(line[i]) for line in cells]) for i, c in enumerate(columns)]
    return "".join(
        "  ".join(set_cell_size(text, width) for text, width in zip(line, widths, strict=True)).rstrip() + "\n"
        for line in [list(columns), *cells]
    )
