"""What an inspection asks for, as files: the pack read at one ledger head, and every decision as CSV."""

from registrar.access.identity import Actor
from registrar.base.csv_text import csv_text
from registrar.base.reference import force_name
from registrar.oversight.inspection_pack import PackHeader, render_pack
from registrar.oversight.reports import decision_entries, report
from registrar.storage import ledger
from registrar.storage.ledger import CHAINED_FIELDS, Head
from registrar.storage.store import Store

DECISION_COLUMNS = (*CHAINED_FIELDS[:5], "kind", *CHAINED_FIELDS[5:])


def pack_text(store: Store, actor: Actor, figures: dict, head: Head) -> str:
    """The inspection pack for figures read at `head`, headed with the store's force and who produced it."""
    code = str(store.settings().get("force_code") or "")
    return render_pack(figures, PackHeader(code, force_name(code), actor, store.now(), head))


def inspection_pack(store: Store, actor: Actor, since: str, until: str) -> tuple[str, Head]:
    """The pack for [since, until), its figures and the ledger head read in one snapshot."""
    with store.snapshot() as conn:
        figures = report(conn, store.settings(), since, until, store.now())
        head = ledger.head(conn)
    return pack_text(store, actor, figures, head), head


def decisions_csv(store: Store, since: str, until: str) -> tuple[str, int]:
    """Every decision in [since, until) as CSV safe from formula injection, and how many there are."""
    rows = decision_entries(store.conn, since, until)
    return csv_text(rows, DECISION_COLUMNS), len(rows)
