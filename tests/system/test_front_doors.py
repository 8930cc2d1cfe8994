"""The server's front doors end to end: a real OpenSSH server on 127.0.0.1, sudo, and real OS accounts.

These tests create a service account and two registrar accounts, run `registrar server setup` as root, and come
in as those people would. They need root, sshd, ssh, sudo and tmux: outside CI they skip when something is
missing; under CI=true they fail instead. Every account, group and file they create is removed afterwards.
"""

import contextlib
import json
import os
import pwd
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.own_clock, pytest.mark.xdist_group("front_doors")]

TOOLS = ("/usr/sbin/sshd", "ssh", "ssh-keygen", "sudo", "tmux", "useradd", "userdel", "groupadd", "groupdel")
SUFFIX = f"{os.getpid() % 100000}"
SERVICE = f"regsvc{SUFFIX}"
FCR = f"regfcr{SUFFIX}"
DDM = f"regddm{SUFFIX}"
GROUP = f"regs{SUFFIX}"
RATIONALE = "Reviewed the full record over the SSH front door; the rules are met."


def _missing() -> list[str]:
    """The tools or privileges these tests need and do not have."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if os.geteuid() != 0:
        missing.append("root")
    return missing


if _missing():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI must run the front-door tests; missing: {', '.join(_missing())}")
    pytest.skip(f"needs {', '.join(_missing())}", allow_module_level=True)


def run(
    command: list[str],
    *,
    user: str | None = None,
    stdin: str | None = None,
    check: bool = True,
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """Run a command, as another OS account when asked, with a clean environment like a login would have."""
    account = pwd.getpwnam(user) if user else None
    base = {
        "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "LANG": "C.UTF-8",
        "HOME": account.pw_dir if account else "/root",
    }
    result = subprocess.run(
        command,
        input=stdin,
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        user=account.pw_uid if account else None,
        group=account.pw_gid if account else None,
        extra_groups=_groups(user) if user else None,
        cwd=account.pw_dir if account else None,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"{command} exited {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}")
    return result


def _groups(user: str) -> list[int]:
    """The supplementary groups of an account, as a login would give them."""
    return [g for g in os.getgrouplist(user, pwd.getpwnam(user).pw_gid)]


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def install_for_everyone(root: Path) -> Path:
    """This checkout's registrar, installed where every account can run it (the test machine's Python may live
    under /root, closed to others): a venv of the system Python with a copy of the test venv's packages."""
    import registrar

    venv = root / "venv"
    run([shutil.which("python3", path="/usr/bin") or "/usr/bin/python3", "-m", "venv", "--without-pip", str(venv)])
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = venv / "lib" / version / "site-packages"
    ours = Path(registrar.__file__).resolve().parent.parent
    for source in {Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()}:
        for entry in source.iterdir():
            if entry.name.startswith("__editable__") or entry.name in ("registrar", "screens", "queries", "seed"):
                continue
            target = site / entry.name
            if not target.exists():
                (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, target)
    for package in ("registrar", "screens", "queries", "seed"):
        shutil.copytree(ours / package, site / package, ignore=shutil.ignore_patterns("__pycache__"))
    program = venv / "bin" / "registrar"
    program.write_text(
        f"#!{venv / 'bin' / 'python3'}\nimport sys\nfrom registrar.cli.main import main\nsys.exit(main())\n"
    )
    subprocess.run(["chmod", "-R", "go+rX", str(root)], check=True)
    program.chmod(0o755)
    return program


def make_person(name: str) -> Path:
    """An OS account with a login shell and an ed25519 key; returns the public key's path."""
    run(["useradd", "--create-home", "--shell", "/bin/bash", name])
    run(["usermod", "-p", "*", name])
    ssh_directory = Path(pwd.getpwnam(name).pw_dir) / ".ssh"
    run(["mkdir", "-m", "700", str(ssh_directory)], user=name)
    run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@test", "-f", str(ssh_directory / "id_ed25519")],
        user=name,
    )
    return ssh_directory / "id_ed25519.pub"


