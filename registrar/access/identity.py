"""Who is acting: the front door a person came in by, mapped to an active registrar user."""

import json
import os
import pwd
import re
import sqlite3
from pathlib import Path
from typing import NamedTuple

from queries import sql
from registrar.base.errors import IdentityError
from registrar.base.vocabulary import SENIOR_ROLES


class Actor(NamedTuple):
    """A registrar user acting now, with the role they hold and the front door they came in by."""

    username: str
    role: str
    display_name: str
    door: str = "local"

    @property
    def is_senior(self) -> bool:
        """True for the FCR, the deputy and the force crime manager."""
        return self.role in SENIOR_ROLES

    @property
    def by_front_door(self) -> bool:
        """True when they came in by an SSH key or sudo, as the service account (whose files are not theirs)."""
        return self.door.startswith(("ssh ", "sudo "))


class SshKey(NamedTuple):
    """The registrar and key fingerprint an SSH forced command names (the gitolite model)."""

    username: str
    fingerprint: str


ACCOUNT_NAME = re.compile(r"[a-z_][a-z0-9_.-]{0,31}")  # what a Unix account name may hold, and nothing sshd reads


def account_name_fault(name: str, service_account: str = "", personal_owner: str = "") -> str | None:
    """Why `name` cannot be a registrar's name, or None: it must be what an account name may hold (so it reaches
    an authorized_keys line, a sudo rule and the ledger unchanged), and never root or the service account (on a
    personal store its owner, whoever that is, is the FCR)."""
    if not ACCOUNT_NAME.fullmatch(name):
        return "is not an account name: a lower-case letter or _, then up to 31 lower-case letters, digits, _ . or -"
    if name != personal_owner and (name == "root" or (service_account and name == service_account)):
        return "is an account of the server itself (root, the service account), not a registrar's"
    return None


SERVED_STORE = ".registrar-store"  # in the service account's home: the one store its front doors open


def served_store() -> Path | None:
    """The store this account's front doors open, as `server setup` recorded it (None where it recorded none)."""
    record = Path(pwd.getpwuid(os.geteuid()).pw_dir) / SERVED_STORE
    try:
        text = record.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None


def record_served_store(path: Path) -> Path:
    """Record, in this account's home (0600), the one store its front doors open; return the record's path."""
    record = Path(pwd.getpwuid(os.geteuid()).pw_dir) / SERVED_STORE
    descriptor = os.open(record, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(f"{os.path.abspath(path)}\n")
    return record


def os_account() -> str:
    """The operating-system account running this process (never USER or LOGNAME)."""
    return pwd.getpwuid(os.geteuid()).pw_name


def os_display_name(account: str | None = None) -> str:
    """An account's full name from the password database, or its login name."""
    try:
        entry = pwd.getpwnam(account) if account else pwd.getpwuid(os.geteuid())
    except KeyError:
        return account or os_account()
    return entry.pw_gecos.split(",")[0] or entry.pw_name


def sudo_invoker() -> str | None:
    """The account that ran this process through sudo, when sudo is really this process's parent."""
    uid = os.environ.get("SUDO_UID", "")
    if not uid.isdigit():
        return None
    try:
        parent = Path(f"/proc/{os.getppid()}/comm").read_text().strip()
    except OSError:
        return None
    if parent != "sudo":
        return None
    try:
        return pwd.getpwuid(int(uid)).pw_name
    except KeyError:
        return None


def who_is_at_the_door(settings: dict, as_user: str | None, key: SshKey | None) -> tuple[str, str]:
    """The registrar username and the front door, from the SSH key, sudo, --as or the OS account."""
    service = str(settings.get("service_account") or "")
    me = os_account()
    if key is not None:
        if not service or me != service:
            raise IdentityError("the SSH gateway runs only as the store's service account, from a key's forced command")
        if as_user is not None:
            raise IdentityError("--as is refused through the SSH gateway: your key says who you are")
        return key.username, f"ssh {key.fingerprint}"
    if as_user is not None:
        if not settings.get("allow_as"):
            raise IdentityError(
                "--as is refused: this is a production store, where you act as your own "
                f"operating-system account ({me}); only demo and test stores accept --as"
            )
        return as_user, "as"
    if service and me == service:
        invoker = sudo_invoker()
        if invoker is not None:
            return invoker, f"sudo {invoker}"
    return me, "local"


def resolve_actor(conn: sqlite3.Connection, settings: dict, as_user: str | None, key: SshKey | None = None) -> Actor:
    """Map whoever came in (SSH key, sudo, --as on a demo store, or the OS account) to an active registrar user."""
    username, door = who_is_at_the_door(settings, as_user, key)
    if door == "as" and not _created_as_demo(conn):
        raise IdentityError(
            "--as is refused: the ledger's first entry does not show this store created as a demo store"
        )
    row = conn.execute(sql("user_get"), (username,)).fetchone()
    if row is None:
        hint = (
            f"use --as {_any_fcr(conn)} on this demo store"
            if settings.get("allow_as") and as_user is None
            else f"ask the FCR to run `registrar users add {username} --role ROLE`"
        )
        raise IdentityError(f"'{username}' is not a registrar user of this store; {hint}")
    if not row["active"]:
        raise IdentityError(f"'{username}' is a deactivated registrar user of this store")
    return Actor(row["username"], row["role"], row["display_name"], door)


def _created_as_demo(conn: sqlite3.Connection) -> bool:
    """True when the ledger's first entry, the store's creation, says it is a demo store (a flipped setting is not enough)."""
    row = conn.execute(sql("ledger_init_entry")).fetchone()
    try:
        return row is not None and json.loads(row[0]).get("store_kind") == "demo"
    except (ValueError, AttributeError):
        return False


def _any_fcr(conn: sqlite3.Connection) -> str:
    """An active FCR's username, for a hint."""
    row = conn.execute(sql("user_first_fcr")).fetchone()
    return row[0] if row else "USER"


def current(conn: sqlite3.Connection, actor: Actor) -> Actor:
    """Re-read the actor inside a write transaction: a removed or deactivated user is refused, the current role used."""
    row = conn.execute(sql("user_get"), (actor.username,)).fetchone()
    if row is None:
        raise IdentityError(f"'{actor.username}' is not a registrar user of this store")
    if not row["active"]:
        raise IdentityError(f"'{actor.username}' was deactivated; nothing was changed")
    if row["role"] == actor.role and row["display_name"] == actor.display_name:
        return actor
    return actor._replace(role=row["role"], display_name=row["display_name"])
