"""The demo force's incidents: a year of calls in proportion to its crimes, a few missed crimes, and recording audits."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from registrar.access.identity import Actor
from registrar.base.clock import stamp
from registrar.oversight.incidents import add_incidents
from registrar.oversight.recording import RecordingWeights, draw_recording_sample, record_recording_verdict
from registrar.reading import views
from registrar.storage.store import Store

from . import texts

# Opening codes of incidents closed without a crime, with their share and what callers say.
QUIET_CALLS = {
    "ASB": (18, "Youths gathering and shouting near {place} ({time}); moved on, no offences."),
    "CONCERN": (14, "Caller worried for a neighbour not seen for days at {place}; found safe and well."),
    "SUSPICIOUS": (10, "Person looking into parked cars near {place} ({time}); area searched, nothing found."),
    "ALARM": (6, "Intruder alarm sounding at {place} ({time}); premises secure, faulty sensor."),
    "RTC": (7, "Two vehicles in a minor collision near {place}; details exchanged, no injuries."),
    "MISSING": (4, "Teenager late home from {place}; returned safe before officers arrived."),
    "ADMIN": (9, "Caller asking for advice about a civil dispute over {item}; signposted to Citizens Advice."),
    "DOMESTIC": (7, "Verbal argument between partners at home; no offences disclosed, DASH completed, advice given."),
    "VIOLENCE": (3, "Report of a fight near {place} ({time}); area checked, no one found, no victim traced."),
    "THEFT": (5, "Caller thought {item} was stolen from {place}; later found it had been mislaid."),
    "DAMAGE": (4, "Bin blown over against a car at {place} overnight; accidental, no offence."),
    "NOISE": (6, "Loud music from a party at {place} ({time}); turned down when asked."),
    "HIGHWAY": (5, "Debris in the road near {place}; highways informed."),
    "SEXUAL": (1, "Caller reports a man staring at her at {place}; no offence disclosed, advice given."),
}
# What a missed crime sounds like, its opening code and the offence the audit records.
MISSED_CALLS = (
    (
        "DOMESTIC",
        "Caller says her partner slapped her during an argument at {place}; officers gave advice.",
        "105A",
        {"domestic_abuse": 1},
    ),
    (
        "DOMESTIC",
        "Child tells the call-taker that dad pushed mum into a wall at {place}.",
        "105A",
        {"domestic_abuse": 1, "child_at_risk": 1},
    ),
    ("VIOLENCE", "Man punched in the face outside {place} ({time}); cut lip, declined to make a statement.", "8N", {}),
    (
        "CONCERN",
        "Carer says an elderly resident at {place} has bruises and money missing from her purse.",
        "8N",
        {"adult_at_risk": 1},
    ),
    ("THEFT", "{item_cap} taken from a shed at {place}; caller only wanted a log for insurance.", "49", {}),
    ("ASB", "Neighbour shouting racist abuse at the caller at {place} ({time}).", "9A", {"hate_crime": 1}),
    (
        "SEXUAL",
        "Woman says a man grabbed her bottom on a bus near {place}; she did not want to give details.",
        "17B",
        {},
    ),
)
RAPE_CALLS = (
    (
        "Friend reports that the caller's sister was raped after a party at {place}; sister not yet spoken to.",
        "third-party-unconfirmed",
    ),
    (
        "Teacher passes on a pupil's friend's account that the pupil was raped; the pupil denies it.",
        "third-party-unconfirmed",
    ),
    ("Anonymous caller says a woman at {place} was raped last year; no details to trace her.", "victim-not-traced"),
)
OPENING_FOR_GROUP = {
    "Violence Against the Person": "VIOLENCE",
    "Sexual Offences": "SEXUAL",
    "Theft": "THEFT",
    "Robbery": "ROBBERY",
    "Criminal Damage and Arson": "DAMAGE",
    "Public Order Offences": "ASB",
    "Drug Offences": "DRUGS",
    "Possession of Weapons Offences": "WEAPONS",
    "Miscellaneous Crimes Against Society": "ADMIN",
}
# Of the crimes a force records, the share that came from an incident (the rest from MASH, online reports, etc.).
CRIMES_FROM_INCIDENTS = 0.8
# Incidents that should have been crimes but were closed without one (the model force missed 4 of 117).
MISS_RATE = 0.034
RAPE_REPORT_SHARE = 0.0004
CHUNK = 20_000


@dataclass
class DemoIncidents:
    """What the generator knows about its incidents: the truth an auditor would find."""

    missed: dict[str, str] = field(default_factory=dict)
    rape_reports: dict[str, str] = field(default_factory=dict)


def build_incidents(
    store: Store,
    rng: random.Random,
    fcr: Actor,
    clock,
    now: datetime,
    crimes: list[tuple[str, str, str, str, int, str, str]],
    ratio: float,
    progress: Callable[[int], None] = lambda done: None,
) -> DemoIncidents:
    """A year of incidents ending at `now`: `ratio` incidents per crime recorded in that year, imported a chunk at a
    time as the records system would send them (only the calls' times and kinds are held for the whole year).

    `crimes` are (reference, offence group, subgroup, recorded_at, domestic_abuse, area, summary) for the crimes of
    the year: an incident that produced a crime says what the crime says, in the same area.
    """
    truth = DemoIncidents()
    start = now - timedelta(days=365)
    span = (now - timedelta(hours=2) - start).total_seconds()
    linked = [crime for crime in crimes if rng.random() < CRIMES_FROM_INCIDENTS]
    total = max(len(linked), round(len(crimes) * ratio))
    missed = round(len(linked) * MISS_RATE / (1 - MISS_RATE))
    rape = max(3, round(total * RAPE_REPORT_SHARE))
    quiet = max(0, total - len(linked) - missed - rape)
    calls: list[tuple[float, int, int]] = []
    for index, (_, _, _, recorded_at, *_) in enumerate(linked):
        recorded = datetime.fromisoformat(recorded_at.replace("Z", "+00:00"))
        hours = rng.uniform(24, 96) if rng.random() < 0.05 else rng.uniform(0.2, 20)
        calls.append(((recorded - start).total_seconds() - hours * 3600, LINKED, index))
    calls += [(rng.random() * span, QUIET, 0) for _ in range(quiet)]
    calls += [(rng.random() * span, MISSED, 0) for _ in range(missed)]
    calls += [(rng.random() * span, RAPE, n) for n in range(rape)]
    calls.sort()
    maker = _CallMaker(rng, linked, truth)
    for first in range(0, len(calls), CHUNK):
        chunk = calls[first : first + CHUNK]
        rows, links = maker.rows(chunk, first, start)
        clock.moment = min(now - timedelta(hours=1), start + timedelta(seconds=chunk[-1][0] + 3600))
        with store.acting(fcr) as (conn, actor):
            add_incidents(conn, store, actor, rows, links, "the demo force's command-and-control system", {})
        progress(len(chunk))
    return truth


def _inside(text: str) -> str:
    """A sentence continued after a colon: its first letter lowered."""
    return text[:1].lower() + text[1:]


LINKED, QUIET, MISSED, RAPE = range(4)
CLOSING_CODES = ("ADVICE", "NFA", "RESOLVED")
POOL = 120


def _pool(rng: random.Random, template: str) -> list[str]:
    """Filled-in variants of a template, drawn from per incident (filling each one afresh is the slow part)."""
    return [texts.fill(rng, template) for _ in range(POOL)]


class _CallMaker:
    """Turns a call's time and kind into an incident row, noting the truth an auditor would find."""

    def __init__(self, rng: random.Random, linked: list, truth: DemoIncidents):
        self.rng = rng
        self.linked = linked
        self.truth = truth
        self.areas = [name for name, weight in texts.AREAS for _ in range(weight)]
        self.quiet_codes = [code for code, (weight, _) in QUIET_CALLS.items() for _ in range(weight)]
        self.said = {code: _pool(rng, template) for code, (_, template) in QUIET_CALLS.items()}
        self.missed = [(call, _pool(rng, call[1])) for call in MISSED_CALLS]

    def rows(self, chunk: list, offset: int, start: datetime) -> tuple[list[tuple], list[dict]]:
        """The chunk's incident rows and their links to crimes."""
        rng = self.rng
        rows, links = [], []
        for index, (seconds, kind, payload) in enumerate(chunk, start=offset + 1):
            opened = start + timedelta(seconds=int(seconds))
            number = f"S{opened.year % 100:02d}-{index:06d}"
            flags: dict[str, int] = {}
            if kind == LINKED:
                reference, group, subgroup, _, domestic, area, said = self.linked[payload]
                code = (
                    "RAPE"
                    if subgroup == "Rape"
                    else ("DOMESTIC" if domestic else OPENING_FOR_GROUP.get(group, "ADMIN"))
                )
                summary = said
                flags["domestic_abuse"] = domestic
                links.append({"number": number, "reference": reference, "link": "recorded"})
            elif kind == QUIET:
                code = rng.choice(self.quiet_codes)
                summary = rng.choice(self.said[code])
                flags = {"domestic_abuse": int(code == "DOMESTIC"), "child_at_risk": int(code == "MISSING")}
            elif kind == MISSED:
                (code, _, offence, flags), pool = rng.choice(self.missed)
                summary = rng.choice(pool)
                self.truth.missed[number] = offence
            else:
                template, reason = RAPE_CALLS[payload % len(RAPE_CALLS)]
                code, summary = "RAPE", texts.fill(rng, template)
                self.truth.rape_reports[number] = reason
            if kind != LINKED:
                area = rng.choice(self.areas)
            rows.append(
                (
                    number,
                    stamp(opened),
                    None,
                    code,
                    "CRIME" if kind == LINKED else rng.choice(CLOSING_CODES),
                    area,
                    int(kind == LINKED),
                    flags.get("domestic_abuse", 0),
                    flags.get("child_at_risk", 0),
                    flags.get("adult_at_risk", 0),
                    flags.get("hate_crime", 0),
                    int(code == "RAPE"),
                    summary,
                )
            )
        return rows, links


def audit_incidents(
    store: Store, rng: random.Random, clock, now: datetime, truth: DemoIncidents, fcr: Actor, auditor: Actor
) -> None:
    """A recording audit of four weeks' incidents, worked to the end three weeks ago (with the year's older reports of rape), and last week's
    sample awaiting verdicts."""
    weights = RecordingWeights.from_setting(store.settings().get("recording_audit"))
    clock.moment = now - timedelta(days=20)
    draw_recording_sample(
        store, fcr, stamp(now - timedelta(days=49)), stamp(now - timedelta(days=21)), rng.randrange(2**31), weights
    )
    items = views.recording_reviews(store.conn, pending=True)
    for n, item in enumerate(items):
        if item["opened_at"] >= stamp(now - timedelta(days=21)):
            continue
        clock.moment = now - timedelta(days=19, minutes=-n * 6)
        number = item["number"]
        who = fcr if item["seniors_only"] else auditor
        if number in truth.rape_reports:
            record_recording_verdict(
                store,
                fcr,
                item["id"],
                "n100",
                "Reviewed the report: the person named does not confirm an offence; kept as an N100.",
                reason=truth.rape_reports[number],
            )
        elif number in truth.missed:
            record_recording_verdict(
                store,
                who,
                item["id"],
                "record-now",
                f"The caller described an offence that was not recorded: {_inside(item['summary'])}",
                offences=[truth.missed[number]],
            )
        elif item["crime_recorded"]:
            record_recording_verdict(store, who, item["id"], "recorded-correctly")
        else:
            reason = "victim-not-traced" if item["opening_code"] == "VIOLENCE" else "no-offence"
            record_recording_verdict(store, who, item["id"], "not-a-crime", reason=reason)
    clock.moment = now - timedelta(hours=2)
    draw_recording_sample(
        store, fcr, stamp(now - timedelta(days=7)), stamp(now - timedelta(hours=2)), rng.randrange(2**31), weights
    )