class Server:
    """The test server: the installed program, the store, and a running sshd."""

    def __init__(self, root: Path, program: Path, port: int, process: subprocess.Popen):
        self.root = root
        self.program = program
        self.store = root / "srv" / "force.db"
        self.port = port
        self.process = process
        self.setup_command: list[str] = []

    def ssh_command(self, user: str, *extra: str, key: str = "id_ed25519") -> list[str]:
        """An ssh command line for a registrar's key (one of the OS account's key files) to the service account."""
        return [
            "ssh",
            "-p",
            str(self.port),
            "-i",
            str(Path(pwd.getpwnam(user).pw_dir) / ".ssh" / key),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            *extra,
            f"{SERVICE}@127.0.0.1",
        ]

    def ssh(
        self,
        user: str,
        command: str,
        *,
        stdin: str | None = None,
        check: bool = True,
        extra: tuple[str, ...] = (),
        key: str = "id_ed25519",
    ) -> subprocess.CompletedProcess:
        """Run a command through the gateway as a registrar's key."""
        return run([*self.ssh_command(user, *extra, key=key), "--", command], user=user, stdin=stdin, check=check)

    def as_service(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        """Run registrar as the service account itself (the administrator's maintenance path)."""
        return run([str(self.program), "--db", str(self.store), *args], user=SERVICE, stdin=stdin)

    def query(self, sql: str, params: tuple = ()) -> list:
        """Read the store as its owner, without writing anything."""
        code = (
            "import json, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "print(json.dumps(c.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()))"
        )
        python = str(self.program.with_name("python3"))
        out = run([python, "-c", code, str(self.store), sql, json.dumps(list(params))], user=SERVICE).stdout
        return json.loads(out)


@pytest.fixture(scope="module")
def server():
    """Set the server up as an administrator would, start sshd, and tear everything down afterwards."""
    root = Path(tempfile.mkdtemp(prefix="registrar-doors-"))
    root.chmod(0o755)
    process = None
    try:
        program = install_for_everyone(root / "opt")
        fcr_key = make_person(FCR)
        make_person(DDM)
        setup = [
            str(program),
            "server",
            "setup",
            "--account",
            SERVICE,
            "--store",
            str(root / "srv" / "force.db"),
            "--home",
            str(root / "home"),
            "--force",
            "STA",
            "--fcr",
            FCR,
            "--fcr-name",
            "Fiona FCR",
            "--fcr-key",
            str(fcr_key),
            "--group",
            GROUP,
            "--sudoers",
            "--witness-file",
            str(root / "witness" / "heads"),
        ]
        first = run(setup)
        assert "created store" in first.stdout and "wrote sudo rule" in first.stdout, first.stdout
        again = run(setup)
        assert "created" not in again.stdout and "store" in again.stdout and "exists" in again.stdout, again.stdout
        run(["usermod", "-aG", GROUP, DDM])
        port = free_port()
        config = root / "sshd_config"
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(root / "host_key")])
        config.write_text(
            f"Port {port}\nListenAddress 127.0.0.1\nHostKey {root / 'host_key'}\nPidFile {root / 'sshd.pid'}\n"
            "AuthorizedKeysFile .ssh/authorized_keys\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            f"UsePAM no\nStrictModes yes\nPermitRootLogin no\nAllowUsers {SERVICE}\nLogLevel VERBOSE\n"
        )
        Path("/run/sshd").mkdir(exist_ok=True)
        process = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE, text=True)
        for line in process.stderr:
            if "Server listening" in line:
                break
        else:
            raise AssertionError("sshd did not start")
        served = Server(root, program, port, process)
        served.setup_command = setup
        yield served
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
        for account in (FCR, DDM, SERVICE):
            subprocess.run(["userdel", "-r", account], capture_output=True)
        subprocess.run(["groupdel", SERVICE], capture_output=True)
        subprocess.run(["groupdel", GROUP], capture_output=True)
        Path(f"/etc/sudoers.d/registrar-{SERVICE}").unlink(missing_ok=True)
        for account in (SERVICE, f"{SERVICE}k"):
            Path(f"/etc/cron.d/registrar-witness-{account}").unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def staffed(server):
    """The FCR, over SSH, adds the ddm with their key, imports crimes and raises requests."""
    server.ssh(FCR, f"users add {DDM} --role ddm --name 'Dan DDM'")
    ddm_key = (Path(pwd.getpwnam(DDM).pw_dir) / ".ssh" / "id_ed25519.pub").read_text()
    server.ssh(FCR, f"keys add {DDM} -", stdin=ddm_key)
    server.ssh(FCR, "reference area add Stafford")
    crimes = "reference,offence_code,recorded_at,area,oic\n" + "".join(
        f"CR-2026-00000{n},8N,2026-11-01T10:00:00Z,Stafford,pc{n}\n" for n in range(1, 6)
    )
    server.ssh(FCR, "import crimes -", stdin=crimes)
    requests = "".join(
        json.dumps(
            {
                "kind": "reclassification",
                "crime_reference": f"CR-2026-00000{n}",
                "proposed_code": "105A",
                "requested_by": "pc9",
            }
        )
        + "\n"
        for n in range(1, 6)
    )
    server.ssh(FCR, "import requests -", stdin=requests)
    return server


