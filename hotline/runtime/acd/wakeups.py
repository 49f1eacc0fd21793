"""Wake-up notices for waiting calls: one pub/sub connection per runtime process, not one per call.

The scripts publish on ``P:wake`` when an agent becomes available for a tenant (``{"tenant": T}``) or a
queue gets a new head (``{"tenant": T, "queue": Q, "head": call}``). This listener wakes the local
waiters concerned, which then retry their claim at once instead of at the next poll:

* a new head wakes only that call's waiter (the calls behind it cannot be served anyway);
* an available agent wakes only the waiters that were at the head of their queue on their last try
  (`maybe_head`), one per queue, rather than every call of the tenant;
* a timed wrap-up that starts (``{"tenant": T, "at": deadline, "now": redis time}``) schedules that
  same wake-up for the moment the deadline passes, so a call that went to sleep before the agent's
  call even ended is served when the wrap-up ends, not at its next poll.

Notices only make waiting faster; correctness never depends on them. Waiters still poll, so a lost
notice (a reconnect, a process that subscribed late) costs at most one poll interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from ...platform.acd.keys import AcdKeys

log = logging.getLogger(__name__)

# a wrap-up deadline is acted on this long after it passes, so that it has surely passed in Redis too
_DEADLINE_SLACK = 0.005


class Waiter:
    """One waiting call's wake-up flag (an asyncio.Event, cleared by the waiter before each try)."""

    __slots__ = ("call_id", "event", "maybe_head", "tenant")

    def __init__(self, tenant: str, call_id: str) -> None:
        self.tenant = tenant
        self.call_id = call_id
        self.event = asyncio.Event()
        self.maybe_head = True


class Wakeups:
    """The process-wide listener; `register` a waiter before the call is enqueued so no notice is missed."""

    def __init__(self, redis: Redis, *, keys: AcdKeys) -> None:
        self._redis = redis
        self._channel = keys.wake
        self._by_call: dict[str, Waiter] = {}
        self._by_tenant: dict[str, set[Waiter]] = defaultdict(set)
        self._pubsub: PubSub | None = None
        self._task: asyncio.Task[None] | None = None
        self._timers: set[asyncio.TimerHandle] = set()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Subscribes (the subscription is confirmed before this returns) and starts listening."""
        if self.running:
            return
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.subscribe(self._channel)
        self._task = asyncio.create_task(self._listen(), name="acd-wakeups")

    async def close(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._pubsub is not None:
            await self._pubsub.aclose()
            self._pubsub = None

    def register(self, tenant: str, call_id: str) -> Waiter:
        waiter = Waiter(tenant, call_id)
        self._by_call[call_id] = waiter
        self._by_tenant[tenant].add(waiter)
        return waiter

    def unregister(self, waiter: Waiter) -> None:
        if self._by_call.get(waiter.call_id) is waiter:
            del self._by_call[waiter.call_id]
        waiters = self._by_tenant.get(waiter.tenant)
        if waiters is not None:
            waiters.discard(waiter)
            if not waiters:
                del self._by_tenant[waiter.tenant]

    def dispatch(self, data: str | bytes) -> None:
        """Wakes the waiters a notice concerns."""
        try:
            notice = json.loads(data)
        except ValueError:
            log.warning("ignoring malformed ACD wake-up notice %r", data)
            return
        head = notice.get("head")
        if head is not None:
            waiter = self._by_call.get(head)
            if waiter is not None:
                waiter.event.set()
            return
        tenant = notice.get("tenant")
        if "at" in notice:
            try:
                delay = float(notice["at"]) - float(notice["now"]) + _DEADLINE_SLACK
            except (KeyError, TypeError, ValueError):
                log.warning("ignoring malformed ACD wake-up notice %r", data)
                return
            self._schedule(delay, tenant)
            return
        self._wake_tenant(tenant)

    def _wake_tenant(self, tenant: str | None) -> None:
        for waiter in self._by_tenant.get(tenant, ()):  # type: ignore[arg-type]
            if waiter.maybe_head:
                waiter.event.set()

    def _schedule(self, delay: float, tenant: str | None) -> None:
        """Wakes the tenant's head waiters after `delay` seconds (measured on the Redis clock, whose
        offset from this host's does not matter: only the difference is used)."""
        loop = asyncio.get_running_loop()

        def fire() -> None:
            self._timers.discard(timer)
            self._wake_tenant(tenant)

        timer = loop.call_later(max(0.0, delay), fire)
        self._timers.add(timer)

    def _wake_all(self) -> None:
        for waiter in self._by_call.values():
            waiter.event.set()

    async def _listen(self) -> None:
        assert self._pubsub is not None
        while True:
            try:
                async for message in self._pubsub.listen():
                    if message.get("type") == "message":
                        self.dispatch(message["data"])
                return  # listen() ends only once unsubscribed, i.e. closing
            except asyncio.CancelledError:
                raise
            except Exception:  # the connection dropped: redis-py reconnects and resubscribes on next read
                log.warning("ACD wake-up listener lost its connection; retrying", exc_info=True)
                await asyncio.sleep(0.5)
                self._wake_all()  # notices may have been missed meanwhile
