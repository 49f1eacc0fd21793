"""Stored outbound messages in the reader's language (QA 13 #1, #2, #4).

The platform stores a message as a code and its parameters ({"code": "number.not_chinese", "raw": "12345"}); the
page words it at display time through the string table, so a Chinese operator never reads the English the
import ran with. Rows written before the codes hold an English sentence: the known ones are mapped back to their
code here (display, not a migration: an import job's errors are a JSON list, and reading them costs nothing),
anything else is shown as stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint
from markupsafe import Markup, escape

from ...platform.outbound import reasons
from ...platform.outbound.skips import SKIP_REASONS
from ..i18n import current_locale, translate

#: The dialer's old words for its outcomes → the outcome codes.
OUTCOME_WORDS = {"the number does not exist": "invalid", "busy": "busy", "no answer": "no_answer",
                 "call failed": "failed", "answering machine": "machine",
                 "abandoned (no agent within 2 s)": "abandoned", "dialer lost the call": "lost"}
#: Sentences of rows stored before the codes → (code, parameter names of the groups).
LEGACY: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    (re.compile(r"'(.*)' is not a Chinese mobile, landline or 400/800 number"), "number.not_chinese", ("raw",)),
    (re.compile(r"'(.*)' is not an international number \(\+ and 7 to 15 digits\)"), "number.not_international",
     ("raw",)),
    (re.compile(r"'(.*)' is a landline without its area code \(e\.g\. 010-(\d+)\)"), "number.no_area_code",
     ("raw", "digits")),
    (re.compile(r"the phone number is empty"), "number.empty", ()),
    (re.compile(r"not a CSV or \.xlsx file"), "contacts.not_a_table", ()),
    (re.compile(r"no phone column \(电话 / 手机 / phone\)"), "contacts.no_phone_column", ()),
    (re.compile(r"a list holds at most (\d+) contacts; the rest was not imported"), "contacts.too_many", ("most",)),
    (re.compile(r"Invalid isoformat string: '(.*)'"), "contacts.bad_consent_time", ("value",)),
    (re.compile(r"disposition (.+)"), "dnc.note.disposition", ("disposition",)),
    # contact_jobs' refusals of an upload (words of the platform, matched here rather than changed there)
    (re.compile(r"the file is empty"), "contacts.file_empty", ()),
    (re.compile(r"the contact list no longer exists"), "contacts.list_gone", ()),
    (re.compile(r"the file is larger than (\d+) MB; split it"), "contacts.file_too_large", ("mb",)),
    (re.compile(r"'(.*)' is neither CSV nor Excel \.xlsx"), "contacts.file_not_table", ("name",)),
    # why an entry or an attempt ended, as the dialer wrote it before the codes (QA 13a #5)
    (re.compile(r"(.+): (\d+) times, the policy retries (\d+)"), "reason.retries_exhausted",
     ("outcome", "tried", "max")),
    (re.compile(r"要求不再来电 / asked not to be called again"), "reason.asked_not_to_call", ()),
    (re.compile(r"wrong number"), "reason.wrong_number", ()),
    (re.compile(r"answered by agent (.+); no wrap-up recorded when the call ended"), "reason.no_wrap_up", ("agent",)),
    (re.compile(r"answered, but the call never reached a runtime \(no agent or script took it\)"),
     "reason.unreached", ()),
    (re.compile(r"skipped by agent (.+?): (.+)"), "reason.agent_skip", ("agent", "skip")),
    (re.compile(r"skipped in preview: (.+)"), "reason.agent_skip_unnamed", ("skip",)),
    (re.compile(r"task (done|cancelled) by (.*?): (.*)", re.S), "reason.task_closed", ("status", "by", "result")),
    (re.compile(r"ticket not created \((.*?)\): (.*)", re.S), "reason.ticket_refused", ("form", "findings")),
    (re.compile(r"ticket not created: (.*)", re.S), "reason.ticket_refused_unnamed", ("findings",)),
    (re.compile(r"not dialled: (.*)", re.S), "reason.not_dialled", ("why",)),
    (re.compile(r"on the do-not-call list: (.+)"), "detail.dnc", ("lists",)),
    (re.compile(r"a marketing call needs the contact's recorded consent"), "detail.no_consent", ()),
    (re.compile(r"(\d+) attempts made; the cap is (\d+)"), "detail.attempt_cap", ("made", "cap")),
    (re.compile("|".join(re.escape(w) for w in OUTCOME_WORDS)), "reason.outcome", ()),
)


class _Blank(dict):  # type: ignore[type-arg]
    """format_map values: a placeholder the message does not carry stays visible instead of a KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def as_message(stored: Any) -> Mapping[str, Any] | str:
    """A stored message as {"code", **params} (a coded reason: platform/outbound/reasons.py); an old English sentence
    becomes its code when it is a known one."""
    decoded = reasons.decode(stored)
    if isinstance(decoded, Mapping):
        return decoded
    text = decoded
    for pattern, code, names in LEGACY:
        match = pattern.fullmatch(text)
        if match:
            found = {"code": code, **dict(zip(names, match.groups(), strict=True))}
            return {**found, "outcome": match.group(0)} if code == "reason.outcome" else found
    return text


