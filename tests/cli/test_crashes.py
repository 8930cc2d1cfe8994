"""A crash is never a success: the workbench and the command line end with one line, a log file and exit 70."""

import sqlite3

import pytest
from helpers import USERS, act, avi_cancellation, invoke, settle

from registrar.base.errors import StoreBusy
from registrar.reading import views
from registrar.storage import store as store_module
from screens.app import make_app


async def test_an_unexpected_worker_error_ends_the_workbench_with_exit_70_and_a_log(store, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug in the dashboard's figures")

    monkeypatch.setattr(views, "dashboard", broken)
    app = make_app(store, USERS["fcr"])
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
    assert app.return_code == 70
    logs = list((tmp_path / "state" / "registrar").glob("crash-*.log"))
    assert len(logs) == 1 and "ZeroDivisionError: a bug in the dashboard's figures" in logs[0].read_text()


async def test_a_refusal_in_a_worker_is_shown_not_a_crash(store, monkeypatch):
    def busy(*args, **kwargs):
        raise StoreBusy("the store stayed locked by other writers for 30 s; nothing was changed: try again")

    monkeypatch.setattr(views, "dashboard", busy)
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.is_running
        assert any("stayed locked" in str(n.message) for n in app._notifications)
    assert app.return_code in (0, None)


def test_a_store_locked_past_the_wait_is_a_typed_refusal_that_changes_nothing(store, monkeypatch):
    rid = avi_cancellation(store)
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.05)
    try:
        with pytest.raises(StoreBusy, match="locked by other writers"):
            act(store, "ddm", rid, "reject")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.conn.execute("SELECT state FROM requests WHERE id = ?", (rid,)).fetchone()[0] == "pending"


def test_bare_registrar_without_a_terminal_prints_help_and_exits_2(store):
    result = invoke(["--db", str(store.path), "--as", "fiona"])
    assert result.exit_code == 2 and "Usage:" in result.stdout and "\x1b[" not in result.stdout
    result = invoke(["--db", str(store.path), "--as", "fiona", "tui"])
    assert result.exit_code == 2 and "needs a terminal" in result.stderr


def test_an_unexpected_error_in_the_cli_is_exit_70_with_a_log(store, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    code = (
        "import sys; from registrar.reading import views; "
        "views.queue_page = lambda *a, **k: 1 / 0; "
        "sys.argv = ['registrar', '--db', sys.argv[1], '--as', 'fiona', 'queue']; "
        "from registrar.cli.main import main; main()"
    )
    result = subprocess.run([sys.executable, "-c", code, str(store.path)], capture_output=True, text=True, env=env)
    assert result.returncode == 70 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "internal error (ZeroDivisionError" in result.stderr
    logs = list((tmp_path / "state" / "registrar").glob("crash-*.log"))
    assert len(logs) == 1 and "ZeroDivisionError" in logs[0].read_text()


async def test_page_keys_straight_after_opening_the_palette_do_not_crash(store, monkeypatch):
    from textual.command import CommandList

    def early_page(self):
        raise KeyError(0)  # what Textual 8.2's option list raises for a page key before it has laid out its lines

    monkeypatch.setattr(CommandList, "action_page_down", early_page)
    monkeypatch.setattr(CommandList, "action_page_up", early_page)
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in ("pagedown", "pageup"):
            await pilot.press("ctrl+p", key)
            await pilot.pause()
            assert app.is_running
            await pilot.press("escape")
            await pilot.pause()
    assert app.return_code in (0, None)
