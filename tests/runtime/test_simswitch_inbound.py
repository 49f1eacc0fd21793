"""Inbound ESL server (port 8021 role): auth, api, bgapi, events, originate, uuid_* commands,
and the ``python -m hotline.runtime.simswitch`` process.  Client: the independent helper."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from hotline.runtime.simswitch import AgentBehavior, Extension, SimSwitch, SimSwitchConfig, SocketTarget
from tests.runtime.simswitch_helpers import AppServer, AppSession, Peer

PARK = Extension(actions=(("answer", ""), ("park", "")))
ROOT = Path(__file__).resolve().parents[2]


def with_sim(body: Callable[[SimSwitch, Peer], Awaitable[None]], **config: object) -> None:
    async def main() -> None:
        sim = SimSwitch(SimSwitchConfig(**config))  # type: ignore[arg-type]
        await sim.start()
        peer = await Peer.connect("127.0.0.1", sim.esl_port)
        try:
            assert (await peer.recv()).headers == [("Content-Type", "auth/request")]  # type: ignore[union-attr]
            assert (await peer.send("auth ClueCon")).get("Reply-Text") == "+OK accepted"
            await body(sim, peer)
        finally:
            await peer.close()
            await sim.stop()

    asyncio.run(main())


def test_auth_rejects_wrong_password_then_disconnects_and_refuses_commands_before_auth() -> None:
    async def main() -> None:
        sim = SimSwitch()
        await sim.start()
        try:
            bad = await Peer.connect("127.0.0.1", sim.esl_port)
            await bad.recv()
            assert (await bad.send("auth nope")).get("Reply-Text") == "-ERR invalid"
            notice = await bad.recv()
            assert notice is not None and notice.ctype == "text/disconnect-notice"
            assert notice.text == "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"
            await asyncio.wait_for(bad.eof.wait(), 2)

            early = await Peer.connect("127.0.0.1", sim.esl_port)
            await early.recv()
            assert (await early.send("api status")).get("Reply-Text") == "-ERR command not found"
            assert (await early.send("auth ClueCon")).get("Reply-Text") == "+OK accepted"  # still open
            await early.close()
        finally:
            await sim.stop()

    asyncio.run(main())


def test_api_and_error_replies_copy_the_recorded_texts() -> None:
    async def body(sim: SimSwitch, peer: Peer) -> None:
        version = await peer.send("api version")
        assert version.text.startswith("FreeSWITCH Version 1.10.12-release")
        assert (await peer.send("api status")).text.startswith("UP 0 years")
        assert (await peer.send("api no_such_command x")).text == "-ERR no_such_command Command not found!\n"
        assert (await peer.send("api uuid_kill")).text == "-USAGE: <uuid> [cause]\n"
        assert (await peer.send("api uuid_kill 00000000-0000-4000-8000-000000000000")).text == "-ERR No such channel!\n"
        assert (await peer.send("api expr 1 +* 2")).text == "!err!"
        assert (await peer.send("api expr 6 * 7")).text == "42"
        assert (await peer.send("no_such_esl_command foo")).get("Reply-Text") == "-ERR command not found"
        assert (await peer.send("linger")).get("Reply-Text") == "-ERR not controlling a session"
        assert (await peer.send("event plain NOT_A_REAL_EVENT")).get("Reply-Text") == "-ERR no keywords supplied"
        assert (await peer.send("api originate bogus/1 &park()")).text == "-ERR CHAN_NOT_IMPLEMENTED\n"
        assert (await peer.send("api originate loopback/9999/default &park()")).text == "-ERR NO_ROUTE_DESTINATION\n"
        reply = await peer.send("sendmsg 00000000-0000-4000-8000-000000000000\ncall-command: hangup")
        assert reply.get("Reply-Text") == "-ERR invalid session id [00000000-0000-4000-8000-000000000000]"
        assert (await peer.send("exit")).get("Reply-Text") == "+OK bye"
        assert (await peer.recv()).ctype == "text/disconnect-notice"  # type: ignore[union-attr]

    with_sim(body)


def test_bgapi_originate_background_job_events_and_uuid_kill() -> None:
    async def body(sim: SimSwitch, peer: Peer) -> None:
        assert (await peer.send("event plain ALL")).get("Reply-Text") == "+OK event listener enabled plain"
        reply = await peer.send("bgapi originate {origination_caller_id_number=1001}loopback/7000/default &park()")
        job_uuid = reply.get("Job-UUID")
        assert reply.get("Reply-Text") == f"+OK Job-UUID: {job_uuid}"
        job = await peer.event("BACKGROUND_JOB", **{"Job-UUID": job_uuid})
        assert job.get("Job-Command") == "originate"
        assert job.get("Job-Command-Arg") == "{origination_caller_id_number=1001}loopback/7000/default &park()"
        a_leg = job.text.removeprefix("+OK ").strip()
        assert job.text == f"+OK {a_leg}\n"
        await peer.event("CHANNEL_PARK", **{"Unique-ID": a_leg})
        assert (await peer.send(f"api uuid_getvar {a_leg} loopback_leg")).text == "A"
        assert (await peer.send(f"api uuid_kill {a_leg} USER_BUSY")).text == "+OK\n"
        hangup = await peer.event("CHANNEL_HANGUP", **{"Unique-ID": a_leg})
        assert hangup.get("Hangup-Cause") == "USER_BUSY"
        done = await peer.event("CHANNEL_HANGUP_COMPLETE", **{"Unique-ID": a_leg})
        assert done.get("variable_hangup_cause_q850") == "17"
        await peer.event("CHANNEL_DESTROY", **{"Unique-ID": a_leg})
        assert (await peer.send(f"api uuid_recv_dtmf {a_leg} 1")).text == "-ERR Cannot locate session!\n"
        api_events = [m.event().get("API-Command") for m in peer.received if m.ctype == "text/event-plain"]
        assert "originate" in api_events and "uuid_kill" in api_events

    with_sim(body, dialplan={"7000": PARK})


def test_sendmsg_from_inbound_runs_on_a_parked_channel_and_dtmf_reaches_it() -> None:
    async def body(sim: SimSwitch, peer: Peer) -> None:
        await peer.send("event plain CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE DTMF CHANNEL_PARK")
        leg = (await peer.send("api originate loopback/7000/default &park()")).text.split()[1]
        b_leg = (await peer.send(f"api uuid_getvar {leg} other_loopback_leg_uuid")).text
        await peer.event("CHANNEL_PARK", **{"Unique-ID": b_leg})
        reply = await peer.send(f"sendmsg {b_leg}\ncall-command: execute\nexecute-app-name: set\nexecute-app-arg: x=1")
        assert reply.get("Reply-Text") == "+OK"
        done = await peer.event("CHANNEL_EXECUTE_COMPLETE", **{"Unique-ID": b_leg, "Application": "set"})
        assert done.get("variable_x") == "1"
        assert (await peer.send(f"api uuid_send_dtmf {leg} 5")).text == f"+OK {leg} sent DTMF 5.\n"
        dtmf = await peer.event("DTMF", **{"Unique-ID": b_leg})
        assert (dtmf.get("DTMF-Digit"), dtmf.get("DTMF-Source")) == ("5", "UNKNOWN")

    with_sim(body, dialplan={"7000": PARK})


def test_originate_agent_leg_to_a_did_connects_an_outbound_socket() -> None:
    async def main() -> None:
        app = await AppServer().start()
        sim = SimSwitch(
            SimSwitchConfig(dids={"4008001234": SocketTarget("127.0.0.1", app.port)}, agents={"1001": AgentBehavior(0)})
        )
        await sim.start()
        peer = await Peer.connect("127.0.0.1", sim.esl_port)
        try:
            await peer.recv()
            await peer.send("auth ClueCon")
            reply = await peer.send("bgapi originate {origination_caller_id_number=1001}user/1001 4008001234")
            assert reply.get("Reply-Text", "").startswith("+OK Job-UUID")
            session = AppSession(await app.accept())
            data = await session.start()
            assert data.get("Channel-Name") == "sofia/internal/1001@simswitch"
            assert data.get("Caller-Destination-Number") == "4008001234"
            assert data.get("Socket-Mode") == "async"
            assert (await session.execute("set", "agent=1001")).get("variable_agent") == "1001"
            await session.hangup()
            await asyncio.wait_for(session.peer.eof.wait(), 5)
            assert session.names()[-2:] == ["disconnect-notice:linger", "disconnect-notice:disconnect"]
        finally:
            await peer.close()
            await sim.stop()
            await app.stop()

    asyncio.run(main())


def test_uuid_bridge_and_uuid_transfer() -> None:
    async def body(sim: SimSwitch, peer: Peer) -> None:
        await peer.send("event plain CHANNEL_BRIDGE CHANNEL_UNBRIDGE CHANNEL_HANGUP CHANNEL_EXECUTE")
        a = (await peer.send("api originate loopback/7000/default &park()")).text.split()[1]
        b = (await peer.send("api originate loopback/7000/default &park()")).text.split()[1]
        assert (await peer.send(f"api uuid_bridge {a} {b}")).text == f"+OK {b}\n"
        bridge = await peer.event("CHANNEL_BRIDGE")
        assert (bridge.get("Bridge-A-Unique-ID"), bridge.get("Bridge-B-Unique-ID")) == (a, b)
        await peer.send(f"api uuid_kill {a}")
        await peer.event("CHANNEL_UNBRIDGE")
        await peer.event("CHANNEL_HANGUP", **{"Unique-ID": b})
        c = (await peer.send("api originate loopback/7000/default &park()")).text.split()[1]
        assert (await peer.send(f"api uuid_transfer {c} 7001")).text == "+OK\n"
        moved = await peer.event("CHANNEL_EXECUTE", **{"Unique-ID": c, "Application": "playback"})
        assert moved.get("Caller-Destination-Number") == "7001"

    extension = Extension(actions=(("playback", "say:moved"), ("park", "")))
    with_sim(body, dialplan={"7000": PARK, "7001": extension})


def test_cli_process_serves_inbound_esl() -> None:
    """``python -m hotline.runtime.simswitch`` runs as a process and stops cleanly on SIGTERM."""
    cmd = [sys.executable, "-m", "hotline.runtime.simswitch", "--socket", "127.0.0.1:9", "--esl", "127.0.0.1:0"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        port = int(line.split("ESL on ")[1].split(",")[0].rsplit(":", 1)[1])

        async def talk() -> str:
            peer = await Peer.connect("127.0.0.1", port)
            await peer.recv()
            await peer.send("auth ClueCon")
            text = (await peer.send("api version")).text
            await peer.close()
            return text

        assert asyncio.run(talk()).startswith("FreeSWITCH Version")
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=5) == 0


def test_originate_splits_its_arguments_as_the_real_switch_does() -> None:
    """mod_commands' originate splits on spaces with only single quotes grouping (switch_separate_string), and an
    `&app(...)` ends at the first `)`: an unquoted `&socket(host:port async full)` runs `socket(host:port)`, a
    synchronous socket without full events, on the real switch (captured in the real-switch lane). Quoted, the
    arguments reach the application whole."""
    from hotline.runtime.simswitch.originate import OriginateRequest

    plain = OriginateRequest.parse("{origination_uuid=x}loopback/123/callees &socket(127.0.0.1:8084 async full)")
    assert plain is not None and (plain.dial, plain.destination) == ("{origination_uuid=x}loopback/123/callees",
                                                                     "&socket(127.0.0.1:8084")
    assert plain.application() == ("socket", "127.0.0.1:8084")
    quoted = OriginateRequest.parse("{a=1}loopback/123/callees '&socket(127.0.0.1:8084 async full)' XML x n 99 30")
    assert quoted is not None and quoted.application() == ("socket", "127.0.0.1:8084 async full")
    assert (quoted.cid_name, quoted.cid_number, quoted.timeout_s) == ("n", "99", 30.0)
    assert OriginateRequest.parse("user/1001 &park()").application() == ("park", "")
    assert OriginateRequest.parse("user/1001 4000").application() is None
