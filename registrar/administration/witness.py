"""The witness: root, on a timer, appends the store's head to a file the service account cannot rewrite, so a
rewrite of the chain by the store's owner is caught without anyone remembering to publish a head."""

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

from registrar.base.clock import Clock, stamp, system_clock
from registrar.base.errors import BadInput, RegistrarError

WITNESS_DIRECTORY = Path("/var/lib/registrar-witness")
MINUTES = 5  # how often the witness writes the head down
SYSTEMD_UNITS = Path("/etc/systemd/system")
CRON_DIRECTORY = Path("/etc/cron.d")


def default_file(account: str) -> Path:
    """Where the witness keeps an account's heads unless told otherwise."""
    return WITNESS_DIRECTORY / f"{account}.heads"


def command_line(program: str, account: str, store: Path, heads: Path) -> str:
    """The command the timer runs as root."""
    return f"{program} server witness --account {account} --store {store} --file {heads}"


PLAIN_PATH = re.compile(r"[A-Za-z0-9/._+-]+")  # what reaches a cron line and a unit's ExecStart as it is


def check_paths(program: str, store: Path, heads: Path) -> None:
    """Refuse paths a cron line or a systemd unit would not pass to the witness as they are."""
    for path in (program, str(store), str(heads)):
        if not PLAIN_PATH.fullmatch(path):
            raise BadInput(
                f"{path!r} holds characters a cron line or a systemd unit would read otherwise (a space, %, a "
                "quote): choose paths of letters, digits and / . _ + - for the program, the store and the witness file"
            )


def install(program: str, account: str, store: Path, heads: Path, say) -> Path:
    """Install the timer that runs the witness as root every few minutes: a systemd timer where systemd runs the
    machine, else a line in /etc/cron.d; return the file that schedules it."""
    check_paths(program, store, heads)
    _ensure_root_directory(heads.parent, say)
    command = command_line(program, account, store, heads)
    if Path("/run/systemd/system").is_dir() and shutil.which("systemctl"):
        name = f"registrar-witness-{account}"
        service = SYSTEMD_UNITS / f"{name}.service"
        timer = SYSTEMD_UNITS / f"{name}.timer"
        _write_root_file(
            service,
            f"[Unit]\nDescription=registrar witness of {store}\n\n[Service]\nType=oneshot\nExecStart={command}\n",
        )
        _write_root_file(
            timer,
            f"[Unit]\nDescription=registrar witness of {store} every {MINUTES} minutes\n\n"
            f"[Timer]\nOnCalendar=*:0/{MINUTES}\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n",
        )
        subprocess.run(["systemctl", "daemon-reload"], check=True, capture_output=True)
        subprocess.run(["systemctl", "enable", "--now", f"{name}.timer"], check=True, capture_output=True)
        say(f"wrote {timer}: root writes the store's head to {heads} every {MINUTES} minutes")
        return timer
    cron = CRON_DIRECTORY / f"registrar-witness-{account.replace('.', '_')}"  # cron reads no name with a dot
    _write_root_file(
        cron,
        f"# Written by `registrar server setup`: the store's head, witnessed by root.\n"
        f"*/{MINUTES} * * * * root {command}\n",
    )
    note = "" if shutil.which("cron") or Path("/usr/sbin/cron").exists() else " (install cron to run it)"
    say(f"wrote {cron}: root writes the store's head to {heads} every {MINUTES} minutes{note}")
    return cron


def append_head(heads: Path, head: str, clock: Clock = system_clock) -> str:
    """As root: append the head, with the time, to the heads file (root's own, never through a link); return the line."""
    from registrar.storage.ledger import parse_anchor

    head = str(parse_anchor(head))  # what the service account told us is a head, or nothing is written
    _ensure_root_directory(heads.parent, lambda line: None)
    descriptor = os.open(heads, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        info = os.fstat(descriptor)
        if info.st_uid != 0 or info.st_mode & 0o022:
            raise BadInput(f"{heads} is not root's own file (owner uid {info.st_uid}); the witness writes only to one")
        line = f"{stamp(clock())} {head}\n"
        os.write(descriptor, line.encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return line.strip()


def _ensure_root_directory(directory: Path, say) -> None:
    """A directory root owns and no one else may write."""
    if not directory.exists():
        directory.mkdir(parents=True, mode=0o755)
        say(f"created {directory} (0755, root's)")
    info = os.lstat(directory)
    if stat.S_ISLNK(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o022:
        raise RegistrarError(f"{directory} is not a directory only root may write; the witness needs one")


def _write_root_file(path: Path, text: str) -> None:
    """Write a file root owns, readable by all (0644), atomically."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
