"""ESL wire framing: header blocks, Content-Length bodies and FreeSWITCH-style URL encoding.

Everything here is derived from the recorded transcripts in
``tests/fixtures/freeswitch-esl``: a message is a block of ``Name: value`` lines closed by
an empty line, optionally followed by exactly ``Content-Length`` bytes of body.  Event bodies of
type ``text/event-plain`` are themselves header blocks whose *values* are URL-encoded (and may
carry a nested ``Content-Length`` body, e.g. BACKGROUND_JOB).

The module is shared by the simulator and by the independent test client, so it must stay free of
any simulator state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

__all__ = [
    "Command",
    "Message",
    "ProtocolError",
    "encode_message",
    "parse_event_plain",
    "parse_message",
    "parse_messages",
    "read_command",
    "read_message",
    "url_decode",
    "url_encode",
]

#: Characters FreeSWITCH percent-encodes in event header values.  Observed in the transcripts:
#: ``: space % # \\ + ^ [ ] = ; " < > { } & LF @`` are encoded while ``_ - . , / ( ) $ ~`` are not.
#: ``? | ` CR`` never occur in the recordings; they are encoded too (they are URL-unsafe).
_URL_UNSAFE = frozenset('\r\n "#%&+:;<=>?@[\\]^`{|}')

#: Body FreeSWITCH sends with every ``disconnect`` notice (byte-exact from the transcripts).
DISCONNECT_BODY = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"


class ProtocolError(ValueError):
    """Raised for bytes that are not a well-formed ESL message (bad header, bad/short body)."""


def url_encode(value: str) -> str:
    """Percent-encode ``value`` the way FreeSWITCH encodes event header values (upper-case hex)."""
    out: list[str] = []
    for ch in value:
        if ch in _URL_UNSAFE or ord(ch) < 0x20 or ord(ch) > 0x7E:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
        else:
            out.append(ch)
    return "".join(out)


def url_decode(value: str) -> str:
    """Inverse of :func:`url_encode`; ``+`` stays a plus sign (FreeSWITCH encodes it as ``%2B``)."""
    return unquote(value, encoding="utf-8", errors="replace")


@dataclass
class Message:
    """One ESL message: ordered headers (duplicates allowed, as on the wire) and a raw body."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def get(self, name: str, default: str | None = None) -> str | None:
        """First value of header ``name`` (case-insensitive, like FreeSWITCH's own lookups)."""
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return default

    def names(self) -> list[str]:
        """Header names in wire order."""
        return [k for k, _ in self.headers]

    @property
    def content_type(self) -> str | None:
        return self.get("Content-Type")

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (bodies on this protocol are always text)."""
        return self.body.decode("utf-8", errors="replace")

    def encode(self) -> bytes:
        """Serialize exactly as written (no header is added or reordered)."""
        return encode_message(self.headers, self.body)

    def event(self) -> Message:
        """Parse the body of a ``text/event-plain`` message into a decoded event message."""
        return parse_event_plain(self.body)


def encode_message(headers: Iterable[tuple[str, str]], body: bytes | str = b"") -> bytes:
    """Frame ``headers`` + ``body``.  The caller places Content-Length where FreeSWITCH puts it."""
    raw = "".join(f"{name}: {value}\n" for name, value in headers) + "\n"
    data = body.encode("utf-8") if isinstance(body, str) else body
    return raw.encode("utf-8") + data


def _parse_header_lines(block: str, *, decode: bool) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for line in block.split("\n"):
        line = line.rstrip("\r")
        if not line:
            continue
        name, sep, value = line.partition(": ")
        if not sep:
            if line.endswith(":"):
                name, value = line[:-1], ""
            else:
                raise ProtocolError(f"malformed header line (no ': ' separator): {line[:80]!r}")
        if not name or name != name.strip():
            raise ProtocolError(f"malformed header name in line {line[:80]!r}")
        headers.append((name, url_decode(value) if decode else value))
    return headers


def _content_length(headers: Sequence[tuple[str, str]]) -> int:
    for name, value in headers:
        if name.lower() == "content-length":
            try:
                length = int(value.strip())
            except ValueError:
                raise ProtocolError(f"Content-Length is not an integer: {value!r}") from None
            if length < 0:
                raise ProtocolError(f"negative Content-Length: {length}")
            return length
    return 0


def _split_block(data: bytes) -> tuple[bytes, bytes] | None:
    """Split ``data`` at the first blank line; None when no complete header block is present."""
    idx = data.find(b"\n\n")
    idx_crlf = data.find(b"\r\n\r\n")
    if idx < 0 and idx_crlf < 0:
        return None
    if idx_crlf >= 0 and (idx < 0 or idx_crlf < idx):
        return data[:idx_crlf], data[idx_crlf + 4 :]
    return data[:idx], data[idx + 2 :]


def parse_messages(data: bytes) -> tuple[list[Message], bytes]:
    """Parse as many complete messages as ``data`` holds; return them and the unparsed rest."""
    out: list[Message] = []
    while True:
        stripped = data.lstrip(b"\r\n")
        if not stripped:
            return out, b""
        split = _split_block(stripped)
        if split is None:
            return out, stripped
        head, rest = split
        headers = _parse_header_lines(head.decode("utf-8", errors="replace"), decode=False)
        length = _content_length(headers)
        if len(rest) < length:
            return out, stripped
        out.append(Message(headers, rest[:length]))
        data = rest[length:]


def parse_message(data: bytes) -> Message:
    """Parse exactly one complete message; raise :class:`ProtocolError` if truncated or malformed."""
    messages, rest = parse_messages(data)
    if not messages:
        raise ProtocolError(f"truncated ESL message ({len(data)} bytes, no complete frame)")
    if rest or len(messages) > 1:
        raise ProtocolError("trailing data after the first ESL message")
    return messages[0]


def parse_event_plain(body: bytes | str) -> Message:
    """Decode a ``text/event-plain`` body: URL-decoded headers plus an optional nested body."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    split = _split_block(data)
    head, rest = (data, b"") if split is None else split
    headers = _parse_header_lines(head.decode("utf-8", errors="replace"), decode=True)
    length = _content_length(headers)
    if len(rest) < length:
        raise ProtocolError(f"event body shorter than its Content-Length ({len(rest)} < {length})")
    return Message(headers, rest[:length])


