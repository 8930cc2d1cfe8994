"""The house rules that keep the core fast and the SQL honest."""

import re
import subprocess
import sys

import queries
from registrar.storage.store import Store


def test_core_and_cli_do_not_import_textual():
    code = (
        "import sys, registrar.cli.main, registrar.decisions.decide, registrar.intake.imports, registrar.reading.views; "
        "from click.testing import CliRunner; "
        "CliRunner().invoke(registrar.cli.main.cli, ['--help']); "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_every_query_prepares_against_a_migrated_store(tmp_path):
    store = Store.create(tmp_path / "q.db", fcr="fiona")
    for name in queries.names():
        text = queries.sql(name)
        named = set(re.findall(r":([a-z_]+)", text))
        positional = text.count("?")
        params = {n: None for n in named} if named else (None,) * positional
        store.conn.execute(f"EXPLAIN {text}", params)


def test_unknown_query_name_raises():
    import pytest

    with pytest.raises(KeyError):
        queries.sql("no_such_query")


def plan(store, name: str, **params) -> str:
    """The query plan's detail column, joined."""
    rows = store.conn.execute(f"EXPLAIN QUERY PLAN {queries.sql(name)}", params).fetchall()
    return " | ".join(row[3] for row in rows)


def test_queue_pages_come_from_the_open_partial_index(tmp_path):
    store = Store.create(tmp_path / "q.db", fcr="fiona")
    params = dict(
        kind="cancellation",
        state=None,
        due_before=None,
        area=None,
        offence_group=None,
        restricted_only=0,
        referred_to_me=None,
        returned_to=None,
        waiting_on_force=0,
        text=None,
        after_due="",
        after_id=0,
        limit=50,
    )
    detail = plan(store, "queue_page", **params)
    assert "requests_open_by_due" in detail and "TEMP B-TREE" not in detail, detail
    assert "SCAN c" not in detail and "SCAN o" not in detail, detail


def test_sql_is_never_formatted_in_the_core():
    from pathlib import Path

    core = Path(__file__).parent.parent / "registrar"
    # accounting.py builds its triggers and row images from the schema's own table and column names, never input.
    for path in set(core.rglob("*.py")) - {core / "storage" / "accounting.py"}:
        text = path.read_text()
        assert not re.search(r"execute\(\s*f[\"']", text), path


def test_the_command_line_loads_the_ledger_only_for_commands_that_need_it():
    code = (
        "import sys; import registrar.cli.main; "
        "print(sorted(m for m in ('registrar.storage.ledger', 'registrar.storage.accounting', 'registrar.decisions.decide', "
        "'registrar.oversight.reports', 'seed.generator') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", "importing these costs every read-only command its start-up time"


def test_the_wall_clock_is_read_in_one_place():
    """Only registrar/base/clock.py reads the date and time, so a test (or the CLI's caller) can set the clock."""
    from pathlib import Path

    root = Path(__file__).parent.parent
    reads = re.compile(r"datetime\.now\(|date\.today\(|utcnow\(|time\.time\(|time\.strftime\(|localtime\(|gmtime\(")
    sources = [p for folder in ("registrar", "screens", "seed", "bench") for p in (root / folder).rglob("*.py")]
    readers = sorted(str(p.relative_to(root)) for p in sources if reads.search(p.read_text()))
    assert readers == ["registrar/base/clock.py"]
    in_sql = re.compile(r"'now'|current_(timestamp|date|time)", re.IGNORECASE)
    assert not [p.name for p in (root / "queries").glob("*.sql") if in_sql.search(p.read_text())]


def _imports_of(path, module: str, packages: set[str]) -> set[str]:
    """The project modules one file imports, at the top or inside a function."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] in packages:
                found |= {f"{base}.{alias.name}" for alias in node.names} | {base}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] in packages}
    return found


def test_no_two_modules_import_each_other_by_any_path():
    """Every import, lazy ones too, points one way: the project's module graph has no circle."""
    from pathlib import Path

    root = Path(__file__).parent.parent
    packages = {"registrar", "screens", "seed", "queries"}
    modules = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            dotted = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
            modules[dotted] = path
    graph = {m: {t for t in _imports_of(p, m, packages) if t in modules and t != m} for m, p in modules.items()}
    # Tarjan's strongly connected components: any with two or more modules is a circle.
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    assert circles == []
    assert "registrar.storage.ledger" in graph["registrar.storage.store"]  # the graph reads lazy imports too
