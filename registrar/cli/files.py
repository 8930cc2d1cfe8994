"""Options for files from other systems (encoding, delimiter, column names, dates) and their columns' help."""

import functools
from pathlib import Path

import click

from registrar.base.errors import BadInput
from registrar.cli.support import read_input, write_file
from registrar.intake.tabular import ENCODINGS, FileFormat, read_mapping, read_rule, read_value_map


def file_format_options(command):
    """--encoding, --delimiter, --map, --map-file, --value-map, --skip and --date-format for exports from other systems,
    as one `form`; --problems keeps every problem of a refused file."""

    @functools.wraps(command)
    def wrapper(*args, encoding, delimiter, maps, map_file, date_format, value_maps, skips, problems_path, **kwargs):
        mapping = read_mapping(read_input(map_file).decode("utf-8", errors="replace")) if map_file else {}
        mapping.update(read_mapping("\n".join(maps)))
        values = {}
        for given in value_maps:
            column, path = read_rule(given, "--value-map")
            values[column] = read_value_map(read_input(path).decode("utf-8", errors="replace"))
        form = FileFormat(
            encoding=encoding,
            delimiter=delimiter,
            columns=mapping,
            date_format=date_format,
            values=values,
            skips=tuple(read_rule(given, "--skip") for given in skips),
        )
        try:
            return command(*args, form=form, **kwargs)
        except BadInput as error:
            if problems_path and error.problems:
                _write_problems(problems_path, error)
            raise

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
            help="Read a column of theirs as ours, or leave it out with THEIR NAME=- (repeatable).",
        ),
        click.option("--map-file", metavar="PATH", help="A file of THEIR NAME=our_name (or =-) lines, kept for reuse."),
        click.option(
            "--value-map",
            "value_maps",
            multiple=True,
            metavar="COLUMN=FILE",
            help="Read their values in one of our columns through a file of THEIR VALUE=our value lines "
            "(e.g. offence_code=crime-types.map; repeatable).",
        ),
        click.option(
            "--skip",
            "skips",
            multiple=True,
            metavar="'COLUMN=VALUE'",
            help="Leave out the rows whose COLUMN (theirs or ours) holds VALUE, counted in the summary (repeatable).",
        ),
        click.option(
            "--problems",
            "problems_path",
            metavar="FILE|-",
            help="When the file is refused, write every problem, one per line, to a new FILE ('-' for stdout).",
        ),
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


def _write_problems(path: str, error: BadInput) -> None:
    """Every problem of a refused file, one per line, to stdout or a new private file."""
    text = "".join(f"{problem}\n" for problem in error.problems)
    if path == "-":
        click.echo(text, nl=False)
        return
    write_file(Path(path), text, door_hint="give --problems - and redirect it")
    click.echo(f"registrar: all {len(error.problems)} problems are in {path}", err=True)


def left_out(skipped: int) -> str:
    """The summary's note of the rows --skip left out, if any."""
    return f"; {skipped:,} row(s) left out by --skip" if skipped else ""


def column_help(columns: dict[str, str]) -> str:
    """Describe import columns for --help."""
    return "\n".join(f"  {name}: {text}" for name, text in columns.items())
