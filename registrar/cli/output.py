"""Tabular output for the command line: a plain table, CSV safe from formula injection, or JSON; on a terminal,
characters it would act on rather than print (controls, escape sequences, bidi overrides) are shown as escapes."""

import functools
import json
import os
import shutil
import sys
from collections.abc import Sequence

import click

from registrar.base.csv_text import cell_text, csv_text
from registrar.base.text import json_escape, safe_text, visible
from registrar.cli.safe_streams import output_is_safe

MIN_CUT = 8  # a column is never cut narrower than this to fit a terminal
FORMATS = ("table", "json", "nl", "csv")


OUTPUT = "registrar.output"  # where a command's --fields and --no-pager wait for render and show


def output_options(command):
    """Add --table (default), --json, --nl and --csv to a command as one `fmt` parameter, and --fields and
    --no-pager, which render and show read from the command's context."""

    inner = command

    @functools.wraps(inner)
    def wrapper(*args, fields: str | None, no_pager: bool, **kwargs):
        chosen = [name.strip() for name in fields.split(",") if name.strip()] if fields else []
        click.get_current_context().meta[OUTPUT] = {"fields": chosen, "no_pager": no_pager}
        return inner(*args, **kwargs)

    command = click.option(
        "--fields", metavar="A,B", help="Only these fields (columns), in this order, whatever the format."
    )(wrapper)
    command = click.option("--no-pager", is_flag=True, help="Never page a long listing on a terminal.")(command)
    command = click.option("--csv", "fmt", flag_value="csv", help="Comma-separated values with a header.")(command)
    command = click.option("--nl", "fmt", flag_value="nl", help="One JSON object per line.")(command)
    command = click.option("--json", "fmt", flag_value="json", help="A JSON array of objects.")(command)
    return click.option("--table", "fmt", flag_value="table", default=True, help="A plain text table (default).")(
        command
    )


def _to_terminal(terminal: bool | None = None) -> bool:
    """Whether output is for a terminal: as given, else whether stdout is one or the far end of a front door may be
    (files and pipes on this machine get the exact text, and so does --raw)."""
    if terminal is not None:
        return terminal
    return sys.stdout.isatty() or output_is_safe(click.get_current_context(silent=True))


def _chosen(rows: Sequence[dict], columns: Sequence[str]) -> tuple[Sequence[dict], Sequence[str]]:
    """The rows and columns --fields asks for (all of them without it), refusing a field there is not."""
    ctx = click.get_current_context(silent=True)
    fields = ctx.meta.get(OUTPUT, {}).get("fields") if ctx else None
    if not fields:
        return rows, columns
    known = list(dict.fromkeys([*columns, *(key for row in rows[:1] for key in row)]))
    unknown = [name for name in fields if name not in known]
    if unknown:
        raise click.UsageError(f"--fields: {', '.join(unknown)} is not a field here; fields are {', '.join(known)}")
    return [{name: row.get(name) for name in fields} for row in rows], fields


def show(text: str, nl: bool = True) -> None:
    """Write a command's data to stdout, through a pager (PAGER, else less) when it is longer than the terminal
    and both ends are one, as git does; never with --no-pager, and never into a file or a pipe."""
    ctx = click.get_current_context(silent=True)
    no_pager = bool(ctx and ctx.meta.get(OUTPUT, {}).get("no_pager"))
    if not no_pager and sys.stdout.isatty() and sys.stdin.isatty():
        size = os.get_terminal_size(sys.stdout.fileno())
        if size.lines and text.count("\n") >= size.lines - 1:
            click.echo_via_pager(text)
            return
    click.echo(text, nl=nl)


def terminal_width() -> int | None:
    """How many cells wide the terminal stdout writes to is, or None for a file or a pipe (they get whole cells)."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((80, 24)).columns


def render(rows: Sequence[dict], columns: Sequence[str], fmt: str, terminal: bool | None = None) -> str:
    """Render rows in the chosen format, showing only `columns` for table and CSV (or what --fields chose)."""
    terminal = _to_terminal(terminal)
    rows, columns = _chosen(rows, columns)
    if fmt == "json":
        return json_text(list(rows), terminal)
    if fmt == "nl":
        lines = [json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in rows]
        return "".join(safe_text(line, json_escape) if terminal else line for line in lines)
    if fmt == "csv":
        return csv_text(rows, columns, visible if terminal else None)
    return plain_table(rows, columns, width=terminal_width())


def json_text(value: object, terminal: bool | None = None) -> str:
    """Indented JSON; for a terminal, unprintable characters are \\u escapes, so it decodes to the same value."""
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"
    return safe_text(text, json_escape) if _to_terminal(terminal) else text


def plain_table(rows: Sequence[dict], columns: Sequence[str], max_width: int = 60, width: int | None = None) -> str:
    """A left-aligned text table with a header, measured in terminal cells; long cells are cut with an ellipsis.
    Given the terminal's `width`, the widest columns are cut further until the table fits it, and stderr says so."""
    from rich.cells import cell_len, set_cell_size  # 2 ms that only table output pays

    cells = [[visible(cell_text(row.get(c))) for c in columns] for row in rows]
    widths = [min(max_width, max([cell_len(c)] + [cell_len(line[i]) for line in cells])) for i, c in enumerate(columns)]
    cut: list[str] = []
    left_out: list[str] = []
    columns = list(columns)

    def too_wide() -> bool:
        return bool(width) and sum(widths) + 2 * (len(widths) - 1) > (width or 0)

    while too_wide() and max(widths) > MIN_CUT:
        widest = widths.index(max(widths))
        widths[widest] -= 1
        if columns[widest] not in cut:
            cut.append(columns[widest])
    while too_wide() and len(columns) > 1:  # every column as narrow as it may go: the last ones give way
        left_out.insert(0, columns.pop())
        widths.pop()
        cells = [line[: len(columns)] for line in cells]
    said = [", ".join(c for c in cut if c in columns) + " cut", ", ".join(left_out) + " left out"]
    said = [part for part, happened in zip(said, (set(cut) & set(columns), left_out), strict=True) if happened]
    if said:
        click.echo(
            f"registrar: {'; '.join(said)} to fit {width} columns; --json, --csv or --fields give them whole",
            err=True,
        )
    cells = [
        [
            text if cell_len(text) <= size else set_cell_size(text, size - 1) + "…"
            for text, size in zip(line, widths, strict=True)
        ]
        for line in cells
    ]
    return "".join(
        "  ".join(set_cell_size(text, width) for text, width in zip(line, widths, strict=True)).rstrip() + "\n"
        for line in [list(columns), *cells]
    )
