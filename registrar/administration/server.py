"""A force server's set-up, run once as root: the service account, its store, its keys, the sudo rule and the
witness of its heads."""

import grp
import os
import pwd
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from registrar.administration import witness as witnessing
from registrar.base.clock import Clock, system_clock
from registrar.base.errors import BadInput, RegistrarError

Say = Callable[[str], None]


@dataclass(frozen=True)
class Plan:
    """What the administrator asked for."""

    account: str
    store: Path
    force_code: str
    fcr: str
    fcr_name: str
    home: Path
    group: str | None
    sudoers: bool
    fcr_key: str | None
    program: str
    administrator: str = "root"  # who runs set-up: the ledger names them for what set-up does in the store
    witness_file: Path = witnessing.WITNESS_DIRECTORY / "registrar.heads"


def setup(plan: Plan, say: Say) -> None:
    """Make the server ready, step by step; each step says what it did or found, and a second run changes nothing."""
    if os.geteuid() != 0:
        raise BadInput("`registrar server setup` is run once as root (it creates the service account)")
    if not plan.store.is_absolute():
        raise BadInput(f"--store must be an absolute path, not {plan.store}")
    from registrar.administration.keys import parse_public_key

    fcr_key = parse_public_key(Path(plan.fcr_key).read_text(encoding="utf-8")) if plan.fcr_key else None
    _check_program_reachable(plan.program)  # before anything is made: the service account must be able to run it
    witnessing.check_paths(plan.program, plan.store, plan.witness_file)
    account = ensure_account(plan.account, plan.home, say)
    ensure_ssh_directory(account, say)
    ensure_store_directory(plan.store.parent, account, say)
    run_as(account, lambda: _store_steps(plan, fcr_key, say))
    witnessing.install(plan.program, plan.account, plan.store, plan.witness_file, say)
    if plan.group:
        ensure_group(plan.group, say)
        if plan.sudoers:
            write_sudoers(plan, say)
    elif plan.sudoers:
        raise BadInput("--sudoers needs --group: the sudo rule is for a group of registrars")


def ensure_account(name: str, home: Path, say: Say) -> pwd.struct_passwd:
    """A system account that owns the store and accepts key logins only (no password)."""
    try:
        account = pwd.getpwnam(name)
        say(f"account {name} exists (uid {account.pw_uid})")
    except KeyError:
        _run(
            [
                "useradd",
                "--system",
                "--create-home",
                "--home-dir",
                str(home),
                "--shell",
                "/bin/sh",
                "--user-group",
                "--comment",
                "registrar service account",
                name,
            ]
        )
        account = pwd.getpwnam(name)
        say(f"created system account {name} (uid {account.pw_uid}, home {home})")
    if account.pw_uid == 0:
        raise BadInput(f"{name} is root; the store needs an account of its own")
    if _password_locked(name):
        _run(["usermod", "-p", "*", name])
        say(f"unlocked {name} for key logins (it has no password)")
    return account


def _password_locked(name: str) -> bool:
    """True when the shadow file marks the account locked (sshd then refuses even keys)."""
    try:
        for line in Path("/etc/shadow").read_text().splitlines():
            fields = line.split(":")
            if fields[0] == name:
                return fields[1].startswith("!")
    except OSError:
        return False
    return False


def ensure_ssh_directory(account: pwd.struct_passwd, say: Say) -> None:
    """~/.ssh (0700) and an authorized_keys (0600) owned by the service account."""
    directory = Path(account.pw_dir) / ".ssh"
    if not directory.exists():
        directory.mkdir(mode=0o700, parents=True)
        os.chown(directory, account.pw_uid, account.pw_gid)
        say(f"created {directory} (0700)")
    else:
        say(f"{directory} exists")
    keys = directory / "authorized_keys"
    if not keys.exists():
        keys.touch(mode=0o600)
        os.chown(keys, account.pw_uid, account.pw_gid)
        say(f"created {keys} (0600)")


