"""Redis key naming of the ACD, in one place — for Python and for the Lua scripts alike.

Every key starts with a configurable prefix, so tests (and several platforms on one Redis) never meet.
For Redis Cluster, put a hash tag in the prefix (``"{hotline}:acd"``): the scripts touch agent and
queue keys they only learn while running, which is allowed when all keys share one slot.

Layout (``P`` is the prefix):

=====================================  ======  ===========================================================
key                                    type    holds
=====================================  ======  ===========================================================
``P:agent:<agent>``                    hash    state, since, reason, call, call_tenant, queue, wrap_until,
                                               prev_idle, runtime (holding a ringing/on_call agent), rejects,
                                               reserved_for, reserved_until (reservations.py)
                                               (the agent's presence; shared by all its tenants)
``P:agent:<agent>:tenants``            set     the tenants the agent serves
``P:agent:<agent>:skills:<tenant>``    hash    skill -> level, for that one tenant
``P:tenant:<tenant>:agents``           set     agents serving the tenant (any state)
``P:tenant:<tenant>:idle``             zset    agents that can take a call, scored by available-from time
``P:tenant:<tenant>:idle_skill:<s>``   zset    the same, for the agents holding skill s for the tenant (the
                                               claim scans the smallest of these a call's skills name)
``P:tenant:<tenant>:queues``           set     names of the tenant's queues that ever held a call
``P:tenant:<tenant>:queue:<queue>``    zset    waiting call ids, scored by enqueue ms - priority x ageing step
``P:tenant:<tenant>:events``           stream  what happened (events.py)
``P:tenant:<tenant>:held``             set     shared agents (serving several tenants) ringing or on a call
                                               for this tenant — what the per-tenant cap counts
``P:tenant:<tenant>:qmeta:<queue>``    hash    last_ms (strict FIFO stamp), rr_last (round robin's last agent)
``P:tenant:<tenant>:handle:<queue>``   list    recent handle times in seconds, newest first (for EWT)
``P:calls_today:<day>``                hash    agent -> calls answered on that day (fewest-calls strategy)
``P:call:<call>``                      hash    tenant, queue, priority, skills, enqueued_at, score, state,
                                               agent (several joined by ':' for ring-all), lease_until,
                                               strategy, cap, day_off, runtime (a call while the ACD owns it)
``P:wake``                             pubsub  wake-up notices for waiting calls (wakeups.py)
``P:runtimes``                         set     ids of the runtime processes that hold (or held) a lease
``P:runtime:<runtime>``                string  the runtime's heartbeat lease: exists while it lives (a TTL)
``P:runtime:<runtime>:owned``          set     ``agent:<id>`` and ``call:<id>`` the runtime holds (ringing,
                                               on a call, waiting), ``live:<call>`` every call it carries:
                                               what a sweep frees when the lease expires
``P:runtimes:seen``                    hash    runtime -> wall-clock time of its last lease renewal (when a
                                               dead runtime was last alive: its lost calls' end)
``P:live:<call>``                      hash    what the call record needs of a call in progress (tenant_id,
                                               caller, did, started_at, ivr, queue, answered_at...) while a
                                               runtime carries it; deleted once the record is written
``P:lost_calls``                       list    JSON of the live calls of dead runtimes, moved here by the
                                               sweep, until a process with the database writes their records
=====================================  ======  ===========================================================

Tenant, agent and runtime ids may not contain ``:`` (``agent:a`` and ``agent:a:tenants`` must never be the same
key for two agents); queue names and call ids come last in their keys and may hold anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_PREFIX = "hotline:acd"

# name -> template; placeholders are {p} (the prefix) and the ids. Python and Lua both build from these.
TEMPLATES: dict[str, str] = {
    "agent": "{p}:agent:{agent}",
    "agent_tenants": "{p}:agent:{agent}:tenants",
    "skills": "{p}:agent:{agent}:skills:{tenant}",
    "tenant_agents": "{p}:tenant:{tenant}:agents",
    "idle": "{p}:tenant:{tenant}:idle",
    "idle_skill": "{p}:tenant:{tenant}:idle_skill:{skill}",
    "queues": "{p}:tenant:{tenant}:queues",
    "queue": "{p}:tenant:{tenant}:queue:{queue}",
    "events": "{p}:tenant:{tenant}:events",
    "held": "{p}:tenant:{tenant}:held",
    "qmeta": "{p}:tenant:{tenant}:qmeta:{queue}",
    "handle": "{p}:tenant:{tenant}:handle:{queue}",
    "calls_today": "{p}:calls_today:{day}",
    "call": "{p}:call:{call}",
    "wake": "{p}:wake",
    "runtimes": "{p}:runtimes",
    "runtime": "{p}:runtime:{runtime}",
    "runtime_owned": "{p}:runtime:{runtime}:owned",
    "runtimes_seen": "{p}:runtimes:seen",
    "live": "{p}:live:{call}",
    "lost_calls": "{p}:lost_calls",
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def check_id(kind: str, value: str) -> str:
    """Returns value if it can be a tenant or agent id in a key; raises ValueError otherwise."""
    if not value or ":" in value:
        raise ValueError(f"{kind} id must be non-empty and contain no ':' (got {value!r})")
    return value


@dataclass(frozen=True, slots=True)
class AcdKeys:
    """The key names under one prefix."""

    prefix: str = DEFAULT_PREFIX

    def _key(self, name: str, **ids: str) -> str:
        return TEMPLATES[name].format(p=self.prefix, **ids)

    def agent(self, agent: str) -> str:
        return self._key("agent", agent=agent)

    def agent_tenants(self, agent: str) -> str:
        return self._key("agent_tenants", agent=agent)

    def skills(self, agent: str, tenant: str) -> str:
        return self._key("skills", agent=agent, tenant=tenant)

    def tenant_agents(self, tenant: str) -> str:
        return self._key("tenant_agents", tenant=tenant)

    def idle(self, tenant: str) -> str:
        return self._key("idle", tenant=tenant)

    def idle_skill(self, tenant: str, skill: str) -> str:
        return self._key("idle_skill", tenant=tenant, skill=skill)

    def queues(self, tenant: str) -> str:
        return self._key("queues", tenant=tenant)

    def queue(self, tenant: str, queue: str) -> str:
        return self._key("queue", tenant=tenant, queue=queue)

    def events(self, tenant: str) -> str:
        return self._key("events", tenant=tenant)

    def held(self, tenant: str) -> str:
        return self._key("held", tenant=tenant)

    def qmeta(self, tenant: str, queue: str) -> str:
        return self._key("qmeta", tenant=tenant, queue=queue)

    def handle(self, tenant: str, queue: str) -> str:
        return self._key("handle", tenant=tenant, queue=queue)

    def calls_today(self, day: int) -> str:
        return self._key("calls_today", day=str(day))

    def call(self, call: str) -> str:
        return self._key("call", call=call)

    @property
    def wake(self) -> str:
        return self._key("wake")

    @property
    def runtimes(self) -> str:
        return self._key("runtimes")

    def runtime(self, runtime: str) -> str:
        return self._key("runtime", runtime=runtime)

    def runtime_owned(self, runtime: str) -> str:
        return self._key("runtime_owned", runtime=runtime)

    @property
    def runtimes_seen(self) -> str:
        return self._key("runtimes_seen")

    def live(self, call: str) -> str:
        return self._key("live", call=call)

    @property
    def lost_calls(self) -> str:
        return self._key("lost_calls")

    @property
    def pattern(self) -> str:
        """A SCAN pattern matching every key under the prefix (glob characters in it escaped)."""
        return re.sub(r"([*?\[\]\\])", r"\\\1", self.prefix) + ":*"


def lua_key_functions() -> str:
    """Lua functions ``k_<name>(p, ...)`` building the same keys as AcdKeys, for the scripts."""
    lines = []
    for name, template in TEMPLATES.items():
        params = [p for p in _PLACEHOLDER.findall(template)]
        parts = []
        for i, piece in enumerate(_PLACEHOLDER.split(template)):
            if i % 2:
                parts.append(piece)
            elif piece:
                parts.append("'" + piece.replace("\\", "\\\\").replace("'", "\\'") + "'")
        lines.append(f"local function k_{name}({', '.join(params)}) return {' .. '.join(parts)} end")
    return "\n".join(lines)
