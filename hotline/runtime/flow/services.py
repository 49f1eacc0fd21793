"""The world outside the call, as the flow engine needs it: data, tickets, SMS, the ACD, the clock.

A production implementation is built per call, already bound to the tenant (every query is scoped
there, never in the engine). `InMemoryServices` serves the tests and the simulator-less test call of the
designer; its webhook lookups go over real HTTP unless a behaviour is injected.
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, runtime_checkable

from ...platform import egress
from ...platform.services import self_service
from .channel import Channel, Recording, RenderedPrompt

Record = Mapping[str, Any]
QueueStatus = Literal["answered", "timeout", "abandoned"]


@dataclass(frozen=True, slots=True)
class QueueResult:
    """How a queue wait ended: answered (by `agent`, after the agent hung up), timeout or abandoned.

    `talk_ended_by` ("agent" or "caller") says who ended an answered call's conversation (QA 12 #4: an agent
    hanging up first looked like any completed call)."""

    status: QueueStatus
    agent: str | None = None
    wait_seconds: float = 0.0
    talk_ended_by: str | None = None


@runtime_checkable
class FlowServices(Protocol):
    """Everything a flow reaches outside the channel. Bound to one tenant and one call."""

    async def lookup_table(self, table: str, key: str) -> Record | None:
        """A row of a tenant data table by key; None when there is none."""

    async def lookup_builtin(self, kind: str, key: str, *, caller: str | None = None,
                             code: str | None = None) -> Record | None:
        """A built-in record ("ticket" by number, "customer" by phone or id); None when there is none.

        A ticket is disclosed in full only to its owner (the caller's number is the ticket's, or `code`
        is the last four digits of it); anyone else gets its status alone, with "verified": False.
        """

    async def urge_ticket(self, number: str, *, caller: str | None = None,
                          code: str | None = None) -> Record | None:
        """Urges the ticket on its owner's behalf (an urge on the original, never a new ticket):
        {"allowed", "count", "notified", "handler"}; None when there is no such ticket."""

    async def call_webhook(
        self, url: str, method: str, key: str, timeout_ms: int, headers: Mapping[str, str]
    ) -> Record | None:
        """The tenant's webhook's record for key; None when it says not found. The engine also bounds
        the call with asyncio.wait_for(timeout_ms)."""

    async def create_ticket(self, form: str, fields: Mapping[str, str], *, urge_open: str | None = None) -> str:
        """Creates a ticket of a form and returns its number; with `urge_open` (a searchable field), an open
        ticket of the form with the same value is urged instead and its number returned."""

    async def urge_open_ticket(self, form: str, field: str, value: str) -> Record | None:
        """Urges the open ticket of `form` whose searchable `field` is `value` (the caller's second 催件 for a
        waybill): {"number", "count", "handler"}; None when there is no open ticket (then one is created)."""

    async def send_sms(self, to: str, text: str) -> None:
        """Sends (or queues) a text message."""

    async def enqueue(
        self,
        channel: Channel,
        queue: str,
        *,
        priority: int,
        skills: Sequence[str],
        timeout_seconds: int,
        hold_prompt: RenderedPrompt | None,
        announce_position: bool,
        options: Mapping[str, Any] | None = None,
    ) -> QueueResult:
        """Waits for an agent of the queue and bridges the caller through `channel`.

        Returns after the agent call ended (answered), when nobody answered in time (timeout) or when
        the caller hung up while waiting (abandoned). `options` (queue node, optional): "context" (call,
        customer, var — what dispatch rules see), "announce_every_seconds", "announcement" (a callable
        (position, wait_minutes) -> RenderedPrompt | None that words the position/wait announcement).
        """

    async def leave_voicemail(self, queue: str | None, recording: Recording) -> None:
        """Stores a message; with a queue, its agents get it back as a callback task."""

    async def request_callback(self, queue: str, number: str) -> None:
        """Schedules a callback to number by the agents of queue."""

    async def record_survey(self, variable: str, score: int) -> None:
        """Stores a satisfaction score of this call."""

    def now(self) -> datetime:
        """The current time, time-zone aware (business hours, call.hour)."""


WebhookBehaviour = Callable[[str, str, str, int, Mapping[str, str]], Awaitable[Record | None]]


async def http_webhook(
    url: str, method: str, key: str, timeout_ms: int, headers: Mapping[str, str]
) -> Record | None:
    """Calls a tenant webhook over HTTP: GET ?key=…, or POST {"key": …} as JSON.

    A JSON object is the record; 404 or a JSON null means not found; anything else is an error. The
    blocking request runs in a thread with its own socket timeout, so a cancelled wait leaves no thread
    behind for long. (At thousands of calls an async HTTP client should replace the thread pool.)
    """
    return await asyncio.to_thread(_http_webhook_blocking, url, method, key, timeout_ms, dict(headers))


#: A lookup answers one record: a larger answer is a misconfigured URL, not data to parse.
WEBHOOK_MAX_BYTES = 256 * 1024


def _http_webhook_blocking(
    url: str, method: str, key: str, timeout_ms: int, headers: dict[str, str]
) -> Record | None:
    # platform.egress checks the URL (SSRF), connects to the checked address, never follows a redirect
    # (which would re-send the tenant's headers elsewhere) and bounds the answer's size and time.
    data = None
    if method == "POST":
        data = json.dumps({"key": key}).encode()
        headers.setdefault("Content-Type", "application/json")
    else:
        url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode({'key': key})}"
    headers.setdefault("Accept", "application/json")
    response = egress.fetch(url, method=method, body=data, headers=headers, timeout=timeout_ms / 1000,
                            max_bytes=WEBHOOK_MAX_BYTES)
    if response.status == 404:
        return None
    if not response.ok:
        raise egress.EgressError(f"webhook answered HTTP {response.status} {response.reason}")
    body = response.body
    if not body.strip():
        return None
    record = json.loads(body)
    if record is None:
        return None
    if not isinstance(record, dict):
        raise ValueError(f"webhook returned {type(record).__name__}, not a JSON object")
    return record


def webhook_records(records: Mapping[str, Record]) -> WebhookBehaviour:
    """A webhook behaviour that answers from a mapping key → record."""

    async def behaviour(url: str, method: str, key: str, timeout_ms: int, headers: Mapping[str, str]):
        return records.get(key)

    return behaviour


def webhook_raising(exc: BaseException) -> WebhookBehaviour:
    """A webhook behaviour that fails with exc (a refused connection, a 500, bad JSON)."""

    async def behaviour(url: str, method: str, key: str, timeout_ms: int, headers: Mapping[str, str]):
        raise exc

    return behaviour


def webhook_hanging() -> WebhookBehaviour:
    """A webhook behaviour that never answers, so only the engine's timeout ends the wait."""

    async def behaviour(url: str, method: str, key: str, timeout_ms: int, headers: Mapping[str, str]):
        await asyncio.Event().wait()

    return behaviour


