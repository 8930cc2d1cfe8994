"""One request in full: evidence, crime, what the rules say for this user, its history, and decisions by key."""

import textwrap
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from registrar.base.errors import Conflict, RegistrarError
from registrar.base.text import safe_text
from registrar.base.vocabulary import AVI_SHOWS, AVI_TYPES, FIELDS, KINDS
from registrar.decisions.actions import ACTIONS
from registrar.decisions.decide import ActionVerdict, Outcome, action_verdicts
from registrar.reading import views

from .base import WorkbenchPart
from .decision import DecisionDialog
from .formatting import day_or_when, time_left, when

ACTION_KEYS = (
    ("a", "approve", "Approve"),
    ("a", "accept", "Accept"),
    ("a", "accepted", "Accepted"),
    ("r", "record", "Record"),
    ("x", "reject", "Reject"),
    ("x", "no-crime", "No crime"),
    ("d", "disputed", "Disputed"),
    ("d", "dispute", "Dispute"),
    ("s", "send", "Send"),
    ("e", "escalate", "Escalate"),
    ("c", "cri", "CRI"),
    ("u", "duplicate", "Duplicate"),
    ("f", "refer", "Refer"),
    ("t", "return", "Return"),
    ("n", "answer", "Answer"),
    ("w", "withdraw", "Withdraw"),
    ("i", "reinstate", "Reinstate"),
    ("o", "reopen", "Reopen"),
    ("b", "abroad", "Abroad"),
    ("v", "victim-informed", "Victim told"),
)
KEY_FOR_ACTION = {name: key for key, name, _ in ACTION_KEYS}
# Actions kept off the footer (in the panel of what you may do, help and the palette instead): rare, the FCR's, and
# the requester's own withdrawal, so a referral's keys fit 80 columns.
RARE_ACTIONS = frozenset({"abroad", "reopen", "withdraw"})


