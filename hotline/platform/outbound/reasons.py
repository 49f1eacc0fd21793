"""Reasons the outbound side stores for people to read later — why an entry ended, why an attempt ended as it did,
why a number is on the do-not-call list — as a code and its parameters, not as sentences.

The columns are text (closed_reason, reason, note), so a reason is stored as a compact JSON object
`{"code": "reason.retries_exhausted", "outcome": "busy", "tried": 3, "max": 2}` and worded where it is shown, in
the reader's language (designer/campaigns/messages.py). No migration was needed, and rows written before the codes
still hold their English sentence: `decode` returns such text unchanged, and the display matches the known ones
back to their code (QA 13a #5).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .skips import SKIP_REASONS

#: Longest parameter text kept (a reason must fit its column; a tenant's label or a list of findings is cut).
MAX_PARAM = 300


def detail_code(rule: str, params: Mapping[str, Any]) -> str:
    """The string-table code of a compliance refusal's detail (`detail.<rule>`; a window with none ahead differs)."""
    if rule == "outside_window" and params.get("next") is None:
        return "detail.outside_window_none"
    return f"detail.{rule}"


def coded(code: str, **params: Any) -> str:
    """The stored form of a reason: `code` (a key of the UI's string table) with its parameters."""
    values = {k: (v[:MAX_PARAM] if isinstance(v, str) else v) for k, v in params.items()}
    return json.dumps({"code": code, **values}, ensure_ascii=False, separators=(",", ":"))


def decode(stored: Any) -> Mapping[str, Any] | str:
    """A stored reason as {"code", **params}; text that is not a coded reason (an old row's sentence, an operator's
    own note) is returned as it is."""
    if isinstance(stored, Mapping):
        return stored
    text = "" if stored is None else str(stored)
    if text.startswith('{"code":'):
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if isinstance(value, dict) and isinstance(value.get("code"), str):
            return value
    return text


#: The reasons' English words (logs, the CLI, a call task's result; the UI's string table takes them as its English).
ENGLISH = {
    "reason.outcome": "{outcome}",
    "reason.retries_exhausted": "{outcome}: tried {tried}; the retry rule retries at most {max}",
    "reason.asked_not_to_call": "asked not to be called again",
    "reason.wrong_number": "wrong number",
    "reason.no_wrap_up": "answered by agent {agent}; no wrap-up recorded when the call ended",
    "reason.unreached": "answered, but the call never reached a runtime (no agent or script took it)",
    "reason.runtime_stopped": "answered by agent {agent}; the call was cut when its runtime stopped",
    "reason.runtime_lost": "answered by agent {agent}; its runtime died mid-call (closed by the lease sweep)",
    "reason.runtime_stopped_no_agent": "answered, but its runtime stopped before an agent took the call",
    "reason.runtime_lost_no_agent": "answered, but its runtime died before an agent took the call",
    "reason.agent_skip": "skipped by agent {agent}: {skip}",
    "reason.task_closed": "task {status} by {by}: {result}",
    "reason.ticket_refused": "ticket not created ({form}): {findings}",
    "reason.not_dialled": "not dialled: {why}",
    "reason.entry_ended": "{state}",
    # why a number cannot be dialled (numbers.NumberRefused), nested in reason.not_dialled
    "number.empty": "the phone number is empty",
    "number.not_chinese": "'{raw}' is not a Chinese mobile, landline or 400/800 number",
    "number.not_international": "'{raw}' is not an international number (+ and 7 to 15 digits)",
    "number.no_area_code": "'{raw}' is a landline without its area code (e.g. 010-{digits})",
    # a compliance refusal's detail (times already in the callee's zone)
    "detail.dnc": "on the do-not-call list: {lists}",
    "detail.no_consent": "a marketing call needs the contact's recorded consent",
    "detail.outside_window": "{local} ({zone}) is outside the call windows; next opening {next}",
    "detail.outside_window_none": "{local} ({zone}) is outside the call windows; none opens in the next 14 days",
    "detail.attempt_cap": "attempts made: {made}; the cap is {cap}",
    "detail.abandoned_72h": "an abandoned call at {at}; no automatic redial before {until}",
    "detail.min_gap": "last attempt {minutes} min ago; the minimum gap is {gap} min",
}


def plain(stored: Any) -> str:
    """A stored reason as one English line for logs, the CLI and a call task's result (pages word it per reader)."""
    value = decode(stored)
    if isinstance(value, str):
        return value
    params = {k: ", ".join(map(str, v)) if isinstance(v, list) else plain(v) if isinstance(v, Mapping) else v
              for k, v in value.items() if k != "code"}
    if params.get("skip") in SKIP_REASONS:
        params["skip"] = SKIP_REASONS[params["skip"]][2]
    words = ENGLISH.get(str(value["code"]))
    if words is None:
        listed = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{value['code']} ({listed})" if listed else str(value["code"])
    try:
        return words.format(**params)
    except (KeyError, IndexError, ValueError):
        return words
