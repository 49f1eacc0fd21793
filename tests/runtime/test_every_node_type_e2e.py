"""One call through an IVR holding all 17 node types, on the simulator: the same IVR and script as the realfs
lane's test_real_switch_nodes.py, so the simulator and the real switch are held to one path (no key pressed;
the transfer fails INVALID_GATEWAY as on docs/freeswitch's configuration; the queue's agent answers)."""

from __future__ import annotations

import uuid

import pytest

from hotline.platform.db import Database
from hotline.runtime.simswitch import AgentBehavior, CallerScript

from .e2e_helpers import clone, publish_ivr, require_redis, run, stack, wait_for_record
from .realfs.test_real_switch_nodes import NODES

pytestmark = [pytest.mark.redis]


def test_a_call_passes_every_node_type_on_the_simulator(db: Database) -> None:
    require_redis()
    did = f"4015{uuid.uuid4().int % 10**6:06d}"
    tenant_id = clone(db, "property_management", f"nodes-{uuid.uuid4().hex[:8]}", [did])

    def every_type(body: dict) -> None:
        body["nodes"] = NODES
        body["start"], body["fallback"] = "open", "bye"

    publish_ivr(db, tenant_id, every_type)

    async def scenario():
        async with stack(db, agents={"1001": AgentBehavior(answer_after_ms=100, talk_ms=500)}, gateways=()) as s:
            await s.login("1001", tenant_id, "pm_general")
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000091"), timeout=60)
            return await wait_for_record(db, tenant_id, record.uuid, timeout=20)

    cdr = run(scenario(), timeout=90)
    types = {NODES[step["node"]]["type"] for step in cdr.trace["steps"] if step.get("node") in NODES}
    assert types == {node["type"] for node in NODES.values()} and len(types) == 17, (sorted(types), cdr.trace)
    assert not cdr.trace.get("errors"), cdr.trace["errors"]
    assert [(e["status"], e["agent"]) for e in cdr.trace["events"] if e["type"] == "queue"] == [("answered", "1001")]
