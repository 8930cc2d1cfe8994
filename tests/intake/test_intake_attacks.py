"""A careless or hostile file: every door of intake refuses what the store could not hold honestly, with a message and
exit 1, never a crash, never a day moved, never a rule bypassed, and the ledger still verifies after."""

import json

import pytest
from helpers import USERS, at, local_day, run_on

from registrar.administration import admin
from registrar.storage import ledger

CRIME = "reference,offence_code,recorded_at,area,oic\n"


@pytest.mark.parametrize(
    "data, args",
    [
        (CRIME + "Z-1,46,0001-01-01 00:00 +0100,Stafford,pc2\n", ("--date-format", "%Y-%m-%d %H:%M %z")),
        ('{"reference": "Z-2", "offence_code": "46", "recorded_at": "2026-11-01", "oic": ' + "9" * 5000 + "}\n", ()),
        (CRIME + "Z-3,46,2026-11-01,Stafford,pc2\n", ("--delimiter", "ab")),
        (CRIME + "Z-4,46,2026-11-01,Stafford,pc2\n", ("--delimiter", "\n")),
    ],
)
def test_what_once_crashed_an_import_is_refused_with_exit_1(store, data, args):
    result = run_on(store.path, "import", "crimes", "-", *args, input=data)
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.output


def test_a_time_of_day_alone_never_becomes_a_date_and_an_offset_on_a_date_keeps_its_day(store):
    refused = run_on(
        store.path, "import", "crimes", "-", "--date-format", "%H:%M %d/%m/%Y", input=CRIME + "T-1,46,00:30,Stafford,\n"
    )
    assert refused.exit_code == 1 and "does not match the date format" in refused.stderr
    assert store.conn.execute("SELECT count(*) FROM crimes WHERE recorded_at LIKE '1900%'").fetchone()[0] == 0
    day = local_day(-30)
    kept = run_on(
        store.path,
        "import",
        "crimes",
        "-",
        "--date-format",
        "%Y-%m-%d%z",
        input=CRIME + f"T-2,46,{day}+0100,Stafford,\n",
    )
    assert kept.exit_code == 0, kept.stderr
    assert (
        store.conn.execute("SELECT recorded_at FROM crimes WHERE reference = 'T-2'").fetchone()[0] == f"{day}T00:00:00Z"
    )


def test_a_crime_is_not_recorded_in_the_future_nor_before_it_happened(store):
    future = run_on(store.path, "import", "crimes", "-", input=CRIME + f"F-1,46,{at(30)},Stafford,\n")
    assert future.exit_code == 1 and "is in the future" in future.stderr
    backwards = "reference,offence_code,recorded_at,occurred_at\nF-2,46," + f"{at(-5)},{at(-1)}\n"
    refused = run_on(store.path, "import", "crimes", "-", input=backwards)
    assert refused.exit_code == 1 and "is after recorded_at" in refused.stderr


def test_a_retired_code_holds_only_crimes_recorded_before_it_was_retired(store):
    admin.retire(store, USERS["fcr"], "offence", "8L")
    admin.retire(store, USERS["fcr"], "offence", "5D")  # a second retirement once broke verify
    admin.retire(store, USERS["fcr"], "area", "Moorlands")
    admin.retire(store, USERS["fcr"], "area", "Lichfield")
    ledger.verify(store.conn)
    late = run_on(
        store.path, "import", "crimes", "-", input=CRIME + f"R-1,8l,{at()},Stafford,\n"
    )  # at the moment it was retired
    assert late.exit_code == 1 and "was retired on" in late.stderr
    mapped = store.path.parent / "types.map"
    mapped.write_text("Harassment=8l\n")
    via_map = run_on(
        store.path,
        "import",
        "crimes",
        "-",
        "--value-map",
        f"offence_code={mapped}",
        input=CRIME + f"R-2,Harassment,{at()},Stafford,\n",
    )
    assert via_map.exit_code == 1 and "was retired on" in via_map.stderr
    early = run_on(store.path, "import", "crimes", "-", input=CRIME + f"R-3,8L,{at(-60)},Stafford,\n")
    assert early.exit_code == 0, early.stderr


def test_cells_are_checked_at_the_csv_door_as_at_every_other(store):
    long = run_on(
        store.path,
        "import",
        "crimes",
        "-",
        input=CRIME.replace("oic", "summary") + f"L-1,46,{at(-1)},Stafford,{'x' * 20_001}\n",
    )
    assert long.exit_code == 1 and "over 20,000 characters" in long.stderr
    requests = "kind,agency,summary\nreferral,CSC," + "y" * 20_001 + "\n"
    assert run_on(store.path, "import", "requests", "-", input=requests).exit_code == 1
    shouted = run_on(store.path, "import", "crimes", "-", input=CRIME + f"L-2,46,{at(-1)},Stafford,DAN\n")
    assert shouted.exit_code == 0
    assert store.conn.execute("SELECT oic FROM crimes WHERE reference = 'L-2'").fetchone()[0] == "dan"


def test_rows_left_out_of_incidents_are_counted_in_the_ledger(store):
    incidents = f"number,opened_at,opening_code,area\nI-1,{at(-2)},RAPE,Stafford\nI-2,{at(-1)},ASB,Stafford\n"
    result = run_on(store.path, "import", "incidents", "-", "--skip", "opening_code=RAPE", input=incidents)
    assert result.exit_code == 0 and "1 row(s) left out by --skip" in result.stderr
    details = json.loads(store.conn.execute("SELECT details FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()[0])
    assert details["skipped"] == 1
