"""The decision dialog: the fields an action needs, a rationale started from a template, submit by key."""

import re
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from registrar.base.errors import Conflict, RegistrarError
from registrar.base.text import safe_text
from registrar.base.vocabulary import FIELDS
from registrar.decisions.actions import ActionSpec
from registrar.decisions.decide import REQUESTER_EVIDENCE, Decision, decide
from registrar.decisions.preview import preview, warning
from registrar.decisions.rules import CONTACT_METHODS
from registrar.decisions.templates import template_for

from .base import WorkbenchPart
from .code_field import CodeField
from .goto import Confirm
from .rationale import RationaleArea

GROUND_EVIDENCE = {
    "avi_description": "avi",
    "avi_type": "avi",
    "avi_shows": "avi",
    "avi_source": "avi",
    "avi_obtained_at": "avi",
    "surviving_reference": "surviving_crime",
    "error_description": "error_description",
}


class DecisionDialog(WorkbenchPart, ModalScreen[object]):
    """Take one action on one request; returns the Outcome, a Conflict, or None when cancelled."""

    CSS_PATH = "decision.tcss"
    HELP_NAME = "decision"
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", id="submit-decision"),
        Binding("f2", "submit", "Submit", show=False, id="submit-decision-f2"),
        Binding("f3", "to_rationale", "Rationale", show=False, id="to-rationale"),
        Binding("escape", "cancel", "Cancel", id="cancel-decision"),
    ]

    @dataclass
    class Refused(Message):
        """The rules refused the decision; nothing was written."""

        message: str

    @dataclass
    class Finished(Message):
        """The decision was written, or someone else decided first."""

        result: object

    def __init__(self, detail: dict, spec: ActionSpec):
        super().__init__()
        self.detail = detail
        self.spec = spec
        self.template = ""
        self.filled: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        self.placed: dict[str, tuple[str, str]] = {}  # the text before a linked field's value, and the value
        self.busy = False
        self.weighed_warning: str | None = None

    def compose(self) -> ComposeResult:
        d = self.detail
        reference = self.app.reference
        title = f"{self.spec.title} · request {d['id']}"
        if d["crime_reference"]:
            title += f" · {d['crime_reference']} {d['crime_offence_code']} {d['offence_name'] or ''}"
        with Vertical(id="dialog"):
            yield Label(Content(title), classes="title")
            if self.spec.name == "answer":
                asked = next((e for e in reversed(d["history"]) if e["action"] == "return"), None)
                if asked:
                    yield Static(
                        Content(f"Asked by {asked['actor']}: {safe_text(asked['rationale'])}"), classes="status"
                    )
            with VerticalScroll(id="fields"):
                for name in self.spec.fields:
                    yield from self._field(name, reference)
            yield Label("Rationale: why (kept in the ledger for good)", classes="rationale-label")
            yield RationaleArea(id="rationale", soft_wrap=True, tab_behavior="focus", compact=True)
            yield Static(id="stale", classes="note")
            yield Static(id="preview", classes="note")
            yield Static(id="warning", classes="warning")
            yield Static(id="refusal", classes="refusal")
            yield Static(
                Content("ctrl+s or F2 submit · F3 next [prompt] · tab next field · esc cancel"), classes="status"
            )

    def _field(self, name: str, reference) -> ComposeResult:
        """One compact row for one of the action's fields, prefilled from the request."""
        d = self.detail
        current = d.get(FIELDS[name].request_column or name) or ""
        with Horizontal(classes="field-row", id=f"row-{name}"):
            yield Label(FIELDS[name].label, classes="field-label")
            if name == "ground":
                options = [(f"{g['code']} {g['title']}", g["code"]) for g in reference.grounds if g["code"] != "C1"]
                initial = d["cancellation_code"] if d["cancellation_code"] in [v for _, v in options] else Select.NULL
                yield Select(options, value=initial, id="field-ground", prompt="choose a ground", compact=True)
            elif name in ("proposed_code", "offence_code", "offences"):
                choices = [
                    (o["code"], f"{o['code']} {o['name']}" + (" (restricted)" if o["restricted"] else ""))
                    for o in reference.offences
                ]
                yield CodeField(choices, value=str(current), multiple=name == "offences", id=f"field-{name}")
            elif name == "force":
                yield CodeField(
                    [(f["code"], f"{f['code']} {f['name']}") for f in reference.forces],
                    value=str(current),
                    id="field-force",
                )
            elif name == "referred_to":
                options = [(f"{u['display_name']} ({u['role']})", u["username"]) for u in reference.seniors]
                yield Select(options, id="field-referred_to", prompt="any of fcr, dfcr, fcm", compact=True)
            elif FIELDS[name].choices:
                choices = FIELDS[name].choices or {}
                options = [(choice.label, key) for key, choice in choices.items()]
                initial = current if current in choices else Select.NULL
                yield Select(options, value=initial, id=f"field-{name}", prompt="choose", compact=True)
            elif name == "method":
                yield Select([(m, m) for m in CONTACT_METHODS], id="field-method", prompt="choose how", compact=True)
            elif name in REQUESTER_EVIDENCE:
                # The requester's words stay theirs: the decider types only a correction or an addition.
                shown = f"as raised: {current} (type only to correct it)" if current else "not given when raised"
                yield Input(value="", placeholder=shown, id=f"field-{name}", compact=True)
            else:
                yield Input(value=str(current), id=f"field-{name}", compact=True)

    def _show_ground_fields(self) -> None:
        """Show only the evidence fields the chosen ground needs."""
        if "ground" not in self.spec.fields:
            return
        ground = self._ground()
        needs = next((g["needs"] for g in self.app.reference.grounds if g["code"] == ground), None)
        for field_name, need in GROUND_EVIDENCE.items():
            self.query_one(f"#row-{field_name}").display = need == needs

    def on_mount(self) -> None:
        self._say("#stale", "")
        self._show_ground_fields()
        self._apply_template()
        area = self.query_one("#rationale", RationaleArea)
        self.show_preview()
        draft = self.app.drafts.pop(self._draft_key, None)
        if draft is not None:
            area.text = draft
            area.cursor_location = area.document.end
            self.notify("Your draft rationale for this decision is back.", title="Draft")
        unanswered = self._unanswered_field()
        if unanswered is not None and draft is None:
            self.set_focus(self.query_one(f"#field-{unanswered}"))  # typed once, there, it fills the rationale too
            return
        self.set_focus(area)
        untouched = (area.selection, area.text)
        # Keys typed ahead (F3, F7, text) may land before the refresh: select the first prompt only if they did not.
        self.call_after_refresh(lambda: (area.selection, area.text) == untouched and area.offer_first_prompt())

    def _unanswered_field(self) -> str | None:
        """The first field of this action whose prompt the rationale still shows (nothing on the request filled it)."""
        prompts = {field_name for prompt, field_name, _ in PREFILLS if prompt in self.template}
        return next((name for name in self.spec.fields if name in prompts and name in LINKED_FIELDS), None)

    def action_to_rationale(self) -> None:
        """Put the cursor in the rationale with its next [prompt] selected (F3 from any field)."""
        area = self.query_one("#rationale", RationaleArea)
        self.set_focus(area)
        self.call_after_refresh(area.action_next_prompt)

    def _ground(self) -> str:
        """The ground chosen in the dialog, or the request's."""
        if self.spec.name == "approve" and self.detail["kind"] == "cancellation":
            ground = self.query_one("#field-ground", Select)
            return "" if ground.is_blank() else str(ground.value)
        return ""

    def _apply_template(self) -> None:
        """Start the rationale from the template for this action and ground, unless the user has typed in it: the
        program never edits words the user wrote."""
        area = self.query_one("#rationale", RationaleArea)
        if area.text.strip() and area.text != self.template:
            return
        raw = template_for(self.detail["kind"], self.spec.name, self._ground())
        self.template, self.filled = prefill(raw, self._template_detail())
        area.text = self.template

    def _template_detail(self) -> dict:
        """The request's values with the dialog's fields over them, as the template's prompts are filled from."""
        columns = {field_name: column for _, field_name, column in PREFILLS}
        return {**self.detail, **{columns[name]: value for name, value in self.overrides.items() if name in columns}}

    def _template_offset(self, name: str) -> int:
        """Where a field's value starts in the filled template (-1 when the template has no prompt for it)."""
        raw = template_for(self.detail["kind"], self.spec.name, self._ground())
        prompt = next((prompt for prompt, field_name, _ in PREFILLS if field_name == name and prompt in raw), None)
        if prompt is None or name not in self.overrides:
            return -1
        return len(prefill(raw[: raw.index(prompt)], self._template_detail())[0])

    @on(Select.Changed, "#field-ground")
    def ground_changed(self) -> None:
        self._show_ground_fields()
        self._apply_template()

    @on(CodeField.Changed)
    def code_changed(self, event: CodeField.Changed) -> None:
        self._field_changed((event.field.id or "").removeprefix("field-"), event.value)

    @on(Input.Changed)
    def text_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        if name in PROMPTED_FIELDS:
            self._field_changed(name, event.value)

    @on(Select.Changed)
    def choice_changed(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("field-")
        if name in PROMPTED_FIELDS and not event.select.is_blank():
            self._field_changed(name, _as_read(name, str(event.value)))

    def _field_changed(self, name: str, value: str) -> None:
        """An untouched template follows a changed field (a code, a force, their reference); in a rationale the user
        has typed in, a linked field's value follows where it was put (or fills its waiting prompt), and nothing else
        the user wrote is changed; where the rationale names an old value, a visible note says so."""
        new = self._display_value(name, value)
        if not new and name not in LINKED_FIELDS:
            return
        if new:
            self.overrides[name] = new
        else:
            self.overrides.pop(name, None)
        area = self.query_one("#rationale", RationaleArea)
        if area.text == self.template:
            self._apply_template()
            start = self._template_offset(name)
            self._place(name, new if start >= 0 else "", area.text[:start] if start >= 0 else "")
        elif name in LINKED_FIELDS:
            self._follow(area, name, new)
        self._note_stale()

    def _follow(self, area: RationaleArea, name: str, new: str) -> None:
        """Put a linked field's new value where the program put its old one (its prompt back when it is emptied),
        provided nothing before it or in it was edited, or into its prompt if the rationale still waits for it;
        otherwise leave the user's words alone and let the note speak."""
        prompt = next(prompt for prompt, field_name, _ in PREFILLS if field_name == name)
        text = area.text
        before, old = self.placed.get(name, ("", ""))
        if not (old and text.startswith(before + old) and not _continues(text, len(before + old))):
            before, old = (text[: text.index(prompt)], prompt) if prompt in text else ("", "")
        if not old:
            self.placed.pop(name, None)  # what it last held stays in `filled`, for the note
            return
        area.replace(new or prompt, *_span(text, len(before), len(old)))
        self._place(name, new, before)

    def _place(self, name: str, value: str, before: str) -> None:
        """Remember the text before a linked field's value in the rationale, so a change to the field can follow it."""
        if name not in LINKED_FIELDS:
            return
        if value:
            self.placed[name] = (before, value)
            self.filled[name] = value
        else:
            self.placed.pop(name, None)
            self.filled.pop(name, None)

    def _stale(self) -> list[str]:
        """Where the user's rationale names a code, force, reference or kind of evidence the fields no longer hold."""
        area = self.query_one("#rationale", RationaleArea)
        return [
            f"your rationale names {old}; the field now says {self.overrides.get(name) or 'nothing'}"
            for name, old in self.filled.items()
            if (name in self.overrides or name in LINKED_FIELDS)
            and self.overrides.get(name) != old
            and _names(area.text, old)
        ]

    def _note_stale(self) -> None:
        """Say where the user's rationale names what the fields no longer hold (saving then asks to confirm)."""
        stale = self._stale()
        note = "; ".join(stale) + " (your words are kept as you wrote them: edit them if need be)" if stale else ""
        self._say("#stale", note)

    def _display_value(self, name: str, value: str) -> str:
        """How a field's value reads in a rationale: a force by its name, a code as typed."""
        if name == "force":
            return next((f["name"] for f in self.app.reference.forces if f["code"] == value.strip()), "")
        return value.strip()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(CodeField.Changed)
    @on(RationaleArea.Changed)
    def show_preview(self) -> None:
        """Say what saving will do and warn, in full, as the fields and the rationale change; an old refusal goes."""
        offences = {row["code"]: row for row in self.app.reference.offences}
        self.query_one("#preview", Static).update(
            Content(preview(self.detail, self.spec.name, self._values(), offences))
        )
        self._say("#warning", f"Warning: {self._warning()}. Saving asks you to confirm." if self._warning() else "")
        if not self.busy:
            self._say("#refusal", "")

    def _say(self, selector: str, text: str) -> None:
        """Show a line of the dialog's notes, or take it away when there is nothing to say."""
        widget = self.query_one(selector, Static)
        widget.update(Content(text))
        widget.display = bool(text)

    def _warning(self) -> str | None:
        """The withdrawal warning the words on the screen raise, if any."""
        return warning(self.detail, self.spec.name, self._values(), self.query_one("#rationale", RationaleArea).text)

    def _values(self) -> dict:
        """The dialog's field values by name."""
        fields: dict = {}
        for name in self.spec.fields:
            if not self.query_one(f"#row-{name}").display:
                continue
            widget = self.query_one(f"#field-{name}")
            if isinstance(widget, Select):
                value = None if widget.is_blank() else widget.value
            elif isinstance(widget, CodeField):
                value = widget.codes() if name == "offences" else widget.value
            else:
                value = widget.value.strip()
            if value:
                fields[name] = value
        return fields

    def action_submit(self) -> None:
        """Check and write the decision in a worker; refusals come back to this dialog. A warning is weighed first:
        saving despite it takes a deliberate y in a dialog of its own."""
        if self.busy:
            return
        shown = self._warning() or "; ".join(self._stale())
        if shown and shown != self.weighed_warning:
            self.app.push_screen(
                Confirm(f"Warning: {shown}.", "y saves it as it is · n or esc goes back to change it"),
                lambda yes: self._weighed(shown) if yes else None,
            )
            return
        self.busy = True
        self._say("#refusal", "checking…")
        rationale = self.query_one("#rationale", RationaleArea).text
        decision = Decision(
            self.detail["id"], self.spec.name, rationale, self._values(), expected_version=self.detail["version"]
        )
        self._submit(decision)

    def _weighed(self, shown: str) -> None:
        """The user read the warning and chose to save: save."""
        self.weighed_warning = shown
        self.action_submit()

    @work(thread=True, exclusive=True, group="decide", exit_on_error=False)
    def _submit(self, decision: Decision) -> None:
        """Run the one write path in a worker thread with its own connection."""
        try:
            with self.app.handle.open() as store:
                store.waiting = lambda what: self.app.call_from_thread(self._say, "#refusal", f"{what}…")
                outcome = decide(store, self.app.actor, decision)
        except Conflict as conflict:
            self.post_message(self.Finished(conflict))
        except RegistrarError as error:
            self.post_message(self.Refused(error.message))
        else:
            self.post_message(self.Finished(outcome))

    @on(Refused)
    def show_refusal(self, message: Refused) -> None:
        """Explain the refusal in place; nothing was written."""
        self.busy = False
        self._say("#refusal", message.message.rstrip(".") + ". Nothing was saved.")

    @on(Finished)
    def finish(self, message: Finished) -> None:
        self.dismiss(message.result)

    @property
    def _draft_key(self) -> tuple[int, str]:
        """Drafts are kept per request and action."""
        return (int(self.detail["id"]), self.spec.name)

    def action_cancel(self) -> None:
        """Close without deciding; typed words are kept as a draft for this request until the workbench closes."""
        text = self.query_one("#rationale", RationaleArea).text
        if text.strip() and text != self.template:
            self.app.drafts[self._draft_key] = text
            self.notify("Kept as a draft: the same action on this request brings it back.", title="Draft")
        self.dismiss(None)


PREFILLS = (
    ("[what it is, e.g. CCTV or a written statement]", "avi_type", "avi_type"),
    ("[what it is]", "avi_type", "avi_type"),
    ("[source]", "avi_source", "avi_source"),
    ("[surviving crime reference]", "surviving_reference", "surviving_reference"),
    ("[current code]", "current_code", "crime_offence_code"),
    ("[proposed code]", "proposed_code", "proposed_code"),
    ("[force]", "force", "other_force_name"),
    ("[Force]", "force", "other_force_name"),
    ("[reference]", "other_reference", "other_reference"),
)


PROMPTED_FIELDS = frozenset({"avi_type", "avi_source", "surviving_reference", "other_reference"})  # prompts name them
LINKED_FIELDS = frozenset({"other_reference"})  # a text field a template's prompt names: typed once, in the field


def _span(text: str, start: int, length: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The (row, column) locations in a text area of `length` characters from offset `start` of its text."""

    def location(offset: int) -> tuple[int, int]:
        """The row and column of a character offset."""
        before = text[:offset]
        return before.count("\n"), offset - (before.rfind("\n") + 1)

    return location(start), location(start + length)


def _continues(text: str, offset: int) -> bool:
    """True when the character at an offset goes on a word, code or reference (so the value there was edited)."""
    return offset < len(text) and (text[offset].isalnum() or text[offset] in "/-_")


def _names(text: str, value: str) -> bool:
    """True when the text names the value as a whole (not as part of a longer code or reference)."""
    return re.search(rf"(?<![\w/-]){re.escape(value)}(?![\w/-])", text) is not None


def prefill(template: str, detail: dict) -> tuple[str, dict[str, str]]:
    """Fill the prompts the request already answers; return the text and what went in, by field."""
    filled: dict[str, str] = {}
    for prompt, field_name, column in PREFILLS:
        value = detail.get(column)
        if value and prompt in template:
            shown = _as_read(field_name, str(value))
            template = template.replace(prompt, shown)
            filled[field_name] = shown
    if detail.get("avi_obtained_at") and "obtained on [date]" in template:
        template = template.replace("obtained on [date]", f"obtained on {str(detail['avi_obtained_at'])[:10]}")
    return template, filled


def _as_read(field_name: str, value: str) -> str:
    """A field's value as it reads in a sentence: a choice by its label."""
    choices = FIELDS[field_name].choices if field_name in FIELDS else None
    if choices and value in choices:
        return choices[value].label
    return value
