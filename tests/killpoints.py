"""Kill a registrar command at its Nth durable step: run as a script, it counts every SQL statement, online backup,
link, rename and unlink the command makes, and SIGKILLs itself just before the one named (0: count and finish).

    python tests/killpoints.py LIMIT COUNTER-FILE registrar-arguments...

It prints the count on its last line of standard error.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_killed(limit: int, *args: str, python: str = sys.executable) -> subprocess.CompletedProcess:
    """Run `registrar ARGS` in a new process that kills itself at its `limit`th durable step (0: count them); another
    `python` runs the registrar installed beside it rather than this checkout."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)} if python == sys.executable else {"PATH": os.environ["PATH"]}
    with tempfile.NamedTemporaryFile("w", prefix="killpoints-", delete=False) as counter:
        counter.write("0")
    os.chmod(counter.name, 0o666)  # a step the command takes as its service account counts too
    try:
        return subprocess.run(
            [python, str(Path(__file__)), str(limit), counter.name, *args],
            capture_output=True,
            text=True,
            cwd="/",
            env=env,
            timeout=180,
        )
    finally:
        os.unlink(counter.name)


def steps_of(result: subprocess.CompletedProcess) -> int:
    """How many durable steps a counting run made."""
    return int(result.stderr.strip().splitlines()[-1])


def kill_points(total: int, count: int = 12) -> list[int]:
    """`count` steps spread over a command's `total`, first and last included."""
    return sorted({1, total, *(max(1, total * n // count) for n in range(1, count))})


def _main() -> int:
    limit, counter, args = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]

    def step() -> None:
        """Count one durable step in the counter file (shared with a forked child), and die at the limit."""
        calls = int(counter.read_text()) + 1
        counter.write_text(str(calls))
        if calls == limit:
            os.kill(os.getpid(), signal.SIGKILL)

    class Counting(sqlite3.Connection):
        def execute(self, *a, **k):
            step()
            return super().execute(*a, **k)

        def executemany(self, *a, **k):
            step()
            return super().executemany(*a, **k)

        def backup(self, *a, **k):
            step()
            return super().backup(*a, **k)

        def commit(self):
            step()
            return super().commit()

    connect = sqlite3.connect
    sqlite3.connect = lambda *a, **k: connect(*a, **{**k, "factory": Counting})  # type: ignore[assignment]
    for name in ("link", "replace", "rename", "unlink", "fsync"):
        original = getattr(os, name)

        def counted(*a, _original=original, **k):
            step()
            return _original(*a, **k)

        setattr(os, name, counted)
    from registrar.cli.main import main

    sys.argv = ["registrar", *args]
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    print(counter.read_text(), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(_main())
