"""The domain's terms, each defined once: kinds, states, roles and who may do what, and decision fields.

The command line's options, batch's columns, the decision dialog's labels, the help and the README's tables are
built from these definitions, so a term cannot mean one thing at one door and another at the next.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
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
            frozenset({"approved", "rejected", "withdrawn"}),
        ),
        Kind(
            "transfer_out",
            "Transfers out",
            "transfer out",
            "Xfer out",
            _OPEN | {"sent", "disputed", "escalated"},
            frozenset({"accepted", "rejected", "withdrawn"}),
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


@dataclass(frozen=True)
class Role:
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


@dataclass(frozen=True)
class Field:
    """One field a decision can carry, as the command line, a batch file and the dialog name and explain it."""

    name: str
    label: str
    help: str
    option: str
    type: str = "text"
    request_column: str | None = None
    stands_in: bool = False
    multiple: bool = False


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
            stands_in=True,
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
        Field("reason", "Reason", "disputed, dispute, cri: the reason", "--reason"),
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
            "date",
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
