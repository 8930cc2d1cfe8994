"""The actions of each request kind: the states they move between and who may take them."""

from dataclasses import dataclass

from .identity import DECIDER_ROLES

CLOSED_STATES = {
    "cancellation": frozenset({"approved", "rejected", "withdrawn", "reinstated"}),
    "reclassification": frozenset({"approved", "rejected", "withdrawn"}),
    "transfer_out": frozenset({"accepted", "rejected", "withdrawn"}),
    "transfer_in": frozenset({"accepted", "disputed", "withdrawn"}),
    "referral": frozenset({"recorded", "cri", "no_crime", "duplicate", "withdrawn"}),
}
KIND_TITLES = {
    "cancellation": "Cancellations",
    "reclassification": "Reclassifications",
    "transfer_out": "Transfers out",
    "transfer_in": "Transfers in",
    "referral": "Referrals",
}
RAISERS = DECIDER_ROLES | {"requester"}
CANCEL_DECIDERS = frozenset({"fcr", "dfcr"})


@dataclass(frozen=True)
class ActionSpec:
    """One action of one kind: where it may start, where it leads and who may take it."""

    kind: str
    name: str
    title: str
    from_states: frozenset[str]
    to_state: str | None
    roles: frozenset[str]
    decision: bool
    guarded: bool
    fields: tuple[str, ...] = ()


def _open(kind: str) -> frozenset[str]:
    """Every state of `kind` in which the request is still open."""
    return frozenset({"pending", "referred", "returned"}) | (
        {"sent", "disputed", "escalated"} if kind == "transfer_out" else set()
    )


def _common(kind: str) -> list[ActionSpec]:
    """Refer, return, answer and withdraw, shared by every kind; withdrawing what would record a crime is guarded."""
    guarded_withdrawal = kind != "cancellation"
    return [
        ActionSpec(kind, "refer", "Refer up", frozenset({"pending"}), "referred", DECIDER_ROLES, False, False, ("referred_to",)),
        ActionSpec(kind, "return", "Return for information", frozenset({"pending", "referred"}), "returned", DECIDER_ROLES, False, False),
        ActionSpec(kind, "answer", "Answer a return", frozenset({"returned"}), "pending", RAISERS, False, False),
        ActionSpec(kind, "withdraw", "Withdraw", _open(kind), "withdrawn", RAISERS, False, guarded_withdrawal),
    ]


_DECIDE = frozenset({"pending", "referred"})
_SPECS: list[ActionSpec] = [
    ActionSpec("cancellation", "approve", "Approve cancellation", _DECIDE, "approved", DECIDER_ROLES, True, True,
               ("ground", "avi_description", "avi_source", "avi_obtained_at", "surviving_reference", "error_description")),
    ActionSpec("cancellation", "reject", "Reject: keep recorded", _DECIDE, "rejected", DECIDER_ROLES, True, True),
    ActionSpec("cancellation", "reinstate", "Reinstate the crime", frozenset({"approved"}), "reinstated", CANCEL_DECIDERS, True, False),
    ActionSpec("cancellation", "victim-informed", "Victim informed", frozenset({"approved"}), None, RAISERS, False, False,
               ("informed_on", "method")),
    *_common("cancellation"),
    ActionSpec("reclassification", "approve", "Approve reclassification", _DECIDE, "approved", DECIDER_ROLES, True, True,
               ("proposed_code",)),
    ActionSpec("reclassification", "reject", "Reject: keep the code", _DECIDE, "rejected", DECIDER_ROLES, True, True),
    *_common("reclassification"),
    ActionSpec("transfer_out", "send", "Send to the other force", _DECIDE, "sent", DECIDER_ROLES, True, True, ("force",)),
    ActionSpec("transfer_out", "reject", "Reject: keep it here", _DECIDE, "rejected", DECIDER_ROLES, True, True),
    ActionSpec("transfer_out", "accepted", "Other force accepted", frozenset({"sent", "escalated"}), "accepted", DECIDER_ROLES, True, True,
               ("other_reference",)),
    ActionSpec("transfer_out", "disputed", "Other force disputed", frozenset({"sent"}), "disputed", DECIDER_ROLES, True, True,
               ("reason",)),
    ActionSpec("transfer_out", "escalate", "Escalate FCR to FCR", frozenset({"disputed"}), "escalated", CANCEL_DECIDERS, True, True),
    ActionSpec("transfer_out", "victim-informed", "Victim informed", frozenset({"accepted"}), None, RAISERS, False, False,
               ("informed_on", "method")),
    *_common("transfer_out"),
    ActionSpec("transfer_in", "accept", "Accept and record here", _DECIDE, "accepted", DECIDER_ROLES, True, False,
               ("offence_code", "area")),
    ActionSpec("transfer_in", "dispute", "Dispute the transfer", _DECIDE, "disputed", DECIDER_ROLES, True, True, ("reason",)),
    *_common("transfer_in"),
    ActionSpec("referral", "record", "Record crimes", _DECIDE, "recorded", DECIDER_ROLES, True, False, ("offences", "area")),
    ActionSpec("referral", "cri", "Crime-related incident", _DECIDE, "cri", DECIDER_ROLES, True, True, ("reason",)),
    ActionSpec("referral", "no-crime", "No notifiable crime", _DECIDE, "no_crime", DECIDER_ROLES, True, True),
    ActionSpec("referral", "duplicate", "Already recorded", _DECIDE, "duplicate", DECIDER_ROLES, True, True,
               ("crime_reference",)),
    *_common("referral"),
]

ACTIONS: dict[tuple[str, str], ActionSpec] = {(s.kind, s.name): s for s in _SPECS}


def actions_for(kind: str) -> list[ActionSpec]:
    """Every action defined for a kind, in display order."""
    return [spec for spec in _SPECS if spec.kind == kind]


def action_names() -> list[str]:
    """Every action name across all kinds."""
    return sorted({spec.name for spec in _SPECS})


def is_closed(kind: str, state: str) -> bool:
    """True when a request of `kind` in `state` has ended."""
    return state in CLOSED_STATES[kind]
