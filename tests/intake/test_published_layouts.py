"""Files in a published police layout load with one command line: data.police.uk's street-level CSV with a map file,
value maps and a skip rule; a wrong file gets a report grouped to fit a screen; a date alone never moves a day."""

import hashlib
import json
from datetime import date

import pytest
from helpers import USERS, local_day, run_on

from registrar.intake import imports
from registrar.intake.tabular import FileFormat

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)
CRIME_TYPES = {
    "Burglary": "28E",
    "Shoplifting": "46",
    "Violence and sexual offences": "105A",
    "Vehicle crime": "45",
    "Criminal damage and arson": "58D",
    "Public order": "9A",
    "Other theft": "49",
    "Bicycle theft": "44",
}
LSOAS = {"Stafford 012A": "Stafford", "Cannock Chase 004B": "Cannock", "Tamworth 007C": "Tamworth"}
MAP_FILE = """# data.police.uk street-level crime: our names for its columns, and - for the ones we leave out
Crime ID=reference
Month=recorded_at
Reported by=-
Falls within=-
Longitude=-
Latitude=-
Location=summary
LSOA code=-
LSOA name=area
Crime type=offence_code
Last outcome category=-
Context=-
"""


def street_file(month: str, crimes: int = 40, asb: int = 12) -> str:
    """A street-level file as data.police.uk publishes it: hashed crime ids, and ASB rows with no id at all."""
    types, lsoas = list(CRIME_TYPES), list(LSOAS)
    lines = [HEADER]
    for n in range(crimes):
        crime_id = hashlib.sha256(f"crime {n}".encode()).hexdigest()
        lsoa = lsoas[n % len(lsoas)]
        lines.append(
            f"{crime_id},{month},Staffordshire Police,Staffordshire Police,-2.1{n:02d},52.8{n:02d},"
            f"On or near Station Road,E0100{n % 9}{n:02d},{lsoa},{types[n % len(types)]},"
            "Investigation complete; no suspect identified,"
        )
    for n in range(asb):
        lines.append(
            f",{month},Staffordshire Police,Staffordshire Police,-2.0{n:02d},52.7{n:02d},On or near High Street,"
            f"E0100{n % 9}{n:02d},{lsoas[n % len(lsoas)]},Anti-social behaviour,,"
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def published(tmp_path):
    """The street file of last month, its map file and the two value maps, on disk."""
    month = local_day(-40)[:7]
    (tmp_path / "street.csv").write_text(street_file(month))
    (tmp_path / "police-uk.map").write_text(MAP_FILE)
    (tmp_path / "crime-types.map").write_text("".join(f"{k}={v}\n" for k, v in CRIME_TYPES.items()))
    (tmp_path / "lsoa.map").write_text("".join(f"{k}={v}\n" for k, v in LSOAS.items()))
    return tmp_path, month


def test_a_data_police_uk_file_imports_with_one_command_line(store, published):
    folder, month = published
    result = run_on(
        store.path,
        "import",
        "crimes",
        str(folder / "street.csv"),
        "--map-file",
        str(folder / "police-uk.map"),
        "--value-map",
        f"offence_code={folder / 'crime-types.map'}",
        "--value-map",
        f"area={folder / 'lsoa.map'}",
        "--skip",
        "Crime type=Anti-social behaviour",
        "--date-format",
        "%Y-%m",
    )
    assert result.exit_code == 0, result.stderr
    assert "imported 40 crimes" in result.stderr and "12 row(s) left out by --skip" in result.stderr
    rows = store.conn.execute(
        "SELECT offence_code, area, recorded_at, summary FROM crimes WHERE length(reference) = 64"
    ).fetchall()
    assert len(rows) == 40
    assert {row["offence_code"] for row in rows} == set(CRIME_TYPES.values())
    assert {row["area"] for row in rows} == set(LSOAS.values())
    assert {row["recorded_at"] for row in rows} == {f"{month}-01T00:00:00Z"}  # the month kept, never a day back
    assert {row["summary"] for row in rows} == {"On or near Station Road"}
    entry = store.conn.execute("SELECT details FROM ledger WHERE action = 'import-crimes' ORDER BY seq DESC").fetchone()
    assert json.loads(entry[0])["skipped"] == 12
    areas = {row[0] for row in store.conn.execute("SELECT name FROM areas")}
    assert not areas & set(LSOAS), "an import never invents an area"


def test_the_file_without_its_maps_gets_a_grouped_report_that_fits_a_screen(store, published):
    folder, _ = published
    before = store.conn.execute("SELECT count(*) FROM crimes").fetchone()[0]
    result = run_on(
        store.path,
        "import",
        "crimes",
        str(folder / "street.csv"),
        "--map-file",
        str(folder / "police-uk.map"),
        "--problems",
        str(folder / "problems.txt"),
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) <= 40, result.stderr
    assert "by column and rule" in result.stderr
    assert "52 row(s): offence_code … is not a Home Office offence code" in result.stderr
    assert "'Anti-social behaviour' in 12 row(s), first on line 42, 43, 44" in result.stderr
    assert "'Shoplifting' in 5 row(s), first on line 3, 11, 19" in result.stderr
    assert "12 row(s): reference is empty (rows that are not crimes can be left out with --skip" in result.stderr
    assert "need --date-format '%Y-%m'" in result.stderr  # the hint fits a YYYY-MM column
    written = (folder / "problems.txt").read_text().splitlines()
    assert len(written) > 100 and all(line.startswith("line ") for line in written)
    assert store.conn.execute("SELECT count(*) FROM crimes").fetchone()[0] == before
    again = run_on(
        store.path, "import", "crimes", str(folder / "street.csv"), "--problems", str(folder / "problems.txt")
    )
    assert again.exit_code == 1 and "exists already" in again.stderr


@pytest.mark.parametrize(
    "written, date_format, day",
    [
        ("29/03/2026", "%d/%m/%Y", "2026-03-29"),  # the clocks go forward at 01:00 that morning
        ("25/10/2026", "%d/%m/%Y", "2026-10-25"),  # and back
        ("24/06/2026", "%d/%m/%Y", "2026-06-24"),  # in British Summer Time
        ("31/12/2025", "%d/%m/%Y", "2025-12-31"),
        ("2026-09", "%Y-%m", "2026-09-01"),
        ("01-Jul-2026", "%d-%b-%Y", "2026-07-01"),
    ],
)
def test_a_date_alone_keeps_its_calendar_day_across_the_year(store, written, date_format, day):
    data = f"reference,offence_code,recorded_at,area\nDAY-1,46,{written},Stafford\n".encode()
    imports.import_crimes(store, USERS["fcr"], data, "days.csv", FileFormat(date_format=date_format))
    stored = store.conn.execute("SELECT recorded_at FROM crimes WHERE reference = 'DAY-1'").fetchone()[0]
    assert stored == f"{day}T00:00:00Z"
    expected = date.fromisoformat(day)
    assert date.fromisoformat(stored[:10]).isocalendar()[:2] == expected.isocalendar()[:2]  # its own ISO week
    assert (stored[:7], stored[:4]) == (day[:7], day[:4])  # its own month and year


def test_an_unknown_area_is_refused_until_the_fcr_adds_it_and_a_retired_one_stays_on_its_crimes(store):
    data = "reference,offence_code,recorded_at,area\nAREA-1,46,2026-11-01,Stone\n"
    refused = run_on(store.path, "import", "crimes", "-", input=data)
    assert refused.exit_code == 1 and "area 'Stone' is not a local policing area" in refused.stderr
    assert store.conn.execute("SELECT count(*) FROM areas WHERE name = 'Stone'").fetchone()[0] == 0
    assert run_on(store.path, "reference", "area", "add", "Stone", as_user="dan").exit_code == 1
    assert run_on(store.path, "reference", "area", "add", "Stone").exit_code == 0
    assert run_on(store.path, "import", "crimes", "-", input=data).exit_code == 0
    assert run_on(store.path, "reference", "area", "retire", "Stone").exit_code == 0
    listed = json.loads(run_on(store.path, "reference", "list", "areas", "--json").stdout)
    assert next(row for row in listed if row["name"] == "Stone")["retired_at"]
    later = data.replace("AREA-1", "AREA-2")
    assert run_on(store.path, "import", "crimes", "-", input=later).exit_code == 1
    assert store.conn.execute("SELECT area FROM crimes WHERE reference = 'AREA-1'").fetchone()[0] == "Stone"
    actions = [row[0] for row in store.conn.execute("SELECT rationale FROM ledger WHERE action = 'reference'")]
    assert "Area Stone added." in actions and "Area Stone retired." in actions


def test_offence_codes_are_added_retitled_and_retired_in_a_live_store(store):
    added = run_on(
        store.path,
        "reference",
        "offence",
        "add",
        "8V",
        "--name",
        "Non-fatal strangulation",
        "--group",
        "Violence Against the Person",
        "--subgroup",
        "Violence with Injury",
        "--weight",
        "300",
    )
    assert added.exit_code == 0, added.stderr
    assert (
        run_on(store.path, "reference", "offence", "retitle", "8v", "Non-fatal strangulation or suffocation").exit_code
        == 0
    )
    row = store.conn.execute("SELECT name, severity FROM offences WHERE code = '8V'").fetchone()
    assert (row[0], row[1]) == ("Non-fatal strangulation or suffocation", 300)
    crimes = "reference,offence_code,recorded_at,area\nOLD-1,88d,2026-11-01,Stafford\nONS-1,4.1,2026-11-01,Cannock\n"
    assert run_on(store.path, "import", "crimes", "-", input=crimes).exit_code == 0
    codes = dict(store.conn.execute("SELECT reference, offence_code FROM crimes WHERE reference IN ('OLD-1', 'ONS-1')"))
    assert codes == {"OLD-1": "88D", "ONS-1": "4/1"}  # one parser: any case, ONS notation
    assert run_on(store.path, "reference", "offence", "retire", "88D").exit_code == 0
    referral = '{"kind": "referral", "agency": "CSC", "suggested_code": "88D"}\n'
    refused = run_on(store.path, "import", "requests", "-", input=referral)
    assert refused.exit_code == 1 and "88D was retired" in refused.stderr
    history = "reference,offence_code,recorded_at,area\nOLD-2,88D,2026-11-02,Stafford\n"
    assert run_on(store.path, "import", "crimes", "-", input=history).exit_code == 0  # recorded before it was retired
    outcome = store.conn.execute("SELECT name FROM outcomes WHERE number = 19").fetchone()[0]
    assert "verify" not in outcome and outcome.startswith("National Fraud Intelligence Bureau filed")


def test_columns_a_records_system_adds_are_left_out_by_name(store):
    export = "Ref;HO;Recorded;Area;Officer Collar;Beat\nCON/1;8N;24/06/2026;Stafford;1234;B7\n"
    result = run_on(
        store.path,
        "import",
        "crimes",
        "-",
        "--map",
        "Ref=reference",
        "--map",
        "HO=offence_code",
        "--map",
        "Recorded=recorded_at",
        "--map",
        "Area=area",
        "--map",
        "Officer Collar=-",
        "--map",
        "Beat=-",
        "--date-format",
        "%d/%m/%Y",
        input=export,
    )
    assert result.exit_code == 0, result.stderr
    assert store.conn.execute("SELECT recorded_at FROM crimes WHERE reference = 'CON/1'").fetchone()[0] == (
        "2026-06-24T00:00:00Z"
    )
    empty = run_on(store.path, "import", "crimes", "-", "--map", "Beat=", input=export)
    assert empty.exit_code == 1 and "THEIR NAME=- to leave the column out" in empty.stderr
