"""SSH keys of the service account's front door: each key names one registrar, every change in the ledger."""

import base64
import binascii
import hashlib
import os
import pwd
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from queries import sql
from registrar.access.identity import Actor, os_account
from registrar.base.errors import BadInput, Conflict, NotFound, RuleRefused
from registrar.base.vocabulary import FCR_ONLY, a_role
from registrar.storage import ledger
from registrar.storage.store import Store

KEY_MANAGERS = FCR_ONLY
KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
# What a registrar's key may do: nothing but the gateway, with a terminal for the workbench.
KEY_OPTIONS = "restrict,pty"


@dataclass(frozen=True)
class PublicKey:
    """One OpenSSH public key: its type, base64 data and comment."""

    key_type: str
    data: str
    comment: str

    @property
    def fingerprint(self) -> str:
        """The key's SHA256 fingerprint, as `ssh-keygen -l` prints it."""
        digest = hashlib.sha256(base64.b64decode(self.data)).digest()
        return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def parse_public_key(text: str) -> PublicKey:
    """Read one OpenSSH public key line (`TYPE BASE64 [comment]`), refusing options, private keys and junk."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if len(lines) != 1:
        raise BadInput(f"a key file holds one public key line; this one has {len(lines)}")
    if "PRIVATE KEY" in lines[0]:
        raise BadInput("that is a private key: give the .pub file, and keep the private key where it was")
    parts = lines[0].split(None, 2)
    if len(parts) < 2 or parts[0] not in KEY_TYPES:
        raise BadInput(f"not an OpenSSH public key (TYPE BASE64 [comment]; types: {', '.join(KEY_TYPES)})")
    key_type, data = parts[0], parts[1]
    try:
        blob = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise BadInput("the key's data is not base64") from None
    declared_length = int.from_bytes(blob[:4], "big") if len(blob) >= 4 else -1
    if blob[4 : 4 + declared_length].decode("ascii", "replace") != key_type:
        raise BadInput(f"the key's data does not hold a {key_type} key")
    comment = parts[2].strip() if len(parts) > 2 else ""
    if any(ord(ch) < 32 or ch in '"\\' for ch in comment):
        raise BadInput("the key's comment holds quotes, backslashes or control characters")
    return PublicKey(key_type, data, comment)


def add_key(store: Store, actor: Actor, username: str, key: PublicKey) -> str:
    """Give a registrar a key into the service account (FCR only); return its fingerprint."""
    with store.acting(actor) as (conn, actor):
        _require_manager(actor)
        _give(store, conn, actor, username, key)
    return key.fingerprint


def give_key_at_setup(store: Store, administrator: str, username: str, key: PublicKey) -> str:
    """Give an active FCR a key as the administrator running `server setup` (root, who may repair a store no FCR
    can come into): the ledger names the administrator, not the FCR; return the fingerprint."""
    actor = Actor(administrator, "system", administrator, "server setup")
    with store.transaction() as conn:
        user = conn.execute(sql("user_get"), (username,)).fetchone()
        if user is None or user["role"] != "fcr" or not user["active"]:
            raise BadInput(f"{username} is not an active FCR of this store; setup gives keys only to an FCR")
        _give(store, conn, actor, username, key)
    return key.fingerprint


def _give(store: Store, conn, actor: Actor, username: str, key: PublicKey) -> None:
    """Record a key as a registrar's, with its ledger entry, inside the caller's transaction."""
    user = conn.execute(sql("user_get"), (username,)).fetchone()
    if user is None:
        raise NotFound(f"there is no registrar user {username!r}; add them first with `registrar users add`")
    existing = conn.execute(sql("ssh_key_get"), (key.fingerprint,)).fetchone()
    if existing is not None and existing["removed_at"] is None:
        raise Conflict(
            f"key {key.fingerprint} was already given to {existing['username']} on "
            f"{existing['added_at']}; a key names one registrar, once"
        )
    conn.execute(
        sql("ssh_key_insert"),
        {
            "fingerprint": key.fingerprint,
            "username": username,
            "key_type": key.key_type,
            "key_data": key.data,
            "comment": key.comment,
            "added_at": store.now(),
            "added_by": actor.username,
        },
    )
    ledger.append(
        conn,
        at=store.now(),
        actor=actor,
        action="key-add",
        code=key.fingerprint,
        rationale=f"SSH key {key.fingerprint} given to {username}.",
        details={"username": username, "fingerprint": key.fingerprint, "key_type": key.key_type},
    )


def remove_key(store: Store, actor: Actor, fingerprint: str) -> str:
    """Take a key away (FCR only); the row stays, marked removed; return whose key it was."""
    with store.acting(actor) as (conn, actor):
        _require_manager(actor)
        existing = conn.execute(sql("ssh_key_get"), (fingerprint,)).fetchone()
        if existing is None:
            raise NotFound(f"there is no key {fingerprint}; see `registrar keys list`")
        if existing["removed_at"] is not None:
            raise Conflict(
                f"key {fingerprint} was already removed by {existing['removed_by']} at {existing['removed_at']}"
            )
        if _is_service_store(store) and not conn.execute(sql("ssh_keys_of_active_fcrs"), (fingerprint,)).fetchone()[0]:
            raise RuleRefused(
                "last-fcr-key",
                "it is the last key of any active FCR: without it no FCR could come in to manage keys; "
                "give an FCR another key first",
            )
        conn.execute(sql("ssh_key_remove"), {"now": store.now(), "actor": actor.username, "fingerprint": fingerprint})
        ledger.append(
            conn,
            at=store.now(),
            actor=actor,
            action="key-remove",
            code=fingerprint,
            rationale=f"SSH key {fingerprint} of {existing['username']} removed.",
            details={"username": existing["username"], "fingerprint": fingerprint},
        )
    return existing["username"]


def sync(store: Store, actor: Actor) -> Path:
    """Rewrite the service account's authorized_keys from the store (FCR only), recording it in the ledger."""
    if not _is_service_store(store):
        raise BadInput("keys sync runs as the store's service account (this is a personal store, or you are not it)")
    with store.acting(actor) as (conn, actor):
        _require_manager(actor)
        ledger.append(
            conn,
            at=store.now(),
            actor=actor,
            action="keys-sync",
            rationale=f"authorized_keys rewritten from the store ({len(active_keys(store))} keys).",
            details={"keys": [key["fingerprint"] for key in active_keys(store)]},
        )
    return write_authorized_keys(store) or Path()


