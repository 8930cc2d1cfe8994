"""Users, settings and reference data: changed only by the roles allowed, each change in the ledger."""

import json
from typing import Any

from queries import sql
from registrar.access.identity import Actor, account_name_fault
from registrar.base.errors import BadInput, NotFound, RuleRefused
from registrar.base.reference import force_codes
from registrar.base.text import name_fault
from registrar.base.vocabulary import FCR_ONLY, FINAL_SAY_ROLES, a_role, role_list
from registrar.base.vocabulary import KIND_NAMES as KINDS
from registrar.base.vocabulary import ROLE_NAMES as ROLES
from registrar.decisions.rules import RuleContext, check_rationale
from registrar.intake.field_values import offence_code_text, parse_value
from registrar.oversight.recording import check_recording_weights
from registrar.storage import ledger
from registrar.storage.schema import CRIME_FLAGS
from registrar.storage.store import DEFAULT_SETTINGS, FIXED_SETTINGS, Store

REFERENCE_EDITORS = FINAL_SAY_ROLES
USER_MANAGERS = FCR_ONLY
# The largest whole-number setting (hours, characters): ten years in hours, far beyond any real clock.
MAX_WHOLE_SETTING = 87_600


def _require_role(actor: Actor, roles: frozenset[str], what: str) -> None:
    """Refuse when the actor's role may not make this change."""
    if actor.role not in roles:
        raise RuleRefused("role", f"{a_role(actor.role)} may not {what}; that is for {role_list(roles)}")


def _log(conn, store: Store, actor: Actor, action: str, rationale: str, code: str | None, details: dict) -> None:
    """Append an administrative change to the ledger."""
    ledger.append(conn, at=store.now(), actor=actor, action=action, rationale=rationale, code=code, details=details)


def add_user(store: Store, actor: Actor, username: str, role: str, display_name: str) -> None:
    """Add a registrar user with a role (FCR only)."""
    name = username.strip()
    if role not in ROLES:
        raise BadInput(f"{role!r} is not a role; roles are {', '.join(ROLES)}")
    with store.acting(actor) as (conn, actor):
        _require_role(actor, USER_MANAGERS, "manage users")
        fault = account_name_fault(name, str(store.settings().get("service_account") or ""))
        if fault:
            raise BadInput(f"{username!r} {fault}")
        if conn.execute(sql("user_get"), (name,)).fetchone() is not None:
            raise BadInput(f"user {name!r} already exists")
        conn.execute(sql("user_insert"), (name, role, display_name.strip() or name, 1, store.now()))
        _log(conn, store, actor, "user-add", f"Added {name} as {role}.", role, {"username": name})


def change_user(
    store: Store, actor: Actor, username: str, *, role: str | None = None, active: bool | None = None
) -> None:
    """Change a user's role or deactivate/reactivate them (FCR only)."""
    if role is not None and role not in ROLES:
        raise BadInput(f"{role!r} is not a role; roles are {', '.join(ROLES)}")
    with store.acting(actor) as (conn, actor):
        _require_role(actor, USER_MANAGERS, "manage users")
        row = conn.execute(sql("user_get"), (username,)).fetchone()
        if row is None:
            raise NotFound(f"there is no user {username!r}")
        new_role = role or row["role"]
        new_active = row["active"] if active is None else int(active)
        if row["role"] == "fcr" and row["active"] and (new_role != "fcr" or not new_active):
            if conn.execute(sql("active_fcr_count")).fetchone()[0] <= 1:
                raise RuleRefused("last-fcr", f"{username} is the store's only active FCR; add another FCR first")
            served = bool(store.settings().get("service_account"))
            if served and not conn.execute(sql("fcr_keys_of_others"), (username,)).fetchone()[0]:
                raise RuleRefused(
                    "last-fcr-key",
                    f"no other active FCR has an SSH key: without {username} no FCR could come in to manage users "
                    "or keys; give another FCR a key first",
                )
        conn.execute(sql("user_update"), (new_role, new_active, username))
        _log(
            conn,
            store,
            actor,
            "user-change",
            f"{username}: role {new_role}, active {bool(new_active)}.",
            new_role,
            {
                "username": username,
                "role": new_role,
                "active": bool(new_active),
                "was": {"role": row["role"], "active": bool(row["active"])},
            },
        )


