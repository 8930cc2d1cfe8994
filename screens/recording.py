"""The recording-audit queue: incidents awaiting a verdict, reports of rape for the seniors first."""

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label, Select, Static

from registrar.base.errors import Conflict, RegistrarError
from registrar.base.text import safe_text
from registrar.base.vocabulary import N100_REASONS, NOT_A_CRIME_REASONS, RECORDING_DRAWERS, RECORDING_VERDICTS
from registrar.oversight.recording import (
    RecordingWeights,
    draw_recording_sample,
    note_required,
    record_recording_verdict,
    verdict_refusal,
)
from registrar.reading import views
from registrar.storage.schema import INCIDENT_FLAGS
from registrar.storage.store import Store

from .audit import DrawForm, FormDialog
from .code_field import CodeField
from .formatting import plain, when
from .item_list import ItemListScreen
from .rationale import RationaleArea

COLUMNS = (
    ("id", "Item", 5),
    ("number", "Incident", 10),
    ("opened_at", "Reported", 16),
    ("opening_code", "Opened as", 10),
    ("area", "Area", 11),
    ("flags", "Flags", 5),
    ("crime", "Crime", 5),
    ("summary", "Summary", None),
)
FLAG_LETTERS = {
    "domestic_abuse": "D",
    "child_at_risk": "C",
    "adult_at_risk": "A",
    "hate_crime": "H",
    "rape_report": "R",
}
VERDICT_KEYS = {"recorded-correctly": "c", "not-a-crime": "n", "record-now": "r", "n100": "N"}


def flags_of(item: dict) -> str:
    """The incident's flags as letters (D domestic abuse, C child, A adult at risk, H hate, R rape report)."""
    return "".join(letter for flag, letter in FLAG_LETTERS.items() if item[flag])


def _lowered(label: str) -> str:
    """A label inside a sentence: lower case, unless it is an acronym such as N100."""
    return label if label.isupper() else label.lower()


class RecordingScreen(ItemListScreen):
    """Incidents under recording audit; c rightly recorded, n not a crime, r record now, N N100, d draws a sample."""

    HELP_NAME = "recording"
    HEADING = "Recording audit: incidents awaiting a verdict"
    COLUMNS = COLUMNS
    DROP_ORDER = ("opening_code", "crime", "area")
    BINDINGS = [
        Binding("c", "verdict('recorded-correctly')", "Rightly recorded", id="recording-correct"),
        Binding("n", "verdict('not-a-crime')", "Not a crime", id="recording-not-a-crime"),
        Binding("r", "verdict('record-now')", "Record now", id="recording-record-now"),
        Binding("N", "verdict('n100')", "N100", id="recording-n100"),
        Binding("d", "draw", "Draw", id="recording-draw"),
        Binding("escape", "back", "Back", id="recording-back"),
    ]

    def read_items(self, store: Store) -> list[dict]:
        """Incidents still awaiting a verdict, reports of rape first."""
        return views.recording_reviews(store.conn, pending=True)

    def cell(self, item: dict, key: str) -> Content | str:
        if key == "opened_at":
            return when(item[key])
        if key == "flags":
            return flags_of(item)
        if key == "crime":
            return "yes" if item["crime_recorded"] else "none"
        return plain(item[key])

    def describe(self, item: dict | None) -> Content:
        if item is None:
            return Content("No incidents are waiting. Press d to draw a sample of last week's incidents.")
        role = self.app.actor.role
        keys = " · ".join(
            f"{key} {_lowered(RECORDING_VERDICTS[verdict].label)}"
            for verdict, key in VERDICT_KEYS.items()
            if verdict_refusal(role, item, verdict) is None
        )
        heading = (
            f"Item {item['id']} · incident {item['number']} reported {when(item['opened_at'])} as "
            f"{item['opening_code']}" + (" · REPORT OF RAPE: fcr, dfcr or fcm" if item["seniors_only"] else "")
        )
        crimes = f"crimes: {item['crime_references']}" if item["crime_references"] else "no crime recorded"
        return Content("\n").join(
            [
                Content.styled(safe_text(heading), "b"),
                Content(safe_text(f"{item['summary']} ({crimes})")),
                Content.styled(keys or self._why_not(item), "$text-muted"),
            ]
        )

    def _why_not(self, item: dict) -> str:
        """One line saying why no verdict key works here for this user."""
        refusal = verdict_refusal(self.app.actor.role, item, "not-a-crime")
        return f"read-only: {refusal.reason}" if refusal else f"read-only: {self.app.actor.role}"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        role = self.app.actor.role
        if action == "verdict":
            item = self.current()
            return item is not None and verdict_refusal(role, item, parameters[0]) is None
        if action == "draw":
            return role in RECORDING_DRAWERS
        return True

    def action_verdict(self, verdict: str) -> None:
        """Open the verdict dialog for the highlighted incident."""
        item = self.current()
        if item is not None:
            self.open_form(RecordingVerdictDialog(item, verdict), "Recording audit")

    def action_draw(self) -> None:
        """Draw a sample of incidents."""
        self.open_form(RecordingDrawDialog(), "Sample drawn")


