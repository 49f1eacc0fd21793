"""FlowServices for live calls: the tenant's database, the ACD and the notification interface.

One instance per call, bound to its tenant. Database work runs in worker threads (SQLAlchemy is
synchronous) so a slow query never stalls the event loop that carries every other call.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...platform import phones
from ...platform.acd import defaults as acd_defaults
from ...platform.db import Database
from ...platform.models import Customer, CustomerPhone, DataRow, DataTable
from ...platform.services import notifications, self_service, ticket_desk, tickets, urging
from ..acd import Acd
from ..flow.channel import Channel, Recording, RenderedPrompt
from ..flow.services import QueueResult, Record, http_webhook
from . import context as call_context
from . import dispatch_hook
from .queue_settings import QueueSettings, load_queue_settings
from .queue_wait import Waiting

log = logging.getLogger("hotline.runtime")
T = TypeVar("T")
#: Defaults, read at each use (tests patch them): how long an agent rings, and the wrap-up after a call
#: of a queue whose settings name none.
AGENT_RING_SECONDS = 20
WRAP_UP_SECONDS = acd_defaults.WRAP_UP_SECONDS


class CallServices:
    """Everything a flow reaches outside the channel, for one call of one tenant."""

    def __init__(self, db: Database, tenant_id: int, call_uuid: str, acd: Acd | None,
                 agent_endpoint: Callable[[str], str] = lambda agent: f"user/{agent}",
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), lookup_cache: Any = None) -> None:
        self.db, self.tenant_id, self.call_uuid, self.acd = db, tenant_id, call_uuid, acd
        #: The runtime's cache of tracking-webhook answers (flow/lookup_cache.py), shared by its calls.
        self.lookup_cache = lookup_cache
        self.agent_endpoint, self.clock = agent_endpoint, clock
        #: Things done for the call record (queues, survey scores, voicemails, callbacks).
        self.events: list[dict[str, Any]] = []
        #: The call's live context for the agent's screen pop (context.py), set by the call handler.
        self.context: Callable[[], Mapping[str, Any]] | None = None
        #: When the first agent picked up and which ACD agent (extension) it was: the call record's
        #: answered_at / agent_id, from which the wallboard computes talk and handle times.
        self.answered_at: datetime | None = None
        self.answered_by: str | None = None
        #: The call's recording (recording.py), set by the call handler; None records nothing.
        self.recorder: Any = None
        #: The queue the call is in now (queue_wait.py), since when (event-loop time of the first entry) and, once
        #: an agent answered, how long it had waited: a record written mid-call (runtime stopped) needs them.
        self.live_queue: str | None = None
        self.queue_started: float | None = None
        self.waited: float | None = None
        #: This runtime's calls in progress (acd/live_calls.py), set by the call handler: a crash leaves a record.
        self.live: Any = None

    async def _db(self, work: Callable[[Session], T]) -> T:
        def run() -> T:
            with self.db.tenant(self.tenant_id) as session:
                return work(session)

        return await asyncio.to_thread(run)

    async def lookup_table(self, table: str, key: str) -> Record | None:
        def work(session: Session) -> Record | None:
            return session.scalar(select(DataRow.data).join(DataTable, DataRow.table_id == DataTable.id)
                                  .where(DataTable.name == table, DataRow.key == key))

        return await self._db(work)

    async def lookup_builtin(self, kind: str, key: str, *, caller: str | None = None,
                             code: str | None = None) -> Record | None:
        if kind == "ticket":  # in full to its owner only (self_service: issue 11 item 6)
            return await self._db(lambda session: self_service.ticket_for_caller(session, key, caller, code))
        if kind == "customer":
            return await self._db(lambda session: customer_by_phone(session, key))
        raise ValueError(f"unknown built-in lookup {kind!r}")

    async def call_webhook(self, url: str, method: str, key: str, timeout_ms: int,
                           headers: Mapping[str, str]) -> Record | None:
        return await http_webhook(url, method, key, timeout_ms, headers)

    async def urge_ticket(self, number: str, *, caller: str | None = None,
                          code: str | None = None) -> Record | None:
        return await self._db(lambda session: self_service.urge_by_caller(
            session, number, caller, code, actor=f"ivr:{self.call_uuid}"))

    async def urge_preview(self, number: str, *, caller: str | None = None,
                           code: str | None = None) -> Record | None:
        """urge_ticket's answer without the urge (test calls are dry runs, yet check the caller)."""
        return await self._db(lambda session: self_service.urge_preview(session, number, caller, code))

    async def create_ticket(self, form: str, fields: Mapping[str, str], *, urge_open: str | None = None) -> str:
        def work(session: Session) -> str:
            data = {name: value for name, value in fields.items() if value != ""}
            customer = customer_by_phone(session, str(fields.get("phone", "")))
            ticket, _urged = self_service.create_or_urge(session, form, data, urge_open=urge_open,
                                                         actor=f"ivr:{self.call_uuid}",
                                                         customer_id=customer["id"] if customer else None)
            return ticket.number

        return await self._db(work)

    async def urge_open_ticket(self, form: str, field: str, value: str) -> Record | None:
        def work(session: Session) -> Record | None:
            found = self_service.open_ticket_by(session, form, field, value)
            if found is None:
                return None
            urging.urge(session, found.number, actor=f"ivr:{self.call_uuid}", note="来电再次催件")
            ticket = tickets.get(session, found.number)
            return {"number": ticket.number, "count": urging.urge_count(session, ticket.id),
                    "handler": bool(urging.handler_phones(session, ticket)) or urging.has_handler(ticket)}

        return await self._db(work)

    async def send_sms(self, to: str, text: str) -> None:
        await self._db(lambda session: notifications.send(session, "sms", to, text, origin={"call": self.call_uuid}))

    async def enqueue(self, channel: Channel, queue: str, *, priority: int, skills: Sequence[str],
                      timeout_seconds: int, hold_prompt: RenderedPrompt | None,
                      announce_position: bool, options: Mapping[str, Any] | None = None) -> QueueResult:
        """Dispatch rules pick the queue, then the call waits along the queue's overflow chain.

        `timeout_seconds` bounds the caller's whole wait, over every queue of the chain; a queue with
        overflow settings hands the call on after its own `overflow_after_seconds`, keeping the time
        of the first entry (ageing and statistics count the whole wait).
        """
        if self.acd is None:
            raise RuntimeError("no ACD in this runtime")
        if self.context is not None:  # the agent's screen pop reads it while the call rings
            await call_context.publish(self.acd.redis, self.acd.keys.prefix, self.call_uuid, self.context)
        options = options or {}
        context = dict(options.get("context") or {})
        call_info = {"uuid": self.call_uuid, "tenant_id": self.tenant_id, **(context.get("call") or {}),
                     "queue": queue, "priority": priority, "skills": list(skills)}
        routing = await dispatch_hook.route(self.db, self.tenant_id, {**call_info, "customer": context.get(
            "customer") or {}, "var": context.get("var") or {}}, queue, priority, skills)
        if routing.queue != queue or routing.rules:
            self.events.append({"type": "dispatch", "queue": routing.queue, "priority": routing.priority,
                                "skills": list(routing.skills), "rules": list(routing.rules), "from": queue})
        waiting = Waiting(self, channel, routing, timeout_seconds, hold_prompt, announce_position, options)
        started = asyncio.get_running_loop().time()
        try:
            return await waiting.run()
        finally:
            if waiting.abandoned:  # also when the caller hung up while an agent rang (CallerHungUp)
                await asyncio.shield(dispatch_hook.abandoned(self.db, self.tenant_id, {
                    **call_info, "queue": waiting.queue,
                    "wait_seconds": round(asyncio.get_running_loop().time() - started, 3)}))

    def agent_answered(self, agent: str) -> None:
        """An agent picked up (CHANNEL_BRIDGE). The first pickup counts: talk time runs from it to the end.

        Wall-clock time, like the record's started_at and ended_at (the flow's clock may be a fixed test
        time); the user behind the extension is looked up once, when the record is written.
        """
        if self.answered_at is None:
            self.answered_at, self.answered_by = datetime.now(UTC), agent

    def queue_fields(self) -> dict[str, Any]:
        """`queue` and `wait_seconds` for the call record: the last queue's outcome, or, for a call cut short
        while it waited or talked (runtime stopped), the queue it was in and its wait so far."""
        queued = [e for e in self.events if e["type"] == "queue"]
        if queued:
            return {"queue": queued[-1]["queue"], "wait_seconds": round(queued[-1]["wait_seconds"])}
        if self.live_queue is None or self.queue_started is None:
            return {}
        wait = self.waited if self.waited is not None else asyncio.get_running_loop().time() - self.queue_started
        return {"queue": self.live_queue, "wait_seconds": round(wait)}

    async def note_live(self, **fields: Any) -> None:
        """Adds to what a crash would leave of this call (acd/live_calls.py): queue entered, agent answered."""
        if self.live is not None:
            await self.live.update(self.call_uuid, **fields)

    async def answer_fields(self) -> dict[str, Any]:
        """`answered_at` and `agent_id` for the call record ({} when no agent answered).

        agent_id is the user behind the agent's extension, None for an extension no user holds; a failed
        lookup is logged and leaves agent_id None rather than losing the record.
        """
        if self.answered_at is None or self.answered_by is None:
            return {}
        agent = self.answered_by
        try:
            user_id = await self._db(lambda session: ticket_desk.user_of_extension(session, agent))
        except Exception:
            log.exception("call %s: could not find the user of agent %r", self.call_uuid, agent)
            user_id = None
        return {"answered_at": self.answered_at, "agent_id": user_id}

    async def queue_settings(self, name: str) -> QueueSettings:
        """The queue's ACD settings (strategy, ageing, wrap-up, overflow) and the tenant's cap."""
        now = self.clock()
        return await self._db(lambda session: load_queue_settings(session, self.tenant_id, name, now))

    def _queued(self, queue: str, result: QueueResult) -> QueueResult:
        self.events.append({"type": "queue", "queue": queue, "status": result.status, "agent": result.agent,
                            "wait_seconds": round(result.wait_seconds, 3),
                            **({"talk_ended_by": result.talk_ended_by} if result.talk_ended_by else {})})
        return result

    async def leave_voicemail(self, queue: str | None, recording: Recording) -> None:
        self.events.append({"type": "voicemail", "queue": queue, "path": recording.path,
                            "seconds": recording.seconds})

    async def request_callback(self, queue: str, number: str) -> None:
        self.events.append({"type": "callback", "queue": queue, "number": number})

    async def record_survey(self, variable: str, score: int) -> None:
        self.events.append({"type": "survey", "variable": variable, "score": score})

    def now(self) -> datetime:
        return self.clock()


def customer_by_phone(session: Session, phone: str) -> dict[str, Any] | None:
    """The customer record a flow sees as `customer.*` (screen pop data for the IVR)."""
    try:
        number = phones.normalize(phone)
    except ValueError:
        return None
    customer = session.scalar(select(Customer).join(CustomerPhone).where(CustomerPhone.phone == number).limit(1))
    if customer is None:
        return None
    return {"id": customer.id, "name": customer.name, "phone": number, "phones": [p.phone for p in customer.phones],
            "address": customer.address, "vip": customer.vip, "flags": list(customer.flags),
            "monthly_settlement": "monthly_settlement" in customer.flags, "note": customer.note,
            **{k: v for k, v in customer.data.items() if k not in ("id",)}}
