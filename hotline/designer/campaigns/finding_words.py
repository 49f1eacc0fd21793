"""The campaign service's findings in the form's words (QA 13a #2).

The service (platform/outbound/campaigns.create) reports by JSON Pointer, counting from 0, in English — right for
the API. The new-campaign form shows each on its field, in the reader's language, naming the window or the retry
line as the form counts them (from 1): "第 2 个可拨打时段的开始时间须早于结束时间…", never "/windows/windows/1: …";
a retry rule's outcome by its label (重拨规则第 2 行（无人接听）…), never its code (fix-counters item 2).
A finding this module does not know keeps the service's sentence, without its pointer.
"""

from __future__ import annotations

import re

from ...platform.findings import Finding
from ...platform.outbound.campaigns import MAX_ATTEMPTS, MAX_GAP_MINUTES, MAX_RETRY_RULES
from ...platform.outbound.compliance import WEEKDAYS
from ..i18n import translate
from .forms import retry_rule
from .outcome_words import outcome_label, outcome_labels

#: Findings by pointer prefix → the form field they belong on (the longest prefix wins).
FIELDS = {"/name": "name", "/script": "script", "/contact_list_id": "contact_list", "/mode": "mode",
          "/queue": "queue", "/max_lines": "max_lines", "/abandon_cap": "abandon_cap",
          "/max_attempts_per_contact": "max_attempts", "/min_gap_minutes": "min_gap",
          "/agent_wait_seconds": "agent_wait",
          "/windows/timezone": "timezone", "/windows": "windows", "/retry_policy": "retries"}

_WINDOW = re.compile(r"^/windows/windows/(\d+)(/days)?$")
_RETRY = re.compile(r"^/retry_policy/(.+)$")

STRINGS: dict[str, tuple[str, str]] = {  # code → (Chinese, English)
    "finding.window.time": ("第 {n} 个可拨打时段的开始时间须早于结束时间（HH:MM，00:00 至 24:00）",
                            "Call window {n}: the start time must be before the end time (HH:MM, 00:00 to 24:00)"),
    "finding.window.days": ("第 {n} 个可拨打时段的星期须为 {days} 中的若干个",
                            "Call window {n}: the days must be some of {days}"),
    "finding.windows.count": ("可拨打时段须有 1 至 50 个", "Call windows: 1 to 50 are needed"),
    # a retry rule is named by its line as the form counts them and its outcome's label (占线, never busy)
    "finding.retry.where.line": ("重拨规则第 {n} 行", "Retries, line {n}"),
    "finding.retry.where.rule": ("重拨规则", "Retries"),
    "finding.retry.outcome": ("{where}：“{outcome}”既不是呼叫结果（{outcomes}），也不是脚本的处理结果代码",
                              "{where}: '{outcome}' is neither a call outcome ({outcomes}) nor a disposition code "
                              "of the script"),
    "finding.retry.range": ("{where}（{outcome}）：间隔分钟数须为 1 至 {delay}，最多重拨次数须为 0 至 {most}{typed}",
                            "{where} ({outcome}): the delay must be 1 to {delay} minutes and the most retries 0 to "
                            "{most}{typed}"),
    "finding.retry.typed": ("（此行填写的是 {delay} 分钟、{most} 次）",
                            " (this line says {delay} minutes, {most} retries)"),
    "finding.retry.numbers": ("{where}（{outcome}）：间隔分钟数与最多重拨次数须为整数",
                              "{where} ({outcome}): the delay and the most retries must be whole numbers"),
    "finding.retry.count": ("重拨规则最多 {most} 条", "Retries: at most {most} rules"),
}


def field_of(finding: Finding) -> str:
    """The form field a finding belongs on (the name field when no pointer matches)."""
    return next((f for p, f in sorted(FIELDS.items(), key=lambda i: -len(i[0])) if finding.pointer.startswith(p)),
                "name")


def _rules(text: str | None) -> list[tuple[int, tuple[str, int, int] | None, str]]:
    """(line number from 1, blank lines not counted as the form's own errors count; the rule it reads as or None;
    its first word) of every line of the retries field as typed."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return [(n, retry_rule(line), line.split()[0]) for n, line in enumerate(lines, 1)]


def retry_line(text: str | None, outcome: str) -> int:
    """The form's line number of the retry rule for `outcome` (a code), typed by its code or its label: the last
    line naming it, the one the service kept; 0 when no line does (the API, or a field not shown)."""
    return max((n for n, rule, first in _rules(text) if (rule[0] if rule else first) == outcome), default=0)


def _typed(text: str | None, line: int) -> tuple[int, int] | None:
    """(delay, most) as typed on line `line` of the retries field, when it reads as a rule."""
    return next(((rule[1], rule[2]) for n, rule, _ in _rules(text) if n == line and rule), None)


def register() -> None:
    """Adds these strings to the UI's table (called by strings.register)."""
    from .. import i18n

    i18n.extend({code: {"zh_CN": zh, "en": en} for code, (zh, en) in STRINGS.items()})


def words(finding: Finding, retries_text: str | None, locale: str) -> str:
    """The finding in `locale`'s words; `retries_text` is the retries field as typed (to name the line)."""
    def say(code: str) -> str:
        return translate(code, locale)

    joiner = "、" if locale == "zh_CN" else ", "
    window = _WINDOW.match(finding.pointer)
    if window and finding.code in ("time", "days"):
        return say(f"finding.window.{finding.code}").format(n=int(window.group(1)) + 1, days=joiner.join(WEEKDAYS))
    if finding.pointer == "/windows/windows":
        return say("finding.windows.count")
    retry = _RETRY.match(finding.pointer)
    if retry and finding.code in ("outcome", "range", "retry"):
        code = retry.group(1).replace("~1", "/").replace("~0", "~")
        line = retry_line(retries_text, code)
        where = say("finding.retry.where.line").format(n=line) if line else say("finding.retry.where.rule")
        key = {"outcome": "outcome", "range": "range", "retry": "numbers"}[finding.code]
        typed = _typed(retries_text, line) if finding.code == "range" and line else None
        return say(f"finding.retry.{key}").format(
            where=where, outcome=outcome_label(code, locale), outcomes=outcome_labels(locale),
            delay=MAX_GAP_MINUTES, most=MAX_ATTEMPTS,
            typed=say("finding.retry.typed").format(delay=typed[0], most=typed[1]) if typed else "")
    if finding.pointer == "/retry_policy" and finding.code == "size":
        return say("finding.retry.count").format(most=MAX_RETRY_RULES)
    return say(finding.message)
