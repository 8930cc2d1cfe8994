"""Benchmarks against their floors: queues, decisions, batch, ledger, workbench and store builds.

Usage: python bench/run.py [--quick] [--crimes N] [--fresh] [--load]
Prints one table; every figure sits beside a floor measured in the same run and the budget; a full run (or --load)
prints every figure again with a CPU-bound process on each core beside it.
"""

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from queries import sql  # noqa: E402
from registrar.access.identity import resolve_actor  # noqa: E402
from registrar.base.clock import later, stamp, system_clock  # noqa: E402
from registrar.decisions.batch import BatchFile, BatchRow, run_batch  # noqa: E402
from registrar.decisions.decide import Decision  # noqa: E402
from registrar.intake import imports  # noqa: E402
from registrar.intake.tabular import MAX_BATCH_ROWS  # noqa: E402
from registrar.reading import views  # noqa: E402
from registrar.storage import ledger  # noqa: E402
from registrar.storage.store import Store  # noqa: E402
from seed.generator import build  # noqa: E402

ENV: dict = {}  # the environment of timed fresh processes, set by process_env
KINDS = ("cancellation", "reclassification", "transfer_out", "transfer_in", "referral")
RATIONALE = "Audit agreed the new code on review of the full record."


class Table:
    """The printed result: one row per measure with its floor, ratio and budget."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.suffix = ""  # " (loaded)" while CPU-bound processes run beside the measures

    def add(
        self,
        measure: str,
        value: float,
        unit: str,
        floor: float | None = None,
        budget: str = "",
        within: bool | None = None,
        target: float | None = None,
        rate: bool = False,
    ) -> None:
        """One row; for a rate (higher is better) the ratio is floor / value, so a ratio is always 'times slower'."""
        ratio = (floor / value if rate else value / floor) if floor and value else None
        measure = f"{measure}{self.suffix}"
        self.rows.append(
            {
                "measure": measure,
                "value": value,
                "unit": unit,
                "floor": floor,
                "ratio": ratio,
                "target_ratio": target,
                "budget": budget,
                "within": within,
            }
        )
        mark = "" if within is None else ("yes" if within else "NO")
        floor_text = f"{floor:,.2f}" if floor is not None else "-"
        ratio_text = f"{ratio:,.1f}x" if ratio is not None else "-"
        target_text = f"<= {target:g}x" if target is not None else ""
        print(
            f"{measure:<44} {value:>12,.2f} {unit:<10} {floor_text:>12} {ratio_text:>8} {target_text:>7}  "
            f"{budget:<14} {mark}",
            flush=True,
        )


def header() -> None:
    """Print the table's header."""
    print(f"{'measure':<44} {'registrar':>12} {'unit':<10} {'floor':>12} {'ratio':>8} {'target':>7}  {'budget':<14} ok")
    print("-" * 120)


def timed(fn, repeat: int = 1) -> list[float]:
    """Run fn `repeat` times; return each run's seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def process_env(pycache: Path) -> dict:
    """The environment of every fresh process the bench times: the project importable, its bytecode compiled once.

    A user's install has bytecode (pip compiles it); a run without it would time Python compiling our modules.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(HERE.parent), PYTHONPYCACHEPREFIX=str(pycache))
    folders = [str(HERE.parent / name) for name in ("registrar", "screens", "queries", "seed")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True, env=env, capture_output=True)
    return env


def prepare_store(path: Path, crimes: int, fresh: bool, table: Table, budget_seconds: float) -> None:
    """Build the pristine store once (timing it), or reuse it while its schema is current."""
    if path.exists() and not fresh and _current(path):
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    seconds = timed(lambda: build(path, seed=1, crimes=crimes).close())[0]
    table.add(
        f"build store, {crimes:,} crimes", seconds, "s", None, f"< {budget_seconds:.0f} s", seconds < budget_seconds
    )


def _current(path: Path) -> bool:
    """True when the store needs no migration (an older one is rebuilt rather than upgraded)."""
    from registrar.base.errors import BadInput

    try:
        Store.open(path).close()
    except BadInput:
        return False
    return True


def working_copy(pristine: Path, work: Path) -> Path:
    """Copy the pristine store so every run starts from the same state."""
    work.mkdir(exist_ok=True)
    target = work / "bench.db"
    conn = sqlite3.connect(pristine)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(pristine, target)
    return target


