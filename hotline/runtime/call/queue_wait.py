"""One caller's wait for an agent: along the queue's overflow chain, with announcements, to the bridge.

Per queue of the chain: the call enters with the queue's policy (strategy, ageing, the tenant's cap on
shared agents) and keeps the time it entered the first queue, so ageing, the overall timeout and the
statistics count its whole wait. The distributor offers it an agent (or, for ring-all, several at once);
the caller is bridged to them (FreeSWITCH's comma-separated dial string rings them together); the
agent who answers is told to the ACD, which withdraws the other offers. A queue with overflow settings
hands the call on after its `overflow_after_seconds` (in the next queue the call needs that queue's
skills, since another team serves it); the chain's last queue ends with the IVR node's `overflow`
(voicemail or callback offer).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..acd import Acd, Assigned, Cancelled, OnTick, WaitingCall
from ..acd.queueing import LeaveReason
from ..esl.channel import AGENT_VAR, EslChannel
from ..flow.channel import CallerHungUp, Channel, RenderedPrompt
from ..flow.nodes.queue import REPEAT_CAP, position_text
from ..flow.services import QueueResult
from .queue_settings import QueueSettings

if TYPE_CHECKING:
    from .dispatch_hook import Routing
    from .services import CallServices

log = logging.getLogger("hotline.runtime.queue")


class _BridgeWinner:
    """Learns which of several ringing agents answered, from the UUID each originate leg was given.

    Each leg of the ring-all dial string carries its own `origination_uuid` (and `hotline_agent`), so the
    CHANNEL_BRIDGE event's Other-Leg-Unique-ID names the leg that answered. Numbers and channel names
    cannot: a dial string template (`sofia/gateway/pbx/{extension}`, `loopback/agent{extension}`) makes
    them differ from the agent id (issue 12: another agent was credited with the call).
    Registered before the channel's own bridge listener, so it has run by the time on_answered runs.
    """

    def __init__(self, channel: Channel, legs: Mapping[str, str]) -> None:
        self.legs = dict(legs)  # leg uuid -> agent
        self.agent: str | None = None
        self._session = getattr(channel, "session", None)
        if self._session is not None:
            self._session.on("CHANNEL_BRIDGE", self._bridged)

    def _bridged(self, event: Mapping[str, Any]) -> None:
        value = event.get("Other-Leg-Unique-ID")
        value = value[0] if isinstance(value, list) else value
        if value in self.legs:
            self.agent = self.legs[str(value)]

    def close(self) -> None:
        if self._session is not None:
            self._session.off("CHANNEL_BRIDGE", self._bridged)


class Waiting:
    """The wait of one call (built by CallServices.enqueue, which runs the dispatch rules first)."""

    def __init__(self, services: CallServices, channel: Channel, routing: Routing, timeout_seconds: int,
                 hold_prompt: RenderedPrompt | None, announce_position: bool, options: Mapping[str, Any]) -> None:
        self.services, self.channel, self.routing = services, channel, routing
        self.timeout_seconds = timeout_seconds
        self.hold_prompt, self.announce_position, self.options = hold_prompt, announce_position, options
        self.queue = routing.queue
        #: True once the call ended as abandoned (also when the caller hung up while an agent rang).
        self.abandoned = False
        self._started = 0.0

    @property
    def acd(self) -> Acd:
        assert self.services.acd is not None  # CallServices.enqueue checked it
        return self.services.acd

    async def run(self) -> QueueResult:
        loop = asyncio.get_running_loop()
        self._started = loop.time()
        first_at: float | None = None
        visited: set[str] = set()
        name = self.routing.queue
        rule_overflow = self.routing.first_overflow()
        if rule_overflow is not None and rule_overflow.get("to") != "queue":
            # a rule's "voicemail / callback after N s": the IVR's overflow node plays that part
            self.timeout_seconds = min(self.timeout_seconds, int(rule_overflow["after_seconds"]))
        while True:
            settings = await self.services.queue_settings(name)
            if rule_overflow is not None and rule_overflow.get("to") == "queue" and not visited:
                # a rule's "to queue X after N s" replaces the first queue's own overflow step
                settings = replace(settings, overflow_queue=str(rule_overflow["queue"]),
                                   overflow_after_seconds=int(rule_overflow["after_seconds"]))
            if visited and not settings.known:  # the chain names a queue that was deleted or renamed
                log.warning("call %s overflows to queue %r, which has no settings; it waits there with the "
                            "defaults and its skills", self.services.call_uuid, name)
            visited.add(name)
            self.queue = name
            next_queue = settings.overflow_to(visited)
            # the first queue needs the skills the IVR (or a rule) asked for; a queue overflowed to is
            # served by its own team, so the call needs that queue's skills there
            skills = self.routing.skills if first_at is None or not settings.known else settings.skills
            call = WaitingCall(tenant=str(self.services.tenant_id), queue=name, call_id=self.services.call_uuid,
                               priority=self.routing.priority, skills=skills, enqueued_at=first_at,
                               policy=settings.policy(), **self._target(first_at is None))
            placed = await self.acd.queues.enqueue(call)
            if first_at is None:
                first_at = placed.enqueued_at
                self.services.queue_started = self._started
                await self.services.note_live(queued_at=datetime.now(UTC))
            self.services.live_queue = name
            await self.services.note_live(queue=name)
            elapsed = loop.time() - self._started
            timeout: float = self.timeout_seconds
            reason: LeaveReason = "timeout"
            if next_queue is not None and settings.overflow_after_seconds is not None:
                timeout = min(timeout, elapsed + settings.overflow_after_seconds)
                reason = "overflow"
            result = await self._serve(call, settings, timeout, reason)
            if result is not None:
                return result
            waited = loop.time() - self._started
            if reason != "overflow" or waited >= self.timeout_seconds:
                return self._queued(name, QueueResult("timeout", wait_seconds=waited))
            self.services.events.append({"type": "overflow", "from": name, "to": next_queue,
                                         "wait_seconds": round(waited, 3)})
            assert next_queue is not None
            name = next_queue

    def _target(self, first_queue: bool) -> dict[str, Any]:
        """options `agent` / `agent_wait_seconds`: the agent the call is for first (a callback booked with
        them), in the first queue only — a queue overflowed to is served by its own team."""
        agent = self.options.get("agent")
        if not agent or not first_queue:
            return {}
        return {"agent": str(agent), "agent_wait_seconds": float(self.options.get("agent_wait_seconds") or 0)}

    async def _serve(self, call: WaitingCall, settings: QueueSettings, timeout: float,
                     reason: LeaveReason) -> QueueResult | None:
        """Waits in one queue until answered or abandoned (a result) or its timeout (None)."""
        from . import services as defaults  # read at use: tests patch the defaults

        loop = asyncio.get_running_loop()
        acd = self.acd
        channel = self.channel
        hangup: asyncio.Event | None = getattr(channel, "hangup_event", None)
        tick_seconds = self.options.get("announce_every_seconds")
        wrap_up = settings.wrap_up_seconds if settings.wrap_up_seconds is not None else defaults.WRAP_UP_SECONDS
        hold = bool(self.options.get("hold_wrap_up"))  # an outbound call: wrap-up until its disposition
        while True:
            if isinstance(channel, EslChannel):
                await channel.start_hold()
            try:
                outcome = await acd.distributor.wait_for_agent(call, timeout, on_tick=self._tick(call),
                                                               hangup=hangup, tick_seconds=tick_seconds,
                                                               timeout_reason=reason)
            finally:
                if isinstance(channel, EslChannel):
                    await channel.stop_hold()  # the moment an agent is claimed (or the wait ends)
            if isinstance(channel, EslChannel):
                channel.waited()
            waited = loop.time() - self._started
            if isinstance(outcome, Cancelled):
                self.abandoned = True
                return self._queued(call.queue, QueueResult("abandoned", wait_seconds=waited))
            if not isinstance(outcome, Assigned):
                return None
            agents = outcome.agents
            legs = {str(uuidlib.uuid4()): agent for agent in agents}
            winner = _BridgeWinner(channel, legs) if len(agents) > 1 else None
            picked: list[str] = []

            async def answered(agents: tuple[str, ...] = agents, winner: _BridgeWinner | None = winner,
                               picked: list[str] = picked, waited: float = waited) -> None:
                agent = (winner.agent if winner is not None else None) or agents[0]
                self.services.agent_answered(agent)  # the call record's answered_at and agent
                if self.services.waited is None:
                    self.services.waited = waited
                await self.services.note_live(answered_at=self.services.answered_at, agent=agent)
                await acd.distributor.agent_answered(call, agent)
                picked.append(agent)

            endpoint = ",".join(f"[origination_uuid={leg},{AGENT_VAR}={agent}]{self.services.agent_endpoint(agent)}"
                                for leg, agent in legs.items())
            recorder = self.services.recorder
            try:
                if recorder is not None:
                    await recorder.before_bridge(channel, call.queue)
                result = await channel.bridge(endpoint, timeout_seconds=defaults.AGENT_RING_SECONDS,
                                              on_answered=answered)
                if recorder is not None:
                    await recorder.after_bridge(result.answered)
            except CallerHungUp:
                # The caller hung up while the agent rang or talked: free the agent either way.
                if picked:
                    await acd.distributor.call_ended(picked[0], wrap_up, hold=hold)
                    self._queued(call.queue, QueueResult("answered", agent=picked[0], wait_seconds=waited,
                                                         talk_ended_by="caller"))
                else:
                    await acd.distributor.cancel(call)
                    self.abandoned = True
                    self._queued(call.queue, QueueResult("abandoned", wait_seconds=waited))
                raise
            finally:
                if winner is not None:
                    winner.close()
            if result.answered:
                agent = picked[0] if picked else agents[0]
                await acd.distributor.call_ended(agent, wrap_up, hold=hold)
                # the bridge returned with the caller still here (hangup_after_bridge=false): the agent's leg ended
                # the talk; a caller who hung up leaves the channel gone (or raised CallerHungUp above)
                ended_by = "caller" if getattr(channel, "gone", False) else "agent"
                return self._queued(call.queue, QueueResult("answered", agent=agent, wait_seconds=waited,
                                                            talk_ended_by=ended_by))
            # Nobody picked up (or the agent is busy, not registered, rejected): the call goes back to the
            # head of its queue, the agent to the state for the cause (acd/offers.py).
            _, outcome, became = await acd.distributor.release_offer(call, agents[0], result.cause)
            event: dict[str, Any] = {"type": "agent_no_answer", "agent": agents[0], "cause": result.cause,
                                     "outcome": outcome}
            if became is not None:
                event["agent_state"] = became
            if len(agents) > 1:
                event["agents"] = list(agents)
            self.services.events.append(event)

    def _tick(self, call: WaitingCall) -> OnTick:
        announcement = self.options.get("announcement")
        with_wait = bool(self.options.get("announce_wait_time"))
        said: list[Any] = [None, 0]  # the last announcement and how many times in a row it was said

        async def tick(position: int | None, _waited: float) -> None:
            with contextlib.suppress(CallerHungUp):  # the hangup event takes the call out of the queue
                prompt: RenderedPrompt | None = None
                minutes: int | None = None
                if position and announcement is not None:
                    if with_wait:
                        minutes = (await self.acd.estimator.estimate(call, position)).minutes
                    prompt = announcement(position, minutes)
                elif position and self.announce_position:
                    prompt = RenderedPrompt(text=position_text(position, None, False))
                if prompt is not None:
                    said[1] = said[1] + 1 if prompt == said[0] else 1
                    said[0] = prompt
                    if said[1] > REPEAT_CAP:
                        return  # nothing changed since the last times it was said: the hold music goes on
                if prompt is None and self.hold_prompt is None:
                    return  # nothing to say: the hold music goes on
                esl = self.channel if isinstance(self.channel, EslChannel) else None
                if esl is not None:
                    await esl.stop_hold()
                if prompt is not None:
                    await self.channel.play(prompt)
                if self.hold_prompt is not None:
                    await self.channel.play(self.hold_prompt)
                if esl is not None:
                    await esl.start_hold()

        return tick

    def _queued(self, queue: str, result: QueueResult) -> QueueResult:
        return self.services._queued(queue, result)
