"""The command line: exit codes, stdout as data, stderr as diagnostics, and the store behind them."""

import json

import click
import pytest
from helpers import invoke, snapshot

RATIONALE = "CCTV from the shop shows the item was paid for at the till."


@pytest.fixture
def db(tmp_path):
    """A demo store made through the CLI, with a ddm, a requester and some crimes."""
    path = str(tmp_path / "cli.db")
    run(path, None, "init", "--demo", "--force", "STA", "--fcr", "fiona")
    run(path, "fiona", "users", "add", "dan", "--role", "ddm")
    run(path, "fiona", "users", "add", "pc1", "--role", "requester")
    for area in ("Stafford", "Cannock"):
        run(path, "fiona", "reference", "area", "add", area)
    crimes = tmp_path / "crimes.csv"
    crimes.write_text(
        "reference,offence_code,recorded_at,area\nCR-1,46,2026-11-01,Stafford\nCR-2,19C,2026-11-01,Cannock\n"
    )
    run(path, "fiona", "import", "crimes", str(crimes))
    requests = (
        "kind,crime_reference,cancellation_code,avi_description,avi_type,avi_source,avi_obtained_at\n"
        "cancellation,CR-1,C2,CCTV shows payment,recording,Shop CCTV,2026-11-20\n"
        "cancellation,CR-2,C2,CCTV shows no contact,recording,Shop CCTV,2026-11-20\n"
    )
    run(path, "pc1", "import", "requests", "-", input=requests)
    return path


def run(db, as_user, *args, input=None, code=0):
    """Invoke the CLI and check its exit code."""
    prefix = ["--db", db] + (["--as", as_user] if as_user else [])
    result = invoke(prefix + list(args), input=input)
    assert result.exit_code == code, (result.output, result.stderr if hasattr(result, "stderr") else "")
    return result


def test_queue_json_is_data_on_stdout(db):
    rows = json.loads(run(db, "dan", "queue", "cancellation", "--json").stdout)
    assert [r["crime_reference"] for r in rows] == ["CR-1", "CR-2"]
    assert rows[1]["restricted"] == 1


def test_queue_csv_and_filters(db):
    out = run(db, "dan", "queue", "--restricted", "--csv").stdout.splitlines()
    assert out[0].startswith("id,kind,state") and len(out) == 2 and "CR-2" in out[1]
    assert len(run(db, "dan", "queue", "--filter", "nothing-like-this", "--csv").stdout.splitlines()) == 1


def test_decide_exit_0_and_store_changed(db):
    result = run(db, "dan", "decide", "1", "approve", "--avi-shows", "no-crime", "--rationale", RATIONALE, "--json")
    assert json.loads(result.stdout)[0]["to_state"] == "approved"
    shown = json.loads(run(db, "dan", "show", "1", "--json").stdout)
    assert shown["crime_state"] == "cancelled" and shown["history"][-1]["action"] == "approve"


def test_decide_rationale_from_stdin(db):
    run(db, "dan", "decide", "1", "reject", "--rationale-file", "-", input=RATIONALE)
    shown = json.loads(run(db, "dan", "show", "1", "--json").stdout)
    assert shown["history"][-1]["rationale"] == RATIONALE


def test_refusal_exit_1_names_the_rule_on_stderr(db):
    result = run(db, "dan", "decide", "2", "approve", "--avi-shows", "no-crime", "--rationale", RATIONALE, code=1)
    assert "restricted-offence" in result.stderr and result.stdout == ""
    assert json.loads(run(db, "dan", "show", "2", "--json").stdout)["state"] == "pending"


def test_usage_error_exit_2(db):
    run(db, "dan", "decide", "1", code=2)
    run(db, "dan", "decide", "abc", "approve", code=2)
    run(
        db,
        "dan",
        "decide",
        "1",
        "approve",
        "--avi-shows",
        "no-crime",
        "--rationale",
        "x",
        "--rationale-file",
        "-",
        code=2,
    )


def test_conflict_exit_3_names_who_decided_first(db):
    run(db, "dan", "decide", "1", "approve", "--avi-shows", "no-crime", "--rationale", RATIONALE)
    result = run(db, "fiona", "decide", "1", "reject", "--rationale", RATIONALE, code=3)
    assert "dan (ddm) took 'approve'" in result.stderr


def test_stale_expected_version_exit_3(db):
    run(db, "dan", "decide", "1", "return", "--rationale", "Please attach the CCTV still images.")
    run(db, "fiona", "decide", "1", "withdraw", "--expect-version", "1", "--rationale", RATIONALE, code=3)


def test_log_verify_exit_4_when_tampered(db):

    assert "ledger verified" in run(db, "dan", "log", "verify").stdout
    head = run(db, "dan", "log", "head").stdout.strip()
    assert run(db, "dan", "log", "verify", "--anchor", head).exit_code == 0
    from attacker import careful

    careful(db).execute("UPDATE ledger SET actor = 'someone' WHERE seq = 2")
    result = run(db, "dan", "log", "verify", code=4)
    assert "entry 2" in result.stderr


