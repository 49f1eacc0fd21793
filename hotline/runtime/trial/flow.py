"""The flow side of an interactive test call: what it runs, and the real call handler, watched.

The route is pinned to the chosen IVR body (the draft or a published version) instead of being looked up
by the dialled number; the handler is the runtime's CallHandler, with the flow engine's channel and
services wrapped so that every prompt is noted (with its catalogue name, for the audio link) and the
services that would leave traces outside the test call (tickets, SMS, the call record) only pretend.
`LiveCall` is what the API shows. See session.py for the design.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ...platform import prompt_storage
from ...platform.db import Database
from ...platform.models import DID, Prompt, Tenant
from ...platform.services.documents import DRAFT, DocumentService
from ...platform.services.errors import NotFound
from ...platform.tenant_zone import tenant_calendar
from ...platform.url_guard import AllowList, UnsafeUrl, check_url
from ..acd import Acd
from ..call.handler import CallHandler
from ..call.routing import Route, RouteCache
from ..flow import CallInfo, FlowEngine
from ..flow.channel import RenderedPrompt
from ..flow.trace import jsonable
from .entry import Asking
from .mocks import LookupMock

if TYPE_CHECKING:
    from .switch import KeypadCaller

WAITING, RUNNING, ENDED = "waiting_input", "running", "ended"


# -- what the call runs ------------------------------------------------------------------------------------------


def pinned_route(db: Database, tenant_id: int, ivr_name: str, version: int | str, did: str | None,
                 prompt_root: Path | None = None) -> Route:
    """The route a test call runs: the IVR body of `version` ("draft" or a number), the tenant's prompt
    catalogue and settings, and the dialled number (given, the tenant's first DID for this IVR, or a
    placeholder)."""
    with db.tenant(tenant_id) as session:
        tenant = session.get(Tenant, tenant_id)
        if tenant is None:
            raise NotFound("tenant not found")
        service = DocumentService(session, "test-call")
        body = service.body("ivr", ivr_name, version)
        number = did or session.scalar(select(DID.number).where(DID.ivr == ivr_name).order_by(DID.number)) \
            or "4000000000"
        prompts = prompt_storage.catalogue(prompt_root or prompt_storage.default_root(), tenant_id,
                                           session.scalars(select(Prompt)))
        return Route(tenant_id=tenant_id, tenant=tenant.slug, did=number, ivr_name=ivr_name,
                     version=None if version == DRAFT else int(version), body=body,
                     settings=dict(tenant.settings), prompts=prompts)


class PinnedRoutes(RouteCache):
    """Every number dialled in this test call runs the one pinned route."""

    def __init__(self, db: Database, route: Route) -> None:
        super().__init__(db)
        self.pinned = route

    async def route(self, did: str) -> Route:
        return self.pinned


# -- the live call's record, filled from the loop ---------------------------------------------------------------


@dataclass
class LiveCall:
    """One test call as the API shows it. Mutated only on the manager's loop."""

    id: str
    tenant_id: int
    owner: str
    ivr_name: str
    version: int | str
    caller: str
    did: str
    nodes: Mapping[str, Any] = field(default_factory=dict)
    status: str = RUNNING
    prompts: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    #: The call services' own list (queues, voicemails, callbacks, survey scores), shared live.
    service_events: list[dict[str, Any]] = field(default_factory=list)
    record: dict[str, Any] | None = None
    engine: FlowEngine | None = None
    error: str | None = None
    last_touch: float = field(default_factory=time.monotonic)
    ended_at: float | None = None
    waiting: asyncio.Event = field(default_factory=asyncio.Event)
    caller_side: KeypadCaller | None = None
    task: asyncio.Task[Any] | None = None
    #: The node asking for keys right now (None between asks) and how many keys it already holds.
    asking: Asking | None = None
    typed: int = 0
    #: Lookup answers chosen for this call only (node id → mock; mocks.py), never stored.
    mocks: Mapping[str, LookupMock] = field(default_factory=dict)

    def heard(self, prompt: RenderedPrompt) -> None:
        node = self.engine.ctx.node_id if self.engine is not None else None
        self.prompts.append({"node": node, "text": prompt.text,
                             "prompt": prompt.name if prompt.file else None})

    def event(self, kind: str, **details: Any) -> None:
        node = self.engine.ctx.node_id if self.engine is not None else None
        self.events.append({"type": kind, "node": node, **details})

    def current_node(self) -> str | None:
        if self.status == ENDED:
            return (self.record or {}).get("trace", {}).get("node") or (
                self.engine.ctx.node_id if self.engine is not None else None)
        return self.engine.ctx.node_id if self.engine is not None else None

    def current_type(self) -> str | None:
        if self.engine is None or self.engine.ctx.node_id is None:
            return None
        node = self.nodes.get(self.engine.ctx.node_id)
        return node.get("type") if isinstance(node, Mapping) else None

    def snapshot(self) -> dict[str, Any]:
        trace = self.engine.trace if self.engine is not None else None
        record = self.record or {}
        variables = dict(self.engine.ctx.variables) if self.engine is not None else {}
        events = [*self.events, *self.service_events]
        errors = list(trace.errors) if trace is not None else (record.get("trace") or {}).get("errors", [])
        return {
            "id": self.id, "status": self.status, "ivr": self.ivr_name, "version": self.version,
            "caller": self.caller, "did": self.did, "current_node": self.current_node(),
            "prompts": [dict(p) for p in self.prompts],
            "path": list(trace.path) if trace is not None else [],
            # Which way each step went (its next node, the last key pressed, None for a time-out, and the node's
            # facts: open, found, branch), so the panel says 营业时间内 / 按键 1 / 未找到 / 超时 beside the path.
            "steps": [_way(step) for step in trace.steps] if trace is not None else [],
            "variables": jsonable(variables),
            "outcome": record.get("outcome") if self.status == ENDED else None,
            "events": jsonable(events), "errors": jsonable(errors), "failure": self.error,
        }


