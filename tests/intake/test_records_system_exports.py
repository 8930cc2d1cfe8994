"""Files as records systems write them: cp1252, semicolons, day-first dates, their own headers, stated offsets."""

from helpers import run_on


def test_a_records_system_export_cp1252_semicolons_day_first_with_its_own_headers(store, tmp_path):
    export = (
        "Crime Reference;HO Code;Date Recorded;Beat Area;Notes\r\n"
        "NICHE/24/0001;8N;20/11/2026 09:15;Stafford;Assault outside Café Rouge — victim in A&E\r\n"
        "NICHE/24/0002;46;01/07/2026 23:30;Cannock;Shoplifting £40 of goods\r\n"
    ).encode("cp1252")
    (tmp_path / "niche.csv").write_bytes(export)
    (tmp_path / "niche.map").write_text(
        "# Niche export columns\nCrime Reference=reference\nHO Code=offence_code\nDate Recorded=recorded_at\n"
        "Beat Area=area\nNotes=summary\n"
    )
    refused = run_on(store.path, "import", "crimes", str(tmp_path / "niche.csv"))
    assert refused.exit_code == 1 and "not utf-8" in refused.stderr.lower()
    result = run_on(
        store.path,
        "import",
        "crimes",
        str(tmp_path / "niche.csv"),
        "--encoding",
        "cp1252",
        "--map-file",
        str(tmp_path / "niche.map"),
        "--date-format",
        "%d/%m/%Y %H:%M",
    )
    assert result.exit_code == 0, result.stderr
    rows = {r["reference"]: dict(r) for r in store.conn.execute("SELECT * FROM crimes WHERE reference LIKE 'NICHE%'")}
    assert rows["NICHE/24/0001"]["recorded_at"] == "2026-11-20T09:15:00Z"  # GMT in November
    assert rows["NICHE/24/0002"]["recorded_at"] == "2026-07-01T22:30:00Z"  # BST in July
    assert rows["NICHE/24/0001"]["summary"] == "Assault outside Café Rouge — victim in A&E"
    assert rows["NICHE/24/0002"]["area"] == "Cannock"
    bad = export.replace(b"01/07/2026 23:30", b"2026-07-01")
    (tmp_path / "bad.csv").write_bytes(bad.replace(b"NICHE/24/000", b"NICHE/25/000"))
    result = run_on(
        store.path,
        "import",
        "crimes",
        str(tmp_path / "bad.csv"),
        "--encoding",
        "cp1252",
        "--map-file",
        str(tmp_path / "niche.map"),
        "--date-format",
        "%d/%m/%Y %H:%M",
    )
    assert result.exit_code == 1 and "line 3" in result.stderr and "date format" in result.stderr
    assert store.conn.execute("SELECT count(*) FROM crimes WHERE reference LIKE 'NICHE/25%'").fetchone()[0] == 0


def test_a_date_in_another_layout_is_refused_with_a_hint_at_date_format(store, tmp_path):
    (tmp_path / "uk.csv").write_text("reference,offence_code,recorded_at\nUK/1,46,24/11/2026 09:15\n")
    refused = run_on(store.path, "import", "crimes", str(tmp_path / "uk.csv"))
    assert refused.exit_code == 1 and "line 2: recorded_at '24/11/2026 09:15' is not a date or time" in refused.stderr
    assert "need --date-format '%d/%m/%Y %H:%M'" in refused.stderr
    assert store.conn.execute("SELECT count(*) FROM crimes WHERE reference = 'UK/1'").fetchone()[0] == 0


def test_dates_that_state_their_offset_keep_it(store, tmp_path):
    export = "reference,offence_code,recorded_at\nOFF/1,46,2026-07-01 23:30 +0000\nOFF/2,46,2026-07-01 23:30 +0100\n"
    (tmp_path / "offsets.csv").write_text(export)
    result = run_on(store.path, "import", "crimes", str(tmp_path / "offsets.csv"), "--date-format", "%Y-%m-%d %H:%M %z")
    assert result.exit_code == 0, result.stderr
    recorded = dict(store.conn.execute("SELECT reference, recorded_at FROM crimes WHERE reference LIKE 'OFF/%'"))
    assert recorded == {"OFF/1": "2026-07-01T23:30:00Z", "OFF/2": "2026-07-01T22:30:00Z"}  # not read as BST
    named = "reference,offence_code,recorded_at\nOFF/3,46,2026-07-01 23:30 GMT\n"
    (tmp_path / "named.csv").write_text(named)
    refused = run_on(store.path, "import", "crimes", str(tmp_path / "named.csv"), "--date-format", "%Y-%m-%d %H:%M %Z")
    assert refused.exit_code == 1 and "use %z" in refused.stderr
    assert store.conn.execute("SELECT count(*) FROM crimes WHERE reference = 'OFF/3'").fetchone()[0] == 0


def test_a_batch_with_its_own_headers_and_day_first_dates(store):
    from helpers import avi_cancellation

    rid = avi_cancellation(store)
    rows = f"Req;Decision;Why\n{rid};reject;The CCTV plainly shows the theft took place as reported.\n"
    result = run_on(
        store.path,
        "batch",
        "-",
        "--map",
        "Req=request_id",
        "--map",
        "Decision=action",
        "--map",
        "Why=rationale",
        as_user="dan",
        input=rows,
    )
    assert result.exit_code == 0, result.stderr
    assert store.conn.execute("SELECT state FROM requests WHERE id = ?", (rid,)).fetchone()[0] == "rejected"