def request_state(server: Server, request_id: int) -> str:
    """A request's state, read from the store."""
    return server.query("SELECT state FROM requests WHERE id = ?", (request_id,))[0][0]


def last_entry_details(server: Server) -> tuple[str, str, dict]:
    """The newest ledger entry's actor, role and details."""
    actor, role, details = server.query("SELECT actor, role, details FROM ledger ORDER BY seq DESC LIMIT 1")[0]
    return actor, role, json.loads(details)


def fingerprint(user: str) -> str:
    """A person's key fingerprint, as ssh-keygen prints it."""
    out = run(["ssh-keygen", "-lf", str(Path(pwd.getpwnam(user).pw_dir) / ".ssh" / "id_ed25519.pub")]).stdout
    return out.split()[1]


def test_setup_makes_a_store_only_the_service_account_can_touch(server):
    import stat

    info = os.stat(server.store)
    assert pwd.getpwuid(info.st_uid).pw_name == SERVICE and stat.S_IMODE(info.st_mode) == 0o600
    directory = os.stat(server.store.parent)
    assert pwd.getpwuid(directory.st_uid).pw_name == SERVICE and stat.S_IMODE(directory.st_mode) == 0o700
    keys = Path(pwd.getpwnam(SERVICE).pw_dir) / ".ssh" / "authorized_keys"
    line = [row for row in keys.read_text().splitlines() if row.startswith("restrict")][0]
    assert line.startswith('restrict,pty,command="') and f"gateway --user {FCR} --key {fingerprint(FCR)}" in line


def test_a_decision_over_ssh_is_ledgered_with_the_key(staffed):
    result = staffed.ssh(DDM, f"decide 1 approve --rationale '{RATIONALE}' --json")
    assert json.loads(result.stdout)[0]["to_state"] == "approved"
    assert request_state(staffed, 1) == "approved"
    actor, role, details = last_entry_details(staffed)
    assert (actor, role, details["door"]) == (DDM, "ddm", f"ssh {fingerprint(DDM)}")
    staffed.as_service("log", "verify")


def test_batch_from_stdin_over_ssh(staffed):
    rows = f"request_id,action,rationale\n2,approve,{RATIONALE}\n3,approve,{RATIONALE}\n"
    result = staffed.ssh(DDM, "batch -", stdin=rows)
    assert "2 applied" in result.stderr
    assert request_state(staffed, 2) == request_state(staffed, 3) == "approved"
    exported = staffed.ssh(FCR, "export decisions --csv --from 7d")
    assert exported.stdout.count(f"{DDM},ddm") >= 2


