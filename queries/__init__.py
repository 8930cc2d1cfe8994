"""Named SQL: one statement per `.sql` file in this package, loaded by name."""

from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent


@cache
def sql(name: str) -> str:
    """Return the text of the named query, raising KeyError for an unknown name."""
    resource = FOLDER / f"{name}.sql"
    if not resource.is_file():
        raise KeyError(f"no query named {name!r}")
    return resource.read_text(encoding="utf-8")


def names() -> list[str]:
    """List the names of every query shipped in this package."""
    return sorted(entry.name[: -len(".sql")] for entry in FOLDER.iterdir() if entry.name.endswith(".sql"))
