"""One-click fixes for findings: the repair the designer can offer beside a finding (issue 16, item 4).

Analysts read "「查件子菜单」的按键 9 还没有连接下一步" and want the button that does it, as Twilio Studio and
Genesys Architect offer. The fix is found from the finding's code and pointer, before the findings are worded
for a reader (wording moves a missing field's pointer in Chinese only), and is carried through the wording
unchanged. The IVR (digits, next, queues) and dispatch rules (queues) have fixes: findings with one obvious repair.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from ..findings import Finding, Fix, join
from .wording import target_fields

_MISSING = re.compile(r"missing required property '([^']+)'")
#: Schema messages on a target field that mean "not connected" or "not a node id".
_NOT_CONNECTED = re.compile(r"^'.*' (is too short|does not match|should be non-empty)")


def _parts(ptr: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in ptr.split("/")[1:]] if ptr else []


def _connect(ptr: str, parts: list[str]) -> tuple[Fix, ...]:
    """Connect the target at ptr; a menu digit may instead be removed."""
    if len(parts) == 4 and parts[2] == "options":
        return Fix("connect", ptr), Fix("remove", ptr)
    return (Fix("connect", ptr),)


def _at(body: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(body, dict):
            body = body.get(part)
        elif isinstance(body, list) and part.isdigit() and int(part) < len(body):
            body = body[int(part)]
        else:
            return None
    return body


def _queue_fixes(ptr: str, parts: list[str], body: Any) -> tuple[Fix, ...]:
    """A queue the tenant lacks: use an existing one, or create it under the name the document gives."""
    name = _at(body, parts)
    found = (Fix("pick", ptr, "queue"),)
    return (*found, Fix("create", ptr, "queue", name)) if isinstance(name, str) and name else found


def _dispatch_fixes(finding: Finding, body: Any) -> tuple[Fix, ...]:
    parts = _parts(finding.pointer)
    if finding.code == "unknown-queue" and parts[-1:] == ["queue"]:
        return _queue_fixes(finding.pointer, parts, body)
    return ()


def _ivr_fixes(finding: Finding, body: Any) -> tuple[Fix, ...]:
    parts = _parts(finding.pointer)
    if parts[:1] in (["start"], ["fallback"]) and finding.code == "unknown-target":
        return (Fix("connect", finding.pointer),)
    if len(parts) < 2 or parts[0] != "nodes":
        return ()
    targets = target_fields()
    names_target = (len(parts) == 3 and parts[2] in targets) or (len(parts) == 4 and parts[2] == "options") or (
        len(parts) == 5 and parts[2] == "branches" and parts[4] == "next")
    if finding.code == "unknown-target" and names_target:
        return _connect(finding.pointer, parts)
    if finding.code == "unknown-queue" and parts[2:] == ["queue"]:
        return _queue_fixes(finding.pointer, parts, body)
    if finding.code != "schema":
        return ()
    missing = _MISSING.match(finding.message)
    if missing and len(parts) == 2 and missing.group(1) in targets:
        return (Fix("connect", join(finding.pointer, missing.group(1))),)
    # A new branch has no "next" at all (not ""): its port gets the same 连接到… as 否则's.
    if missing and missing.group(1) == "next" and len(parts) == 4 and parts[2] == "branches":
        return (Fix("connect", join(finding.pointer, "next")),)
    if names_target and _NOT_CONNECTED.match(finding.message):
        return _connect(finding.pointer, parts)
    return ()


#: The kinds with fixes, and how each finds them.
_FINDERS: dict[str, Callable[[Finding, Any], tuple[Fix, ...]]] = {"ivr": _ivr_fixes, "dispatch": _dispatch_fixes}


def with_fixes(findings: Iterable[Finding], kind: str, body: Any) -> list[Finding]:
    """The findings, each with the fixes known for it (kinds without fixes get their findings back as they are)."""
    finder = _FINDERS.get(kind)
    if finder is None:
        return list(findings)
    out: list[Finding] = []
    for finding in findings:
        fixes = finder(finding, body)
        out.append(replace(finding, fixes=fixes) if fixes else finding)
    return out
