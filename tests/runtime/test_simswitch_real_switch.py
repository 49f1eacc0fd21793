"""The simulator does what the real FreeSWITCH 1.10.12 did in the transcripts captured with the switch
built from docs/freeswitch (tests/fixtures/freeswitch-esl/04-*.jsonl and 05-directory, scripts/capture_esl.py): prompts
it cannot play, failed bridges with and without continue_on_fail, hangup_after_bridge, keys during a
prompt, per-leg origination_uuid, unknown gateways. Each of these the simulator used to accept."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import unquote

from hotline.runtime.simswitch import AgentBehavior, CallerScript

from .simswitch_helpers import FIXTURES, AppSession
from .test_simswitch_outbound import CALLER, DID, run_call

MISSING = "/var/lib/hotline/prompts/no-such-prompt.wav"


def recorded(scenario: str, app: str, arg_start: str = "", prefix: str = "04") -> dict[str, str]:
    """The real switch's CHANNEL_EXECUTE_COMPLETE of the first `app` run in a 04 (or `prefix`) transcript."""
    for line in (FIXTURES / f"{prefix}-{scenario}.jsonl").read_text(encoding="utf-8").splitlines():
        raw = json.loads(line).get("raw", "")
        if "CHANNEL_EXECUTE_COMPLETE" in raw and f"Application: {app}\n" in raw:
            head = raw.split("\n\n", 1)[1].split("\n\n")[0]
            event = {k: unquote(v) for k, v in (row.split(": ", 1) for row in head.split("\n") if ": " in row)}
            if event.get("Application-Data", "").startswith(arg_start):
                return event
    raise AssertionError(f"no {app} {arg_start!r} in {prefix}-{scenario}")


def test_a_prompt_file_the_switch_cannot_open_answers_file_not_found_and_is_not_heard() -> None:
    real = recorded("tts-missing", "playback", MISSING)
    assert real["Application-Response"] == "FILE NOT FOUND"

    async def app(s: AppSession) -> None:
        await s.execute("answer")
        done = await s.execute("playback", MISSING)
        assert done.get("Application-Response") == real["Application-Response"]
        await s.hangup()

    record, _ = run_call(CallerScript(did=DID, caller=CALLER), app, missing_files=frozenset({MISSING}))
    assert record.prompts == []


def test_say_without_a_loaded_tts_engine_is_a_playback_error_and_speak_says_nothing() -> None:
    assert recorded("tts-missing", "playback", "say:")["Application-Response"] == "PLAYBACK ERROR"
    assert recorded("tts-missing", "speak")["Application-Response"] == "_none_"

    async def app(s: AppSession) -> None:
        await s.execute("answer")
        await s.execute("set", "tts_engine=tts_commandline")
        spoken = await s.execute("speak", "tts_commandline|zh|您好")
        assert spoken.get("Application-Response") == "_none_"
        said = await s.execute("playback", "say:您好")
        assert said.get("Application-Response") == "PLAYBACK ERROR"
        menu = await s.execute("play_and_get_digits", "1 1 3 3000 # say:请按一 silence_stream://250 d [0-9]* 1000")
        assert menu.get("variable_d") is None and menu.get("variable_read_result") is None
        await s.hangup()

    record, _ = run_call(CallerScript(did=DID, caller=CALLER, presses=["1"]), app, tts_engines=())
    assert [text for text in record.prompts if text] == [], record.summary()  # only the invalid-entry silence


def test_a_failed_bridge_drops_the_caller_unless_continue_on_fail() -> None:
    real = recorded("defaults", "bridge", "{originate_timeout=5}user/9999")
    assert real["Hangup-Cause"] == "SUBSCRIBER_ABSENT"  # the caller was hung up with the leg's cause
    kept = recorded("bridge-failures", "bridge", "{originate_timeout=5}user/9999")
    assert kept["variable_originate_disposition"] == "SUBSCRIBER_ABSENT" and "Hangup-Cause" not in kept

    async def dropped(s: AppSession) -> None:
        await s.execute("answer")
        await s.execute("bridge", "user/9999")

    record, _ = run_call(CallerScript(did=DID, caller=CALLER), dropped,
                         agents={"9999": AgentBehavior(reject_cause="SUBSCRIBER_ABSENT")})
    assert record.hangup_cause == "SUBSCRIBER_ABSENT"

    async def continued(s: AppSession) -> None:
        await s.execute("answer")
        await s.execute("set", "continue_on_fail=true")
        failed = await s.execute("bridge", "user/9999")
        assert failed.get("variable_originate_disposition") == "SUBSCRIBER_ABSENT"
        gateway = await s.execute("bridge", "sofia/gateway/nosuch/13800000000")
        assert gateway.get("variable_originate_disposition") == "INVALID_GATEWAY"
        await s.execute("playback", "say:still here")
        await s.hangup()

    record, _ = run_call(CallerScript(did=DID, caller=CALLER), continued,
                         agents={"9999": AgentBehavior(reject_cause="SUBSCRIBER_ABSENT")})
    assert record.prompts == ["still here"] and record.hangup_cause == "NORMAL_CLEARING"


def test_hangup_after_bridge_true_ends_the_call_when_the_agent_hangs_up() -> None:
    async def app(s: AppSession) -> None:
        await s.execute("answer")
        await s.execute("set", "hangup_after_bridge=true")
        await s.execute("bridge", "user/1001")

    record, _ = run_call(CallerScript(did=DID, caller=CALLER), app,
                         agents={"1001": AgentBehavior(answer_after_ms=100, talk_ms=500)})
    assert record.hangup_cause == "NORMAL_CLEARING" and record.bridges


