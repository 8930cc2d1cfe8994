"""Reading CSV (with a header) or JSON Lines into numbered rows, refusing anything malformed."""

import csv
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from registrar.base.errors import BadInput
from registrar.base.text import text_fault
from registrar.intake.field_values import MAX_TEXT

MAX_INPUT_BYTES = 64 * 1024 * 1024
# A batch of decisions is smaller: one person's or one script's day of work, checked row by row.
MAX_BATCH_BYTES = 16 * 1024 * 1024
MAX_BATCH_ROWS = 100_000


@dataclass(frozen=True)
class Row:
    """One data row and the line of the file it starts on."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Table:
    """The rows of one input file, the sha256 of its bytes, and how many rows a skip rule left out."""

    rows: list[Row]
    digest: str
    format: str
    skipped: int = 0


@dataclass(frozen=True)
class FileFormat:
    """How another system writes its export: encoding, delimiter, its column names for ours, and its date format."""

    encoding: str = "utf-8"
    delimiter: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    date_format: str | None = None
    timezone: str = "Europe/London"
    # Per column of ours, their values (case-folded) and ours: a system's own codes or names read as Home Office ones.
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # (column, value) pairs, by their column name or ours: a row whose cell holds the value is left out, and counted.
    skips: tuple[tuple[str, str], ...] = ()


DROP = "-"  # a column mapped to this is left out of the import


DELIMITERS = ",;\t|"
ENCODINGS = ("utf-8", "cp1252", "latin-1")


def read_mapping(text: str) -> dict[str, str]:
    """A column mapping from lines of `Their Name=our_name` or `Their Name=-` to leave a column out (blank lines and
    # comments ignored)."""
    return _pairs(text, "mapping", "THEIR NAME=our_name, or THEIR NAME=- to leave the column out")


def read_value_map(text: str) -> dict[str, str]:
    """A value map from lines of `THEIR VALUE=our value`; their values are matched whatever their case."""
    return {theirs.casefold(): ours for theirs, ours in _pairs(text, "value map", "THEIR VALUE=our value").items()}


def read_rule(text: str, what: str) -> tuple[str, str]:
    """One `COLUMN=VALUE` given on the command line (--skip, --value-map)."""
    column, sep, value = text.partition("=")
    if not sep or not column.strip() or not value.strip():
        raise BadInput(f"{what} {text!r} is not COLUMN=VALUE")
    return column.strip(), value.strip()


def _pairs(text: str, what: str, shape: str) -> dict[str, str]:
    """Lines of `left=right` (split at the last =), blank lines and # comments ignored."""
    pairs: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        theirs, sep, ours = line.rpartition("=")
        if not sep or not theirs.strip() or not ours.strip():
            raise BadInput(f"{what} line {number}: {line!r} is not {shape}")
        pairs[theirs.strip()] = ours.strip()
    return pairs


def read_source(path: str, stdin) -> bytes:
    """Read a file's bytes, or standard input's for '-', refusing files over the size limit."""
    try:
        if path == "-":
            data = (
                stdin.buffer.read(MAX_INPUT_BYTES + 1) if hasattr(stdin, "buffer") else stdin.read(MAX_INPUT_BYTES + 1)
            )
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise BadInput(f"cannot read {path}: {error.strerror}") from None
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_INPUT_BYTES:
        raise BadInput(f"{path} is over the {MAX_INPUT_BYTES // (1024 * 1024)} MiB limit for one file")
    return data


def _decode(data: bytes, encoding: str = "utf-8") -> str:
    """Decode the file (UTF-8 may carry a byte-order mark), naming the line of the first bad byte."""
    if encoding.lower().replace("_", "-") not in ENCODINGS:
        raise BadInput(f"encoding {encoding!r} is not one registrar reads ({', '.join(ENCODINGS)})")
    try:
        return data.decode("utf-8-sig" if encoding.lower() == "utf-8" else encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BadInput(
            f"line {line}: the file is not {'UTF-8' if encoding.lower() == 'utf-8' else encoding} "
            f"(byte {error.start + 1}); save it as UTF-8 or give its encoding with --encoding"
        ) from None


def parse_table(
    data: bytes,
    *,
    columns: set[str],
    required: set[str],
    form: FileFormat | None = None,
    dates: frozenset[str] | set[str] = frozenset(),
) -> Table:
    """Parse CSV or JSON Lines written as `form` says; every structural problem is reported with its line number.

    Columns are renamed by the format's mapping, and with a date format the `dates` columns are read as local
    times and given back as UTC store text.
    """
    form = form or FileFormat()
    text = _decode(data, form.encoding)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise BadInput(f"line {line}: the file contains a NUL byte; it is not a text file")
    digest = hashlib.sha256(data).hexdigest()
    stripped = text.lstrip()
    if not stripped:
        raise BadInput("the file is empty: expected a CSV header or JSON Lines")
    if stripped.startswith("{"):
        rows, problems = _json_lines(text, columns, required, form)
        kind = "jsonl"
    else:
        rows, problems = _csv_rows(text, columns, required, form)
        kind = "csv"
    unknown = sorted(set(form.values) - columns)
    if unknown:
        raise BadInput(f"--value-map names {', '.join(unknown)}, which is not a column of ours here")
    kept = [row for row in rows if row is not None]
    if form.date_format and "%Z" in form.date_format:
        raise BadInput(
            "--date-format %Z reads a zone name, which Python cannot place (GMT and BST would both be "
            "taken as local time): use %z for an offset such as +0100"
        )
    if form.date_format and not problems:
        kept = [_local_dates(row, dates, form, problems) for row in kept]
    if problems:
        raise BadInput(f"{len(problems)} problem(s) in the file; nothing was changed", problems)
    if not kept:
        raise BadInput("the file has a header but no rows" + (" that --skip left in" if rows else ""))
    return Table(kept, digest, kind, len(rows) - len(kept))


def _shape(line: int, record: Mapping[str, str], form: FileFormat) -> Row | None:
    """A record of their columns as ours: left out (None) when a skip rule matches, columns mapped to - dropped,
    values read through the value maps."""
    for column, value in form.skips:
        cell = record.get(column)
        if cell is None:
            cell = next((v for name, v in record.items() if form.columns.get(name) == column), None)
        if cell is not None and cell.strip().casefold() == value.casefold():
            return None
    values = {}
    for name, cell in record.items():
        ours = form.columns.get(name, name)
        if ours == DROP:
            continue
        mapped = form.values.get(ours)
        values[ours] = mapped.get(cell.casefold(), cell) if mapped else cell
    return Row(line, values)


TIME_DIRECTIVES = ("%H", "%I", "%M", "%S", "%p", "%X", "%c", "%f")  # an offset (%z) alone is not a time of day


def date_part(date_format: str) -> str:
    """The date directives of a format (its words with no time of day in them), for values that give only a date."""
    words = [word for word in date_format.split(" ") if not any(d in word for d in (*TIME_DIRECTIVES, "%z"))]
    return " ".join(words)


def _local_dates(row: Row, dates: frozenset[str] | set[str], form: FileFormat, problems: list[str]) -> Row:
    """The row with its date columns read in the file's format, in local time unless it carries an offset (%z), as
    UTC store text; a date with no time of day (a format without one, or a value without one) keeps its calendar
    day, stored as that day's midnight UTC, so every figure by day, week, month or year counts it on that day."""
    zone = ZoneInfo(form.timezone)
    values = dict(row.values)
    date_only = not any(directive in str(form.date_format) for directive in TIME_DIRECTIVES)
    for name in dates:
        value = values.get(name, "")
        if not value:
            continue
        try:
            parsed = datetime.strptime(value, str(form.date_format))
            local = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)  # %z: the file's own offset
            values[name] = (
                parsed.strftime("%Y-%m-%d") if date_only else local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            )
        except (ValueError, OverflowError):
            try:
                day_format = date_part(str(form.date_format))
                if not day_format:
                    raise ValueError("no date in the format")
                values[name] = datetime.strptime(value, day_format).strftime("%Y-%m-%d")
            except (ValueError, OverflowError):
                problems.append(
                    f"line {row.line}: {name} {value!r} does not match the date format {form.date_format!r}"
                )
    return Row(row.line, values)


def cell_fault(cell: str) -> str | None:
    """Why a cell cannot be stored: what the store refuses in any text, or a length no field takes."""
    return text_fault(cell) or (f"is over {MAX_TEXT:,} characters" if len(cell) > MAX_TEXT else None)


def _delimiter(text: str, form: FileFormat) -> str:
    """The file's delimiter: as given, or the one of , ; tab | that splits the header into the most columns."""
    if form.delimiter:
        delimiter = "\t" if form.delimiter in ("tab", "\\t") else form.delimiter
        if len(delimiter) != 1 or delimiter in '\r\n"' or delimiter.isalnum():
            raise BadInput(f"--delimiter {form.delimiter!r} is not one character a CSV file could use (, ; tab |)")
        return delimiter
    header = text.lstrip().split("\n", 1)[0]
    return max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","


def _check_names(line: int, names: list[str], columns: set[str], required: set[str]) -> list[str]:
    """Problems with one record's column names: unknown, repeated or missing."""
    problems = []
    unknown = [name for name in names if name not in columns]
    if unknown:
        problems.append(
            f"line {line}: unknown column(s) {', '.join(repr(n) for n in unknown)}; "
            f"columns are {', '.join(sorted(columns))}"
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        problems.append(f"line {line}: column(s) {', '.join(repeated)} appear more than once")
    missing = sorted(required - set(names))
    if missing:
        problems.append(f"line {line}: missing required column(s) {', '.join(missing)}")
    return problems


def _csv_rows(text: str, columns: set[str], required: set[str], form: FileFormat) -> tuple[list[Row | None], list[str]]:
    """Rows of a CSV file with a header line (delimiter as given or detected, names mapped to ours); None for a row
    a skip rule leaves out."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, form), strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        return [], [f"line 1: the header cannot be read as CSV ({error})"]
    theirs = [name.strip() for name in header]
    names = [form.columns.get(name, name) for name in theirs]
    problems = _check_names(1, [name for name in names if name != DROP], columns, required)
    if problems:
        return [], problems
    rows: list[Row | None] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(f"line {start}: cannot be read as CSV ({error})")
            break
        if not record or all(not cell.strip() for cell in record):
            continue
        if len(record) != len(names):
            problems.append(f"line {start}: has {len(record)} cells but the header has {len(names)}")
            continue
        cells = {name: cell.strip() for name, cell in zip(theirs, record, strict=True)}
        fault = next(((name, found) for name, cell in cells.items() if (found := cell_fault(cell))), None)
        if fault:
            problems.append(f"line {start}: column {fault[0]!r} {fault[1]}")
            continue
        rows.append(_shape(start, cells, form))
    return rows, problems


def _json_lines(
    text: str, columns: set[str], required: set[str], form: FileFormat
) -> tuple[list[Row | None], list[str]]:
    """Rows of a JSON Lines file: one object per line (None for a row a skip rule leaves out)."""
    rows: list[Row | None] = []
    problems: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not valid JSON ({error.msg})")
            continue
        except ValueError as error:  # a number too long for Python to read
            problems.append(f"line {number}: cannot be read ({error})")
            continue
        except RecursionError:
            problems.append(f"line {number}: nested too deeply to be a row")
            continue
        if not isinstance(record, dict):
            problems.append(f"line {number}: expected a JSON object")
            continue
        names = [name for name in (form.columns.get(name, name) for name in record) if name != DROP]
        found = _check_names(number, names, columns, required)
        if found:
            problems.extend(found)
            continue
        values = {}
        for name, value in record.items():
            if isinstance(value, (dict, list)) and form.columns.get(name, name) != "offences":
                problems.append(f"line {number}: column {name!r} must be a single value")
            elif isinstance(value, list):
                if any(isinstance(v, (dict, list)) for v in value):
                    problems.append(f"line {number}: column {name!r} must be a list of single values")
                    continue
                values[name] = ",".join(str(v) for v in value)
            else:
                values[name] = (
                    ""
                    if value is None
                    else ("true" if value else "false")
                    if isinstance(value, bool)
                    else str(value).strip()
                )
        faults = [(name, fault) for name, value in values.items() if (fault := cell_fault(value))]
        if faults:
            problems.append(f"line {number}: column {faults[0][0]!r} {faults[0][1]}")
            continue
        rows.append(_shape(number, values, form))
    return rows, problems
