"""genesis (the project's ESL client library) against the simulator, plus characterization of
what genesis does with bytes the *real* FreeSWITCH sent.

The characterization tests pin genesis behaviour that is wrong or hazardous for this project;
they fail (and should then be updated) when a genesis release changes that behaviour.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
from genesis import Inbound, Outbound, Session
from genesis.exceptions import SessionGoneAway
from genesis.protocol.reader_fsm import ESLReaderFSM

from hotline.runtime.simswitch import SILENCE, CallerScript, CallRecord, SimSwitch, SimSwitchConfig, SocketTarget
from tests.runtime.simswitch_helpers import load_scenario

DID = "4008001234"


def with_genesis_app(handler: Any, script: CallerScript, **config: Any) -> tuple[CallRecord, dict[str, Any]]:
    """Run ``handler`` as a genesis.Outbound application for one scripted call."""
    seen: dict[str, Any] = {}

    async def main() -> CallRecord:
        done = asyncio.Event()

        async def wrapped(session: Session) -> None:
            try:
                await handler(session, seen)
            except BaseException as exc:
                seen["error"] = exc
                raise
            finally:
                done.set()

        app = Outbound(wrapped, "127.0.0.1", 0)
        await app.start(block=False)
        assert app.server is not None
        port = app.server.sockets[0].getsockname()[1]
        sim = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", port), **config))
        await sim.start()
        try:
            record = await sim.place_call(script, timeout=10)
            await asyncio.wait_for(done.wait(), 5)
            return record
        finally:
            await sim.stop()
            await app.stop()

    return asyncio.run(main()), seen


def test_genesis_outbound_answer_digits_playback_hangup() -> None:
    async def handler(session: Session, seen: dict[str, Any]) -> None:
        ch = session.channel
        assert ch is not None
        seen["destination"] = session.context.get("Caller-Destination-Number")
        await ch.answer()
        ev = await ch.play_and_get_digits(
            tries=1, timeout=5000, terminators="#", file="say:Enter-your-code", minimal=1, maximum=6,
            regexp="\\d+", var_name="code", invalid_file="say:Invalid", digit_timeout=3000,
        )  # fmt: skip
        seen["digits"] = ev.get("variable_code")
        seen["read_result"] = ev.get("variable_read_result")
        ev = await ch.playback("say:Thank-you", block=True)
        seen["playback"] = ev.get("Application-Response")
        await ch.hangup("NORMAL_CLEARING")

    record, seen = with_genesis_app(handler, CallerScript(did=DID, presses=["4242#"]))
    assert "error" not in seen, seen.get("error")
    assert seen["destination"] == DID
    assert seen["digits"] == "4242"
    assert seen["read_result"] == "success"
    assert seen["playback"] == "FILE PLAYED"
    assert record.hangup_cause == "NORMAL_CLEARING"
    assert [a for a, _ in record.applications] == ["socket", "answer", "play_and_get_digits", "playback", "hangup"]
    assert record.prompts == ["Enter-your-code", "Thank-you"]


def test_genesis_inbound_api_status_and_bgapi_originate_background_job() -> None:
    async def main() -> tuple[str, Any, Any]:
        sim = SimSwitch(SimSwitchConfig(dialplan={"7000": _answer_and_park()}))
        await sim.start()
        try:
            async with Inbound("127.0.0.1", sim.esl_port, "ClueCon") as client:
                status = await client.send("api status")
                got: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
                client.on("BACKGROUND_JOB", lambda ev: got.done() or got.set_result(ev))
                await client.send("event plain BACKGROUND_JOB")
                reply = await client.send(
                    "bgapi originate {origination_caller_id_number=1001}loopback/7000/default &park()"
                )
                job = await asyncio.wait_for(got, 5)
                return status.body or "", reply, job
        finally:
            await sim.stop()

    status, reply, job = asyncio.run(main())
    assert status.startswith("UP 0 years, ")
    assert reply["Reply-Text"].startswith("+OK Job-UUID: ")
    assert job["Job-UUID"] == reply["Job-UUID"]
    assert job["Job-Command"] == "originate"
    assert job.body.startswith("+OK ") and job.body.endswith("\n")


def _answer_and_park() -> Any:
    from hotline.runtime.simswitch import Extension

    return Extension(actions=(("answer", ""), ("park", "")))


def test_genesis_blocking_execute_raises_when_the_app_is_unknown() -> None:
    """FS answers +OK and hangs up DESTINATION_OUT_OF_ORDER (03); genesis surfaces that."""

    async def handler(session: Session, seen: dict[str, Any]) -> None:
        with contextlib.suppress(SessionGoneAway):
            await session.sendmsg("execute", "no_such_app", "x", block=True, timeout=5)
            seen["returned"] = True
        seen["gone"] = True

    record, seen = with_genesis_app(handler, CallerScript(did=DID))
    assert seen == {"gone": True}
    assert record.hangup_cause == "DESTINATION_OUT_OF_ORDER"


def test_characterize_genesis_blocking_execute_after_caller_hangup_never_completes() -> None:
    """Hazard: after the caller hangs up, FreeSWITCH still replies +OK to sendmsg on the lingering
    channel but never runs it (03-error-cases #90/#91).  genesis's default ``linger`` (no time)
    keeps the socket open until the app leaves, and ``block=True`` waits for a
    CHANNEL_EXECUTE_COMPLETE that never comes: without a timeout the handler hangs forever."""

    async def handler(session: Session, seen: dict[str, Any]) -> None:
        ch = session.channel
        assert ch is not None
        await ch.answer()
        await ch.play_and_get_digits(tries=1, timeout=5000, terminators="#", file="say:Menu", maximum=1)
        try:
            await ch.playback("say:Still-there?", block=True, timeout=0.5)
        except TimeoutError:
            seen["timed_out"] = True

    _record, seen = with_genesis_app(handler, CallerScript(did=DID, presses=["HANGUP"]))
    assert seen.get("timed_out") is True


def _recorded(name: str, seq: int) -> bytes:
    scenario = load_scenario(name)
    return next(b.raw.encode() for b in scenario.blocks if b.seq == seq)


def _genesis_parse(raw: bytes) -> list[Any]:
    fsm = ESLReaderFSM()
    head, _, body = raw.partition(b"\n\n")
    events, length = fsm.process_headers(head.decode() + "\n\n")
    if length:
        events += fsm.process_body(body[:length])
    return events


def test_characterize_genesis_splits_a_recorded_private_command_in_two() -> None:
    """Real PRIVATE_COMMAND events (01 #72) carry ``event-lock: true`` before ``Event-Name``;
    genesis's event-lock splitting turns one event into two: a headless fragment without
    Event-Name, and a PRIVATE_COMMAND that lost its command headers."""
    events = _genesis_parse(_recorded("01-inbound-client", 72))
    assert len(events) == 2
    assert "Event-Name" not in events[0]
    assert events[0]["execute-app-name"] == "playback"
    assert events[1]["Event-Name"] == "PRIVATE_COMMAND"
    assert "execute-app-name" not in events[1]


def test_characterize_genesis_turns_duplicate_hangup_cause_into_a_list() -> None:
    """CHANNEL_HANGUP_COMPLETE really carries ``Hangup-Cause`` twice (02 #275); genesis stores a
    list, so ``event["Hangup-Cause"] == "NORMAL_CLEARING"`` is False for that event."""
    (event,) = _genesis_parse(_recorded("02-outbound-socket-async-full", 275))
    assert event["Event-Name"] == "CHANNEL_HANGUP_COMPLETE"
    assert event["Hangup-Cause"] == ["NORMAL_CLEARING", "NORMAL_CLEARING"]


@pytest.mark.parametrize("presses", [[SILENCE]])
def test_genesis_sees_the_timeout_variables(presses: list[str | None]) -> None:
    async def handler(session: Session, seen: dict[str, Any]) -> None:
        ch = session.channel
        assert ch is not None
        await ch.answer()
        ev = await ch.play_and_get_digits(
            tries=1, timeout=3000, terminators="#", file="say:Code", minimal=1, maximum=4,
            regexp="\\d+", var_name="code", invalid_file="say:Invalid", digit_timeout=2000,
        )  # fmt: skip
        seen["code"] = ev.get("variable_code")
        seen["read_result"] = ev.get("variable_read_result")
        await ch.hangup()

    _record, seen = with_genesis_app(handler, CallerScript(did=DID, presses=presses))
    assert seen == {"code": None, "read_result": "failure"}
