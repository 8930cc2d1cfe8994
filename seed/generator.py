"""The deterministic demo and scale generator: a force's crimes, users, history and today's open work."""

import bisect
import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from queries import sql
from registrar.access.identity import Actor
from registrar.administration import admin
from registrar.base.clock import stamp, system_clock
from registrar.decisions.decide import Decision, apply_decision
from registrar.decisions.effects import AT_RISK_SUBJECTS, PROFESSIONAL_AGENCIES
from registrar.decisions.rules import RuleContext
from registrar.intake.imports import add_crimes, due_at, insert_request
from registrar.oversight.audit import SampleRates, draw_sample, record_verdict
from registrar.reading import views
from registrar.storage.store import Store

from . import texts
from .incidents import DemoIncidents, audit_incidents, build_incidents

MODEL_YEAR_CRIMES = 87_584
# Incidents logged for each crime recorded (a force logs several calls for every crime).
INCIDENT_RATIO = 4.0
# The model force's 2024 recorded crime by (group, subgroup); burglary of unconnected buildings
# (633) is counted with residential burglary, as the offence list carries no subgroup of its own.
MODEL_SUBGROUPS = {
    "Stalking and Harassment": 14_990,
    "Violence without Injury": 11_675,
    "Violence with Injury": 10_425,
    "Homicide": 11,
    "Death or Serious Injury Caused by Unlawful Driving": 24,
    "Shoplifting": 7_501,
    "Other Theft": 6_383,
    "Vehicle Offences": 5_149,
    "Residential Burglary": 3_003,
    "Burglary Business and Community": 1_279,
    "Bicycle Theft": 744,
    "Theft from the Person": 301,
    "Public Order Offences": 8_333,
    "Criminal Damage": 7_281,
    "Arson": 457,
    "Rape": 1_271,
    "Other Sexual Offences": 2_522,
    "Trafficking of Drugs": 488,
    "Possession of Drugs": 1_952,
    "Miscellaneous Crimes Against Society": 1_870,
    "Possession of Weapons Offences": 1_117,
    "Robbery of Business Property": 100,
    "Robbery of Personal Property": 708,
}
CODE_WEIGHTS = {
    "8N": 80,
    "5D": 5,
    "2": 0.5,
    "5E": 2,
    "4/7": 0.2,
    "8P": 3,
    "8S": 4,
    "8T": 5,
    "105A": 70,
    "104": 8,
    "105B": 5,
    "3B": 8,
    "11A": 5,
    "13": 1,
    "36": 1,
    "106": 1,
    "3A": 0.1,
    "8L": 25,
    "8M": 3,
    "8Q": 15,
    "8R": 35,
    "8U": 22,
    "1": 8,
    "4/1": 3,
    "4/2": 0,
    "4/10": 0,
    "19C": 55,
    "19D": 15,
    "19E": 8,
    "19F": 5,
    "19G": 4,
    "19H": 3,
    "17A": 4,
    "17B": 2,
    "20A": 35,
    "20B": 8,
    "21": 5,
    "22A": 3,
    "22B": 10,
    "23": 2,
    "70": 1,
    "71": 3,
    "72": 0.5,
    "73": 1,
    "88A": 4,
    "88C": 5,
    "88E": 12,
    "28E": 55,
    "28F": 25,
    "28G": 3,
    "28H": 1,
    "29A": 1,
    "30C": 75,
    "30D": 22,
    "31A": 1,
    "37/2": 2,
    "45": 40,
    "48": 30,
    "126": 15,
    "49": 60,
    "40": 10,
    "41": 5,
    "47": 1,
    "49A": 20,
    "35": 4,
    "56A": 10,
    "56B": 90,
    "58A": 30,
    "58B": 15,
    "58C": 35,
    "58D": 20,
    "58J": 2,
    "9A": 80,
    "9B": 12,
    "62A": 2,
    "66": 6,
    "92A": 85,
    "92C": 15,
    "92D": 35,
    "92E": 65,
    "10D": 45,
    "10C": 20,
    "10A": 3,
    "10B": 10,
    "81": 2,
    "90": 20,
    "99": 10,
    "54": 10,
    "33": 8,
    "33A": 6,
    "79": 10,
    "83": 5,
    "802": 20,
    "814": 3,
    "95": 2,
    "59": 8,
    "61": 3,
    "61A": 5,
    "24": 1,
    "27": 1,
    "38": 3,
    "67": 1,
    "76": 0.5,
    "80": 2,
    "86": 3,
}
FLAG_RATES = {  # offence group: (domestic abuse, hate crime, vulnerable victim)
    "Violence Against the Person": (0.35, 0.03, 0.10),
    "Sexual Offences": (0.30, 0.01, 0.30),
    "Criminal Damage and Arson": (0.12, 0.02, 0.05),
    "Public Order Offences": (0.05, 0.10, 0.03),
}
OTHER_FLAG_RATES = (0.03, 0.005, 0.04)
NEIGHBOURS = ("DER", "WMP", "WMC", "CHE", "LEI", "NOT", "WAR", "GMP", "MER", "BTP")
DAILY_REQUESTS = {
    "cancellation": 5.0,
    "reclassification": 4.0,
    "transfer_out": 2.0,
    "transfer_in": 1.5,
    "referral": 8.0,
}
AGENCIES = (("CSC", 35), ("EDU", 15), ("HEA", 15), ("ASC", 10), ("DAS", 10), ("HOU", 5), ("PRO", 5), ("YOS", 5))
DEMO_FCR = "fiona"
STAFF = {
    "fiona": ("fcr", "Fiona Hale"),
    "derek": ("dfcr", "Derek Osei"),
    "carol": ("fcm", "Carol Brennan"),
    "dan": ("ddm", "Dan Mensah"),
    "dora": ("ddm", "Dora Kowalski"),
    "deepak": ("ddm", "Deepak Shah"),
    "dawn": ("ddm", "Dawn Fletcher"),
    "audrey": ("auditor", "Audrey Quinn"),
    "vic": ("viewer", "Vic Turner"),
    "mash.desk": ("requester", "MASH desk"),
    "validator": ("requester", "Crime validation team"),
}
SENIORS = ("fiona", "carol", "derek")
DDMS = ("dan", "dora", "deepak", "dawn")
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass
class SimulatedClock:
    """A clock the generator moves forward as its history unfolds."""

    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


def allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights` by largest remainder, so shares are exact."""
    weight_sum = sum(weights.values())
    exact = {key: total * weight / weight_sum for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    short = total - sum(counts.values())
    for key in sorted(exact, key=lambda k: (counts[k] - exact[k], k))[:short]:
        counts[key] += 1
    return counts


@dataclass
class Force:
    """The generated force: its crimes in memory, for choosing which ones requests are about."""

    offences: dict[str, dict]
    codes: list[str]
    recorded: list[str]
    oics: list[str]
    references: list[str]
    domestic: list[int]
    areas: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    busy: set[int] = field(default_factory=set)
    first_id: int = 1

    def crime_id(self, index: int) -> int:
        """The store's id of the crime at `index` in the kept lists."""
        return self.first_id + index


CRIME_CHUNK = 100_000
RECLASS_PATHS: dict[str, list[tuple[str, str]]] = {}
for _from, _to, _info in texts.RECLASS_PATHS:
    RECLASS_PATHS.setdefault(_from, []).append((_to, _info))
# The reclassifications that move a crime out of the restricted class (a ddm must refer them).
RESTRICTED_DOWNGRADES = {"20A": [(to, info) for to, info in RECLASS_PATHS["20A"] if to == "105A"]}


class _CrimeMaker:
    """Turns offence codes and times into crime rows, numbering references per year across chunks."""

    def __init__(self, rng: random.Random, offences: dict, officers: list[str]):
        self.rng = rng
        self.offences = offences
        self.summaries = {
            sub: [texts.fill(rng, template) for _ in range(150)] for sub, template in texts.SUBGROUP_SUMMARIES.items()
        }
        own = random.Random("offence summaries")  # its own draws, so the rest of the force is as the seed made it
        self.code_summaries = {
            code: [texts.fill(own, template) for _ in range(150)] for code, template in texts.CODE_SUMMARIES.items()
        }
        self.areas = [name for name, weight in texts.AREAS for _ in range(weight)]
        self.area_officers = {name: officers[i :: len(texts.AREAS)] for i, (name, _) in enumerate(texts.AREAS)}
        self.counters: dict[str, int] = {}

    def rows(self, codes: list[str], seconds: list[int], start: datetime) -> list[tuple]:
        """One chunk of crime rows (values in CRIME_ROW order), in time order."""
        rng = self.rng
        rows = []
        for code, offset in zip(codes, seconds, strict=True):
            moment = start + timedelta(seconds=offset)
            when = stamp(moment)
            year = when[:4]
            self.counters[year] = self.counters.get(year, 0) + 1
            offence = self.offences[code]
            da, hate, vulnerable = FLAG_RATES.get(offence["offence_group"], OTHER_FLAG_RATES)
            area = rng.choice(self.areas)
            rows.append(
                (
                    f"CR-{year}-{self.counters[year]:06d}",
                    code,
                    when,
                    stamp(moment - timedelta(minutes=rng.randint(5, 4320))),
                    area,
                    rng.choice(self.area_officers[area]),
                    int(rng.random() < da),
                    int(rng.random() < hate),
                    int(rng.random() < vulnerable),
                    rng.choice(self.code_summaries.get(code) or self.summaries[offence["subgroup"]]),
                    "demo",
                )
            )
        return rows


class Generator:
    """Builds one store from one seed: same seed and time, same store."""

    def __init__(
        self, seed: int, crimes: int, now: datetime, history_days: int = 180, incident_ratio: float = INCIDENT_RATIO
    ):
        self.rng = random.Random(seed)
        self.crime_count = crimes
        self.now = now.replace(microsecond=0)
        self.history_days = history_days
        self.incident_ratio = incident_ratio
        self.years = max(1, round(crimes / 100_000))
        self.scale = crimes / self.years / MODEL_YEAR_CRIMES
        self.clock = SimulatedClock(self.now)
        self.events: list = []
        self.counter = itertools.count()
        self.progress: Progress = lambda done, stage="": None

    def build(self, path: Path) -> Store:
        """Create the store at `path` with users, crimes, history and open work."""
        self.progress(0, STAGE_NAMES[0])
        self.clock.moment = self.now - timedelta(days=365 * self.years + 1)
        store = Store.create(
            path, fcr=DEMO_FCR, fcr_name=STAFF[DEMO_FCR][1], demo=True, force_code="STA", clock=self.clock
        )
        store.conn.execute("PRAGMA synchronous = OFF")
        officers = self._officers()
        fcr = Actor(DEMO_FCR, "fcr", STAFF[DEMO_FCR][1], "demo")
        for username, (role, name) in list(STAFF.items())[1:]:
            admin.add_user(store, fcr, username, role, name)
        for username in officers[:12]:
            admin.add_user(store, fcr, username, "requester", _officer_name(username))
        for area, _ in texts.AREAS:
            admin.add_area(store, fcr, area)
        self.users = {
            row["username"]: Actor(row["username"], row["role"], row["display_name"])
            for row in store.conn.execute(sql("users_all"))
        }
        self.requesters = officers[:12]
        self.progress(1, STAGE_NAMES[1])
        self.force = self._insert_crimes(store, officers)
        self.progress(1, STAGE_NAMES[2])
        self._history(store)
        self.progress(1, STAGE_NAMES[3])
        truth = self._incidents(store)
        self.progress(1, STAGE_NAMES[4])
        self._audits(store)
        audit_incidents(store, self.rng, self.clock, self.now, truth, self.users[DEMO_FCR], self.users["audrey"])
        self.progress(1, "done")
        store.conn.execute("PRAGMA synchronous = FULL")
        store.clock = system_clock
        return store

    def _serious(self, offence: dict) -> bool:
        """A serious class, whose downgrade or closure without a crime is for a senior."""
        return bool(offence["restricted"]) or offence["code"] in self.settings["serious_codes"]

    def _officers(self) -> list[str]:
        """Officer accounts who investigate crimes; the first twelve are also requesters."""
        names = sorted({f"pc.{self.rng.choice(texts.SURNAMES).lower()}{self.rng.randint(1, 99)}" for _ in range(90)})
        self.rng.shuffle(names)
        return names[:80]

    def _insert_crimes(self, store: Store, officers: list[str]) -> Force:
        """Generate the crimes a chunk at a time, in time order and in the model's exact mix, keeping in memory only
        the last year's (what requests and incidents are drawn from), so memory stays flat whatever the count."""
        rng = self.rng
        offences = {row["code"]: dict(row) for row in store.conn.execute(sql("reference_offences"))}
        by_subgroup: dict[str, dict[str, float]] = {}
        for code, offence in offences.items():
            by_subgroup.setdefault(offence["subgroup"], {})[code] = CODE_WEIGHTS.get(code, 1)
        remaining: dict[str, int] = {}
        for subgroup, count in allocate(self.crime_count, MODEL_SUBGROUPS).items():
            for code, n in allocate(count, by_subgroup[subgroup]).items():
                remaining[code] = remaining.get(code, 0) + n
        start = self.now - timedelta(days=365 * self.years)
        span = (self.now - HOUR - start).total_seconds()
        chunks = max(1, -(-self.crime_count // CRIME_CHUNK))
        keep_from = stamp(self.now - timedelta(days=366))
        maker = _CrimeMaker(rng, offences, officers)
        force = Force(offences, [], [], [], [], [])
        made = 0
        for chunk in range(chunks):
            size = (self.crime_count * (chunk + 1)) // chunks - made
            codes = [code for code, n in allocate(size, remaining).items() for _ in range(n)]
            for code in codes:
                remaining[code] -= 1
            rng.shuffle(codes)
            low, high = span * chunk / chunks, span * (chunk + 1) / chunks
            seconds = sorted(int(low + rng.random() * (high - low)) for _ in codes)
            rows = maker.rows(codes, seconds, start)
            add_crimes(store, self.users[DEMO_FCR], rows, "the demo generator")
            for position, row in enumerate(rows, start=made + 1):
                if row[2] >= keep_from:
                    if not force.codes:
                        force.first_id = position
                    force.codes.append(row[1])
                    force.recorded.append(row[2])
                    force.oics.append(row[5])
                    force.references.append(row[0])
                    force.domestic.append(row[6])
                    force.areas.append(row[4])
                    force.summaries.append(row[9])
            made += size
        return force

    def _incidents(self, store: Store) -> DemoIncidents:
        """The last year's incidents, in proportion to the crimes recorded in it."""
        cutoff = stamp(self.now - timedelta(days=365))
        force = self.force
        year = [
            (
                reference,
                force.offences[code]["offence_group"],
                force.offences[code]["subgroup"],
                at,
                domestic,
                area,
                said,
            )
            for reference, code, at, domestic, area, said in zip(
                force.references, force.codes, force.recorded, force.domestic, force.areas, force.summaries, strict=True
            )
            if at >= cutoff
        ]
        return build_incidents(store, self.rng, self.users[DEMO_FCR], self.clock, self.now, year, self.incident_ratio)

    # --- history ------------------------------------------------------------------------------

    def _at(self, moment: datetime, step: Callable[[], None]) -> None:
        """Schedule a step of a request's life; steps after now never happen (the work stays open)."""
        if moment < self.now:
            heapq.heappush(self.events, (moment, next(self.counter), step))

    def _history(self, store: Store) -> None:
        """Raise and decide months of requests through the real write path, then today's open work."""
        self.store = store
        self.settings = store.settings()
        first_day = (self.now - timedelta(days=self.history_days)).replace(hour=0, minute=0, second=0)
        day = first_day
        while day < self.now:
            weekday = day.weekday() < 5
            for kind, rate in DAILY_REQUESTS.items():
                mean = rate * self.scale * (1.15 if weekday else 0.6)
                for _ in range(int(mean) + (self.rng.random() < mean - int(mean))):
                    moment = day + timedelta(hours=self.rng.uniform(7, 19) if weekday else self.rng.uniform(9, 17))
                    self._at(moment, self._lifecycle(kind))
            day += DAY
        self._todays_work()
        current_day = None
        while self.events:
            moment, _, step = heapq.heappop(self.events)
            if moment.date() != current_day:
                if current_day is not None:
                    store.conn.execute("COMMIT")
                store.conn.execute("BEGIN IMMEDIATE")
                current_day = moment.date()
            self.clock.moment = moment
            step()
        if current_day is not None:
            store.conn.execute("COMMIT")
        self.clock.moment = self.now

    def _decide(self, who: str, request_id: int, action: str, rationale: str, **fields) -> None:
        """Apply one decision through the write path at the simulated time."""
        ctx = RuleContext(self.store.conn, self.settings, self.users[who], stamp(self.clock.moment))
        apply_decision(ctx, Decision(request_id, action, rationale, fields))

    def _raise(self, who: str, record: dict) -> int:
        """Raise one request through the write path at the simulated time."""
        now = stamp(self.clock.moment)
        record = {"requested_by": who, "requested_at": now, "summary": "", **record}
        record["due_at"] = due_at(self.settings, record["kind"], record)
        request_id, _ = insert_request(self.store.conn, self.users[who], record, now, {"source": "demo"})
        return request_id

    def _pick_crime(
        self,
        before: datetime,
        within_days: int = 45,
        restricted: bool | None = None,
        codes: frozenset[str] | None = None,
    ) -> int | None:
        """Choose a recorded crime (its index) recorded in the weeks before `before` and not in use, of one of
        `codes` when given."""
        force = self.force
        high = bisect.bisect_left(force.recorded, stamp(before))
        low = bisect.bisect_left(force.recorded, stamp(before - timedelta(days=within_days)))
        if high <= low:
            return None
        for _ in range(400):
            index = self.rng.randrange(low, high)
            if index in force.busy or (codes is not None and force.codes[index] not in codes):
                continue
            if restricted is not None and bool(force.offences[force.codes[index]]["restricted"]) != restricted:
                continue
            force.busy.add(index)
            return index
        return None

    def _requester_for(self, index: int) -> str:
        """The officer who raises a request: the officer in charge when they are a requester."""
        oic = self.force.oics[index]
        return oic if oic in self.requesters else self.rng.choice(self.requesters)

    def _later(self, low_hours: float, high_hours: float) -> datetime:
        """A moment some hours after the simulated now."""
        return self.clock.moment + timedelta(hours=self.rng.uniform(low_hours, high_hours))

    def _date(self) -> str:
        """The simulated date, for evidence texts."""
        return stamp(self.clock.moment - timedelta(days=self.rng.randint(1, 5)))[:10]

    def _lifecycle(self, kind: str, script: str | None = None) -> Callable[[], None]:
        """The step that raises a request of `kind` and schedules the rest of its life."""
        return {
            "cancellation": self._cancellation,
            "reclassification": self._reclassification,
            "transfer_out": self._transfer_out,
            "transfer_in": self._transfer_in,
            "referral": self._referral,
        }[kind](script)

    # --- the life of each kind of request ------------------------------------------------------

    def _ddm(self) -> str:
        """A designated decision maker."""
        return self.rng.choice(DDMS)

    def _senior(self) -> str:
        """The FCR, the deputy or the crime manager."""
        return self.rng.choice(SENIORS)

    def _cancellation(self, script: str | None) -> Callable[[], None]:
        """Raise a cancellation and decide it, referring restricted ones up."""
        rng = self.rng

        def start() -> None:
            index = self._pick_crime(
                self.clock.moment, restricted=True if script in ("restricted", "referred") else None
            )
            if index is None:
                return
            ground = rng.choices(("C2", "C3", "C4"), (50, 30, 20))[0] if script != "restricted" else "C2"
            record = {"kind": "cancellation", "crime_id": self.force.crime_id(index), "cancellation_code": ground}
            offence = self.force.offences[self.force.codes[index]]
            answer: dict[str, str] = {}
            if ground == "C2":
                findings = texts.AVI_FINDINGS.get(offence["subgroup"], texts.AVI_FINDINGS["other"])
                avi_type, source, finding = rng.choice(findings)
                obtained = max(self._date(), self.force.recorded[index][:10])  # AVI comes after the report
                evidence = texts.fill(rng, finding, date=obtained)
                record.update(avi_description=evidence, avi_type=avi_type, avi_source=source, avi_obtained_at=obtained)
                answer = {"avi_shows": "no-crime"}
            elif ground == "C3":
                survivor = self._survivor_for(index)
                if survivor is None:
                    return
                why = texts.DUPLICATE_WHY + (
                    texts.VIOLENCE_DUPLICATE_WHY if offence["offence_group"] == "Violence Against the Person" else ()
                )
                evidence = texts.fill(rng, rng.choice(why))
                record.update(surviving_reference=self.force.references[survivor])
            else:
                errors = texts.ERRORS + (texts.THEFT_ERRORS if offence["offence_group"] == "Theft" else ())
                evidence = texts.fill(rng, rng.choice(errors))
                record.update(error_description=evidence)
            record["summary"] = f"Cancel as {ground}: {_sentence_inside(evidence)}."
            request_id = self._raise(self._requester_for(index), record)
            approve = rng.choice(texts.APPROVE_RATIONALE[ground]).format(
                evidence=evidence, evidence_inside=_sentence_inside(evidence)
            )
            serious = ground in ("C3", "C4") and offence["code"] in self.settings["serious_codes"]
            self._after_raise(
                request_id, script, bool(offence["restricted"]) or serious, approve, victim=True, **answer
            )

        return start

    def _survivor_for(self, index: int) -> int | None:
        """A recorded crime of the same subgroup recorded within days of crime `index`, at least as serious, that it
        duplicates (never a hidden downgrade)."""
        cancelled = self.force.offences[self.force.codes[index]]
        same = frozenset(code for code, o in self.force.offences.items() if o["subgroup"] == cancelled["subgroup"])
        recorded = datetime.fromisoformat(self.force.recorded[index].replace("Z", "+00:00"))
        for _ in range(60):
            survivor = self._pick_crime(min(recorded + 3 * DAY, self.clock.moment), within_days=6, codes=same)
            if survivor is None:
                return None
            kept = self.force.offences[self.force.codes[survivor]]
            if (
                survivor != index
                and kept["severity"] >= cancelled["severity"]
                and (kept["restricted"] or not cancelled["restricted"])
            ):
                return survivor
            self.force.busy.discard(survivor)
        return None

    def _after_raise(
        self,
        request_id: int,
        script: str | None,
        restricted: bool,
        approve: str,
        victim: bool,
        action: str = "approve",
        **fields,
    ) -> None:
        """Schedule the usual path: refer restricted items up, sometimes return, then decide."""
        rng = self.rng
        if script in ("pending", "restricted"):
            return
        if script == "referred" or (script is None and restricted):
            self._at(
                self._later(2, 30) if script is None else self.clock.moment,
                lambda: self._decide(self._ddm(), request_id, "refer", rng.choice(texts.REFER_RATIONALE)),
            )
            if script is None:
                self._at(
                    self._later(40, 120),
                    lambda: self._final(request_id, self._senior(), approve, victim, action, 0.55, **fields),
                )
            return
        if script == "returned" or (script is None and rng.random() < 0.08):
            self._at(
                self._later(4, 60) if script is None else self.clock.moment,
                lambda: self._decide(self._ddm(), request_id, "return", rng.choice(texts.RETURN_RATIONALE)),
            )
            if script is None:
                requester = self.store.conn.execute(sql("request_for_decision"), (request_id,)).fetchone()[
                    "requested_by"
                ]
                self._at(
                    self._later(70, 130),
                    lambda: self._decide(requester, request_id, "answer", rng.choice(texts.ANSWER_RATIONALE)),
                )
                self._at(
                    self._later(140, 220),
                    lambda: self._final(request_id, self._ddm(), approve, victim, action, 0.85, **fields),
                )
            return
        if script is None:
            self._at(
                self._later(6, 190),
                lambda: self._final(request_id, self._ddm(), approve, victim, action, 0.82, **fields),
            )

    def _final(
        self, request_id: int, who: str, approve: str, victim: bool, action: str, approve_share: float, **fields
    ) -> None:
        """Approve or reject; after a cancellation, usually record that the victim was told."""
        rng = self.rng
        if rng.random() < approve_share:
            self._decide(who, request_id, action, approve, **fields)
            if victim and rng.random() < 0.015:
                self._at(
                    self._later(240, 900),
                    lambda: self._decide(
                        "fiona",
                        request_id,
                        "reinstate",
                        "Dip-sample audit: the evidence did not meet the ground; reinstated.",
                    ),
                )
            if victim and rng.random() < 0.85:
                self._at(
                    self._later(2, 150),
                    lambda: self._decide(
                        rng.choice(self.requesters + list(DDMS)),
                        request_id,
                        "victim-informed",
                        "",
                        method=rng.choice(("phone", "phone", "letter", "in person", "email")),
                    ),
                )
            return
        rejection = texts.REJECT_RATIONALE if victim else texts.RECLASS_REJECT
        self._decide(who, request_id, "reject", rng.choice(rejection))

    def _reclassification(self, script: str | None) -> Callable[[], None]:
        """Raise a reclassification up, down or lateral, and decide it."""
        rng = self.rng

        def start() -> None:
            paths = RESTRICTED_DOWNGRADES if script == "downgrade" else RECLASS_PATHS
            index = self._pick_crime(self.clock.moment, codes=frozenset(paths))
            if index is None:
                return
            current = self.force.offences[self.force.codes[index]]
            to_code, info = rng.choice(paths[current["code"]])
            proposed = self.force.offences[to_code]
            record = {
                "kind": "reclassification",
                "crime_id": self.force.crime_id(index),
                "proposed_code": proposed["code"],
                "new_information": info,
                "summary": f"Reclassify {current['code']} to {proposed['code']}: {info}.",
            }
            request_id = self._raise(self._requester_for(index), record)
            serious = self._serious(current)
            down_from_serious = serious and (proposed["severity"] < current["severity"] or not self._serious(proposed))
            restricted = bool(current["restricted"] or proposed["restricted"] or down_from_serious)
            approve = rng.choice(texts.RECLASS_APPROVE).format(info=info, info_inside=_sentence_inside(info))
            self._after_raise(
                request_id, "pending" if script == "downgrade" else script, restricted, approve, victim=False
            )

        return start

    def _transfer_out(self, script: str | None) -> Callable[[], None]:
        """Raise a transfer out, send it, and record the other force's answer."""
        rng = self.rng

        def start() -> None:
            index = self._pick_crime(self.clock.moment, within_days=20)
            if index is None:
                return
            force = rng.choice(NEIGHBOURS)
            reason = texts.fill(rng, rng.choice(texts.TRANSFER_OUT), force=force)
            record = {
                "kind": "transfer_out",
                "crime_id": self.force.crime_id(index),
                "other_force": force,
                "summary": f"Transfer to {force}: {reason}.",
            }
            request_id = self._raise(self._requester_for(index), record)
            restricted = bool(self.force.offences[self.force.codes[index]]["restricted"])
            if script == "pending":
                return
            if script == "referred":
                self._decide(self._ddm(), request_id, "refer", rng.choice(texts.REFER_RATIONALE))
                return
            sender = self._senior() if restricted else self._ddm()
            self._at(
                self.clock.moment if script else self._later(8, 70),
                lambda: self._sent(request_id, sender, force, reason, script),
            )

        return start

    def _sent(self, request_id: int, sender: str, force: str, reason: str, script: str | None) -> None:
        """Send the transfer, then the other force answers days later."""
        rng = self.rng
        self._decide(sender, request_id, "send", f"{reason}; sent to {force} with the victim's details and markers.")
        if script == "sent":
            return
        if script == "disputed" or rng.random() < 0.2:
            dispute = texts.fill(rng, rng.choice(texts.TRANSFER_DISPUTE), force=force)
            self._at(
                self.clock.moment if script else self._later(48, 330),
                lambda: self._disputed(request_id, sender, force, dispute, script),
            )
            return
        self._at(self._later(48, 330), lambda: self._accepted(request_id, sender, force))

    def _disputed(self, request_id: int, who: str, force: str, dispute: str, script: str | None) -> None:
        """The other force disputed; the FCR escalates, and it ends accepted or withdrawn."""
        rng = self.rng
        self._decide(who, request_id, "disputed", f"{force} disputed the transfer.", reason=dispute)
        if script:
            return
        self._at(
            self._later(24, 120),
            lambda: self._decide(
                "fiona",
                request_id,
                "escalate",
                f"Escalated FCR to FCR: the evidence places the offence in {force}'s area.",
            ),
        )
        if rng.random() < 0.6:
            self._at(self._later(200, 500), lambda: self._accepted(request_id, "fiona", force))
        else:
            self._at(
                self._later(200, 500),
                lambda: self._decide(
                    "carol",
                    request_id,
                    "withdraw",
                    f"After escalation we keep the crime: {force} showed it began here.",
                ),
            )

    def _accepted(self, request_id: int, who: str, force: str) -> None:
        """The other force accepted: the crime is cancelled as C1 and the victim is usually told."""
        rng = self.rng
        reference = f"{force}/{self.clock.moment.year % 100}/{rng.randint(10000, 99999)}"
        self._decide(
            who,
            request_id,
            "accepted",
            f"{force} accepted the crime under their reference {reference}.",
            other_reference=reference,
        )
        if rng.random() < 0.85:
            self._at(
                self._later(2, 150),
                lambda: self._decide(
                    rng.choice(self.requesters),
                    request_id,
                    "victim-informed",
                    "",
                    method=rng.choice(("phone", "letter")),
                ),
            )

    def _transfer_in(self, script: str | None) -> Callable[[], None]:
        """Receive a transfer from another force and accept or dispute it."""
        rng = self.rng

        def start() -> None:
            force = rng.choice(NEIGHBOURS)
            code = rng.choice(self.force.codes)
            reason = texts.fill(rng, rng.choice(texts.TRANSFER_IN), force=force)
            area = rng.choice(texts.AREAS)[0]
            record = {
                "kind": "transfer_in",
                "other_force": force,
                "offence_code": code,
                "area": area,
                "other_reference": f"{force}/{self.clock.moment.year % 100}/{rng.randint(10000, 99999)}",
                "summary": f"{reason}; {self.force.offences[code]['name'].lower()}.",
            }
            request_id = self._raise("validator", record)
            restricted = bool(self.force.offences[code]["restricted"])
            if script == "pending":
                return
            if script == "referred":
                self._decide(self._ddm(), request_id, "refer", rng.choice(texts.REFER_RATIONALE))
                return
            who = self._senior() if restricted else self._ddm()
            if rng.random() < 0.85:
                self._at(
                    self._later(10, 90),
                    lambda: self._decide(
                        who, request_id, "accept", f"Accepted from {force}: the offence took place in {area}."
                    ),
                )
            else:
                self._at(
                    self._later(10, 90),
                    lambda: self._decide(
                        who,
                        request_id,
                        "dispute",
                        f"Disputed: enquiries place the offence in {force}'s area.",
                        reason=f"The address given is inside {force}'s boundary",
                    ),
                )

        return start

    def _referral(self, script: str | None) -> Callable[[], None]:
        """Receive a MASH referral and make the crime-recording decision, usually within 24 hours."""
        rng = self.rng
        clock_hours = {"fresh": 2, "near-clock": 20, "overdue": 30, "long-overdue": 50}

        def start() -> None:
            scenario = rng.choice(texts.REFERRAL_SCENARIOS)
            subject = scenario["subject"]
            agency = rng.choice(scenario["agencies"])
            ages = scenario.get("ages", (3, 15))
            text = texts.fill(rng, scenario["text"], ages=f"{ages[0]}-{ages[1]}")
            outcomes = scenario["outcomes"]
            outcome = rng.choices(list(outcomes), list(outcomes.values()))[0]
            suggested = rng.choice(scenario["codes"]) if outcome == "record" or rng.random() < 0.5 else None
            received = self.clock.moment - timedelta(hours=clock_hours.get(script, rng.uniform(0, 2)))
            record = {
                "kind": "referral",
                "agency": agency,
                "subject": subject,
                "summary": text + ".",
                "suggested_code": suggested,
                "received_at": stamp(received),
                "area": rng.choice(texts.AREAS)[0],
            }
            request_id = self._raise("mash.desk", record)
            if script in clock_hours:
                return
            if script in ("referred", "returned"):
                action = "refer" if script == "referred" else "return"
                lines = texts.REFER_RATIONALE if script == "referred" else texts.RETURN_RATIONALE
                self._decide(self._ddm(), request_id, action, rng.choice(lines))
                return
            restricted = bool(suggested and self.force.offences[suggested]["restricted"])
            late = rng.random() < 0.08
            delay = (rng.uniform(25, 60) if late else rng.lognormvariate(2.0, 0.6)) - (
                self.clock.moment - received
            ).total_seconds() / 3600
            professional = agency in PROFESSIONAL_AGENCIES and subject in AT_RISK_SUBJECTS
            closed_without_crime = outcome in ("cri", "no-crime")
            serious = bool(suggested and self._serious(self.force.offences[suggested]))
            senior_only = restricted or ((professional or serious) and closed_without_crime)
            who = self._senior() if senior_only else self._ddm()
            self._at(
                self.clock.moment + timedelta(hours=max(0.2, delay)),
                lambda: self._referral_decision(request_id, who, outcome, scenario, suggested),
            )

        return start

    def _referral_decision(
        self, request_id: int, who: str, outcome: str, scenario: dict, suggested: str | None
    ) -> None:
        """Record, close as CRI, no-crime or duplicate, with the reasons the referral's scenario gives."""
        rng = self.rng
        if outcome == "record":
            codes = [suggested or rng.choice(scenario["codes"])]
            others = [code for code in scenario["codes"] if code not in codes]
            if others and rng.random() < 0.25:
                codes.append(rng.choice(others))
            names = ", ".join(self.force.offences[c]["name"].lower() for c in codes)
            self._decide(who, request_id, "record", f"The referral discloses {names}: recorded.", offences=codes)
        elif outcome == "cri":
            self._decide(who, request_id, "cri", texts.CRI_RATIONALE, reason=scenario["cri"])
        elif outcome == "no-crime":
            self._decide(who, request_id, "no-crime", scenario["no_crime"] + ".")
        else:
            index = self._pick_crime(self.clock.moment, within_days=30)
            if index is None:
                return
            reference = self.force.references[index]
            self._decide(
                who,
                request_id,
                "duplicate",
                f"Already recorded as {reference} from the officer's own report.",
                crime_reference=reference,
            )

    def _todays_work(self) -> None:
        """Open work in every queue today, whatever the random history left open."""
        plan = [
            ("cancellation", "pending", 4),
            ("cancellation", "restricted", 2),
            ("cancellation", "referred", 1),
            ("cancellation", "returned", 1),
            ("reclassification", "pending", 3),
            ("reclassification", "downgrade", 1),
            ("reclassification", "referred", 1),
            ("reclassification", "returned", 1),
            ("transfer_out", "pending", 2),
            ("transfer_out", "referred", 1),
            ("transfer_out", "sent", 2),
            ("transfer_out", "disputed", 1),
            ("transfer_in", "pending", 2),
            ("transfer_in", "referred", 1),
            ("referral", "fresh", 2),
            ("referral", "near-clock", 2),
            ("referral", "overdue", 1),
            ("referral", "long-overdue", 1),
            ("referral", "referred", 1),
            ("referral", "returned", 1),
        ]
        for offset, (kind, script, count) in enumerate(plan):
            for n in range(count):
                moment = self.now - timedelta(minutes=90 - offset * 3 - n)
                self._at(moment, self._lifecycle(kind, script))

    def _audits(self, store: Store) -> None:
        """Dip-samples: an older month fully audited (with a reinstatement), and last fortnight's awaiting verdicts."""
        rng = self.rng
        fcr = self.users[DEMO_FCR]
        auditor = self.users["audrey"]
        self.clock.moment = self.now - timedelta(days=20)
        older = draw_sample(
            store,
            fcr,
            stamp(self.now - timedelta(days=80)),
            stamp(self.now - timedelta(days=21)),
            seed=self.rng.randrange(2**31),
            rates=SampleRates(0.5, kinds={"cancellation": 0.75}),
        )
        items = views.audit_items(store.conn, sample_id=older.id, pending=True)
        for n, item in enumerate(items):
            self.clock.moment = self.now - timedelta(days=19, minutes=-n * 7)
            if rng.random() < 0.92:
                record_verdict(store, auditor, item["id"], "agree", "")
                continue
            reinstate = (
                item["kind"] == "cancellation" and item["action"] == "approve" and self._still_approved(store, item)
            )
            note = rng.choice(texts.AUDIT_DISAGREE)
            record_verdict(store, fcr if reinstate else auditor, item["id"], "disagree", note, reopen=reinstate)
        self.clock.moment = self.now - timedelta(hours=3)
        draw_sample(
            store,
            fcr,
            stamp(self.now - timedelta(days=14)),
            stamp(self.now - timedelta(hours=3)),
            seed=self.rng.randrange(2**31),
            rates=SampleRates(0.5, kinds={"cancellation": 0.75}),
        )

    @staticmethod
    def _still_approved(store: Store, item: dict) -> bool:
        """True while a sampled cancellation still stands (not reinstated since)."""
        row = store.conn.execute(sql("request_for_decision"), (item["request_id"],)).fetchone()
        return row["state"] == "approved" and row["crime_state"] == "cancelled"


def _officer_name(username: str) -> str:
    """A display name for an officer account such as pc.patel12."""
    surname = username.removeprefix("pc.").rstrip("0123456789").capitalize()
    return f"PC {surname}"


# The steps `progress` is told about, each named as it begins.
STAGE_NAMES = ("staff and areas", "a year of crimes", "requests and decisions", "incidents", "audits")
STAGES = len(STAGE_NAMES)
Progress = Callable[..., None]  # (stages done, the name of the next)


def build(
    path: str | Path,
    *,
    seed: int = 1,
    crimes: int = MODEL_YEAR_CRIMES,
    now: datetime | None = None,
    progress: Progress | None = None,
    incident_ratio: float = INCIDENT_RATIO,
) -> Store:
    """Build a demo or scale store at `path`; the same seed and time give the same store (`progress` hears each stage)."""
    moment = now or system_clock()
    generator = Generator(seed, crimes, moment, incident_ratio=incident_ratio)
    generator.progress = progress or (lambda done, stage="": None)
    return generator.build(Path(path))


def _sentence_inside(text: str) -> str:
    """A sentence continued after a colon: its first letter lowered, unless it starts an acronym (CCTV, GP)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
