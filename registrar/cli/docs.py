"""The README's reference tables, rendered from the definitions (a test fails when the README drifts from them).

Run `python -m registrar.cli.docs` to print them for pasting into the README.
"""

from collections.abc import Sequence

from registrar.base.errors import EXIT_MEANINGS, ExitCode
from registrar.base.vocabulary import (
    DECIDER_ROLES,
    FIELDS,
    KINDS,
    N100_REASONS,
    NOT_A_CRIME_REASONS,
    RAISER_ROLES,
    RECORDING_VERDICTS,
    ROLES,
    role_list,
)
from registrar.decisions.actions import actions_for

# Role groups not worth repeating beside each action: deciders, and raisers for their own requests.
_USUAL_ROLES = (DECIDER_ROLES, RAISER_ROLES)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def kinds_table() -> str:
    """Each kind with its actions, and who may take the ones not every decider may."""
    rows = []
    for kind in KINDS.values():
        actions = []
        for spec in actions_for(kind.name):
            who = "" if spec.roles in _USUAL_ROLES else f" ({role_list(spec.roles)})"
            actions.append(f"`{spec.name}`{who}")
        rows.append((f"`{kind.name}`", kind.title, ", ".join(actions)))
    return _table(("kind", "queue", "actions"), rows)


def roles_table() -> str:
    """Each role and what it may do."""
    return _table(("role", "who", "may"), [(f"`{r.key}`", r.title, r.may) for r in ROLES.values()])


def fields_table() -> str:
    """Each decision field: its batch column, its `decide` option and what it is for."""
    return _table(
        ("batch column", "`decide` option", "for"),
        [(f"`{f.name}`", f"`{f.option}`" + (" (repeatable)" if f.multiple else ""), f.help) for f in FIELDS.values()],
    )


def exit_codes_table() -> str:
    """Each exit code and its meaning."""
    return _table(("code", "meaning"), [(str(code.value), EXIT_MEANINGS[code]) for code in ExitCode])


def recording_verdicts_table() -> str:
    """Each recording-audit verdict and the reasons it takes."""
    rows = [(f"`{v.key}`", v.label, v.help) for v in RECORDING_VERDICTS.values()]
    rows += [(f"`not-a-crime --reason {r.key}`", r.label, r.help) for r in NOT_A_CRIME_REASONS.values()]
    rows += [(f"`n100 --reason {r.key}`", r.label, r.help) for r in N100_REASONS.values()]
    return _table(("verdict", "reads as", "when"), rows)


TABLES = {
    "kinds": kinds_table,
    "roles": roles_table,
    "fields": fields_table,
    "exit codes": exit_codes_table,
    "recording verdicts": recording_verdicts_table,
}


if __name__ == "__main__":
    for name, render in TABLES.items():
        print(f"<!-- {name} -->\n{render()}\n")
