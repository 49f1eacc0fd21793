"""A thin asyncio client for FreeSWITCH's inbound Event Socket (port 8021): authenticate, run `api` commands.

Why in-house (docs/decisions.md, "ESL: one in-house client for both directions"): the runtime used genesis
only for this low-volume link, and genesis alone brought 35 of the 71 installed runtime packages (FastAPI,
uvicorn, OpenTelemetry, pydantic, typer, rich…, 37.5 MB), 3.3-4.4 s of import time and 46 MB of memory to
every runtime process. The outbound client (outbound.py) already reads the wire format; this reuses its
frame reader. What it does, from the recorded transcripts:

* on connect the switch sends `auth/request`; we answer `auth <password>` and expect `+OK accepted`
  (`-ERR invalid` otherwise: AuthenticationFailed);
* `api <command>` is answered by an `api/response` whose body is the command's output; with no event
  subscription, replies come in the order commands were sent, so replies resolve a FIFO of waiters;
* the link is lost when the socket closes or the switch sends `text/disconnect-notice`; `lost` is set and
  every waiting command fails with ConnectionError, so nobody waits for a reply that cannot come.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from .outbound import Headers, ProtocolError, read_frame


class AuthenticationFailed(Exception):
    """The switch refused the ESL password."""


class InboundClient:
    """One authenticated inbound ESL connection. Make it with `await InboundClient.connect(...)`."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.lost = asyncio.Event()
        self._waiters: deque[asyncio.Future[tuple[Headers, str]]] = deque()
        self._reader_task: asyncio.Task[None] | None = None

    @classmethod
    async def connect(cls, host: str, port: int, password: str, *, timeout: float = 5.0) -> InboundClient:
        """Connects and authenticates; raises OSError, TimeoutError, ProtocolError or AuthenticationFailed."""
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        client = cls(reader, writer)
        try:
            headers, _ = await asyncio.wait_for(read_frame(reader), timeout)
            if headers.get("Content-Type") != "auth/request":
                raise ProtocolError(f"expected auth/request, got {headers.get('Content-Type')!r}")
            writer.write(f"auth {password}\n\n".encode())
            await writer.drain()
            headers, _ = await asyncio.wait_for(read_frame(reader), timeout)
            reply = headers.get("Reply-Text", "")
            if not reply.startswith("+OK"):
                raise AuthenticationFailed(reply or "no reply to auth")
        except BaseException:
            writer.close()
            raise
        client._reader_task = asyncio.get_running_loop().create_task(client._read_loop())
        return client

    async def api(self, command: str, timeout: float = 5.0) -> str:
        """Runs `api <command>` and returns its output (the reply's body)."""
        if self.lost.is_set():
            raise ConnectionError("the ESL connection is lost")
        waiter: asyncio.Future[tuple[Headers, str]] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)  # appended and written with no await between: replies stay in order
        self.writer.write(f"api {command}\n\n".encode())
        _, body = await asyncio.wait_for(asyncio.shield(waiter), timeout)
        return body

    async def _read_loop(self) -> None:
        error: BaseException = ConnectionError("the ESL connection is lost")
        try:
            while True:
                headers, body = await read_frame(self.reader)
                kind = headers.get("Content-Type")
                if kind in ("api/response", "command/reply"):
                    if self._waiters:
                        waiter = self._waiters.popleft()
                        if not waiter.done():
                            waiter.set_result((headers, body))
                elif kind == "text/disconnect-notice":
                    break
                # anything else (events are not subscribed to here) is not ours to handle
        except (asyncio.IncompleteReadError, ConnectionError, ProtocolError) as exc:
            error = ConnectionError(f"the ESL connection is lost ({type(exc).__name__})")
        finally:
            self.lost.set()
            while self._waiters:
                waiter = self._waiters.popleft()
                if not waiter.done():
                    waiter.set_exception(error)
            self.writer.close()

    async def close(self) -> None:
        if self._reader_task is not None:
            self._reader_task.cancel()
            with contextlib.suppress(BaseException):
                await self._reader_task
        self.lost.set()
        self.writer.close()
        with contextlib.suppress(Exception):
            await self.writer.wait_closed()
