"""Output on a real pseudo-terminal shows hostile text escaped and lines up by cells; pipes get the exact text."""

import csv
import errno
import io
import json
import os
import pty
import subprocess
import sys
import tempfile
import tty
import unicodedata

import pytest
from helpers import RATIONALE, USERS, act, at, raise_request

from registrar.access.identity import Actor
from registrar.administration import admin
from registrar.cli.output import render
from registrar.intake import imports

HOSTILE = "OSC 52 \x1b]52;c;aGVsbG8=\x07 clear \x1b[2J C1 \x9b bidi \u202eevil"
HOSTILE_SHOWN = "OSC 52 \\x1b]52;c;aGVsbG8=\\x07 clear \\x1b[2J C1 \\x9b bidi \\u202eevil"
WIDE = Actor("zoe_chan", "requester", "Zoe\u0308 陳大文")  # an account name; its display name is wide
WIDE_TEXT = "CR-zoe\u0308-陳大文"  # a crime reference another system wrote, in CJK and a combining mark
PERIOD = ("--from", at(-30), "--to", at(1))
TABULAR = [
    ("queue", "--csv"),
    ("queue", "--json"),
    ("log", "--csv"),
    ("export", "decisions", *PERIOD, "--csv"),
    ("export", "decisions", *PERIOD, "--json"),
]


@pytest.fixture
def hostile(store):
    """The demo store with an open request from a user named in CJK and combining marks, and a decision, both hostile."""
    admin.add_user(store, USERS["fcr"], WIDE.username, WIDE.role, WIDE.display_name)
    line = {"kind": "referral", "agency": "CSC", "summary": HOSTILE}
    imports.import_requests(store, WIDE, json.dumps(line).encode(), "test")
    crime = {"reference": WIDE_TEXT, "offence_code": "46", "recorded_at": at(-2)}
    imports.import_crimes(store, USERS["fcr"], json.dumps(crime).encode(), "wide")
    wide = {"kind": "cancellation", "crime_reference": WIDE_TEXT, "cancellation_code": "C4", "error_description": "x"}
    imports.import_requests(store, WIDE, json.dumps(wide).encode(), "test")
    decided = raise_request(store, kind="referral", agency="CSC")
    act(store, "ddm", decided, "no-crime", f"{RATIONALE} {HOSTILE}")
    return store


def run(store, *args: str, terminal: bool, columns: int = 250) -> str:
    """Run the CLI as fiona with stdout on a new pseudo-terminal (`columns` wide) or a pipe; return all it wrote."""
    command = [sys.executable, "-m", "registrar", "--db", str(store.path), "--as", "fiona", *args]
    env = {**os.environ, "PYTHONUTF8": "1", "COLUMNS": str(columns)}
    if not terminal:
        done = subprocess.run(command, capture_output=True, env=env, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr
        return done.stdout.decode()
    leader, follower = pty.openpty()
    tty.setraw(follower)  # no carriage returns added, so these are the bytes the CLI wrote
    with tempfile.TemporaryFile() as errors:
        with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=follower, stderr=errors, env=env) as child:
            os.close(follower)
            written = bytearray()
            while chunk := _read(leader):
                written += chunk
        os.close(leader)
        errors.seek(0)
        assert child.returncode == 0, errors.read()
    return written.decode()


def _read(fd: int) -> bytes:
    """The next bytes from a pseudo-terminal's leader, or b"" once the child has closed it."""
    try:
        return os.read(fd, 65536)
    except OSError as error:  # Linux reports a closed terminal as EIO
        if error.errno != errno.EIO:
            raise
        return b""


def unprintable(text: str) -> set[str]:
    """The characters a terminal would act on rather than show."""
    return {character for character in text if not character.isprintable() and character != "\n"}


@pytest.mark.parametrize("args", TABULAR, ids=" ".join)
def test_tabular_output_on_a_terminal_shows_hostile_text_as_escapes(hostile, args):
    shown = run(hostile, *args, terminal=True)
    assert unprintable(shown) == set()
    if "--json" in args:
        assert "\\u001b]52;c;aGVsbG8=\\u0007" in shown and "\\u009b" in shown and "\\u202e" in shown
        assert json.loads(shown) == json.loads(run(hostile, *args, terminal=False))
    else:
        assert HOSTILE_SHOWN in shown


@pytest.mark.parametrize("args", TABULAR, ids=" ".join)
def test_tabular_output_in_a_pipe_is_the_exact_text(hostile, args):
    piped = run(hostile, *args, terminal=False)
    if "--json" in args:
        assert any(HOSTILE in str(value) for row in json.loads(piped) for value in row.values())
        assert piped == json.dumps(json.loads(piped), indent=2, ensure_ascii=False) + "\n"
        assert {"\x9b", "\u202e"} <= unprintable(piped)
    else:
        rows = list(csv.reader(io.StringIO(piped)))
        assert any(HOSTILE in cell for row in rows for cell in row)
        again = io.StringIO()
        csv.writer(again, lineterminator="\n").writerows(rows)
        assert piped == again.getvalue()


def test_render_escapes_only_for_a_terminal():
    rows = [{"summary": HOSTILE, "note": "=1+1", "lines": 'a\nb,"c"', "details": {"k": "\x9b"}, "none": None}]
    columns = list(rows[0])
    assert render(rows, columns, "csv", terminal=False) == (
        f'summary,note,lines,details,none\n{HOSTILE},\'=1+1,"a\nb,""c""","{{""k"": ""\x9b""}}",\n'
    )
    assert render(rows, columns, "csv", terminal=True) == (
        f'summary,note,lines,details,none\n{HOSTILE_SHOWN},\'=1+1,"a\\nb,""c""","{{""k"": ""\\x9b""}}",\n'
    )
    as_json = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    assert render(rows, columns, "json", terminal=False) == as_json
    on_terminal = render(rows, columns, "json", terminal=True)
    assert json.loads(on_terminal) == rows and on_terminal == as_json.replace("\x9b", "\\u009b").replace(
        "\u202e", "\\u202e"
    )


