"""The SSH front door: what a key's forced command lets the client ask for, read without a shell."""

import shlex

from registrar.base.errors import BadInput

# Commands a registrar may run through a front door; creating stores and running the doors stay with the administrator.
CLOSED_TO_FRONT_DOORS = frozenset({"init", "demo", "server", "gateway", "upgrade", "backup", "restore"})
IDENTITY_OPTIONS = ("--db", "--as")


def client_command(original: str | None, commands: set[str]) -> list[str]:
    """The registrar command the SSH client asked for, as arguments; empty for an interactive session.

    The text is split like a shell would (quotes, escapes), but nothing is expanded or run by a shell.
    """
    if original is None or not original.strip():
        return []
    try:
        words = shlex.split(original)
    except ValueError as error:
        raise BadInput(f"the command could not be read ({error}); quote it as you would in a shell") from None
    if words and words[0] in ("registrar", "registrar-gateway"):
        words = words[1:]
    if not words:
        return []
    for word in words:
        if word in IDENTITY_OPTIONS or word.startswith(tuple(f"{o}=" for o in IDENTITY_OPTIONS)):
            raise BadInput(
                f"{word.split('=')[0]} is refused through the SSH gateway: the store is fixed and "
                "your key says who you are"
            )
    raw = words[:1] == ["--raw"]  # the one option before the command: stored text exactly, not made safe
    command = words[1:] if raw else words
    if not command:
        return []
    if command[0] in ("--help", "-h", "--version"):
        return words
    if command[0] not in commands or command[0] in CLOSED_TO_FRONT_DOORS:
        allowed = ", ".join(sorted(commands - CLOSED_TO_FRONT_DOORS))
        raise BadInput(f"{command[0]!r} is not something this gateway runs; it runs only registrar commands: {allowed}")
    return words
