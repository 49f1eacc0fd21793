"""FlowServices for live calls: the tenant's database, the ACD and the notification interface.

One instance per call, bound to its tenant. Database work runs in worker threads (SQLAlchemy is
synchronous) so a slow query never stalls the event loop that carries every other call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..platform import phones
from ..platform.db import Database
from ..platform.models import Customer, CustomerPhone, DataRow, DataTable, Ticket
from ..platform.services import notifications, tickets
from .acd import Acd, Assigned, Cancelled, WaitingCall
from .esl_channel import EslChannel
from .flow.channel import CallerHungUp, Channel, Recording, RenderedPrompt
from .flow.services import QueueResult, Record, http_webhook

log = logging.getLogger("hotline.runtime")
T = TypeVar("T")
AGENT_RING_SECONDS = 20
WRAP_UP_SECONDS = 5


class CallServices:
    """Everything a flow reaches outside the channel, for one call of one tenant."""

    def __init__(self, db: Database, tenant_id: int, call_uuid: str, acd: Acd | None,
                 agent_endpoint: Callable[[str], str] = lambda agent: f"user/{agent}",
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db, self.tenant_id, self.call_uuid, self.acd = db, tenant_id, call_uuid, acd
        self.agent_endpoint, self.clock = agent_endpoint, clock
        #: Things done for the call record (queues, survey scores, voicemails, callbacks).
        self.events: list[dict[str, Any]] = []

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

    async def lookup_builtin(self, kind: str, key: str) -> Record | None:
        if kind == "ticket":
            def ticket(session: Session) -> Record | None:
                found = session.scalar(select(Ticket).where(Ticket.number == key))
                if found is None:
                    return None
                return {**found.data, "number": found.number, "status": found.status, "form": found.form_name}

            return await self._db(ticket)
        if kind == "customer":
            return await self._db(lambda session: customer_by_phone(session, key))
        raise ValueError(f"unknown built-in lookup {kind!r}")

    async def call_webhook(self, url: str, method: str, key: str, timeout_ms: int,
                           headers: Mapping[str, str]) -> Record | None:
        return await http_webhook(url, method, key, timeout_ms, headers)

    async def create_ticket(self, form: str, fields: Mapping[str, str]) -> str:
        def work(session: Session) -> str:
            data = {name: value for name, value in fields.items() if value != ""}
            customer = customer_by_phone(session, str(fields.get("phone", "")))
            ticket = tickets.create(session, form, data, f"ivr:{self.call_uuid}",
                                    customer_id=customer["id"] if customer else None)
            return ticket.number

        return await self._db(work)

    async def send_sms(self, to: str, text: str) -> None:
        await self._db(lambda session: notifications.send(session, "sms", to, text, origin={"call": self.call_uuid}))

    async def enqueue(self, channel: Channel, queue: str, *, priority: int, skills: Sequence[str],
                      timeout_seconds: int, hold_prompt: RenderedPrompt | None,
                      announce_position: bool) -> QueueResult:
        if self.acd is None:
            raise RuntimeError("no ACD in this runtime")
        call = WaitingCall(tenant=str(self.tenant_id), queue=queue, call_id=self.call_uuid, priority=priority,
                           skills=tuple(skills))
        await self.acd.queues.enqueue(call)
        started = asyncio.get_running_loop().time()

        async def tick(position: int | None, _waited: float) -> None:
            with contextlib.suppress(CallerHungUp):  # the hangup event takes the call out of the queue
                if announce_position and position:
                    await channel.play(RenderedPrompt(text=f"您前面还有{position - 1}位客户在等待，请稍候。"))
                if hold_prompt is not None:
                    await channel.play(hold_prompt)

        # Set when the caller hangs up (EslChannel): a waiting call then leaves the queue at once.
        hangup: asyncio.Event | None = getattr(channel, "hangup_event", None)
        while True:
            outcome = await self.acd.distributor.wait_for_agent(call, timeout_seconds, on_tick=tick, hangup=hangup)
            if isinstance(channel, EslChannel):
                channel.waited()
            waited = asyncio.get_running_loop().time() - started
            if isinstance(outcome, Cancelled):
                return self._queued(queue, QueueResult("abandoned", wait_seconds=waited))
            if not isinstance(outcome, Assigned):
                return self._queued(queue, QueueResult("timeout", wait_seconds=waited))
            agent = outcome.agent_id

            picked_up = False

            async def answered(agent: str = agent) -> None:
                nonlocal picked_up
                await self.acd.distributor.agent_answered(call, agent)
                picked_up = True

            try:
                result = await channel.bridge(self.agent_endpoint(agent), timeout_seconds=AGENT_RING_SECONDS,
                                              on_answered=answered)
            except CallerHungUp:
                # The caller hung up while the agent rang or talked: free the agent either way.
                if picked_up:
                    await self.acd.distributor.call_ended(agent, WRAP_UP_SECONDS)
                    self._queued(queue, QueueResult("answered", agent=agent, wait_seconds=waited))
                else:
                    await self.acd.distributor.cancel(call)
                    self._queued(queue, QueueResult("abandoned", wait_seconds=waited))
                raise
            if result.answered:
                await self.acd.distributor.call_ended(agent, WRAP_UP_SECONDS)
                return self._queued(queue, QueueResult("answered", agent=agent, wait_seconds=waited))
            # Nobody picked up: the call goes back to the head of its queue, the agent to a break.
            await self.acd.distributor.release_no_answer(call, agent)
            self.events.append({"type": "agent_no_answer", "agent": agent})

    def _queued(self, queue: str, result: QueueResult) -> QueueResult:
        self.events.append({"type": "queue", "queue": queue, "status": result.status, "agent": result.agent,
                            "wait_seconds": round(result.wait_seconds, 3)})
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
