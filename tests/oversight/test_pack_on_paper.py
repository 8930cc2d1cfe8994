"""The inspection pack printed to A4 by a real headless Chromium, read back with pdftotext as an inspector's copy."""

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from helpers import run_on

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
def printed(tmp_path_factory):
    """A small demo force's pack for the last 30 days, printed to A4, with the head it was read at."""
    browser = _tool("chromium")
    _tool("pdftotext")
    folder = tmp_path_factory.mktemp("pack")
    db = folder / "demo.db"
    built = run_on(db, "demo", "--db", str(db), "--crimes", "15000", "--no-tui", as_user=None)
    assert built.exit_code == 0, built.stderr
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


def _margins() -> tuple[float, float, float, float]:
    """The page margins (top, right, bottom, left) in points."""
    top, sides, bottom = (float(part.removesuffix("mm")) * MM for part in PAGE_MARGINS.split())
    return top, sides, bottom, sides


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
    appendix = next(i for i, page in enumerate(pages) if "Appendix A" in page.text)
    assert appendix > 0 and "Appendix A" not in pages[0].text
    loose = [n + 1 for n, page in enumerate(pages) if n not in (appendix - 1, len(pages) - 1) and _filled(page) < 0.6]
    assert loose == [], f"pages {loose} are more than 40% blank"


def test_no_word_on_any_page_falls_outside_the_printed_area(printed):
    pages, _, _ = printed
    _, right, _, left = _margins()
    for number, page in enumerate(pages, start=1):
        outside = [w[4] for w in page.words if w[0] < left - 1 or w[2] > page.width - right + 1]
        assert outside == [], f"page {number}: {outside} clipped at the edge"


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
