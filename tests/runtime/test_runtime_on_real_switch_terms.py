"""The runtime on the terms of a real FreeSWITCH (issue 12), through the simulator that now behaves like
one: the call variables the runtime sets itself, prompts the switch cannot play failing the node instead
of being counted as heard, switch-facing values from the [switch] settings, and ring-all crediting the
agent whose leg answered whatever the dial string looks like."""

from __future__ import annotations

import asyncio

import pytest

from hotline.platform import settings
from hotline.platform.db import Database
from hotline.platform.settings import DEFAULT_CONFIG
from hotline.runtime.call import services as call_services
from hotline.runtime.esl.switch_profile import SwitchProfile
from hotline.runtime.simswitch import AgentBehavior, CallerScript

from .acd.test_queues_e2e import _events, _queue, _tenant
from .e2e_helpers import run, stack, wait_for_record, wait_until

pytestmark = [pytest.mark.redis]


def test_the_runtime_sets_the_call_variables_it_relies_on(db: Database) -> None:
    _, did = _tenant(db)

    async def scenario():
        async with stack(db) as s:
            return await s.switch.place_call(CallerScript(did=did, caller="13700000040", presses=["9"]))

    record = run(scenario())
    apps = record.applications
    assert apps[1][0] == "multiset", record.summary()
    settings = dict(field.split("=", 1) for field in apps[1][1].split())
    assert settings["continue_on_fail"] == "true" and settings["hangup_after_bridge"] == "false"
    assert settings["ignore_early_media"] == "true" and settings["playback_terminators"] == "any"
    assert "speak" not in [app for app, _ in apps]  # a failed speak cannot be told from a played one
    # QA 12 #5: no dead air while agents ring (ignore_early_media drops their ring-back): hold music instead
    hold = SwitchProfile().hold_music
    assert settings["ringback"] == hold and settings["transfer_ringback"] == hold


def test_a_prompt_the_switch_cannot_play_is_an_error_never_heard(db: Database) -> None:
    """On a switch without the TTS module every prompt used to 'play' and the record looked normal."""
    tenant_id, did = _tenant(db)

    async def scenario():
        async with stack(db, tts_engines=()) as s:
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000041", presses=["1"]))
            return record, await wait_for_record(db, tenant_id, record.uuid)

    record, cdr = run(scenario())
    assert [text for text in record.prompts if text] == [], record.summary()
    assert cdr.outcome == "error", cdr.trace
    reasons = " ".join(error["reason"] for error in cdr.trace["errors"])
    assert "PLAYBACK ERROR" in reasons
    assert not any(step.get("prompts") for step in cdr.trace["steps"])  # nothing counted as heard


