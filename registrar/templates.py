"""Rationale templates per action and ground, and the check that one was filled in."""

import re
from functools import cache

from .reference import reference_rows

PLACEHOLDER = re.compile(r"\[[^\]\n]{2,200}\]")


@cache
def _templates() -> dict[tuple[str, str, str], str]:
    """Load the shipped templates keyed by (kind, action, ground); blanks mean any."""
    return {(r["kind"], r["action"], r["ground"]): r["template"] for r in reference_rows("rationale_templates")}


def template_for(kind: str, action: str, ground: str = "") -> str:
    """The most specific template for an action, or an empty string when none fits."""
    table = _templates()
    for key in ((kind, action, ground), (kind, action, ""), ("", action, "")):
        if key in table:
            return table[key]
    return ""


@cache
def _prompts() -> frozenset[str]:
    """Every [bracketed] prompt the templates use."""
    return frozenset(match for text in _templates().values() for match in PLACEHOLDER.findall(text))


def unfilled_placeholders(rationale: str) -> list[str]:
    """The template's [bracketed] prompts still left in a rationale."""
    prompts = _prompts()
    return [match for match in PLACEHOLDER.findall(rationale) if match in prompts]


@cache
def _skeletons() -> tuple[re.Pattern, ...]:
    """Each template as a pattern whose groups capture what was written in place of its prompts."""
    patterns = []
    for text in _templates().values():
        literals = PLACEHOLDER.split(text)
        parts = [re.escape(literal.strip()).replace(r"\ ", r"\s*") for literal in literals]
        patterns.append(re.compile(r"\s*" + r"\s*(.*?)\s*".join(parts) + r"\s*", re.DOTALL))
    return tuple(patterns)


def own_words(rationale: str) -> str:
    """The part of a rationale its author wrote: what replaced a template's prompts, or all of it."""
    for pattern in _skeletons():
        match = pattern.fullmatch(rationale)
        if match and match.groups():
            return " ".join(group.strip() for group in match.groups() if group.strip())
    return rationale.strip()
