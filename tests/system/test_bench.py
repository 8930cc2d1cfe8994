"""The benchmark command runs end to end in quick mode (its figures are not pass/fail)."""

import subprocess
import sys

import pytest
from helpers import ROOT

pytestmark = pytest.mark.own_clock


def test_quick_bench_runs_and_prints_every_measure(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--store-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for measure in (
        "queue first page warm",
        "fresh process",
        "decision commit p99, 8 processes",
        "batch of",
        "ledger verify",
        "workbench first paint",
        "workbench queue switch",
        "build store",
    ):
        assert measure in result.stdout, measure