@dataclass
class InMemoryServices:
    """FlowServices over plain dicts, recording every side effect for assertions and the test call."""

    tables: dict[str, dict[str, Record]] = field(default_factory=dict)
    tickets: dict[str, Record] = field(default_factory=dict)
    customers: dict[str, Record] = field(default_factory=dict)
    webhook: WebhookBehaviour | None = None
    queue_results: dict[str, QueueResult] = field(default_factory=dict)
    fixed_now: datetime | None = None
    sms_sent: list[tuple[str, str]] = field(default_factory=list)
    tickets_created: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    enqueued: list[dict[str, Any]] = field(default_factory=list)
    enqueue_options: list[Mapping[str, Any]] = field(default_factory=list)
    voicemails: list[tuple[str | None, Recording]] = field(default_factory=list)
    callbacks: list[tuple[str, str]] = field(default_factory=list)
    surveys: list[tuple[str, int]] = field(default_factory=list)
    webhook_calls: list[tuple[str, str, str]] = field(default_factory=list)
    #: A LookupCache (lookup_cache.py) shared across runs, as the runtime shares one across calls.
    lookup_cache: Any = None
    urges: list[str] = field(default_factory=list)

    async def lookup_table(self, table: str, key: str) -> Record | None:
        if table not in self.tables:
            raise LookupError(f"no data table {table!r}")
        return self.tables[table].get(key)

    async def lookup_builtin(self, kind: str, key: str, *, caller: str | None = None,
                             code: str | None = None) -> Record | None:
        if kind == "ticket":
            record = self.tickets.get(key)
            if record is None:
                return None
            return self_service.disclose(record, self_service.verified([str(record.get("phone") or "")], caller,
                                                                       code))
        if kind == "customer":
            return self.customers.get(key)
        raise LookupError(f"no built-in source {kind!r}")

    async def call_webhook(
        self, url: str, method: str, key: str, timeout_ms: int, headers: Mapping[str, str]
    ) -> Record | None:
        self.webhook_calls.append((method, url, key))
        behaviour = self.webhook or http_webhook
        return await behaviour(url, method, key, timeout_ms, headers)

    async def urge_ticket(self, number: str, *, caller: str | None = None,
                          code: str | None = None) -> Record | None:
        record = self.tickets.get(number)
        if record is None:
            return None
        if not self_service.verified([str(record.get("phone") or "")], caller, code):
            return {"allowed": False, "reason": "not_owner"}
        self.urges.append(number)
        handler = any(k.endswith("_phone") and k != "phone" and v for k, v in record.items())
        return {"allowed": True, "count": self.urges.count(number), "notified": 1, "handler": handler}

    async def create_ticket(self, form: str, fields: Mapping[str, str], *, urge_open: str | None = None) -> str:
        if urge_open:
            for number, record in self.tickets.items():
                if record.get("form") == form and record.get(urge_open) == fields.get(urge_open) \
                        and record.get("status") not in ("done", "closed", "cancelled"):
                    self.urges.append(number)
                    return number
        number = f"T{len(self.tickets_created) + 1:06d}"
        self.tickets_created.append((form, number, dict(fields)))
        self.tickets[number] = {"number": number, "form": form, "status": "pending", **fields}
        return number

    async def urge_open_ticket(self, form: str, field: str, value: str) -> Record | None:
        for number, record in self.tickets.items():
            if record.get("form") == form and record.get(field) == value \
                    and record.get("status") not in ("done", "closed", "cancelled"):
                self.urges.append(number)
                return {"number": number, "count": self.urges.count(number),
                        "handler": bool(record.get("handler"))}
        return None

    async def send_sms(self, to: str, text: str) -> None:
        self.sms_sent.append((to, text))

    async def enqueue(
        self,
        channel: Channel,
        queue: str,
        *,
        priority: int,
        skills: Sequence[str],
        timeout_seconds: int,
        hold_prompt: RenderedPrompt | None,
        announce_position: bool,
        options: Mapping[str, Any] | None = None,
    ) -> QueueResult:
        self.enqueue_options.append(dict(options or {}))
        self.enqueued.append({
            "queue": queue, "priority": priority, "skills": list(skills),
            "timeout_seconds": timeout_seconds, "announce_position": announce_position,
            "hold_prompt": hold_prompt.text if hold_prompt else None,
        })
        result = self.queue_results.get(queue, QueueResult("answered", agent="agent-1"))
        if result.status == "answered":
            await channel.bridge(f"agent/{result.agent or 'agent'}", timeout_seconds=timeout_seconds)
        return result

    async def leave_voicemail(self, queue: str | None, recording: Recording) -> None:
        self.voicemails.append((queue, recording))

    async def request_callback(self, queue: str, number: str) -> None:
        self.callbacks.append((queue, number))

    async def record_survey(self, variable: str, score: int) -> None:
        self.surveys.append((variable, score))

    def now(self) -> datetime:
        return self.fixed_now or datetime.now(UTC)
