"""Outbound-socket calls driven by scripted callers, with the test playing the application.

The application side uses only the independent helper client (no simulator code, no genesis),
so these tests check the simulator's wire behaviour and its per-call record together.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from hotline.runtime.simswitch import (
    HANGUP,
    SILENCE,
    AgentBehavior,
    CallerScript,
    CallRecord,
    SimSwitch,
    SimSwitchConfig,
    SocketTarget,
)
from tests.runtime.simswitch_helpers import AppServer, AppSession

DID = "4008001234"
CALLER = "13800000000"
MENU = "1 1 1 5000 # say:Press-1-for-sales say:Sorry-invalid menu ^[1-3]$ 3000"

App = Callable[[AppSession], Awaitable[None]]


def run_call(script: CallerScript, app: App, *, linger: str | None = "linger 5", **config: object) -> tuple[
    CallRecord, AppSession
]:
    """Place one scripted call; ``app`` plays the outbound-socket application."""

    async def main() -> tuple[CallRecord, AppSession]:
        server = await AppServer().start()
        cfg = SimSwitchConfig(socket=SocketTarget("127.0.0.1", server.port), **config)  # type: ignore[arg-type]
        sim = SimSwitch(cfg)
        await sim.start()
        try:
            call = sim.start_call(script, timeout=10)
            session = AppSession(await server.accept())
            await session.start(linger=linger)
            await app(session)
            record = await call
            await asyncio.wait_for(session.peer.eof.wait(), 5)
            return record, session
        finally:
            await sim.stop()
            await server.stop()

    return asyncio.run(main())


def test_scripted_call_is_recorded_prompts_digits_bridge_and_cause() -> None:
    async def app(s: AppSession) -> None:
        assert s.data is not None
        assert s.data.get("Caller-Caller-ID-Number") == CALLER
        assert s.data.get("Caller-Destination-Number") == DID
        await s.execute("answer")
        menu = await s.execute("play_and_get_digits", MENU)
        assert menu.get("variable_menu") == "1"
        await s.execute("playback", "say:Connecting you to an agent")
        bridged = await s.execute("bridge", "user/1001")
        assert bridged.get("variable_bridge_hangup_cause") == "NORMAL_CLEARING"
        assert bridged.get("variable_DIALSTATUS") == "SUCCESS"
        await s.execute("playback", "say:Goodbye")
        await s.hangup()

    record, s = run_call(
        CallerScript(did=DID, caller=CALLER, presses=["1"]),
        app,
        agents={"1001": AgentBehavior(answer_after_ms=200, talk_ms=2000)},
    )
    assert [a for a, _ in record.applications] == [
        "socket", "answer", "play_and_get_digits", "playback", "bridge", "playback",
    ]  # fmt: skip
    assert record.prompts == ["Press-1-for-sales", "Connecting you to an agent", "Goodbye"]
    assert record.digits == "1"
    assert [b["name"] for b in record.bridges] == ["sofia/internal/1001@simswitch"]
    assert record.of("unbridge")[0]["cause"] == "NORMAL_CLEARING"
    assert record.hangup_cause == "NORMAL_CLEARING"
    bridge = next(e for e in s.events() if e.get("Event-Name") == "CHANNEL_BRIDGE")
    assert bridge.get("Other-Leg-Channel-Name") == "sofia/internal/1001@simswitch"
    assert bridge.get("Bridge-A-Unique-ID") == s.uuid
    assert s.names()[-8:] == [
        "CHANNEL_HANGUP", "CHANNEL_UNPARK", "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_STATE", "CHANNEL_STATE",
        "CHANNEL_HANGUP_COMPLETE", "disconnect-notice:linger", "disconnect-notice:disconnect",
    ]  # fmt: skip
    assert "CHANNEL_DESTROY" not in s.names()


def test_silence_times_out_without_the_variable_and_read_result_failure() -> None:
    async def app(s: AppSession) -> None:
        await s.execute("answer")
        done = await s.execute("play_and_get_digits", MENU)
        assert done.get("variable_menu") is None
        assert done.get("variable_read_result") == "failure"
        assert done.get("variable_menu_invalid") is None
        assert done.get("Application-Response") == "_none_"
        await s.hangup()

    record, _ = run_call(CallerScript(did=DID, presses=[SILENCE]), app)
    assert record.prompts == ["Press-1-for-sales", "Sorry-invalid"]  # prompt, then the invalid file
    assert record.of("collected") == [{"var": "menu", "digits": "", "result": "timeout"}]
    assert record.digits == ""


def test_invalid_input_sets_var_invalid_and_read_result_success() -> None:
    async def app(s: AppSession) -> None:
        await s.execute("answer")
        done = await s.execute("play_and_get_digits", "1 4 1 5000 # say:Code say:Invalid code ^[0-5]+$ 2000")
        assert done.get("variable_code") is None
        assert done.get("variable_code_invalid") == "9"
        assert done.get("variable_read_result") == "success"
        assert done.get("variable_read_terminator_used") == "#"
        await s.hangup()

    record, s = run_call(CallerScript(did=DID, presses=["9#"]), app)
    dtmf = [(e.get("DTMF-Digit"), e.get("DTMF-Source")) for e in s.events() if e.get("Event-Name") == "DTMF"]
    assert dtmf == [("9", "UNKNOWN"), ("#", "UNKNOWN")]
    assert record.prompts == ["Code", "Invalid"]


def test_terminator_is_not_part_of_the_digits_and_letters_use_the_keypad() -> None:
    async def app(s: AppSession) -> None:
        await s.execute("answer")
        done = await s.execute("play_and_get_digits", "1 12 1 5000 # say:Tracking say:Invalid trk \\d+ 2000")
        assert done.get("variable_trk") == "73123456789"
        assert done.get("variable_read_result") == "success"
        await s.hangup()

    record, _ = run_call(CallerScript(did=DID, presses=["SF123456789#"]), app)
    assert record.digits == "73123456789#"


def test_caller_hangup_mid_prompt_gives_the_hangup_sequence() -> None:
    async def app(s: AppSession) -> None:
        await s.execute("answer")
        uuid = s.sendmsg("play_and_get_digits", MENU)
        done = await s.peer.event("CHANNEL_EXECUTE_COMPLETE", **{"Application-UUID": uuid})
        assert done.get("Answer-State") == "hangup"
        assert done.get("variable_menu") is None
        await s.peer.eof.wait()

    record, s = run_call(CallerScript(did=DID, presses=[HANGUP]), app)
    names = s.names()
    start = names.index("CHANNEL_EXECUTE", names.index("CHANNEL_EXECUTE_COMPLETE"))
    assert names[start:] == [
        "CHANNEL_EXECUTE", "CHANNEL_HANGUP", "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_UNPARK",
        "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_STATE", "CHANNEL_STATE", "CHANNEL_HANGUP_COMPLETE",
        "disconnect-notice:linger", "disconnect-notice:disconnect",
    ]  # fmt: skip
    hangup = next(e for e in s.events() if e.get("Event-Name") == "CHANNEL_HANGUP")
    assert hangup.get("Hangup-Cause") == "NORMAL_CLEARING"
    assert record.hangup_cause == "NORMAL_CLEARING"
    assert record.prompts == ["Press-1-for-sales"]
    assert record.of("caller")[0]["action"] == "hangup"


def test_unknown_application_hangs_up_destination_out_of_order() -> None:
    async def app(s: AppSession) -> None:
        await s.execute("answer")
        s.sendmsg("no_such_app", "x")
        reply = await s.peer.next(lambda m: m.ctype == "command/reply")
        assert reply.get("Reply-Text") == "+OK"
        hangup = await s.peer.event("CHANNEL_HANGUP")
        assert hangup.get("Hangup-Cause") == "DESTINATION_OUT_OF_ORDER"
        assert hangup.get("variable_app_uuid") is not None

    record, s = run_call(CallerScript(did=DID), app)
    executed = [e.get("Application") for e in s.events() if e.get("Event-Name") == "CHANNEL_EXECUTE"]
    assert executed == ["answer"]  # no CHANNEL_EXECUTE for the unknown application
    assert record.hangup_cause == "DESTINATION_OUT_OF_ORDER"


def test_amd_without_mod_amd_is_an_unknown_application_as_on_the_real_switch() -> None:
    """mod_amd is not in FreeSWITCH's tree: the switch built from docs/freeswitch answers `module_exists mod_amd`
    false and treats `amd` as "Invalid Application" (hangup DESTINATION_OUT_OF_ORDER, switch_core_session.c)."""
    async def app(s: AppSession) -> None:
        await s.execute("answer")
        s.sendmsg("amd", "")
        hangup = await s.peer.event("CHANNEL_HANGUP")
        assert hangup.get("Hangup-Cause") == "DESTINATION_OUT_OF_ORDER"

    record, s = run_call(CallerScript(did=DID), app)
    assert "amd" not in [e.get("Application") for e in s.events() if e.get("Event-Name") == "CHANNEL_EXECUTE"]
    assert record.hangup_cause == "DESTINATION_OUT_OF_ORDER"
    assert "mod_amd" not in SimSwitchConfig().modules()
    assert "mod_amd" in SimSwitchConfig(extra_modules=("mod_amd",)).modules()


def test_caller_hangs_up_after_n_seconds_mid_playback() -> None:
    async def app(s: AppSession) -> None:
        await s.execute("answer")
        done = await s.execute("playback", "tone_stream://%(3000000,0,440)")
        assert done.get("Application-Response") == "PLAYBACK ERROR"
        assert done.get("Hangup-Cause") == "NORMAL_CLEARING"

    # Simulated seconds run at the default time scale of 0.01: the caller hangs up 2 s of wall time after the
    # answer, in the middle of a 30 s (wall) tone. The application's own latency between the answer and the
    # playback is real time, so the hangup must come well after it even on a loaded machine (2 simulated
    # seconds were 20 ms: the caller sometimes hung up before the playback began).
    record, _ = run_call(CallerScript(did=DID, hangup_after=200.0), app)
    assert record.hangup_cause == "NORMAL_CLEARING"
    assert record.of("caller")[0]["action"] == "hangup_now"


def test_agent_that_never_answers_fails_the_bridge_with_no_answer() -> None:
    async def app(s: AppSession) -> None:
        await s.execute("answer")
        await s.execute("set", "call_timeout=3")
        done = await s.execute("bridge", "user/1002")
        assert done.get("variable_originate_disposition") == "NO_ANSWER"
        assert done.get("variable_DIALSTATUS") == "NOANSWER"
        assert done.get("Other-Leg-Unique-ID") is None
        await s.hangup("NORMAL_CLEARING")

    record, s = run_call(
        CallerScript(did=DID), app, agents={"1002": AgentBehavior(answer_after_ms=None, ring_timeout_ms=60_000)}
    )
    assert "CHANNEL_BRIDGE" not in s.names()
    assert record.of("bridge_failed")[0]["cause"] == "NO_ANSWER"


def test_without_linger_the_socket_is_disconnected_after_hangup_complete() -> None:
    async def app(s: AppSession) -> None:
        await s.execute("answer")
        await s.hangup()

    _, s = run_call(CallerScript(did=DID), app, linger=None)
    assert s.names()[-2:] == ["CHANNEL_HANGUP_COMPLETE", "disconnect-notice:disconnect"]


def test_concurrent_calls_get_their_own_channels_and_records() -> None:
    async def main() -> list[CallRecord]:
        server = await AppServer().start()
        sim = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", server.port)))
        await sim.start()

        async def serve() -> None:
            s = AppSession(await server.accept())
            await s.start()
            await s.execute("answer")
            await s.execute("play_and_get_digits", MENU)
            await s.hangup()

        try:
            scripts = [CallerScript(did=DID, caller=f"1380000000{i}", presses=[str(i)]) for i in (1, 2, 3)]
            calls = [sim.start_call(script) for script in scripts]
            await asyncio.gather(serve(), serve(), serve())
            return list(await asyncio.gather(*calls))
        finally:
            await sim.stop()
            await server.stop()

    records = asyncio.run(main())
    assert sorted(r.digits for r in records) == ["1", "2", "3"]
    assert {r.caller: r.digits for r in records} == {"13800000001": "1", "13800000002": "2", "13800000003": "3"}
    assert len({r.uuid for r in records}) == 3


def test_read_speak_sleep_record_export_and_transfer_to_another_did() -> None:
    async def main() -> tuple[CallRecord, AppSession, AppSession, SimSwitch]:
        server = await AppServer().start()
        sim = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", server.port)))
        await sim.start()
        try:
            call = sim.start_call(CallerScript(did=DID, presses=["77#"]), timeout=10)
            first = AppSession(await server.accept())
            await first.start()
            await first.execute("answer")
            done = await first.execute("read", "1 3 say:Account-number acct 2000 #")
            assert (done.get("variable_acct"), done.get("variable_read_result")) == ("77", "success")
            await first.execute("speak", "tts_commandline|zh|Hello caller")
            await first.execute("sleep", "500")
            rec = await first.execute("record", "/tmp/simswitch-msg.wav 2")
            assert abs(int(rec.get("variable_record_ms") or 0) - 2000) <= 50
            exported = await first.execute("export", "ticket=T-1")
            assert exported.get("variable_export_vars") == "ticket"
            first.sendmsg("transfer", "4008009999")
            second = AppSession(await server.accept())
            data = await second.start()
            assert data.get("Caller-Destination-Number") == "4008009999"
            assert data.get("variable_ticket") == "T-1"
            await asyncio.wait_for(first.peer.eof.wait(), 5)
            await second.hangup()
            return await call, first, second, sim
        finally:
            await sim.stop()
            await server.stop()

    record, first, _second, sim = asyncio.run(main())
    assert first.names()[-1] == "disconnect-notice:disconnect"
    assert [a for a, _ in record.applications] == [
        "socket", "answer", "read", "speak", "sleep", "record", "export", "transfer", "socket",
    ]  # fmt: skip
    assert record.prompts == ["Account-number", "Hello caller"]
    assert record.of("transfer") == [{"to": "4008009999"}]
    assert sim.files["/tmp/simswitch-msg.wav"] == record.of("recorded")[0]["ms"]
    assert record.hangup_cause == "NORMAL_CLEARING"


def test_bridge_fails_over_a_busy_agent_and_the_caller_hangs_up_while_bridged() -> None:
    async def app(s: AppSession) -> None:
        await s.execute("answer")
        done = await s.execute("bridge", "{leg_timeout=300}user/1003|user/1001")
        assert done.get("Answer-State") == "hangup"
        assert done.get("variable_bridge_hangup_cause") == "NORMAL_CLEARING"
        assert done.get("Other-Leg-Channel-Name") == "sofia/internal/1001@simswitch"

    # At the default time scale of 0.01 the caller hangs up 2 s of wall time after the answer and the agent's
    # leg may ring for 3 s: the answer -> bridge -> failover -> agent answer sequence includes the
    # application's real latency, which must fit before the hangup even on a loaded machine (5 simulated
    # seconds were 50 ms of wall time: the caller sometimes hung up before the bridge).
    record, s = run_call(
        CallerScript(did=DID, hangup_after=200.0),
        app,
        agents={"1003": AgentBehavior(reject_cause="USER_BUSY"), "1001": AgentBehavior(answer_after_ms=500)},
    )
    assert [b["name"] for b in record.bridges] == ["sofia/internal/1001@simswitch"]
    assert record.of("unbridge")[0]["uuid"] == record.bridges[0]["uuid"]
    assert record.hangup_cause == "NORMAL_CLEARING"
    names = s.names()
    assert names.index("CHANNEL_BRIDGE") < names.index("CHANNEL_HANGUP") < names.index("CHANNEL_UNBRIDGE")
