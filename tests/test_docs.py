"""The README agrees with the definitions: its reference tables are rendered from them, every command is in it."""

from pathlib import Path

import click
import pytest

from registrar.cli import docs
from registrar.cli.main import cli
from registrar.intake.columns import CRIME_COLUMNS, INCIDENT_COLUMNS, REQUEST_COLUMNS

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(docs.TABLES))
def test_each_reference_table_in_the_readme_is_the_rendered_definition(name):
    assert docs.TABLES[name]() in README, f"README's {name} table drifted: paste `python -m registrar.cli.docs` output"


def test_every_command_is_in_the_readme():
    def walk(group: click.Group, path: list[str]):
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            yield path + [name]
            if isinstance(command, click.Group):
                yield from walk(command, path + [name])

    for path in walk(cli, []):
        assert f"`{' '.join(path)}" in README or f"registrar {' '.join(path)}" in README, path


def test_every_import_column_is_in_the_readme():
    for column in [*CRIME_COLUMNS, *REQUEST_COLUMNS, *INCIDENT_COLUMNS]:
        assert f"`{column}`" in README, column
