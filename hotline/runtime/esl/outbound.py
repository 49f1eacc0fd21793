"""A thin asyncio client for FreeSWITCH's outbound socket: one connection per call.

Why not genesis here (docs/decisions.md allowed this fallback "measure first, then decide"): measured with
bench/runtime_load.py, genesis spent most of the runtime's CPU per call parsing every header of every
event into a dict with percent-decoding and building OpenTelemetry attributes for it, with no exporter
configured; and the simulator's transcript tests pinned four protocol defects (docs/runtime.md). This
client does only what a call needs, written from the recorded transcripts:

* `connect` → the channel data come back as the reply's headers (no Content-Length);
* commands are answered in order (`command/reply`), so replies resolve a FIFO of waiters;
* `sendmsg` with `event-lock: true` and our `Event-UUID`; the application's CHANNEL_EXECUTE_COMPLETE
  carries it back as `Application-UUID`;
* after a hang-up FreeSWITCH still answers `+OK` to a lingering socket but never runs the application, so
  every wait also ends on CHANNEL_HANGUP or on the connection closing;
* `text/disconnect-notice` (linger, then disconnect) ends the session.
The inbound connection (api, low volume) has its own small client on the same frame reader (inbound.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid as uuidlib
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote

log = logging.getLogger("hotline.runtime.esl")
Headers = dict[str, str]
MAX_FRAME = 1 << 20


class ProtocolError(Exception):
    """A frame FreeSWITCH would never send (bad Content-Length, not UTF-8, too large)."""


class SessionGone(Exception):
    """The caller hung up or the connection closed while a command was outstanding."""


def parse_headers(block: str, *, decode: bool) -> Headers:
    """Header lines to a dict; values percent-decoded only where they hold a '%' (event bodies).
    A header sent twice (Hangup-Cause on HANGUP_COMPLETE) keeps its first value."""
    headers: Headers = {}
    for line in block.split("\n"):
        name, sep, value = line.partition(": ")
        if not sep:
            continue
        if name not in headers:
            headers[name] = unquote(value) if decode and "%" in value else value
    return headers


async def read_frame(reader: asyncio.StreamReader) -> tuple[Headers, str]:
    """One ESL message: the header block, and its body when it has a Content-Length."""
    try:
        raw = await reader.readuntil(b"\n\n")
    except asyncio.LimitOverrunError as exc:
        raise ProtocolError("header block too long") from exc
    try:
        headers = parse_headers(raw.decode("utf-8"), decode=False)
        length = int(headers.get("Content-Length", "0"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(f"malformed ESL frame: {exc}") from exc
    if not 0 <= length <= MAX_FRAME:
        raise ProtocolError(f"bad Content-Length {length}")
    body = (await reader.readexactly(length)).decode("utf-8", "replace") if length else ""
    return headers, body


class OutboundSession:
    """One call's socket. Create with `OutboundSession(reader, writer)`, then `await setup(...)`."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.context: Headers = {}
        self.hungup = asyncio.Event()
        self.closed = asyncio.Event()
        self._replies: deque[asyncio.Future[Headers]] = deque()
        self._completions: dict[str, asyncio.Future[Headers]] = {}
        self._listeners: dict[str, list[Callable[[Headers], Any]]] = {}
        self._reader_task: asyncio.Task[None] | None = None
        #: The channel's Hangup-Cause once FreeSWITCH reported it, and whether the runtime asked for it.
        self.hangup_cause: str | None = None
        self.hangup_requested = False

    @property
    def uuid(self) -> str:
        return self.context.get("Unique-ID", "")

    async def setup(self, events: str, linger: bool = True) -> None:
        """connect, then own events only: filter on our Unique-ID and subscribe to `events`."""
        self._reader_task = asyncio.get_running_loop().create_task(self._read_loop())
        self.context = await self.command("connect")
        if linger:
            await self.command("linger")
        await self.command(f"filter Unique-ID {self.uuid}")
        await self.command(f"event plain {events}")

    def on(self, event_name: str, callback: Callable[[Headers], Any]) -> None:
        """Calls callback(event) on the event loop for each such event of this call."""
        self._listeners.setdefault(event_name, []).append(callback)

    def off(self, event_name: str, callback: Callable[[Headers], Any]) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self._listeners[event_name].remove(callback)

    async def command(self, text: str) -> Headers:
        """Sends a command and returns its reply headers."""
        if self.closed.is_set():
            raise SessionGone(text.split()[0])
        waiter: asyncio.Future[Headers] = asyncio.get_running_loop().create_future()
        self._replies.append(waiter)
        self.writer.write(text.encode("utf-8") + b"\n\n")
        return await waiter

    async def execute(self, app: str, arg: str = "", timeout: float | None = None) -> Headers:
        """Runs a dialplan application and returns its CHANNEL_EXECUTE_COMPLETE event."""
        if self.hungup.is_set():
            raise SessionGone(app)
        event_uuid = str(uuidlib.uuid4())
        done: asyncio.Future[Headers] = asyncio.get_running_loop().create_future()
        self._completions[event_uuid] = done
        lines = ["sendmsg", "call-command: execute", f"execute-app-name: {app}"]
        if arg:
            lines.append(f"execute-app-arg: {arg}")
        lines += ["event-lock: true", f"Event-UUID: {event_uuid}"]
        try:
            reply = await self.command("\n".join(lines))
            if not reply.get("Reply-Text", "").startswith("+OK"):
                raise SessionGone(f"{app}: {reply.get('Reply-Text')}")
            hangup = asyncio.ensure_future(self.hungup.wait())
            try:
                finished, _ = await asyncio.wait((done, hangup), timeout=timeout,
                                                 return_when=asyncio.FIRST_COMPLETED)
            finally:
                hangup.cancel()
            if done not in finished:
                if not finished:
                    raise TimeoutError(f"{app} did not complete within {timeout}s")
                raise SessionGone(app)
            return done.result()
        finally:
            self._completions.pop(event_uuid, None)

    async def hangup(self, cause: str = "NORMAL_CLEARING") -> None:
        self.hangup_requested = not self.hungup.is_set()
        with contextlib.suppress(SessionGone, ConnectionError):
            await self.command(f"sendmsg\ncall-command: hangup\nhangup-cause: {cause}")

    async def _read_loop(self) -> None:
        try:
            while True:
                headers, body = await read_frame(self.reader)
                kind = headers.get("Content-Type", "")
                if kind in ("command/reply", "api/response"):
                    if self._replies:
                        waiter = self._replies.popleft()
                        if not waiter.done():
                            waiter.set_result(headers)
                elif kind == "text/event-plain":
                    self._dispatch(body)
                elif kind == "text/disconnect-notice":
                    self.hungup.set()
                    if headers.get("Content-Disposition") == "disconnect":
                        break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except ProtocolError as exc:
            log.warning("call %s: %s; closing the connection", self.uuid or "?", exc)
        finally:
            self._close()

    def _dispatch(self, body: str) -> None:
        head, _, _ = body.partition("\n\n")
        event = parse_headers(head, decode=True)
        name = event.get("Event-Name", "")
        if name == "CHANNEL_EXECUTE_COMPLETE":
            done = self._completions.get(event.get("Application-UUID", ""))
            if done is not None and not done.done():
                done.set_result(event)
        elif name == "CHANNEL_HANGUP":
            self.hangup_cause = event.get("Hangup-Cause") or self.hangup_cause
            self.hungup.set()
        for callback in list(self._listeners.get(name, ())):
            try:
                callback(event)
            except Exception:
                log.exception("listener for %s failed", name)

    def _close(self) -> None:
        self.hungup.set()
        self.closed.set()
        while self._replies:
            waiter = self._replies.popleft()
            if not waiter.done():
                waiter.set_exception(SessionGone("connection closed"))
        self.writer.close()

    async def close(self) -> None:
        if self._reader_task is not None:
            self._reader_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader_task
        self._close()


