"""The switch core: event bus, channel registry, timing, and the channel state machine.

The state-machine sequences (which CHANNEL_STATE / CALLSTATE / CREATE / DESTROY events fire, in
which order, for an originated A leg and an inbound B leg) are copied from the per-channel event
order in ``01-inbound-client`` (see ``tests/runtime/test_simswitch_transcripts.py``).
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid as uuidlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from .channel import Q850, CallerProfile, CallRecord, Channel
from .config import SimSwitchConfig
from .events import NO_VARIABLES, Event, Identity, Stamp, channel_headers, core_headers
from .recording import stop_all as stop_recordings

if TYPE_CHECKING:
    from .events import Header

__all__ = ["Listener", "Switch"]


class Listener(Protocol):
    """Anything that receives events (inbound ESL connections, outbound sockets, recorders).

    `scope` is a channel UUID when the listener can only ever want that channel's events (an outbound
    socket filtered on its own Unique-ID), else None; fire() skips the others without asking, so the
    cost of an event does not grow with the number of calls in progress.
    """

    scope: str | None

    def offer(self, event: Event) -> None: ...


class Switch:
    """Shared simulator state; one instance per :class:`~.server.SimSwitch`."""

    def __init__(self, config: SimSwitchConfig) -> None:
        self.config = config
        self.ident = Identity(str(uuidlib.uuid4()), config.hostname, config.ipv4, config.ipv6)
        self.started = time.time()
        self._sequence = itertools.count(1)
        self._session_ids = itertools.count(1)
        self.sessions_since_start = 0
        self.listeners: set[Listener] = set()
        self.channels: dict[str, Channel] = {}
        self.records: dict[str, CallRecord] = {}
        self.tasks: set[asyncio.Task[Any]] = set()
        self.files: dict[str, int] = {}  # simulated recordings: path -> milliseconds
        self.closing = False
        #: Simulated callees (callees.py): dials per number (seeds each outcome) and what each dial did.
        self.callee_dials: dict[str, int] = {}
        self.callee_calls: list[Any] = []

    # ------------------------------------------------------------------ timing
    @staticmethod
    def now_us() -> int:
        return int(time.time() * 1_000_000)

    def scaled(self, ms: float) -> float:
        """Wall-clock seconds for ``ms`` simulated milliseconds."""
        return max(0.0, ms) * self.config.time_scale / 1000.0

    async def sleep_ms(self, ms: float) -> None:
        await asyncio.sleep(self.scaled(ms))

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    # ------------------------------------------------------------------ events
    def fire(
        self,
        name: str,
        channel: Channel | None = None,
        *,
        head: Iterable[Header] = (),
        pre: Iterable[Header] = (),
        post: Iterable[Header] = (),
        body: str | None = None,
        variables: bool | None = None,
    ) -> Event:
        """Build an event now (channel state snapshot) and hand it to every listener."""
        event = self.build(name, channel, head=head, pre=pre, post=post, body=body, variables=variables)
        uid = event.unique_id
        for listener in list(self.listeners):
            scope = listener.scope
            if scope is None or scope == uid:
                listener.offer(event)
        return event

    def build(
        self,
        name: str,
        channel: Channel | None = None,
        *,
        head: Iterable[Header] = (),
        pre: Iterable[Header] = (),
        post: Iterable[Header] = (),
        body: str | None = None,
        variables: bool | None = None,
    ) -> Event:
        """Build an event (taking the next Event-Sequence) without delivering it."""
        headers: list[Header] = list(head)
        headers += core_headers(self.ident, name, next(self._sequence), Stamp())
        headers += pre
        if channel is not None:
            with_vars = variables if variables is not None else name not in NO_VARIABLES
            headers += channel_headers(channel, variables=with_vars)
        headers += post
        return Event(name, headers, body, channel.uuid if channel is not None else None)

    # ---------------------------------------------------------------- channels
    def new_channel(
        self,
        name: str,
        direction: str,
        destination: str,
        *,
        cid_number: str | None,
        cid_name: str | None = None,
        context: str | None = None,
        source: str = "mod_loopback",
        callee: tuple[str | None, str | None] = ("Outbound Call", "default"),
        uuid: str | None = None,
    ) -> Channel:
        profile = CallerProfile(
            direction=direction,
            destination_number=destination,
            caller_id_number=cid_number or "0000000000",
            caller_id_name=cid_name,
            callee_id_name=callee[0],
            callee_id_number=callee[1],
            context=context or self.config.context,
            source=source,
        )
        ch = Channel(
            self,
            uuid=uuid or str(uuidlib.uuid4()),  # origination_uuid, as FreeSWITCH honours it
            name=name,
            direction=direction,
            profile=profile,
            session_id=next(self._session_ids),
        )
        self.channels[ch.uuid] = ch
        self.sessions_since_start += 1
        return ch

    def locate(self, uuid: str) -> Channel | None:
        """A live channel (FreeSWITCH cannot locate a session once it has hung up)."""
        ch = self.channels.get(uuid.strip())
        return ch if ch is not None and ch.is_up else None

    def live_channels(self) -> list[Channel]:
        return [c for c in self.channels.values() if not c.destroyed.is_set()]

    # ------------------------------------------------------- state sequences
    def start_outgoing(self, ch: Channel) -> None:
        """A leg created by originate/bridge: OUTGOING, STATE INIT, CREATE, ORIGINATE, ROUTING, CONSUME."""
        ch.state, ch.state_number = "CS_NONE", 1
        ch.fire("CHANNEL_OUTGOING")
        if ch.call_uuid_after_outgoing:  # bridged-to legs share the originator's call uuid
            ch.call_uuid = ch.call_uuid_after_outgoing
        ch.set_state("CS_INIT")
        ch.state_number = 2
        ch.fire("CHANNEL_CREATE")
        ch.fire("CHANNEL_ORIGINATE")
        ch.set_state("CS_ROUTING")
        ch.set_state("CS_CONSUME_MEDIA")

    def start_incoming(self, ch: Channel) -> None:
        """Inbound leg: STATE INIT, CREATE, CALLSTATE RINGING, STATE ROUTING, STATE EXECUTE."""
        ch.set_state("CS_INIT")
        ch.state_number = 2
        ch.fire("CHANNEL_CREATE")
        ch.state = "CS_ROUTING"
        ch.set_callstate("RINGING")
        ch.set_state("CS_ROUTING")

    async def finish(self, ch: Channel) -> None:
        """Hangup tail: STATE HANGUP, CALLSTATE HANGUP, STATE REPORTING, HANGUP_COMPLETE, DESTROY."""
        if ch.destroyed.is_set() or ch.state in ("CS_HANGUP", "CS_REPORTING", "CS_DESTROY"):
            return
        ch.begin_hangup(ch.hangup_cause or "NORMAL_CLEARING")
        ch.set_state("CS_HANGUP")
        stop_recordings(ch)  # FreeSWITCH closes media bugs in the hangup state: RECORD_STOP before HANGUP_COMPLETE
        ch.set_callstate("HANGUP")
        ch.set_state("CS_REPORTING")
        self.add_cdr_variables(ch)
        ch.fire("CHANNEL_HANGUP_COMPLETE", pre=[("Hangup-Cause", ch.hangup_cause or "")])
        if ch.record is not None:
            ch.record.done.set()
        while ch.holds:  # e.g. an outbound socket that lingers: DESTROY waits for it
            await asyncio.gather(*list(ch.holds), return_exceptions=True)
            ch.holds = [h for h in ch.holds if not h.done()]
        ch.state_number = 12
        ch.fire("CHANNEL_DESTROY")
        ch.set_state("CS_DESTROY")
        ch.destroyed.set()
        self.channels.pop(ch.uuid, None)

    def add_cdr_variables(self, ch: Channel) -> None:
        """The CDR block FreeSWITCH adds before CHANNEL_HANGUP_COMPLETE (names from the fixtures)."""
        t = ch.profile.times
        end = self.now_us()
        cause = ch.hangup_cause or "NORMAL_CLEARING"
        v = ch.vars
        v.set("hangup_cause", cause)
        v.set("hangup_cause_q850", Q850.get(cause, 16))
        v.set("digits_dialed", ch.digits_dialed or "none")

        def stamp(us: int) -> str:
            return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(us / 1_000_000))

        v.set("start_stamp", stamp(t.created))
        v.set("profile_start_stamp", stamp(t.created))
        if t.answered:
            v.set("answer_stamp", stamp(t.answered))
        if t.bridged:
            v.set("bridge_stamp", stamp(t.bridged))
        v.set("end_stamp", stamp(end))
        pairs = [
            ("start", t.created), ("profile_start", t.created), ("answer", t.answered),
            ("bridge", t.bridged), ("last_hold", t.last_hold),
        ]  # fmt: skip
        for key, us in pairs:
            v.set(f"{key}_epoch", str(us // 1_000_000))
            v.set(f"{key}_uepoch", str(us))
        v.set("hold_accum_seconds", "0")
        v.set("hold_accum_usec", "0")
        v.set("hold_accum_ms", "0")
        for key in ("resurrect", "progress", "progress_media"):
            v.set(f"{key}_epoch", "0")
            v.set(f"{key}_uepoch", "0")
        v.set("end_epoch", str(end // 1_000_000))
        v.set("end_uepoch", str(end))
        if ch.last_app is not None:
            v.set("last_app", ch.last_app[0])
            v.set("last_arg", ch.last_app[1])
        p = ch.profile
        number = p.caller_id_number or "0000000000"
        v.set("caller_id", f'"{p.caller_id_name}" <{number}>' if p.caller_id_name else number)
        spans = [
            ("", end - t.created),
            ("bill", end - t.answered if t.answered else 0),
            ("progress", 0),
            ("answer", t.answered - t.created if t.answered else 0),
            ("wait", t.bridged - t.created if t.bridged else 0),
            ("progress_media", 0),
            ("flow_bill", end - t.created),
        ]
        for unit, prefix, div in (("sec", "", 1_000_000), ("msec", "m", 1000), ("usec", "u", 1)):
            for key, us in spans:
                v.set(key + unit if key else prefix + "duration", str(us // div))
        if ch.name.startswith("loopback/"):
            v.set("is_loopback", "1")

    # -------------------------------------------------------------- hangups
    def hangup(self, ch: Channel, cause: str, *, requested: bool = True) -> bool:
        """Hang a channel up now.

        Loopback halves hang up together.  A hangup *requested* by an application, API or the
        caller reaches the other half as NORMAL_CLEARING (02b: B ``USER_BUSY`` -> A
        NORMAL_CLEARING); a failure raised by the core (``requested=False``) keeps its cause
        (03: both halves end DESTINATION_OUT_OF_ORDER / NO_ROUTE_DESTINATION).
        """
        if not ch.begin_hangup(cause):
            return False
        partner = ch.partner
        if partner is not None and partner.is_up:
            partner.begin_hangup("NORMAL_CLEARING" if requested else cause)
        return True