#: The facts of a step that say which way it went (the rest of `info` — a lookup's key, an SMS — stays out).
_WAY_FACTS = ("open", "found", "branch", "retries_exhausted")


def _way(step: Mapping[str, Any]) -> dict[str, Any]:
    """One step of the trace as the path shows it: the node, where it went, the last key pressed, the facts."""
    info = step.get("info") or {}
    digits = step.get("digits") or []
    return jsonable({"node": step.get("node"), "next": step.get("next"),
                     "key": digits[-1] if digits else "", "facts": {k: info[k] for k in _WAY_FACTS if k in info}})


# -- the flow side: the real call handler, watched --------------------------------------------------------------


class _WatchedChannel:
    """The call's ESL channel, noting each prompt (with its catalogue name) as the flow plays it."""

    def __init__(self, inner: Any, live: LiveCall) -> None:
        self._inner, self._live = inner, live

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def play(self, prompt: RenderedPrompt) -> None:
        self._live.heard(prompt)
        await self._inner.play(prompt)

    async def collect(self, prompt: RenderedPrompt | None, **kwargs: Any) -> str | None:
        if prompt is not None:
            self._live.heard(prompt)
        live = self._live
        node = live.engine.ctx.node_id if live.engine is not None else None
        spec = live.nodes.get(node) if node else None
        label = (spec.get("label") if isinstance(spec, Mapping) else None) or node or ""
        # what the node really asks for: an entry it would not take whole is refused (entry.py)
        live.asking = Asking(node or "", label, int(kwargs.get("max_digits", 1)), kwargs.get("terminator") or "")
        live.typed = 0
        try:
            return await self._inner.collect(prompt, **kwargs)
        finally:
            live.asking, live.typed = None, 0