def ensure_store_directory(directory: Path, account: pwd.struct_passwd, say: Say) -> None:
    """The store's own directory, 0700 and the service account's; an existing one is checked, never changed."""
    if not directory.exists():
        directory.mkdir(parents=True, mode=0o700)
        os.chmod(directory, 0o700)
        os.chown(directory, account.pw_uid, account.pw_gid)
        say(f"created {directory} (0700, owned by {account.pw_name})")
        return
    info = os.lstat(directory)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise BadInput(f"{directory} is not a plain directory")
    if info.st_uid != account.pw_uid or info.st_mode & 0o077:
        raise BadInput(
            f"{directory} exists but is not a private directory of {account.pw_name} "
            f"(owner uid {info.st_uid}, mode {stat.filemode(info.st_mode)}); registrar changes no directory it "
            "did not create: choose a new directory for --store, or fix this one yourself"
        )
    say(f"directory {directory} is {account.pw_name}'s, 0700")


def witness(account: str, store: Path, heads: Path, clock: Clock = system_clock) -> str:
    """As root: read the store's head as its service account and append it, with the time, to the heads file."""
    if os.geteuid() != 0:
        raise BadInput("`registrar server witness` runs as root (from the timer `server setup` installs)")
    try:
        owner = pwd.getpwnam(account)
    except KeyError:
        raise BadInput(f"there is no account {account!r}") from None
    reading, writing = os.pipe()

    def tell_head() -> None:
        os.write(writing, _head_of(store).encode("ascii"))

    run_as(owner, tell_head)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        head = pipe.read().decode("ascii")
    return witnessing.append_head(heads, head, clock)


def _head_of(store: Path) -> str:
    """The store's head as SEQ:HASH (read as the service account)."""
    from registrar.storage import ledger
    from registrar.storage.store import Store

    opened = Store.open(store)
    try:
        return str(ledger.head(opened.conn))
    finally:
        opened.close()


