"""On a personal store the acting user is the OS account, whatever the environment says."""

import json

from helpers import invoke


def test_identity_is_the_os_account_whatever_the_environment(tmp_path, monkeypatch):
    from registrar.access.identity import os_account

    path = str(tmp_path / "prod.db")
    invoke(["--db", path, "init", "--force", "STA"])
    invoke(["--db", path, "users", "add", "mallory", "--role", "fcr"])
    monkeypatch.setenv("USER", "mallory")
    monkeypatch.setenv("LOGNAME", "mallory")
    monkeypatch.setenv("USERNAME", "mallory")
    result = invoke(["--db", path, "log", "--json", "--limit", "1"])
    assert json.loads(result.stdout)[0]["actor"] == os_account()
