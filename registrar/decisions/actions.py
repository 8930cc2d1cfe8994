"""The actions of each request kind: the states they move between and who may take them."""

from dataclasses import dataclass

from registrar.base.vocabulary import DECIDER_ROLES, FINAL_SAY_ROLES, KINDS, RAISER_ROLES


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


_DECIDE = frozenset({"pending", "referred"})


def _decision(
    kind: str,
    name: str,
    title: str,
    to_state: str,
    *,
    fields: tuple[str, ...] = (),
    guarded: bool = True,
    from_states: frozenset[str] = _DECIDE,
    roles: frozenset[str] = DECIDER_ROLES,
) -> ActionSpec:
    """A decision on the request; guarded ones a ddm may not take on restricted offences."""
    return ActionSpec(
        kind=kind,
        name=name,
        title=title,
        from_states=from_states,
        to_state=to_state,
        roles=roles,
        decision=True,
        guarded=guarded,
        fields=fields,
    )


def _victim_informed(kind: str, after: str) -> ActionSpec:
    """Record that the victim was told, once the crime was cancelled or transferred."""
    return ActionSpec(
        kind=kind,
        name="victim-informed",
        title="Victim informed",
        from_states=frozenset({after}),
        to_state=None,
        roles=RAISER_ROLES,
        decision=False,
        guarded=False,
        fields=("informed_on", "method"),
    )


def _reopen(kind: str, from_states: set[str]) -> ActionSpec:
    """The FCR's or deputy's final say: reopen a closed decision (the crimes move back with it)."""
    return ActionSpec(
        kind=kind,
        name="reopen",
        title="Reopen (final say)",
        from_states=frozenset(from_states),
        to_state=None,
        roles=FINAL_SAY_ROLES,
        decision=True,
        guarded=False,
        fields=("reason",),
    )


def _common(kind: str) -> list[ActionSpec]:
    """Refer, return, answer and withdraw, shared by every kind; withdrawing what would record a crime is guarded."""
    return [
        ActionSpec(
            kind=kind,
            name="refer",
            title="Refer up",
            from_states=frozenset({"pending"}),
            to_state="referred",
            roles=DECIDER_ROLES,
            decision=False,
            guarded=False,
            fields=("referred_to",),
        ),
        ActionSpec(
            kind=kind,
            name="return",
            title="Return for information",
            from_states=frozenset({"pending", "referred"}),
            to_state="returned",
            roles=DECIDER_ROLES,
            decision=False,
            guarded=False,
        ),
        ActionSpec(
            kind=kind,
            name="answer",
            title="Answer a return",
            from_states=frozenset({"returned"}),
            to_state="pending",
            roles=RAISER_ROLES,
            decision=False,
            guarded=False,
        ),
        ActionSpec(
            kind=kind,
            name="withdraw",
            title="Withdraw",
            from_states=KINDS[kind].open_states,
            to_state="withdrawn",
            roles=RAISER_ROLES,
            decision=False,
            guarded=kind != "cancellation",
        ),
    ]


_SPECS: list[ActionSpec] = [
    _decision(
        "cancellation",
        "approve",
        "Approve cancellation",
        "approved",
        fields=(
            "ground",
            "avi_description",
            "avi_type",
            "avi_source",
            "avi_obtained_at",
            "avi_shows",
            "surviving_reference",
            "error_description",
        ),
    ),
    _decision("cancellation", "reject", "Reject: keep recorded", "rejected"),
    _decision(
        "cancellation",
        "reinstate",
        "Reinstate the crime",
        "reinstated",
        guarded=False,
        from_states=frozenset({"approved"}),
        roles=FINAL_SAY_ROLES,
    ),
    _decision(
        "cancellation",
        "abroad",
        "Cancel: it happened abroad",
        "approved",
        fields=("abroad_place", "abroad_evidence"),
        guarded=False,
        roles=FINAL_SAY_ROLES,
    ),
    _reopen("cancellation", {"rejected", "approved"}),
    _victim_informed("cancellation", "approved"),
    *_common("cancellation"),
    _decision("reclassification", "approve", "Approve reclassification", "approved", fields=("proposed_code",)),
    _decision("reclassification", "reject", "Reject: keep the code", "rejected"),
    _reopen("reclassification", {"approved", "rejected"}),
    *_common("reclassification"),
    _decision("transfer_out", "send", "Send to the other force", "sent", fields=("force",)),
    _decision("transfer_out", "reject", "Reject: keep it here", "rejected"),
    _decision(
        "transfer_out",
        "accepted",
        "Other force accepted",
        "accepted",
        fields=("other_reference",),
        from_states=frozenset({"sent", "escalated"}),
    ),
    _decision(
        "transfer_out",
        "disputed",
        "Other force disputed",
        "disputed",
        fields=("reason",),
        from_states=frozenset({"sent"}),
    ),
    _decision(
        "transfer_out",
        "escalate",
        "Escalate FCR to FCR",
        "escalated",
        from_states=frozenset({"disputed"}),
        roles=FINAL_SAY_ROLES,
    ),
    _victim_informed("transfer_out", "accepted"),
    _reopen("transfer_out", {"accepted", "rejected"}),
    *_common("transfer_out"),
    _decision("transfer_in", "accept", "Accept and record here", "accepted", fields=("offence_code", "area")),
    _decision("transfer_in", "dispute", "Dispute the transfer", "disputed", fields=("reason",)),
    _reopen("transfer_in", {"disputed"}),
    *_common("transfer_in"),
    _decision("referral", "record", "Record crimes", "recorded", fields=("offences", "area")),
    _decision("referral", "cri", "Crime-related incident", "cri", fields=("reason",)),
    _decision("referral", "no-crime", "No notifiable crime", "no_crime"),
    _decision("referral", "duplicate", "Already recorded", "duplicate", fields=("crime_reference",)),
    _reopen("referral", {"cri", "no_crime", "duplicate"}),
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
    return state in KINDS[kind].closed_states
