"""The ``socket`` application: FreeSWITCH connecting *to* an application (outbound socket).

Recorded behaviour reproduced here:

* ``connect`` is answered with the channel data as *headers* (no Content-Length), every value
  URL-encoded, ``Reply-Text: %2BOK%0A``, ``Socket-Mode: async|static`` and ``Control: full``.
* ``myevents`` -> ``+OK Events Enabled``; ``linger 5`` -> ``+OK will linger 5 seconds``;
  ``linger`` -> ``+OK will linger``; ``sendmsg`` -> ``+OK``; ``getvar`` -> the value as
  Reply-Text; ``exit`` -> ``+OK bye`` then a ``disconnect`` notice and close.
* async mode: the channel is parked (CHANNEL_PARK ~20 ms after connect) and queued messages
  run from the park loop.  After hangup the socket gets CHANNEL_HANGUP ... CHANNEL_HANGUP_COMPLETE,
  then a ``linger`` notice (``Linger-Time`` seconds or -1), then after the linger time a
  ``disconnect`` notice and the TCP close; CHANNEL_DESTROY only happens after that.
* sync ("static") mode: a ``sendmsg`` runs inline; its reply comes when the application has
  finished and the events follow the reply.  On hangup the linger notice comes right after the
  reply, then CHANNEL_HANGUP, and no further events reach the socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from .api import run_api
from .config import SocketTarget
from .conn import EventConnection
from .engine import application, park_loop, process_message, queue_message
from .events import channel_data_headers
from .inbound import bgapi
from .wire import Command, encode_message, url_encode

if TYPE_CHECKING:
    from .channel import Channel

__all__ = ["OutboundSession"]

log = logging.getLogger(__name__)

#: CHANNEL_PARK comes ~20 ms after ``connect`` in the recordings, after the app's immediate
#: ``myevents`` / ``linger`` / first ``sendmsg``.  We park once the app has been quiet for
#: PARK_QUIET_S of real time (at most PARK_MAX_WAIT_S after connect), so a client's set-up
#: commands are always handled first; deliberately not scaled by ``time_scale``.
PARK_QUIET_S = 0.02
PARK_MAX_WAIT_S = 0.25


@application("socket")
async def app_socket(ch: Channel, arg: str) -> None:
    target = SocketTarget.parse(arg)
    ch.vars.set("socket_host", target.host)
    try:
        reader, writer = await asyncio.open_connection(target.host, target.port)
    except OSError as exc:
        ch.note("socket_error", target=arg, error=str(exc))
        return
    await OutboundSession(ch, target, reader, writer).run()


class OutboundSession(EventConnection):
    """One outbound-socket connection controlling one channel."""

    def __init__(
        self,
        ch: Channel,
        target: SocketTarget,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        super().__init__(ch.switch, writer)
        self.ch = ch
        self.scope = ch.uuid
        self.reader = reader
        self.async_mode = target.is_async
        self.linger: int | None = None
        self.connected = asyncio.Event()
        self.done = asyncio.Event()
        self.released: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.notice_due = False
        self.notified = False
        self.last_command = asyncio.get_running_loop().time()
        ch.holds.append(self.released)
        ch.controlled = True

    def _ids(self) -> tuple[str, str]:
        return ("Controlled-Session-UUID", self.ch.uuid)

    # ------------------------------------------------------------------ life
    async def run(self) -> None:
        ch, sw = self.ch, self.switch
        sw.listeners.add(self)
        ch.spawn(self._command_loop())
        if not self.async_mode:
            await self.done.wait()
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.connected.wait(), 10.0)
        await self._quiet_period()
        if ch.is_up and not self.closed:
            await park_loop(ch)
        if ch.is_up and not self.closed:  # transferred away while the app is still connected
            self.emit(self._disconnect_frame())
            await self.close()

    async def _quiet_period(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + PARK_MAX_WAIT_S
        while not self.closed:
            now = loop.time()
            wait = min(self.last_command + PARK_QUIET_S, deadline) - now
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    async def _command_loop(self) -> None:
        try:
            async for cmd in self.commands(self.reader, "outbound socket"):
                self.last_command = asyncio.get_running_loop().time()
                noticed = False
                with self.holding():
                    await self.dispatch(cmd)
                    if self.notice_due:  # sync mode: reply, linger notice, then CHANNEL_HANGUP
                        self.notice_due, noticed = False, True
                        self.write(self._hangup_notice_frame())
                if noticed:
                    self.cutoff = True
                    self._after_notice()
                await self.drain()
        finally:
            await self.close()

    async def close(self) -> None:
        await super().close()
        self.done.set()
        if not self.released.done():
            self.released.set_result(None)
        if self.ch.is_up and self.ch.parked:
            self.ch.parked = False
            self.ch.msg_signal.set()
        if self.ch.is_up:  # the application that drove the media is gone: what it was playing stops
            self.ch.break_signal.set()

    # --------------------------------------------------------------- notices
    def _disconnect_frame(self) -> bytes:
        from .wire import DISCONNECT_BODY

        body = DISCONNECT_BODY.encode("utf-8")
        headers = [
            ("Content-Type", "text/disconnect-notice"),
            self._ids(),
            ("Content-Disposition", "disconnect"),
            ("Content-Length", str(len(body))),
        ]
        return encode_message(headers, body)

    def _hangup_notice_frame(self) -> bytes:
        self.notified = True
        if self.linger is None:
            return self._disconnect_frame()
        return encode_message(
            [
                ("Content-Type", "text/disconnect-notice"),
                self._ids(),
                ("Content-Disposition", "linger"),
                ("Channel-Name", self.ch.name),
                ("Linger-Time", str(self.linger)),
                ("Content-Length", "0"),
            ]
        )

    def _subscription_changed(self) -> None:
        """Own channel only, unless subscribed to events without a filter on its own Unique-ID."""
        own = self.ch.uuid
        own_only = not (self.all_events or self.event_names) or (  # myevents and notices: own channel
            bool(self.filters) and all(name == "Unique-ID" and value == own for name, value in self.filters))
        self.scope = own if own_only else None

    def offer(self, event: object) -> None:
        super().offer(event)  # type: ignore[arg-type]
        if getattr(event, "unique_id", None) != self.ch.uuid or self.notified or self.closed:
            return
        name = getattr(event, "name", "")
        if self.async_mode and name == "CHANNEL_HANGUP_COMPLETE":
            self.emit(self._hangup_notice_frame())
            self._after_notice()
        elif not self.async_mode and name == "CHANNEL_HANGUP":
            if self._hold:
                self.notice_due = True  # written right after the running command's reply
            else:
                self.write(self._hangup_notice_frame())
                self.cutoff = True
                self._after_notice()

    def _after_notice(self) -> None:
        sw = self.switch
        if self.linger is None:
            sw.spawn(self.close())
        elif self.linger >= 0:
            sw.spawn(self._linger_then_close(self.linger))

    async def _linger_then_close(self, seconds: int) -> None:
        delay = min(self.switch.scaled(seconds * 1000), self.switch.config.max_linger_s)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.done.wait(), delay)
        if not self.closed:
            self.emit(self._disconnect_frame())
            await self.close()

    # -------------------------------------------------------------- commands
    async def dispatch(self, cmd: Command) -> None:
        verb, args, ch, sw = cmd.verb, cmd.args.strip(), self.ch, self.switch
        if verb == "connect":
            self._reply_connect()
        elif verb == "myevents":
            self.my_uuid = ch.uuid
            self.reply("+OK Events Enabled")
        elif verb == "linger":
            self.linger = int(args.split()[0]) if args.split() and args.split()[0].isdigit() else -1
            self.reply(f"+OK will linger {self.linger} seconds" if self.linger >= 0 else "+OK will linger")
        elif verb == "nolinger":
            self.linger = None
            self.reply("+OK will not linger")
        elif verb in ("event", "events"):
            self.cmd_event(args)
        elif verb == "noevents":
            self.cmd_noevents()
        elif verb == "nixevent":
            self.cmd_nixevent(args)
        elif verb == "filter":
            self.cmd_filter(args)
        elif verb == "resume":
            self.reply("+OK")
        elif verb == "getvar":
            self.reply(ch.vars.get(args) or "")
        elif verb == "sendmsg":
            await self._sendmsg(cmd)
        elif verb == "api":
            self.api_response(await run_api(sw, args))
        elif verb == "bgapi":
            bgapi(sw, self, args)
        elif verb == "exit":
            self.reply("+OK bye")
            self.write(self._disconnect_frame())
            await self.close()
        elif verb in ("log", "nolog", "divert_events"):
            self.reply("+OK")
        else:
            self.reply("-ERR command not found")

    def _reply_connect(self) -> None:
        ch = self.ch
        event = self.switch.build("CHANNEL_DATA", None, post=channel_data_headers(ch))
        headers = [
            *event.headers,
            ("Content-Type", "command/reply"),
            ("Reply-Text", "+OK\n"),
            ("Socket-Mode", "async" if self.async_mode else "static"),
            ("Control", "full"),
        ]
        self.write(encode_message([(k, url_encode(v)) for k, v in headers]))
        self.connected.set()

    async def _sendmsg(self, cmd: Command) -> None:
        ch, sw = self.ch, self.switch
        target = cmd.args.strip()
        if target and target != ch.uuid:
            other = sw.locate(target)
            if other is None:
                self.reply(f"-ERR invalid session id [{target}]")
                return
            queue_message(other, cmd)
            self.reply("+OK")
            return
        if self.async_mode or (cmd.get("async") or "").lower() == "true":
            if ch.is_up:
                queue_message(ch, cmd)
            self.reply("+OK")
            return
        if ch.is_up:
            await process_message(ch, cmd, quiet=True)
        self.reply("+OK")
