"""From a dialled number to what the call runs: the tenant, its published IVR version and the data the
flow needs (prompts, calendar, transfer allow-list), cached per process.

A publish anywhere drops the tenant's entries in every runtime process (Redis pub/sub, see
platform/notifier.py); a call in progress holds its own `Route` object, so it keeps the version it
started with.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...platform import prompt_storage
from ...platform.db import Database
from ...platform.models import DID, Prompt, Tenant
from ...platform.notifier import EVENTS_CHANNEL
from ...platform.services.documents import DocumentService
from ...platform.services.errors import NotFound
from ...platform.services.tenants import resolve_did

log = logging.getLogger("hotline.runtime.call.routing")


@dataclass(frozen=True)
class Route:
    tenant_id: int
    tenant: str
    did: str
    ivr_name: str
    version: int | None
    body: dict[str, Any] | None
    settings: dict[str, Any] = field(default_factory=dict)
    prompts: dict[str, dict[str, str]] = field(default_factory=dict)


class RouteCache:
    """DID → Route, loaded once and kept until a publish of the tenant's IVR."""

    def __init__(self, db: Database, prompt_root: Path | None = None) -> None:
        self.db = db
        self.prompt_root = prompt_root or prompt_storage.default_root()
        self._routes: dict[str, Route] = {}
        self.loads = 0

    async def route(self, did: str) -> Route:
        """Raises NotFound for a number no tenant owns."""
        cached = self._routes.get(did)
        if cached is not None:
            return cached
        route = await asyncio.to_thread(self._load, did)
        self._routes[did] = route
        return route

    def _load(self, number: str) -> Route:
        self.loads += 1
        with self.db.platform() as session:
            did: DID = resolve_did(session, number)
            tenant_id, ivr_name = did.tenant_id, did.ivr
        with self.db.tenant(tenant_id) as session:
            tenant = session.get(Tenant, tenant_id)
            version, body = _published_ivr(session, ivr_name)
            prompts = prompt_storage.catalogue(self.prompt_root, tenant_id, session.scalars(select(Prompt)))
            return Route(tenant_id=tenant_id, tenant=tenant.slug, did=did.number, ivr_name=ivr_name,
                         version=version, body=body, settings=dict(tenant.settings), prompts=prompts)

    def invalidate_tenant(self, tenant_id: int) -> None:
        for did in [d for d, r in self._routes.items() if r.tenant_id == tenant_id]:
            del self._routes[did]

    def on_event(self, payload: dict[str, Any]) -> None:
        if payload.get("type") == "document.published" and payload.get("kind") == "ivr":
            self.invalidate_tenant(int(payload["tenant_id"]))

    async def listen(self, redis: Any, ready: asyncio.Event | None = None) -> None:
        """Follows platform events on Redis until cancelled."""
        pubsub = redis.pubsub()
        await pubsub.subscribe(EVENTS_CHANNEL)
        if ready is not None:
            ready.set()
        try:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    try:
                        self.on_event(json.loads(message["data"]))
                    except (ValueError, KeyError, TypeError):
                        log.warning("ignoring a malformed platform event: %r", message.get("data"))
        finally:
            await pubsub.aclose()


def _published_ivr(session: Session, name: str) -> tuple[int | None, dict[str, Any] | None]:
    try:
        version = DocumentService(session, "runtime").published("ivr", name)
    except NotFound:
        return None, None
    return version.number, version.body
