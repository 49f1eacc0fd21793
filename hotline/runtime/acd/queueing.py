"""Waiting calls: one sorted set per (tenant, queue), ordered by priority then arrival.

A call is owned by the coroutine that handles its channel; every operation here is one script, so two
runtime processes can act on the same queue at once and the queue stays consistent. Only the head of a
queue is ever served (strict order: a call needing a rare skill holds the calls behind it until it is
served or times out — that is what "queue" promises the callers behind it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from redis.asyncio import Redis

from ...platform.acd.keys import AcdKeys, check_id
from .errors import WrongQueue
from .lua_calls import STRATEGIES
from .scripts import AcdScripts

ClaimStatus = Literal["assigned", "offered", "not_head", "no_agent", "gone"]
LeaveReason = Literal["timeout", "overflow", "cancelled"]


@dataclass(frozen=True, slots=True)
class QueuePolicy:
    """How a queue serves its calls (set per queue in the database; lua_calls.py has the details).

    `strategy`: one of STRATEGIES. `ageing_seconds`: seconds of waiting worth one priority level (0 = no
    ageing; every call of a queue must be enqueued with the same value, or the order mixes two scales).
    `shared_cap`: how many agents of the shared pool (agents serving several tenants) the call's tenant
    may hold at once, ringing or on a call (None = no cap). `day_offset_seconds`: the tenant's UTC
    offset, so "calls today" turns over at the tenant's midnight.
    """

    strategy: str = "longest_idle"
    ageing_seconds: float = 0.0
    shared_cap: int | None = None
    day_offset_seconds: int = 0

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(f"unknown queue strategy {self.strategy!r}; expected one of {', '.join(STRATEGIES)}")
        if self.ageing_seconds < 0:
            raise ValueError(f"ageing_seconds must be >= 0 (got {self.ageing_seconds!r})")
        if self.shared_cap is not None and self.shared_cap < 0:
            raise ValueError(f"shared_cap must be >= 0 or None (got {self.shared_cap!r})")


DEFAULT_POLICY = QueuePolicy()


@dataclass(frozen=True, slots=True)
class WaitingCall:
    """A call asking for an agent: who it is for, how urgent (0–9, higher first), which skills it needs.

    `enqueued_at` (Unix seconds) is normally left None and set by Redis when the call first enters the
    queue; pass it to keep a call's place in time, e.g. when it moves on from another queue.
    """

    tenant: str
    queue: str
    call_id: str
    priority: int = 5
    skills: tuple[str, ...] = ()
    enqueued_at: float | None = None
    policy: QueuePolicy = DEFAULT_POLICY
    #: Only this agent may take the call for the first `agent_wait_seconds` (a callback booked with them);
    #: then the queue's strategy picks among every fitting agent.
    agent: str | None = None
    agent_wait_seconds: float = 0.0

    def __post_init__(self) -> None:
        check_id("tenant", self.tenant)
        if not self.queue or not self.call_id:
            raise ValueError("queue and call id must be non-empty")
        if not isinstance(self.priority, int) or not 0 <= self.priority <= 9:
            raise ValueError(f"priority must be an integer 0-9 (got {self.priority!r})")
        object.__setattr__(self, "skills", tuple(self.skills))


@dataclass(frozen=True, slots=True)
class Placement:
    """The call's standing right after enqueue: waiting (since enqueued_at) or already offered."""

    agent_id: str | None
    enqueued_at: float
    server_now: float
    agents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """One claim attempt. `agent_id` is set for assigned/offered (the first of `agents`, which holds every
    ringing agent of a ring-all); `position` (1 = head) while waiting; `next_at` is the Redis time at
    which a wrap-up ends in the tenant (worth trying again then)."""

    status: ClaimStatus
    agent_id: str | None = None
    position: int | None = None
    next_at: float | None = None
    server_now: float | None = None
    agents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LeaveResult:
    """How a call left: removed from the queue, released (its ringing agent freed), gone (already left),
    or offered (too late: an agent was claimed for it, and the caller should get that agent)."""

    status: Literal["removed", "released", "gone", "offered"]
    agent_id: str | None = None
    agents: tuple[str, ...] = ()


