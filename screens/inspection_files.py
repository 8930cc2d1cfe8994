"""The inspection's files from the workbench: the pack, or every decision as CSV, each a new private file here."""

import os
from pathlib import Path

from registrar.base.clock import parse
from registrar.base.errors import BadInput, RegistrarError
from registrar.base.files import write_private_file
from registrar.oversight.for_inspection import decisions_csv, inspection_pack
from registrar.oversight.reports import default_period

from .formatting import LOCAL

DAYS = 30
WHAT = {
    "pack": ("inspection-pack", ".html", "Inspection pack", "report --html - > pack.html"),
    "decisions": ("decisions", ".csv", "Decisions export", "export decisions --csv > decisions.csv"),
}


def file_name(stem: str, suffix: str, now: str) -> str:
    """A new file's name with the force's local date and time in it."""
    return f"{stem}-{parse(now).astimezone(LOCAL):%Y-%m-%d-%H%M%S}{suffix}"


def save(app, what: str) -> None:
    """Write the pack or the decisions of the last 30 days in a worker, then say where they went, or why not."""
    stem, suffix, title, command = WHAT[what]
    if app.actor.by_front_door:
        app.notify(
            f"Through the SSH or sudo door files go to you, not to the server: on your own machine run "
            f"ssh <server> -- {command}",
            title=title,
            severity="warning",
            timeout=20,
        )
        return
    app.notify(f"Writing the {title.lower()} for the last {DAYS} days…", title=title)
    app.run_worker(lambda: _write(app, what), thread=True, group="inspection-files", exit_on_error=False)


def _write(app, what: str) -> None:
    """Read the figures in one snapshot and write them whole to a new private file in the working directory; say
    where it went, or why it could not be written."""
    stem, suffix, title, _ = WHAT[what]
    try:
        here = Path.cwd()
        with app.handle.open() as store:
            since, until = default_period(store.now(), DAYS)
            if what == "pack":
                text, head = inspection_pack(store, app.actor, since, until)
                about = f"ledger head {head}"
            else:
                text, count = decisions_csv(store, since, until)
                about = f"{count:,} decisions"
            target = _write_new(here, file_name(stem, suffix, store.now()), text)
    except RegistrarError as error:
        app.call_from_thread(app.notify, error.message, title=title, severity="error", timeout=20)
        return
    except OSError as error:
        app.call_from_thread(
            app.notify, f"nothing was written: {error.strerror or error}", title=title, severity="error", timeout=20
        )
        return
    app.call_from_thread(app.notify, f"Written to {target} ({about}).", title=title, timeout=30)


def _write_new(folder: Path, name: str, text: str) -> Path:
    """Write a new private file under `name`, or `name-2`, `name-3`… when one made the same second exists."""
    stem, suffix = name.rsplit(".", 1)
    for attempt in range(1, 100):
        target = folder / (name if attempt == 1 else f"{stem}-{attempt}.{suffix}")
        if os.path.lexists(target):
            continue
        write_private_file(target, text)
        return target
    raise BadInput(f"{folder} already holds 99 files named {stem}-N.{suffix}: give them other names")
