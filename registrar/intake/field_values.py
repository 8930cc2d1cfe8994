"""Every value a person or a file gives, parsed, normalised and refused in one place, whichever door it came by.

Imports, `decide`, `batch` and the workbench all call `parse_value`, so a bad date, code, force or choice is refused
with the same sentence at every door. The rules then judge what the value means (in the future, not additional).
"""

import re
import sqlite3
from collections.abc import Mapping

from queries import sql
from registrar.base.clock import normalise
from registrar.base.errors import RuleRefused
from registrar.base.text import text_fault
from registrar.base.vocabulary import FIELDS, Field

MAX_TEXT = 20_000
NOT_A_DATE = "is not a date or time"
CONTACT_METHODS = ("phone", "letter", "email", "in person", "text", "video call", "other")
# Value types and the reference query that knows each code.
_LOOKUPS = {
    "ground": ("cancellation_code_get", "a cancellation ground (C1 to C5)"),
    "offence": ("offence_get", "a Home Office offence code in this store"),
    "force": ("force_get", "a force code (see `registrar reference list forces`)"),
    "agency": ("agency_get", "an agency code (see `registrar reference list agencies`)"),
    "area": (
        "area_get",
        "a local policing area of this force (see `registrar reference list areas`; the FCR adds one with "
        "`registrar reference area add`, or map the file's names with --value-map area=FILE)",
    ),
}
# Lookups whose codes may be retired: kept by what already holds them, refused for anything new.
_RETIRABLE = frozenset({"offence", "area"})


class BadValue(RuleRefused):
    """A value that is not what its field takes: not a date, an unknown code, not one of the choices."""

    def __init__(self, message: str):
        super().__init__("bad-value", message)


def _text(name: str, raw: object) -> str:
    """A value as stripped text, refusing what is not text."""
    if isinstance(raw, (bytes, bytearray, memoryview)):
        raise BadValue(f"{name} is binary data, not text")
    text = "" if raw is None else str(raw).strip()
    fault = text_fault(text)
    if fault:
        raise BadValue(f"{name} {fault}")
    if len(text) > MAX_TEXT:
        raise BadValue(f"{name} is over {MAX_TEXT:,} characters")
    return text


def parse_value(
    conn: sqlite3.Connection | None, value_type: str, name: str, raw: object, choices: Mapping | None = None
) -> object:
    """The value as the store keeps it, or BadValue naming the field, the value and what it should be (codes are
    looked up on `conn`; dates and choices need none)."""
    if value_type == "offences":
        parts = raw if isinstance(raw, (list, tuple)) else re.split(r"[\s,;]+", _text(name, raw))
        return [parse_value(conn, "offence", name, part) for part in parts if _text(name, part)]
    text = _text(name, raw)
    if not text:
        return ""
    if value_type == "date":
        try:
            return normalise(text)
        except ValueError:
            raise BadValue(f"{name} {text!r} {NOT_A_DATE} (YYYY-MM-DD, or 2026-11-24T09:15)") from None
    if value_type == "day":
        try:
            return normalise(text)[:10]
        except ValueError:
            raise BadValue(f"{name} {text!r} is not a date (YYYY-MM-DD)") from None
    if value_type in _LOOKUPS:
        query, what = _LOOKUPS[value_type]
        code = {"offence": offence_code_text(text), "area": text}.get(value_type, text.upper())
        assert conn is not None, "codes are looked up in the store"
        row = conn.execute(sql(query), (code,)).fetchone()
        if row is None:
            raise BadValue(f"{name} {text!r} is not {what}")
        if value_type in _RETIRABLE and row["retired_at"]:
            raise BadValue(f"{name} {code} was retired on {row['retired_at'][:10]}; choose a current one")
        return code
    if value_type == "method":
        if text.lower() not in CONTACT_METHODS:
            raise BadValue(f"{name} {text!r} is not one of {', '.join(CONTACT_METHODS)}")
        return text.lower()
    if value_type == "choice":
        key = text.lower()
        if choices is None or key not in choices:
            raise BadValue(f"{name} {text!r} is not one of {', '.join(choices or ())}")
        return key
    return text


def offence_code_text(text: str) -> str:
    """A Home Office code as the store writes it, whichever notation a file used: upper case, ONS '4.1' as '4/1'."""
    code = text.strip().upper()
    ons = re.fullmatch(r"(\d+)\.(\d+)", code)
    return f"{ons.group(1)}/{ons.group(2)}" if ons else code


def parse_field(conn: sqlite3.Connection, field: Field, raw: object) -> object:
    """One decision field's value, parsed as its definition says."""
    return parse_value(conn, field.type, field.name, raw, field.choices)


def parse_fields(conn: sqlite3.Connection, names: tuple[str, ...], given: Mapping[str, object]) -> dict[str, object]:
    """The given values of these decision fields, parsed; fields left empty are left out."""
    parsed: dict[str, object] = {}
    for name in names:
        raw = given.get(name)
        if raw is None or raw == "" or raw == () or raw == []:
            continue
        value = parse_field(conn, FIELDS[name], raw)
        if value not in ("", []):
            parsed[name] = value
    return parsed
