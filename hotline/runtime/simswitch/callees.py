"""Simulated callees: the people (and answering machines) an outbound dialer reaches through a gateway.

With :attr:`SimSwitchConfig.callees` set, ``originate sofia/gateway/<gw>/<number> ...`` to one of the
profile's gateways reaches a simulated callee instead of a simulated agent phone. What the callee does is
drawn from :class:`CalleeProfile`'s probabilities, seeded by (seed, number, how often the number was dialled),
so a test run gets the same outcomes whatever order concurrent originates happen in.

What each outcome looks like on the wire (FreeSWITCH's behaviour through a SIP gateway):

* ``answer``: CHANNEL_PROGRESS (180 Ringing), then CHANNEL_ANSWER after the ring time; originate's
  BACKGROUND_JOB says ``+OK <uuid>``. The callee talks for a drawn talk time, then hangs up
  (NORMAL_CLEARING), presses the profile's keys when a prompt asks for digits.
* ``no_answer``: rings until the originate timeout; the switch cancels it: ``-ERR NO_ANSWER``.
* ``busy``: a short ring, then 486 Busy Here: ``-ERR USER_BUSY`` (Q.850 17).
* ``invalid``: at once, 404 / Q.850 1: ``-ERR UNALLOCATED_NUMBER``.
* ``machine``: answers like a person (``+OK <uuid>``); the ``amd`` application (mod_amd) then sets
  ``amd_result=MACHINE`` / ``amd_cause=LONGGREETING`` (a person gives ``HUMAN`` / ``HUMAN``), and the machine
  hangs up when its recording time is over.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .channel import CallRecord
from .engine import application, wait_media

if TYPE_CHECKING:
    from .channel import Channel
    from .core import Switch
    from .legs import DialTarget

__all__ = ["OUTCOMES", "CalleeProfile", "callee_leg"]

OUTCOMES = ("answer", "no_answer", "busy", "invalid", "machine")


@dataclass(frozen=True)
class CalleeProfile:
    """How the simulated public network answers: outcome shares (normalised), times in simulated ms.

    ``overrides`` fixes the outcome of a number (digits as dialled, e.g. ``+8613800000001``) for tests;
    ``presses`` are the keys a person presses at each prompt that asks for digits (agentless surveys).
    """

    answer: float = 0.30
    no_answer: float = 0.40
    busy: float = 0.10
    invalid: float = 0.05
    machine: float = 0.15
    ring_ms: tuple[int, int] = (3_000, 15_000)
    busy_after_ms: tuple[int, int] = (1_000, 4_000)
    talk_ms: tuple[int, int] = (60_000, 240_000)
    machine_ms: int = 30_000
    seed: int = 0
    gateways: tuple[str, ...] = ("pstn",)
    overrides: dict[str, str] = field(default_factory=dict)
    presses: tuple[str, ...] = ("1",)

    def __post_init__(self) -> None:
        for number, outcome in self.overrides.items():
            if outcome not in OUTCOMES:
                raise ValueError(f"callee override for {number}: {outcome!r} is not one of {', '.join(OUTCOMES)}")
        if min(self.answer, self.no_answer, self.busy, self.invalid, self.machine) < 0 or not sum(
                (self.answer, self.no_answer, self.busy, self.invalid, self.machine)):
            raise ValueError("callee outcome shares must be non-negative and not all zero")

    def draw(self, number: str, nth: int) -> tuple[str, random.Random]:
        """The outcome of the `nth` dial (from 0) of `number`, and the generator for its times."""
        rng = random.Random(f"{self.seed}:{number}:{nth}")
        shares = (self.answer, self.no_answer, self.busy, self.invalid, self.machine)
        outcome = rng.choices(OUTCOMES, weights=shares)[0]
        return self.overrides.get(number, outcome), rng


@dataclass
class CalleeCall:
    """What happened to one dial (kept on the switch for tests: ``switch.callee_calls``)."""

    number: str
    outcome: str
    uuid: str
    talk_ms: int = 0
    record: CallRecord | None = None


def callee_leg(sw: Switch, number: str, target: DialTarget, cid_number: str | None,
               cid_name: str | None) -> Channel:
    """Create the outbound leg to a simulated callee; its behaviour runs in the leg's own task."""
    profile = sw.config.callees
    assert profile is not None
    nth = sw.callee_dials.get(number, 0)
    sw.callee_dials[number] = nth + 1
    outcome, rng = profile.draw(number, nth)
    gateway = target.endpoint.split("/")[2]
    name = f"sofia/gateway/{gateway}/{number}"
    leg = sw.new_channel(name, "outbound", number, cid_number=cid_number, cid_name=cid_name, source="mod_sofia",
                         callee=(None, number), uuid=target.variables.get("origination_uuid"))
    leg.hit_dialplan = False
    v = leg.vars
    for key, value in (("direction", "outbound"), ("is_outbound", "true"), ("uuid", leg.uuid),
                       ("session_id", leg.session_id), ("channel_name", name), ("sip_gateway_name", gateway)):
        v.set(key, value)
    for key, value in target.variables.items():
        v.set(key, value)
    v.set("originate_endpoint", "sofia")
    call = CalleeCall(number, outcome, leg.uuid)
    call.record = leg.record = CallRecord(uuid=leg.uuid, did=number, caller=cid_number)
    sw.records[leg.uuid] = leg.record
    sw.callee_calls.append(call)
    if outcome in ("answer", "machine"):
        leg.on_prompt_done = _presser(sw, profile.presses)
    sw.start_outgoing(leg)
    leg.spawn(_callee_main(sw, leg, outcome, rng, call))
    return leg


