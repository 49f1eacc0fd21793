"""Test helpers for simswitch: an independent ESL peer on plain asyncio streams, an outbound-socket
app server, and a loader for the recorded FreeSWITCH transcripts.

Deliberately independent of both ``hotline.runtime.simswitch.wire`` and genesis: if the
simulator's framing were wrong, a client built on the same code could not notice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "freeswitch-esl"


# --------------------------------------------------------------------------- framing
@dataclass
class Msg:
    """One message as received: header list (raw values) and body bytes."""

    headers: list[tuple[str, str]]
    body: bytes = b""

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value
        return default

    @property
    def ctype(self) -> str | None:
        return self.get("Content-Type")

    @property
    def text(self) -> str:
        return self.body.decode()

    def event(self, *, raw: bool = False) -> Msg:
        """Parse a text/event-plain body (values URL-decoded unless ``raw``; nested body kept)."""
        head, _, rest = self.body.partition(b"\n\n")
        headers = []
        for line in head.decode().split("\n"):
            if line:
                key, _, value = line.partition(": ")
                headers.append((key, value if raw else unquote(value)))
        length = int(dict(headers).get("Content-Length", "0"))
        return Msg(headers, rest[:length])

    def decoded(self) -> Msg:
        """Header values URL-decoded (for the connect reply, whose values are encoded)."""
        return Msg([(k, unquote(v)) for k, v in self.headers], self.body)


def split_raw(raw: bytes) -> list[Msg]:
    """Split recorded FS->peer bytes into messages (a recorded block is exactly one message)."""
    out = []
    while raw.strip(b"\n"):
        raw = raw.lstrip(b"\n")
        head, _, rest = raw.partition(b"\n\n")
        headers = []
        for line in head.decode().split("\n"):
            key, _, value = line.partition(": ")
            headers.append((key, value))
        length = int(dict(headers).get("Content-Length", "0"))
        out.append(Msg(headers, rest[:length]))
        raw = rest[length:]
    return out


async def read_msg(reader: asyncio.StreamReader) -> Msg | None:
    headers: list[tuple[str, str]] = []
    while True:
        line = await reader.readline()
        if not line:
            if headers:
                raise EOFError("EOF inside a header block")
            return None
        text = line.decode().rstrip("\n")
        if not text:
            if headers:
                break
            continue
        key, sep, value = text.partition(": ")
        assert sep, f"bad header line {text!r}"
        headers.append((key, value))
    length = int(dict(headers).get("Content-Length", "0"))
    body = await reader.readexactly(length) if length else b""
    return Msg(headers, body)


class Peer:
    """One ESL connection seen from the client/app side."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.inbox: asyncio.Queue[Msg | None] = asyncio.Queue()
        self.received: list[Msg] = []
        self.taken: set[int] = set()
        self.eof = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._pump())

    @classmethod
    async def connect(cls, host: str, port: int) -> Peer:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def _pump(self) -> None:
        try:
            while True:
                msg = await read_msg(self.reader)
                if msg is None:
                    break
                self.received.append(msg)
                await self.inbox.put(msg)
        except (ConnectionError, EOFError, asyncio.IncompleteReadError):
            pass
        finally:
            self.eof.set()
            await self.inbox.put(None)

    def write(self, raw: str | bytes) -> None:
        self.writer.write(raw.encode() if isinstance(raw, str) else raw)

    async def send(self, command: str) -> Msg:
        """Write ``command`` + blank line and return the next command/reply or api/response."""
        self.write(command.rstrip("\n") + "\n\n")
        return await self.next(lambda m: m.ctype in ("command/reply", "api/response"))

    async def recv(self, timeout: float = 5.0) -> Msg | None:
        """The next message not taken yet (None at EOF)."""
        try:
            return await self.next(lambda m: True, timeout)
        except EOFError:
            return None

    async def next(self, pred, timeout: float = 5.0) -> Msg:  # type: ignore[no-untyped-def]
        """Oldest not-yet-taken message matching ``pred`` (waiting for it if needed).

        Messages skipped on the way stay available to later calls, so a test can wait for a
        reply and afterwards for an event that arrived before that reply.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for i, msg in enumerate(self.received):
                if i not in self.taken and pred(msg):
                    self.taken.add(i)
                    return msg
            if self.eof.is_set():
                raise EOFError("connection closed while waiting")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError("no matching message")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.inbox.get(), remaining)

    async def event(self, name: str, timeout: float = 5.0, **match: str) -> Msg:
        """Next text/event-plain with Event-Name ``name`` (and matching decoded headers)."""

        def pred(m: Msg) -> bool:
            if m.ctype != "text/event-plain":
                return False
            ev = m.event()
            return ev.get("Event-Name") == name and all(ev.get(k) == v for k, v in match.items())

        return (await self.next(pred, timeout)).event()

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()
            await self.writer.wait_closed()
        self._task.cancel()
        with contextlib.suppress(BaseException):
            await self._task


class AppServer:
    """An outbound-socket application endpoint: the simulator connects here for each call."""

    def __init__(self) -> None:
        self.peers: asyncio.Queue[Peer] = asyncio.Queue()
        self.server: asyncio.AbstractServer | None = None
        self.port = 0

    async def start(self) -> AppServer:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self.peers.put(Peer(reader, writer))

    async def accept(self, timeout: float = 5.0) -> Peer:
        return await asyncio.wait_for(self.peers.get(), timeout)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()


# ------------------------------------------------------------------------ fixtures
@dataclass
class Block:
    seq: int
    t: float
    conn: str
    kind: str
    direction: str
    raw: str = ""
    text: str = ""

    @property
    def from_fs(self) -> bool:
        return self.direction.startswith("FS")


@dataclass
class Scenario:
    name: str
    blocks: list[Block] = field(default_factory=list)

    def wire(self, conn: str | None = None, from_fs: bool | None = None) -> list[Block]:
        return [
            b
            for b in self.blocks
            if b.kind == "wire" and (conn is None or b.conn == conn) and (from_fs is None or b.from_fs == from_fs)
        ]

    def fs_messages(self, conn: str) -> list[tuple[Block, Msg]]:
        return [(b, m) for b in self.wire(conn, True) for m in split_raw(b.raw.encode())]


def load_scenario(*names: str) -> Scenario:
    """Load (and merge by sequence number) recorded ``.jsonl`` files."""
    seen: dict[int, Block] = {}
    for name in names:
        for line in (FIXTURES / f"{name}.jsonl").read_text().splitlines():
            d = json.loads(line)
            seen.setdefault(
                d["seq"],
                Block(d["seq"], d["t"], d["conn"], d["kind"], d.get("dir", ""), d.get("raw", ""), d.get("text", "")),
            )
    return Scenario("+".join(names), [seen[k] for k in sorted(seen)])


class AppSession:
    """The application side of one outbound-socket call, written against :class:`Peer` only."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer
        self.data: Msg | None = None
        self._n = 0

    @property
    def uuid(self) -> str:
        assert self.data is not None
        return self.data.get("Unique-ID") or ""

    async def start(self, *, linger: str | None = "linger 5", events: str = "myevents") -> Msg:
        """``connect`` (returns the decoded channel data), then ``myevents`` and ``linger``."""
        self.peer.write("connect\n\n")
        self.data = (await self.peer.next(lambda m: m.ctype == "command/reply")).decoded()
        assert (await self.peer.send(events)).get("Reply-Text", "").startswith("+OK")
        if linger:
            assert (await self.peer.send(linger)).get("Reply-Text", "").startswith("+OK")
        return self.data

    def sendmsg(self, app: str, arg: str = "", *, lock: bool = True) -> str:
        """Queue an ``execute`` (without waiting); returns the Event-UUID used."""
        self._n += 1
        event_uuid = f"00000000-0000-4000-8000-{self._n:012d}"
        lines = ["sendmsg", "call-command: execute", f"execute-app-name: {app}"]
        if arg:
            lines.append(f"execute-app-arg: {arg}")
        lines.append(f"Event-UUID: {event_uuid}")
        if lock:
            lines.append("event-lock: true")
        self.peer.write("\n".join(lines) + "\n\n")
        return event_uuid

    async def execute(self, app: str, arg: str = "", *, lock: bool = True, timeout: float = 10.0) -> Msg:
        """Execute and wait for this execution's CHANNEL_EXECUTE_COMPLETE (by Application-UUID)."""
        event_uuid = self.sendmsg(app, arg, lock=lock)
        return await self.peer.event("CHANNEL_EXECUTE_COMPLETE", timeout=timeout, **{"Application-UUID": event_uuid})

    async def hangup(self, cause: str = "NORMAL_CLEARING") -> None:
        self.peer.write(f"sendmsg\ncall-command: hangup\nhangup-cause: {cause}\n\n")

    def events(self) -> list[Msg]:
        """Every event received so far (decoded)."""
        return [m.event() for m in self.peer.received if m.ctype == "text/event-plain"]

    def names(self) -> list[str]:
        """Content-Types and Event-Names received so far, in order (for sequence assertions)."""
        out = []
        for m in self.peer.received:
            if m.ctype == "text/event-plain":
                out.append(m.event().get("Event-Name") or "")
            elif m.ctype == "text/disconnect-notice":
                out.append(f"disconnect-notice:{m.get('Content-Disposition')}")
        return out
