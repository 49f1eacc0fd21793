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
from .leases import DEFAULT_LEASE_SECONDS, RuntimeLease, SweepResult, new_runtime_id
from .live_calls import LiveCalls
from .lua_calls import STRATEGIES
from .offers import OfferPolicy, offer_outcome
from .presence import AgentPresence, AgentState, Presence
from .queueing import DEFAULT_POLICY, ClaimResult, QueuePolicy, Queues, WaitingCall
from .scripts import AcdScripts
from .wakeups import Wakeups

__all__ = [
    "DEFAULT_LEASE_SECONDS",
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
    "LiveCalls",
    "NotOffered",
    "OfferPolicy",
    "OnTick",
    "Presence",
    "QueuePolicy",
    "Queues",
    "RuntimeLease",
    "SweepResult",
    "TimedOut",
    "UnknownAgent",
    "WaitEstimate",
    "WaitEstimator",
    "WaitOutcome",
    "WaitingCall",
    "Wakeups",
    "WrongQueue",
    "estimate_wait",
    "new_runtime_id",
    "offer_outcome",
]


class Acd:
    """The ACD of one runtime process: presence, queues and distributor sharing one Redis client.

    ``start()`` (or ``async with``) subscribes to wake-up notices; without it waiting calls still
    work, by polling every `poll_seconds`. With a `runtime_id`, the agents and calls this process takes
    are held under its lease (leases.py): ``start()`` takes the lease and sweeps for dead runtimes, and
    whatever it holds is freed by another process's sweep `runtime_lease_seconds` after it dies.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        poll_seconds: float = 1.0,
        tick_seconds: float = 10.0,
        lease_seconds: float = 30.0,
        runtime_id: str | None = None,
        runtime_lease_seconds: float = DEFAULT_LEASE_SECONDS,
        offers: OfferPolicy | None = None,
    ) -> None:
        self.redis = redis
        self.keys = AcdKeys(prefix)
        self.scripts = AcdScripts(redis, prefix, runtime_id=runtime_id or "")
        self.lease = (RuntimeLease(redis, keys=self.keys, scripts=self.scripts, runtime_id=runtime_id,
                                   lease_seconds=runtime_lease_seconds) if runtime_id else None)
        #: the calls this process carries, kept under its lease so a crash still leaves their records
        self.live_calls = LiveCalls(redis, self.keys, runtime_id or "")
        self.presence = Presence(redis, keys=self.keys, scripts=self.scripts)
        self.queues = Queues(redis, keys=self.keys, scripts=self.scripts, lease_seconds=lease_seconds)
        self.wakeups = Wakeups(redis, keys=self.keys)
        self.estimator = WaitEstimator(redis, keys=self.keys, presence=self.presence)
        self.distributor = Distributor(
            scripts=self.scripts, queues=self.queues, wakeups=self.wakeups,
            poll_seconds=poll_seconds, tick_seconds=tick_seconds, offers=offers,
        )

    async def start(self) -> None:
        await self.wakeups.start()
        if self.lease is not None:
            await self.lease.start()

    async def close(self, *, release_lease: bool = True) -> None:
        """Stops the lease and the wake-ups; `release_lease=False` leaves the lease to run out (leases.py stop)."""
        if self.lease is not None:
            await self.lease.stop(release=release_lease)
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
