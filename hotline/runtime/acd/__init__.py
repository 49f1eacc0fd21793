"""ACD: automatic call distribution over Redis — presence, skill queues, atomic claims by strategy.

Strategies (longest idle, round robin, fewest calls today, skills with levels, ring-all), priorities
that age, a per-tenant cap on shared agents, estimated wait times (ewt.py).

State lives only in Redis (keys.py lists every key), and every change is one Lua script (scripts.py),
so any number of runtime processes can share agents and queues. Build one ``Acd`` per process and
Redis client::

    async with Acd(redis, prefix="hotline:acd") as acd:
        await acd.presence.login("u42", {"acme": {"billing": 3}})
        outcome = await acd.distributor.wait_for_agent(WaitingCall("acme", "billing", call_id,
                                                                   priority=7, skills=("billing",)),
                                                       timeout_seconds=120, on_tick=announce)
"""

from __future__ import annotations

from types import TracebackType

from redis.asyncio import Redis

from ...platform.acd.keys import DEFAULT_PREFIX, AcdKeys
from .distributor import Assigned, Cancelled, Distributor, OnTick, TimedOut, WaitOutcome
from .errors import AcdError, AgentBusy, NotOffered, UnknownAgent, WrongQueue
from .events import AcdEvent, read_events
from .ewt import WaitEstimate, WaitEstimator, estimate_wait
from .lua_calls import STRATEGIES
from .presence import AgentPresence, AgentState, Presence
from .queueing import DEFAULT_POLICY, ClaimResult, QueuePolicy, Queues, WaitingCall
from .scripts import AcdScripts
from .wakeups import Wakeups

__all__ = [
    "DEFAULT_POLICY",
    "DEFAULT_PREFIX",
    "STRATEGIES",
    "Acd",
    "AcdError",
    "AcdEvent",
    "AcdKeys",
    "AgentBusy",
    "AgentPresence",
    "AgentState",
    "Assigned",
    "Cancelled",
    "ClaimResult",
    "Distributor",
    "NotOffered",
    "OnTick",
    "Presence",
    "QueuePolicy",
    "Queues",
    "TimedOut",
    "UnknownAgent",
    "WaitEstimate",
    "WaitEstimator",
    "WaitOutcome",
    "WaitingCall",
    "Wakeups",
    "WrongQueue",
    "estimate_wait",
]


class Acd:
    """The ACD of one runtime process: presence, queues and distributor sharing one Redis client.

    ``start()`` (or ``async with``) subscribes to wake-up notices; without it waiting calls still
    work, by polling every `poll_seconds`.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        poll_seconds: float = 1.0,
        tick_seconds: float = 10.0,
        lease_seconds: float = 30.0,
    ) -> None:
        self.redis = redis
        self.keys = AcdKeys(prefix)
        self.scripts = AcdScripts(redis, prefix)
        self.presence = Presence(redis, keys=self.keys, scripts=self.scripts)
        self.queues = Queues(redis, keys=self.keys, scripts=self.scripts, lease_seconds=lease_seconds)
        self.wakeups = Wakeups(redis, keys=self.keys)
        self.estimator = WaitEstimator(redis, keys=self.keys, presence=self.presence)
        self.distributor = Distributor(
            scripts=self.scripts, queues=self.queues, wakeups=self.wakeups,
            poll_seconds=poll_seconds, tick_seconds=tick_seconds,
        )

    async def start(self) -> None:
        await self.wakeups.start()

    async def close(self) -> None:
        await self.wakeups.close()

    async def events(self, tenant_id: str, *, after: str = "0-0", count: int = 1000) -> list[AcdEvent]:
        """The tenant's ACD events after stream id `after` (events.py)."""
        return await read_events(self.redis, self.keys, tenant_id, after=after, count=count)

    async def __aenter__(self) -> Acd:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