def _is_service_store(store: Store) -> bool:
    """True when this process is the service account the store is served by."""
    service = str(store.settings().get("service_account") or "")
    return bool(service) and os_account() == service


def active_keys(store: Store) -> list[dict]:
    """Every key not removed, with its registrar and whether that registrar is active."""
    return [dict(row) for row in store.conn.execute(sql("ssh_keys_active"))]


def _require_manager(actor: Actor) -> None:
    """Refuse anyone but the FCR."""
    if actor.role not in KEY_MANAGERS:
        raise RuleRefused("role", f"{a_role(actor.role)} may not manage SSH keys; that is for the fcr")


def gateway_program() -> str:
    """The absolute path of this installation's `registrar` program."""
    beside = Path(sys.executable).with_name("registrar")
    return str(beside if beside.exists() else Path(sys.argv[0]).resolve())


def authorized_keys_text(store: Store, program: str | None = None) -> str:
    """The service account's authorized_keys: one forced-command line per active key."""
    program = program or gateway_program()
    database = str(store.path.resolve())
    lines = ["# Written by `registrar keys`; edits here are overwritten. Each key runs only the gateway."]
    for key in active_keys(store):
        command = " ".join(
            shlex.quote(part)
            for part in (program, "--db", database, "gateway", "--user", key["username"], "--key", key["fingerprint"])
        )
        comment = f" {key['comment']}" if key["comment"] else ""
        escaped = command.replace('"', '\\"')
        line = f'{KEY_OPTIONS},command="{escaped}" {key["key_type"]} {key["key_data"]}{comment}'
        if "\n" in line or shlex.split(forced_command(line)) != [
            program,
            "--db",
            database,
            "gateway",
            "--user",
            key["username"],
            "--key",
            key["fingerprint"],
        ]:
            raise BadInput(
                f"the authorized_keys line for {key['username']}'s key {key['fingerprint']} would not read back as "
                "its own gateway command; nothing was written"
            )
        lines.append(line)
    return "\n".join(lines) + "\n"


def forced_command(line: str) -> str:
    """The command an authorized_keys line forces, read as sshd reads it: options end at the first blank outside
    quotes, and inside quotes a backslash-quote is a quote and every other character stands for itself."""
    options, current, in_quotes, position = [], [], False, 0
    while position < len(line) and (in_quotes or line[position] not in " \t"):
        char = line[position]
        if in_quotes and char == "\\" and line[position + 1 : position + 2] == '"':
            current.append('"')
            position += 2
            continue
        if char == '"':
            in_quotes = not in_quotes
        elif char == "," and not in_quotes:
            options.append("".join(current))
            current = []
        else:
            current.append(char)
        position += 1
    options.append("".join(current))
    return next((option[len("command=") :] for option in options if option.startswith("command=")), "")


def write_authorized_keys(store: Store) -> Path | None:
    """Rewrite the service account's ~/.ssh/authorized_keys from the store, atomically; None on a personal store."""
    if not _is_service_store(store):
        return None
    home = Path(pwd.getpwnam(os_account()).pw_dir)
    directory = home / ".ssh"
    directory.mkdir(mode=0o700, exist_ok=True)
    target = directory / "authorized_keys"
    temporary = directory / f".authorized_keys.{os.getpid()}"
    descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(authorized_keys_text(store))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    return target
