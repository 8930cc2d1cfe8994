"""Commands that open the workbench: on a store, on a demo force, or through the SSH gateway."""

import os
from pathlib import Path

import click

from registrar.access.gateway import client_command
from registrar.access.identity import SshKey
from registrar.base.clock import Clock
from registrar.base.errors import BadInput, RegistrarError
from registrar.cli.support import Env, Given, on_a_terminal, pass_env, progress
from registrar.storage.store import Store, default_path


@click.command()
@click.option("--no-mouse", is_flag=True, help="Ignore the mouse (everything works by keyboard).")
@pass_env
def tui(env: Env, no_mouse: bool) -> None:
    """Open the workbench on the store as you.

    \b
    Example:
      registrar --db /srv/registrar/force.db tui
    """
    if not on_a_terminal():
        raise click.UsageError("the workbench needs a terminal; for scripts use the other commands (see --help)")
    from screens.app import run_workbench

    store = env.store()
    code = run_workbench(store, env.actor(), mouse=not no_mouse)
    if code:
        click.get_current_context().exit(code)


@click.command()
@click.option(
    "--db", "demo_db", metavar="PATH", help="Where the demo store lives (default: demo.db beside your store)."
)
@click.option("--seed", default=1, show_default=True, help="The generator's seed: the same seed builds the same force.")
@click.option(
    "--crimes",
    default=87_584,
    show_default=True,
    type=click.IntRange(1_000, 20_000_000),
    help="Crimes to generate (a year of the model force; 1000000 for a ten-year scale store).",
)
@click.option(
    "--incidents-per-crime",
    "incident_ratio",
    default=4.0,
    show_default=True,
    type=click.FloatRange(1, 20),
    help="Incidents in the last year for each crime recorded in it.",
)
@click.option("--rebuild", is_flag=True, help="Build afresh even if the store exists.")
@click.option("--no-tui", is_flag=True, help="Only build the store; do not open the workbench.")
@click.pass_context
def demo(
    ctx: click.Context, demo_db: str | None, seed: int, crimes: int, incident_ratio: float, rebuild: bool, no_tui: bool
) -> None:
    """Build a realistic demo force (if needed) and open the workbench as its FCR.

    \b
    Example:
      registrar demo
      registrar demo --db /tmp/scale.db --crimes 1000000 --no-tui
    """
    import time

    from seed.generator import DEMO_FCR, STAGES, build

    env: Env = ctx.obj
    parent_source = ctx.parent.get_parameter_source("db") if ctx.parent else None
    if demo_db:
        path = Path(demo_db)
    elif parent_source == click.core.ParameterSource.COMMANDLINE:
        path = env.db_path
    else:
        path = default_path().with_name("demo.db")
    if os.path.lexists(path) and rebuild:
        _require_demo_store(path, env.clock)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not path.exists():
        started = time.perf_counter()
        building = path.with_name(f".{path.name}.building")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
        with progress(STAGES, "building the demo force") as advance:
            build(
                building, seed=seed, crimes=crimes, now=env.clock(), progress=advance, incident_ratio=incident_ratio
            ).close()
        os.replace(building, path)
        click.echo(
            f"built demo store {path} ({crimes:,} crimes, seed {seed}) in {time.perf_counter() - started:.1f} s",
            err=True,
        )
    if no_tui:
        click.echo(
            f"next: registrar --db {path} --as {DEMO_FCR} queue referral --overdue\n"
            f"      registrar --db {path} --as {DEMO_FCR} log verify\n"
            f"      registrar --db {path} demo   (opens the workbench as {DEMO_FCR}, the FCR)",
            err=True,
        )
        return
    env.db_path = path
    env.as_user = env.as_user or DEMO_FCR
    click.echo(f"opening the demo store {path} as {env.as_user}", err=True)
    ctx.invoke(tui)


@click.command()
@click.option("--user", "username", required=True, help="The registrar this key belongs to.")
@click.option("--key", "fingerprint", required=True, help="The key's fingerprint, recorded with every entry.")
@click.pass_context
def gateway(ctx: click.Context, username: str, fingerprint: str) -> None:
    """The SSH front door, run by a key's forced command; never run it by hand.

    With no command it opens the workbench; otherwise it runs the registrar command the client asked for
    (from SSH_ORIGINAL_COMMAND, split without a shell), with --db and --as refused.

    \b
    Example (a line of the service account's authorized_keys, written by `registrar keys add`):
      restrict,pty,command="/opt/registrar/bin/registrar --db /srv/registrar/force.db gateway --user dan --key SHA256:…" ssh-ed25519 AAAA…
    """
    env: Env = ctx.obj
    if env.as_user is not None:
        raise BadInput("--as is refused through the SSH gateway: your key says who you are")
    if not os.environ.get("SSH_CONNECTION"):
        raise BadInput("the gateway runs only from an SSH key's forced command (there is no SSH connection)")
    from registrar.cli.main import cli

    words = client_command(os.environ.get("SSH_ORIGINAL_COMMAND"), set(cli.list_commands(ctx)))
    key = SshKey(username, fingerprint)
    if not words:
        if not on_a_terminal():
            raise click.UsageError("the workbench needs a terminal: connect with `ssh -t`, or name a command")
        words = ["tui"]
    cli.main(args=["--db", str(env.db_path), *words], prog_name="registrar", obj=Given(key, env.clock))


def _require_demo_store(path: Path, clock: Clock) -> None:
    """Refuse to delete anything but a demo store."""
    try:
        kind = Store.open(path, clock).settings().get("store_kind")
    except RegistrarError as error:
        raise BadInput(
            f"--rebuild deletes only a demo store, and {path} cannot be read as one ({error.message})"
        ) from None
    if kind != "demo":
        raise BadInput(f"--rebuild deletes only a demo store; {path} is a {kind} store and was left alone")
