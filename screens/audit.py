"""The audit queue: sampled decisions awaiting the FCR's or an auditor's verdict."""

from dataclasses import dataclass
from datetime import timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Checkbox, DataTable, Input, Label, Static

from registrar.base.clock import parse, stamp
from registrar.base.errors import Conflict, RegistrarError
from registrar.base.text import safe_text
from registrar.base.vocabulary import KINDS
from registrar.decisions.actions import ACTIONS
from registrar.decisions.reopening import MATCHING_REOPENING, REOPENING_EFFECT
from registrar.intake.field_values import parse_value
from registrar.oversight.audit import AUDITORS, DRAWERS, REINSTATERS, SampleRates, draw_sample, record_verdict
from registrar.reading import views
from registrar.storage.store import Store

from .base import WorkbenchPart
from .formatting import plain, when
from .item_list import ItemListScreen
from .rationale import RationaleArea
from .toggle import TextCheckbox

COLUMNS = (
    ("id", "Item", 6),
    ("request_id", "Req", 6),
    ("kind", "Kind", 9),
    ("maker", "Maker", 8),
    ("action", "Action", 10),
    ("code", "Code", 8),
    ("decided_at", "Decided", 16),
    ("rationale", "Rationale", None),
)


class AuditScreen(ItemListScreen):
    """Sampled decisions without a verdict; g agrees, d disagrees (and may reinstate), n draws a sample."""

    HELP_NAME = "audit"
    HEADING = "Audit: sampled decisions awaiting a verdict"
    COLUMNS = COLUMNS
    DROP_ORDER = ("request_id", "decided_at", "code")
    BINDINGS = [
        Binding("g", "verdict('agree')", "Agree", id="audit-agree"),
        Binding("d", "verdict('disagree')", "Disagree", id="audit-disagree"),
        Binding("enter", "open_request", "Open request", id="audit-open", show=False),
        Binding("n", "draw", "Draw sample", id="audit-draw"),
        Binding("escape", "back", "Back", id="audit-back"),
    ]

    def read_items(self, store: Store) -> list[dict]:
        """Sampled decisions still awaiting a verdict."""
        return views.audit_items(store.conn, pending=True)

    def cell(self, item: dict, key: str) -> Content | str:
        value = item[key]
        if key == "kind":
            return KINDS[value].short
        if key == "decided_at":
            return when(value)
        return plain(value)

    @on(DataTable.RowSelected, "#items")
    def row_selected(self) -> None:
        self.action_open_request()

    def describe(self, item: dict | None) -> Content:
        if item is None:
            return Content("No sampled decisions are waiting. Press n to draw a sample.")
        return Content("\n").join(
            [
                Content.styled(
                    f"Item {item['id']} · request {item['request_id']} · {item['kind']} · {item['action']} "
                    f"{item['code'] or ''} by {item['maker']} at {when(item['decided_at'])}",
                    "b",
                ),
                Content(safe_text(item["rationale"])),
                Content.styled(
                    ("g agree · d disagree · " if self.app.actor.role in AUDITORS else "")
                    + "enter opens the request with its evidence and history",
                    "$text-muted",
                ),
            ]
        )

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        role = self.app.actor.role
        if action == "verdict":
            return role in AUDITORS and self.current() is not None
        if action == "draw":
            return role in DRAWERS
        return True

    def action_verdict(self, verdict: str) -> None:
        """Open the verdict dialog for the highlighted item."""
        item = self.current()
        if item is not None:
            self.open_form(VerdictDialog(item, verdict), "Audit")

    def action_open_request(self) -> None:
        """Open the sampled decision's request in full."""
        from .detail import DetailScreen

        item = self.current()
        if item is not None:
            self.app.push_screen(DetailScreen(item["request_id"]))

    def action_draw(self) -> None:
        """Draw a new sample."""
        self.open_form(DrawDialog(), "Sample drawn")


def reopening_offered(item: dict, verdict: str, role: str) -> str | None:
    """The label of the reopening a disagreement may take in the same step, or None when none is offered."""
    matching = MATCHING_REOPENING.get((item["kind"], item["action"]))
    if verdict != "disagree" or role not in REINSTATERS or matching is None:
        return None
    if matching == "reinstate":
        return "Reinstate the crime now (the cancellation was wrong)"
    left_in = ACTIONS[(item["kind"], item["action"])].to_state
    return f"Reopen now: {REOPENING_EFFECT.get((item['kind'], str(left_in)), 'reopens the decision')}"


class FormDialog(WorkbenchPart, ModalScreen[str | None]):
    """A small modal form submitted with ctrl+s or F2 whose work runs in a worker and reports back."""

    CSS_PATH = "audit.tcss"
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", id="form-submit"),
        Binding("f2", "submit", "Submit", show=False, id="form-submit-f2"),
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
    ]
    REFUSAL_ID = "form-refusal"

    @dataclass
    class Done(Message):
        """The outcome: a message to show, or a refusal that keeps the form open."""

        text: str
        refused: bool

    @on(Done)
    def finish(self, message: Done) -> None:
        """Close with the outcome, or show the refusal in place."""
        if message.refused:
            self.query_one(f"#{self.REFUSAL_ID}", Static).update(
                Content(message.text.rstrip(".") + ". Nothing was saved.")
            )
        else:
            self.dismiss(message.text)

    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.dismiss(None)


