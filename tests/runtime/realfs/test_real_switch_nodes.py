"""Every IVR node type on the real switch (issue 12 item 9): one call through an IVR holding all 17 node types,
made to pass each of them without a key press (menus, collects, callback offer and survey end by their
time-outs; the transfer fails INVALID_GATEWAY on the configuration of docs/freeswitch; the queue bridges
the loopback agent 1001). Same set-up and skip rules as test_real_switch.py."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from hotline.platform.db import Database

from ..e2e_helpers import clone, publish_ivr, run
from .test_real_switch import _record_of, call, real_stack

pytestmark = [pytest.mark.realfs, pytest.mark.redis, pytest.mark.slow]


def _say(text: str) -> dict:
    return {"text": text}


NODES = {
    "open": {"type": "hours", "open": "welcome", "closed": "welcome"},
    "welcome": {"type": "play", "prompt": _say("欢迎致电"), "next": "mark"},
    "mark": {"type": "set", "values": {"path": "all"}, "next": "jump"},
    "jump": {"type": "goto", "target": "check"},
    "check": {"type": "condition", "branches": [{"when": {"field": "var.path", "op": "eq", "value": "all"},
                                                 "next": "choose"}], "else": "choose"},
    "choose": {"type": "menu", "prompt": _say("请按一"), "options": {"1": "code"}, "timeout_seconds": 1,
               "max_retries": 0, "fallback": "code"},
    "code": {"type": "collect", "prompt": _say("请输入号码"), "variable": "code", "min_digits": 6, "max_digits": 6,
             "timeout_seconds": 1, "max_retries": 0, "next": "find", "fallback": "find"},
    "find": {"type": "lookup", "source": {"builtin": "ticket"}, "key": "123456", "assign": {"st": "status"},
             "found": "open_ticket", "not_found": "open_ticket", "error": "open_ticket"},
    "open_ticket": {"type": "ticket", "form": "repair_request", "variable": "repair_no", "next": "urge",
                    "fields": {"phone": "{{call.caller}}", "address": "1栋101", "location_type": "indoor",
                               "category": "water_electric", "urgency": "normal", "source": "ivr"}},
    "urge": {"type": "urge", "ticket": "{{repair_no}}", "variable": "urged", "next": "text",
             "no_handler": "text", "refused": "text"},
    "text": {"type": "sms", "text": "工单{{repair_no}}已受理", "next": "message"},
    "message": {"type": "voicemail", "prompt": _say("请留言"), "max_seconds": 5, "queue": "general", "next": "offer"},
    "offer": {"type": "callback", "prompt": _say("回电请按一"), "confirm_digit": "1", "number": "{{call.caller}}",
              "queue": "general", "accepted": "rate", "declined": "rate"},
    "rate": {"type": "survey", "prompt": _say("请评分"), "variable": "score", "next": "away"},
    "away": {"type": "transfer", "number": "13757109999", "failed": "agents"},
    "agents": {"type": "queue", "queue": "general", "skills": ["pm_general"], "timeout_seconds": 20,
               "overflow": "bye", "after": "bye", "announce_position": False},
    "bye": {"type": "hangup"},
}


def test_a_call_passes_every_node_type_on_the_real_switch(db: Database) -> None:
    did = f"4014{uuid.uuid4().int % 10**6:06d}"
    tenant_id = clone(db, "property_management", f"nodes-{uuid.uuid4().hex[:8]}", [did])

    def every_type(body: dict) -> None:
        body["nodes"] = NODES
        body["start"], body["fallback"] = "open", "bye"

    publish_ivr(db, tenant_id, every_type)

    async def scenario():
        async with real_stack(db) as (runtime, client):
            await runtime.acd.presence.login("1001", {str(tenant_id): {"pm_general": 1}})
            leg = await call(client, did, "13700000081")
            for _ in range(900):
                if (await runtime.acd.presence.get("1001")).state == "on_call":
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)
            await client.api(f"uuid_kill {leg}")
            return await _record_of(db, tenant_id, did)

    cdr = run(scenario(), timeout=150)
    types = {NODES[step["node"]]["type"] for step in cdr.trace["steps"] if step.get("node") in NODES}
    assert types == {node["type"] for node in NODES.values()}, (sorted(types), cdr.trace)
    assert len(types) == 17
    assert not cdr.trace.get("errors"), cdr.trace["errors"]
    assert [(e["status"], e["agent"]) for e in cdr.trace["events"] if e["type"] == "queue"] == [("answered", "1001")]
