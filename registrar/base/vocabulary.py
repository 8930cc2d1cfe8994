"""The domain's terms, each defined once: kinds, states, roles and who may do what, and decision fields.

The command line's options, batch's columns, the decision dialog's labels, the help and the README's tables are
built from these definitions, so a term cannot mean one thing at one door and another at the next. They are
NamedTuples: as immutable as frozen dataclasses, and made in a tenth of the time every command's start-up pays.
"""

from typing import NamedTuple


class Kind(NamedTuple):
    """A kind of request: its names for people and the states in which it is open or closed."""

    name: str
    title: str
    label: str
    short: str
    open_states: frozenset[str]
    closed_states: frozenset[str]


_OPEN = frozenset({"pending", "referred", "returned"})

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "cancellation",
            "Cancellations",
            "cancellation",
            "Cancel",
            _OPEN,
            frozenset({"approved", "rejected", "withdrawn", "reinstated"}),
        ),
        Kind(
            "reclassification",
            "Reclassifications",
            "reclassification",
            "Reclass",
            _OPEN,
            frozenset({"approved", "rejected", "withdrawn", "reversed"}),
        ),
        Kind(
            "transfer_out",
            "Transfers out",
            "transfer out",
            "Xfer out",
            _OPEN | {"sent", "disputed", "escalated"},
            frozenset({"accepted", "rejected", "withdrawn", "reversed"}),
        ),
        Kind(
            "transfer_in",
            "Transfers in",
            "transfer in",
            "Xfer in",
            _OPEN,
            frozenset({"accepted", "disputed", "withdrawn"}),
        ),
        Kind(
            "referral",
            "Referrals",
            "referral",
            "Referral",
            _OPEN,
            frozenset({"recorded", "cri", "no_crime", "duplicate", "withdrawn"}),
        ),
    )
}
KIND_NAMES = tuple(KINDS)


class Role(NamedTuple):
    """A role a registrar user holds, and in a sentence what it may do."""

    key: str
    title: str
    may: str


ROLES: dict[str, Role] = {
    role.key: role
    for role in (
        Role(
            "fcr",
            "Force Crime Registrar",
            "decides everything, audits and reinstates, manages users, keys, settings and reference data",
        ),
        Role("dfcr", "Deputy FCR", "as the FCR, except users, keys and settings"),
        Role("fcm", "Force crime manager", "decides every queue, restricted offences included"),
        Role("ddm", "Designated decision maker", "decides every queue except restricted offences, which it refers up"),
        Role("auditor", "Auditor", "reads everything and records dip-sample verdicts"),
        Role("requester", "Requester", "raises, answers and withdraws their own requests"),
        Role("viewer", "Viewer", "reads only"),
    )
}
ROLE_NAMES = tuple(ROLES)

# Who may do what: each group of roles is named once and used by every rule, screen and command.
SENIOR_ROLES = frozenset({"fcr", "dfcr", "fcm"})
DECIDER_ROLES = SENIOR_ROLES | {"ddm"}
RAISER_ROLES = DECIDER_ROLES | {"requester"}
FINAL_SAY_ROLES = frozenset({"fcr", "dfcr"})
AUDIT_ROLES = frozenset({"fcr", "dfcr", "auditor"})
FCR_ONLY = frozenset({"fcr"})


def role_list(roles: frozenset[str]) -> str:
    """Roles in their defined order, for a message: 'fcr, dfcr or fcm'."""
    ordered = [name for name in ROLE_NAMES if name in roles]
    return ordered[0] if len(ordered) == 1 else f"{', '.join(ordered[:-1])} or {ordered[-1]}"


class Choice(NamedTuple):
    """One choice a person picks from: its key, a label and a sentence of help."""

    key: str
    label: str
    help: str


def _choices(*items: Choice) -> dict[str, Choice]:
    """Choices by key, in the order given."""
    return {item.key: item for item in items}


AVI_TYPES = _choices(
    Choice("recording", "CCTV or other recording", "footage, body-worn video, a call or phone recording"),
    Choice("forensic", "Forensic result", "a forensic or medical finding"),
    Choice("witness", "Independent witness", "a witness independent of the victim and the suspect"),
    Choice("document", "Document or record", "a receipt, a bank or phone record, an official record"),
    Choice("retraction", "Victim's verified retraction", "the victim's own retraction of the facts, verified"),
    Choice("other", "Other", "other verifiable information (say what in the description)"),
)
AVI_SHOWS = _choices(
    Choice("no-crime", "Shows no crime happened", "the information shows the crime did not take place"),
    Choice(
        "victim-unsupportive",
        "Shows only that the victim does not support police action",
        "not AVI: close the crime with outcome 14 or 16 instead",
    ),
)


class Field(NamedTuple):
    """One field a decision can carry, as the command line, a batch file and the dialog name and explain it."""

    name: str
    label: str
    help: str
    option: str
    type: str = "text"
    request_column: str | None = None
    stands_in: bool = False  # the rules judge the decider's value in place of the request's (a proposed code)
    multiple: bool = False
    choices: dict[str, Choice] | None = None


