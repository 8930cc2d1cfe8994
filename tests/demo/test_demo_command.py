"""The demo command: a build killed midway leaves no store, and --rebuild deletes only a demo store."""

import subprocess
import sys

from helpers import file_digest, run_on

from registrar.storage import ledger
from registrar.storage.store import Store


def test_a_demo_killed_mid_build_leaves_no_store_and_the_next_demo_builds_it(tmp_path):
    path = tmp_path / "demo.db"
    code = (
        "import os, signal, sys; import seed.generator as g; from registrar.intake import imports; "
        "real = imports.add_crimes\n"
        "def killed(*a, **k):\n    real(*a, **k); os.kill(os.getpid(), signal.SIGKILL)\n"
        "g.add_crimes = killed; from registrar.cli.main import main; "
        "sys.argv = ['registrar', 'demo', '--db', sys.argv[1], '--crimes', '1000', '--no-tui']; main()"
    )
    killed = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert killed.returncode == -9
    assert not path.exists()
    result = run_on(path, "demo", "--db", str(path), "--crimes", "1000", "--no-tui", as_user=None)
    assert result.exit_code == 0, result.stderr
    assert "next: registrar" in result.stderr and "--as fiona" in result.stderr
    built = Store.open(path)
    assert ledger.verify(built.conn).rows > 1000
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == ["demo.db"]


def test_rebuild_deletes_only_a_demo_store(tmp_path):
    path = tmp_path / "force.db"
    assert run_on(path, "init", "--force", "STA", as_user=None).exit_code == 0
    before = file_digest(path)
    result = run_on(path, "demo", "--db", str(path), "--rebuild", "--no-tui", as_user=None)
    assert result.exit_code == 1 and "only a demo store" in result.stderr
    assert file_digest(path) == before