class _DryRunServices:
    """The call's real services, except the ones that would leave traces outside the test call."""

    def __init__(self, inner: Any, live: LiveCall, allow: AllowList) -> None:
        self._inner, self._live, self._allow = inner, live, allow
        self._tickets = itertools.count(1)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def create_ticket(self, form: str, fields: Mapping[str, str], **_options: Any) -> str:
        number = f"TEST-{next(self._tickets)}"
        self._live.event("ticket", form=form, fields=dict(fields), number=number, dry_run=True)
        return number

    async def urge_open_ticket(self, form: str, field: str, value: str) -> None:
        return None  # a test call's tickets are not stored, so no open ticket is ever urged

    async def send_sms(self, to: str, text: str) -> None:
        self._live.event("sms", to=to, text=text, dry_run=True)

    async def urge_ticket(self, number: str, *, caller: str | None = None,
                          code: str | None = None) -> dict[str, Any] | None:
        # the owner check is real (a stranger is refused as on a real call: QA of issue 11, item 3)
        preview = getattr(self._inner, "urge_preview", None)
        result = await preview(number, caller=caller, code=code) if preview else \
            {"allowed": True, "count": 1, "notified": 0, "handler": True}
        if result and result.get("allowed"):
            self._live.event("urge", number=number, dry_run=True)
        return result

    # -- lookups: a node with a mock is answered by it (mocks.py), every other one queries for real --------
    def _mock(self) -> tuple[LookupMock, Mapping[str, Any]] | None:
        engine = self._live.engine
        node_id = engine.ctx.node_id if engine is not None else None
        mock = self._live.mocks.get(node_id) if node_id else None
        if mock is None:
            return None
        node = self._live.nodes.get(node_id) or {}
        self._live.event("mock", **mock.event())
        return mock, node

    @property
    def lookup_cache(self) -> Any:
        # a mocked answer is never read from nor written to the webhook cache shared with real calls
        engine = self._live.engine
        node_id = engine.ctx.node_id if engine is not None else None
        return None if node_id in self._live.mocks else getattr(self._inner, "lookup_cache", None)

    async def lookup_table(self, table: str, key: str) -> Any:
        mocked = self._mock()
        return mocked[0].answer(mocked[1]) if mocked else await self._inner.lookup_table(table, key)

    async def lookup_builtin(self, kind: str, key: str, **owner: Any) -> Any:
        mocked = self._mock()
        return mocked[0].answer(mocked[1]) if mocked else await self._inner.lookup_builtin(kind, key, **owner)

    async def call_webhook(self, url: str, method: str, key: str, timeout_ms: int,
                           headers: Mapping[str, str]) -> Any:
        mocked = self._mock()
        if mocked:
            return mocked[0].answer(mocked[1])
        try:
            await asyncio.to_thread(check_url, url, self._allow)
        except UnsafeUrl as exc:
            self._live.event("webhook_refused", url=url, reason=str(exc))
            raise
        return await self._inner.call_webhook(url, method, key, timeout_ms, headers)


class TestCallHandler(CallHandler):
    """CallHandler with the flow watched and no call record written (see the module docstring)."""

    __test__ = False  # not a pytest test class, whatever its name says

    def __init__(self, db: Database, routes: RouteCache, acd: Acd, live: LiveCall, allow: AllowList,
                 at: datetime | None = None) -> None:
        if at is None:
            super().__init__(db, routes, acd)
        else:  # "pretend it is then": business hours are tested by the clock the flow reads
            started, real = at, time.monotonic()
            super().__init__(db, routes, acd, clock=lambda: started + timedelta(seconds=time.monotonic() - real))
        self.live, self.allow = live, allow

    async def _run_flow(self, route: Route, channel: Any, services: Any, call: CallInfo,
                        running: dict[str, Any] | None = None) -> dict[str, Any]:
        # Mirrors CallHandler._run_flow; only the channel and services handed to the engine are wrapped.
        running = {} if running is None else running
        customer = await asyncio.to_thread(self._customer, route.tenant_id, call.caller)
        running["customer"] = customer
        await channel.start()
        assert route.body is not None
        engine = FlowEngine(route.body, _WatchedChannel(channel, self.live),
                            _DryRunServices(services, self.live, self.allow), call, customer,
                            tenant_calendar(route.settings),
                            allowed_transfer_numbers=route.settings.get("transfer_allow_list", ()),
                            prompts=route.prompts)
        running["engine"] = engine  # a test call cut by a shutdown is recorded like a live one
        self.live.engine = engine
        self.live.service_events = services.events
        result = await engine.run()
        return {"outcome": result.outcome, "trace": result.trace.to_dict(),
                "customer_id": (customer or {}).get("id"), "variables": result.variables}

    async def _save(self, tenant_id: int, record: dict[str, Any]) -> None:
        self.live.record = record
