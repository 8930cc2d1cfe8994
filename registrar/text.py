"""What text the store accepts: one check, used by every door."""


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
