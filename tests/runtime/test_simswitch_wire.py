"""ESL framing: encode/parse round trips, clear errors on bad frames, URL coding of event bodies.

The strongest check re-encodes every event FreeSWITCH sent in the recordings with the
simulator's encoder and requires the exact recorded bytes back.
"""

from __future__ import annotations

import asyncio

import pytest

from hotline.runtime.simswitch.events import Event
from hotline.runtime.simswitch.wire import (
    Message,
    ProtocolError,
    encode_message,
    parse_event_plain,
    parse_message,
    parse_messages,
    read_command,
    read_message,
    url_decode,
    url_encode,
)
from tests.runtime.simswitch_helpers import FIXTURES, load_scenario

ALL_RECORDINGS = [p.stem for p in sorted(FIXTURES.glob("*.jsonl"))]


def test_encode_parse_round_trip_keeps_order_duplicates_and_body() -> None:
    headers = [("Content-Type", "api/response"), ("X-Dup", "a"), ("X-Dup", "b"), ("Content-Length", "6")]
    raw = encode_message(headers, b"+OK 1\n")
    assert raw == b"Content-Type: api/response\nX-Dup: a\nX-Dup: b\nContent-Length: 6\n\n+OK 1\n"
    msg = parse_message(raw)
    assert msg.headers == headers
    assert msg.body == b"+OK 1\n"
    assert msg.get("x-dup") == "a"  # case-insensitive, first wins
    assert Message(headers, b"+OK 1\n").encode() == raw


def test_parse_messages_splits_a_stream_and_returns_the_incomplete_rest() -> None:
    one = b"Content-Type: command/reply\nReply-Text: +OK\n\n"
    two = b"Content-Type: api/response\nContent-Length: 5\n\nhello"
    msgs, rest = parse_messages(one + two + two[:-2])
    assert [m.content_type for m in msgs] == ["command/reply", "api/response"]
    assert msgs[1].body == b"hello"
    assert rest == two[:-2]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"Content-Type: api/response\nContent-Length: 10\n\nshort", "truncated"),
        (b"Content-Type: api/response\nContent-Length: ten\n\n", "not an integer"),
        (b"Content-Type: api/response\nContent-Length: -1\n\n", "negative"),
        (b"Content-Type api/response\n\n", "no ': ' separator"),
        (b"Content-Type: command/reply\nReply-Text: +OK", "truncated"),
        (b"Content-Type: command/reply\n\nContent-Type: x\n\n", "trailing data"),
    ],
)
def test_malformed_or_truncated_frames_raise_a_clear_error(raw: bytes, fragment: str) -> None:
    with pytest.raises(ProtocolError, match=fragment):
        parse_message(raw)


def test_stream_reader_reports_truncation_and_clean_eof() -> None:
    async def read(data: bytes) -> Message | None:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        return await read_message(reader)

    assert asyncio.run(read(b"")) is None
    msg = asyncio.run(read(b"\nContent-Type: auth/request\n\n"))
    assert msg is not None and msg.content_type == "auth/request"
    with pytest.raises(ProtocolError, match="after 3 of 9 body bytes"):
        asyncio.run(read(b"Content-Length: 9\n\nabc"))
    with pytest.raises(ProtocolError, match="middle of a header"):
        asyncio.run(read(b"Content-Type: command/reply\nReply-Te"))


def test_commands_keep_their_header_values_literal() -> None:
    async def read() -> object:
        reader = asyncio.StreamReader()
        reader.feed_data(
            b"sendmsg\ncall-command: execute\nexecute-app-name: playback\n"
            b"execute-app-arg: tone_stream://%(500,0,440)\nevent-lock: true\n\n"
        )
        reader.feed_eof()
        return await read_command(reader)

    cmd = asyncio.run(read())
    assert cmd.verb == "sendmsg"  # type: ignore[attr-defined]
    assert cmd.get("execute-app-arg") == "tone_stream://%(500,0,440)"  # type: ignore[attr-defined]
    assert cmd.get("EVENT-LOCK") == "true"  # type: ignore[attr-defined]


def test_url_coding_matches_freeswitch_character_set() -> None:
    assert url_encode("+OK\n") == "%2BOK%0A"
    assert url_encode("Tue, 24 Nov 2026 02:19:34 GMT") == "Tue,%2024%20Nov%202026%2002%3A19%3A34%20GMT"
    assert url_encode("^[0-5]+$ \\d#") == "%5E%5B0-5%5D%2B$%20%5Cd%23"
    assert url_encode("tone_stream://%(500,0,440)") == "tone_stream%3A//%25(500,0,440)"
    assert url_encode("\u4f60\u597d") == "%E4%BD%A0%E5%A5%BD"
    for text in ("a+b c", "x=1;y={2}&z", "100%", "\u4f60\u597d"):
        assert url_decode(url_encode(text)) == text


def test_event_plain_body_is_url_decoded_with_nested_body() -> None:
    body = (
        b"Event-Name: BACKGROUND_JOB\nJob-Command-Arg: %7Bx%3D1%7Dloopback/4000%20%26park()\n"
        b"Content-Length: 7\n\n+OK ab\n"
    )
    event = parse_event_plain(body)
    assert event.get("Job-Command-Arg") == "{x=1}loopback/4000 &park()"
    assert event.body == b"+OK ab\n"
    with pytest.raises(ProtocolError, match="shorter than its Content-Length"):
        parse_event_plain(body[:-3])


@pytest.mark.parametrize("name", ALL_RECORDINGS)
def test_every_recorded_event_reencodes_to_the_recorded_bytes(name: str) -> None:
    """Parse each recorded FS->peer block and frame it again: byte-identical, every time."""
    scenario = load_scenario(name)
    checked = 0
    for block in scenario.wire(from_fs=True):
        raw = block.raw.encode()
        msgs, rest = parse_messages(raw)
        assert rest == b"" and len(msgs) == 1, f"#{block.seq} is not exactly one message"
        msg = msgs[0]
        assert msg.encode() == raw
        if msg.content_type == "text/event-plain":
            event = msg.event()
            nested = event.body.decode() if event.get("Content-Length") else None
            headers = [(k, v) for k, v in event.headers if not (nested is not None and k == "Content-Length")]
            assert Event(event.get("Event-Name") or "", headers, nested).frame() == raw, f"#{block.seq}"
            checked += 1
    assert checked or name.startswith("02")
