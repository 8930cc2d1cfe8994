"""Typed domain errors and the exit codes the command line maps them to."""

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in `registrar --help` and the README."""

    OK = 0
    REFUSED = 1
    USAGE = 2
    CONFLICT = 3
    LEDGER_BROKEN = 4
    PARTIAL = 5
    INTERNAL = 70
    INTERRUPTED = 130


EXIT_MEANINGS = {
    ExitCode.OK: "done",
    ExitCode.REFUSED: "refused by a rule or invalid input (the store is unchanged)",
    ExitCode.USAGE: "usage error",
    ExitCode.CONFLICT: "conflict: someone else decided first (the message names who and when)",
    ExitCode.LEDGER_BROKEN: "the ledger or the tables it accounts for do not verify (the message names the entry or row)",
    ExitCode.PARTIAL: "batch applied only in part (--partial)",
    ExitCode.INTERNAL: "internal error (a bug): one line on stderr, the trace in a log file under ~/.local/state/registrar/",
    ExitCode.INTERRUPTED: "interrupted (ctrl+c); nothing half-done is kept",
}


class RegistrarError(Exception):
    """A problem a registrar can act on; the store is left unchanged."""

    exit_code = ExitCode.REFUSED

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RuleRefused(RegistrarError):
    """A decision refused by a named rule."""

    def __init__(self, rule: str, message: str):
        super().__init__(f"refused by rule '{rule}': {message}")
        self.rule = rule
        self.reason = message


class NotFound(RegistrarError):
    """An id, reference or user that does not exist."""


class BadInput(RegistrarError):
    """Input that cannot be read or fails validation."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


class IdentityError(RegistrarError):
    """The person at the keyboard cannot be mapped to an active registrar user."""


class UnsafeStore(RegistrarError):
    """A store file or directory that others could change, or that is reached through a link."""


class StoreBusy(RegistrarError):
    """The store stayed locked by other writers past the wait limit."""


class Conflict(RegistrarError):
    """Someone else changed the request first."""

    exit_code = ExitCode.CONFLICT

    def __init__(self, message: str, by: str | None = None, at: str | None = None):
        super().__init__(message)
        self.by = by
        self.at = at


class LedgerBroken(RegistrarError):
    """The ledger's hash chain does not verify."""

    exit_code = ExitCode.LEDGER_BROKEN

    def __init__(self, message: str, seq: int | None = None):
        super().__init__(message)
        self.seq = seq
