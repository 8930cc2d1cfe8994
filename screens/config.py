"""The workbench's own settings under the user's config directory: key remapping and the chosen theme."""

import os
from pathlib import Path


def config_path() -> Path:
    """$XDG_CONFIG_HOME/registrar/workbench.toml, else ~/.config/registrar/workbench.toml."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "registrar" / "workbench.toml"


def load() -> dict:
    """The settings file as a mapping ({} when there is none or it cannot be read; the parser loads only for a file)."""
    try:
        text = config_path().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def save_theme(theme: str) -> None:
    """Keep the chosen theme, leaving the rest of the file as it was."""
    path = config_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    kept = [line for line in lines if not line.strip().startswith("theme")]
    first_table = next((i for i, line in enumerate(kept) if line.strip().startswith("[")), len(kept))
    kept.insert(first_table, f"theme = {theme!r}".replace("'", '"'))
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    except OSError:
        return
