"""Text at the edges: what the store accepts (one check, used by every door), and stored text shown safely on a
terminal (what a terminal would act on rather than print is escaped)."""

import json
from collections.abc import Callable


def text_fault(text: str) -> str | None:
    """Why text cannot be stored whole, or None: a NUL character (from a JSON escape; SQLite's quote() stops at it,
    so what followed would escape the row's hash) or a lone surrogate (from a JSON escape or undecodable argv bytes)."""
    if "\x00" in text:
        return "holds a NUL character, which is not text"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "holds text that is not valid Unicode"
    return None


def name_fault(text: str) -> str | None:
    """Why text cannot be a name in the reference data, or None: what no text may hold, or a control or invisible
    formatting character (a bidi override, say), which would change how every list, report and pack reads it."""
    fault = text_fault(text)
    if fault:
        return fault
    if not text.isprintable():
        return "holds a control or formatting character (such as a bidi override)"
    return None


def python_escape(character: str) -> str:
    """A character as a Python escape such as \\x1b, \\n or \\u202e."""
    return character.encode("unicode_escape").decode("ascii")


def json_escape(character: str) -> str:
    """A character as a JSON escape such as \\u001b (a surrogate pair beyond the Basic Multilingual Plane)."""
    return json.dumps(character)[1:-1]


def visible(text: str, escape: Callable[[str], str] = python_escape) -> str:
    """Text with every character a terminal would not print (controls, bidi, invisible formatting) escaped."""
    if text.isprintable():
        return text
    return "".join(character if character.isprintable() else escape(character) for character in text)


def safe_text(text: str, escape: Callable[[str], str] = python_escape) -> str:
    """Text with unprintable characters escaped but its line breaks kept, for showing stored values on a terminal."""
    return "\n".join(visible(line, escape) for line in str(text).split("\n"))


def terminal_safe(text: str) -> str:
    """Text with every character a terminal would act on escaped, keeping its line breaks and tabs."""
    return "\t".join(safe_text(part) for part in text.split("\t"))
