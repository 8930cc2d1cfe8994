"""Rationale templates per action and ground, and the check that one was filled in."""

import re
from functools import cache, lru_cache

from registrar.base.reference import reference_rows

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


_SPACE = re.compile(r"\s+")


@cache
def _fragments() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each template with its fixed words (spaces removed), to find the templates a rationale could come from."""
    return tuple(
        (text, tuple(_SPACE.sub("", literal) for literal in PLACEHOLDER.split(text) if literal.strip()))
        for text in _templates().values()
    )


@cache
def _skeleton(text: str) -> re.Pattern:
    """A template as a pattern whose groups capture what was written in place of its prompts (compiled on need)."""
    parts = [re.escape(literal.strip()).replace(r"\ ", r"\s*") for literal in PLACEHOLDER.split(text)]
    return re.compile(r"\s*" + r"\s*(.*?)\s*".join(parts) + r"\s*", re.DOTALL)


@lru_cache(maxsize=1024)
def own_words(rationale: str) -> str:
    """The part of a rationale its author wrote: what replaced a template's prompts, or all of it (a batch repeats one)."""
    squeezed = _SPACE.sub("", rationale)
    for text, fixed in _fragments():
        if not all(fragment in squeezed for fragment in fixed):
            continue
        match = _skeleton(text).fullmatch(rationale)
        if match and match.groups():
            return " ".join(group.strip() for group in match.groups() if group.strip())
    return rationale.strip()
