"""The command palette: every action, namespaced, offered only where it is valid."""

from collections.abc import Callable
from functools import partial

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider

from registrar.base.clock import stamp
from registrar.base.vocabulary import AUDIT_ROLES, KINDS
from registrar.reading import views

from .inspection_files import save


class WorkbenchCommands(Provider):
    """Queues, the ledger and, on a request, the decisions valid for this user."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """(title, help, callback) for the screen in front."""
        from .dashboard import DashboardScreen
        from .detail import DetailScreen
        from .queue import QueueScreen

        app = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("go: request or crime", "open a request by number or a crime by reference (:)", app.action_go_to),
        ]
        for kind, title in ((k.name, k.title) for k in KINDS.values()):
            commands.append(
                (
                    f"queue: {title.lower()}",
                    f"open the {title.lower()} queue",
                    partial(app.push_screen, QueueScreen(title, views.QueueFilter(kind=kind))),
                )
            )
        if app.actor.is_senior:
            commands.append(
                (
                    "queue: referred to me",
                    "items referred up to you",
                    partial(
                        app.push_screen,
                        QueueScreen("Referred to me", views.QueueFilter(referred_to_me=app.actor.username)),
                    ),
                )
            )
        commands += [
            (
                "queue: returned",
                "items returned to the requester",
                partial(app.push_screen, QueueScreen("Returned", views.QueueFilter(state="returned"))),
            ),
            (
                "queue: victims not told",
                "cancellations and transfers with no victim told record",
                partial(app.push_screen, QueueScreen("Victims not told", views.QueueFilter(), follow_ups=True)),
            ),
            (
                "overdue: every queue",
                "open requests past their due time, in every queue",
                partial(
                    app.push_screen, QueueScreen("Overdue", views.QueueFilter(due_before=stamp(app.handle.clock())))
                ),
            ),
            (
                "overdue: referrals past the clock",
                "referrals past their crime-recording decision time",
                partial(
                    app.push_screen,
                    QueueScreen(
                        "Referrals overdue", views.QueueFilter(kind="referral", due_before=stamp(app.handle.clock()))
                    ),
                ),
            ),
            ("ledger: browse", "search the rationale ledger", app.action_ledger),
            (
                "verify: ledger chain and replay",
                "walk the hash chain and replay it against the store",
                app.action_verify,
            ),
            (
                "report: charts and figures",
                "decisions per week, referral clock, compliance and recording accuracy with intervals, the report",
                partial(self._push, "oversight"),
            ),
            (
                "report: inspection pack (file)",
                "the last 30 days as a printable HTML pack, written as a new private file here",
                partial(save, app, "pack"),
            ),
            (
                "export: decisions (CSV file)",
                "every decision of the last 30 days, who, when, what and why, as a new private CSV file here",
                partial(save, app, "decisions"),
            ),
            ("help: this screen", "keys and meaning of the screen in front", app.action_help),
        ]
        if app.actor.role in AUDIT_ROLES:
            commands.append(("audit: queue", "sampled ddm decisions awaiting a verdict", partial(self._push, "audit")))
        if not isinstance(self.screen, DashboardScreen):
            commands.append(("dashboard: open", "back to the dashboard", app.action_dashboard))
        screen = self.screen
        if isinstance(screen, QueueScreen):
            commands += [
                ("filter: text", "filter this queue by text", screen.action_filter),
                ("filter: overdue only", "toggle overdue items only", screen.action_toggle_overdue),
                ("filter: restricted only", "toggle restricted offences only", screen.action_toggle_restricted),
                ("filter: area", "choose an area", screen.action_pick_area),
                ("filter: offence group", "choose an offence group", screen.action_pick_group),
            ]
        if isinstance(screen, DetailScreen) and screen.detail is not None:
            for name, verdict in screen.verdicts.items():
                if verdict.allowed and screen.detail["state"] in verdict.spec.from_states:
                    commands.append((f"decide: {name}", verdict.spec.title, partial(screen.action_decide, name)))
            commands.append(
                (
                    "ledger: this crime",
                    "ledger entries about this request's crime",
                    partial(self._ledger_for, screen.detail),
                )
            )

        return commands

    def _push(self, name: str) -> None:
        """Open the audit queue or the oversight charts."""
        from .audit import AuditScreen
        from .oversight import OversightScreen

        self.app.push_screen(AuditScreen() if name == "audit" else OversightScreen())

    def _ledger_for(self, detail: dict) -> None:
        """Open the ledger filtered to a request's crime, or the request itself."""
        from .ledger import LedgerScreen

        query = f"crime:{detail['crime_reference']}" if detail["crime_reference"] else f"request:{detail['id']}"
        self.app.push_screen(LedgerScreen(query))

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class GuardedCommandPalette(CommandPalette):
    """Textual's command palette, safe from page keys that arrive before its list has laid out its lines."""

    def _action_command_list(self, action: str) -> None:
        """Pass the action on; in Textual 8.2 PageDown or PageUp straight after ctrl+p raises KeyError in the
        option list (its line index is still empty), so a page key that early does nothing instead."""
        try:
            super()._action_command_list(action)
        except KeyError:
            self.app.bell()