def test_a_key_gets_no_shell_no_other_program_no_forwarding_and_no_identity_switch(staffed):
    head_before = staffed.as_service("log", "head").stdout
    for attempt in (
        "/bin/sh -c id",
        "bash",
        "python3 -c 'print(1)'",
        "sh",
        "init --force STA",
        "gateway --user x --key y",
        "server setup --force STA --fcr x",
    ):
        result = staffed.ssh(DDM, attempt, check=False)
        assert result.returncode != 0 and "not something this gateway runs" in result.stderr, (attempt, result)
    for attempt in (
        f"--as {FCR} queue",
        "--db /tmp/other.db queue",
        f"queue --as={FCR}",
        f"decide 4 approve --as {FCR} --rationale '{RATIONALE}'",
    ):
        result = staffed.ssh(DDM, attempt, check=False)
        assert result.returncode != 0 and "refused through the SSH gateway" in result.stderr, (attempt, result)
    remote = run(
        [
            *staffed.ssh_command(
                DDM, "-N", "-o", "ExitOnForwardFailure=yes", "-R", f"{free_port()}:127.0.0.1:{staffed.port}"
            )
        ],
        user=DDM,
        check=False,
    )
    assert remote.returncode != 0 and "forwarding failed" in remote.stderr.lower(), remote.stderr
    direct = run([*staffed.ssh_command(DDM, "-W", f"127.0.0.1:{staffed.port}")], user=DDM, check=False, stdin="")
    assert direct.returncode != 0 and "forwarding failed" in direct.stderr, direct.stderr
    assert request_state(staffed, 4) == "pending"
    assert staffed.as_service("log", "head").stdout == head_before


def test_a_registrar_with_a_shell_cannot_open_the_store_file(staffed):
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute(\"UPDATE requests SET state = 'approved' WHERE id = 5\"); c.commit()"
    )
    direct = run(["/usr/bin/python3", "-c", code, str(staffed.store)], user=DDM, check=False)
    assert direct.returncode != 0 and "unable to open database" in direct.stderr
    through_program = run(
        [str(staffed.program), "--db", str(staffed.store), "decide", "5", "approve", "--rationale", RATIONALE],
        user=DDM,
        check=False,
    )
    assert through_program.returncode == 1 and "Traceback" not in through_program.stderr
    forged_sudo = run(
        [str(staffed.program), "--db", str(staffed.store), "queue"],
        user=DDM,
        check=False,
        env={"SUDO_UID": str(pwd.getpwnam(FCR).pw_uid), "SUDO_USER": FCR},
    )
    assert forged_sudo.returncode == 1
    assert request_state(staffed, 5) == "pending"


def test_sudo_front_door_takes_identity_from_sudo(staffed):
    result = run(
        [
            "sudo",
            "-n",
            "-u",
            SERVICE,
            str(staffed.program),
            "--db",
            str(staffed.store),
            "decide",
            "4",
            "approve",
            "--rationale",
            RATIONALE,
            "--json",
        ],
        user=DDM,
    )
    assert json.loads(result.stdout)[0]["to_state"] == "approved"
    actor, role, details = last_entry_details(staffed)
    assert (actor, role, details["door"]) == (DDM, "ddm", f"sudo {DDM}")
    outsider = run(["sudo", "-n", "-u", SERVICE, str(staffed.program), "queue"], user=FCR, check=False)
    assert outsider.returncode != 0 and "password is required" in outsider.stderr + outsider.stdout
    other_program = run(["sudo", "-n", "-u", SERVICE, "/bin/sh", "-c", "id"], user=DDM, check=False)
    assert other_program.returncode != 0
    head_before = staffed.as_service("log", "head").stdout
    for closed in (["gateway", "--user", FCR, "--key", fingerprint(FCR)], ["init", "--force", "STA"]):
        impersonation = run(
            ["sudo", "-n", "-u", SERVICE, str(staffed.program), "--db", str(staffed.store), *closed],
            user=DDM,
            check=False,
            stdin="",
        )
        assert impersonation.returncode == 1 and "not run through sudo" in impersonation.stderr, impersonation
    assert staffed.as_service("log", "head").stdout == head_before