def width(text: str) -> int:
    """Terminal cells `text` takes: combining marks none, wide East Asian characters two."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def from_cell(line: str, cell: int) -> str | None:
    """The rest of a line from a terminal cell on, or None when no character starts there."""
    for index in range(len(line) + 1):
        if width(line[:index]) == cell:
            return line[index:]
        if width(line[:index]) > cell:
            break
    return None


@pytest.mark.parametrize("args", [("queue",), ("users", "list")], ids=" ".join)
def test_tables_line_up_by_terminal_cells(hostile, args):
    table = run(hostile, *args, terminal=True)
    rows = json.loads(run(hostile, *args, "--json", terminal=True))
    wide = WIDE_TEXT if args == ("queue",) else WIDE.display_name
    assert unprintable(table) == set() and width(wide) != len(wide)
    header, *lines = table.splitlines()
    columns = header.split()
    assert len(lines) == len(rows) and any(wide in line for line in lines)
    for line, row in zip(lines, rows, strict=True):
        for column in columns[:-1]:
            value = "" if row[column] is None else str(row[column])
            rest = from_cell(line, header.index(column))
            assert rest is not None and rest.startswith(value), (column, line)


def on_a_terminal(store, *args: str) -> str:
    """Run the CLI as fiona with both stdout and stderr on one new pseudo-terminal; return all it showed."""
    command = [sys.executable, "-m", "registrar", "--db", str(store.path), "--as", "fiona", *args]
    leader, follower = pty.openpty()
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower) as child:
        os.close(follower)
        written = bytearray()
        while chunk := _read(leader):
            written += chunk
    os.close(leader)
    assert child.returncode == 0, written.decode()
    return written.decode()


def test_long_work_shows_progress_on_a_terminal_and_none_in_a_pipe(store):
    shown = on_a_terminal(store, "log", "verify")
    assert "verifying" in shown and "ledger verified" in shown
    command = [sys.executable, "-m", "registrar", "--db", str(store.path), "--as", "fiona", "log", "verify"]
    piped = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert piped.returncode == 0 and "verifying" not in piped.stderr + piped.stdout
    assert piped.stdout.startswith("ledger verified")


def test_an_import_shows_progress_on_a_terminal(store, tmp_path):
    rows = "".join(f"PROG-{n},46,2026-11-01T10:00:00Z\n" for n in range(3000))
    path = tmp_path / "crimes.csv"
    path.write_text("reference,offence_code,recorded_at\n" + rows)
    shown = on_a_terminal(store, "import", "crimes", str(path))
    assert "checking crimes" in shown and "imported 3000 crimes" in shown
    assert store.conn.execute("SELECT count(*) FROM crimes WHERE reference LIKE 'PROG-%'").fetchone()[0] == 3000


def test_a_table_fits_an_80_column_terminal_says_what_it_cut_and_fields_pick_columns(hostile):
    table = run(hostile, "queue", terminal=True, columns=80)
    assert max(width(line) for line in table.splitlines()) <= 80
    wide = run(hostile, "queue", terminal=True)
    assert max(width(line) for line in wide.splitlines()) > 80, "the test needs a table wider than 80 to begin with"
    command = [sys.executable, "-m", "registrar", "--db", str(hostile.path), "--as", "fiona", "queue"]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"})
    assert "--json, --csv or --fields give them whole" not in done.stderr, "a pipe is never cut"
    picked = run(hostile, "queue", "--fields", "id,kind", "--csv", terminal=False)
    assert picked.splitlines()[0] == "id,kind" and all(line.count(",") == 1 for line in picked.splitlines())
    unknown = subprocess.run([*command, "--fields", "id,colour"], capture_output=True, text=True)
    assert unknown.returncode == 2 and "colour is not a field here" in unknown.stderr


def on_a_sized_terminal(store, *args: str, rows: int = 10) -> str:
    """Run the CLI with stdin and stdout on one pseudo-terminal of `rows` rows, PAGER a marker-printing cat."""
    import fcntl
    import struct
    import termios

    command = [sys.executable, "-m", "registrar", "--db", str(store.path), "--as", "fiona", *args]
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 200, 0, 0))
    env = {**os.environ, "PAGER": "sh -c 'echo PAGED-BY-PAGER; cat'", "PYTHONUTF8": "1", "COLUMNS": "200"}
    with subprocess.Popen(command, stdin=follower, stdout=follower, stderr=subprocess.DEVNULL, env=env) as child:
        os.close(follower)
        written = bytearray()
        while chunk := _read(leader):
            written += chunk
    os.close(leader)
    assert child.returncode == 0, written.decode()
    return written.decode()


def test_a_long_listing_on_a_terminal_goes_through_the_pager_unless_no_pager(store):
    for n in range(15):
        raise_request(store, kind="referral", agency="CSC", summary=f"Referral {n}")
    paged = on_a_sized_terminal(store, "queue", "referral")
    assert "PAGED-BY-PAGER" in paged and "Referral 14" in paged
    plain = on_a_sized_terminal(store, "queue", "referral", "--no-pager")
    assert "PAGED-BY-PAGER" not in plain and "Referral 14" in plain
    short = on_a_sized_terminal(store, "queue", "referral", "--limit", "3")
    assert "PAGED-BY-PAGER" not in short