def say(stored: Any, locale: str, label: Callable[[str, Any], Any] | None = None) -> str:
    """The stored message in `locale`'s words; `label(name, value)` may show a parameter as a label."""
    message = as_message(stored)
    if isinstance(message, str):
        return translate(message, locale)
    params = {k: v for k, v in message.items() if k != "code"}
    label = label or _label(locale)  # parameters by their labels (lists, outcomes, skip reasons)
    params = {k: label(k, v) for k, v in params.items()}
    try:
        return translate(str(message.get("code", "")), locale).format_map(_Blank(params))
    except (ValueError, IndexError, AttributeError):
        return translate(str(message.get("code", "")), locale)


def _label(locale: str) -> Callable[[str, Any], Any]:
    joiner = "、" if locale == "zh_CN" else ", "

    def label(name: str, value: Any) -> Any:
        if name == "lists":  # the DNC lists that matched, by their labels (an old row's as "tenant, platform")
            names = value if isinstance(value, list) else str(value).split(", ")
            return joiner.join(translate(f"dnc_list.{v}", locale) for v in names)
        if name == "outcome":  # an outcome (or an old row's words for it) by its label
            return translate(f"outcome.{OUTCOME_WORDS.get(str(value), value)}", locale)
        if name == "skip":  # an agent's skip reason (or an old row's words for it) by its label
            code = next((c for c, (_s, _m, words) in SKIP_REASONS.items() if words == value), value)
            return translate(f"skip_reason.{code}", locale)
        if name == "status" and value in ("done", "cancelled"):  # a call task's end
            return translate(f"task_status.{value}", locale)
        if name in ("result", "why"):  # a task's result (an agent's words, or the system's reason, coded or in
            # its old words); why a number was not dialled (a number.* code, or an old row's sentence)
            return say(value, locale, label) if value else value
        if name == "findings":  # a refused ticket's findings, each "JSON Pointer: why" as the form said it
            return ("；" if locale == "zh_CN" else "; ").join(map(str, value)) if isinstance(value, list) else value
        if name == "state" and value in ("done", "skipped", "failed", "closed"):  # how an entry ended
            return translate(f"entry.{value}", locale)
        return value
    return label


def ticket_refusal(stored: Any, locale: str) -> str | None:
    """The findings of an answers ticket the form refused (answer_tickets.py), for the desk's notice; None when the
    stored reason is another one."""
    message = as_message(stored)
    if not isinstance(message, Mapping) or not str(message.get("code", "")).startswith("reason.ticket_refused"):
        return None
    return str(_label(locale)("findings", message.get("findings", "")))


def result_words(stored: Any, locale: str) -> str:
    """A call task's result for `locale`: the system's reason (coded, or an old row's known sentence) worded; what
    an agent typed exactly as typed, never looked up as a string key (issue 13, 13c #3)."""
    if not stored or isinstance(as_message(stored), str):
        return "" if stored is None else str(stored)
    return say(stored, locale)


def say_now(stored: Any) -> str:
    """`say` in the current request's language (the campaign templates' `say`)."""
    locale = current_locale()
    return say(stored, locale, _label(locale))


def dnc_note(stored: Any, labels: Mapping[str, str]) -> str:
    """A do-not-call entry's note from a disposition, with the disposition by its label: the one kept with the note,
    else the tenant's scripts' (`labels`; QA 13a #3: the page read "通话处理结果：dnc")."""
    message = as_message(stored)
    if isinstance(message, Mapping) and "disposition" in message:
        code = str(message["disposition"])
        message = {**message, "disposition": message.get("label") or labels.get(code, code)}
    return say_now(message)


def error_words(exc: BaseException) -> str:
    """A refused value's reason (a coded `message` when it has one) in the request's language."""
    return say_now(getattr(exc, "message", None) or str(exc))


def plural(key: str, count: int) -> str:
    """The string-table key of a count's sentence: `<key>.one` for 1, else `<key>.other` (English needs both;
    Chinese words them alike)."""
    return f"{key}.one" if count == 1 else f"{key}.other"


def with_spans(code: str, **values: Any) -> Markup:
    """A sentence with its counts in `<span data-k="name">` (the progress script updates them) where the reader's
    language puts them: "已读取 1 / 3 行", "Lines read: 1 / 3" (QA 13a #4: "1 / 3 line")."""
    parts = re.split(r"\{(\w+)\}", translate(code, current_locale()))
    out = Markup("")
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out += escape(part)
        else:
            out += Markup('<span data-k="{}">{}</span>').format(part, values.get(part, ""))
    return out


def register(bp: Blueprint) -> None:
    bp.context_processor(lambda: {"say": say_now, "with_spans": with_spans})
