"""Shared fixtures: a fresh demo store with a frozen clock and users of every role."""

import helpers
import pytest
from helpers import AREAS, USERS, crimes_csv

from registrar.administration import admin
from registrar.base.clock import fixed_clock
from registrar.intake import imports
from registrar.storage.store import Store


@pytest.fixture
def store(tmp_path):
    """A demo store with every role, the model force's areas, six crimes, and a clock frozen at the tests' NOW."""
    created = Store.create(
        tmp_path / "store.db",
        fcr=USERS["fcr"].username,
        fcr_name=USERS["fcr"].display_name,
        demo=True,
        force_code="STA",
        clock=fixed_clock(helpers.NOW),
    )
    for key, actor in USERS.items():
        if key != "fcr":
            admin.add_user(created, USERS["fcr"], actor.username, actor.role, actor.display_name)
    for area in AREAS:
        admin.add_area(created, USERS["fcr"], area)
    imports.import_crimes(created, USERS["fcr"], crimes_csv(), "crimes.csv")
    yield created
    created.close()


@pytest.fixture(autouse=True)
def private_user_directories(tmp_path, monkeypatch):
    """Each test has its own config and state directories, so a user's workbench.toml or logs never leak in."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture(scope="session")
def small_demo_force(tmp_path_factory):
    """A 15,000-crime demo force built once per test process at the tests' NOW (copy it before writing to it)."""
    path = tmp_path_factory.mktemp("small-demo") / "demo.db"
    result = helpers.run_on(path, "demo", "--db", str(path), "--crimes", "15000", "--no-tui", as_user=None)
    assert result.exit_code == 0, result.stderr
    return path
