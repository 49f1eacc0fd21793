"""Behaviour shared by inbound ESL connections and outbound sockets: subscriptions and output.

Ordering rule (what the transcripts show): a command's reply is written before any event the
command caused.  FreeSWITCH's listener thread executes a command, writes its reply and only then
flushes its event queue; we get the same effect by *holding* event output while a command runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

from .events import KNOWN_EVENTS, MYEVENTS, Event
from .wire import DISCONNECT_BODY, Command, ProtocolError, encode_message, read_command

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from .core import Switch

__all__ = ["EventConnection"]


class EventConnection:
    """An ESL peer: receives events per its subscription; writes replies and notices."""

    def __init__(self, switch: Switch, writer: asyncio.StreamWriter) -> None:
        self.switch = switch
        self.writer = writer
        self.all_events = False
        self.event_names: set[str] = set()
        self.filters: list[tuple[str, str]] = []
        self.my_uuid: str | None = None
        self._hold = 0
        self._pending: list[bytes] = []
        self.closed = False
        self.cutoff = False  # no more events at all (sync socket after hangup)
        #: The one channel whose events this connection can want, or None for any (see core.Listener).
        self.scope: str | None = None

    # -------------------------------------------------------------- output
    def write(self, data: bytes) -> None:
        if self.closed or self.writer.is_closing():
            return
        self.writer.write(data)

    def reply(self, text: str, *extra: tuple[str, str]) -> None:
        """``command/reply`` exactly as FreeSWITCH frames it (type, Reply-Text, extras)."""
        self.write(encode_message([("Content-Type", "command/reply"), ("Reply-Text", text), *extra]))

    def api_response(self, body: str) -> None:
        data = body.encode("utf-8")
        self.write(
            encode_message([("Content-Type", "api/response"), ("Content-Length", str(len(data)))], data)
        )

    def disconnect_notice(self, *extra: tuple[str, str]) -> None:
        body = DISCONNECT_BODY.encode("utf-8")
        headers = [("Content-Type", "text/disconnect-notice"), *extra, ("Content-Length", str(len(body)))]
        self.write(encode_message(headers, body))

    async def drain(self) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.writer.drain()

    async def close(self) -> None:
        if self.closed:
            return
        self.flush()
        self.closed = True
        self.switch.listeners.discard(self)
        with contextlib.suppress(Exception):
            await self.writer.drain()
        with contextlib.suppress(Exception):
            self.writer.close()
            await self.writer.wait_closed()

    # --------------------------------------------------------------- events
    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Keep events back until the current command's reply has been written."""
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1
            if self._hold == 0:
                self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        for frame in pending:
            self.write(frame)

    def emit(self, frame: bytes) -> None:
        """Write now, or after the running command's reply if a command is in progress."""
        if self._hold:
            self._pending.append(frame)
        else:
            self.write(frame)

    async def commands(self, reader: asyncio.StreamReader, what: str) -> AsyncIterator[Command]:
        """The peer's commands until it disconnects, sends garbage or this connection closes."""
        while not self.closed:
            try:
                cmd = await read_command(reader)
            except (ProtocolError, asyncio.IncompleteReadError, ConnectionError) as exc:
                log.debug("%s dropped: %s", what, exc)
                return
            if cmd is None:
                return
            yield cmd

    def _subscription_changed(self) -> None:
        """Called after every change of events or filters; see OutboundSession."""

    def wants(self, event: Event) -> bool:
        if self.closed or self.cutoff:
            return False
        if self.my_uuid is not None and event.unique_id == self.my_uuid and event.name in MYEVENTS:
            return True
        if not (self.all_events or event.name in self.event_names):
            return False
        if self.filters:
            return any(event.get(name) == value for name, value in self.filters)
        return True

    def offer(self, event: Event) -> None:
        if self.wants(event):
            self.emit(event.frame())

    # --------------------------------------------------- subscription commands
    def cmd_event(self, args: str) -> None:
        """``event plain ALL|NAMES...`` (replies copied from 01 and 03-error-cases)."""
        words = args.split()
        fmt = words[0].lower() if words else "plain"
        names = words[1:] if words and words[0].lower() in ("plain", "json", "xml") else words
        if fmt in ("json", "xml"):
            self.reply(f"-ERR simswitch only speaks 'plain' events, not {fmt}")
            return
        known: list[str] = []
        custom = False
        for name in names:
            upper = name.upper()
            if custom or upper in KNOWN_EVENTS:
                known.append(upper)
            custom = custom or upper == "CUSTOM"
        if not known:
            self.reply("-ERR no keywords supplied")
            return
        for name in known:
            if name == "ALL":
                self.all_events = True
            else:
                self.event_names.add(name)
        self._subscription_changed()
        self.reply("+OK event listener enabled plain")

    def cmd_noevents(self) -> None:
        self.all_events = False
        self.event_names.clear()
        self.my_uuid = None
        self._subscription_changed()
        self.reply("+OK no longer listening for events")

    def cmd_nixevent(self, args: str) -> None:
        for name in args.split():
            if name.upper() == "ALL":
                self.all_events = False
                self.event_names.clear()
            self.event_names.discard(name.upper())
        self._subscription_changed()
        self.reply("+OK events nixed")

    def cmd_filter(self, args: str) -> None:
        """``filter <header> <value>`` / ``filter delete <header> [<value>]``."""
        words = args.split(" ", 2)
        if words and words[0] == "delete" and len(words) >= 2:
            header = words[1]
            value = words[2] if len(words) > 2 else None
            self.filters = [f for f in self.filters if not (f[0] == header and value in (None, f[1]))]
            self._subscription_changed()
            self.reply(f"+OK filter deleted. [{header}]=[{value or ''}]")
            return
        if len(words) < 2:
            self.reply("-ERR invalid syntax")
            return
        header, value = words[0], " ".join(words[1:])
        self.filters.append((header, value))
        self._subscription_changed()
        self.reply(f"+OK filter added. [{header}]=[{value}]")
