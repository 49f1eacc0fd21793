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

#: Longest parameter text kept (a reason must fit its column; a tenant's label or a list of findings is cut).
MAX_PARAM = 300


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


def plain(stored: Any) -> str:
    """A stored reason as one line for logs and the CLI (English words are the UI's job, not this one's)."""
    value = decode(stored)
    if isinstance(value, str):
        return value
    params = ", ".join(f"{k}={v}" for k, v in value.items() if k != "code")
    return f"{value['code']} ({params})" if params else str(value["code"])
