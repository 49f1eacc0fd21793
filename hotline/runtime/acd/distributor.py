"""The call's side of the ACD: wait for an agent, then report what the agent did.

A call's coroutine (the flow engine's queue node) runs ``wait_for_agent``; it gets ``Assigned`` with an
agent that is now ringing for it (the coroutine bridges the caller), ``TimedOut`` (the flow goes to the
node's overflow) or ``Cancelled`` (the caller hung up; the call is out of the queue). After a bridge it
reports ``agent_answered`` / ``release_no_answer`` and at the end ``call_ended``.

The loop tries an atomic claim, then sleeps until the earliest of: a wake-up notice (wakeups.py), the
poll interval, the end of a wrap-up in the tenant, the next tick, the timeout. Each try also renews the
call's lease, which tells other processes that somebody still waits on this call.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from .errors import NotOffered
from .offers import DEFAULT_OFFER_POLICY, OfferOutcome, OfferPolicy, offer_outcome
from .queueing import LeaveReason, Queues, WaitingCall
from .scripts import AcdScripts
from .wakeups import Waiter, Wakeups

log = logging.getLogger(__name__)

OnTick = Callable[[int | None, float], Awaitable[None] | None]

# a wrap-up deadline is retried this long after it passes (Redis time), so it has surely passed there
_DEADLINE_SLACK = 0.005


@dataclass(frozen=True, slots=True)
class Assigned:
    """An agent is ringing for the call; bridge to it. For a ring-all, `agents` holds every agent ringing
    (`agent_id` is the first): bridge to all at once and report the one that answered."""

    agent_id: str
    waited_seconds: float
    agents: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.agents:
            object.__setattr__(self, "agents", (self.agent_id,))


@dataclass(frozen=True, slots=True)
class TimedOut:
    """Nobody took the call in time; it has left the queue (the flow goes to its overflow)."""

    waited_seconds: float


@dataclass(frozen=True, slots=True)
class Cancelled:
    """The caller hung up while waiting; the call has left the queue (and freed any ringing agent)."""

    waited_seconds: float


WaitOutcome = Assigned | TimedOut | Cancelled


class _Ticker:
    """Runs on_tick without holding up the claims: an async on_tick (say, a position announcement)
    runs as its own task, one at a time, and is cancelled when the wait ends."""

    def __init__(self, on_tick: OnTick | None) -> None:
        self._on_tick = on_tick
        self._task: asyncio.Task[None] | None = None

    def fire(self, position: int | None, waited: float) -> None:
        if self._on_tick is None or (self._task is not None and not self._task.done()):
            return
        try:
            result = self._on_tick(position, waited)
        except Exception:
            log.exception("on_tick failed; the call keeps waiting")
            return
        if inspect.isawaitable(result):
            self._task = asyncio.ensure_future(self._guard(result))

    @staticmethod
    async def _guard(awaitable: Awaitable[None]) -> None:
        try:
            await awaitable
        except Exception:
            log.exception("on_tick failed; the call keeps waiting")

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def _relay(source: asyncio.Event, target: asyncio.Event) -> None:
    await source.wait()
    target.set()


class Distributor:
    """Waits for agents and applies the call path's presence changes, under one key prefix."""

    def __init__(
        self,
        *,
        scripts: AcdScripts,
        queues: Queues,
        wakeups: Wakeups | None = None,
        poll_seconds: float = 1.0,
        tick_seconds: float = 10.0,
        offers: OfferPolicy | None = None,
    ) -> None:
        if queues.lease_seconds <= 2 * poll_seconds:
            raise ValueError("the call lease must outlast two poll intervals, or live calls get reaped")
        self._scripts = scripts
        self._queues = queues
        self._wakeups = wakeups
        self.poll_seconds = poll_seconds
        self.tick_seconds = tick_seconds
        self.offers = offers or DEFAULT_OFFER_POLICY

    async def wait_for_agent(
        self,
        call: WaitingCall,
        timeout_seconds: float,
        on_tick: OnTick | None = None,
        *,
        hangup: asyncio.Event | None = None,
        tick_seconds: float | None = None,
        timeout_reason: LeaveReason = "timeout",
    ) -> WaitOutcome:
        """Queues the call (unless it already waits) and waits until an agent is claimed for it.

        `timeout_seconds` counts from when the call entered the queue, so a call returned by
        release_no_answer and waited for again keeps its original deadline. `on_tick(position,
        waited_seconds)` runs at once and then every `tick_seconds`. Setting `hangup` (or cancelling
        the task) takes the call out of the queue; cancelling re-raises CancelledError after that.
        `timeout_reason` is what the call's leaving is recorded as at the timeout ("overflow" when it
        moves on to another queue).
        """
        loop = asyncio.get_running_loop()
        tick = self.tick_seconds if tick_seconds is None else tick_seconds
        if self._wakeups is not None:
            waiter = self._wakeups.register(call.tenant, call.call_id)
        else:
            waiter = Waiter(call.tenant, call.call_id)
        relay = asyncio.ensure_future(_relay(hangup, waiter.event)) if hangup is not None else None
        ticker = _Ticker(on_tick)
        started = loop.time()
        try:
            placed = await self._queues.enqueue(call, claim=True)
            started = loop.time() - max(0.0, placed.server_now - placed.enqueued_at)
            if placed.agent_id is not None:
                return Assigned(placed.agent_id, loop.time() - started, placed.agents)
            deadline = started + timeout_seconds
            next_tick = loop.time()
            while True:
                waiter.event.clear()
                if hangup is not None and hangup.is_set():
                    return await self._give_up(call, "cancelled", loop.time() - started)
                if loop.time() >= deadline:
                    return await self._give_up(call, timeout_reason, loop.time() - started)
                result = await self._queues.try_claim(call)
                if result.agent_id is not None:
                    return Assigned(result.agent_id, loop.time() - started, result.agents)
                if result.status == "gone":  # reaped after a stall of this process: back in its old place
                    await self._queues.enqueue(replace(call, enqueued_at=placed.enqueued_at))
                    continue
                waiter.maybe_head = result.status == "no_agent"
                now = loop.time()
                if on_tick is not None and now >= next_tick:
                    ticker.fire(result.position, now - started)
                    next_tick = now + tick
                wake_at = min(deadline, now + self.poll_seconds, next_tick if on_tick is not None else math.inf)
                if result.next_at is not None and result.server_now is not None:
                    wake_at = min(wake_at, now + result.next_at - result.server_now + _DEADLINE_SLACK)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout_at(wake_at):
                        await waiter.event.wait()
        except asyncio.CancelledError:
            await asyncio.shield(self._queues.leave(call, "cancelled"))
            raise
        finally:
            if self._wakeups is not None:
                self._wakeups.unregister(waiter)
            if relay is not None:
                relay.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await relay
            await ticker.stop()

    async def _give_up(self, call: WaitingCall, reason: LeaveReason, waited: float) -> WaitOutcome:
        left = await self._queues.leave(call, reason)
        if left.status == "offered" and left.agent_id is not None:  # claimed in the same instant
            return Assigned(left.agent_id, waited, left.agents)
        return Cancelled(waited) if reason == "cancelled" else TimedOut(waited)

    async def cancel(self, call: WaitingCall) -> None:
        """The caller hung up outside wait_for_agent (e.g. while its agent was ringing): the call leaves
        the ACD and a ringing agent goes back to available with its place in the idle order."""
        await self._queues.leave(call, "cancelled")

    async def release_no_answer(self, call: WaitingCall, agent_id: str, cause: str | None = None) -> bool:
        """The offer failed (hangup `cause`; None: nobody picked up): the call goes back to its old place
        (the head, unless a call of higher priority came meanwhile) and a single agent to the state for
        that cause (offers.py: offline when not registered, a short break when busy or not answering, a
        break after too many rejects); the agents of a ring-all go back to available (pass any one of
        them). Wait for an agent again afterwards. False when the call is no longer offered to that agent
        (the caller hung up)."""
        return (await self.release_offer(call, agent_id, cause))[0]

    async def release_offer(self, call: WaitingCall, agent_id: str,
                            cause: str | None = None) -> tuple[bool, OfferOutcome, str | None]:
        """release_no_answer, also telling the outcome the cause meant and the state the agent went to
        (None for a ring-all or when the agent had moved on)."""
        outcome = offer_outcome(cause)
        pause = self.offers.pause_for(outcome)
        reply = await self._scripts.run("release_no_answer", call.call_id, agent_id, self._queues.lease_seconds,
                                        outcome, repr(pause) if pause > 0 else "", self.offers.reject_limit)
        became = reply[2] if len(reply) > 2 and reply[2] else None
        return reply[0] == "requeued", outcome, became

    async def agent_answered(self, call: WaitingCall, agent_id: str) -> None:
        """The agent picked up: on_call with the call, which leaves the ACD's bookkeeping (the other
        agents of a ring-all stop ringing for it and are available again, in their old place).

        Raises NotOffered when the call is not offered to this agent (released, abandoned, answered).
        """
        reply = await self._scripts.run("agent_answered", call.call_id, agent_id)
        if reply[0] != "ok":
            raise NotOffered(f"call {call.call_id} is not offered to agent {agent_id} ({reply[0]})")

    async def call_ended(self, agent_id: str, wrap_up_seconds: float = 0, *, hold: bool = False) -> bool:
        """The agent's call is over: wrap_up for `wrap_up_seconds`, then available by itself (at once
        for 0). With `hold`, an open wrap_up instead, offered no call until the agent ends it: an outbound
        call's wrap-up waits for its disposition (desk/script_runner.py). False (and nothing changes) when the
        agent was not in a call, e.g. it logged out."""
        seconds = -1.0 if hold else float(max(0.0, wrap_up_seconds))
        reply = await self._scripts.run("call_ended", agent_id, repr(seconds))
        return reply[0] == "ok"