def test_a_name_with_dots_and_dashes_logs_in_as_exactly_itself(staffed):
    ann = f"ann.lee-{SUFFIX}"
    key_file = Path(pwd.getpwnam(FCR).pw_dir) / ".ssh" / "id_ann"
    run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ann@test", "-f", str(key_file)], user=FCR)
    staffed.ssh(FCR, f"users add {ann} --role fcr --name 'Ann Lee'")
    staffed.ssh(FCR, f"keys add {ann} -", stdin=key_file.with_suffix(".pub").read_text())
    keys_file = Path(pwd.getpwnam(SERVICE).pw_dir) / ".ssh" / "authorized_keys"
    assert f"gateway --user {ann} --key" in keys_file.read_text()
    staffed.ssh(FCR, "reference area add Rugeley", key="id_ann")
    actor, role, details = last_entry_details(staffed)
    ann_fingerprint = run(["ssh-keygen", "-lf", str(key_file.with_suffix(".pub"))]).stdout.split()[1]
    assert (actor, role, details["door"]) == (ann, "fcr", f"ssh {ann_fingerprint}")
    staffed.ssh(FCR, f"keys remove {ann_fingerprint}")
    staffed.ssh(FCR, f"users set {ann} --inactive")


@pytest.mark.parametrize("name", ['dan\\"x', 'dan"x', "dan'x", "root", "the service account"])
def test_a_name_sshd_or_the_server_would_read_otherwise_is_refused_over_ssh(staffed, name):
    import shlex

    name = SERVICE if name == "the service account" else name

    users_before = staffed.query("SELECT username, active FROM users ORDER BY username")
    head_before = staffed.as_service("log", "head").stdout
    result = staffed.ssh(FCR, f"users add {shlex.quote(name)} --role ddm --name Someone", check=False)
    assert result.returncode == 1 and ("not an account name" in result.stderr or "of the server" in result.stderr)
    assert "Traceback" not in result.stderr
    assert staffed.query("SELECT username, active FROM users ORDER BY username") == users_before
    assert staffed.as_service("log", "head").stdout == head_before


def test_sudo_opens_only_the_served_store_and_tells_no_other_path_apart(staffed):
    home = Path(pwd.getpwnam(SERVICE).pw_dir)
    sudo = ["sudo", "-n", "-u", SERVICE, str(staffed.program)]
    answers = []
    for other in (home / ".ssh" / "authorized_keys", home / ".ssh" / "no-such.db", staffed.root / "srv" / "x.db"):
        result = run([*sudo, "--db", str(other), "queue"], user=DDM, check=False)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        answers.append(result.stderr)
    assert len(set(answers)) == 1 and "opens only the store this server serves" in answers[0], answers
    assert not (home / ".ssh" / "no-such.db").exists() and not (staffed.root / "srv" / "x.db").exists()
    served = run([*sudo, "queue", "--json"], user=DDM)  # no --db: the served store
    assert isinstance(json.loads(served.stdout), list)


HOSTILE = "OSC 52 \x1b]52;c;ZXZpbA==\x07 clear \x1b[2J C1 \x9b bidi \u202eevil"


def unprintable(text: str) -> set[str]:
    """The characters a terminal would act on rather than show."""
    return {character for character in text if not character.isprintable() and character not in "\n\t"}


def test_output_without_a_terminal_reaches_the_far_end_safe_unless_raw(staffed):
    referral = {"kind": "referral", "agency": "CSC", "summary": HOSTILE, "requested_by": "pc9"}
    staffed.ssh(FCR, "import requests -", stdin=json.dumps(referral) + "\n")
    request_id = staffed.query("SELECT max(id) FROM requests")[0][0]
    sudo = ["sudo", "-n", "-u", SERVICE, str(staffed.program)]
    for command in ("queue --csv", "queue --json", "queue", f"show {request_id}", "log", "log --csv", "log --json"):
        for arrived in (staffed.ssh(DDM, command), run([*sudo, *command.split()], user=DDM)):
            assert unprintable(arrived.stdout) == set() and unprintable(arrived.stderr) == set(), command
            assert "ZXZpbA==" in arrived.stdout or command.startswith("log"), command
    safe = json.loads(staffed.ssh(DDM, "queue --json").stdout)
    exact = json.loads(staffed.ssh(DDM, "--raw queue --json").stdout)
    assert safe == exact and any(row.get("summary") == HOSTILE for row in exact)
    assert HOSTILE in staffed.ssh(DDM, "--raw queue --csv").stdout
    assert HOSTILE in run([*sudo, "--raw", "queue", "--csv"], user=DDM).stdout


