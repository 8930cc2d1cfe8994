"""Who is acting: the operating-system account mapped to the users table."""

import os
import pwd
import sqlite3
from dataclasses import dataclass

from queries import sql

from .errors import IdentityError

SENIOR_ROLES = frozenset({"fcr", "dfcr", "fcm"})
DECIDER_ROLES = SENIOR_ROLES | {"ddm"}


@dataclass(frozen=True)
class Actor:
    """A registrar user acting now, with the role they hold at this moment."""

    username: str
    role: str
    display_name: str

    @property
    def is_senior(self) -> bool:
        """True for the FCR, the deputy and the force crime manager."""
        return self.role in SENIOR_ROLES


def os_account() -> str:
    """The operating-system account running this process (never USER or LOGNAME)."""
    return pwd.getpwuid(os.geteuid()).pw_name


def os_display_name() -> str:
    """The account's full name from the password database, or its login name."""
    entry = pwd.getpwuid(os.geteuid())
    return entry.pw_gecos.split(",")[0] or entry.pw_name


def resolve_actor(conn: sqlite3.Connection, settings: dict, as_user: str | None) -> Actor:
    """Map the OS account (or --as on a demo store) to an active registrar user."""
    if as_user is not None and not settings.get("allow_as"):
        raise IdentityError(
            "--as is refused: this is a production store, where you act as your own "
            f"operating-system account ({os_account()}); only demo and test stores accept --as"
        )
    username = as_user if as_user is not None else os_account()
    row = conn.execute(sql("user_get"), (username,)).fetchone()
    if row is None:
        raise IdentityError(
            f"'{username}' is not a registrar user of this store; ask the FCR to run "
            f"`registrar users add {username} --role ROLE`"
        )
    if not row["active"]:
        raise IdentityError(f"'{username}' is a deactivated registrar user of this store")
    return Actor(row["username"], row["role"], row["display_name"])
