"""The `registrar` command line: one click group, verbs as subcommands, stdout for data.

Each command lives in a module of its kind in this package (requests, decide, ledger, intake, oversight,
recording, admin, workbench), imported only when that command runs: `registrar queue` does not pay for the batch
reader, the rules or the workbench. Imports made inside a command cost only that command (each measured with
`python -X importtime`): screens.app 175 ms (Textual), seed.generator 17 ms, decisions with rules and effects
13 ms, server 8 ms, batch 3 ms, intake 3 ms, audit 3 ms, keys 3 ms, reports 3 ms, admin 2 ms, crashlog and
report_text 1 ms each.
"""

import importlib
import sqlite3
import sys

import click

from registrar.access.gateway import CLOSED_TO_FRONT_DOORS
from registrar.base.errors import EXIT_MEANINGS, BadInput, ExitCode, RegistrarError
from registrar.base.text import safe_text, text_fault
from registrar.cli.problems import problem_lines
from registrar.cli.safe_streams import make_output_safe
from registrar.cli.support import Env, Given, on_a_terminal

EXIT_CODES_HELP = "\b\nExit codes:\n" + "\n".join(f"  {code.value:<5}{EXIT_MEANINGS[code]}" for code in ExitCode)

# Every command, and the module:attribute that defines it.
COMMANDS = {
    "init": "admin:init",
    "users": "admin:users",
    "settings": "admin:settings",
    "reference": "admin:reference",
    "keys": "admin:keys",
    "server": "admin:server",
    "upgrade": "admin:upgrade",
    "backup": "admin:backup",
    "restore": "admin:restore",
    "import": "intake:import_",
    "batch": "intake:batch",
    "queue": "requests:queue",
    "show": "requests:show",
    "decide": "decide:decide_command",
    "log": "ledger:log",
    "audit": "oversight:audit",
    "report": "oversight:report",
    "export": "oversight:export",
    "recording": "recording:recording",
    "tui": "workbench:tui",
    "demo": "workbench:demo",
    "gateway": "workbench:gateway",
}


class RegistrarGroup(click.Group):
    """A click group that loads each command's module only when that command runs, and turns domain errors into
    messages and documented exit codes."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands or {}

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for position, arg in enumerate(args, 1):
            fault = text_fault(arg)
            if fault:
                raise click.UsageError(
                    f"argument {position} ({ascii(arg)}) {fault}: check the terminal's character encoding (UTF-8)", ctx
                )
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            module_name, _, attribute = self.lazy_commands[cmd_name].partition(":")
            command = getattr(importlib.import_module(f"registrar.cli.{module_name}"), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except RegistrarError as error:
            click.echo(f"registrar: {safe_text(error.message)}", err=True)
            for problem in problem_lines(list(getattr(error, "problems", []))):
                click.echo(f"  {safe_text(problem)}", err=True)
            ctx.exit(error.exit_code)
        except sqlite3.OperationalError as error:
            click.echo(f"registrar: the store could not be used ({error}); nothing was changed", err=True)
            ctx.exit(ExitCode.REFUSED)
        except sqlite3.IntegrityError as error:
            click.echo(f"registrar: refused by the store's own checks ({error}); nothing was changed", err=True)
            ctx.exit(ExitCode.REFUSED)
        except sqlite3.DatabaseError as error:
            click.echo(f"registrar: the store is damaged or not a registrar store ({error})", err=True)
            ctx.exit(ExitCode.REFUSED)


@click.group(
    cls=RegistrarGroup,
    lazy_commands=COMMANDS,
    invoke_without_command=True,
    epilog=EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    envvar="REGISTRAR_DB",
    metavar="PATH",
    help="The store (default: $REGISTRAR_DB, else ~/.local/share/registrar/registrar.db).",
)
@click.option("--as", "as_user", metavar="USER", help="Act as USER; only demo and test stores accept it.")
@click.option(
    "--raw",
    is_flag=True,
    help="Through the SSH or sudo door, give stored text exactly; by default what a terminal would act on "
    "(escape sequences, controls, bidi overrides) is shown as escapes, as the far end may be a terminal.",
)
@click.version_option(package_name="registrar")
@click.pass_context
def cli(ctx: click.Context, db: str | None, as_user: str | None, raw: bool) -> None:
    """Decide cancellations, reclassifications, transfers and MASH referrals, with a tamper-evident rationale log.

    With no command, opens the workbench on the store as you.

    \b
    Example:
      registrar --db force.db queue cancellation --overdue
    """
    ctx.color = True  # files and pipes get the stored text exactly; output.py escapes it for terminals
    given = ctx.obj if isinstance(ctx.obj, Given) else Given()
    ctx.obj = Env(db, as_user, given.key, given.clock)
    if ctx.invoked_subcommand in CLOSED_TO_FRONT_DOORS and ctx.obj.through_front_door:
        raise BadInput(f"`{ctx.invoked_subcommand}` is not run through sudo; registrars use the other commands")
    if ctx.obj.through_front_door and not raw and ctx.invoked_subcommand not in (None, "tui"):
        make_output_safe(ctx)
    if ctx.invoked_subcommand is None:
        if not on_a_terminal():
            click.echo(ctx.get_help())
            ctx.exit(ExitCode.USAGE)
        tui = cli.get_command(ctx, "tui")
        assert tui is not None
        ctx.invoke(tui)


def main() -> None:
    """Run the command line, mapping any unexpected error to exit 70 without a traceback."""
    try:
        cli.main(prog_name="registrar")
    except KeyboardInterrupt:
        click.echo("registrar: interrupted; nothing half-done was kept", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except Exception as error:
        report_crash(error)


def report_crash(error: BaseException) -> None:
    """One line on stderr, the trace in a log file, exit 70."""
    from registrar.base.crashlog import write_crash_log

    log_path = write_crash_log(error)
    where = f"; the trace is in {log_path}" if log_path else ""
    click.echo(
        f"registrar: internal error ({type(error).__name__}: {safe_text(str(error))}){where}; please report it",
        err=True,
    )
    sys.exit(ExitCode.INTERNAL)