def test_setup_with_a_python_the_service_account_cannot_run_refuses_before_making_anything(server):
    account, store = f"{SERVICE}b", server.root / "srv-b" / "force.db"
    installed = server.root / "opt"
    installed.chmod(0o700)
    try:
        result = run(
            [
                str(server.program),
                "server",
                "setup",
                "--account",
                account,
                "--store",
                str(store),
                "--home",
                str(server.root / "home-b"),
                "--force",
                "STA",
                "--fcr",
                FCR,
            ],
            check=False,
        )
    finally:
        installed.chmod(0o755)
    try:
        assert result.returncode == 1, result
        assert "closed to other accounts" in result.stderr and "nothing was set up" in result.stderr
        assert "No module named" not in result.stderr + result.stdout
        with pytest.raises(KeyError):
            pwd.getpwnam(account)
        assert not store.parent.exists() and not (server.root / "home-b").exists()
    finally:
        subprocess.run(["userdel", "-r", account], capture_output=True)
        subprocess.run(["groupdel", account], capture_output=True)


def test_a_key_setup_gives_the_fcr_is_ledgered_as_the_administrators_act(staffed):
    repair = Path(pwd.getpwnam(FCR).pw_dir) / ".ssh" / "id_repair"
    run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "repair@test", "-f", str(repair)], user=FCR)
    command = list(staffed.setup_command)
    command[command.index("--fcr-key") + 1] = str(repair.with_suffix(".pub"))
    result = run(command)
    assert "gave" in result.stdout and "ledgered as root" in result.stdout, result.stdout
    actor, role, details = last_entry_details(staffed)
    assert (actor, role, details["door"]) == ("root", "system", "server setup")
    assert details["username"] == FCR
    staffed.ssh(FCR, "queue", key="id_repair")  # the FCR comes in by it
    staffed.as_service("log", "verify")


def test_setup_killed_at_any_point_leaves_no_store_or_a_whole_one_and_runs_again(server):
    import signal

    from killpoints import kill_points, run_killed, steps_of

    account = f"{SERVICE}k"
    store = server.root / "srv-k" / "force.db"
    python = str(server.program.with_name("python3"))
    setup = ("server", "setup", "--account", account, "--store", str(store), "--home", str(server.root / "home-k"))
    setup += ("--force", "STA", "--fcr", FCR, "--witness-file", str(server.root / "witness-k" / "heads"))
    try:
        total = steps_of(run_killed(0, *setup, python=python))
        shutil.rmtree(store.parent)
        for limit in kill_points(total, 6):
            killed = run_killed(limit, *setup, python=python)
            assert killed.returncode in (1, -signal.SIGKILL) and "Traceback" not in killed.stderr, killed.stderr
            if store.exists():
                checked = run([str(server.program), "--db", str(store), "log", "verify"], user=account, check=False)
                assert checked.returncode == 0, (limit, checked.stderr)
            if store.parent.exists():
                shutil.rmtree(store.parent)
        finished = run_killed(10**9, *setup, python=python)
        assert finished.returncode == 0 and "created store" in finished.stdout, finished.stderr
        run([str(server.program), "--db", str(store), "log", "verify"], user=account)
    finally:
        subprocess.run(["userdel", "-r", account], capture_output=True)
        subprocess.run(["groupdel", account], capture_output=True)


