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
    """The rows of one input file and the sha256 of its bytes."""

    rows: list[Row]
    digest: str
    format: str


@dataclass(frozen=True)
class FileFormat:
    """How another system writes its export: encoding, delimiter, its column names for ours, and its date format."""

    encoding: str = "utf-8"
    delimiter: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    date_format: str | None = None
    timezone: str = "Europe/London"


DELIMITERS = ",;\t|"
ENCODINGS = ("utf-8", "cp1252", "latin-1")


def read_mapping(text: str) -> dict[str, str]:
    """A column mapping from lines of `Their Name=our_name` (blank lines and # comments ignored)."""
    mapping: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        theirs, sep, ours = line.rpartition("=")
        if not sep or not theirs.strip() or not ours.strip():
            raise BadInput(f"mapping line {number}: {line!r} is not THEIR NAME=our_name")
        mapping[theirs.strip()] = ours.strip()
    return mapping


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
        rows, problems = _json_lines(text, columns, required, form.columns)
        kind = "jsonl"
    else:
        rows, problems = _csv_rows(text, columns, required, form)
        kind = "csv"
    if form.date_format and "%Z" in form.date_format:
        raise BadInput(
            "--date-format %Z reads a zone name, which Python cannot place (GMT and BST would both be "
            "taken as local time): use %z for an offset such as +0100"
        )
    if form.date_format and not problems:
        rows = [_local_dates(row, dates, form, problems) for row in rows]
    if problems:
        raise BadInput(f"{len(problems)} problem(s) in the file; nothing was changed", problems)
    if not rows:
        raise BadInput("the file has a header but no rows")
    return Table(rows, digest, kind)


def _local_dates(row: Row, dates: frozenset[str] | set[str], form: FileFormat, problems: list[str]) -> Row:
    """The row with its date columns read in the file's format, in local time unless it carries an offset (%z), as
    UTC store text."""
    zone = ZoneInfo(form.timezone)
    values = dict(row.values)
    for name in dates:
        value = values.get(name, "")
        if not value:
            continue
        date_part = str(form.date_format).split(" ", 1)[0]
        try:
            parsed = datetime.strptime(value, str(form.date_format))
            local = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)  # %z: the file's own offset
            values[name] = local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            try:
                values[name] = datetime.strptime(value, date_part).strftime("%Y-%m-%d")
            except ValueError:
                problems.append(
                    f"line {row.line}: {name} {value!r} does not match the date format {form.date_format!r}"
                )
    return Row(row.line, values)


def _delimiter(text: str, form: FileFormat) -> str:
    """The file's delimiter: as given, or the one of , ; tab | that splits the header into the most columns."""
    if form.delimiter:
        return "\t" if form.delimiter in ("tab", "\\t") else form.delimiter
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


def _csv_rows(text: str, columns: set[str], required: set[str], form: FileFormat) -> tuple[list[Row], list[str]]:
    """Rows of a CSV file with a header line (delimiter as given or detected, names mapped to ours)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, form), strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        return [], [f"line 1: the header cannot be read as CSV ({error})"]
    names = [form.columns.get(name.strip(), name.strip()) for name in header]
    problems = _check_names(1, names, columns, required)
    if problems:
        return [], problems
    rows: list[Row] = []
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
        rows.append(Row(start, {name: cell.strip() for name, cell in zip(names, record, strict=True)}))
    return rows, problems


def _json_lines(
    text: str, columns: set[str], required: set[str], mapping: Mapping[str, str]
) -> tuple[list[Row], list[str]]:
    """Rows of a JSON Lines file: one object per line."""
    rows: list[Row] = []
    problems: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not valid JSON ({error.msg})")
            continue
        except RecursionError:
            problems.append(f"line {number}: nested too deeply to be a row")
            continue
        if not isinstance(record, dict):
            problems.append(f"line {number}: expected a JSON object")
            continue
        record = {mapping.get(name, name): value for name, value in record.items()}
        names = list(record)
        found = _check_names(number, names, columns, required)
        if found:
            problems.extend(found)
            continue
        values = {}
        for name, value in record.items():
            if isinstance(value, (dict, list)) and name != "offences":
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
        faults = [(name, fault) for name, value in values.items() if (fault := text_fault(value))]
        if faults:
            problems.append(f"line {number}: column {faults[0][0]!r} {faults[0][1]}")
            continue
        rows.append(Row(number, values))
    return rows, problems
