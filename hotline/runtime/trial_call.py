"""A simulated call through the simulator and the real runtime over TCP, reported for people.

`hotline call` prints it; the designer's in-browser test call reuses it. Everything runs in this process
on ephemeral ports, so it works on a fresh machine with nothing else started.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from ..platform.db import Database
from ..platform.models import CallRecord, Skill
from ..platform.redis_conn import RedisConnections
from ..platform.services.tenants import resolve_did
from .server import Runtime
from .simswitch import HANGUP, SILENCE, AgentBehavior, CallerScript, SimSwitch, SimSwitchConfig, SocketTarget


@dataclass
class TrialCallResult:
    uuid: str
    outcome: str | None
    path: list[str]
    prompts: list[str]
    digits: list[list[str | None]]
    variables: dict[str, Any]
    errors: list[dict[str, Any]]
    bridges: list[str]
    hangup_cause: str | None
    ivr_version: int | None
    steps: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        out = [f"call {self.uuid}: outcome {self.outcome}, hangup {self.hangup_cause}, IVR version {self.ivr_version}",
               "path: " + " → ".join(self.path)]
        out += [f"  heard: {text}" for text in self.prompts]
        out += ["  pressed: " + ", ".join(d if d is not None else "(nothing)" for d in attempts)
                for attempts in self.digits]
        out += [f"  set: {name} = {value!r}" for name, value in self.variables.items()]
        out += [f"  bridged: {target}" for target in self.bridges]
        out += [f"  error at {e.get('node')}: {e.get('reason')}" for e in self.errors]
        return out


def parse_presses(text: str) -> list[str | None]:
    """'1,7730012345601#,,hangup' → one entry per prompt: digits, '' or '-' for silence, 'hangup'."""
    presses: list[str | None] = []
    for item in text.split(",") if text else []:
        item = item.strip()
        presses.append(SILENCE if item in ("", "-") else HANGUP if item.lower() == "hangup" else item)
    return presses


async def run(db: Database, redis: RedisConnections, did: str, caller: str, presses: list[str | None], *,
              at: datetime | None = None, agents: tuple[str, ...] = ()) -> TrialCallResult:
    """Places one call; `agents` are simulated agent ids logged in with every skill of the tenant."""
    with db.platform() as session:
        tenant_id = resolve_did(session, did).tenant_id
    with db.tenant(tenant_id) as session:
        skills = {name: 1 for name in session.scalars(select(Skill.name))}
    prefix = f"trial-{uuid.uuid4().hex[:8]}:acd"
    client = redis.new_async()
    clock = (lambda: at) if at else (lambda: datetime.now(UTC))
    runtime = Runtime(db, client, port=0, acd_prefix=prefix, clock=clock, test_calls=True)
    await runtime.start()
    switch = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", runtime.port), time_scale=0.01,
                                       agents={a: AgentBehavior(answer_after_ms=200, talk_ms=1000) for a in agents}))
    try:
        for agent in agents:
            await runtime.acd.presence.login(agent, {str(tenant_id): skills})
        await switch.start()
        record = await switch.place_call(CallerScript(did=did, caller=caller, presses=presses))
    finally:
        await switch.stop()
        await runtime.stop()
        with contextlib.suppress(Exception):
            keys = [k async for k in client.scan_iter(f"{prefix}*")]
            if keys:
                await client.delete(*keys)
        await client.aclose()
    with db.tenant(tenant_id) as session:
        cdr = session.scalar(select(CallRecord).where(CallRecord.uuid == record.uuid))
    trace = cdr.trace if cdr else {}
    steps = trace.get("steps", [])
    return TrialCallResult(
        uuid=record.uuid, outcome=cdr.outcome if cdr else None, path=[s["node"] for s in steps],
        prompts=list(record.prompts), digits=[s.get("digits") for s in steps if "digits" in s],
        variables=trace.get("variables", {}), errors=trace.get("errors", []),
        bridges=[b.get("target", "") for b in record.bridges], hangup_cause=record.hangup_cause,
        ivr_version=cdr.ivr_version if cdr else None, steps=steps)