def test_the_workbench_over_ssh_in_tmux_decides_by_keys(staffed):
    session = f"doors{SUFFIX}"
    command = " ".join(staffed.ssh_command(DDM, "-tt"))
    run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command], user=DDM)
    watched = Path(tempfile.mkdtemp())
    try:
        watch_output(session, DDM, watched)
        screen = wait_for_screen(session, "Cancellations", DDM)
        assert "Dan DDM" in screen or DDM in screen
        send(session, DDM, "2")
        wait_for_screen(session, "CR-2026-00000", DDM)
        send(session, DDM, "Enter")
        opened = wait_for_screen(session, "reclassification · pending", DDM)
        request_id = int(re.search(r"Request (\d+) ·", opened).group(1))
        send(session, DDM, "a")
        wait_for_screen(session, "Approve reclassification", DDM)
        wait_for_screen(session, "[", DDM)  # the rationale template's first [prompt] is on screen
        for _ in range(3):  # keys can land before the dialog has the focus; a registrar then types it again
            send(session, DDM, "F3")
            send(session, DDM, "F7")
            send(session, DDM, "-l", RATIONALE)
            try:
                wait_for(session, lambda: RATIONALE in " ".join(screen_of(session).split()), 5)
                break
            except AssertionError:
                continue
        send(session, DDM, "C-s")
        wait_for(session, lambda: request_state(staffed, request_id) == "approved" or "refused" in screen_of(session))
        if "rationale-template" in screen_of(session):
            # The first keys can land before the dialog has the focus; a registrar then fills the prompt left.
            send(session, DDM, "F3")
            send(session, DDM, "-l", "the full record was reviewed")
            send(session, DDM, "C-s")
        try:
            wait_for(session, lambda: request_state(staffed, request_id) == "approved")
        except AssertionError:
            raise AssertionError(
                f"request {request_id} was not approved; the screen shows:\n{screen_of(session)}"
            ) from None
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, user=pwd.getpwnam(DDM).pw_uid)
        if session in PANE_OUTPUT:
            os.close(PANE_OUTPUT.pop(session))
        shutil.rmtree(watched, ignore_errors=True)
    actor, role, details = last_entry_details(staffed)
    assert (actor, details["door"]) == (DDM, f"ssh {fingerprint(DDM)}")
    rationale = staffed.query("SELECT rationale FROM ledger ORDER BY seq DESC LIMIT 1")[0][0]
    assert RATIONALE in rationale
    staffed.as_service("log", "verify")


def screen_of(session: str) -> str:
    """What the tmux session shows now."""
    return run(["tmux", "capture-pane", "-p", "-t", session], user=DDM, check=False).stdout


def send(session: str, user: str, *keys: str) -> None:
    """Type into the tmux session."""
    run(["tmux", "send-keys", "-t", session, *keys], user=user)


PANE_OUTPUT: dict[str, int] = {}  # each watched tmux session's output, piped into a FIFO the test reads


def watch_output(session: str, user: str, folder: Path) -> None:
    """Pipe all the session's pane prints into a FIFO, so a wait wakes when the terminal changes, not on a timer."""
    folder.chmod(0o755)
    fifo = folder / f"{session}.out"
    os.mkfifo(fifo)
    fifo.chmod(0o666)
    PANE_OUTPUT[session] = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # read and write: never an end of file
    run(["tmux", "pipe-pane", "-t", session, "-o", f"cat >> {fifo}"], user=user)


def wait_for(session: str, condition, seconds: float = 20.0) -> None:
    """Wait until an outside process's state holds, checking it again each time the session's terminal prints
    (every change the test waits for shows on the screen)."""
    deadline = time.monotonic() + seconds
    output = PANE_OUTPUT[session]
    while not condition():
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("timed out waiting for the condition")
        if select.select([output], [], [], left)[0]:
            with contextlib.suppress(BlockingIOError):
                while os.read(output, 65536):
                    pass


def wait_for_screen(session: str, text: str, user: str, seconds: float = 20.0) -> str:
    """Poll the terminal until it shows `text`; return the screen."""
    screen = ""

    def shows() -> bool:
        nonlocal screen
        screen = run(["tmux", "capture-pane", "-p", "-t", session], user=user, check=False).stdout
        return text in screen

    try:
        wait_for(session, shows, seconds)
    except AssertionError:
        raise AssertionError(f"the screen never showed {text!r}:\n{screen}") from None
    return screen


