"""Recording audits an inspector can re-run: the draw depends on the incidents themselves, every crime a decision
creates is found by its reference, and the pack never replaces a file it was not told to."""

import json
import os

from helpers import AREAS, NOW, RATIONALE, USERS, act, at, invoke, raise_request

from registrar.administration import admin
from registrar.base.clock import fixed_clock
from registrar.storage.store import Store

PERIOD = ("--from", at(-30), "--to", at(1))


def incident_lines(count: int) -> list[str]:
    """Incidents as the command-and-control system numbered and timed them, closed without a crime, of no raised risk
    (so each is drawn at the base rate)."""
    return [
        f"STORM-{5000 + n},{at(-20, hours=n)},{at(-20, hours=n + 1)},"
        f"{'NOISE' if n % 3 else 'SUSPICIOUS'},ADVICE,Stafford,,no,no,Call {n}"
        for n in range(count)
    ]


HEADER = (
    "number,opened_at,closed_at,opening_code,closing_code,area,crime_references,domestic_abuse,child_at_risk,summary"
)


def cli(path, who, *args, input=None, code=0):
    """The command line on a store file; checks the exit code."""
    result = invoke(["--db", str(path), "--as", who, *args], input=input)
    assert result.exit_code == code, result.output
    return result


def fresh_store(path):
    """A new demo store with the tests' users and areas."""
    store = Store.create(path, fcr="fiona", fcr_name="Fiona FCR", demo=True, force_code="STA", clock=fixed_clock(NOW))
    for key, actor in USERS.items():
        if key != "fcr":
            admin.add_user(store, USERS["fcr"], actor.username, actor.role, actor.display_name)
    for area in AREAS:
        admin.add_area(store, USERS["fcr"], area)
    store.close()


def drawn_numbers(path) -> list[str]:
    """The incidents a seed-9 draw at a rate of 40% picks, by their numbers."""
    cli(path, "fiona", "recording", "draw", *PERIOD, "--seed", "9", "--rate", "0.4")
    listed = json.loads(cli(path, "fiona", "recording", "list", "--json").stdout)
    return sorted(row["number"] for row in listed)


def test_the_same_incidents_draw_the_same_sample_in_any_order_and_beside_anything_else(tmp_path):
    lines = incident_lines(60)
    first, second = tmp_path / "a" / "force.db", tmp_path / "b" / "force.db"
    fresh_store(first)
    fresh_store(second)
    cli(first, "fiona", "import", "incidents", "-", input="\n".join([HEADER, *lines]) + "\n")
    other = [line.replace("STORM-5", "OTHER-5") for line in incident_lines(25)]  # other incidents, same hours
    cli(second, "fiona", "import", "incidents", "-", input="\n".join([HEADER, *other]) + "\n")  # more rows first
    cli(second, "fiona", "import", "incidents", "-", input="\n".join([HEADER, *reversed(lines[30:])]) + "\n")
    cli(second, "fiona", "import", "incidents", "-", input="\n".join([HEADER, *lines[:30]]) + "\n")
    picked = drawn_numbers(first)
    assert picked == [number for number in drawn_numbers(second) if number.startswith("STORM-")]
    assert 5 < len(picked) < 55, "a 40% draw, not all or nothing"


def test_every_crime_a_verdict_or_a_referral_records_is_found_by_its_reference(store):
    cli(store.path, "fiona", "import", "incidents", "-", input="\n".join([HEADER, *incident_lines(3)]) + "\n")
    cli(store.path, "fiona", "recording", "draw", *PERIOD, "--seed", "1", "--rate", "1")
    item = json.loads(cli(store.path, "audrey", "recording", "list", "--pending", "--json").stdout)[0]["id"]
    cli(
        store.path,
        "audrey",
        "recording",
        "verdict",
        str(item),
        "record-now",
        *("--offence", "105A", "--offence", "8L", "--offence", "58D"),
        "--note",
        "Three crimes were disclosed on the call and none was recorded.",
    )
    created = [row[0] for row in store.conn.execute("SELECT reference FROM crimes WHERE source = 'recording-audit'")]
    assert len(created) == 3
    for reference in created:
        found = json.loads(cli(store.path, "fiona", "log", "--crime", reference, "--json").stdout)
        assert [entry["action"] for entry in found] == ["recording-record-now"], reference
    referral = raise_request(store, kind="referral", agency="HOU", subject="adult", area="Stafford")
    act(store, "ddm", referral, "record", RATIONALE, offences=["105A", "8L"])
    recorded = [
        row[0]
        for row in store.conn.execute(
            "SELECT c.reference FROM request_crimes l JOIN crimes c ON c.id = l.crime_id WHERE l.request_id = ?",
            (referral,),
        )
    ]
    for reference in recorded:
        found = json.loads(cli(store.path, "fiona", "log", "--crime", reference, "--json").stdout)
        assert "record" in [entry["action"] for entry in found], reference


def test_the_pack_never_replaces_a_file_unless_told_and_never_through_a_link(store, tmp_path):
    pack = tmp_path / "pack.html"
    pack.write_text("the October pack, already sent")
    refused = cli(store.path, "fiona", "report", *PERIOD, "--html", str(pack), code=1)
    assert "exists already" in refused.stderr and "--overwrite" in refused.stderr
    assert pack.read_text() == "the October pack, already sent"
    cli(store.path, "fiona", "report", *PERIOD, "--html", str(pack), "--overwrite")
    assert pack.read_text().startswith("<!DOCTYPE html>")
    assert oct(pack.stat().st_mode & 0o777) == "0o600"
    target = tmp_path / "elsewhere.txt"
    target.write_text("not ours to write")
    link = tmp_path / "link.html"
    os.symlink(target, link)
    refused = cli(store.path, "fiona", "report", *PERIOD, "--html", str(link), "--overwrite", code=1)
    assert "not a regular file" in refused.stderr and target.read_text() == "not ours to write"
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".partial")]