def run_as(account: pwd.struct_passwd, work: Callable[[], None]) -> None:
    """Run `work` in a child process that has become the account, so every file it makes is the account's."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.setgroups([])
            os.setgid(account.pw_gid)
            os.setuid(account.pw_uid)
            os.environ["HOME"] = account.pw_dir
            os.umask(0o077)
            work()
        except RegistrarError as error:
            print(f"registrar: {error.message}", file=sys.stderr, flush=True)
            code = 1
        except BaseException as error:
            print(f"registrar: internal error in set-up ({type(error).__name__}: {error})", file=sys.stderr, flush=True)
            code = 70
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        raise RegistrarError(
            f"set-up stopped: the service account's step was killed (signal {os.WTERMSIG(status)}); a store is made "
            "whole or not at all, so run set-up again"
        )
    if os.waitstatus_to_exitcode(status) != 0:
        raise RegistrarError("set-up stopped in the service account's step (see the message above)")


def _store_steps(plan: Plan, key, say: Say) -> None:
    """As the service account: create (or check) the store, give the FCR their key, write authorized_keys."""
    from queries import sql
    from registrar.access.identity import os_display_name
    from registrar.administration import keys
    from registrar.storage.store import Store

    if plan.store.exists():
        store = Store.open(plan.store)
        service = store.settings().get("service_account")
        if service != plan.account:
            raise BadInput(
                f"{plan.store} exists but is not served by {plan.account} (its service account is "
                f"{service or 'none: a personal store'})"
            )
        say(f"store {plan.store} exists")
        existing_force = store.settings().get("force_code")
        if existing_force != plan.force_code:
            say(f"note: the store's force is {existing_force}; --force {plan.force_code} was not applied")
        fcr_row = store.conn.execute(sql("user_get"), (plan.fcr,)).fetchone()
        if fcr_row is None or fcr_row["role"] != "fcr" or not fcr_row["active"]:
            say(f"note: {plan.fcr} is not an active FCR of this store; --fcr was not applied (the FCR manages users)")
    else:
        store = Store.create(
            plan.store,
            fcr=plan.fcr,
            fcr_name=plan.fcr_name or os_display_name(plan.fcr),
            force_code=plan.force_code,
            service_account=plan.account,
        )
        say(f"created store {plan.store} (0600) for force {plan.force_code}; {plan.fcr} is its FCR")
    if key is not None:
        if any(k["fingerprint"] == key.fingerprint for k in keys.active_keys(store)):
            say(f"key {key.fingerprint} is already {plan.fcr}'s")
        else:
            keys.give_key_at_setup(store, plan.administrator, plan.fcr, key)
            say(f"gave {plan.fcr} key {key.fingerprint} (ledgered as {plan.administrator}'s act)")
    target = keys.write_authorized_keys(store)
    say(f"wrote {target} ({len(keys.active_keys(store))} keys)")
    store.close()
    from registrar.access.identity import record_served_store

    say(f"recorded in {record_served_store(plan.store)} that the front doors open {plan.store} and no other store")


def ensure_group(name: str, say: Say) -> None:
    """The Unix group whose members may use the sudo front door."""
    try:
        grp.getgrnam(name)
        say(f"group {name} exists")
    except KeyError:
        _run(["groupadd", "--system", name])
        say(f"created group {name}; add registrars with `usermod -aG {name} USER`")


def sudoers_text(plan: Plan) -> str:
    """A sudoers rule letting the group run only the registrar program as the service account."""
    return (
        f"# Written by `registrar server setup`: members of {plan.group} may run only registrar as {plan.account};\n"
        f"# registrar then takes their identity from SUDO_UID.\n"
        f"%{plan.group} ALL=({plan.account}) NOPASSWD: {plan.program}\n"
    )


def write_sudoers(plan: Plan, say: Say) -> None:
    """Install the sudo rule in /etc/sudoers.d, checked by visudo when it is there."""
    target = Path("/etc/sudoers.d") / f"registrar-{plan.account}"
    text = sudoers_text(plan)
    if target.exists() and target.read_text() == text:
        say(f"sudo rule {target} is in place")
        return
    target.parent.mkdir(mode=0o750, exist_ok=True)
    temporary = target.with_name(f".{target.name}.new")
    temporary.write_text(text)
    os.chmod(temporary, 0o440)
    if shutil.which("visudo"):
        checked = subprocess.run(["visudo", "-cf", str(temporary)], capture_output=True, text=True)
        if checked.returncode != 0:
            temporary.unlink()
            raise RegistrarError(f"visudo refused the rule: {checked.stdout.strip()} {checked.stderr.strip()}")
    os.replace(temporary, target)
    say(f"wrote sudo rule {target}: %{plan.group} may run {plan.program} as {plan.account}")


def _check_program_reachable(program: str) -> None:
    """Refuse, before any step, a program or Python the service account could not run (a directory closed to
    others), saying where to install it instead."""
    paths = [Path(program)]
    try:
        first = Path(program).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    except (OSError, IndexError):
        first = ""
    if first.startswith("#!"):
        interpreter = Path(first[2:].strip().split()[0])
        paths += [interpreter, interpreter.resolve()]
    for path in paths:
        for directory in path.parents:
            if not os.stat(directory).st_mode & 0o001:
                raise BadInput(
                    f"{directory} is closed to other accounts, so {path} cannot run as the service account; nothing "
                    "was set up: install registrar (and its Python) where every account can read them, e.g. "
                    "`python3 -m venv /opt/registrar` with the system's Python, then run setup again"
                )


def _run(command: list[str]) -> None:
    """Run an administration command, refusing with its own words when it fails."""
    if shutil.which(command[0]) is None:
        raise RegistrarError(f"{command[0]} is not installed on this server")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RegistrarError(f"{' '.join(command)} failed: {result.stderr.strip() or result.stdout.strip()}")