class DetailScreen(WorkbenchPart, Screen):
    """A request with its evidence and history; one key per decision valid here."""

    AUTO_FOCUS = "#detail-body"

    CSS_PATH = "detail.tcss"
    HELP_NAME = "detail"
    BINDINGS = [
        *[
            Binding(key, f"decide('{name}')", label, id=f"decide-{name}", show=name not in RARE_ACTIONS)
            for key, name, label in ACTION_KEYS
        ],
        *[
            Binding(key, f"explain('{name}')", label, show=False, id=f"explain-{name}")
            for key, name, label in ACTION_KEYS
        ],
        Binding("right_square_bracket", "step(1)", "Next", id="next-item"),
        Binding("left_square_bracket", "step(-1)", "Prev", show=False, id="previous-item"),
        Binding("y", "copy_reference", "Copy ref", show=False, id="copy-reference"),
        Binding("escape", "back", "Back", id="back-to-queue", show=False),
    ]

    @dataclass
    class Loaded(Message):
        """The request's detail and the rules' verdicts for this user."""

        detail: dict
        verdicts: list[ActionVerdict]

    @dataclass
    class Failed(Message):
        """The request could not be read."""

        message: str

    def __init__(self, request_id: int, queue=None):
        super().__init__()
        self.request_id = request_id
        self.queue = queue
        self.detail: dict | None = None
        self.verdicts: dict[str, ActionVerdict] = {}
        self.last_saved = ""

    @dataclass
    class NextFound(Message):
        """The next open request of a kind's queue, after one decided from outside that queue (or None)."""

        request_id: int | None
        kind: str

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title", classes="title")
        yield Static(id="saved", classes="note")
        with VerticalScroll(id="detail-body"):
            yield Static(id="rules")
            yield Static(id="request")
            yield Static(id="crime")
            yield Static(id="history")
        yield Footer(
            compact=True, show_command_palette=False
        )  # the keys of a referral fill 80 columns; ctrl+p still works

    def on_mount(self) -> None:
        self.query_one("#saved").display = False
        self.load()
        if self.focused is None:  # keys typed ahead may already have moved the focus
            self.set_focus(self.query_one("#detail-body"))

    def on_workbench_app_store_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def load(self) -> None:
        """Read the request and what the rules say, in a worker thread."""
        try:
            with self.app.handle.open() as store:
                detail = views.request_detail(store.conn, self.request_id)
                verdicts = action_verdicts(store, self.app.actor, self.request_id)
        except RegistrarError as error:
            self.post_message(self.Failed(error.message))
            return
        self.post_message(self.Loaded(detail, verdicts))

    @on(Failed)
    def show_failure(self, message: Failed) -> None:
        self.notify(message.message, severity="error")
        self.app.pop_screen()

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        """Render the request, refreshing which keys the footer offers."""
        self.detail = message.detail
        self.verdicts = {v.spec.name: v for v in message.verdicts}
        d = message.detail
        restricted = " · RESTRICTED" if d["restricted"] else ""
        title = f"Request {d['id']} · {KINDS[d['kind']].label} · {d['state']}{restricted}"
        if d["crime_reference"]:
            title += f" · {d['crime_reference']}"
        self.query_one("#detail-title", Static).update(Content(title))
        self.query_one("#rules", Static).update(self._rules_text())
        self.query_one("#request", Static).update(self._request_text(d))
        self.query_one("#crime", Static).update(self._crime_text(d))
        self.query_one("#history", Static).update(self._history_text(d))
        self.refresh_bindings()

    def _text_width(self) -> int:
        """The cells a line of the request's text may take here (the screen less its frame and scrollbar)."""
        return max(40, self.app.size.width - 4)

    def _rules_text(self) -> Content:
        """What the rules say for this user about each action open in this state."""
        lines = [Content.styled("What you may do", "b")]
        open_here = [v for v in self.verdicts.values() if self.detail["state"] in v.spec.from_states]
        if open_here and all(v.refusal and v.refusal.startswith(f"a {self.app.actor.role} may not") for v in open_here):
            lines.append(Content(f"  read-only: {self.app.actor.role}"))
            return Content("\n").join(lines)
        refused: dict[str, list[str]] = {}  # one line per reason, naming every action it refuses
        for verdict in self.verdicts.values():
            if self.detail["state"] not in verdict.spec.from_states:
                continue
            key = KEY_FOR_ACTION[verdict.spec.name]
            if verdict.allowed:
                lines.append(Content(f"  {key}  {verdict.spec.title}"))
            else:
                refused.setdefault(str(verdict.refusal), []).append(verdict.spec.title)
        for reason, titles in refused.items():
            lines.append(Content.styled(f"  ✗  {'; '.join(titles)}: {reason}", "$text-muted"))
        if len(lines) == 1:
            lines.append(Content("  nothing: this request is closed"))
        return Content("\n").join(lines)

    def _request_text(self, d: dict) -> Content:
        """The request's facts and evidence."""
        now = self.app.handle.clock()
        rows = [
            ("Raised", f"{when(d['requested_at'])} by {d['requested_by']}"),
            (
                "Due",
                f"{when(d['due_at'])} ({time_left(d['due_at'], now)})" if not d["closed_at"] else when(d["due_at"]),
            ),
            ("Closed", when(d["closed_at"])),
            ("Referred to", d["referred_to"]),
            ("Summary", d["summary"]),
        ]
        kind = d["kind"]
        if kind == "cancellation":
            rows += [
                ("Ground", f"{d['cancellation_code'] or '?'} {d['ground_title'] or ''}"),
                ("AVI", d["avi_description"]),
                ("AVI kind", AVI_TYPES[d["avi_type"]].label if d.get("avi_type") in AVI_TYPES else None),
                ("AVI source", d["avi_source"]),
                ("AVI obtained", day_or_when(d["avi_obtained_at"])),
                ("AVI shows", AVI_SHOWS[d["avi_shows"]].label if d.get("avi_shows") in AVI_SHOWS else None),
                ("Surviving crime", _surviving(d)),
                ("Error", d["error_description"]),
            ]
        elif kind == "reclassification":
            restricted = " (restricted)" if d["proposed_restricted"] else ""
            rows += [
                ("Proposed", f"{d['proposed_code']} {d['proposed_name'] or ''}{restricted}"),
                ("New information", d["new_information"]),
            ]
        elif kind in ("transfer_out", "transfer_in"):
            rows += [
                ("Other force", f"{d['other_force'] or '?'} {d['other_force_name'] or ''}"),
                ("Their reference", d["other_reference"]),
                ("Dispute", d["dispute_reason"]),
            ]
            if kind == "transfer_in":
                rows += [("Offence", f"{d['offence_code']} {d['offence_name'] or ''}"), ("Area", d["area"])]
        else:
            rows += [
                ("Agency", f"{d['agency']} {d['agency_name'] or ''}"),
                ("Received", when(d["received_at"])),
                ("Subject", d["subject"]),
                ("Disclosed", f"{d['suggested_code'] or ''} {d['offence_name'] or ''}"),
                ("Area", d["area"]),
                ("CRI reason", d["cri_reason"]),
            ]
        for added in d.get("decider_evidence", []):
            label = FIELDS[added["field"]].label if added["field"] in FIELDS else added["field"]
            rows.append((f"{label} ({added['by']}'s)", added["value"]))
        for crime in d["linked_crimes"]:
            rows.append(
                (
                    "Linked crime",
                    f"{crime['reference']} {crime['offence_code']} {crime['offence_name']} "
                    f"({crime['link']}, {crime['state']})",
                )
            )
        if d["follow_up"]:
            rows.append(("Victim", views.victim_told(d["follow_up"], by_whom=True)))
        return _section("Request (times are UK local)", rows, self._text_width())

    def _crime_text(self, d: dict) -> Content:
        """The crime the request is about."""
        if not d["crime_reference"]:
            return Content("")
        flags = (
            ", ".join(
                name
                for name, key in (
                    ("domestic abuse", "crime_domestic_abuse"),
                    ("hate crime", "crime_hate_crime"),
                    ("vulnerable victim", "crime_vulnerable_victim"),
                )
                if d[key]
            )
            or "none"
        )
        state = d["crime_state"] + (
            f" ({d['crime_cancellation_code']} {when(d['crime_cancelled_at'])})" if d["crime_cancellation_code"] else ""
        )
        rows = [
            ("Reference", d["crime_reference"]),
            ("Offence", f"{d['crime_offence_code']} {d['offence_name'] or ''} · {d['offence_group'] or ''}"),
            ("State", state),
            ("Recorded", when(d["crime_recorded_at"])),
            ("Occurred", when(d["crime_occurred_at"])),
            ("Area", d["crime_area"]),
            ("Officer in charge", d["crime_oic"]),
            ("Flags", flags),
            (
                "Transferred",
                f"{d['crime_transferred_force']} {d['crime_transferred_reference']}"
                if d["crime_transferred_force"]
                else None,
            ),
            ("Summary", d["crime_summary"]),
        ]
        if d.get("surviving_crime") and d["kind"] == "cancellation":
            return self._side_by_side(d)
        return _section("Crime", rows, self._text_width())

    def _side_by_side(self, d: dict) -> Content:
        """A C3's crime and its surviving crime in two columns, line for line, so a match (or not) shows."""
        other = d["surviving_crime"]

        def flags(prefix: str, row: dict) -> str:
            names = ("domestic abuse", "hate crime", "vulnerable victim")
            keys = ("domestic_abuse", "hate_crime", "vulnerable_victim")
            return ", ".join(n for n, k in zip(names, keys, strict=True) if row.get(f"{prefix}{k}")) or "none"

        rows = [
            ("Reference", d["crime_reference"], other["reference"]),
            (
                "Offence",
                f"{d['crime_offence_code']} {d['offence_name'] or ''}",
                f"{other['offence_code']} {other['offence_name']}",
            ),
            ("State", d["crime_state"], other["state"]),
            ("Occurred", when(d["crime_occurred_at"]), when(other["occurred_at"])),
            ("Recorded", when(d["crime_recorded_at"]), when(other["recorded_at"])),
            ("Area", d["crime_area"], other["area"]),
            ("OIC", d["crime_oic"], other["oic"]),
            ("Flags", flags("crime_", d), flags("", other)),
            ("Summary", d["crime_summary"], other["summary"]),
        ]
        width = self._text_width()
        column = max(16, (width - 14) // 2)
        lines = [Content.styled("The crime to cancel beside the surviving crime (C3: do they match?)", "b")]
        lines.append(Content.styled(f"  {'':<10}  {'cancel':<{column}}  surviving", "$text-muted"))
        for label, left, right in rows:
            lefts = textwrap.wrap(safe_text(str(left or "-")), column) or ["-"]
            rights = textwrap.wrap(safe_text(str(right or "-")), column) or ["-"]
            for n in range(max(len(lefts), len(rights))):
                name = label if n == 0 else ""
                a = lefts[n] if n < len(lefts) else ""
                b = rights[n] if n < len(rights) else ""
                differs = n == 0 and str(left or "") != str(right or "") and label not in ("Reference", "Recorded")
                line = Content(f"  {name:<10}  {a:<{column}}  {b}")
                lines.append(line.stylize("$warning", 14 + column) if differs else line)
        return Content("\n").join(lines)

    def _history_text(self, d: dict) -> Content:
        """Every ledger entry about this request, oldest first."""
        lines = [Content.styled("History", "b")]
        for e in d["history"]:
            move = f"{e['from_state'] or ''}→{e['to_state'] or ''}"
            lines.append(
                Content.from_markup(
                    "  [b]#$seq[/b] $at $actor ($role) [b]$action[/b] $move $code",
                    seq=str(e["seq"]),
                    at=when(e["at"]),
                    actor=e["actor"],
                    role=e["role"],
                    action=e["action"],
                    move=move,
                    code=e["code"] or "",
                )
            )
            wrapped = textwrap.wrap(safe_text(e["rationale"]), max(30, self._text_width() - 6)) or [""]
            lines += [Content(f"      {part}") for part in wrapped]
        return Content("\n").join(lines)

    # --- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Offer a decision key only when the rules allow it; 'What you may do' explains the rest."""
        if action in ("decide", "explain"):
            if self.detail is None or (self.detail["kind"], parameters[0]) not in ACTIONS:
                return False
            verdict = self.verdicts.get(parameters[0])
            if verdict is None or self.detail["state"] not in verdict.spec.from_states:
                return False
            return verdict.allowed == (action == "decide")
        if action == "step":
            return self.queue is not None
        return True

    def action_explain(self, name: str) -> None:
        """Say why the rules refuse this user an action whose key they pressed."""
        verdict = self.verdicts[name]
        self.notify(f"{verdict.spec.title}: {verdict.refusal}", title="Not for you", severity="warning", timeout=8)

    def action_decide(self, name: str) -> None:
        """Open the decision dialog for one action."""
        if self.detail is None:
            return
        spec = ACTIONS[(self.detail["kind"], name)]
        next_id = self.queue.neighbour(self.request_id, 1) if self.queue else None

        def decided(result: Outcome | Conflict | None) -> None:
            if isinstance(result, Conflict):
                self.notify(result.message, title="Someone decided first", severity="warning", timeout=10)
                self.load()
            elif isinstance(result, Outcome):
                changed = f"; {_crimes_changed(result)}" if result.crimes else ""
                self.last_saved = (
                    f"Saved: {spec.title.lower()} on request {result.request_id}, now {result.to_state.replace('_', ' ')}{changed} "
                    f"(ledger #{result.seq})."
                )
                saved = self.query_one("#saved", Static)
                saved.update(Content(self.last_saved))
                saved.display = True  # a line of its own, not a toast over the next request's evidence
                if self.queue is not None:
                    self._go_to(next_id)
                else:
                    self._next_of_kind(result.kind, result.request_id)

        self.app.push_screen(DecisionDialog(self.detail, spec), decided)

    @work(thread=True, exclusive=True, group="detail-next", exit_on_error=False)
    def _next_of_kind(self, kind: str, decided: int) -> None:
        """After a decision on a request reached by `:`, find the first open request of its queue, in a worker."""
        with self.app.handle.open() as store:
            rows = views.queue_page(store.conn, views.QueueFilter(kind=kind), limit=2)
        following = next((row["id"] for row in rows if row["id"] != decided), None)
        self.post_message(self.NextFound(following, kind))

    @on(NextFound)
    def go_on_in_its_queue(self, message: NextFound) -> None:
        """Go on to that queue's next item, saying which queue; stay here when it is empty."""
        if message.request_id is None:
            self.notify(f"No open items left in {KINDS[message.kind].label} queue.", title="Queue")
            self.load()
            return
        self._go_to(message.request_id)

    def _go_to(self, request_id: int | None) -> None:
        """Open another request in place, or return to the queue when there is none."""
        if request_id is None:
            self.notify(f"{self.last_saved} That was the last item in this queue.".strip(), title="Saved")
            self.app.pop_screen()
            return
        self.request_id = request_id
        self.detail = None
        self.refresh_bindings()
        self.load()
        self.query_one("#detail-body", VerticalScroll).scroll_home(animate=False)

    def action_step(self, step: int) -> None:
        """Move to the next or previous item of the queue."""
        target = self.queue.neighbour(self.request_id, step) if self.queue else None
        if target is not None:
            self._go_to(target)

    def action_copy_reference(self) -> None:
        """Copy the crime reference (OSC 52 works over SSH)."""
        if self.detail and self.detail["crime_reference"]:
            self.app.copy_to_clipboard(self.detail["crime_reference"])
            self.notify(f"Copied {self.detail['crime_reference']}")

    def action_back(self) -> None:
        """Back to the queue."""
        self.app.pop_screen()


LABEL_WIDTH = 21  # two spaces, an 18-cell label, a space


def _section(title: str, rows: list[tuple[str, object]], width: int = 100) -> Content:
    """A titled block of label: value lines, skipping empty values; long values wrap under themselves."""
    lines = [Content.styled(title, "b")]
    room = max(20, width - LABEL_WIDTH)
    for label, value in rows:
        text = "" if value is None else str(value).strip()
        if text and text != "None":
            pieces = [line for part in safe_text(text).splitlines() for line in (textwrap.wrap(part, room) or [""])]
            wrapped = ("\n" + " " * LABEL_WIDTH).join(pieces)
            lines.append(Content.assemble(Content.styled(f"  {label:<18} ", "$text-muted"), Content(wrapped)))
    return Content("\n").join(lines)


def _crimes_changed(outcome: Outcome) -> str:
    """What a decision did to crimes, in words: 'recorded CR-2026-079799 and CR-2026-079800'."""
    verb = {
        ("referral", "record"): "recorded",
        ("transfer_in", "accept"): "recorded",
        ("cancellation", "approve"): "cancelled",
        ("cancellation", "reinstate"): "reinstated",
        ("cancellation", "abroad"): "cancelled",
        ("reclassification", "approve"): "reclassified",
        ("reclassification", "reopen"): "put back",
        ("transfer_out", "reopen"): "took back",
        ("transfer_out", "accepted"): "cancelled as C1",
        ("referral", "duplicate"): "linked",
    }.get((outcome.kind, outcome.action), "touched")
    names = outcome.crimes
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    return f"{verb} {joined}"


def _surviving(detail: dict) -> str | None:
    """A C3's surviving crime with its offence, state and summary, so a downgrade shows before it is approved."""
    crime = detail.get("surviving_crime")
    if not crime:
        return detail.get("surviving_reference") and f"{detail['surviving_reference']} (not in this store)"
    return (
        f"{crime['reference']} {crime['offence_code']} {crime['offence_name']} ({crime['state']}): {crime['summary']}"
    )