async def _read_block(reader: asyncio.StreamReader) -> bytes | None:
    lines: list[bytes] = []
    while True:
        line = await reader.readline()
        if not line:
            if any(x.strip() for x in lines):
                raise ProtocolError("connection closed in the middle of a header block")
            return None
        if not line.endswith(b"\n"):
            raise ProtocolError("connection closed in the middle of a header line")
        if line in (b"\n", b"\r\n"):
            if lines:
                return b"".join(lines)
            continue  # stray blank line between messages
        lines.append(line)


async def read_message(reader: asyncio.StreamReader) -> Message | None:
    """Read one message from a stream; ``None`` on a clean EOF between messages."""
    head = await _read_block(reader)
    if head is None:
        return None
    headers = _parse_header_lines(head.decode("utf-8", errors="replace"), decode=False)
    length = _content_length(headers)
    body = b""
    if length:
        try:
            body = await reader.readexactly(length)
        except asyncio.IncompleteReadError as exc:
            raise ProtocolError(
                f"connection closed after {len(exc.partial)} of {length} body bytes"
            ) from None
    return Message(headers, body)


@dataclass
class Command:
    """A client->FreeSWITCH command: first line (``api status``), header lines, optional body."""

    line: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @property
    def verb(self) -> str:
        return self.line.split(" ", 1)[0].lower() if self.line else ""

    @property
    def args(self) -> str:
        parts = self.line.split(" ", 1)
        return parts[1] if len(parts) > 1 else ""

    def get(self, name: str, default: str | None = None) -> str | None:
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return default


async def read_command(reader: asyncio.StreamReader) -> Command | None:
    """Read one command the way mod_event_socket does: line, ``Name: value`` lines, blank line.

    Header values of commands are taken literally (clients do not URL-encode them; the
    transcripts show ``execute-app-arg: tone_stream://%(500,0,440)`` sent raw).
    """
    head = await _read_block(reader)
    if head is None:
        return None
    lines = [ln.rstrip("\r") for ln in head.decode("utf-8", errors="replace").split("\n") if ln.strip()]
    first, rest = lines[0].strip(), lines[1:]
    headers: list[tuple[str, str]] = []
    for line in rest:
        name, sep, value = line.partition(":")
        if not sep:
            raise ProtocolError(f"malformed command header line: {line[:80]!r}")
        headers.append((name.strip(), value.strip()))
    length = _content_length(headers)
    body = await reader.readexactly(length) if length else b""
    return Command(first, headers, body)
