"""Phone numbers as the switch presents them: digits with an optional leading '+'."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s\-().]")
_VALID = re.compile(r"\+?[0-9]{3,20}")


def normalize(raw: str) -> str:
    """Strips separators; raises ValueError with the reason when what is left is not a number."""
    number = _SEPARATORS.sub("", str(raw or ""))
    if not _VALID.fullmatch(number):
        raise ValueError(f"{raw!r} is not a phone number (3 to 20 digits, optional leading +)")
    return number


def on_allow_list(number: str, allow_list: Iterable[str]) -> bool:
    """Whether a transfer target is allowed: an entry is a full number or a prefix ending in '*'.

    The lint checks it before publish and the flow engine again at run time (the list may shrink).
    """
    return any(number.startswith(entry[:-1]) if entry.endswith("*") else number == entry for entry in allow_list)


#: A mainland Chinese mobile number: 1[3-9] and nine more digits, bare or in E.164 (+86).
_CN_MOBILE = re.compile(r"(?:\+86)?1[3-9][0-9]{9}")


def is_mobile(number: str) -> bool:
    """Whether an SMS can reach the number: a Chinese mobile (a landline such as 01064701122 cannot)."""
    return bool(_CN_MOBILE.fullmatch(_SEPARATORS.sub("", str(number or ""))))


def channels_for(number: str) -> list[str]:
    """The channels a number can be reached on: a mobile takes SMS and calls, anything else calls only."""
    return ["sms", "voice"] if is_mobile(number) else ["voice"]
