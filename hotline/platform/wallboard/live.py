"""The live half of the wallboard: calls waiting and agents' states, read from the ACD's Redis state.

The web application is synchronous Flask, the ACD's API (Presence, Queues) is redis.asyncio. Two bridges were
measured for a tenant with 200 agents and 50 calls waiting (bench/wallboard.py, 2 loaded cores):

* ``asyncio.run`` around Presence.agents_in + Queues, with a client per run: ~45 ms per snapshot, nearly
  all of it redis-py's pure-Python reply parser reading ~4,500 small replies through asyncio streams;
* one read-only Lua script on a plain (sync, thread-safe, pooled) redis client, returning the tenant's whole
  live state as a single JSON string that Python decodes in C: ~1-2 ms, one round trip.

An available agent holding a live preview reservation (acd/reservations.py: they pressed 拨打 and wait for that
callee, so the ACD offers them nothing else) reads as ``reserved``, not available (issue 13, 13b #5); a reservation
past its deadline is over, as the ACD's claim reads it.

So the wallboard uses the script. It stays tied to the ACD rather than guessing: its keys are built by the
ACD's own Lua key functions (acd/keys.py lua_key_functions, the same ones the ACD's scripts use), it applies
the ACD's one reading rule (a timed wrap-up or break whose deadline passed reads as available, since then:
acd/presence.py), and tests/platform/test_wallboard_live.py checks it against Presence.agents_in for agents
in every state. It only reads; it holds Redis for well under a millisecond at this size.

A call's wait is measured from its ``enqueued_at`` (not the queue's score, which mixes in the priority band,
so the head of a queue is not always its oldest call), on the Redis clock like every ACD time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

from ..acd.keys import DEFAULT_PREFIX, check_id, lua_key_functions

READ_TENANT = "local P = ARGV[1]\n" + lua_key_functions() + r"""
local tenant = ARGV[2]
local t = redis.call('TIME')
local NOW = tonumber(t[1]) + tonumber(t[2]) / 1000000
local agents = {}
for _, agent in ipairs(redis.call('SMEMBERS', k_tenant_agents(P, tenant))) do
  local a = redis.call('HMGET', k_agent(P, agent), 'state', 'since', 'reason', 'wrap_until', 'reserved_for',
                      'reserved_until')
  if a[1] then
    local state, since = a[1], tonumber(a[2]) or NOW
    if (state == 'wrap_up' or state == 'break') and a[4] and a[4] ~= '' and tonumber(a[4]) <= NOW then
      state, since = 'available', tonumber(a[4])
    end
    if state == 'available' and a[5] and a[5] ~= '' and (tonumber(a[6]) or 0) > NOW then
      state = 'reserved'
    end
    agents[#agents + 1] = {agent, state, NOW - since, a[3] or '', redis.call('HGETALL', k_skills(P, agent, tenant))}
  end
end
local queues = {}
for _, queue in ipairs(redis.call('SMEMBERS', k_queues(P, tenant))) do
  local ids = redis.call('ZRANGE', k_queue(P, tenant, queue), 0, -1)
  local oldest = false
  for _, call in ipairs(ids) do
    local at = tonumber(redis.call('HGET', k_call(P, call), 'enqueued_at'))
    if at and (not oldest or at < oldest) then oldest = at end
  end
  queues[#queues + 1] = {queue, #ids, oldest and (NOW - oldest) or -1}
end
return cjson.encode({NOW, agents, queues})
"""


@dataclass(frozen=True, slots=True)
class QueueLive:
    name: str
    waiting: int
    longest_wait: float | None  # seconds the oldest waiting call has waited, None when nobody waits


@dataclass(frozen=True, slots=True)
class AgentLive:
    agent_id: str
    state: str
    seconds_in_state: float
    reason: str | None
    skills: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class LiveSnapshot:
    """What the ACD holds for one tenant right now (Redis clock in `now`); `error` when Redis was not read."""

    now: float
    queues: Mapping[str, QueueLive] = field(default_factory=dict)
    agents: tuple[AgentLive, ...] = ()
    error: str | None = None

    @property
    def available(self) -> bool:
        return self.error is None


def _rows(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []  # cjson encodes an empty Lua table as {}


def _skills(flat: Any) -> dict[str, int]:
    flat = _rows(flat)
    return {str(flat[i]): int(flat[i + 1]) for i in range(0, len(flat) - 1, 2)}


class AcdReader:
    """Reads tenants' live ACD state from synchronous code; one per app (the redis client pools connections
    and is thread-safe). Holds no figures: every snapshot is read afresh."""

    def __init__(self, client: Redis, prefix: str = DEFAULT_PREFIX) -> None:
        self.prefix = prefix
        self._script = client.register_script(READ_TENANT)

    def snapshot(self, tenant_key: str) -> LiveSnapshot:
        """The tenant's live state (tenant_key is the ACD's tenant id: the tenant's database id as text).

        An unreachable Redis gives an empty snapshot with `error` set, so the board still shows today's
        figures and says the live part is missing, rather than failing.
        """
        check_id("tenant", tenant_key)
        try:
            raw = self._script(keys=[], args=[self.prefix, tenant_key])
        except (RedisError, OSError) as exc:
            return LiveSnapshot(now=0.0, error=f"{type(exc).__name__}: {exc}")
        now, agents, queues = json.loads(raw)
        return LiveSnapshot(
            now=float(now),
            queues={str(name): QueueLive(str(name), int(count), round(max(0.0, oldest), 1) if oldest >= 0 else None)
                    for name, count, oldest in _rows(queues)},
            agents=tuple(AgentLive(str(agent), str(state), round(max(0.0, seconds), 1), reason or None, _skills(skills))
                         for agent, state, seconds, reason, skills in sorted(_rows(agents), key=lambda a: a[0])),
        )