class Queues:
    """Enqueue, claim, position and leave, on the queues under one key prefix."""

    def __init__(
        self, redis: Redis, *, keys: AcdKeys, scripts: AcdScripts, lease_seconds: float = 30.0, scan_batch: int = 64
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._scripts = scripts
        self.lease_seconds = lease_seconds
        self._scan_batch = scan_batch

    async def enqueue(self, call: WaitingCall, *, claim: bool = False) -> Placement:
        """Puts the call in its queue (or leaves it where it is, if it already waits there).

        With `claim`, the first claim attempt runs in the same atomic step (one round trip instead of
        two); the placement then names the agent(s) when one was free. Raises WrongQueue when the call
        waits in another queue or tenant.
        """
        enqueued_at = "" if call.enqueued_at is None else repr(float(call.enqueued_at))
        policy = call.policy
        reply = await self._scripts.run(
            "enqueue", call.call_id, call.tenant, call.queue, call.priority, json.dumps(list(call.skills)),
            enqueued_at, self.lease_seconds, repr(float(policy.ageing_seconds) * 1000), policy.strategy,
            "" if policy.shared_cap is None else policy.shared_cap, int(policy.day_offset_seconds),
            "1" if claim else "0", call.agent or "", repr(float(call.agent_wait_seconds) if call.agent else 0.0),
        )
        if reply[0] == "elsewhere":
            raise WrongQueue(f"call {call.call_id} already waits in queue {reply[2]!r} of tenant {reply[1]!r}")
        return Placement(_first(reply[1]), float(reply[2]), float(reply[3]), _agents(reply[1]))

    async def try_claim(self, call: WaitingCall) -> ClaimResult:
        """One atomic attempt to take an agent for the call by its queue's strategy (see CLAIM)."""
        reply = await self._scripts.run("claim", call.call_id, self.lease_seconds, self._scan_batch)
        status = reply[0]
        if status in ("assigned", "offered"):
            return ClaimResult(status, agent_id=_first(reply[1]), agents=_agents(reply[1]))
        if status == "not_head":
            return ClaimResult(status, position=int(reply[1]) + 1)
        if status == "no_agent":
            return ClaimResult(status, position=1, next_at=float(reply[1]) if reply[1] else None,
                               server_now=float(reply[2]))
        return ClaimResult("gone")

    async def leave(self, call: WaitingCall, reason: LeaveReason) -> LeaveResult:
        """Takes the call out of the ACD (see LEAVE for the race with a claim)."""
        reply = await self._scripts.run("leave", call.call_id, reason)
        joined = reply[1] if len(reply) > 1 else ""
        return LeaveResult(reply[0], _first(joined), _agents(joined))

    async def position(self, call: WaitingCall) -> int | None:
        """1 for the head of the queue, 2 for the next, ...; None when the call is not waiting."""
        rank = await self._redis.zrank(self._keys.queue(call.tenant, call.queue), call.call_id)
        return None if rank is None else rank + 1

    async def waiting(self, tenant_id: str, queue: str) -> list[str]:
        """The call ids waiting in a queue, head first."""
        ids = await self._redis.zrange(self._keys.queue(tenant_id, queue), 0, -1)
        return [i.decode() if isinstance(i, bytes) else i for i in ids]

    async def queue_names(self, tenant_id: str) -> list[str]:
        """The names of the tenant's queues that have held a call."""
        names = await self._redis.smembers(self._keys.queues(tenant_id))
        return sorted(n.decode() if isinstance(n, bytes) else n for n in names)


def _agents(joined: str | None) -> tuple[str, ...]:
    """The agents of a reply: one id, or several joined by ':' for a ring-all."""
    return tuple(a for a in (joined or "").split(":") if a)


def _first(joined: str | None) -> str | None:
    agents = _agents(joined)
    return agents[0] if agents else None
