"""`hotline call --live` follows its call: the path it took in words and how it ended (tester's defect 3).

Placing a live call used to print only "placed on the switch", so an after-hours call gave no hint why nothing
rang. After placing, the command waits (bounded, FOLLOW_SECONDS) for the call's record, which the runtime writes
when the call ends, and prints its path by node labels with the branch taken at each step
(人工服务时间判断 →〔非营业〕非工作时间提示 → …, the labels the desk's pop shows: ticket_desk.path_labels) and how it
ended. A call still going at the deadline is said to be in progress (in a queue or with an agent, most likely):
nothing is written while a flow runs (acd/live_calls.py), so its path is known only at its end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from ..platform.db import Database
from ..platform.models import CallRecord
from ..platform.services.tenants import resolve_did
from ..platform.services.ticket_desk import ivr_body

#: How long the command follows a live call before saying it is still in progress.
FOLLOW_SECONDS = 30.0
POLL_SECONDS = 0.3

#: A node's exit (the key of the node naming the next one) in words, Chinese and English.
PORT_WORDS: dict[str, tuple[str, str]] = {
    "open": ("营业时间内", "open"), "closed": ("非营业", "closed"), "found": ("查到", "found"),
    "not_found": ("未查到", "not found"), "error": ("出错", "error"), "accepted": ("接受", "accepted"),
    "declined": ("未接受", "declined"), "failed": ("失败", "failed"), "overflow": ("排队溢出", "overflow"),
    "timeout": ("超时", "timed out"), "else": ("其他情况", "otherwise"), "fallback": ("未按有效键", "no valid key"),
    "no_agent": ("无坐席", "no agent"),
}
#: How a call ended (CallRecord.outcome) in words.
OUTCOME_WORDS: dict[str, tuple[str, str]] = {
    "completed": ("流程结束挂机", "the flow ended and hung up"), "caller_hangup": ("来电方挂机", "the caller hung up"),
    "abandoned": ("排队中放弃", "abandoned while queued"), "transferred": ("已转接", "transferred"),
    "error": ("流程出错", "the flow failed"), "answered": ("坐席已接听", "answered by an agent"),
    "no_ivr": ("租户未发布IVR", "the tenant has no published IVR"),
    "runtime_stopped": ("运行时停止", "the runtime stopped"), "runtime_lost": ("运行时失联", "the runtime was lost"),
}
SAY: dict[str, tuple[str, str]] = {
    "path": ("路径", "path"), "ended": ("结束", "ended"), "queue": ("进入队列 {queue}，等待 {wait} 秒",
                                                                    "reached queue {queue}, waited {wait} s"),
    "agent": ("坐席接听", "an agent answered"),
    "going": ("{seconds} 秒后通话仍在进行（多半在排队或与坐席通话），结束后其路径见通话记录",
              "still in progress after {seconds} s (most likely queued or with an agent); its path is in the call "
              "record when it ends"),
    "press": ("按{digit}", "pressed {digit}"), "branch": ("条件{n}成立", "condition {n} met"),
}


def _say(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    zh, en = table[key]
    return en if lang == "en" else zh


def branch_word(node: dict[str, Any], step: dict[str, Any], lang: str) -> str | None:
    """The exit of the step's node that leads to its next one in words (非营业, 按3), None for a node's only way
    on. A key is named only when the caller pressed it (a menu's no-input fallback may lead where a key does)."""
    next_id = step.get("next")
    if not next_id:
        return None
    pressed = [d for d in (step.get("digits") or []) if d]
    for digit, target in (node.get("options") or {}).items():
        if target == next_id and pressed and pressed[-1] == digit:
            return _say(SAY, "press", lang).format(digit=digit)
    for n, branch in enumerate(node.get("branches") or [], start=1):
        if isinstance(branch, dict) and branch.get("next") == next_id:
            return _say(SAY, "branch", lang).format(n=n)
    for port, words in PORT_WORDS.items():
        if node.get(port) == next_id:
            return words[1] if lang == "en" else words[0]
    return None


def path_words(body: dict[str, Any], steps: list[dict[str, Any]], lang: str) -> str:
    """营业时间 → 〔非营业〕非工作时间提示 → …: each node by its label, the branch taken before the next."""
    nodes = body.get("nodes") or {}
    parts: list[str] = []
    for step in steps:
        node_id = str(step.get("node") or "")
        node = nodes.get(node_id) or {}
        parts.append(str(node.get("label") or node_id))
        word = branch_word(node, step, lang)
        if word:
            parts.append(f"〔{word}〕" if lang != "en" else f"[{word}]")
    return " → ".join(parts)


def describe(record: CallRecord, body: dict[str, Any], lang: str) -> list[str]:
    """The finished call in words: its path, the queue it reached, how it ended."""
    trace = record.trace or {}
    lines = [f"{_say(SAY, 'path', lang)}: {path_words(body, list(trace.get('steps') or []), lang)}"]
    if record.queue:
        lines.append(_say(SAY, "queue", lang).format(queue=record.queue, wait=record.wait_seconds or 0))
    if record.answered_at is not None:
        lines.append(_say(SAY, "agent", lang))
    outcome = record.outcome or ""
    words = OUTCOME_WORDS.get(outcome)
    said = (words[1] if lang == "en" else words[0]) if words else outcome
    lines.append(f"{_say(SAY, 'ended', lang)}: {said}")
    return lines


def follow(db: Database, did: str, uuid: str, lang: str, *, seconds: float = FOLLOW_SECONDS,
           sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> list[str]:
    """Waits up to `seconds` for the call's record and returns what it did in words (in `lang`, "zh" or "en")."""
    with db.platform() as session:
        tenant_id = resolve_did(session, did).tenant_id
    deadline = clock() + seconds
    while True:
        with db.tenant(tenant_id) as session:
            record = session.scalar(select(CallRecord).where(CallRecord.uuid == uuid))
            if record is not None:
                return describe(record, ivr_body(session, record.ivr_document, record.ivr_version), lang)
        if clock() >= deadline:
            return [_say(SAY, "going", lang).format(seconds=int(seconds))]
        sleep(POLL_SECONDS)
