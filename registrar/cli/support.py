"""What the command line's commands share: the acting environment, record ids, input files, periods, progress."""

import contextlib
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import click

from registrar.access.identity import Actor, SshKey, resolve_actor, served_store
from registrar.base.clock import Clock, system_clock, when_typed
from registrar.base.errors import BadInput
from registrar.base.text import safe_text
from registrar.storage.store import Store, default_path


class Given(NamedTuple):
    """What a caller hands the command line besides its words: the SSH key that let them in, and the clock to read."""

    key: SshKey | None = None
    clock: Clock = system_clock


class Env:
    """What every command needs: where the store is, who is acting, and the one clock every time is read from."""

    def __init__(self, db: str | None, as_user: str | None, key: SshKey | None = None, clock: Clock = system_clock):
        self.db_path = Path(db) if db else default_path()
        self.db_given = bool(db)
        self.as_user = as_user
        self.key = key
        self.clock = clock
        self._store: Store | None = None
        self._actor: Actor | None = None

    @property
    def through_front_door(self) -> bool:
        """True when someone came in by the SSH key, or by sudo as another account (a person, not root, not themselves)."""
        invoker = os.environ.get("SUDO_UID", "")
        became_someone_else = invoker.isdigit() and int(invoker) not in (0, os.geteuid()) and os.geteuid() != 0
        return self.key is not None or became_someone_else or (bool(invoker) and not invoker.isdigit())

    def store(self) -> Store:
        """Open the store once per command; through a front door, only the store the service account serves (with
        or without --db), so no other path is opened, and no other path is told apart from a missing one."""
        if self._store is None:
            served = served_store() if self.through_front_door else None
            if served is not None and not self.db_given:
                self.db_path = served
            elif served is not None and Path(os.path.abspath(self.db_path)) != served:
                raise BadInput(
                    "through the SSH or sudo door registrar opens only the store this server serves: give no other --db"
                )
            self._store = Store.open(self.db_path, self.clock)
            self._store.waiting = lambda what: click.echo(f"registrar: {safe_text(what)}…", err=True)
        return self._store

    def actor(self) -> Actor:
        """Resolve the acting user once per command."""
        if self._actor is None:
            store = self.store()
            self._actor = resolve_actor(store.conn, store.settings(), self.as_user, self.key)
        return self._actor


pass_env = click.make_pass_decorator(Env)


RECORD_ID = click.IntRange(1, 2**63 - 1)


def read_input(path: str) -> bytes:
    """A file's bytes, or stdin's for '-'; through a front door only stdin, since files are read as the service account."""
    ctx = click.get_current_context(silent=True)
    env = ctx.find_object(Env) if ctx else None
    if path != "-" and env is not None and env.through_front_door:
        raise BadInput(
            f"{path}: through the SSH or sudo door files come on standard input, as the service account may read "
            "what you may not: give - and redirect the file (e.g. `ssh registrar@server batch - < file.csv`)"
        )
    from registrar.intake.tabular import read_source

    return read_source(path, sys.stdin)


def read_rationale(rationale: str | None, rationale_file: str | None) -> str:
    """The rationale from --rationale or a file ('-' for stdin)."""
    if rationale is not None and rationale_file is not None:
        raise click.UsageError("give --rationale or --rationale-file, not both")
    if rationale_file is not None:
        return read_input(rationale_file).decode("utf-8", errors="replace")
    return rationale or ""


@contextlib.contextmanager
def progress(length: int, label: str):
    """A progress bar with counts and rate on stderr when it is a terminal, naming the stage under way when told it;
    otherwise nothing is drawn."""
    if not sys.stderr.isatty() or length <= 0:
        yield lambda done, stage="": None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True, show_eta=True) as bar:

        def advance(done: int, stage: str = "") -> None:
            if stage:
                bar.label = f"{label}: {stage}"
            bar.update(done)
            if not done:
                bar.render_progress()

        yield advance


def complete(choices, incomplete: str) -> list[str]:
    """The choices that start with what has been typed, for shell completion."""
    return [choice for choice in choices if choice.startswith(incomplete)]


def on_a_terminal() -> bool:
    """True when both ends are a terminal, as the workbench needs."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def say_if_cut(found: int, limit: int) -> None:
    """Tell stderr when a listing stopped at its limit, so a script does not take a page for the whole."""
    if found > limit:
        click.echo(f"registrar: showing the first {limit:,}; more match: use --limit to see more", err=True)


def time_option(value: str | None, name: str, now: datetime) -> str | None:
    """A date or time option as store text (also 'today', 'yesterday', '7d', '12h' before `now`)."""
    if not value:
        return None
    try:
        return when_typed(value, now)
    except ValueError:
        raise BadInput(f"{name} {value!r} is not a date, a time, today, yesterday or an age like 7d") from None


def period(since: str | None, until: str | None, store) -> tuple[str, str]:
    """A reporting period as store times: by default the last 30 days, up to and including now."""
    from registrar.oversight.reports import check_period, default_period

    now = store.clock()
    default_start, default_end = default_period(store.now(), 30)
    end = time_option(until, "--to", now) or default_end
    start = time_option(since, "--from", now) or default_period(end, 30)[0]
    check_period(start, end)
    return start, end


def write_file(target: Path, text: str, overwrite: bool = False, door_hint: str = "") -> None:
    """Write a private file whole or not at all (registrar.base.files); through a front door no path is written (it
    would be the service account's), and `door_hint` says what to do instead."""
    from registrar.base.files import write_private_file

    env = click.get_current_context().find_object(Env)
    if env is not None and env.through_front_door:
        raise BadInput(f"through the SSH or sudo door registrar writes no file you name: {door_hint}")
    write_private_file(target, text, overwrite)
