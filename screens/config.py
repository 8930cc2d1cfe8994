"""The workbench's own settings under the user's config directory: key remapping and the chosen theme; through a front
door, where every registrar runs as the service account, each registrar has a file of their own."""

import os
from pathlib import Path


def config_path(registrar: str | None = None) -> Path:
    """$XDG_CONFIG_HOME/registrar/workbench.toml, else ~/.config/registrar/workbench.toml; for a registrar who came in
    by a front door, users/NAME.toml beside it (a registrar's name is an account name, so it is a plain file name)."""
    base = Path(os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")) / "registrar"
    return base / "users" / f"{registrar}.toml" if registrar else base / "workbench.toml"


def load(registrar: str | None = None) -> dict:
    """A registrar's settings as a mapping (the shared file's until they have their own; {} when neither can be
    read; the parser loads only for a file)."""
    path = config_path(registrar)
    if registrar and not path.exists():
        path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def save_theme(theme: str, registrar: str | None = None) -> None:
    """Keep the chosen theme in the registrar's own file (begun from the shared one), leaving the rest as it was."""
    path = config_path(registrar)
    source = path if path.exists() or not registrar else config_path()
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    kept = [line for line in lines if not line.strip().startswith("theme")]
    first_table = next((i for i, line in enumerate(kept) if line.strip().startswith("[")), len(kept))
    kept.insert(first_table, f"theme = {theme!r}".replace("'", '"'))
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    except OSError:
        return
