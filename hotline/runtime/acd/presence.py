"""Agent presence: one state per agent (a user id), shared by every tenant the agent serves.

Per tenant the agent holds skills with levels (level 1 = lowest). Presence lives only in Redis — no
process keeps a copy — so every runtime process sees a change as soon as its script has run.

States: available, ringing (a call is offered), on_call, wrap_up (after-call work; timed or open),
break (with a reason, e.g. "lunch" or "no_answer"), offline. Agents choose available, wrap_up, break
and offline; ringing and on_call belong to the call path (distributor.py). A timed wrap_up, or the timed
break the call path gives an agent who missed an offer (offers.py), reads as available once its deadline
has passed (and the claim treats it so), without anyone writing that.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from redis.asyncio import Redis

from ...platform.acd.keys import AcdKeys, check_id
from .errors import AgentBusy, UnknownAgent
from .scripts import AcdScripts

AgentState = Literal["available", "ringing", "on_call", "wrap_up", "break", "offline"]
AGENT_STATES: tuple[str, ...] = ("available", "ringing", "on_call", "wrap_up", "break", "offline")
# states that may carry a deadline (wrap_until) after which they read as available: a timed wrap-up, and
# the short break after a missed offer (offers.py)
TIMED_STATES: tuple[str, ...] = ("wrap_up", "break")
# the states an agent (or its desk) may pick; the others come with a call
CHOSEN_STATES: tuple[str, ...] = ("available", "wrap_up", "break", "offline")


@dataclass(frozen=True, slots=True)
class AgentPresence:
    """An agent's presence as it counts now (an expired wrap_up already reads as available).

    `skills` maps tenant -> skill -> level; read through Presence.agents_in it holds only that tenant.
    `call_id` is the call ringing or connected (only for the tenant of that call, see agents_in).
    """

    agent_id: str
    state: AgentState
    since: float
    reason: str | None = None
    call_id: str | None = None
    wrap_until: float | None = None
    skills: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    #: waiting for a preview callee (platform/acd/reservations.py): available, yet offered no other call
    reserved: bool = False


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _presence(agent_id: str, raw: Mapping[Any, Any], skills: dict[str, dict[str, int]], now: float,
              tenant: str | None = None) -> AgentPresence:
    fields = {_text(k): _text(v) for k, v in raw.items()}
    state = fields.get("state", "offline")
    since = float(fields.get("since") or 0)
    wrap_until = float(fields["wrap_until"]) if fields.get("wrap_until") else None
    if state in TIMED_STATES and wrap_until is not None and wrap_until <= now:
        state, since, wrap_until = "available", wrap_until, None
    call_id = fields.get("call") or None
    if tenant is not None and fields.get("call_tenant") != tenant:
        call_id = None  # another tenant's call: a tenant sees only that the agent is busy
    reserved = bool(fields.get("reserved_for")) and float(fields.get("reserved_until") or 0) > now
    return AgentPresence(agent_id, cast(AgentState, state), since, fields.get("reason") or None, call_id,
                         wrap_until, skills, reserved)


def _check_skills(skills: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    checked: dict[str, dict[str, int]] = {}
    for tenant, levels in skills.items():
        check_id("tenant", tenant)
        for skill, level in levels.items():
            if not skill or not isinstance(level, int) or isinstance(level, bool) or level < 1:
                raise ValueError(f"skill {skill!r} of tenant {tenant!r}: level must be an integer >= 1")
        checked[tenant] = dict(levels)
    return checked


class Presence:
    """Reads and changes agent presence under one key prefix."""

    def __init__(self, redis: Redis, *, keys: AcdKeys, scripts: AcdScripts) -> None:
        self._redis = redis
        self._keys = keys
        self._scripts = scripts

    async def login(
        self, agent_id: str, skills: Mapping[str, Mapping[str, int]], *, state: str = "available"
    ) -> AgentPresence:
        """Logs the agent in with its tenants and skills ({tenant: {skill: level}}), in `state`.

        Replaces the tenants and skills held before. An agent logging in again while ringing or on a
        call gets its new skills but keeps its call state (returned as is).
        """
        check_id("agent", agent_id)
        if state not in CHOSEN_STATES:
            raise ValueError(f"an agent logs in as one of {CHOSEN_STATES}, not {state!r}")
        await self._scripts.run("login", agent_id, json.dumps(_check_skills(skills)), state)
        presence = await self.get(agent_id)
        assert presence is not None  # the script just wrote it
        return presence

    async def set_state(
        self, agent_id: str, state: str, reason: str | None = None, *, wrap_up_seconds: float | None = None
    ) -> AgentPresence:
        """Moves the agent to an agent-chosen state (available, wrap_up, break, offline).

        wrap_up with `wrap_up_seconds` ends by itself (the agent reads and is claimed as available
        afterwards); without it, it lasts until the agent picks another state. Raises UnknownAgent
        for an agent that never logged in, AgentBusy while it is ringing or on a call (unless going
        offline: a logged-out agent's ringing call then comes back through release_no_answer).
        """
        check_id("agent", agent_id)
        if state not in CHOSEN_STATES:
            raise ValueError(f"agents choose one of {CHOSEN_STATES}; {state!r} comes with a call")
        seconds = "" if wrap_up_seconds is None or state != "wrap_up" else repr(float(wrap_up_seconds))
        reply = await self._scripts.run("set_state", agent_id, state, reason or "", seconds)
        if reply[0] == "unknown":
            raise UnknownAgent(agent_id)
        if reply[0] == "busy":
            raise AgentBusy(f"agent {agent_id} is {reply[1]}")
        presence = await self.get(agent_id)
        assert presence is not None
        return presence

    async def logout(self, agent_id: str) -> AgentPresence:
        """Sets the agent offline (it keeps its tenants and skills for the next login)."""
        return await self.set_state(agent_id, "offline")

    async def get(self, agent_id: str) -> AgentPresence | None:
        """The agent's presence now, with all its tenants' skills; None if it never logged in."""
        found = await self._read([agent_id], tenant=None)
        return found[0] if found else None

    async def agents_in(self, tenant_id: str) -> list[AgentPresence]:
        """Every agent serving the tenant (in any state), sorted by id, with that tenant's skills only."""
        members = await self._redis.smembers(self._keys.tenant_agents(tenant_id))
        return await self._read(sorted(_text(m) for m in members), tenant=tenant_id)

    async def idle_order(self, tenant_id: str) -> list[str]:
        """Agents of the tenant that could take a call now, longest idle first (skills not considered)."""
        now = await self._server_time()
        ids = await self._redis.zrangebyscore(self._keys.idle(tenant_id), "-inf", now)
        return [_text(i) for i in ids]

    async def _server_time(self) -> float:
        seconds, micros = await self._redis.time()
        return seconds + micros / 1_000_000

    async def _read(self, agent_ids: list[str], tenant: str | None) -> list[AgentPresence]:
        if not agent_ids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.time()
            for agent_id in agent_ids:
                pipe.hgetall(self._keys.agent(agent_id))
                pipe.smembers(self._keys.agent_tenants(agent_id))
            replies = await pipe.execute()
        seconds, micros = replies[0]
        now = seconds + micros / 1_000_000
        rows = []
        for i, agent_id in enumerate(agent_ids):
            raw, tenants = replies[1 + 2 * i], replies[2 + 2 * i]
            if raw:
                names = [tenant] if tenant is not None else sorted(_text(t) for t in tenants)
                rows.append((agent_id, raw, names))
        async with self._redis.pipeline(transaction=False) as pipe:
            for agent_id, _, names in rows:
                for name in names:
                    pipe.hgetall(self._keys.skills(agent_id, name))
            skill_replies = iter(await pipe.execute())
        result = []
        for agent_id, raw, names in rows:
            skills = {name: {_text(k): int(v) for k, v in next(skill_replies).items()} for name in names}
            result.append(_presence(agent_id, raw, skills, now, tenant))
        return result
