"""Build FreeSWITCH events with the header names, order and encoding seen in the transcripts.

Layout of a channel event (checked against every event in the fixtures)::

    Event-Name, Core-UUID, FreeSWITCH-Hostname/-Switchname/-IPv4/-IPv6,
    Event-Date-Local/-GMT/-Timestamp, Event-Calling-File/-Function/-Line-Number, Event-Sequence,
    <event specific "pre" headers, e.g. Bridge-A-Unique-ID or Original-Channel-Call-State>,
    Channel-State, Channel-Call-State, Channel-State-Number, Channel-Name, Unique-ID,
    Call-Direction, Presence-Call-Direction, Channel-HIT-Dialplan, Channel-Call-UUID,
    Answer-State, [Hangup-Cause], 6 codec headers, Caller-* profile (28-30 headers),
    [Other-Type + Other-Leg-* profile], [variable_* in channel variable order],
    <event specific "post" headers, e.g. Application / DTMF-Digit / Playback-File-Path>

The ``Event-Calling-*`` triplets are copied from the recordings so that clients which log or
switch on them see familiar values.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .wire import url_encode

if TYPE_CHECKING:
    from .channel import CallerProfile, Channel

Header = tuple[str, str]

#: (Event-Calling-File, Event-Calling-Function, Event-Calling-Line-Number) per event, from the fixtures.
CALLING: dict[str, tuple[str, str, str]] = {
    "API": ("switch_loadable_module.c", "switch_api_execute", "2954"),
    "BACKGROUND_JOB": ("mod_event_socket.c", "api_exec", "1572"),
    "CALL_UPDATE": ("switch_channel.c", "switch_channel_flip_cid", "3277"),
    "CHANNEL_ANSWER": ("switch_channel.c", "switch_channel_perform_mark_answered", "3846"),
    "CHANNEL_BRIDGE": ("switch_ivr_bridge.c", "switch_ivr_multi_threaded_bridge", "1689"),
    "CHANNEL_CALLSTATE": ("switch_channel.c", "switch_channel_perform_set_callstate", "301"),
    "CHANNEL_CREATE": ("switch_core_state_machine.c", "switch_core_session_run", "626"),
    "CHANNEL_DATA": ("mod_event_socket.c", "parse_command", "2021"),
    "CHANNEL_DESTROY": ("switch_core_session.c", "switch_core_session_perform_destroy", "1584"),
    "CHANNEL_EXECUTE": ("switch_core_session.c", "switch_core_session_exec", "2944"),
    "CHANNEL_EXECUTE_COMPLETE": ("switch_core_session.c", "switch_core_session_exec", "2967"),
    "CHANNEL_HANGUP": ("switch_channel.c", "switch_channel_perform_hangup", "3445"),
    "CHANNEL_HANGUP_COMPLETE": ("switch_core_state_machine.c", "switch_core_session_reporting_state", "943"),
    "CHANNEL_ORIGINATE": ("switch_core_state_machine.c", "switch_core_session_run", "632"),
    "CHANNEL_OUTGOING": ("switch_core_session.c", "switch_core_session_outgoing_channel", "768"),
    "CHANNEL_PARK": ("switch_ivr.c", "switch_ivr_park", "1002"),
    "CHANNEL_STATE": ("switch_channel.c", "switch_channel_perform_set_running_state", "2408"),
    "CHANNEL_UNBRIDGE": ("switch_ivr_bridge.c", "switch_ivr_multi_threaded_bridge", "1879"),
    "CHANNEL_UNPARK": ("switch_ivr.c", "switch_ivr_park", "1213"),
    "DTMF": ("switch_channel.c", "switch_channel_dequeue_dtmf", "677"),
    "PLAYBACK_START": ("switch_ivr_play_say.c", "switch_ivr_play_file", "1646"),
    "PLAYBACK_STOP": ("switch_ivr_play_say.c", "switch_ivr_play_file", "2020"),
    "PRIVATE_COMMAND": ("switch_ivr.c", "switch_ivr_parse_next_event", "804"),
    # not in the recordings (no recording was made there); plausible values:
    "RECORD_START": ("switch_ivr_async.c", "record_callback", "1232"),
    "RECORD_STOP": ("switch_ivr_async.c", "record_callback", "1286"),
}

#: Events whose channel part carries no ``variable_*`` headers (checked in the fixtures).
NO_VARIABLES = frozenset({"CHANNEL_STATE", "CHANNEL_CALLSTATE", "DTMF", "CHANNEL_OUTGOING", "PRIVATE_COMMAND"})

#: The subset of channel events ``myevents`` delivers on an outbound socket.  The recorded async
#: call shows exactly these names; PLAYBACK_*, CHANNEL_CALLSTATE, PRIVATE_COMMAND, CODEC and
#: CALL_UPDATE for the same channel were on the inbound "ALL" stream but never on the socket.
MYEVENTS = frozenset(
    {
        "CHANNEL_ANSWER", "CHANNEL_BRIDGE", "CHANNEL_CREATE", "CHANNEL_DATA", "CHANNEL_DESTROY",
        "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE",
        "CHANNEL_ORIGINATE", "CHANNEL_OUTGOING", "CHANNEL_PARK", "CHANNEL_PROGRESS",
        "CHANNEL_PROGRESS_MEDIA", "CHANNEL_STATE", "CHANNEL_UNBRIDGE", "CHANNEL_UNPARK", "DTMF",
        "DETECTED_SPEECH",
    }
)  # fmt: skip

#: Every event name this simulator knows (``event plain <name>`` with none of these is an error).
KNOWN_EVENTS = frozenset(
    set(CALLING) | MYEVENTS | {
        "ALL", "CUSTOM", "CLONE", "CHANNEL_HOLD", "CHANNEL_UNHOLD", "CHANNEL_APPLICATION",
        "CHANNEL_UUID", "CALL_UPDATE", "CODEC", "HEARTBEAT", "RE_SCHEDULE", "RECV_INFO",
        "SHUTDOWN", "STARTUP", "LOG", "MESSAGE", "PRESENCE_IN", "NOTIFY", "RECORD_START",
        "RECORD_STOP", "PLAYBACK_START", "PLAYBACK_STOP", "DETECTED_TONE", "CHANNEL_PARK",
        "SESSION_HEARTBEAT", "CALL_SECURE", "TALK", "NOTALK", "DTMF", "API",
    }
)  # fmt: skip


@dataclass
class Event:
    """A fired event.  Values are stored decoded; :meth:`plain` produces the wire body."""

    name: str
    headers: list[Header] = field(default_factory=list)
    body: str | None = None
    unique_id: str | None = None

    def get(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def plain(self) -> bytes:
        """The ``text/event-plain`` body: URL-encoded header lines, blank line, nested body."""
        lines = "".join(f"{k}: {url_encode(v)}\n" for k, v in self.headers)
        if self.body is not None:
            data = self.body.encode("utf-8")
            return (lines + f"Content-Length: {len(data)}\n\n").encode("utf-8") + data
        return (lines + "\n").encode("utf-8")

    def frame(self) -> bytes:
        """The complete message as FreeSWITCH writes it (Content-Length first, then type)."""
        body = self.plain()
        head = f"Content-Length: {len(body)}\nContent-Type: text/event-plain\n\n".encode()
        return head + body


class Stamp:
    """Event timestamp in the three renderings FreeSWITCH uses."""

    def __init__(self, now_us: int | None = None) -> None:
        self.us = now_us if now_us is not None else int(time.time() * 1_000_000)

    @property
    def local(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.us / 1_000_000))

    @property
    def gmt(self) -> str:
        return email.utils.formatdate(self.us / 1_000_000, usegmt=True)


@dataclass
class Identity:
    """Switch-wide header values (Core-UUID, host names and addresses)."""

    core_uuid: str
    hostname: str = "simswitch"
    ipv4: str = "127.0.0.1"
    ipv6: str = "::1"


def core_headers(ident: Identity, name: str, sequence: int, stamp: Stamp) -> list[Header]:
    """The first 13 headers of every event."""
    file_, func, line = CALLING.get(name, ("simswitch.c", "simswitch_fire", "1"))
    return [
        ("Event-Name", name),
        ("Core-UUID", ident.core_uuid),
        ("FreeSWITCH-Hostname", ident.hostname),
        ("FreeSWITCH-Switchname", ident.hostname),
        ("FreeSWITCH-IPv4", ident.ipv4),
        ("FreeSWITCH-IPv6", ident.ipv6),
        ("Event-Date-Local", stamp.local),
        ("Event-Date-GMT", stamp.gmt),
        ("Event-Date-Timestamp", str(stamp.us)),
        ("Event-Calling-File", file_),
        ("Event-Calling-Function", func),
        ("Event-Calling-Line-Number", line),
        ("Event-Sequence", str(sequence)),
    ]


def profile_headers(prefix: str, profile: CallerProfile, *, with_index: bool = True) -> list[Header]:
    """A caller profile (``Caller-*``, ``Other-Leg-*`` or ``Channel-*`` in CHANNEL_DATA)."""
    p = profile
    out: list[Header] = [
        ("Direction", p.direction),
        ("Logical-Direction", p.logical_direction),
        ("Dialplan", p.dialplan),
        ("Caller-ID-Name", p.caller_id_name),
        ("Caller-ID-Number", p.caller_id_number),
        ("Orig-Caller-ID-Name", p.orig_caller_id_name),
        ("Orig-Caller-ID-Number", p.orig_caller_id_number),
        ("Callee-ID-Name", p.callee_id_name),
        ("Callee-ID-Number", p.callee_id_number),
        ("ANI", p.ani),
        ("Destination-Number", p.destination_number),
        ("Unique-ID", p.uuid),
        ("Source", p.source),
        ("Context", p.context),
        ("Channel-Name", p.channel_name),
    ]  # type: ignore[list-item]
    if with_index:
        out.append(("Profile-Index", "1"))
    t = p.times
    out += [
        ("Profile-Created-Time", str(t.created)),
        ("Channel-Created-Time", str(t.created)),
        ("Channel-Answered-Time", str(t.answered)),
        ("Channel-Progress-Time", str(t.progress)),
        ("Channel-Progress-Media-Time", str(t.progress_media)),
        ("Channel-Hangup-Time", str(t.hangup)),
        ("Channel-Transfer-Time", str(t.transfer)),
        ("Channel-Resurrect-Time", str(t.resurrect)),
        ("Channel-Bridged-Time", str(t.bridged)),
        ("Channel-Last-Hold", str(t.last_hold)),
        ("Channel-Hold-Accum", str(t.hold_accum)),
        ("Screen-Bit", "true"),
        ("Privacy-Hide-Name", "false"),
        ("Privacy-Hide-Number", "false"),
    ]
    return [(f"{prefix}-{k}", v) for k, v in out if v is not None]


def channel_headers(ch: Channel, *, variables: bool = True) -> list[Header]:
    """Channel part of an event, in the order FreeSWITCH serializes it."""
    out: list[Header] = [
        ("Channel-State", ch.state),
        ("Channel-Call-State", ch.call_state),
        ("Channel-State-Number", str(ch.state_number)),
        ("Channel-Name", ch.name),
        ("Unique-ID", ch.uuid),
        ("Call-Direction", ch.direction),
        ("Presence-Call-Direction", ch.direction),
        ("Channel-HIT-Dialplan", "true" if ch.hit_dialplan else "false"),
        ("Channel-Call-UUID", ch.call_uuid),
        ("Answer-State", ch.answer_state),
    ]
    if ch.hangup_cause:
        out.append(("Hangup-Cause", ch.hangup_cause))
    out += [
        ("Channel-Read-Codec-Name", "L16"),
        ("Channel-Read-Codec-Rate", "8000"),
        ("Channel-Read-Codec-Bit-Rate", "128000"),
        ("Channel-Write-Codec-Name", "L16"),
        ("Channel-Write-Codec-Rate", "8000"),
        ("Channel-Write-Codec-Bit-Rate", "128000"),
    ]
    out += profile_headers("Caller", ch.profile)
    if ch.other is not None and ch.other_type:
        out.append(("Other-Type", ch.other_type))
        other = profile_headers("Other-Leg", ch.other.profile, with_index=False)
        if ch.other_type == "originatee":  # FS shows the originatee's logical direction as inbound
            other = [(k, "inbound" if k == "Other-Leg-Logical-Direction" else v) for k, v in other]
        out += other
    if variables:
        out += [(f"variable_{k}", v) for k, v in ch.vars.items()]
    return out


def channel_data_headers(ch: Channel) -> list[Header]:
    """Headers of the ``connect`` reply body (CHANNEL_DATA), before the reply headers."""
    return profile_headers("Channel", ch.profile) + channel_headers(ch)


def private_command_headers(line: str, headers: Sequence[Header]) -> list[Header]:
    """PRIVATE_COMMAND puts the raw command and its headers *before* Event-Name."""
    raw = line + "\n" + "".join(f"{k}: {v}\n" for k, v in headers) + "\n"
    return [("Command", raw), *headers]


def merge(*parts: Iterable[Header]) -> list[Header]:
    out: list[Header] = []
    for part in parts:
        out.extend(part)
    return out
