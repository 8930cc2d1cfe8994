"""Intake: every row validated, problems reported by line, nothing imported unless all rows are good."""

import pytest
from helpers import USERS, snapshot

from registrar.base.errors import BadInput, RuleRefused
from registrar.intake import imports


def bad_import(store, importer, data: bytes) -> list[str]:
    """Import, expect BadInput, prove nothing changed, return the problems."""
    before = snapshot(store)
    with pytest.raises(BadInput) as caught:
        importer(store, USERS["fcr"], data, "test.csv")
    assert snapshot(store) == before
    return caught.value.problems or [caught.value.message]


def test_crimes_import_all_rows_with_flags(store):
    data = b"reference,offence_code,recorded_at,area,domestic_abuse\nX-1,46,2026-01-01,Stafford,yes\nX-2,8N,2026-01-02T10:00:00,Cannock,no\n"
    result = imports.import_crimes(store, USERS["fcr"], data, "x.csv")
    assert result.rows == 2
    rows = store.conn.execute(
        "SELECT reference, domestic_abuse, recorded_at FROM crimes WHERE reference LIKE 'X-%' ORDER BY 1"
    ).fetchall()
    assert [tuple(r) for r in rows] == [("X-1", 1, "2026-01-01T00:00:00Z"), ("X-2", 0, "2026-01-02T10:00:00Z")]
    entry = store.conn.execute("SELECT action, details FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    assert entry["action"] == "import-crimes" and result.digest in entry["details"]


def test_one_bad_crime_row_imports_nothing_and_every_problem_has_its_line(store):
    data = (
        b"reference,offence_code,recorded_at\n"
        b"Y-1,46,2026-01-01\n"
        b"Y-2,ZZZ,2026-01-01\n"
        b"Y-1,46,2026-01-01\n"
        b"CR-2026-000001,46,not a date\n"
    )
    problems = bad_import(store, imports.import_crimes, data)
    text = "\n".join(problems)
    assert "line 3: offence_code 'ZZZ'" in text
    assert "line 4: reference Y-1 repeats line 2" in text
    assert "line 5: crime CR-2026-000001 is already in the store" in text
    assert "line 5: recorded_at 'not a date'" in text


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "empty"),
        (b"reference,offence_code\nA,46\n", "missing required column(s) recorded_at"),
        (b"reference,offence_code,recorded_at,colour\nA,46,2026-01-01,red\n", "unknown column(s) 'colour'"),
        (b"reference,offence_code,recorded_at\n\xff\xfe,46,2026-01-01\n", "line 2: the file is not UTF-8"),
        (b"reference,offence_code,recorded_at\nA,46\n", "line 2: has 2 cells but the header has 3"),
        (b'{"reference": "A", "offence_code": "46", "recorded_at": "2026-01-01"}\n{oops\n', "line 2: not valid JSON"),
        (b"reference,offence_code,recorded_at\n", "no rows"),
    ],
)
def test_malformed_files_are_refused_with_a_line(store, data, expected):
    problems = bad_import(store, imports.import_crimes, data)
    assert any(expected in p for p in problems), problems


def test_requests_import_validates_each_kind(store):
    data = (
        b"kind,crime_reference,cancellation_code,proposed_code,other_force,agency\n"
        b"cancellation,CR-2026-000001,C1,,,\n"
        b"cancellation,CR-9,C2,,,\n"
        b"reclassification,CR-2026-000003,,8N,,\n"
        b"transfer_out,CR-2026-000004,,,QQQ,\n"
        b"referral,,,,,NOPE\n"
        b"appeal,,,,,\n"
    )
    problems = "\n".join(bad_import(store, imports.import_requests, data))
    assert "line 2: C1 comes only from an accepted transfer out" in problems
    assert "line 3: crime_reference 'CR-9' is not a crime" in problems
    assert "line 4: crime CR-2026-000003 already has code 8N" in problems
    assert "line 5: other_force 'QQQ' is not a force code" in problems
    assert "line 6: agency 'NOPE' is not an agency code" in problems
    assert "line 7: kind 'appeal'" in problems


def test_second_open_request_of_a_kind_for_one_crime_is_refused(store):
    line = b"kind,crime_reference,cancellation_code\ncancellation,CR-2026-000001,C4\n"
    imports.import_requests(store, USERS["fcr"], line, "a.csv")
    problems = bad_import(store, imports.import_requests, line)
    assert "already has open cancellation request" in problems[0]


def test_external_ids_cannot_be_imported_twice(store):
    line = b"kind,agency,external_id\nreferral,CSC,MASH-1\n"
    imports.import_requests(store, USERS["fcr"], line, "a.csv")
    assert "was imported before" in bad_import(store, imports.import_requests, line)[0]


def test_each_raised_request_is_a_ledger_entry(store):
    data = b'{"kind": "referral", "agency": "EDU", "subject": "child"}\n{"kind": "referral", "agency": "HEA"}\n'
    before = store.conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
    imports.import_requests(store, USERS["ddm"], data, "r.jsonl")
    after = store.conn.execute("SELECT count(*) FROM ledger WHERE action = 'raise'").fetchone()[0]
    assert after == 2 and store.conn.execute("SELECT count(*) FROM ledger").fetchone()[0] == before + 2


def test_requester_raises_only_in_own_name_and_cannot_import_crimes(store):
    with pytest.raises(BadInput):
        imports.import_requests(store, USERS["requester"], b"kind,agency,requested_by\nreferral,CSC,someone\n", "r")
    with pytest.raises(RuleRefused):
        imports.import_crimes(store, USERS["requester"], b"reference,offence_code,recorded_at\nA,46,2026-01-01\n", "c")
