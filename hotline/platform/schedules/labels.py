"""Words of schedules and attendance in both languages: seat types and presence states by code.

Pages, imports and exports show these labels, never the codes; an import accepts either (labels_to_codes).
"""

from __future__ import annotations

from ..models import SEAT_TYPES

SEAT_TYPE_LABELS: dict[str, dict[str, str]] = {
    "trainee": {"zh_CN": "实习座席", "en": "Trainee"},
    "agent": {"zh_CN": "座席", "en": "Agent"},
    "team_lead": {"zh_CN": "班组长", "en": "Team lead"},
}
assert tuple(SEAT_TYPE_LABELS) == SEAT_TYPES

STATE_LABELS: dict[str, dict[str, str]] = {
    "available": {"zh_CN": "置闲", "en": "Available"},
    "ringing": {"zh_CN": "振铃", "en": "Ringing"},
    "on_call": {"zh_CN": "通话", "en": "On a call"},
    "wrap_up": {"zh_CN": "话后处理", "en": "Wrap-up"},
    "break": {"zh_CN": "小休", "en": "Break"},
    "offline": {"zh_CN": "离线", "en": "Offline"},
}


def _lang(locale: str) -> str:
    return "en" if locale.startswith("en") else "zh_CN"


def seat_type_label(code: str, locale: str = "zh_CN") -> str:
    """The seat type's label in the locale; an unknown code (data from elsewhere) is shown as it is."""
    return SEAT_TYPE_LABELS.get(code, {}).get(_lang(locale), code)


def state_label(code: str, locale: str = "zh_CN") -> str:
    return STATE_LABELS.get(code, {}).get(_lang(locale), code)


def seat_type_code(text: str) -> str | None:
    """The code for a seat type typed as its code or as its label in either language (case and spaces ignored)."""
    wanted = " ".join(text.split()).casefold()
    for code, labels in SEAT_TYPE_LABELS.items():
        if wanted == code or wanted in (label.casefold() for label in labels.values()):
            return code
    return None
