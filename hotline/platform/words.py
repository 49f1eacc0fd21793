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


#: Each role's words by language (models.tenancy.Role values); the designer's UI table reuses these.
ROLE_LABELS: dict[str, tuple[str, str]] = {
    "platform_operator": ("平台运营", "Platform operator"),
    "tenant_admin": ("租户管理员", "Tenant admin"),
    "analyst": ("业务分析员", "Analyst"),
    "agent": ("座席", "Agent"),
    "supervisor": ("班长", "Supervisor"),
    "qa": ("质检", "Quality inspector"),
    "campaign_operator": ("外呼活动运营", "Campaign operator"),
    "finance": ("财务", "Finance"),
}

#: How a list of words is joined in each language: the Chinese enumeration comma 、 is wrong in English.
LIST_SEPARATORS: dict[str, str] = {"zh": "、", "en": ", "}


def role_label(code: str, locale: str | None) -> str:
    """A role code ("tenant_admin") as the reader says it (租户管理员 / Tenant admin); an unknown code as it is."""
    words = ROLE_LABELS.get(str(code))
    if words is None:
        return str(code)
    return words[0] if language(locale) == "zh" else words[1]


def word_list(words: Any, locale: str | None) -> str:
    """Words joined as the reader's language joins them: 、 in Chinese, ", " in English."""
    return LIST_SEPARATORS[language(locale)].join(str(word) for word in words)


def role_labels(codes: Any, locale: str | None) -> str:
    """Roles by label, sorted by code so every page lists them in the same order, joined per language
    (QA of fix-labels item 1: English pages showed "analyst, supervisor" and joined with 、)."""
    return word_list((role_label(code, locale) for code in sorted(str(c) for c in codes)), locale)


#: Each document kind's words by language: the same English as the designer's header
#: (frontend/src/shell/DocumentPage.tsx KIND_LABELS) so the kind reads alike on every page and in the CLI.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "ivr": ("语音导航", "Voice menu (IVR)"),
    "form": ("工单表单", "Ticket form"),
    "dispatch": ("分派规则", "Dispatch rules"),
    "outbound": ("外呼脚本", "Outbound script"),
}


def kind_label(kind: str, locale: str | None) -> str:
    """A document kind code ("dispatch") in the reader's words (分派规则 / Dispatch rules); unknown codes as is."""
    words = KIND_LABELS.get(str(kind))
    if words is None:
        return str(kind)
    return words[0] if language(locale) == "zh" else words[1]


#: Actors that are the product itself, not a person: stored as a code in "saved by" / "published by" columns.
SYSTEM_ACTORS: dict[str, tuple[str, str]] = {"system": ("系统", "System")}


def actor_label(actor: str | None, locale: str | None) -> str:
    """Who saved or published: a person's username as it is, the system actor as a label (系统 / System; the
    studio's 草稿保存者 column showed "system", QA of fix-labels item 3)."""
    if not actor:
        return ""
    words = SYSTEM_ACTORS.get(actor)
    if words is None:
        return actor
    return words[0] if language(locale) == "zh" else words[1]


#: An IVR node's exits (its "ports") in words, as the designer's canvas says them (frontend/src/ivr/graph.ts
#: PORT_WORDS, worded in frontend/src/ivr/strings.ts): the server's one table, so a preview never shows a code
#: such as "failed", "not_found" or "branches" (QA of fix-labels item 3). A test keeps it covering every port
#: of every node type (platform/kinds/ivr/lint.NODE_TYPES).
PORT_LABELS: dict[str, tuple[str, str]] = {
    "next": ("下一步", "Next"), "open": ("营业时间内", "Open"), "closed": ("非营业时间", "Closed"),
    "fallback": ("兜底", "Fallback"), "found": ("找到", "Found"), "not_found": ("未找到", "Not found"),
    "error": ("出错时", "On error"), "else": ("否则", "Else"), "branches": ("分支", "Branch"),
    "overflow": ("溢出去向", "Overflow"), "after": ("通话结束后", "After the call"),
    "failed": ("失败时", "If it fails"), "accepted": ("接受时", "Accepted"), "declined": ("拒绝时", "Declined"),
    "no_handler": ("无人处理", "No handler"), "refused": ("被拒绝", "Refused"), "target": ("目标节点", "Target"),
}


def port_label(port: str, item: int | None, locale: str | None) -> str:
    """An exit of an IVR node in words: 失败时 / If it fails, 分支 1 / Branch 1 (`item` counts from 1), a menu's
    digit as it is pressed; a port without words (impossible once the table is complete) reads without "_"."""
    zh = language(locale) == "zh"
    words = PORT_LABELS.get(port)
    if words is not None:
        said = words[0] if zh else words[1]
    elif len(port) == 1 and port in "0123456789*#":
        said = port  # a menu's digit leads its exit as the caller presses it
    else:
        said = port.replace("_", " ")
    return f"{said} {item}" if item else said
