"""Hostile text (escape sequences, bidi overrides, markup) is stored exactly as written and shown safely, on the
command line and in the workbench."""

from helpers import USERS, act, invoke, raise_request, settle

from registrar.reading import views
from registrar.storage import ledger
from screens.app import make_app

HOSTILE = "'; DROP TABLE crimes; -- \x1b[31mred\x1b[0m \x07 ┬─┬ %_ " + "long " * 20_000


def test_hostile_rationale_is_stored_verbatim_and_shown_safely(store):
    rid = raise_request(store, kind="referral", agency="CSC", summary="\x1b]52;c;ZXZpbA==\x07 clipboard grab")
    act(store, "ddm", rid, "no-crime", HOSTILE)
    stored = store.conn.execute("SELECT rationale FROM ledger WHERE action = 'no-crime'").fetchone()[0]
    assert stored == HOSTILE.strip()
    assert store.conn.execute("SELECT count(*) FROM crimes").fetchone()[0] == 6
    ledger.verify(store.conn)
    for args in (
        ["log"],
        ["show", str(rid)],
        ["queue", "--filter", "'; DROP TABLE requests; --"],
        ["log", "--search", "%_"],
        ["export", "decisions", "--from", "2026-11-01", "--csv"],
    ):
        result = invoke(["--db", str(store.path), "--as", "fiona", *args])
        assert result.exit_code == 0, (args, result.output[-300:])
        if "--csv" not in args:
            assert "\x1b" not in result.stdout and "\x07" not in result.stdout, args
    assert views.queue_page(store.conn, views.QueueFilter(text="%")) == []
    assert len(views.ledger_entries(store.conn, text="%_")) == 1


async def test_hostile_text_renders_in_the_workbench(store):
    rid = raise_request(store, kind="referral", agency="CSC", summary="\x1b[2J\x1b]52;c;ZXZpbA==\x07 odd summary")
    act(store, "ddm", rid, "refer", HOSTILE)
    app = make_app(store, USERS["fcr"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        history = str(app.screen.query_one("#history").render())
        assert "DROP TABLE" in history and "\x1b" not in history
        await pilot.press("ctrl+l")
        await settle(pilot)
        panel = str(app.screen.query_one("#entry").render())
        assert "\x1b" not in panel and "\x07" not in panel
