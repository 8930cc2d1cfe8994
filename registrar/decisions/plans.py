"""A checked decision's plan: what it records, what it does to the crimes and what the ledger shows."""

from collections.abc import Callable
from dataclasses import dataclass, field

from registrar.base.rows import RequestRow
from registrar.decisions.rules import RuleContext

Apply = Callable[[RuleContext, RequestRow], list[str]]


@dataclass
class Plan:
    """A checked decision: request fields to record, the effect to run and what the ledger shows."""

    code: str | None = None
    record: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    apply: Apply | None = None
    referred_to: str | None = None
    rationale: str | None = None
    to_state: str | None = None