def queue_params(kind: str) -> dict:
    """Bound parameters of a queue's first page."""
    return {
        "kind": kind,
        "state": None,
        "due_before": None,
        "area": None,
        "offence_group": None,
        "restricted_only": 0,
        "referred_to_me": None,
        "returned_to": None,
        "waiting_on_force": 0,
        "text": None,
        "after_due": "",
        "after_id": 0,
        "limit": 50,
    }


def bench_queues(db: Path, table: Table, repeat: int) -> None:
    """First page of each queue: warm in this process, and from a fresh process."""
    store = Store.open(db)
    bare = sqlite3.connect(db)
    text = sql("queue_page")
    for kind in KINDS:
        views.queue_page(store.conn, views.QueueFilter(kind=kind), limit=50)
        bare.execute(text, queue_params(kind)).fetchall()
        ours = statistics.median(
            timed(lambda k=kind: views.queue_page(store.conn, views.QueueFilter(kind=k), limit=50), repeat)
        )
        floor = statistics.median(timed(lambda k=kind: bare.execute(text, queue_params(k)).fetchall(), repeat))
        table.add(f"queue first page warm: {kind}", ours * 1000, "ms", floor * 1000, "< 5 ms", ours < 0.005)
    store.close()
    bare.close()
    script = Path(sys.executable).with_name("registrar")
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "registrar"]
    cli = [*launcher, "--db", str(db), "--as", "fiona", "queue", "cancellation", "--limit", "50", "--json"]
    floor_code = (
        "import sqlite3,sys,json; c=sqlite3.connect(sys.argv[1]); "
        "c.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()"
    )
    floor_cmd = [sys.executable, "-c", floor_code, str(db), text, json.dumps(queue_params("cancellation"))]
    env = ENV
    ours = statistics.median(
        timed(lambda: subprocess.run(cli, check=True, capture_output=True, env=env), max(3, repeat // 4))
    )
    floor = statistics.median(
        timed(lambda: subprocess.run(floor_cmd, check=True, capture_output=True), max(3, repeat // 4))
    )
    table.add(
        "queue first page, fresh process (CLI)", ours * 1000, "ms", floor * 1000, "< 100 ms", ours < 0.1, target=2
    )


def raise_reclassifications(db: Path, count: int) -> list[int]:
    """Raise `count` reclassification requests on crimes without open work; return their ids."""
    store = Store.open(db)
    fcr = resolve_actor(store.conn, store.settings(), "fiona")
    rows = store.conn.execute(
        "SELECT c.reference, c.offence_code FROM crimes c WHERE c.state = 'recorded' AND c.offence_code IN "
        "('46', '49', '58C', '105A') AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.crime_id = c.id) "
        "ORDER BY c.id LIMIT ?",
        (count,),
    ).fetchall()
    target = {"46": "49", "49": "46", "58C": "58D", "105A": "8N"}
    lines = ["kind,crime_reference,proposed_code,requested_by"]
    lines += [f"reclassification,{ref},{target[code]},pc.bench" for ref, code in rows]
    before = store.conn.execute("SELECT coalesce(max(id), 0) FROM requests").fetchone()[0]
    imports.import_requests(store, fcr, ("\n".join(lines) + "\n").encode(), "bench")
    ids = [r[0] for r in store.conn.execute("SELECT id FROM requests WHERE id > ? ORDER BY id", (before,))]
    store.close()
    return ids


def bench_decisions(db: Path, table: Table, per_process: int) -> None:
    """Commit latency of one decision, with 1 and with 8 deciding processes, beside bare writes."""
    env = ENV
    for processes in (1, 8):
        ids = raise_reclassifications(db, processes * per_process * 2)
        floor_db = working_copy(db, db.parent / "floor")  # the bare writes go to a copy: they are not ledgered
        ours = _spawn(db, "decide", ids[: processes * per_process], processes, env)
        floor = _spawn(floor_db, "bare", ids[processes * per_process :], processes, env)
        for share, label in ((0.5, "p50"), (0.99, "p99")):
            value, base = percentile(ours, share) * 1000, percentile(floor, share) * 1000
            budget = "p99 < 100 ms" if processes == 8 and label == "p99" else ""
            within = value < 100 if budget else None
            table.add(
                f"decision commit {label}, {processes} process{'es' if processes > 1 else ''}",
                value,
                "ms",
                base,
                budget,
                within,
                target=5 if budget else None,
            )


def _spawn(db: Path, mode: str, ids: list[int], processes: int, env: dict) -> list[float]:
    """Run decider processes over disjoint slices of ids, started together once all are set up; gather latencies."""
    chunks = [ids[n::processes] for n in range(processes)]
    workers = [
        subprocess.Popen(
            [sys.executable, str(HERE / "decider.py"), str(db), mode, ",".join(map(str, chunk))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for chunk in chunks
    ]
    for worker in workers:
        assert worker.stdout is not None
        if worker.stdout.readline().strip() != "ready":
            for other in workers:
                other.kill()
            raise SystemExit(f"decider failed to start: {mode}")
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    latencies: list[float] = []
    for worker in workers:
        out, _ = worker.communicate()
        if worker.returncode != 0:
            raise SystemExit(f"decider failed: {mode}")
        latencies += json.loads(out)
    return latencies


def bench_batch(db: Path, table: Table, size: int) -> None:
    """A batch of reclassification approvals, beside bare executemany of the same writes."""
    ids = raise_reclassifications(db, size * 2)
    store = Store.open(db)
    actor = resolve_actor(store.conn, store.settings(), "dan")
    batch = BatchFile(
        [BatchRow(n + 2, Decision(rid, "approve", RATIONALE)) for n, rid in enumerate(ids[:size])], "0" * 64
    )
    ours = timed(lambda: run_batch(store, actor, batch))[0]
    applied = store.conn.execute(
        "SELECT count(*) FROM requests WHERE id IN ({}) AND state = 'approved'".format(",".join(map(str, ids[:size])))
    ).fetchone()[0]
    if applied != size:
        raise SystemExit(f"batch applied {applied} of {size}")
    store.close()
    plain = _bare_batch_seconds(db, ids[size:], accounted=False)
    accounted = _bare_batch_seconds(db, ids[size:], accounted=True)
    label = f"batch of {size:,} decisions"
    table.add(label, ours, "s", plain, "< 2 s (10k)", ours < 2 * size / 10_000, target=3)
    table.add(f"batch of {size:,}: floor with accounting", ours, "s", accounted, "", None, target=3)


BEHIND_THE_BATCH = """
import sys, time
from registrar.access.identity import resolve_actor
from registrar.base.errors import StoreBusy
from registrar.decisions.decide import Decision, decide
from registrar.storage.store import Store
store = Store.open(sys.argv[1])
actor = resolve_actor(store.conn, store.settings(), "fiona")
started = time.perf_counter()
try:
    decide(store, actor, Decision(int(sys.argv[2]), "approve", "Approved behind the batch: the record was checked."))
except StoreBusy:
    print("refused", time.perf_counter() - started)
else:
    print("decided", time.perf_counter() - started)
"""


def bench_largest_batch(db: Path, table: Table, size: int) -> None:
    """The largest batch allowed, in its one transaction: how long it holds the write lock, and what a decision
    made a second after it began meets (it waits on behind the batch, past the busy timeout, rather than refused)."""
    ids = raise_reclassifications(db, size + 1)
    store = Store.open(db)
    actor = resolve_actor(store.conn, store.settings(), "dan")
    rows = [BatchRow(n + 2, Decision(rid, "approve", RATIONALE)) for n, rid in enumerate(ids[:size])]
    behind = subprocess.Popen(
        [sys.executable, "-c", f"import time; time.sleep(1)\n{BEHIND_THE_BATCH}", str(db), str(ids[-1])],
        stdout=subprocess.PIPE,
        text=True,
        env={**ENV, "PYTHONPATH": str(HERE.parent)},
    )
    held = timed(lambda: run_batch(store, actor, BatchFile(rows, "0" * 64)))[0]
    store.close()
    outcome, waited = (behind.communicate(timeout=600)[0].split() + ["?", "0"])[:2]
    table.add(f"batch of {size:,}: write lock held", held, "s", None, "others wait on", None)
    table.add(
        f"a decision behind it: waited ({outcome})", float(waited), "s", None, "never refused", outcome == "decided"
    )


def _bare_batch_seconds(db: Path, ids: list[int], accounted: bool) -> float:
    """Bare executemany of the batch's writes in one rolled-back transaction, with or without the accounting triggers."""
    from registrar.storage import accounting
    from registrar.storage.store import connect

    conn = connect(db)
    if accounted:
        accounting.install(conn)
    rows = conn.execute(
        "SELECT r.id, r.crime_id, r.proposed_code FROM requests r WHERE r.id IN ({})".format(",".join(map(str, ids)))
    ).fetchall()
    seq = conn.execute("SELECT max(seq) FROM ledger").fetchone()[0]
    now = stamp(system_clock())

    def bare() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "UPDATE requests SET state = 'approved', version = version + 1, closed_at = ? WHERE id = ?",
            [(now, r[0]) for r in rows],
        )
        conn.executemany("UPDATE crimes SET offence_code = ? WHERE id = ?", [(r[2], r[1]) for r in rows])
        conn.executemany(
            sql("ledger_insert"),
            [
                (
                    seq + n + 1,
                    now,
                    "dan",
                    "ddm",
                    r[0],
                    None,
                    "approve",
                    "pending",
                    "approved",
                    r[2],
                    RATIONALE,
                    "{}",
                    "x",
                    "y",
                )
                for n, r in enumerate(rows)
            ],
        )
        conn.execute("ROLLBACK")

    seconds = min(timed(bare, repeat=2))
    conn.close()
    return seconds


def bench_verify(db: Path, table: Table) -> None:
    """Ledger verification: the chain alone, and the chain with its replay against every table, beside hashing."""
    import hashlib

    store = Store.open(db)
    count = store.conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
    chain = min(timed(lambda: ledger.verify(store.conn, replay=False), 3))
    started = time.perf_counter()
    result = ledger.verify(store.conn)
    full_seconds = time.perf_counter() - started
    blobs = [
        (row[12] + json.dumps(tuple(row[:12]), separators=(",", ":"), ensure_ascii=False)).encode()
        for row in store.conn.execute(sql("ledger_chain"))
    ]
    floor = min(timed(lambda: [hashlib.sha256(b).hexdigest() for b in blobs], 3))
    table.add(
        f"ledger verify, chain only ({count:,} entries)",
        count / chain,
        "entries/s",
        count / floor,
        "> 100k/s",
        count / chain > 100_000,
        target=2,
        rate=True,
    )
    table.add(
        f"ledger verify with replay ({result.rows:,} rows)",
        full_seconds,
        "s",
        None,
        "< 30 s (1M crimes)",
        full_seconds < 30,
    )
    store.close()


def bench_incidents(db: Path, table: Table, count: int) -> None:
    """Importing a week's command-and-control export (checked, all or none, ledgered) beside a bare executemany."""
    from registrar.oversight.incidents import import_incidents

    store = Store.open(db)
    fcr = resolve_actor(store.conn, store.settings(), "fiona", None)
    references = [
        row[0] for row in store.conn.execute("SELECT reference FROM crimes ORDER BY id DESC LIMIT ?", (count // 5,))
    ]
    lines = ["number,opened_at,opening_code,area,crime_references,domestic_abuse,summary"]
    opened = [later(store.now(), -24 * (1 + n)) for n in range(20)]  # the 20 days before the store's now
    for n in range(count):
        reference = references[n // 5] if n % 5 == 0 and n // 5 < len(references) else ""
        lines.append(
            f"BENCH-{n:07d},{later(opened[n % 20], -(n % 24))},{'VIOLENCE' if n % 3 else 'ASB'},"
            f"Stafford,{reference},{'yes' if n % 7 == 0 else 'no'},Caller reports a disturbance at the shops"
        )
    data = ("\n".join(lines) + "\n").encode()
    ours = timed(lambda: import_incidents(store, fcr, data, "bench.csv"))[0]
    store.close()
    rows = [(f"BARE-{n:07d}", opened[n % 20], None, "ASB", "", "Stafford", 0, 0, 0, 0, 0, 0, "x") for n in range(count)]

    def bare() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql("incident_insert"), rows)
        conn.execute("COMMIT")
        conn.close()

    floor = timed(bare)[0]
    table.add(
        f"import {count:,} incidents",
        count / ours,
        "rows/s",
        count / floor,
        "> 20k/s",
        count / ours > 20_000,
        rate=True,
    )


def bench_report(db: Path, table: Table) -> None:
    """The oversight report for 30 days and its HTML inspection pack, on the whole store."""
    from registrar.oversight.inspection_pack import PackHeader, render_pack
    from registrar.oversight.reports import default_period, report

    store = Store.open(db)
    fcr = resolve_actor(store.conn, store.settings(), "fiona", None)
    since, until = default_period(store.now(), 30)

    def build_pack() -> None:
        with store.snapshot() as conn:
            figures = report(conn, store.settings(), since, until, store.now())
            head = ledger.head(conn)
        render_pack(figures, PackHeader("STA", "Staffordshire Police", fcr, store.now(), head))

    seconds = timed(build_pack)[0]
    table.add("report + HTML pack, last 30 days", seconds, "s", None, "< 5 s", seconds < 5)
    store.close()


def bench_workbench(db: Path, table: Table) -> None:
    """Workbench first paint and queue switch in fresh headless processes, beside a bare Textual DataTable app."""
    ours = _paint([str(db)])
    floor = _paint(["--bare"])
    table.add(
        "workbench first paint (from process start)",
        ours["first_paint"] * 1000,
        "ms",
        floor["first_paint"] * 1000,
        "< 1000 ms",
        ours["first_paint"] < 1,
        target=1.2,
    )
    table.add(
        "workbench queue switch (slowest of 4)",
        ours["queue_switch"] * 1000,
        "ms",
        floor["queue_switch"] * 1000,
        "< 300 ms",
        ours["queue_switch"] < 0.3,
    )
    table.add(
        "workbench longest event-loop stall",
        ours["max_stall"] * 1000,
        "ms",
        floor["max_stall"] * 1000,
        "< 300 ms",
        ours["max_stall"] < 0.3,
    )


def _paint(args: list[str], runs: int = 3) -> dict:
    """Each figure's median over fresh headless workbench processes."""
    results = [
        json.loads(
            subprocess.run(
                [sys.executable, str(HERE / "paint.py"), *args], check=True, capture_output=True, text=True, env=ENV
            ).stdout
        )
        for _ in range(runs)
    ]
    return {key: statistics.median(result[key] for result in results) for key in results[0]}


def bench_demo_build(table: Table) -> None:
    """The default demo store's build time."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        seconds = timed(lambda: build(path, seed=1).close())[0]
        size = path.stat().st_size / 1024 / 1024
    table.add("build demo store (87,584 crimes)", seconds, "s", None, "< 10 s", seconds < 10)
    table.add("demo store size on disk", size, "MiB", None, "", None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="A small store and few repetitions (CI).")
    parser.add_argument("--crimes", type=int, help="Crimes in the scale store (default 1,000,000; quick 20,000).")
    parser.add_argument("--fresh", action="store_true", help="Rebuild the scale store even if it exists.")
    parser.add_argument("--store-dir", type=Path, default=HERE / "stores", help="Where the pristine store is kept.")
    parser.add_argument(
        "--load", action="store_true", help="Also measure with a CPU-bound process per core (always in a full run)."
    )
    args = parser.parse_args()
    crimes = args.crimes or (20_000 if args.quick else 1_000_000)
    repeat = 5 if args.quick else 50
    table = Table()
    print(
        f"registrar bench · {system_clock():%Y-%m-%d %H:%M} UTC · {os.cpu_count()} cores · "
        f"python {sys.version.split()[0]} · sqlite {sqlite3.sqlite_version} · "
        f"{'quick' if args.quick else 'full'} ({crimes:,} crimes)"
    )
    header()
    pristine = args.store_dir / f"scale-{crimes}.db"
    prepare_store(pristine, crimes, args.fresh, table, 60)
    table.add("scale store size on disk", pristine.stat().st_size / 1024 / 1024, "MiB")
    global ENV
    with tempfile.TemporaryDirectory() as pycache:
        ENV = process_env(Path(pycache))
        run_all(args, crimes, pristine, table, repeat)
        if args.load or not args.quick:
            print(f"-- again, with a CPU-bound process on each of the {os.cpu_count()} cores beside it --", flush=True)
            table.suffix = " (loaded)"
            with cpu_hogs():
                run_all(args, crimes, pristine, table, repeat)
            table.suffix = ""
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / ("quick.json" if args.quick else "latest.json")).write_text(json.dumps(table.rows, indent=2))


@contextmanager
def cpu_hogs() -> Iterator[None]:
    """A CPU-bound process on every core for the duration, as a force server busy with other work would have."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 1)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def run_all(args: argparse.Namespace, crimes: int, pristine: Path, table: Table, repeat: int) -> None:
    """Every measure, on working copies of the pristine store."""
    with tempfile.TemporaryDirectory() as folder:
        db = working_copy(pristine, Path(folder))
        bench_queues(db, table, repeat)
        bench_decisions(db, table, 10 if args.quick else 100)
        bench_batch(db, table, 1_000 if args.quick else 10_000)
    if not args.quick:
        with tempfile.TemporaryDirectory() as folder:
            bench_largest_batch(working_copy(pristine, Path(folder)), table, MAX_BATCH_ROWS)
    with tempfile.TemporaryDirectory() as folder:
        db = working_copy(pristine, Path(folder))
        bench_verify(db, table)
        bench_workbench(db, table)
        bench_report(db, table)
        bench_incidents(db, table, 5_000 if args.quick else 100_000)
    if not args.quick:
        bench_demo_build(table)


if __name__ == "__main__":
    main()
