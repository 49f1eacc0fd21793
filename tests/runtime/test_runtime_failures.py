"""Bad input and failures (DESIGN §5): nothing leaves a caller in silence, and nothing one call does stops
the runtime from serving the others — unknown numbers, tenants with nothing published, a partner
system that hangs, callers hanging up, the switch dropping the call or the socket, garbage on the wire."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hotline.platform.db import Database
from hotline.platform.services.tenants import assign_did, create_tenant
from hotline.runtime.call.handler import NO_SERVICE, TO_AGENT
from hotline.runtime.flow.engine import DEFAULT_APOLOGY
from hotline.runtime.simswitch import HANGUP, AgentBehavior, CallerScript

from .e2e_helpers import (
    Stack,
    clone,
    describe_logs,
    error_logs,
    publish_ivr,
    require_redis,
    run,
    stack,
    visited,
    wait_for_record,
    wait_until,
)

pytestmark = [pytest.mark.redis]
EXPRESS_DID = "4008006001"
WEBHOOK_DID = "4008006002"
NO_IVR_DID = "4008006003"
NO_IVR_NO_FALLBACK_DID = "4008006004"
UNKNOWN_DID = "4008006999"
TRACKING = ["1", "7730012345601#"]  # express: tracking query of a waybill in the sample data
SORRY = "非常抱歉，系统暂时无法处理您的请求"  # the express catalogue prompt "sorry" (system_fallback)


@pytest.fixture(scope="module")
def hanging_webhook() -> Iterator[str]:
    """A partner system that answers only after 60 s, or when the module's tests are over (the IVR gives it
    300 ms): a call that waited for it would take a minute, far from any slowness of a loaded machine."""
    released = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            released.wait(60)
            with contextlib.suppress(OSError):  # the runtime has long given up and closed
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status": "too late"}')

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/waybills"
    released.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def tenants(db: Database, hanging_webhook: str) -> dict[str, int]:
    require_redis()
    express = clone(db, "express_delivery", "failures-express", [EXPRESS_DID])
    webhook = clone(db, "express_delivery", "failures-webhook", [WEBHOOK_DID])

    def slow_partner(body: dict) -> None:  # no `error` target: the engine's own safety net must act
        lookup = body["nodes"]["track_lookup"]
        lookup["source"] = {"webhook": {"url": hanging_webhook, "timeout_ms": 300}}
        del lookup["error"]

    publish_ivr(db, webhook, slow_partner)
    with db.platform() as session:
        with_fallback = create_tenant(session, "failures-noivr", "No IVR yet", "test",
                                      settings={"fallback_queue": "general"})
        assign_did(session, with_fallback, NO_IVR_DID, "test")
        without = create_tenant(session, "failures-noivr-bare", "Nothing at all", "test")
        assign_did(session, without, NO_IVR_NO_FALLBACK_DID, "test")
        ids = {"no_ivr": with_fallback.id, "bare": without.id}
    return {"express": express, "webhook": webhook, **ids}


async def tracking_call(s: Stack, caller: str = "13700000030"):
    """A normal call, to show the runtime still serves after whatever went before."""
    record = await s.switch.place_call(CallerScript(did=EXPRESS_DID, caller=caller, presses=TRACKING))
    assert any("派送中" in prompt for prompt in record.prompts), record.summary()
    return record


async def queued_call_id(s: Stack, tenant_id: int) -> str:
    """The call id of the first call that entered a queue of the tenant."""
    async def find() -> str | None:
        return next((e.get("call") for e in await s.events(tenant_id) if e.kind == "call_enqueued"), None)

    return await wait_until(find, what="a call in the queue")


def test_unknown_number_hears_an_apology_and_is_refused(db: Database, tenants: dict[str, int]) -> None:
    async def scenario():
        async with stack(db) as s:
            unknown = s.switch.start_call(CallerScript(did=UNKNOWN_DID, caller="13700000031"))
            normal = asyncio.ensure_future(tracking_call(s))
            return await unknown, await normal, await tracking_call(s, "13700000032")

    unknown, *_ = run(scenario())
    assert unknown.prompts == [NO_SERVICE.text], unknown.summary()
    assert unknown.hangup_cause == "UNALLOCATED_NUMBER"
    assert [app for app, _ in unknown.applications] == ["socket", "multiset", "answer", "playback"]


def test_tenant_without_a_published_ivr_goes_to_its_fallback_queue(db: Database, tenants: dict[str, int]) -> None:
    agents = {"n1": AgentBehavior(answer_after_ms=500, talk_ms=5_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("n1", tenants["no_ivr"], "general")
            queued = await s.switch.place_call(CallerScript(did=NO_IVR_DID, caller="13700000033"))
            bare = await s.switch.place_call(CallerScript(did=NO_IVR_NO_FALLBACK_DID, caller="13700000034"))
            return (queued, await wait_for_record(db, tenants["no_ivr"], queued.uuid),
                    bare, await wait_for_record(db, tenants["bare"], bare.uuid))

    queued, queued_cdr, bare, bare_cdr = run(scenario())
    assert queued.prompts[0] == TO_AGENT.text, queued.summary()
    assert queued.bridges and queued.bridges[0]["target"].endswith("user/n1"), queued.summary()
    assert queued_cdr.outcome == "no_ivr_answered" and queued_cdr.queue == "general"
    assert queued_cdr.ivr_document == "main" and queued_cdr.ivr_version is None
    # Without a fallback queue: the apology, then a clean refusal.
    assert bare.prompts == [DEFAULT_APOLOGY.text] and bare.bridges == [], bare.summary()
    assert bare.hangup_cause == "NORMAL_TEMPORARY_FAILURE"
    assert bare_cdr.outcome == "no_ivr" and bare_cdr.queue is None


def test_a_hanging_partner_system_sends_the_caller_to_the_fallback(db: Database, tenants: dict[str, int]) -> None:
    agents = {"f1": AgentBehavior(answer_after_ms=500, talk_ms=5_000)}

    async def scenario():
        async with stack(db, agents=agents) as s:
            await s.login("f1", tenants["webhook"], "express_general")
            began = time.monotonic()
            record = await s.switch.place_call(CallerScript(did=WEBHOOK_DID, caller="13700000035", presses=TRACKING))
            took = time.monotonic() - began
            return record, took, await wait_for_record(db, tenants["webhook"], record.uuid, timeout=30)

    record, took, cdr = run(scenario())
    # The partner hangs for 60 s; the whole call (prompts, lookup cut off at 300 ms, fallback, agent) takes
    # about a second, and the bound leaves room for a loaded machine while still proving the cut-off.
    assert took < 20, f"the call took {took:.1f}s: the lookup was not cut off at its timeout"
    heard = "\n".join(record.prompts)
    assert SORRY in heard and "派送中" not in heard, heard
    assert record.bridges and record.bridges[0]["target"].endswith("user/f1"), record.summary()
    [error] = cdr.trace["errors"]
    assert error["node"] == "track_lookup" and error["type"] == "lookup" and error["to"] == "system_fallback"
    # The engine's wait or the egress module's own deadline (both at the node's timeout) ends the lookup.
    assert "TimeoutError" in error["reason"] or "EgressTimeout" in error["reason"], error
    path = visited(cdr)
    assert path[path.index("track_lookup"):][:3] == ["track_lookup", "system_fallback", "fallback_queue"], path
    assert cdr.outcome == "completed" and cdr.queue == "general"


def test_caller_hanging_up_mid_prompt_is_recorded_without_errors(db: Database, tenants: dict[str, int]) -> None:
    async def scenario():
        with error_logs() as errors:
            async with stack(db) as s:
                record = await s.switch.place_call(CallerScript(did=EXPRESS_DID, caller="13700000036",
                                                                presses=[HANGUP]))
                cdr = await wait_for_record(db, tenants["express"], record.uuid)
                await tracking_call(s)
                return record, cdr, list(errors)

    record, cdr, errors = run(scenario())
    assert [s.data["action"] for s in record.steps if s.kind == "caller"] == ["hangup", "hangup_now"]
    assert cdr.outcome == "caller_hangup" and cdr.trace["errors"] == [], cdr.trace
    assert visited(cdr)[-1] == "main_menu"
    assert errors == [], describe_logs(errors)


def test_switch_killing_a_waiting_call_takes_it_out_of_the_queue(db: Database, tenants: dict[str, int]) -> None:
    express = tenants["express"]

    async def scenario():
        async with stack(db) as s:  # nobody logged in: the call waits in the agent queue
            call = s.switch.start_call(CallerScript(did=EXPRESS_DID, caller="13700000037", presses=["0"]))
            uuid = await queued_call_id(s, express)
            reply = await s.switch.api(f"uuid_kill {uuid} MANAGER_REQUEST")
            record = await asyncio.wait_for(call, 3)
            cdr = await wait_for_record(db, express, uuid)
            await tracking_call(s)
            return reply, record, cdr, await s.events(express), s.runtime.handler.active

    reply, record, cdr, events, active = run(scenario())
    assert reply.startswith("+OK") and record.hangup_cause == "MANAGER_REQUEST"
    assert cdr.outcome == "abandoned" and cdr.queue == "general"
    assert [(e.kind, e.get("reason")) for e in events if e.get("call") == record.uuid] == \
        [("call_enqueued", None), ("call_left", "cancelled")]
    assert active == 0


def test_switch_dropping_the_socket_mid_call_ends_that_call_only(db: Database, tenants: dict[str, int]) -> None:
    express = tenants["express"]

    async def scenario():
        with error_logs() as errors:
            async with stack(db) as s:
                call = s.switch.start_call(CallerScript(did=EXPRESS_DID, caller="13700000038", presses=["0"]))
                uuid = await queued_call_id(s, express)
                [connection] = [c for c in s.switch.switch.listeners if getattr(c, "ch", None) is not None
                                and c.ch.uuid == uuid]
                await connection.close()  # the TCP connection to the runtime goes, without any hangup event
                cdr = await wait_for_record(db, express, uuid, timeout=3)
                await asyncio.wait_for(call, 3)
                await tracking_call(s)
                return cdr, await s.events(express), s.runtime.handler.active, list(errors)

    cdr, events, active, errors = run(scenario())
    assert cdr.outcome == "abandoned" and cdr.queue == "general"
    assert [(e.kind, e.get("reason")) for e in events if e.get("call") == cdr.uuid] == \
        [("call_enqueued", None), ("call_left", "cancelled")]
    assert active == 0
    unhandled = [r for r in errors if not r.name.startswith("genesis")]  # genesis logs the reset it read
    assert unhandled == [], describe_logs(unhandled)


MALFORMED = {
    "not utf-8": b"Content-Type: command/reply\nReply-Text: \xff\xfe\n\n",
    "truncated body": b"Content-Type: command/reply\nReply-Text: +OK\nContent-Length: 500\n\n{partial",
    "bad length": b"Content-Type: command/reply\nContent-Length: many\n\n",
    "no channel data": b"Content-Type: command/reply\nReply-Text: +OK\n\n",
    "truncated headers": b"Content-Type: comm",
}


def test_garbage_on_the_outbound_socket_does_not_disturb_other_calls(db: Database, tenants: dict[str, int]) -> None:
    agents = {"g1": AgentBehavior(answer_after_ms=500, talk_ms=100_000)}  # 0.2 s conversation

    async def scenario():
        with error_logs() as errors:
            async with stack(db, agents=agents) as s:
                await s.login("g1", tenants["express"], "express_general")
                ongoing = s.switch.start_call(CallerScript(did=EXPRESS_DID, caller="13700000039", presses=["0"]))
                await wait_until(lambda: s.runtime.handler.active, what="a call in progress")
                replies = await asyncio.gather(*(_raw_peer(s.runtime.port, frame) for frame in MALFORMED.values()))
                record = await ongoing
                await tracking_call(s)
                # Every broken connection is let go (none keeps a task and a socket of the runtime).
                await wait_until(lambda: not s.runtime.outbound.tasks, what="the broken connections to be dropped")
                return replies, record, s.runtime.handler.active, list(errors)

    replies, record, active, errors = run(scenario())
    assert all(reply.startswith(b"connect\n\n") for reply in replies), replies
    assert record.bridges and record.bridges[0]["target"].endswith("user/g1"), record.summary()
    assert active == 0
    # A broken peer is the peer's problem: a warning, never an unhandled exception of the runtime (genesis
    # itself logs what it could not read).
    unhandled = [r for r in errors if not r.name.startswith("genesis")]
    assert unhandled == [], describe_logs(unhandled)


async def _raw_peer(port: int, frame: bytes) -> bytes:
    """A broken FreeSWITCH: answers the runtime's `connect` with `frame`, lingers briefly, disconnects."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        received = await asyncio.wait_for(reader.readuntil(b"\n\n"), 2)
        writer.write(frame)
        await writer.drain()
        with contextlib.suppress(TimeoutError, ConnectionError):
            received += await asyncio.wait_for(reader.read(1000), 0.2)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    return received