class VerdictDialog(FormDialog):
    """Agree or disagree with a note; on a cancellation the FCR may reinstate in the same step."""

    REFUSAL_ID = "verdict-refusal"

    def __init__(self, item: dict, verdict: str):
        super().__init__()
        self.item = item
        self.verdict = verdict

    def compose(self) -> ComposeResult:
        item = self.item
        reopening = reopening_offered(item, self.verdict, self.app.actor.role)
        with Vertical(id="verdict-dialog"):
            yield Label(
                Content(
                    f"{self.verdict.capitalize()} · item {item['id']} · request {item['request_id']} "
                    f"{item['action']} by {item['maker']}"
                ),
                classes="title",
            )
            yield Static(Content(safe_text(item["rationale"])), classes="status")
            yield Label("Note (required to disagree)", classes="rationale-label")
            yield RationaleArea(id="verdict-note", soft_wrap=True, tab_behavior="focus", compact=True)
            if reopening:
                yield TextCheckbox(reopening, id="verdict-reinstate")
            yield Static(id="verdict-refusal", classes="refusal")
            yield Static("ctrl+s or F2 submit · esc cancel", classes="status")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#verdict-note"))

    def action_submit(self) -> None:
        note = self.query_one("#verdict-note", RationaleArea).text
        boxes = self.query("#verdict-reinstate")
        reinstate = bool(boxes) and boxes.first(Checkbox).value
        self._submit(note, reinstate)

    @work(thread=True, exclusive=True, group="verdict", exit_on_error=False)
    def _submit(self, note: str, reinstate: bool) -> None:
        try:
            with self.app.handle.open() as store:
                result = record_verdict(store, self.app.actor, self.item["id"], self.verdict, note, reinstate)
        except Conflict as conflict:
            self.post_message(self.Done(conflict.message, refused=False))
        except RegistrarError as error:
            self.post_message(self.Done(error.message, refused=True))
        else:
            text = f"item {result.item_id}: {result.verdict} (ledger #{result.seq})"
            self.post_message(self.Done(text + (f"; {result.reopened} done" if result.reopened else ""), refused=False))


class DrawForm(FormDialog):
    """Choose a period, a rate and a seed for a reproducible sample; each kind of sample says how it draws."""

    REFUSAL_ID = "draw-refusal"
    HEADING = ""
    DAYS = 30
    RATE_LABEL = "Rate (0 to 1)"

    def default_rate(self) -> float:
        """The rate the form starts with."""
        return 0.5

    def explain(self) -> str:
        """A line under the heading saying how items are drawn ('' for none)."""
        return ""

    def draw(self, store: Store, since: str, until: str, rate: float, seed: int) -> str:
        """Draw the sample; return what was drawn, in words."""
        raise RegistrarError("this form cannot draw")

    def compose(self) -> ComposeResult:
        now = parse(stamp(self.app.handle.clock()))
        with Vertical(id="draw-dialog"):
            yield Label(self.HEADING, classes="title")
            if self.explain():
                yield Static(self.explain(), classes="status")
            for name, label, value in (
                ("from", "From (date)", (now - timedelta(days=self.DAYS)).date().isoformat()),
                ("to", "To (date or time)", stamp(now)),
                ("rate", self.RATE_LABEL, f"{self.default_rate():g}"),
                ("seed", "Seed", str(now.toordinal())),
            ):
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label")
                    yield Input(value=value, id=f"draw-{name}", compact=True)
            yield Static(id="draw-refusal", classes="refusal")
            yield Static("ctrl+s or F2 draw · esc cancel", classes="status")

    def action_submit(self) -> None:
        values = {name: self.query_one(f"#draw-{name}", Input).value.strip() for name in ("from", "to", "rate", "seed")}
        self._draw(values)

    @work(thread=True, exclusive=True, group="draw", exit_on_error=False)
    def _draw(self, values: dict) -> None:
        try:
            since, until = (str(parse_value(None, "date", name, values[name])) for name in ("from", "to"))
        except RegistrarError as error:
            self.post_message(self.Done(error.message, True))
            return
        if not since or not until:
            self.post_message(self.Done("Give the period: a from date and a to date or time.", True))
            return
        try:
            rate, seed = float(values["rate"]), int(values["seed"])
        except ValueError:
            self.post_message(self.Done("The rate must be a number and the seed a whole number.", True))
            return
        if not 0 <= rate <= 1:
            self.post_message(self.Done("The rate is a share between 0 and 1.", True))
            return
        try:
            with self.app.handle.open() as store:
                text = self.draw(store, since, until, rate, seed)
        except RegistrarError as error:
            self.post_message(self.Done(error.message, True))
            return
        self.post_message(self.Done(text, False))


class DrawDialog(DrawForm):
    """Draw a reproducible dip-sample of ddm decisions."""

    HEADING = "Draw a dip-sample of ddm decisions"

    def default_rate(self) -> float:
        return float((self.app.settings.get("sample_rates") or {}).get("default", 0.5))

    def draw(self, store: Store, since: str, until: str, rate: float, seed: int) -> str:
        configured = self.app.settings.get("sample_rates") or {}
        rates = SampleRates(rate, configured.get("kinds"), configured.get("makers"))
        sample = draw_sample(store, self.app.actor, since, until, seed, rates)
        return f"sample {sample.id}: {sample.sampled} of {sample.candidates} decisions drawn"
