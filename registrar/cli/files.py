"""Options for files from other systems (encoding, delimiter, column names, dates) and their columns' help."""

import functools

import click

from registrar.cli.support import read_input
from registrar.intake.tabular import ENCODINGS, FileFormat, read_mapping


def file_format_options(command):
    """--encoding, --delimiter, --map, --map-file and --date-format for exports from other systems, as one `form`."""

    @functools.wraps(command)
    def wrapper(*args, encoding, delimiter, maps, map_file, date_format, **kwargs):
        mapping = read_mapping(read_input(map_file).decode("utf-8", errors="replace")) if map_file else {}
        mapping.update(read_mapping("\n".join(maps)))
        form = FileFormat(encoding=encoding, delimiter=delimiter, columns=mapping, date_format=date_format)
        return command(*args, form=form, **kwargs)

    options = [
        click.option(
            "--encoding",
            default="utf-8",
            show_default=True,
            type=click.Choice(ENCODINGS),
            help="The file's text encoding.",
        ),
        click.option("--delimiter", help="The CSV delimiter (default: detected from , ; tab |)."),
        click.option(
            "--map",
            "maps",
            multiple=True,
            metavar="'THEIR NAME=our_name'",
            help="Read a column of theirs as ours (repeatable).",
        ),
        click.option("--map-file", metavar="PATH", help="A file of THEIR NAME=our_name lines, kept for reuse."),
        click.option(
            "--date-format",
            metavar="FORMAT",
            help="Their dates, e.g. '%d/%m/%Y %H:%M': local (Europe/London) times, stored as UTC; "
            "with %z a stated offset such as +0100 is kept.",
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def column_help(columns: dict[str, str]) -> str:
    """Describe import columns for --help."""
    return "\n".join(f"  {name}: {text}" for name, text in columns.items())
