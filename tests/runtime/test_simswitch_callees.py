"""Simulated callees behind the `pstn` gateway: each outcome over the inbound ESL link as FreeSWITCH reports it
(bgapi originate's `+OK Job-UUID`, then BACKGROUND_JOB with `+OK <uuid>` or `-ERR <CAUSE>`, the hangup causes and
their Q.850 codes), mod_amd's variables, and seeded, order-independent outcome shares."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from hotline.runtime.simswitch import CalleeProfile, SimSwitch, SimSwitchConfig
from hotline.runtime.simswitch.server import parse_callees
from tests.runtime.simswitch_helpers import AppServer, AppSession, Peer

NUMBERS = {"answer": "+8613800000001", "no_answer": "+8613800000002", "busy": "+8613800000003",
           "invalid": "+8613800000004", "machine": "+8613800000005"}


async def _connected(sim: SimSwitch) -> Peer:
    peer = await Peer.connect("127.0.0.1", sim.esl_port)
    await peer.recv()
    assert (await peer.send("auth ClueCon")).get("Reply-Text") == "+OK accepted"
    await peer.send("event plain BACKGROUND_JOB CHANNEL_PROGRESS CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE")
    return peer


async def _job(peer: Peer, number: str, destination: str = "&park()") -> tuple[str, str]:
    reply = await peer.send(f"bgapi originate {{origination_caller_id_number=4008001234,originate_timeout=30}}"
                            f"sofia/gateway/pstn/{number} {destination}")
    job_uuid = reply.get("Job-UUID")
    assert reply.get("Reply-Text") == f"+OK Job-UUID: {job_uuid}"
    job = await peer.event("BACKGROUND_JOB", **{"Job-UUID": job_uuid})
    assert job.get("Job-Command") == "originate"
    return job_uuid or "", job.text


def test_each_outcome_reaches_the_client_as_freeswitch_reports_it() -> None:
    async def main() -> None:
        profile = CalleeProfile(overrides={n: o for o, n in NUMBERS.items()}, ring_ms=(1000, 1000),
                                talk_ms=(2000, 2000))
        sim = SimSwitch(SimSwitchConfig(callees=profile, time_scale=0.01))
        await sim.start()
        peer = await _connected(sim)
        try:
            results = dict(zip(NUMBERS, await asyncio.gather(*(_job(peer, n) for n in NUMBERS.values())),
                               strict=True))
            assert results["no_answer"][1] == "-ERR NO_ANSWER\n"
            assert results["busy"][1] == "-ERR USER_BUSY\n"
            assert results["invalid"][1] == "-ERR UNALLOCATED_NUMBER\n"
            for outcome in ("answer", "machine"):
                text = results[outcome][1]
                assert text.startswith("+OK ") and text.endswith("\n")
                uuid = text.split()[1]
                answer = await peer.event("CHANNEL_ANSWER", **{"Unique-ID": uuid})
                assert answer.get("Caller-Callee-ID-Number") == NUMBERS[outcome]
            busy = next(c for c in sim.switch.callee_calls if c.outcome == "busy")
            done = await peer.event("CHANNEL_HANGUP_COMPLETE", **{"Unique-ID": busy.uuid})
            assert (done.get("Hangup-Cause"), done.get("variable_hangup_cause_q850")) == ("USER_BUSY", "17")
            await peer.event("CHANNEL_PROGRESS", **{"Unique-ID": busy.uuid})  # it rang before the 486
            invalid = next(c for c in sim.switch.callee_calls if c.outcome == "invalid")
            done = await peer.event("CHANNEL_HANGUP_COMPLETE", **{"Unique-ID": invalid.uuid})
            assert done.get("variable_hangup_cause_q850") == "1"
            person = results["answer"][1].split()[1]  # the person talks 2 s, then hangs up
            done = await peer.event("CHANNEL_HANGUP_COMPLETE", **{"Unique-ID": person})
            assert done.get("Hangup-Cause") == "NORMAL_CLEARING"
            assert int(done.get("variable_billsec") or -1) >= 0
        finally:
            await peer.close()
            await sim.stop()

    asyncio.run(main())


def test_answered_call_runs_amd_over_the_outbound_socket_and_the_person_presses_keys() -> None:
    async def main() -> None:
        app = await AppServer().start()
        profile = CalleeProfile(overrides={NUMBERS["answer"]: "answer", NUMBERS["machine"]: "machine"},
                                ring_ms=(500, 500), talk_ms=(60_000, 60_000), presses=("2",))
        sim = SimSwitch(SimSwitchConfig(callees=profile, time_scale=0.01, extra_modules=("mod_amd",)))
        await sim.start()
        peer = await _connected(sim)
        try:
            for outcome, expected in (("answer", "HUMAN"), ("machine", "MACHINE")):
                _, text = await _job(peer, NUMBERS[outcome], f"'&socket(127.0.0.1:{app.port} async full)'")
                assert text.startswith("+OK"), text
                session = AppSession(await app.accept())
                data = await session.start()
                assert data.get("Caller-Callee-ID-Number") == NUMBERS[outcome]
                done = await session.execute("amd")
                assert (done.get("variable_amd_result"), done.get("variable_amd_cause")) == (
                    expected, "HUMAN" if expected == "HUMAN" else "LONGGREETING")
                if outcome == "answer":
                    done = await session.execute(
                        "play_and_get_digits", "1 1 1 3000 # tone_stream://%(100,0,440) silence_stream://0 choice \\d")
                    assert done.get("variable_choice") == "2"
                await session.hangup()
        finally:
            await peer.close()
            await sim.stop()
            await app.stop()

    asyncio.run(main())


def test_outcomes_follow_the_shares_and_the_seed_whatever_the_order() -> None:
    profile = CalleeProfile(answer=0.3, no_answer=0.4, busy=0.1, invalid=0.05, machine=0.15, seed=11)
    numbers = [f"+86138{i:08d}" for i in range(4000)]
    drawn = Counter(profile.draw(n, 0)[0] for n in numbers)
    assert abs(drawn["answer"] / 4000 - 0.30) < 0.03 and abs(drawn["no_answer"] / 4000 - 0.40) < 0.03
    assert abs(drawn["busy"] / 4000 - 0.10) < 0.02 and abs(drawn["machine"] / 4000 - 0.15) < 0.02
    assert [profile.draw(n, 0)[0] for n in reversed(numbers)] == [profile.draw(n, 0)[0] for n in numbers][::-1]
    other = CalleeProfile(seed=12)
    assert [other.draw(n, 0)[0] for n in numbers[:200]] != [profile.draw(n, 0)[0] for n in numbers[:200]]
    assert parse_callees("answer=1,no_answer=0,busy=0,invalid=0,machine=0,seed=3,talk_ms=1000-2000").talk_ms == (
        1000, 2000)
    with pytest.raises(ValueError, match="not one of"):
        CalleeProfile(overrides={"+861": "voicemail"})
