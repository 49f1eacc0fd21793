"""A webhook lookup names where a failing tracking system sends the caller; cache_seconds is bounded."""

from __future__ import annotations

from typing import Any

from hotline.platform.kinds.context import LintContext
from hotline.platform.kinds.lint import lint
from hotline.platform.kinds.validation import validate_schema


def _ivr(**lookup: Any) -> dict[str, Any]:
    node = {"type": "lookup", "source": {"webhook": {"url": "https://track.example/api", "cache_seconds": 300}},
            "key": "{{call.caller}}", "found": "bye", "not_found": "bye", **lookup}
    return {"start": "look", "fallback": "bye", "nodes": {
        "look": node, "agent": {"type": "queue", "queue": "general", "overflow": "bye"}, "bye": {"type": "hangup"}}}


def test_a_webhook_lookup_without_an_error_target_is_warned_about(ctx: LintContext) -> None:
    body = _ivr()
    del body["nodes"]["agent"]
    [finding] = lint("ivr", body, ctx)
    assert (finding.pointer, finding.severity, finding.code) == ("/nodes/look/error", "warning",
                                                                 "lookup-webhook-no-error")
    assert lint("ivr", _ivr(error="agent"), ctx) == []


def test_cache_seconds_is_bounded() -> None:
    body = _ivr(error="agent")
    body["nodes"]["look"]["source"]["webhook"]["cache_seconds"] = 86_401
    assert any("cache_seconds" in f.pointer for f in validate_schema("ivr", body))
