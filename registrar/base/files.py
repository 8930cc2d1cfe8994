"""Files the program writes for a user: whole or not at all, private, never through a link, a device or a pipe."""

import os
import tempfile
from pathlib import Path

from registrar.base.errors import BadInput


def write_private_file(target: Path, text: str, overwrite: bool = False) -> None:
    """Write a regular file (0600) whole or not at all; a file that exists already only with `overwrite`."""
    if target.name in ("", ".", ".."):
        raise BadInput(f"{str(target)!r} is not a file name")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise BadInput(f"{target} exists and is not a regular file; give a new file name")
    if target.exists() and not overwrite:
        raise BadInput(f"{target} exists already; give a new file name, or --overwrite to replace it")
    if not target.parent.is_dir():
        raise BadInput(f"{target.parent} is not a directory")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as error:
        raise BadInput(f"could not write in {target.parent}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        if overwrite:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if someone made the file meanwhile: a new file, or nothing
    except FileExistsError:
        raise BadInput(f"{target} exists already; give a new file name, or --overwrite to replace it") from None
    except OSError as error:
        raise BadInput(f"could not write {target}: {error.strerror}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)