def set_setting(store: Store, actor: Actor, key: str, raw_value: str) -> object:
    """Change one setting (FCR only), checking the value has the default's type."""
    if key in FIXED_SETTINGS:
        raise BadInput(f"{key} is fixed when the store is created")
    if key not in DEFAULT_SETTINGS:
        raise BadInput(
            f"{key!r} is not a setting; settings are {', '.join(sorted(set(DEFAULT_SETTINGS) - set(FIXED_SETTINGS)))}"
        )
    default = DEFAULT_SETTINGS[key]
    try:
        value = raw_value if isinstance(default, str) else json.loads(raw_value)
    except json.JSONDecodeError:
        raise BadInput(f"{raw_value!r} is not valid JSON for {key}") from None
    except RecursionError:
        raise BadInput(f"the value for {key} is nested too deeply") from None
    if type(value) is not type(default) or (type(value) is int and not 1 <= value <= MAX_WHOLE_SETTING):
        raise BadInput(
            f"{key} takes a {type(default).__name__} like {json.dumps(default)}"
            + (f" (whole numbers from 1 to {MAX_WHOLE_SETTING:,})" if type(default) is int else "")
        )
    with store.acting(actor) as (conn, actor):
        _require_role(actor, USER_MANAGERS, "change settings")
        _check_setting_items(key, value, {row["code"] for row in conn.execute(sql("reference_offences"))})
        old = store.settings().get(key)
        conn.execute(sql("setting_upsert"), (key, json.dumps(value)))
        _log(conn, store, actor, "setting", f"Setting {key} changed.", key, {"key": key, "from": old, "to": value})
    return value


def _check_setting_items(key: str, value: Any, offence_codes: set[str]) -> None:
    """Refuse list and mapping settings whose items the store would not understand (codes: the store's own)."""
    if key == "restricted_flags":
        unknown = [flag for flag in value if flag not in CRIME_FLAGS]
        if unknown:
            raise BadInput(f"restricted_flags takes crime flags ({', '.join(CRIME_FLAGS)}), not {unknown[0]!r}")
    if key == "sample_rates":
        kinds, makers = value.get("kinds", {}), value.get("makers", {})
        shape_ok = (
            not set(value) - {"default", "kinds", "makers"} and isinstance(kinds, dict) and isinstance(makers, dict)
        )
        rates = [value.get("default", 0.5), *kinds.values(), *makers.values()] if shape_ok else []
        if (
            not shape_ok
            or set(kinds) - set(KINDS)
            or not all(isinstance(r, (int, float)) and not isinstance(r, bool) and 0 <= r <= 1 for r in rates)
        ):
            raise BadInput(
                'sample_rates is {"default": 0.5, "kinds": {KIND: RATE}, "makers": {USER: RATE}} with '
                f"rates from 0 to 1 and kinds among {', '.join(KINDS)}"
            )
    if key == "abroad_ground" and value not in ("C1", "C4"):
        raise BadInput(f"abroad_ground is C1 or C4, not {value!r}")
    if key == "recording_audit":
        check_recording_weights(value)
    if key == "serious_codes":
        unknown = [code for code in value if code not in offence_codes]
        if unknown or not all(isinstance(code, str) for code in value):
            raise BadInput(f"serious_codes takes Home Office offence codes, not {unknown[:1] or value!r}")
    if key == "force_code" and value and value not in force_codes():
        raise BadInput(f"{value!r} is not a force code (see `registrar reference list forces`)")
    if key == "due_hours":
        for kind, hours in value.items():
            if kind not in KINDS or not isinstance(hours, int) or not 1 <= hours <= MAX_WHOLE_SETTING:
                raise BadInput(f"due_hours maps kinds ({', '.join(KINDS)}) to whole hours, not {kind!r}: {hours!r}")


