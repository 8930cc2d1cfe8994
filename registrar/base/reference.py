"""Reference data shipped with registrar (offences, grounds, outcomes, forces, agencies) and the one loader that reads it."""

import csv
import io
from functools import cache
from pathlib import Path

REFERENCE_FILES = (
    "offences",
    "cancellation_codes",
    "outcomes",
    "forces",
    "agencies",
    "offence_severity",
    "rationale_templates",
)


def reference_rows(name: str) -> list[dict[str, str]]:
    """Return the rows of one reference CSV shipped in `registrar/data/` (lines starting # say where it came from)."""
    if name not in REFERENCE_FILES:
        raise KeyError(f"no reference file named {name!r}")
    text = (Path(__file__).parent.parent / "data" / f"{name}.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("".join(lines))))


@cache
def force_codes() -> frozenset[str]:
    """The codes of every force in the shipped reference data."""
    return frozenset(row["code"] for row in reference_rows("forces"))


def force_name(code: str) -> str:
    """A force's name from its code, or the code itself when unknown ('this force' when empty)."""
    if not code:
        return "this force"
    return next((row["name"] for row in reference_rows("forces") if row["code"] == code), code)
