"""Simulated channel state: caller profile, channel variables, call/answer state, per-call record.

The channel is a passive data holder plus the small state transitions that fire events
(running-state changes, call-state changes, answer, hangup).  What runs *on* a channel
(applications, the park loop, outbound-socket control) lives in :mod:`.engine` and :mod:`.apps`.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import Switch
    from .wire import Command

#: switch_channel_state_t numbering (Channel-State-Number in the fixtures: CS_INIT=1 ... CS_DESTROY=12).
STATE_NUMBERS = {
    "CS_NEW": 0, "CS_INIT": 1, "CS_ROUTING": 2, "CS_SOFT_EXECUTE": 3, "CS_EXECUTE": 4,
    "CS_EXCHANGE_MEDIA": 5, "CS_PARK": 6, "CS_CONSUME_MEDIA": 7, "CS_HIBERNATE": 8, "CS_RESET": 9,
    "CS_HANGUP": 10, "CS_REPORTING": 11, "CS_DESTROY": 12, "CS_NONE": 13,
}  # fmt: skip

#: Channel-Call-State-Number values (RINGING=2, ACTIVE=4, RING_WAIT=6, HANGUP=7 in the fixtures).
CALLSTATE_NUMBERS = {
    "DOWN": 0, "DIALING": 1, "RINGING": 2, "EARLY": 3, "ACTIVE": 4, "HELD": 5, "RING_WAIT": 6,
    "HANGUP": 7, "UNHELD": 8,
}  # fmt: skip

#: Q.850 codes for ``variable_hangup_cause_q850`` (16, 3, 27 and 17 are in the fixtures).
Q850 = {
    "UNALLOCATED_NUMBER": 1, "NO_ROUTE_DESTINATION": 3, "NORMAL_CLEARING": 16, "USER_BUSY": 17,
    "NO_USER_RESPONSE": 18, "NO_ANSWER": 19, "SUBSCRIBER_ABSENT": 20, "CALL_REJECTED": 21,
    "DESTINATION_OUT_OF_ORDER": 27, "INVALID_NUMBER_FORMAT": 28, "NORMAL_UNSPECIFIED": 31,
    "NORMAL_TEMPORARY_FAILURE": 41, "CHAN_NOT_IMPLEMENTED": 66, "RECOVERY_ON_TIMER_EXPIRE": 102,
    "ORIGINATOR_CANCEL": 487, "LOSE_RACE": 502, "MANAGER_REQUEST": 503, "ALLOTTED_TIMEOUT": 602,
    "USER_NOT_REGISTERED": 606, "MEDIA_TIMEOUT": 604,
}  # fmt: skip


class VarTable:
    """Channel variables.  Setting a variable moves it to the end, as FreeSWITCH's event list does.

    The fixtures show this clearly: ``current_application`` and ``playback_*`` hop to the end of the
    ``variable_*`` block each time they are re-set, and setting an empty value deletes.
    """

    def __init__(self) -> None:
        self._data: dict[str, str] = {}

    def set(self, name: str, value: object | None) -> None:
        self._data.pop(name, None)
        if value is not None and value != "":
            self._data[name] = str(value)

    def setdefault(self, name: str, value: object) -> None:
        if name not in self._data:
            self._data[name] = str(value)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._data.get(name, default)

    def delete(self, name: str) -> None:
        self._data.pop(name, None)

    def items(self) -> Iterator[tuple[str, str]]:
        return iter(list(self._data.items()))

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def as_dict(self) -> dict[str, str]:
        return dict(self._data)


@dataclass
class Times:
    """Microsecond timestamps of the profile (``Caller-Channel-*-Time``); 0 means "never"."""

    created: int = 0
    answered: int = 0
    progress: int = 0
    progress_media: int = 0
    hangup: int = 0
    transfer: int = 0
    resurrect: int = 0
    bridged: int = 0
    last_hold: int = 0
    hold_accum: int = 0


@dataclass
class CallerProfile:
    """switch_caller_profile_t as serialized in events; ``None`` fields are omitted like in FS."""

    direction: str
    destination_number: str
    caller_id_number: str | None
    caller_id_name: str | None = None
    callee_id_name: str | None = None
    callee_id_number: str | None = None
    uuid: str = ""
    channel_name: str = ""
    context: str = "default"
    dialplan: str = "xml"
    source: str = "mod_loopback"
    times: Times = field(default_factory=Times)
    orig_caller_id_name: str | None = None
    orig_caller_id_number: str | None = None

    def __post_init__(self) -> None:
        self.orig_caller_id_name = self.orig_caller_id_name or self.caller_id_name
        self.orig_caller_id_number = self.orig_caller_id_number or self.caller_id_number

    @property
    def logical_direction(self) -> str:
        return self.direction

    @property
    def ani(self) -> str | None:
        return self.orig_caller_id_number


@dataclass
class Step:
    """One entry of a call record (what a test asserts on)."""

    kind: str  # "execute", "played", "dtmf", "bridge", "unbridge", "hangup", "variable", "note"
    data: dict[str, Any]
    at: float


@dataclass
class CallRecord:
    """Per-call transcript kept by the simulator for tests: apps, prompts, digits, bridges, cause."""

    uuid: str
    did: str
    caller: str | None
    steps: list[Step] = field(default_factory=list)
    hangup_cause: str | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, kind: str, **data: Any) -> None:
        self.steps.append(Step(kind, data, time.monotonic()))

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [s.data for s in self.steps if s.kind == kind]

    @property
    def applications(self) -> list[tuple[str, str]]:
        """(app, arg) of every application executed on the controlled channel, in order."""
        return [(d["app"], d["arg"]) for d in self.of("execute")]

    @property
    def prompts(self) -> list[str]:
        """Every file/tts text the caller "heard", in order (playback, speak, pagd prompts)."""
        return [d["text"] for d in self.of("played")]

    @property
    def digits(self) -> str:
        """All DTMF digits the controlled channel received, in order."""
        return "".join(d["digit"] for d in self.of("dtmf"))

    @property
    def bridges(self) -> list[dict[str, Any]]:
        return self.of("bridge")

    def summary(self) -> str:
        """Human-readable multi-line transcript (handy in assertion messages)."""
        lines = [f"call {self.uuid} did={self.did} caller={self.caller} cause={self.hangup_cause}"]
        lines += [f"  {s.kind}: {s.data}" for s in self.steps]
        return "\n".join(lines)


class Channel:
    """A simulated FreeSWITCH channel (one leg)."""

    def __init__(
        self,
        switch: Switch,
        *,
        uuid: str,
        name: str,
        direction: str,
        profile: CallerProfile,
        session_id: int,
    ) -> None:
        self.switch = switch
        self.uuid = uuid
        self.name = name
        self.direction = direction
        self.profile = profile
        profile.uuid, profile.channel_name = uuid, name
        self.session_id = session_id
        self.state = "CS_NEW"
        self.state_number = 0
        self.call_state = "DOWN"
        self.answer_state = "ringing"
        self.hit_dialplan = direction == "inbound"
        self.call_uuid = uuid
        self.call_uuid_after_outgoing: str | None = None
        self.hangup_cause: str | None = None
        self.vars = VarTable()
        self.other: Channel | None = None
        self.other_type: str | None = None
        self.partner: Channel | None = None  # the other half of a loopback pair
        self.bridged_to: Channel | None = None
        self.unbridged = asyncio.Event()  # cleared while bridged; hangup tails wait for it
        self.unbridged.set()
        # runtime
        self.messages: deque[Command] = deque()
        self.msg_signal = asyncio.Event()
        self.dtmf_pending: deque[tuple[str, str]] = deque()
        self.dtmf_signal = asyncio.Event()
        #: Set by ``uuid_break``: the media playing now ends (04-dtmf-and-break: FILE PLAYED).
        self.break_signal = asyncio.Event()
        self.digits_dialed = ""
        self.hungup = asyncio.Event()
        self.destroyed = asyncio.Event()
        self.answered = asyncio.Event()
        self.event_lock_depth = 0
        self.last_app: tuple[str, str] | None = None
        self.record: CallRecord | None = None
        self.controlled = False  # an outbound socket / script drives it: record its apps
        self.linger_until_exit = False
        self.parked = False
        self.tasks: set[asyncio.Task[Any]] = set()
        self.transfer_to: str | None = None
        self.holds: list[asyncio.Future[Any]] = []  # destroy waits for these (lingering sockets)
        # hooks for scripted callers: a digit collection starts / its prompt has finished
        self.on_collect: Callable[[Channel], None] | None = None
        self.on_prompt_done: Callable[[Channel], None] | None = None
        profile.times.created = switch.now_us()

    # ----------------------------------------------------------------- helpers
    def __repr__(self) -> str:
        return f"<Channel {self.name} {self.uuid[:8]} {self.state}/{self.answer_state}>"

    @property
    def is_up(self) -> bool:
        """Not hung up yet (a hung-up channel may still linger until it is destroyed)."""
        return self.hangup_cause is None

    def note(self, kind: str, **data: Any) -> None:
        """Add a step to the call record, if this channel is the recorded (controlled) leg."""
        if self.record is not None:
            self.record.add(kind, **data)

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        """Run ``coro`` for this channel; the task is kept so ``SimSwitch.stop`` can end it."""
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def fire(self, name: str, **kw: Any) -> None:
        """Fire a channel event with this channel's current state and variables."""
        self.switch.fire(name, self, **kw)

    # ---------------------------------------------------------- state changes
    def set_state(self, state: str, *, fire: bool = True) -> None:
        """Running-state transition; fires CHANNEL_STATE like switch_channel_set_running_state."""
        self.state = state
        self.state_number = STATE_NUMBERS[state]
        if fire:
            self.fire("CHANNEL_STATE")

    def set_callstate(self, call_state: str) -> None:
        """Call-state change; CHANNEL_CALLSTATE carries the previous state first (fixtures)."""
        original = self.call_state
        self.call_state = call_state
        self.fire(
            "CHANNEL_CALLSTATE",
            pre=[
                ("Original-Channel-Call-State", original),
                ("Channel-Call-State-Number", str(CALLSTATE_NUMBERS[call_state])),
            ],
        )

    def mark_answered(self) -> bool:
        """Answer once: CHANNEL_ANSWER then CHANNEL_CALLSTATE ACTIVE (order from the fixtures)."""
        if self.answer_state in ("answered", "hangup"):
            return False
        self.answer_state = "answered"
        self.profile.times.answered = self.switch.now_us()
        self.fire("CHANNEL_ANSWER")
        self.vars.set("endpoint_disposition", "ANSWER")
        self.set_callstate("ACTIVE")
        self.answered.set()
        return True

    def begin_hangup(self, cause: str) -> bool:
        """Mark the channel hung up and fire CHANNEL_HANGUP; the state machine finishes later."""
        if self.hangup_cause is not None:
            return False
        self.hangup_cause = cause
        self.answer_state = "hangup"
        self.state_number = STATE_NUMBERS["CS_HANGUP"]
        self.profile.times.hangup = self.switch.now_us()
        self.fire("CHANNEL_HANGUP")
        self.note("hangup", cause=cause)
        if self.record is not None:
            self.record.hangup_cause = cause
        self.hungup.set()
        self.msg_signal.set()
        self.dtmf_signal.set()
        return True

    # ------------------------------------------------------------------- DTMF
    def queue_dtmf(self, digits: str, source: str) -> None:
        """Digits arrive; they become DTMF events when an application dequeues them."""
        for digit in digits:
            if digit in "0123456789*#ABCDabcd":
                self.dtmf_pending.append((digit.upper(), source))
        self.dtmf_signal.set()

    def dequeue_dtmf(self) -> str | None:
        """Take one pending digit and fire its DTMF event (switch_channel_dequeue_dtmf)."""
        if not self.dtmf_pending:
            self.dtmf_signal.clear()
            return None
        digit, source = self.dtmf_pending.popleft()
        if not self.dtmf_pending:
            self.dtmf_signal.clear()
        self.digits_dialed += digit
        self.fire(
            "DTMF",
            post=[("DTMF-Digit", digit), ("DTMF-Duration", "2000"), ("DTMF-Source", source)],
        )
        self.note("dtmf", digit=digit, source=source)
        return digit

    # ------------------------------------------------------------------ other
    def set_other(self, other: Channel | None, other_type: str | None) -> None:
        """The peer shown as ``Other-Type`` / ``Other-Leg-*`` in this channel's events."""
        self.other, self.other_type = other, other_type
