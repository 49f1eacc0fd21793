"""One inbound call, from the outbound-socket connect to the call record.

The dialled number picks the tenant and its published IVR; anything that prevents running it (a number
no tenant owns, a tenant with nothing published, a bug) still ends with the caller hearing an apology
and, where the tenant has one, reaching its fallback queue — never silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...platform.db import Database
from ...platform.lost_calls import OUTCOME as LOST_OUTCOME
from ...platform.models import CallRecord
from ...platform.services import callbacks
from ...platform.services.errors import NotFound
from ...platform.tenant_zone import tenant_calendar
from ..acd import Acd
from ..esl.channel import EslChannel
from ..esl.switch_profile import SwitchProfile
from ..flow import CallInfo, FlowEngine
from ..flow.channel import CallerHungUp, PromptFailed, RenderedPrompt
from ..flow.engine import DEFAULT_APOLOGY
from ..flow.entered import entered
from ..flow.lookup_cache import LookupCache
from ..flow.trace import jsonable
from .dry_run import DryRunCallServices
from .pending import PendingSaves
from .recording import CallRecorder
from .routing import Route, RouteCache
from .services import CallServices, customer_by_phone

log = logging.getLogger("hotline.runtime.call")
#: The channel events a call needs: application completions (matched by Application-UUID), hangup (also
#: ends waits FreeSWITCH would never complete) and bridge (the agent answered). Measured: parsing the rest
#: (CHANNEL_EXECUTE, STATE, CALLSTATE, PLAYBACK…) cost more CPU than the flow itself. RECORD_STOP carries a
#: recording's length when a hangup ends it, RECORD_START the file of one started on demand (recording.py). DTMF: keys
#: the channel took between applications are dropped by the socket's park loop; only the event keeps them
#: (type-ahead, esl/channel.py; one event per key pressed).
SUBSCRIBED_EVENTS = ("CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP CHANNEL_BRIDGE CHANNEL_UNBRIDGE RECORD_START RECORD_STOP "
                     "DTMF")
TO_AGENT = RenderedPrompt(text="抱歉，自助服务暂时无法使用，正在为您转接人工服务，请稍候。", name="builtin_to_agent")
NO_SERVICE = RenderedPrompt(text="您好，您拨打的号码暂未开通服务，请核对后再拨。", name="builtin_no_service")


class CallHandler:
    def __init__(self, db: Database, routes: RouteCache, acd: Acd | None,
                 switch: SwitchProfile | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), stats: Any = None) -> None:
        self.db, self.routes, self.acd = db, routes, acd
        self.switch = switch or SwitchProfile()
        self.agent_endpoint: Callable[[str], str] = self.switch.agent_endpoint
        self.clock, self.stats = clock, stats
        #: Tracking-webhook answers kept for the lookup nodes' cache_seconds, shared by this process's calls.
        self.lookup_cache = LookupCache()
        self.active = 0
        self.handled = 0
        #: Calls placed to try a flow (`hotline call`): recorded as test calls, answered by no user.
        self.test_calls = False
        #: Answered calls of outbound campaigns (runtime/dialer/answered.py), set by the runtime.
        self.campaign_calls: Any = None
        #: The records being saved, cut calls' and ended calls' alike: the runtime's stop waits for them (pending.py).
        self.saves = PendingSaves()

    async def __call__(self, session: Any) -> None:
        self.active += 1
        try:
            await self.handle(session)
        finally:
            self.active -= 1
            self.handled += 1

    async def handle(self, session: Any) -> None:
        data = session.context
        if self.campaign_calls is not None and self.campaign_calls.is_campaign_call(data):
            await self.campaign_calls.handle(session)
            return
        did = _header(data, "Caller-Destination-Number")
        caller = _header(data, "Caller-Caller-ID-Number")
        uuid = _header(data, "Unique-ID")
        channel = EslChannel(session, switch=self.switch, stats=self.stats)
        started = datetime.now(UTC)
        try:
            route = await self.routes.route(did)
        except NotFound:
            log.warning("call %s to %s: no tenant owns this number", uuid, did)
            await _apologise(channel, NO_SERVICE, "UNALLOCATED_NUMBER")
            return
        except Exception:
            log.exception("call %s to %s: routing failed", uuid, did)
            await _apologise(channel, DEFAULT_APOLOGY, "NORMAL_TEMPORARY_FAILURE")
            return
        channel.rendered = route.rendered
        services = CallServices(self.db, route.tenant_id, uuid, self.acd, self.agent_endpoint, self.clock,
                                lookup_cache=self.lookup_cache)
        services.recorder = CallRecorder(self.db, route.tenant_id, uuid, self.switch.recordings, services.now)
        record: dict[str, Any] = {"uuid": uuid, "did": did, "caller": caller, "started_at": started,
                                  "ivr_document": route.ivr_name, "ivr_version": route.version}
        # a runtime killed mid-call writes nothing: what the record needs is kept under its lease (live_calls.py)
        services.live = self.acd.live_calls if self.acd is not None else None
        if services.live is not None:
            await services.live.start(uuid, {"tenant_id": route.tenant_id, "test_call": self.test_calls,
                                             **{k: v for k, v in record.items() if k != "uuid"}})
        running: dict[str, Any] = {}  # the flow engine and customer, for a record written mid-call
        try:
            if route.body is None:
                record.update(await self._no_ivr(route, channel, services))
            else:
                record.update(await self._run_flow(route, channel, services, CallInfo(
                    caller=caller, did=did, uuid=uuid, tenant=route.tenant), running))
        except Exception as exc:  # the flow engine catches node errors; this is the last line of defence
            log.exception("call %s: runtime error", uuid)
            await _apologise(channel, DEFAULT_APOLOGY, "NORMAL_TEMPORARY_FAILURE")
            record.update(outcome="error", trace={"errors": [{"node": None, "reason": f"{type(exc).__name__}: {exc}"}]})
        except asyncio.CancelledError:
            # The runtime is stopping and the call outlived the grace period: the switch carries it on in the
            # dialplan's fallback; the record still says what happened here (issue 12: every record written).
            await asyncio.shield(self.saves.start(
                self._save_stopped(route.tenant_id, record, services, channel, running)))
            raise
        # the call has ended: its record is saved even if the runtime's stop cancels this task meanwhile, and the
        # stop waits for it before giving the lease up (else a sweep wrote a stand-in for the same call)
        await asyncio.shield(self.saves.start(self._save_ended(route.tenant_id, record, services, session, channel)))

    async def _save_ended(self, tenant_id: int, record: dict[str, Any], services: CallServices, session: Any,
                          channel: EslChannel) -> None:
        """The record of a call whose flow ended: who answered, how it ended, the recording; then its live entry
        goes (the record is written, a sweep has nothing left to stand in for)."""
        record.update(await services.answer_fields())  # answered_at, agent_id (user of the extension)
        if self.test_calls:  # simulated agents are nobody's extension: attribute the call to no user
            record.update(test_call=True, agent_id=None)
        record.update(await _how_it_ended(session, channel))
        record.update(await services.recorder.fields())
        record["ended_at"] = datetime.now(UTC)
        record["trace"] = {**record.get("trace", {}), "events": services.events}
        await self._save(tenant_id, record)
        if services.live is not None:
            await services.live.end(str(record["uuid"]))

    async def _save_stopped(self, tenant_id: int, record: dict[str, Any], services: CallServices,
                            channel: EslChannel, running: dict[str, Any]) -> None:
        """The record of a call cut by a runtime shutdown: as full as a finished call's (QA 12.5: answered_at,
        queue, wait and the steps were missing, the trace's hangup_cause null). The switch carries the call on in
        the dialplan's fallback, so the hangup cause is the runtime's: `runtime_stopped`."""
        cause = "runtime_stopped"
        engine = running.get("engine")
        trace: dict[str, Any] = {"outcome": cause, "hangup_cause": cause, "node": None, "errors": [], "steps": []}
        if engine is not None:
            engine.trace.leave(None)  # the step the call was in ends here, with its time so far
            steps = engine.trace.steps
            engine.trace.finish(cause, steps[-1]["node"] if steps else None, cause)
            trace = engine.trace.to_dict()
            record["variables"] = engine.ctx.variables
            record["customer_id"] = (running.get("customer") or {}).get("id")
        queue = services.queue_fields()
        _note_cut_answer(services, queue, cause)
        record.update(outcome=cause, hangup_cause=cause, hangup_by="runtime", ended_at=datetime.now(UTC),
                      trace={**trace, "events": services.events}, **queue)
        record["ring_seconds"] = round(channel.ring_seconds, 3) or None
        record["talk_seconds"] = round(channel.talk_seconds, 3) or None
        record.update(await services.answer_fields())
        if self.test_calls:
            record.update(test_call=True, agent_id=None)
        await self._save(tenant_id, record)
        if services.live is not None:
            await services.live.end(str(record["uuid"]))

    async def _run_flow(self, route: Route, channel: EslChannel, services: CallServices,
                        call: CallInfo, running: dict[str, Any]) -> dict[str, Any]:
        customer = await asyncio.to_thread(self._customer, route.tenant_id, call.caller)
        running["customer"] = customer
        await channel.start()
        # A test call (`hotline call`) is a dry run: no tickets, urges or messages (call/dry_run.py).
        flow_services = DryRunCallServices(services) if self.test_calls else services
        engine = FlowEngine(route.body, channel, flow_services, call, customer, tenant_calendar(route.settings),
                            allowed_transfer_numbers=route.settings.get("transfer_allow_list", ()),
                            prompts=route.prompts)
        running["engine"] = engine
        services.context = lambda: {"tenant_id": route.tenant_id, "caller": call.caller, "did": call.did,
                                    "customer_id": (customer or {}).get("id"), "ivr": route.ivr_name,
                                    "ivr_version": route.version, "path": engine.trace.path,
                                    "variables": engine.ctx.variables,
                                    "entered": entered(route.body, engine.trace.steps)}
        result = await engine.run()
        return {"outcome": result.outcome, "trace": result.trace.to_dict(), "customer_id": (customer or {}).get("id"),
                "queue": None, "wait_seconds": None, **services.queue_fields(), "variables": result.variables}

    async def _no_ivr(self, route: Route, channel: EslChannel, services: CallServices) -> dict[str, Any]:
        """A tenant with nothing published: apology, then its fallback queue if it names one."""
        log.warning("tenant %s has no published IVR %r", route.tenant, route.ivr_name)
        queue = route.settings.get("fallback_queue")
        try:
            await channel.start()
            await channel.answer()
            if queue and self.acd is not None:
                await channel.play(TO_AGENT)
                result = await services.enqueue(channel, queue, priority=5, skills=(), timeout_seconds=120,
                                                hold_prompt=None, announce_position=True)
                await channel.hangup()
                return {"outcome": f"no_ivr_{result.status}", "queue": queue}
            await channel.play(DEFAULT_APOLOGY)
            await channel.hangup("NORMAL_TEMPORARY_FAILURE")
        except CallerHungUp:
            return {"outcome": "caller_hangup"}
        return {"outcome": "no_ivr"}

    def _customer(self, tenant_id: int, caller: str) -> dict[str, Any] | None:
        with self.db.tenant(tenant_id) as session:
            return customer_by_phone(session, caller)

    async def _save(self, tenant_id: int, record: dict[str, Any]) -> None:
        def write() -> None:
            with self.db.tenant(tenant_id) as session:
                variables = record.pop("variables", None)
                trace = dict(record.get("trace") or {})
                if variables is not None:
                    trace["variables"] = jsonable(variables)
                record["trace"] = trace
                session.add(CallRecord(**record))
                book_callbacks(session, record)

        def replace_lost() -> None:
            # A runtime whose event loop stalled past its lease had its calls swept as lost (platform/lost_calls.py)
            # while they went on: the call's own record, written now, replaces that stand-in.
            with self.db.tenant(tenant_id) as session:
                lost = session.scalar(select(CallRecord).where(CallRecord.uuid == record["uuid"],
                                                               CallRecord.outcome == LOST_OUTCOME))
                if lost is None:
                    raise LookupError(f"call {record['uuid']} has a record already")
                session.delete(lost)
                session.flush()
                session.add(CallRecord(**record))
                book_callbacks(session, record)

        try:
            await asyncio.to_thread(write)
        except IntegrityError:
            try:
                await asyncio.to_thread(replace_lost)
            except Exception:
                log.exception("could not write the call record of %s", record.get("uuid"))
        except Exception:
            log.exception("could not write the call record of %s", record.get("uuid"))


def _note_cut_answer(services: CallServices, queue: dict[str, Any], cause: str) -> None:
    """An agent answered, and the stop cut the call while they talked: the queue's "answered" event the wait would
    have written when the bridge returned. The reports credit an answered call to the agent by it (an extension no
    user holds has only this event: issue 14, the talk was credited to nobody)."""
    agent = services.answered_by
    if agent is None or any(e.get("type") == "queue" and e.get("status") == "answered" for e in services.events):
        return
    services.events.append({"type": "queue", "queue": queue.get("queue"), "status": "answered", "agent": agent,
                            "wait_seconds": queue.get("wait_seconds"), "talk_ended_by": cause})


def book_callbacks(session: Session, record: dict[str, Any]) -> list[Any]:
    """Call tasks for the callbacks the caller booked in the IVR, in the call record's transaction: a booking is
    dialled work (a task the callback list and the dialer see), not only an event in the record. A test call books
    nothing real. One task per booking event of the call; the call's uuid is kept as the task's origin."""
    if record.get("test_call"):
        return []
    booked = []
    for event in (record.get("trace") or {}).get("events", ()):
        if event.get("type") != "callback":
            continue
        booked.append(callbacks.create(
            session, "callback", record.get("ended_at") or datetime.now(UTC), actor="ivr", phone=event.get("number"),
            queue=event.get("queue"), note="IVR 预约回拨",
            origin={"cause": "ivr_booking", "call": record.get("uuid"), "caller": record.get("caller")}))
    return booked


#: Causes of a caller's own hang-up (anything else the runtime did not ask for is the switch's doing).
CALLER_CAUSES = frozenset({"NORMAL_CLEARING", "ORIGINATOR_CANCEL", "NORMAL_UNSPECIFIED"})


async def _how_it_ended(session: Any, channel: EslChannel) -> dict[str, Any]:
    """hangup_cause and hangup_by (caller, runtime, switch), ring and talk seconds, for the call record."""
    hungup = getattr(session, "hungup", None)
    if hungup is not None and not hungup.is_set():
        with contextlib.suppress(TimeoutError):  # the runtime's own hangup: its CHANNEL_HANGUP follows at once
            await asyncio.wait_for(hungup.wait(), 1.0)
    cause = getattr(session, "hangup_cause", None)
    if getattr(session, "hangup_requested", False):
        by = "runtime"
    elif cause is None:
        by = None
    else:
        by = "caller" if cause in CALLER_CAUSES else "switch"
    return {"hangup_cause": cause, "hangup_by": by, "ring_seconds": round(channel.ring_seconds, 3) or None,
            "talk_seconds": round(channel.talk_seconds, 3) or None}


def _header(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    return value[0] if isinstance(value, list) else str(value)


async def _apologise(channel: EslChannel, prompt: RenderedPrompt, cause: str) -> None:
    try:
        await channel.start()
        await channel.answer()
        await channel.play(prompt)
    except CallerHungUp:
        return
    except PromptFailed as exc:  # the caller hears nothing more; the call still ends with the cause
        log.warning("call %s: %s", channel.uuid, exc)
    await channel.hangup(cause)