def test_log_filters(db):
    run(db, "dan", "decide", "1", "approve", "--avi-shows", "no-crime", "--rationale", RATIONALE)
    rows = json.loads(run(db, "dan", "log", "--crime", "CR-1", "--json").stdout)
    assert [r["action"] for r in rows] == ["approve", "raise"]
    assert (
        json.loads(run(db, "dan", "log", "--actor", "dan", "--action", "approve", "--json").stdout)[0]["request_id"]
        == 1
    )
    run(db, "dan", "log", "--since", "next tuesday", code=1)
    assert json.loads(run(db, "dan", "log", "--since", "yesterday", "--json").stdout)


def test_unknown_request_and_unknown_user(db):
    assert "no request 99" in run(db, "dan", "show", "99", code=1).stderr
    assert "not a registrar user" in run(db, "nobody", "queue", code=1).stderr


def test_missing_store_is_a_clear_error(tmp_path):
    result = run(str(tmp_path / "none.db"), None, "queue", code=1)
    assert "registrar init" in result.stderr


def test_production_store_refuses_as(tmp_path):
    path = str(tmp_path / "prod.db")
    run(path, None, "init", "--force", "STA")
    assert "--as is refused" in run(path, "fiona", "queue", code=1).stderr
    assert run(path, None, "queue").exit_code == 0


def test_identity_ignores_user_and_logname(tmp_path, monkeypatch):
    path = str(tmp_path / "prod.db")
    run(path, None, "init", "--force", "STA")
    monkeypatch.setenv("USER", "fiona")
    monkeypatch.setenv("LOGNAME", "fiona")
    from registrar.access.identity import os_account

    users = json.loads(run(path, None, "users", "list", "--json").stdout)
    assert [u["username"] for u in users] == [os_account()]


def test_bad_import_exit_1_lists_lines(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("reference,offence_code,recorded_at\nCR-9,NOPE,2026-01-01\n")
    result = run(db, "fiona", "import", "crimes", str(bad), code=1)
    assert "line 2: offence_code 'NOPE'" in result.stderr


def test_settings_and_reference_edits_are_fcr_only_and_logged(db):
    run(db, "fiona", "settings", "set", "rationale_min_length", "30")
    run(db, "dan", "settings", "set", "rationale_min_length", "5", code=1)
    run(db, "fiona", "settings", "set", "rationale_min_length", "many", code=1)
    run(db, "fiona", "reference", "restrict", "46")
    run(db, "fiona", "reference", "ground", "C5", "--title", "Self-defence shown by AVI", "--confirmed")
    actions = [r["action"] for r in json.loads(run(db, "fiona", "log", "--json").stdout)[:3]]
    assert actions == ["reference", "reference", "setting"]
    settings = {r["key"]: r["value"] for r in json.loads(run(db, "dan", "settings", "list", "--json").stdout)}
    assert settings["rationale_min_length"] == 30


def test_every_command_has_help_with_an_example():
    from registrar.cli.main import cli as group

    def walk(command, path):
        if isinstance(command, click.Group):
            context = click.Context(command)
            for name in command.list_commands(context):
                yield from walk(command.get_command(context, name), path + [name])
        else:
            yield path, command

    for path, command in walk(group, []):
        assert command.help and "Example" in command.help, path


@pytest.mark.parametrize(
    "args",
    [
        ["users", "add", "zed", "--role", "viewer", "--name", "Z\udcfe"],
        ["reference", "ground", "C5", "--title", "T\udcff"],
        ["settings", "set", "crime_reference_prefix", "CR\udcff"],
        ["queue", "--filter", "caf\udce9"],
        ["log", "--search", "caf\udce9"],
    ],
    ids=["display-name", "ground-title", "setting", "queue-filter", "log-search"],
)
def test_an_argument_a_latin1_terminal_typed_is_refused_at_the_door_not_a_crash(store, args):
    # bytes that are not UTF-8 reach Python as lone surrogates; storing or even searching them used to crash (exit 70)
    before = snapshot(store)
    result = invoke(["--db", str(store.path), "--as", "fiona", *args])
    assert result.exit_code == 2 and "character encoding" in result.output, result.output
    assert snapshot(store) == before


def test_help_documents_exit_codes():
    from registrar.base.errors import EXIT_MEANINGS, ExitCode

    out = " ".join(invoke(["--help"]).stdout.split())
    for code in ExitCode:
        assert f"{code.value} {EXIT_MEANINGS[code]}" in out


def test_init_makes_a_private_store_and_group_sharing_is_gone(tmp_path):
    import stat

    folder = tmp_path / "personal"
    path = folder / "force.db"
    assert run(str(path), None, "init", "--force", "STA").exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (
        "No such option"
        in run(str(tmp_path / "x.db"), None, "init", "--force", "STA", "--group", "staff", code=2).stderr
    )
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("registrar decide 12 ap", {"approve"}),
        ("registrar queue --state re", {"referred", "returned"}),
        ("registrar queue refe", {"referral"}),
    ],
)
def test_shell_completion_offers_actions_states_and_kinds(words, expected):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
        "_REGISTRAR_COMPLETE": "bash_complete",
    }
    code = "import sys; from registrar.cli.main import cli; cli.main(prog_name='registrar')"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout
    assert {line.split(",", 1)[1] for line in out.splitlines()} == expected


def test_nl_gives_one_json_object_per_line(db):
    out = run(db, "fiona", "users", "list", "--nl").stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(isinstance(row, dict) for row in rows) and rows[0]["username"]
