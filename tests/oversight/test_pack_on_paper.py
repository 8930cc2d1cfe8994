"""The inspection pack printed to A4 by a real headless Chromium, read back with pdftotext as an inspector's copy."""

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import timedelta

import pytest
from helpers import NOW, run_on

from registrar.base.clock import fixed_clock, stamp
from registrar.oversight.inspection_pack import LABEL_LINE, PAGE_MARGINS, interval_chart, label_lines
from registrar.storage import ledger
from registrar.storage.store import Store

MM = 72 / 25.4
XHTML = "{http://www.w3.org/1999/xhtml}"


def _tool(name: str) -> str:
    """The path of a Debian tool the test needs: CI installs it, elsewhere its absence skips."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must install {name} (see .ci/run)")
        pytest.skip(f"{name} is not installed")
    return found


@dataclass
class Page:
    """One printed page: its size in points, its text, and every word with its box."""

    width: float
    height: float
    text: str
    words: list[tuple[float, float, float, float, str]]


def _pages(pdf) -> list[Page]:
    """The PDF's pages as pdftotext reads them."""
    tool = _tool("pdftotext")
    boxes = subprocess.run([tool, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(boxes)
    pages = []
    for number, page in enumerate(root.iter(f"{XHTML}page"), start=1):
        words = [
            (float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
            for w in page.iter(f"{XHTML}word")
        ]
        text = subprocess.run(
            [tool, "-f", str(number), "-l", str(number), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages.append(Page(float(page.get("width")), float(page.get("height")), text, words))
    return pages


@pytest.fixture(scope="module")
def printed(small_demo_force, tmp_path_factory):
    """A small demo force's pack for the last 30 days, printed to A4, with the head it was read at."""
    browser = _tool("chromium")
    _tool("pdftotext")
    folder = tmp_path_factory.mktemp("pack")
    db = folder / "demo.db"
    shutil.copy(small_demo_force, db)
    _audit_areas_named_in_capitals(db)
    pack = folder / "pack.html"
    made = run_on(db, "report", "--html", str(pack))
    assert made.exit_code == 0, made.stderr
    head = ledger.head(Store.open(db).conn)
    pdf = folder / "pack.pdf"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            pack.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return _pages(pdf), head, pack.read_text()


CAPITAL_AREAS = ("MOORLANDS AND WOMBOURNE WEST", "STOKE-ON-TRENT NORTH AND SOUTH")


def _audit_areas_named_in_capitals(db) -> None:
    """Two areas named in capitals (the widest letters), each with an audited incident, so the pack charts them."""
    from registrar.access.identity import Actor
    from registrar.administration import admin
    from registrar.oversight.incidents import import_incidents
    from registrar.oversight.recording import RecordingWeights, draw_recording_sample, record_recording_verdict

    fcr = Actor("fiona", "fcr", "Fiona Hale")
    store = Store.open(db, fixed_clock(NOW))
    opened = [stamp(NOW - timedelta(hours=3, seconds=n)) for n in range(len(CAPITAL_AREAS))]
    lines = ["number,opened_at,opening_code,area"] + [
        f"CAPS-{n},{when},VIOLENCE,{area}" for n, (when, area) in enumerate(zip(opened, CAPITAL_AREAS, strict=True))
    ]
    for area in CAPITAL_AREAS:
        admin.add_area(store, fcr, area)
    import_incidents(store, fcr, ("\n".join(lines) + "\n").encode(), "caps.csv")
    everything = RecordingWeights.from_setting({"base_rate": 1.0, "recorded_rate": 1.0})
    draw_recording_sample(store, fcr, min(opened), stamp(NOW - timedelta(hours=2)), 1, everything)
    for n in range(len(CAPITAL_AREAS)):
        review = store.conn.execute(
            "SELECT r.id FROM recording_reviews r JOIN incidents i ON i.id = r.incident_id WHERE i.number = ?",
            (f"CAPS-{n}",),
        ).fetchone()[0]
        record_recording_verdict(store, fcr, review, "record-now", "Assault described on the call.", offences=["8N"])
    store.close()


def _margins() -> tuple[float, float, float, float]:
    """The page margins (top, right, bottom, left) in points."""
    top, sides, bottom = (float(part.removesuffix("mm")) * MM for part in PAGE_MARGINS.split())
    return top, sides, bottom, sides


def page_starts(page: Page, heading: str) -> bool:
    """True when the first line under the running header is the heading."""
    lines = [line for line in page.text.splitlines() if line.strip()]
    return len(lines) > 1 and lines[1].startswith(heading)


def _filled(page: Page) -> float:
    """How far down the page's body the text reaches, as a share of the body's height."""
    top, _, bottom, _ = _margins()
    body = [w for w in page.words if w[1] > top and w[3] < page.height - bottom]
    return (max(w[3] for w in body) - top) / (page.height - top - bottom) if body else 0.0


def test_every_printed_page_names_the_force_the_period_the_head_and_its_number(printed):
    pages, head, _ = printed
    assert 4 <= len(pages) <= 12, f"{len(pages)} pages for a month of a small force"
    for number, page in enumerate(pages, start=1):
        flat = " ".join(page.text.split())
        assert "Staffordshire Police (STA)" in flat, number
        assert re.search(r"\d\d \w{3} \d{4} \d\d:\d\d to \d\d \w{3} \d{4} \d\d:\d\d", flat), number
        assert f"ledger head {head.seq}:{head.hash}" in flat, number
        assert f"page {number} of {len(pages)}" in flat, number


def test_no_page_is_left_mostly_blank_but_the_ends_of_the_body_and_of_the_pack(printed):
    pages, _, html = printed
    assert "Appendix A. Victims not told" in html, "the long list goes to an appendix"
    appendix = next(i for i, page in enumerate(pages) if "Appendix A. Victims not told" in page.text)
    assert appendix > 0 and page_starts(pages[appendix], "Appendix A. Victims not told"), "the appendix starts a page"
    loose = [n + 1 for n, page in enumerate(pages) if n not in (appendix - 1, len(pages) - 1) and _filled(page) < 0.6]
    assert loose == [], f"pages {loose} are more than 40% blank"


def test_no_word_on_any_page_falls_outside_the_printed_area(printed):
    pages, _, _ = printed
    _, right, _, left = _margins()
    for number, page in enumerate(pages, start=1):
        outside = [w[4] for w in page.words if w[0] < left - 1 or w[2] > page.width - right + 1]
        assert outside == [], f"page {number}: {outside} clipped at the edge"
    words = [w[4] for page in pages for w in page.words]
    for area in CAPITAL_AREAS:
        assert words.count(area.split()[0]) >= 2, f"{area}: in its table and its chart"


def test_every_chart_label_is_whole_and_none_starts_left_of_its_chart():
    long = "Miscellaneous Crimes Against Society"
    hostile = "A" * 70 + " " + "b" * 5
    svg = interval_chart(
        "Accuracy by group", [(long, 0.5, 0.2, 0.8, 4), (hostile, 1.0, 0.5, 1.0, 2), ("Theft", 1, 1, 1, 1)]
    )
    assert "Miscellaneous Crimes Against" in svg and ">Society<" in svg, "a long label wraps, whole"
    assert label_lines(hostile)[0].endswith("…") and len(label_lines(hostile)[0]) == LABEL_LINE
    positions = [float(x) for x in re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="end">', svg)]
    assert min(positions) >= len("Miscellaneous Crimes Against") * 5, "room for the longest line left of the axis"


def test_a_chart_taller_than_a_page_is_drawn_in_parts_that_each_fit_one():
    rows = [(f"maker{n}", 0.9, 0.8, 0.95, 20) for n in range(90)]
    html = interval_chart("Compliance by decision maker", rows)
    assert html.count("<figure>") == 3
    assert "(1–30 of 90)" in html and "(61–90 of 90)" in html
    heights = [int(h) for h in re.findall(r'<svg[^>]* height="(\d+)"', html)]
    assert max(heights) < 600, "each part fits an A4 page's body (about 980 units)"


def test_bidi_overrides_and_controls_from_the_store_are_shown_not_obeyed_and_a_long_force_name_is_cut():
    from registrar.oversight.inspection_pack import PackHeader, _table, page_css

    table = _table(["Area"], [["Sexual \u202eOffences reversed\x1b[31m"]])
    assert "\u202e" not in table and "\x1b" not in table and "\\u202e" in table and "\\x1b" in table
    assert "\u202e" not in "".join(label_lines("Moor\u202elands"))
    head = ledger.Head(7, "ab" * 32)
    css = page_css(
        PackHeader("ZZZ", "A" * 300, None, "2026-11-23T09:00:00Z", head),  # type: ignore[arg-type]
        {"from": "2026-10-24T09:00:00Z", "to": "2026-11-23T09:00:01Z"},
    )
    assert "A" * 69 in css and "A" * 70 not in css
    assert "\\2026 " in css, "the cut is marked with an ellipsis (U+2026, escaped)"


def test_a_reference_name_with_a_control_or_bidi_character_is_refused(store):
    from helpers import USERS, snapshot

    from registrar.administration import admin
    from registrar.base.errors import BadInput

    before = snapshot(store)
    for name in ("Moor\u202elands", "Stoke\x1b[2J", "Tam\u200bworth"):
        with pytest.raises(BadInput, match="control or formatting character"):
            admin.add_area(store, USERS["fcr"], name)
    with pytest.raises(BadInput, match="its group holds a control"):
        admin.add_offence(store, USERS["fcr"], "99X", "Test", "Sexual \u202eOffences", "Other", 10)
    assert snapshot(store) == before