def _ms(rng: random.Random, span: tuple[int, int]) -> int:
    return rng.randint(min(span), max(span))


async def _wait_hangup(sw: Switch, leg: Channel, ms: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(leg.hungup.wait(), sw.scaled(ms))


async def _callee_main(sw: Switch, leg: Channel, outcome: str, rng: random.Random, call: CalleeCall) -> None:
    profile = sw.config.callees
    assert profile is not None
    leg.vars.set("sim_callee_outcome", outcome)
    if outcome == "invalid":
        await _wait_hangup(sw, leg, 150)
        if leg.is_up:
            sw.hangup(leg, "UNALLOCATED_NUMBER", requested=False)
    else:
        await _wait_hangup(sw, leg, 80)
        if leg.is_up:  # 180 Ringing
            leg.profile.times.progress = sw.now_us()
            leg.fire("CHANNEL_PROGRESS")
        if outcome == "busy":
            await _wait_hangup(sw, leg, _ms(rng, profile.busy_after_ms))
            if leg.is_up:
                sw.hangup(leg, "USER_BUSY", requested=False)
        elif outcome == "no_answer":
            await leg.hungup.wait()  # originate's timeout cancels it (NO_ANSWER)
        else:
            await _wait_hangup(sw, leg, _ms(rng, profile.ring_ms))
            if leg.is_up:
                leg.vars.set("amd_simulated", "MACHINE" if outcome == "machine" else "HUMAN")
                leg.mark_answered()
                call.talk_ms = profile.machine_ms if outcome == "machine" else _ms(rng, profile.talk_ms)
                await _wait_hangup(sw, leg, call.talk_ms)
                if leg.is_up:  # the callee puts the phone down (or the machine's recording time is over)
                    leg.note("callee", action="hangup")
                    sw.hangup(leg, "NORMAL_CLEARING")
    await leg.hungup.wait()
    await leg.unbridged.wait()
    await sw.finish(leg)


def _presser(sw: Switch, presses: tuple[str, ...]) -> object:
    """on_prompt_done hook: a person presses the next of `presses` after each prompt that asks for digits."""
    queue = list(presses)

    def press(ch: Channel) -> None:
        if ch.vars.get("amd_simulated") != "HUMAN" or not queue:
            return
        digits = queue.pop(0)

        async def later() -> None:
            await sw.sleep_ms(300)
            if ch.is_up:
                ch.queue_dtmf(digits, "RTP")

        ch.spawn(later())

    return press


@application("amd", module="mod_amd")
async def app_amd(ch: Channel, arg: str) -> None:
    """mod_amd's ``amd``: listen to the greeting, then set ``amd_result`` and ``amd_cause``.

    A person says a short hello and waits (HUMAN after ~1.2 s); a machine's long greeting runs past the
    greeting limit (MACHINE/LONGGREETING after ~2.5 s). A channel no simulated callee answered is NOTSURE.
    """
    kind = ch.vars.get("amd_simulated")
    status = await wait_media(ch, 2500 if kind == "MACHINE" else 1200)
    if status == "hangup" or not ch.is_up:
        ch.vars.set("amd_result", "HANGUP")
        return
    result, cause = {"MACHINE": ("MACHINE", "LONGGREETING"), "HUMAN": ("HUMAN", "HUMAN")}.get(
        kind or "", ("NOTSURE", "TOOLONG"))
    ch.vars.set("amd_result", result)
    ch.vars.set("amd_cause", cause)
    ch.note("amd", result=result, cause=cause)
