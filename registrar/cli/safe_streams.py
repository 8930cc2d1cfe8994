"""Output through a front door: the far end of an SSH session without a terminal may still be someone's terminal,
so what reaches stdout and stderr has every character a terminal would act on escaped, unless --raw asks for bytes."""

import io
import sys
from typing import TextIO

import click

from registrar.base.text import terminal_safe

SAFE_OUTPUT = "registrar.safe_output"  # set in a command's context when its output is made safe for a terminal


class TerminalSafe(io.TextIOBase):
    """A text stream that escapes, before writing, what a terminal would act on rather than print."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        """Write `text` with its escape sequences, controls and bidi overrides shown as escapes."""
        self._stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        """Flush the stream beneath."""
        self._stream.flush()

    def isatty(self) -> bool:
        """False: nothing drawn for a terminal (progress bars, a pager) goes through the guard, which would show its
        control sequences as text."""
        return False

    def fileno(self) -> int:
        """The stream beneath's file descriptor."""
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The stream beneath's encoding."""
        return getattr(self._stream, "encoding", None) or "utf-8"


def make_output_safe(ctx: click.Context) -> None:
    """For the rest of this command, escape what a terminal would act on in everything written to stdout and stderr
    (formatted output escapes it already, in its own notation; this catches anything else)."""
    ctx.meta[SAFE_OUTPUT] = True
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(stdout), TerminalSafe(stderr)

    def put_back() -> None:
        sys.stdout, sys.stderr = stdout, stderr

    ctx.call_on_close(put_back)


def output_is_safe(ctx: click.Context | None) -> bool:
    """Whether this command's output is being made safe for a terminal at the far end."""
    return bool(ctx and ctx.meta.get(SAFE_OUTPUT))
