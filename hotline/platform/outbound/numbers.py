"""Chinese phone numbers to E.164, as a contact list imports them and the dialer dials them.

Accepted: mobiles (1[3-9] + 9 digits), landlines with their area code (0 + 2-3 digit code + 7-8 digit number,
e.g. 010-64701122, 0755 8888 6666), 400/800 service numbers, and any of these with +86 or 0086 in front;
numbers already in E.164 of another country pass through. Everything else is refused with the reason, so the
import can report the line. A landline without its area code cannot be dialled from a shared center and is
refused rather than guessed.
"""

from __future__ import annotations

import re
from typing import Any

_SEPARATORS = re.compile(r"[\s\-().\u3000－]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
#: 2-digit area codes (010 Beijing, 02x big cities) take 8-digit numbers; 3-digit codes take 7 or 8.
_LANDLINE = re.compile(r"0(?:(?:10|2\d)\d{8}|[3-9]\d{2}\d{7,8})")
_SERVICE = re.compile(r"[48]00\d{7}")
_FOREIGN = re.compile(r"\+[1-9]\d{6,14}")


class NumberRefused(ValueError):
    """Why a number cannot be dialled, as a stable code and its parameters: an import stores `message` and the
    page words it in the reader's language (QA 13 #1); str() stays the English sentence for logs."""

    def __init__(self, code: str, english: str, **params: Any) -> None:
        super().__init__(english.format(**params))
        self.code, self.params = code, params

    @property
    def message(self) -> dict[str, Any]:
        """{"code": "number.<code>", **params}: what a stored error holds."""
        return {"code": f"number.{self.code}", **self.params}


def to_e164(raw: object) -> str:
    """The number in E.164 (+86…), or NumberRefused (a ValueError) saying why it is not a number we can dial."""
    text = _SEPARATORS.sub("", str(raw if raw is not None else "")).replace("＋", "+")
    if not text:
        raise NumberRefused("empty", "the phone number is empty")
    if text.startswith("0086"):
        text = "+86" + text[4:]
    if text.startswith("+86"):
        national = text[3:]
        if _MOBILE.fullmatch(national) or _SERVICE.fullmatch(national):
            return text
        if _LANDLINE.fullmatch("0" + national):
            return text
        raise NumberRefused("not_chinese", "{raw!r} is not a Chinese mobile, landline or 400/800 number",
                            raw=str(raw)[:40])
    if text.startswith("+"):
        if _FOREIGN.fullmatch(text):
            return text
        raise NumberRefused("not_international", "{raw!r} is not an international number (+ and 7 to 15 digits)",
                            raw=str(raw)[:40])
    if _MOBILE.fullmatch(text) or _SERVICE.fullmatch(text):
        return "+86" + text
    if _LANDLINE.fullmatch(text):
        return "+86" + text[1:]
    if text.isdigit() and 7 <= len(text) <= 8:
        raise NumberRefused("no_area_code", "{raw!r} is a landline without its area code (e.g. 010-{digits})",
                            raw=str(raw)[:40], digits=text)
    raise NumberRefused("not_chinese", "{raw!r} is not a Chinese mobile, landline or 400/800 number",
                            raw=str(raw)[:40])