class RecordingVerdictDialog(FormDialog):
    """One verdict on one incident: a reason, or the offence codes of the missed crimes, and a note."""

    REFUSAL_ID = "recording-refusal"

    def __init__(self, item: dict, verdict: str):
        super().__init__()
        self.item = item
        self.verdict = verdict

    def compose(self) -> ComposeResult:
        item, choice = self.item, RECORDING_VERDICTS[self.verdict]
        reasons = {"not-a-crime": NOT_A_CRIME_REASONS, "n100": N100_REASONS}.get(self.verdict)
        with Vertical(id="verdict-dialog"):
            yield Label(Content(f"{choice.label} · incident {item['number']}"), classes="title")
            yield Static(Content(safe_text(f"{item['opening_code']}: {item['summary']}")), classes="status")
            yield Static(Content(choice.help), classes="status")
            if reasons is not None:
                with Horizontal(classes="field-row"):
                    yield Label("Reason", classes="field-label")
                    yield Select(
                        [(r.label, r.key) for r in reasons.values()],
                        id="recording-reason",
                        prompt="choose",
                        compact=True,
                    )
            if self.verdict == "record-now":
                with Horizontal(classes="field-row"):
                    yield Label("Offences (a, b)", classes="field-label")
                    offences = [(o["code"], f"{o['code']} {o['name']}") for o in self.app.reference.offences]
                    yield CodeField(offences, multiple=True, id="recording-offences")
            required = note_required(self.verdict, bool(item["rape_report"]))
            yield Label("Note (required)" if required else "Note (optional)", classes="rationale-label")
            yield RationaleArea(id="recording-note", soft_wrap=True, tab_behavior="focus", compact=True)
            yield Static(id="recording-refusal", classes="refusal")
            yield Static("ctrl+s or F2 save · esc cancel", classes="status")

    def on_mount(self) -> None:
        first = self.query("#recording-reason, #recording-offences Input, #recording-note").first()
        self.set_focus(first)

    def action_submit(self) -> None:
        reasons = self.query("#recording-reason")
        reason = reasons.first(Select).value if reasons else None
        codes = self.query("#recording-offences")
        offences = codes.first(CodeField).codes() if codes else []
        note = self.query_one("#recording-note", RationaleArea).text
        self._submit(None if reason is Select.NULL else str(reason) if reason else None, offences, note)

    @work(thread=True, exclusive=True, group="recording-verdict", exit_on_error=False)
    def _submit(self, reason: str | None, offences: list[str], note: str) -> None:
        try:
            with self.app.handle.open() as store:
                result = record_recording_verdict(
                    store, self.app.actor, self.item["id"], self.verdict, note, reason, offences
                )
        except Conflict as conflict:
            self.post_message(self.Done(conflict.message, refused=False))
        except RegistrarError as error:
            self.post_message(self.Done(error.message, refused=True))
        else:
            text = f"incident {self.item['number']}: {_lowered(RECORDING_VERDICTS[result.verdict].label)}"
            if result.created:
                text += f"; recorded {' and '.join(result.created)} ({result.delay_hours:.0f} h late)"
            self.post_message(self.Done(f"{text} (ledger #{result.seq})", refused=False))


class RecordingDrawDialog(DrawForm):
    """Draw a risk-based, reproducible sample of incidents for a recording audit."""

    HEADING = "Draw incidents for a recording audit"
    DAYS = 7
    RATE_LABEL = "Base rate (0 to 1)"

    def weights(self) -> RecordingWeights:
        """The recording_audit setting's weights."""
        return RecordingWeights.from_setting(self.app.settings.get("recording_audit"))

    def default_rate(self) -> float:
        return self.weights().base_rate

    def explain(self) -> str:
        weights = self.weights()
        return (
            "Risk-weighted: "
            + ", ".join(f"{k} ×{v:g}" for k, v in weights.opening_codes.items())
            + "; flags "
            + ", ".join(f"{k.replace('_', ' ')} ×{v:g}" for k, v in weights.flags.items() if k in INCIDENT_FLAGS)
        )

    def draw(self, store: Store, since: str, until: str, rate: float, seed: int) -> str:
        sample = draw_recording_sample(store, self.app.actor, since, until, seed, self.weights().with_base_rate(rate))
        return f"sample {sample.id}: {sample.sampled} of {sample.candidates} incidents drawn"
