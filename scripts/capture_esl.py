"""Records ESL traffic with a real FreeSWITCH into tests/fixtures/freeswitch-esl/<scenario>.jsonl.

Run on a machine with a FreeSWITCH configured from docs/freeswitch/conf (event socket 127.0.0.1:8021,
DIDs handed to the outbound socket 127.0.0.1:8084, the `agents` context) and nothing else listening on
8084. Standard library only; the format is the one of the existing transcripts (one JSON line per wire
block or note, FreeSWITCH->peer blocks one complete message each):

    python scripts/capture_esl.py 04-switch-behaviours

Each scenario places one loopback call into the `public` context; its outbound-socket session runs the
scenario's applications. The simulator's tests replay these files (tests/runtime/test_simswitch_real.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "freeswitch-esl"
ESL = ("127.0.0.1", 8021, "ClueCon")
SOCKET = ("127.0.0.1", 8084)


class Log:
    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.t0 = time.monotonic()

    def add(self, conn: str, kind: str, direction: str = "", raw: str = "", text: str = "") -> None:
        row = {"seq": len(self.rows) + 1, "t": round(time.monotonic() - self.t0, 6),
               "wall": datetime.now(UTC).isoformat(), "conn": conn, "kind": kind, "dir": direction}
        if kind == "wire":
            row.update(bytes=len(raw.encode()), raw=raw)
        else:
            row["text"] = text
        self.rows.append(row)


class Conn:
    """One ESL connection, logged: FreeSWITCH->peer one message per block, peer->FreeSWITCH one write."""

    def __init__(self, log: Log, name: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 peer: str) -> None:
        self.log, self.name, self.reader, self.writer, self.peer = log, name, reader, writer, peer
        self.inbox: asyncio.Queue[tuple[dict, str, str]] = asyncio.Queue()
        self.task = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        try:
            while True:
                head = await self.reader.readuntil(b"\n\n")
                headers = dict(line.split(": ", 1) for line in head.decode().strip("\n").split("\n") if ": " in line)
                body = (await self.reader.readexactly(int(headers.get("Content-Length", 0)))).decode() \
                    if headers.get("Content-Length") else ""
                self.log.add(self.name, "wire", f"FS -> {self.peer}", head.decode() + body)
                await self.inbox.put((headers, body, head.decode() + body))
        except (asyncio.IncompleteReadError, ConnectionError):
            self.log.add(self.name, "note", text="EOF: FreeSWITCH closed the TCP connection")

    def write(self, text: str) -> None:
        self.log.add(self.name, "wire", f"{self.peer} -> FS", text)
        self.writer.write(text.encode())

    async def next(self, match: Callable[[dict, str], bool], timeout: float = 15) -> tuple[dict, str]:
        deadline = time.monotonic() + timeout
        while True:
            headers, body, _ = await asyncio.wait_for(self.inbox.get(), max(0.01, deadline - time.monotonic()))
            if match(headers, body):
                return headers, body

    async def send(self, command: str) -> dict:
        self.write(command + "\n\n")
        headers, _ = await self.next(lambda h, b: h.get("Content-Type") in ("command/reply", "api/response"))
        return headers

    async def api(self, command: str) -> str:
        self.write(f"api {command}\n\n")
        _, body = await self.next(lambda h, b: h.get("Content-Type") == "api/response")
        return body

    async def execute(self, app: str, arg: str = "", *, wait: bool = True, timeout: float = 20) -> dict:
        event_uuid = f"cap-{time.monotonic_ns()}"
        lines = ["sendmsg", "call-command: execute", f"execute-app-name: {app}"]
        if arg:
            lines.append(f"execute-app-arg: {arg}")
        lines += ["event-lock: true", f"Event-UUID: {event_uuid}"]
        await self.send("\n".join(lines))
        if not wait:
            return {"Event-UUID": event_uuid}
        return await self.completion(event_uuid, timeout)

    async def completion(self, event_uuid: str, timeout: float = 20) -> dict:
        _, body = await self.next(lambda h, b: "CHANNEL_EXECUTE_COMPLETE" in b
                                  and f"Application-UUID: {event_uuid}" in b, timeout)
        return event(body)


def event(body: str) -> dict:
    return {k: unquote(v) for k, v in (line.split(": ", 1) for line in body.split("\n\n")[0].split("\n")
                                       if ": " in line)}


async def inbound(log: Log) -> Conn:
    reader, writer = await asyncio.open_connection(ESL[0], ESL[1])
    conn = Conn(log, "inbound", reader, writer, "CLIENT")
    await conn.next(lambda h, b: h.get("Content-Type") == "auth/request")
    await conn.send(f"auth {ESL[2]}")
    return conn


Scenario = Callable[[Conn, Conn, Log], Awaitable[None]]


async def tts_missing(call: Conn, fs: Conn, log: Log) -> None:
    log.add("call", "note", text="mod_tts_commandline unloaded: speak, say: playback, say: in play_and_get_digits")
    await call.execute("answer")
    await call.execute("set", "tts_engine=tts_commandline")
    await call.execute("set", "tts_voice=zh")
    await call.execute("speak", "tts_commandline|zh|您好")
    await call.execute("playback", "say:您好")
    await call.execute("play_and_get_digits", "1 1 1 3000 # 'say:请按一' silence_stream://250 hl_d1 [0-9*#]* 1000")
    await call.execute("playback", "/var/lib/hotline/prompts/no-such-prompt.wav")
    missing = "/var/lib/hotline/prompts/no-such-prompt.wav"
    await call.execute("play_and_get_digits", f"1 1 1 3000 # {missing} silence_stream://250 hl_d2 [0-9*#]* 1000")


async def bridge_failures(call: Conn, fs: Conn, log: Log) -> None:
    await call.execute("answer")
    await call.execute("multiset", "continue_on_fail=true hangup_after_bridge=false ignore_early_media=true")
    log.add("call", "note", text="bridge to a user the directory does not know")
    await call.execute("bridge", "{originate_timeout=5}user/9999")
    log.add("call", "note", text="bridge to an extension that answers USER_BUSY")
    await call.execute("bridge", "{originate_timeout=5}loopback/agentbusy/agents")
    log.add("call", "note", text="bridge to a gateway that does not exist")
    await call.execute("bridge", "{originate_timeout=5}sofia/gateway/nosuch/13800000000")
    log.add("call", "note", text="the caller is still up after three failed bridges")
    await call.execute("playback", "tone_stream://%(200,0,440)")


async def dtmf_and_break(call: Conn, fs: Conn, log: Log) -> None:
    uuid = call.context["Unique-ID"]
    await call.execute("answer")
    await call.execute("multiset", "playback_terminators=any")
    log.add("call", "note", text="DTMF 5 received during playback with playback_terminators=any")
    sent = await call.execute("playback", "tone_stream://%(1000,0,440);loops=10", wait=False)
    await asyncio.sleep(1.0)
    log.add("inbound", "note", text=f"uuid_recv_dtmf {uuid[:8]} 5")
    await fs.api(f"uuid_recv_dtmf {uuid} 5")
    await call.completion(sent["Event-UUID"])
    log.add("call", "note", text="play_and_get_digits right after: does the digit reach it (type-ahead)?")
    silence = "silence_stream://250"
    await call.execute("play_and_get_digits", f"1 1 1 1500 # {silence} {silence} hl_d3 [0-9*#]* 500")
    log.add("call", "note", text="DTMF 7 received during play_and_get_digits' prompt (barge-in)")
    sent = await call.execute("play_and_get_digits",
                              f"1 1 1 5000 # tone_stream://%(1000,0,440);loops=5 {silence} hl_d4 [0-9*#]* 500",
                              wait=False)
    await asyncio.sleep(1.0)
    await fs.api(f"uuid_recv_dtmf {uuid} 7")
    await call.completion(sent["Event-UUID"])
    log.add("call", "note", text="hold music (endless tone) broken with uuid_break <uuid> all, then a prompt")
    sent = await call.execute("playback", "tone_stream://L=-1;%(400,100,523);%(400,100,659)", wait=False)
    await asyncio.sleep(1.0)
    await fs.api(f"uuid_break {uuid} all")
    await call.completion(sent["Event-UUID"])
    await call.execute("playback", "tone_stream://%(200,0,440)")


async def after_bridge(call: Conn, fs: Conn, log: Log) -> None:
    await call.execute("answer")
    await call.execute("multiset", "continue_on_fail=true hangup_after_bridge=false")
    log.add("call", "note", text="bridge to two loopback agents at once, each leg with its origination_uuid; "
                                 "the agent leg is killed after 1 s")
    sent = await call.execute(
        "bridge", "{originate_timeout=5}[origination_uuid=aaaaaaaa-0000-4000-8000-000000000001,hotline_agent=1]"
                  "loopback/agent1/agents,[origination_uuid=aaaaaaaa-0000-4000-8000-000000000002,hotline_agent=2]"
                  "loopback/agent2/agents", wait=False)
    _, body = await call.next(lambda h, b: "Event-Name: CHANNEL_BRIDGE" in b)
    other = event(body).get("Other-Leg-Unique-ID", "")
    await asyncio.sleep(1.0)
    await fs.api(f"uuid_kill {other} NORMAL_CLEARING")
    await call.completion(sent["Event-UUID"])
    log.add("call", "note", text="the caller stays after the agent hung up (hangup_after_bridge=false)")
    await call.execute("playback", "tone_stream://%(200,0,440)")


async def defaults(call: Conn, fs: Conn, log: Log) -> None:
    log.add("call", "note", text="FreeSWITCH's defaults: a bridge to an agent who hangs up, then one that fails, "
                                 "with neither hangup_after_bridge nor continue_on_fail set")
    await call.execute("answer")
    sent = await call.execute("bridge", "{originate_timeout=5}loopback/agent1/agents", wait=False)
    _, body = await call.next(lambda h, b: "Event-Name: CHANNEL_BRIDGE" in b)
    await asyncio.sleep(0.5)
    await fs.api(f"uuid_kill {event(body).get('Other-Leg-Unique-ID', '')} NORMAL_CLEARING")
    await call.completion(sent["Event-UUID"])
    await call.execute("bridge", "{originate_timeout=5}user/9999", timeout=5)


async def directory(call: Conn, fs: Conn, log: Log) -> None:
    log.add("inbound", "note", text="user_exists for a directory user (1001) and an unknown one (9999)")
    domain = (await fs.api("global_getvar domain")).strip()
    await fs.api(f"user_exists id 1001 {domain}")
    await fs.api(f"user_exists id 9999 {domain}")
    await call.execute("answer")
    await call.execute("multiset", "continue_on_fail=true hangup_after_bridge=false ignore_early_media=true")
    log.add("call", "note", text="bridge to a directory user with no phone registered")
    await call.execute("bridge", "{originate_timeout=5}user/1001")
    log.add("call", "note", text="bridge to a user the directory does not know")
    await call.execute("bridge", "{originate_timeout=5}user/9999")
    log.add("call", "note", text="bridge to an extension that rejects the call")
    await call.execute("bridge", "{originate_timeout=5}loopback/agentreject/agents")
    log.add("call", "note", text="bridge nobody answers within originate_timeout")
    await call.execute("bridge", "{originate_timeout=2}loopback/agentsilent/agents", timeout=15)
    await call.execute("playback", "tone_stream://%(200,0,440)")


async def dtmf_burst(call: Conn, fs: Conn, log: Log) -> None:
    """QA 12.4: four keys pressed quickly during a prompt; what the runtime does next must see all of them."""
    uuid = call.context["Unique-ID"]
    silence = "silence_stream://250"
    await call.execute("answer")
    await call.execute("multiset", "playback_terminators=any")
    log.add("call", "note", text="burst 1234 received at once (uuid_recv_dtmf) during a playback, then what the "
                                 "runtime does: unset playback_terminator_used, play_and_get_digits for the rest")
    sent = await call.execute("playback", "tone_stream://%(1000,0,440);loops=10", wait=False)
    await asyncio.sleep(1.0)
    await fs.api(f"uuid_recv_dtmf {uuid} 1234")
    await call.completion(sent["Event-UUID"])
    await call.execute("unset", "playback_terminator_used")
    await call.execute("play_and_get_digits", f"1 3 1 3000 # {silence} {silence} hl_d5 [0-9*#]* 1000")
    log.add("call", "note", text="keys 5 6 7 8 one every 150 ms, the first during a playback")
    sent = await call.execute("playback", "tone_stream://%(1000,0,440);loops=10", wait=False)
    await asyncio.sleep(1.0)
    for digit in "5678":
        await fs.api(f"uuid_recv_dtmf {uuid} {digit}")
        await asyncio.sleep(0.15)
    await call.completion(sent["Event-UUID"])
    await call.execute("unset", "playback_terminator_used")
    await call.execute("play_and_get_digits", f"1 3 1 3000 # {silence} {silence} hl_d6 [0-9*#]* 1000")
    log.add("call", "note", text="keys 1 2 3 one every 150 ms during a playback followed by a second playback "
                                 "(a play node with two prompts) before the collect")
    sent = await call.execute("playback", "tone_stream://%(1000,0,440);loops=10", wait=False)
    await asyncio.sleep(1.0)
    for digit in "123":
        await fs.api(f"uuid_recv_dtmf {uuid} {digit}")
        await asyncio.sleep(0.15)
    await call.completion(sent["Event-UUID"])
    await call.execute("unset", "playback_terminator_used")
    await call.execute("playback", "tone_stream://%(1000,0,440);loops=2")
    await call.execute("unset", "playback_terminator_used")
    await call.execute("play_and_get_digits", f"1 3 1 3000 # {silence} {silence} hl_d7 [0-9*#]* 1000")


SCENARIOS: dict[str, Scenario] = {"tts-missing": tts_missing, "bridge-failures": bridge_failures,
                                  "dtmf-and-break": dtmf_and_break, "after-bridge": after_bridge,
                                  "defaults": defaults, "directory": directory, "dtmf-burst": dtmf_burst}


async def run(name: str, scenario: Scenario, log: Log, did: str) -> None:
    sessions: asyncio.Queue[Conn] = asyncio.Queue()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = Conn(log, "call", reader, writer, "APP")
        await sessions.put(conn)
        await conn.task

    server = await asyncio.start_server(accept, *SOCKET)
    fs = await inbound(log)
    try:
        if name == "tts-missing":
            log.add("inbound", "note", text="unload mod_tts_commandline")
            await fs.api("unload mod_tts_commandline")
            log.add("inbound", "note", text="api checks the doctor uses")
            await fs.api("module_exists mod_tts_commandline")
            await fs.api("user_exists id 9999 $${domain}")
        await fs.send(f"bgapi originate {{origination_caller_id_number=13800000001}}loopback/{did}/public &park()")
        call = await asyncio.wait_for(sessions.get(), 10)
        call.write("connect\n\n")
        headers, _ = await call.next(lambda h, b: h.get("Content-Type") == "command/reply")
        call.context = headers
        await call.send("linger")
        await call.send(f"filter Unique-ID {headers['Unique-ID']}")
        await call.send("event plain CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP CHANNEL_BRIDGE CHANNEL_UNBRIDGE DTMF")
        await scenario(call, fs, log)
        call.write("sendmsg\ncall-command: hangup\nhangup-cause: NORMAL_CLEARING\n\n")
        with contextlib.suppress(TimeoutError):  # already gone when FreeSWITCH hung up itself
            await call.next(lambda h, b: "CHANNEL_HANGUP" in b, 5)
        await asyncio.sleep(0.5)
        log.add("call", "note", text="the app closes its side of the TCP connection")
        call.writer.close()
    finally:
        if name == "tts-missing":
            await fs.api("load mod_tts_commandline")
        fs.writer.close()
        server.close()


async def main(prefix: str, only: list[str]) -> None:
    for number, (name, scenario) in enumerate(SCENARIOS.items()):
        if only and name not in only:
            continue
        log = Log()
        await run(name, scenario, log, f"40080000{number:02d}")
        path = OUT / f"{prefix}-{name}.jsonl"
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in log.rows))
        print(f"{path}: {len(log.rows)} blocks")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "04", sys.argv[2:]))
