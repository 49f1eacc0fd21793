"""How a stored yes/no and a stored priority read to a person, in the reader's language: one place for both.

Booleans used to be worded 是/否 in some views, "True"/"False" in others (a desk history line, an English CSV),
and a ticket's priority (0-9, 9 most urgent: services/tickets.set_priority) was shown as the bare number. Every view,
export, text message and the CLI calls these two functions with the locale of whoever reads (QA of dev-conditions,
items 4 and 5; docs/decisions.md "Yes/no and priority in words").
"""

from __future__ import annotations

from typing import Any

#: The words of a yes/no value by language.
YES_NO: dict[str, tuple[str, str]] = {"zh": ("是", "否"), "en": ("Yes", "No")}

#: Priority bands, highest first: (lowest level of the band, Chinese, English). 5 is the default of a new ticket.
PRIORITY_BANDS: tuple[tuple[int, str, str], ...] = (
    (8, "紧急", "Urgent"), (6, "高", "High"), (4, "普通", "Normal"), (0, "低", "Low"))


def language(locale: str | None) -> str:
    """"zh_CN", "zh-CN", "zh" → "zh"; "en", "en_US" → "en"; anything else is the product's default, Chinese."""
    return "en" if (locale or "").lower().startswith("en") else "zh"


def yes_no(value: bool, locale: str | None) -> str:
    """是/否 or Yes/No: a boolean as the reader's language says it, never "True"/"False"."""
    yes, no = YES_NO[language(locale)]
    return yes if value else no


def priority_word(level: int, locale: str | None) -> str:
    """The band's word of a priority level: 紧急 / Urgent for 8-9, 高 / High 6-7, 普通 / Normal 4-5, 低 / Low 0-3."""
    zh = language(locale) == "zh"
    for lowest, word_zh, word_en in PRIORITY_BANDS:
        if level >= lowest:
            return word_zh if zh else word_en
    return PRIORITY_BANDS[-1][1] if zh else PRIORITY_BANDS[-1][2]


def priority_label(value: Any, locale: str | None) -> str:
    """A stored priority in words with its level, "紧急（9）" / "Urgent (9)": the level stays visible because rules
    and queues order by it; a value that is not a level 0-9 is shown as it is (hand-edited data)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return "" if value is None else str(value)
    try:
        level = int(value)
    except ValueError:
        return str(value)
    if not 0 <= level <= 9:
        return str(value)
    word = priority_word(level, locale)
    return f"{word}（{level}）" if language(locale) == "zh" else f"{word} ({level})"