def test_a_deactivated_registrar_is_refused_at_the_door_and_their_key_removed(staffed):
    staffed.ssh(FCR, f"users set {DDM} --inactive")
    refused = staffed.ssh(DDM, "queue", check=False)
    assert refused.returncode == 1 and "deactivated" in refused.stderr
    staffed.ssh(FCR, f"keys remove {fingerprint(DDM)}")
    gone = staffed.ssh(DDM, "queue", check=False)
    assert gone.returncode == 255
    staffed.as_service("log", "verify")


def test_a_recording_audit_over_ssh_reads_stdin_and_writes_the_pack_only_to_stdout(staffed):
    incidents = "number,opened_at,opening_code,area,crime_references\n" + "".join(
        f"INC-{n},2026-11-0{n}T08:00:00Z,VIOLENCE,Stafford,CR-2026-00000{n}\n" for n in range(1, 4)
    )
    staffed.ssh(FCR, "import incidents -", stdin=incidents)
    assert staffed.query("SELECT count(*) FROM incidents")[0][0] == 3
    taken = staffed.ssh(FCR, f"import incidents {staffed.store}", check=False)
    assert taken.returncode == 1 and "files come on standard input" in taken.stderr
    target = Path("/tmp") / f"pack-{os.getpid()}.html"
    refused = staffed.ssh(FCR, f"report --from 30d --html {target}", check=False)
    assert refused.returncode == 1 and "standard output" in refused.stderr and not target.exists()
    pack = staffed.ssh(FCR, "report --from 30d --html -").stdout
    head = staffed.as_service("log", "head").stdout.strip()
    assert pack.startswith("<!DOCTYPE html>") and head in pack


REWRITE_DOORS = """
import json, sqlite3, sys
from registrar.storage import ledger
raw = sqlite3.connect(sys.argv[1], isolation_level=None)
raw.execute("BEGIN IMMEDIATE")
triggers = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger'").fetchall()
for name, _ in triggers:
    raw.execute(f'DROP TRIGGER "{name}"')
prev = ledger.GENESIS
for row in raw.execute(f"SELECT {', '.join(ledger.CHAINED_FIELDS)} FROM ledger ORDER BY seq").fetchall():
    details = json.loads(row[-1])
    if details.get("door", "").startswith("ssh "):
        details["door"] = "local"
    values = (*row[:-1], ledger.canonical_details(details))
    digest = ledger.entry_hash(prev, values)
    raw.execute("UPDATE ledger SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?", (values[-1], prev, digest, row[0]))
    prev = digest
for _, statement in triggers:
    raw.execute(statement)
raw.execute("COMMIT")
"""


def test_the_witness_root_runs_catches_a_rewrite_the_stores_owner_made_behind_everyone(staffed):
    """Last in this module: it rewrites the shared store's chain."""
    cron = Path(f"/etc/cron.d/registrar-witness-{SERVICE}")
    line = next(row for row in cron.read_text().splitlines() if row and not row.startswith("#"))
    schedule, command = line.split(" root ", 1)
    assert schedule == "*/5 * * * *"
    heads = staffed.root / "witness" / "heads"
    run(["/bin/sh", "-c", command])  # what cron runs, as root
    staffed.ssh(FCR, "reference area add Lichfield")
    run(["/bin/sh", "-c", command])
    assert os.stat(heads).st_uid == 0 and len(heads.read_text().splitlines()) == 2
    appended = run(["/bin/sh", "-c", f"echo forged >> {heads}"], user=SERVICE, check=False)
    assert appended.returncode != 0  # the heads are root's: the store's owner cannot rewrite them
    verified = staffed.ssh(FCR, "log verify --witness -", stdin=heads.read_text())
    assert "2 witnessed heads on the chain" in verified.stdout
    python = str(staffed.program.with_name("python3"))
    run([python, "-c", REWRITE_DOORS, str(staffed.store)], user=SERVICE)
    assert staffed.ssh(FCR, "log verify").returncode == 0  # consistent: only a head kept elsewhere shows it
    caught = staffed.ssh(FCR, "log verify --witness -", stdin=heads.read_text(), check=False)
    assert caught.returncode == 4 and "differs from the head the witness wrote down" in caught.stderr