def set_restricted(store: Store, actor: Actor, code: str, restricted: bool) -> None:
    """Add an offence code to, or remove it from, the restricted list (FCR or deputy)."""
    with store.acting(actor) as (conn, actor):
        _require_role(actor, REFERENCE_EDITORS, "edit reference data")
        row = _offence(conn, code)
        code = row["code"]
        conn.execute(sql("offence_set_restricted"), (int(restricted), code))
        verb = "restricted" if restricted else "unrestricted"
        _log(
            conn,
            store,
            actor,
            "reference",
            f"Offence {code} {verb}.",
            code,
            {"table": "offences", "code": code, "restricted": restricted, "was": bool(row["restricted"])},
        )


MAX_SEVERITY = 100_000
MAX_NAME = 100
OFFENCE_FIELDS = ("code", "name", "offence_group", "subgroup", "victim_based", "restricted", "severity")


def set_severity(store: Store, actor: Actor, code: str, weight: int, rationale: str) -> None:
    """Give an offence code another seriousness weight, by which downgrades are judged (FCR or deputy), with why."""
    if not 0 <= weight <= MAX_SEVERITY:
        raise BadInput(f"a seriousness weight is a whole number from 0 to {MAX_SEVERITY:,}, not {weight}")
    with store.acting(actor) as (conn, actor):
        _require_role(actor, REFERENCE_EDITORS, "edit reference data")
        ctx = RuleContext(conn, store.settings(), actor, store.now())
        offence_code = str(parse_value(conn, "offence", "code", code))
        row = conn.execute(sql("offence_get"), (offence_code,)).fetchone()
        text = check_rationale(ctx, rationale)
        conn.execute(sql("offence_set_severity"), {"code": offence_code, "severity": weight})
        _log(
            conn,
            store,
            actor,
            "reference",
            text,
            offence_code,
            {"table": "offences", "code": offence_code, "severity": weight, "was": row["severity"]},
        )


def add_area(store: Store, actor: Actor, name: str) -> None:
    """Add a local policing area of this force (FCR or deputy): crimes, requests and incidents may name it."""
    area = name.strip()
    fault = name_fault(area)
    if not area or fault or len(area) > MAX_NAME:
        raise BadInput(f"{name!r} is not a usable area name" + (f" (it {fault})" if fault else ""))
    with store.acting(actor) as (conn, actor):
        _require_role(actor, REFERENCE_EDITORS, "edit reference data")
        if conn.execute(sql("area_get"), (area,)).fetchone() is not None:
            raise BadInput(f"{area!r} is already an area of this force")
        conn.execute(sql("area_insert"), {"name": area})
        _log(conn, store, actor, "reference", f"Area {area} added.", None, {"table": "areas", "area": area})


def add_offence(
    store: Store,
    actor: Actor,
    code: str,
    name: str,
    group: str,
    subgroup: str,
    weight: int,
    restricted: bool = False,
    victim_based: bool = True,
) -> None:
    """Add a Home Office offence code a new counting-rules year brings (FCR or deputy), with its seriousness weight."""
    offence_code = offence_code_text(code)
    if not offence_code or not all(part.strip() for part in (name, group, subgroup)):
        raise BadInput("a new offence needs its code, name, group and subgroup")
    faults = [
        f"its {what} {fault}"
        for what, text in (("code", offence_code), ("name", name), ("group", group), ("subgroup", subgroup))
        if (fault := name_fault(text.strip()))
    ]
    if faults:
        raise BadInput(f"{offence_code!r} cannot be added: {'; '.join(faults)}")
    if not 0 <= weight <= MAX_SEVERITY:
        raise BadInput(f"a seriousness weight is a whole number from 0 to {MAX_SEVERITY:,}, not {weight}")
    with store.acting(actor) as (conn, actor):
        _require_role(actor, REFERENCE_EDITORS, "edit reference data")
        if conn.execute(sql("offence_get"), (offence_code,)).fetchone() is not None:
            raise BadInput(f"{offence_code} is already a Home Office offence code in this store")
        values = (
            offence_code,
            name.strip(),
            group.strip(),
            subgroup.strip(),
            int(victim_based),
            int(restricted),
            weight,
        )
        conn.execute(sql("offence_insert"), values)
        _log(
            conn,
            store,
            actor,
            "reference",
            f"Offence {offence_code} {name.strip()} added.",
            offence_code,
            {"table": "offences", "code": offence_code, "added": dict(zip(OFFENCE_FIELDS, values, strict=True))},
        )


