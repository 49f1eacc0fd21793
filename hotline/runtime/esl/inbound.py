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
* `bgapi <command>` is answered at once by `+OK Job-UUID: <uuid>` (a `command/reply` with a Job-UUID
  header); the command's output comes later as the body of a BACKGROUND_JOB event with that Job-UUID (for
  `originate`: `+OK <uuid>` once the callee answered, `-ERR <CAUSE>` when the call failed). The job is
  registered by the reader when the reply arrives, before it reads on, so the event can never come first;
* the link is lost when the socket closes or the switch sends `text/disconnect-notice`; `lost` is set and
  every waiting command fails with ConnectionError, so nobody waits for a reply that cannot come.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from .outbound import Headers, ProtocolError, parse_headers, read_frame

_Waiter = tuple["asyncio.Future[tuple[Headers, str]]", "asyncio.Future[str] | None"]


class AuthenticationFailed(Exception):
    """The switch refused the ESL password."""


class InboundClient:
    """One authenticated inbound ESL connection. Make it with `await InboundClient.connect(...)`."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.lost = asyncio.Event()
        self._waiters: deque[_Waiter] = deque()
        #: bgapi jobs accepted by the switch and not finished yet: Job-UUID -> the future of its output.
        self._jobs: dict[str, asyncio.Future[str]] = {}
        self._jobs_subscribed = False
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
        self._waiters.append((waiter, None))  # appended and written with no await between: replies stay in order
        self.writer.write(f"api {command}\n\n".encode())
        _, body = await asyncio.wait_for(asyncio.shield(waiter), timeout)
        return body

    async def bgapi(self, command: str, timeout: float = 120.0) -> str:
        """Runs `bgapi <command>` and returns its output (the BACKGROUND_JOB body), waiting up to `timeout`.

        Raises ConnectionError when the link is lost before the job ends (the command may still have run:
        an originate's call then goes on without us, which is why the dialer writes its attempt first).
        """
        if self.lost.is_set():
            raise ConnectionError("the ESL connection is lost")
        loop = asyncio.get_running_loop()
        if not self._jobs_subscribed:
            self._jobs_subscribed = True
            subscribed: asyncio.Future[tuple[Headers, str]] = loop.create_future()
            self._waiters.append((subscribed, None))
            self.writer.write(b"event plain BACKGROUND_JOB\n\n")
        waiter: asyncio.Future[tuple[Headers, str]] = loop.create_future()
        job: asyncio.Future[str] = loop.create_future()
        self._waiters.append((waiter, job))
        self.writer.write(f"bgapi {command}\n\n".encode())
        headers, _ = await asyncio.wait_for(asyncio.shield(waiter), 5.0)
        reply = headers.get("Reply-Text", "")
        if not reply.startswith("+OK"):
            return reply + "\n"
        return await asyncio.wait_for(asyncio.shield(job), timeout)

    async def _read_loop(self) -> None:
        error: BaseException = ConnectionError("the ESL connection is lost")
        try:
            while True:
                headers, body = await read_frame(self.reader)
                kind = headers.get("Content-Type")
                if kind in ("api/response", "command/reply"):
                    if self._waiters:
                        waiter, job = self._waiters.popleft()
                        if job is not None and headers.get("Job-UUID"):
                            self._jobs[headers["Job-UUID"]] = job
                        if not waiter.done():
                            waiter.set_result((headers, body))
                elif kind == "text/event-plain":
                    self._event(body)
                elif kind == "text/disconnect-notice":
                    break
                # anything else is not ours to handle
        except (asyncio.IncompleteReadError, ConnectionError, ProtocolError) as exc:
            error = ConnectionError(f"the ESL connection is lost ({type(exc).__name__})")
        finally:
            self.lost.set()
            pending = [w for pair in self._waiters for w in pair if w is not None] + list(self._jobs.values())
            self._waiters.clear()
            self._jobs.clear()
            for waiter in pending:
                if not waiter.done():
                    waiter.set_exception(error)
                    waiter.exception()  # retrieved here: nobody may be awaiting a job that timed out
            self.writer.close()

    def _event(self, body: str) -> None:
        """A BACKGROUND_JOB ends its job; the output is the event's own Content-Length body."""
        head, _, rest = body.partition("\n\n")
        event = parse_headers(head, decode=True)
        if event.get("Event-Name") != "BACKGROUND_JOB":
            return
        job = self._jobs.pop(event.get("Job-UUID", ""), None)
        if job is not None and not job.done():
            job.set_result(rest[: int(event.get("Content-Length", "0") or 0)] if rest else "")

    async def close(self) -> None:
        if self._reader_task is not None:
            self._reader_task.cancel()
            with contextlib.suppress(BaseException):
                await self._reader_task
        self.lost.set()
        self.writer.close()
        with contextlib.suppress(Exception):
            await self.writer.wait_closed()