FIELDS: dict[str, Field] = {
    field.name: field
    for field in (
        Field(
            "ground",
            "Ground",
            "approve a cancellation: C2, C3, C4 or C5 (default: the request's)",
            "--ground",
            "ground",
            "cancellation_code",
        ),
        Field(
            "avi_description",
            "AVI: what it is",
            "C2/C5: what the additional verifiable information is",
            "--avi",
            request_column="avi_description",
        ),
        Field(
            "avi_type",
            "AVI: what kind",
            "C2/C5: the kind of AVI: " + ", ".join(AVI_TYPES),
            "--avi-type",
            "choice",
            choices=AVI_TYPES,
        ),
        Field(
            "avi_shows",
            "AVI: what it shows",
            "C2/C5: your answer: no-crime (it shows the crime did not happen) or victim-unsupportive",
            "--avi-shows",
            "choice",
            choices=AVI_SHOWS,
        ),
        Field(
            "avi_source",
            "AVI: where from",
            "C2/C5: where the AVI came from",
            "--avi-source",
            request_column="avi_source",
        ),
        Field(
            "avi_obtained_at",
            "AVI: when obtained",
            "C2/C5: when the AVI was obtained",
            "--avi-obtained",
            "date",
            "avi_obtained_at",
        ),
        Field(
            "surviving_reference",
            "Surviving crime",
            "C3: the surviving crime's reference",
            "--surviving",
            request_column="surviving_reference",
        ),
        Field(
            "error_description",
            "What the error was",
            "C4: what the error was",
            "--error",
            request_column="error_description",
        ),
        Field(
            "proposed_code",
            "Proposed code",
            "approve a reclassification: the new offence code",
            "--code",
            "offence",
            "proposed_code",
            stands_in=True,
        ),
        Field(
            "offence_code",
            "Offence code",
            "accept a transfer in: the offence code to record",
            "--offence-code",
            "offence",
            "offence_code",
        ),
        Field(
            "force",
            "Receiving force",
            "send a transfer: the receiving force's code",
            "--force",
            "force",
            "other_force",
            stands_in=True,
        ),
        Field(
            "other_reference",
            "Their reference",
            "accepted: the receiving force's crime reference",
            "--their-ref",
            request_column="other_reference",
        ),
        Field("reason", "Reason", "disputed, dispute, cri, reopen: the reason", "--reason"),
        Field(
            "abroad_place",
            "Where it happened",
            "abroad: the country and place where the crime happened",
            "--abroad-place",
        ),
        Field(
            "abroad_evidence",
            "How that is known",
            "abroad: the evidence of where it happened (travel records, the other country's report)",
            "--abroad-evidence",
        ),
        Field(
            "offences",
            "Offence codes (a, b)",
            "record a referral: an offence code (repeat for each crime)",
            "--offence",
            "offences",
            "suggested_code",
            multiple=True,
        ),
        Field("crime_reference", "Crime already recorded", "duplicate referral: the crime already recorded", "--crime"),
        Field("area", "Area", "accept, record: the local policing area", "--area", "area", "area"),
        Field("referred_to", "Refer to", "refer: a named fcr, dfcr or fcm", "--to", "user"),
        Field(
            "informed_on",
            "Date told",
            "victim-informed: the date the victim was told (default today)",
            "--informed-on",
            "day",
        ),
        Field(
            "method",
            "How told",
            "victim-informed: phone, letter, email, in person, text, video call, other",
            "--method",
            "method",
        ),
    )
}


# Recording audits: who works them, the verdicts and their reasons.
RECORDING_DRAWERS = AUDIT_ROLES
RECORDING_AUDITORS = AUDIT_ROLES | SENIOR_ROLES
# Rape reports closed without a crime, and every N100, are for these roles only (never a ddm or an auditor).
RAPE_REVIEWERS = SENIOR_ROLES

RECORDING_VERDICTS = _choices(
    Choice("recorded-correctly", "Rightly recorded", "the incident was a crime and the crime was recorded"),
    Choice("not-a-crime", "Rightly not a crime", "no crime should have been recorded (give the reason)"),
    Choice(
        "record-now",
        "Should have been recorded",
        "a crime was missed: record it now (one offence code per crime), marked late by audit",
    ),
    Choice(
        "n100", "N100", "a report of rape not recorded as a crime, kept as an N100 with its reason (fcr, dfcr, fcm)"
    ),
)
NOT_A_CRIME_REASONS = _choices(
    Choice("no-offence", "No offence disclosed", "on the balance of probabilities no notifiable offence happened"),
    Choice("victim-not-traced", "Victim not traced", "the reporter is not the victim and the victim was not traced"),
    Choice("recorded-elsewhere", "Already recorded", "the crime is already recorded (here or by another force)"),
    Choice("crime-related", "Crime-related incident", "a crime-related incident that rightly has no crime of its own"),
)
N100_REASONS = _choices(
    Choice(
        "third-party-unconfirmed", "Third party, not confirmed", "a third party's report the victim does not confirm"
    ),
    Choice("victim-not-traced", "Victim not traced", "the victim could not be identified or traced"),
    Choice("credible-evidence", "Credible evidence", "credible evidence shows no rape took place"),
    Choice("other-force", "Another force", "the rape happened in another force's area and is recorded there"),
)


def a_role(role: str) -> str:
    """A role with its article, for a message: 'a ddm', 'an auditor'."""
    return f"{'an' if role[:1] in 'aeiou' else 'a'} {role}"
