"""Phone numbers as the switch presents them: digits with an optional leading '+'."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-().]")
_VALID = re.compile(r"\+?[0-9]{3,20}")


def normalize(raw: str) -> str:
    """Strips separators; raises ValueError with the reason when what is left is not a number."""
    number = _SEPARATORS.sub("", str(raw or ""))
    if not _VALID.fullmatch(number):
        raise ValueError(f"{raw!r} is not a phone number (3 to 20 digits, optional leading +)")
    return number