def test_each_ring_all_leg_gets_its_origination_uuid() -> None:
    real = recorded("after-bridge", "bridge")
    assert real["Other-Leg-Unique-ID"] == "aaaaaaaa-0000-4000-8000-000000000001"
    legs = "[origination_uuid=aaaaaaaa-0000-4000-8000-000000000001]user/1001," \
           "[origination_uuid=aaaaaaaa-0000-4000-8000-000000000002]user/1002"

    async def app(s: AppSession) -> None:
        await s.execute("answer")
        done = await s.execute("bridge", legs)
        assert done.get("Other-Leg-Unique-ID") == "aaaaaaaa-0000-4000-8000-000000000002"
        await s.hangup()

    run_call(CallerScript(did=DID, caller=CALLER), app,
             agents={"1001": AgentBehavior(answer_after_ms=None, ring_timeout_ms=5000),
                     "1002": AgentBehavior(answer_after_ms=100, talk_ms=300)})


def test_a_key_that_stops_a_prompt_is_reported_and_consumed() -> None:
    real = recorded("dtmf-and-break", "playback", "tone_stream://%(1000,0,440);loops=10")
    assert real["variable_playback_terminator_used"] == "5"
    after = recorded("dtmf-and-break", "play_and_get_digits", "1 1 1 1500")
    assert after["variable_read_result"] == "failure"  # the key did not reach the next collect

    async def app(s: AppSession) -> None:
        await s.execute("answer")
        await s.execute("set", "playback_terminators=any")
        sent = s.sendmsg("playback", "say:a long welcome to the hotline of the tenant")
        await asyncio.sleep(0.05)
        s.peer.write(f"api uuid_recv_dtmf {s.uuid} 5\n\n")
        done = await s.peer.event("CHANNEL_EXECUTE_COMPLETE", timeout=10, **{"Application-UUID": sent})
        assert done.get("variable_playback_terminator_used") == "5"
        menu = await s.execute("play_and_get_digits", "1 1 1 1500 # silence_stream://250 silence_stream://250 m")
        assert menu.get("variable_m") is None
        await s.hangup()

    run_call(CallerScript(did=DID, caller=CALLER), app, time_scale=1.0)


def test_a_user_the_directory_does_not_know_fails_subscriber_absent_as_on_the_real_switch() -> None:
    """The simulator used to answer a bridge to any user/<id>; the real switch refuses an unknown one at once."""
    real = recorded("bridge-failures", "bridge", "{originate_timeout=5}user/9999")
    assert real["variable_originate_disposition"] == "SUBSCRIBER_ABSENT"
    # 05-directory: user/1001 is in the directory with no phone registered; agentreject hangs up CALL_REJECTED
    not_registered = recorded("directory", "bridge", "{originate_timeout=5}user/1001", prefix="05")
    assert not_registered["variable_originate_disposition"] == "USER_NOT_REGISTERED"
    refused = recorded("directory", "bridge", "{originate_timeout=5}loopback/agentreject", prefix="05")
    assert refused["variable_originate_disposition"] == "CALL_REJECTED"

    async def app(s: AppSession) -> None:
        await s.execute("answer")
        await s.execute("set", "continue_on_fail=true")
        unknown = await s.execute("bridge", "user/9999")
        assert unknown.get("variable_originate_disposition") == real["variable_originate_disposition"]
        unregistered = await s.execute("bridge", "user/1002")
        assert unregistered.get("variable_originate_disposition") == not_registered["variable_originate_disposition"]
        rejected = await s.execute("bridge", "user/1003")
        assert rejected.get("variable_originate_disposition") == refused["variable_originate_disposition"]
        await s.execute("playback", "say:still here")
        await s.hangup()

    record, _ = run_call(CallerScript(did=DID, caller=CALLER), app, directory=frozenset({"1002"}),
                         agents={"1003": AgentBehavior(reject_cause="CALL_REJECTED")})
    assert record.prompts == ["still here"] and record.hangup_cause == "NORMAL_CLEARING", record.summary()


def test_keys_arriving_between_applications_are_dropped_by_the_park_loop_as_on_the_real_switch() -> None:
    """04-dtmf-burst: 1234 arrives at once during a playback. 1 stops it; the socket's park loop takes one key per
    media frame between the applications and drops it (2 and 3, their DTMF events fire); the collect gets 4 only."""
    real = recorded("dtmf-burst", "play_and_get_digits", "1 3 1 3000")
    assert real["variable_hl_d5"] == "4" and real["variable_read_result"] == "timeout"
    assert recorded("dtmf-burst", "playback")["variable_playback_terminator_used"] == "1"

    async def app(s: AppSession) -> None:
        await s.execute("answer")
        await s.execute("set", "playback_terminators=any")
        sent = s.sendmsg("playback", "say:a long welcome to the hotline of the tenant")
        await asyncio.sleep(0.05)
        s.peer.write(f"api uuid_recv_dtmf {s.uuid} 1234\n\n")
        done = await s.peer.event("CHANNEL_EXECUTE_COMPLETE", timeout=10, **{"Application-UUID": sent})
        assert done.get("variable_playback_terminator_used") == "1"
        await s.execute("unset", "playback_terminator_used")
        menu = await s.execute("play_and_get_digits", "1 3 1 1500 # silence_stream://250 silence_stream://250 d5")
        assert (menu.get("variable_d5"), menu.get("variable_read_result")) == ("4", "timeout")
        await s.hangup()

    record, _ = run_call(CallerScript(did=DID, caller=CALLER), app, time_scale=1.0, frame_ms=20)
    assert record.digits == "1234"  # every key was taken from the queue (a DTMF event each), 2 and 3 by the park loop
