"""A simulated call through the simulator and the real runtime over TCP, reported for people.

`hotline call` prints it; the designer's in-browser test call reuses it. Everything runs in this process
on ephemeral ports, so it works on a fresh machine with nothing else started.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from ...platform.db import Database
from ...platform.models import CallRecord, Skill
from ...platform.redis_conn import RedisConnections
from ...platform.services.tenants import resolve_did
from ..flow.entered import set_during_call
from ..server import Runtime
from ..simswitch import HANGUP, SILENCE, AgentBehavior, CallerScript, SimSwitch, SimSwitchConfig, SocketTarget


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
    events: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        out = [f"call {self.uuid}: outcome {self.outcome}, hangup {self.hangup_cause}, IVR version {self.ivr_version}",
               "path: " + " → ".join(self.path)]
        # a prompt with no text (a collect that only listens) is nothing heard (QA of issue 11, item 12)
        out += [f"  heard: {heard(text)}" for text in self.prompts if text and text.strip()]
        out += ["  pressed: " + ", ".join(d if d is not None else "(nothing)" for d in attempts)
                for attempts in self.digits]
        out += [f"  set: {name} = {value!r}" for name, value in self.variables.items()]
        out += [f"  bridged: {target}" for target in self.bridges]
        out += [_queue_line(e) for e in self.events if e.get("type") == "queue"]
        out += [_dry_run_line(e) for e in self.events if e.get("dry_run")]
        out += [f"  error at {e.get('node')}: {e.get('reason')}" for e in self.errors]
        return out


def heard(prompt: str) -> str:
    """A prompt as the report prints it: tones and music streams by what they are, never their dial strings
    (the hold music printed as tone_stream://L=-1;%(400,100,523)…: issue 11 QA, item 3)."""
    scheme = prompt.split("://", 1)[0] if "://" in prompt else ""
    if scheme == "local_stream" or (scheme == "tone_stream" and "L=-1" in prompt):
        return "(hold music)"
    if scheme == "tone_stream":
        return "(tone)"
    if scheme == "silence_stream":
        return "(silence)"
    return prompt


def _dry_run_line(event: dict[str, Any]) -> str:
    """What a test call would have written, said so (call/dry_run.py)."""
    kind = event.get("type")
    if kind == "ticket":
        return f"  ticket not stored (test call): {event.get('form')} {event.get('number')}"
    if kind == "sms":
        return f"  SMS not sent (test call) to {event.get('to')}: {event.get('text')}"
    return f"  {kind} not recorded (test call): {event.get('number', '')}"


#: Wall-clock seconds a trial call may take beyond its queues' waits (prompts, menus, lookups, survey).
FLOW_MARGIN_SECONDS = 60.0
#: A queue node's time-out when it names none (flow/nodes/queue.py).
DEFAULT_QUEUE_TIMEOUT = 120


def longest_queue_wait(body: dict[str, Any] | None) -> int:
    """The longest a caller of this IVR can wait in queues: the worst chain of queue nodes, each waiting its
    time-out and overflowing to the next (the queue, not the call's own time limit, decides when waiting ends)."""
    nodes = (body or {}).get("nodes") or {}

    def chain(name: str, seen: frozenset[str]) -> int:
        node = nodes.get(name)
        if not isinstance(node, dict) or node.get("type") != "queue" or name in seen:
            return 0
        own = int(node.get("timeout_seconds", DEFAULT_QUEUE_TIMEOUT) or 0)
        return own + chain(str(node.get("overflow") or ""), seen | {name})

    return max((chain(name, frozenset()) for name in nodes), default=0)


class TrialCallTimedOut(Exception):
    """The call outlived every wait its flow can make (a flow or runtime fault, not a caller waiting)."""


def parse_presses(text: str) -> list[str | None]:
    """'1,7730012345601#,,hangup' → one entry per prompt: digits, '' or '-' for silence, 'hangup'."""
    presses: list[str | None] = []
    for item in text.split(",") if text else []:
        item = item.strip()
        presses.append(SILENCE if item in ("", "-") else HANGUP if item.lower() == "hangup" else item)
    return presses


async def run(db: Database, redis: RedisConnections, did: str, caller: str, presses: list[str | None], *,
              at: datetime | None = None, agents: tuple[str, ...] = (),
              on_start: Callable[[int], None] | None = None) -> TrialCallResult:
    """Places one call; `agents` are simulated agent ids logged in with every skill of the tenant.

    The call may last as long as its IVR's longest queue chain plus a margin, so a caller waiting for an agent
    who never comes ends the way the queue says (time-out, overflow) rather than by the call's own deadline.
    `on_start(seconds)` is told that bound before the call is placed. Raises TrialCallTimedOut beyond it.
    """
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
        limit = longest_queue_wait((await runtime.routes.route(did)).body) + FLOW_MARGIN_SECONDS
        if on_start is not None:
            on_start(int(limit))
        await switch.start()
        try:
            record = await switch.place_call(CallerScript(did=did, caller=caller, presses=presses), timeout=limit)
        except TimeoutError:
            raise TrialCallTimedOut(f"the call to {did} did not end within {int(limit)} s, longer than any wait its "
                                    "IVR can make: see the runtime's log") from None
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
        variables=set_during_call(steps), errors=trace.get("errors", []),
        bridges=[b.get("target", "") for b in record.bridges], hangup_cause=record.hangup_cause,
        ivr_version=cdr.ivr_version if cdr else None, steps=steps, events=list(trace.get("events", [])))


def _queue_line(event: dict[str, Any]) -> str:
    """What the queue did, in words: answered by whom, or how long the caller waited for nobody."""
    waited = f"{float(event.get('wait_seconds') or 0):.0f} s"
    if event.get("agent"):
        return f"  queue {event.get('queue')}: {event.get('status')} by agent {event['agent']} after {waited}"
    return f"  queue {event.get('queue')}: {event.get('status')} after {waited}, no agent answered"