def retitle_offence(store: Store, actor: Actor, code: str, name: str) -> None:
    """Give an offence code the title the current counting rules use (FCR or deputy)."""
    title = name.strip()
    fault = name_fault(title)
    if not title or fault:
        raise BadInput(f"{name!r} is not a usable offence title" + (f" (it {fault})" if fault else ""))
    with store.acting(actor) as (conn, actor):
        _require_role(actor, REFERENCE_EDITORS, "edit reference data")
        row = _offence(conn, code)
        conn.execute(sql("offence_retitle"), {"code": row["code"], "name": title})
        _log(
            conn,
            store,
            actor,
            "reference",
            f"Offence {row['code']} retitled.",
            row["code"],
            {"table": "offences", "code": row["code"], "name": title, "was": row["name"]},
        )


def retire(store: Store, actor: Actor, kind: str, code: str) -> None:
    """Retire an offence code or an area (FCR or deputy): what already holds it keeps it; nothing new may choose it."""
    with store.acting(actor) as (conn, actor):
        _require_role(actor, REFERENCE_EDITORS, "edit reference data")
        if kind == "offence":
            row = _offence(conn, code)
            key, retired_at = row["code"], row["retired_at"]
        else:
            row = conn.execute(sql("area_get"), (code.strip(),)).fetchone()
            if row is None:
                raise NotFound(f"{code!r} is not an area of this force")
            key, retired_at = row["name"], row["retired_at"]
        if retired_at:
            raise BadInput(f"{key} was retired already, on {retired_at[:10]}")
        conn.execute(
            sql("retirement_insert"),
            {"kind": kind, "code": key, "retired_at": store.now(), "retired_by": actor.username},
        )
        _log(conn, store, actor, "reference", f"{kind.title()} {key} retired.", key, {"table": kind, "retired": key})


def _offence(conn, code: str):
    """The offence row for a code in any notation, or NotFound."""
    row = conn.execute(sql("offence_get"), (offence_code_text(code),)).fetchone()
    if row is None:
        raise NotFound(f"{code!r} is not a Home Office offence code in this store")
    return row


def set_ground(store: Store, actor: Actor, code: str, title: str | None, confirmed: bool | None) -> None:
    """Change a cancellation ground's wording or confirmed flag (FCR or deputy)."""
    with store.acting(actor) as (conn, actor):
        _require_role(actor, REFERENCE_EDITORS, "edit reference data")
        row = conn.execute(sql("cancellation_code_get"), (code,)).fetchone()
        if row is None:
            raise NotFound(f"{code!r} is not a cancellation code in this store")
        new_title = (title or "").strip() or row["title"]
        new_confirmed = row["confirmed"] if confirmed is None else int(confirmed)
        conn.execute(sql("cancellation_code_update"), (new_title, new_confirmed, code))
        _log(
            conn,
            store,
            actor,
            "reference",
            f"Cancellation ground {code} edited.",
            code,
            {
                "table": "cancellation_codes",
                "code": code,
                "title": new_title,
                "confirmed": bool(new_confirmed),
                "was": {"title": row["title"], "confirmed": bool(row["confirmed"])},
            },
        )