def test_ring_all_credits_the_agent_whose_leg_answered_whatever_the_dial_string(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Agents behind a PBX: the dial string is a template, so numbers and channel names are not agent ids."""
    tenant_id, did = _tenant(db)
    _queue(db, tenant_id, "general", strategy="ring_all")
    monkeypatch.setattr(call_services, "AGENT_RING_SECONDS", 1000)
    profile = SwitchProfile(agent_dial_string="sofia/gateway/pbx/8{extension}")
    agents = {"8slow": AgentBehavior(answer_after_ms=500_000, talk_ms=5_000),
              "8quick": AgentBehavior(answer_after_ms=10_000, talk_ms=5_000),
              "8late": AgentBehavior(answer_after_ms=500_000, talk_ms=5_000)}

    async def scenario():
        async with stack(db, agents=agents, profile=profile, gateways=("pstn", "pbx")) as s:
            for agent in ("slow", "quick", "late"):
                await s.login(agent, tenant_id, "express_general")
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000042", presses=["0", "4"]))
            cdr = await wait_for_record(db, tenant_id, record.uuid)
            presence = {a: (await s.runtime.acd.presence.get(a)).state for a in ("slow", "quick", "late")}
            return record, cdr, presence

    record, cdr, presence = run(scenario())
    assert "sofia/gateway/pbx/8quick" in record.bridges[0]["target"], record.summary()
    assert [(q["status"], q["agent"]) for q in _events(cdr)] == [("answered", "quick")]
    assert presence["slow"] == presence["late"] == "available"


def test_dial_strings_come_from_the_settings_and_refuse_smuggled_endpoints(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace(
        'agent_dial_string = "user/{extension}"', 'agent_dial_string = "loopback/agent{extension}/agents"'))
    loaded = SwitchProfile.from_settings(settings.load(config, environ={}))
    assert loaded.agent_endpoint("1001") == "loopback/agent1001/agents"
    with pytest.raises(settings.SettingsError, match=r"switch.agent_dial_string .* must contain \{extension\}"):
        settings.load(config, environ={"HOTLINE_SWITCH_AGENT_DIAL_STRING": "user/1001"})
    profile = SwitchProfile(transfer_dial_string="sofia/gateway/nosuch/{number}")
    assert profile.transfer_endpoint("13800000000") == "sofia/gateway/nosuch/13800000000"
    with pytest.raises(ValueError, match="not a dialable number"):
        profile.transfer_endpoint("1001,user/1002")
    with pytest.raises(ValueError, match="not an agent extension"):
        SwitchProfile().agent_endpoint("1001,loopback/9999")


def test_a_queued_caller_hears_hold_music_broken_off_the_moment_an_agent_is_claimed(db: Database) -> None:
    """No dead air in the queue; and the endless music must not hold up the bridge behind it."""
    tenant_id, did = _tenant(db)
    music = SwitchProfile().hold_music
    agents = {"h1": AgentBehavior(answer_after_ms=200, talk_ms=2_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            call = s.switch.start_call(CallerScript(did=did, caller="13700000043", presses=["0", "4"]))
            await asyncio.sleep(1.0)  # queued, nobody logged in: the music plays
            await s.login("h1", tenant_id, "express_general")
            record = await call
            return record, await wait_for_record(db, tenant_id, record.uuid)

    record, cdr = run(scenario())
    apps = [(app, arg) for app, arg in record.applications]
    held = apps.index(("playback", music))
    bridge = next(i for i, (app, _) in enumerate(apps) if app == "bridge")
    assert held < bridge, record.summary()
    assert [(q["status"], q["agent"]) for q in _events(cdr) if q["type"] == "queue"] == [("answered", "h1")]


def test_the_call_record_says_how_the_call_ended_and_where_its_time_went(db: Database,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    tenant_id, did = _tenant(db)
    agents = {"busy1": AgentBehavior(reject_cause="USER_BUSY"), "t1": AgentBehavior(answer_after_ms=2_000,
                                                                                     talk_ms=10_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("busy1", tenant_id, "express_general")
            busy = await s.switch.place_call(CallerScript(did=did, caller="13700000044", presses=["0"],
                                                          hangup_after=1500))
            await s.runtime.acd.presence.logout("busy1")
            await s.login("t1", tenant_id, "express_general")
            talked = await s.switch.place_call(CallerScript(did=did, caller="13700000045", presses=["0", "4"]))
            return (await wait_for_record(db, tenant_id, busy.uuid, timeout=10),
                    await wait_for_record(db, tenant_id, talked.uuid))

    busy, talked = run(scenario())
    assert (busy.hangup_by, busy.hangup_cause) == ("caller", "NORMAL_CLEARING"), busy.trace
    assert {"type": "agent_no_answer", "agent": "busy1", "cause": "USER_BUSY", "outcome": "busy",
            "agent_state": "break"} in busy.trace["events"]
    assert any("USER_BUSY" in r.getMessage() and busy.uuid in r.getMessage() for r in caplog.records
               if r.levelname == "WARNING")
    assert talked.hangup_by == "runtime" and talked.hangup_cause == "NORMAL_CLEARING"
    assert talked.ring_seconds and talked.talk_seconds and talked.ring_seconds > 0 and talked.talk_seconds > 0


def test_stopping_lets_calls_in_progress_finish_within_the_grace_period(db: Database) -> None:
    """SIGTERM: no new calls, the running ones end normally and write their records (issue 12 item 6)."""
    tenant_id, did = _tenant(db)

    async def scenario():
        async with stack(db, time_scale=0.01) as s:
            running = s.switch.start_call(CallerScript(did=did, caller="13700000046", presses=["9", "9"]))
            await asyncio.sleep(0.3)
            await s.runtime.outbound.stop(grace_seconds=20)
            record = await running
            return record, await wait_for_record(db, tenant_id, record.uuid)

    record, cdr = run(scenario(), timeout=60)
    assert cdr.outcome != "error" and not cdr.trace.get("errors"), cdr.trace
    assert cdr.hangup_by in ("runtime", "caller") and len(record.prompts) > 2, record.summary()


def test_a_call_cut_by_a_runtime_shutdown_has_a_full_record(db: Database) -> None:
    """QA 12.5: a call still talking when the grace period ran out was recorded thin: no answered_at, queue,
    wait or steps, and the trace's hangup_cause null. Now it is as full as a finished call's, cause
    runtime_stopped in the record and the trace."""
    tenant_id, did = _tenant(db)
    agents = {"s1": AgentBehavior(answer_after_ms=100, talk_ms=None)}

    async def scenario():
        async with stack(db, agents=agents, time_scale=0.01) as s:
            await s.login("s1", tenant_id, "express_general")
            call = s.switch.start_call(CallerScript(did=did, caller="13700000047", presses=["0"],
                                                    hangup_after=60_000))

            async def talking() -> bool:
                found = await s.runtime.acd.presence.get("s1")
                return found is not None and found.state == "on_call"

            await wait_until(talking, timeout=15, what="s1 on the call")
            await s.runtime.outbound.stop(grace_seconds=0.2)  # the call outlives the grace period
            call.cancel()
            uuid = (await s.runtime.acd.presence.get("s1")).call_id
            return await wait_for_record(db, tenant_id, uuid)

    cdr = run(scenario(), timeout=60)
    assert (cdr.outcome, cdr.hangup_cause, cdr.hangup_by) == ("runtime_stopped", "runtime_stopped", "runtime")
    assert cdr.answered_at is not None and cdr.queue == "general" and cdr.wait_seconds is not None
    assert cdr.trace["hangup_cause"] == "runtime_stopped" and cdr.trace["outcome"] == "runtime_stopped"
    steps = cdr.trace["steps"]
    assert steps and steps[-1]["type"] == "queue" and "ms" in steps[-1], steps
    assert cdr.trace["node"] == steps[-1]["node"]


def test_a_free_agent_is_bridged_without_waiting_for_hold_music_that_never_started(
        db: Database, caplog: pytest.LogCaptureFixture) -> None:
    """QA 12.3: ~5 s of dead air before a free agent was bridged on the real switch. The hold music was sent and
    stopped at once with `uuid_break <uuid> all`, which flushes the queued playback (mod_commands); it never ran
    nor completed, and the runtime waited its 5 s limit. Now a plain break, repeated until the playback ends."""
    tenant_id, did = _tenant(db)
    agents = {"f1": AgentBehavior(answer_after_ms=100, talk_ms=500)}

    async def scenario():
        async with stack(db, agents=agents, time_scale=0.01, frame_ms=20) as s:  # the real switch's media frame
            await s.login("f1", tenant_id, "express_general")  # free before the caller reaches the queue
            record = await s.switch.place_call(CallerScript(did=did, caller="13700000048", presses=["0"]))
            return record, await wait_for_record(db, tenant_id, record.uuid)

    with caplog.at_level("WARNING", logger="hotline.runtime.call"):
        record, cdr = run(scenario(), timeout=60)
    notes = [n["text"] for n in record.of("note") if "flushed" in n.get("text", "")]
    assert notes == [], record.summary()  # no application was thrown away unrun
    assert not [r for r in caplog.records if "hold music did not stop" in r.getMessage()]
    assert [(q["status"], q["agent"]) for q in _events(cdr) if q["type"] == "queue"] == [("answered", "f1")]
    assert cdr.wait_seconds == 0


def test_a_burst_of_keys_during_a_prompt_all_reach_the_menu_and_the_collect_after_it(db: Database) -> None:
    """QA 12.4 (fixture 04-dtmf-burst): the first key stops the prompt; the keys after it reach the channel while it
    sits in the socket's park loop between applications, which takes them from the queue and drops them. Only
    their DTMF events tell; the runtime now keeps them as type-ahead. Before, digits 2.. were lost."""
    tenant_id, did = _tenant(db)
    keys = "1" + "773001234560" + "#"  # the menu's tracking option, then a waybill, typed during the welcome

    async def scenario():
        async with stack(db, time_scale=0.05, frame_ms=20) as s:  # the real switch's 20 ms media frame
            call = s.switch.start_call(CallerScript(did=did, caller="13700000049", hangup_after=60))
            for _ in range(400):  # until the welcome prompt plays
                records = s.switch.records
                if records and records[0].uuid and any(app == "playback" for app, _ in records[0].applications):
                    break
                await asyncio.sleep(0.01)
            uuid = s.switch.records[0].uuid
            for key in keys:  # one key every 20 ms: most arrive between the runtime's applications
                await s.switch.api(f"uuid_recv_dtmf {uuid} {key}")
                await asyncio.sleep(0.02)
            for _ in range(400):
                steps = s.switch.records[0].of("execute")
                if any(d["app"] == "bridge" or "运单" in d.get("arg", "") for d in steps[3:]):
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(1.0)
            await s.switch.api(f"uuid_kill {uuid}")
            await asyncio.gather(call, return_exceptions=True)
            return await wait_for_record(db, tenant_id, uuid)

    cdr = run(scenario(), timeout=60)
    entered = {step["node"]: step.get("digits") for step in cdr.trace["steps"] if "digits" in step}
    assert entered.get("main_menu") == ["1"], cdr.trace["steps"]
    assert entered.get("track_collect") == ["773001234560"], cdr.trace["steps"]