Handler = Callable[[OutboundSession], Awaitable[None]]


class OutboundServer:
    """Accepts FreeSWITCH's outbound-socket connections; runs `handler(session)` for each call.

    A connection that does not complete the set-up within `setup_timeout` (a peer that is not
    FreeSWITCH, a malformed frame) is closed with a warning; other calls are not affected.
    """

    def __init__(self, handler: Handler, host: str, port: int, *, events: str, setup_timeout: float = 10.0) -> None:
        self.handler, self.host, self.port = handler, host, port
        self.events, self.setup_timeout = events, setup_timeout
        self.server: asyncio.Server | None = None
        #: One task per open connection (a call, or a peer still in its set-up).
        self.tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        # A deep accept backlog: FreeSWITCH opens one connection per call, in bursts; asyncio's default
        # of 100 refused calls at 200 new calls/s (FreeSWITCH then falls through to the dialplan fallback).
        self.server = await asyncio.start_server(self._connection, self.host, self.port, limit=MAX_FRAME,
                                                 backlog=4096)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)
        session = OutboundSession(reader, writer)
        peer = writer.get_extra_info("peername")
        try:
            try:
                await asyncio.wait_for(session.setup(self.events), self.setup_timeout)
            except (TimeoutError, SessionGone, ConnectionError) as exc:
                log.warning("closing the ESL connection from %s: no valid set-up (%s)", peer, type(exc).__name__)
                return
            try:
                await self.handler(session)
            except Exception:
                log.exception("call %s failed", session.uuid)
        except asyncio.CancelledError:
            # The runtime is stopping. Ending quietly: asyncio's server would otherwise log a cancelled
            # connection task as an error.
            log.info("call %s ended by shutdown", session.uuid or "?")
        finally:
            await session.close()
            if task is not None:
                self.tasks.discard(task)

    async def stop(self, grace_seconds: float = 0.0) -> None:
        """Stops accepting calls at once; calls in progress may finish for `grace_seconds` (each writes its
        record), then the rest are cancelled (FreeSWITCH then runs the dialplan's fallback after `socket`)."""
        if self.server is not None:
            self.server.close()
        if grace_seconds > 0 and self.tasks:
            log.info("stopping: %d call(s) in progress get %.0f s to finish", len(self.tasks), grace_seconds)
            await asyncio.wait(list(self.tasks), timeout=grace_seconds)
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.server is not None:
            await self.server.wait_closed()
