"""The inbound ESL server (mod_event_socket's port 8021).

Connection flow from the transcripts: the server greets with ``Content-Type: auth/request``;
``auth <password>`` gets ``+OK accepted`` or ``-ERR invalid`` followed by a disconnect notice and
close; before auth every other command gets ``-ERR command not found`` and the connection stays
open; ``exit`` gets ``+OK bye``, a disconnect notice and close.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid as uuidlib
from typing import TYPE_CHECKING

from .api import run_api
from .conn import EventConnection
from .engine import queue_message
from .wire import Command

if TYPE_CHECKING:
    from .core import Switch

__all__ = ["InboundServer", "bgapi"]

log = logging.getLogger(__name__)


def bgapi(sw: Switch, conn: EventConnection, line: str) -> None:
    """Reply ``+OK Job-UUID: <uuid>`` now; fire BACKGROUND_JOB with the api output later."""
    job_uuid = str(uuidlib.uuid4())
    conn.reply(f"+OK Job-UUID: {job_uuid}", ("Job-UUID", job_uuid))
    cmd, _, args = line.strip().partition(" ")

    async def job() -> None:
        body = await run_api(sw, line)
        extra = [("Job-Command-Arg", args.strip())] if args.strip() else []
        sw.fire("BACKGROUND_JOB", post=[("Job-UUID", job_uuid), ("Job-Command", cmd), *extra], body=body)

    sw.spawn(job())


def sendmsg_to(sw: Switch, conn: EventConnection, cmd: Command) -> None:
    """``sendmsg <uuid>`` from an ESL client: queue the message on that channel."""
    target = cmd.args.strip()
    ch = sw.locate(target) if target else None
    if ch is None:
        conn.reply(f"-ERR invalid session id [{target}]")
        return
    queue_message(ch, cmd)
    conn.reply("+OK")


class InboundConnection(EventConnection):
    def __init__(self, switch: Switch, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        super().__init__(switch, writer)
        self.reader = reader
        self.authed = False

    async def run(self) -> None:
        self.switch.listeners.add(self)
        self.write(b"Content-Type: auth/request\n\n")
        try:
            async for cmd in self.commands(self.reader, "inbound connection"):
                with self.holding():
                    await self.dispatch(cmd)
                await self.drain()
        finally:
            await self.close()

    async def dispatch(self, cmd: Command) -> None:
        verb, args = cmd.verb, cmd.args
        if not self.authed:
            if verb == "auth":
                if args.strip() == self.switch.config.password:
                    self.authed = True
                    self.reply("+OK accepted")
                else:
                    self.reply("-ERR invalid")
                    self.disconnect_notice()
                    await self.close()
            else:
                self.reply("-ERR command not found")
            return
        sw = self.switch
        if verb == "api":
            self.api_response(await run_api(sw, args))
        elif verb == "bgapi":
            bgapi(sw, self, args)
        elif verb in ("event", "events"):
            self.cmd_event(args)
        elif verb == "noevents":
            self.cmd_noevents()
        elif verb == "nixevent":
            self.cmd_nixevent(args)
        elif verb == "filter":
            self.cmd_filter(args)
        elif verb == "myevents":
            target = args.split()[0] if args.split() else ""
            if sw.locate(target) is None:
                self.reply("-ERR invalid uuid")
            else:
                self.my_uuid = target
                self.reply("+OK Events Enabled")
        elif verb == "sendmsg":
            sendmsg_to(sw, self, cmd)
        elif verb == "linger" or verb == "nolinger":
            self.reply("-ERR not controlling a session")
        elif verb == "exit":
            self.reply("+OK bye")
            self.disconnect_notice()
            await self.close()
        else:
            self.reply("-ERR command not found")


class InboundServer:
    """Listens for ESL clients; one :class:`InboundConnection` per TCP connection."""

    def __init__(self, switch: Switch) -> None:
        self.switch = switch
        self.server: asyncio.AbstractServer | None = None
        self.connections: set[asyncio.Task[None]] = set()

    async def start(self, host: str, port: int) -> tuple[str, int]:
        self.server = await asyncio.start_server(self._handle, host, port)
        sock = self.server.sockets[0].getsockname()
        return sock[0], sock[1]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self.connections.add(task)
        try:
            await InboundConnection(self.switch, reader, writer).run()
        finally:
            if task is not None:
                self.connections.discard(task)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            with contextlib.suppress(Exception):
                await self.server.wait_closed()
        for task in list(self.connections):
            task.cancel()
        for task in list(self.connections):
            with contextlib.suppress(BaseException):
                await task
