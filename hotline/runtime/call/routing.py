"""From a dialled number to what the call runs: the tenant, its published IVR version and the data the
flow needs (prompts, calendar, transfer allow-list), cached per process.

A publish anywhere, or a change of the tenant's settings (platform/tenant_events.py), drops the tenant's
entries in every runtime process (Redis pub/sub, see platform/notifier.py); a call in progress holds its
own `Route` object, so it keeps the version it started with.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...platform import prompt_storage, prompt_tts
from ...platform.db import Database
from ...platform.models import DID, Prompt, Tenant
from ...platform.notifier import EVENTS_CHANNEL
from ...platform.prompt_tts import TtsEngine
from ...platform.services.documents import DocumentService
from ...platform.services.errors import NotFound
from ...platform.services.tenants import resolve_did
from ...platform.tenant_events import SETTINGS_CHANGED
from ..flow.nodes.queue import position_text

log = logging.getLogger("hotline.runtime.call.routing")


#: The runtime's own fixed sentences, rendered with the flow's (QA 12: the queue's "you are next" was live TTS).
FIXED_TEXTS: tuple[str, ...] = (position_text(1, None, False),)


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
    #: Static prompt texts rendered to audio files ahead of the call (text → file the switch plays).
    rendered: dict[str, str] = field(default_factory=dict)


#: A cached route is reloaded in the background when older than this, so a publish reaches new calls even when
#: its event could not (the embedded queue stand-in lives in one process; `hotline publish` runs in another).
REVALIDATE_SECONDS = 30.0


class RouteCache:
    """DID → Route, loaded once and kept until a publish of the tenant's IVR (or REVALIDATE_SECONDS pass).

    With a TTS engine (`[prompts] tts`), loading a route renders the flow's static texts and the catalogue's
    text-only prompts to files (platform/prompt_tts.py, cached by content), so the switch plays files;
    a publish reloads the routes it dropped in the background, so the first caller does not wait for it.
    """

    def __init__(self, db: Database, prompt_root: Path | None = None, tts: TtsEngine | None = None) -> None:
        self.db = db
        self.prompt_root = prompt_root or prompt_storage.default_root()
        self.tts = tts
        self._routes: dict[str, Route] = {}
        self._loaded_at: dict[str, float] = {}
        self._warming: set[asyncio.Task[Any]] = set()
        self._refreshing: set[str] = set()
        self.loads = 0

    async def route(self, did: str) -> Route:
        """Raises NotFound for a number no tenant owns."""
        cached = self._routes.get(did)
        if cached is not None:
            if time.monotonic() - self._loaded_at.get(did, 0.0) > REVALIDATE_SECONDS and did not in self._refreshing:
                self._refreshing.add(did)  # this call keeps the cached route; the next ones get the fresh one
                task = asyncio.ensure_future(self._refresh(did))
                self._warming.add(task)
                task.add_done_callback(self._warming.discard)
            return cached
        route = await asyncio.to_thread(self._load, did)
        self._routes[did] = route
        self._loaded_at[did] = time.monotonic()
        return route

    async def _refresh(self, did: str) -> None:
        try:
            route = await asyncio.to_thread(self._load, did)
        except NotFound:
            self._routes.pop(did, None)  # the number was taken away: the next call says so
        except Exception as exc:  # keep serving the cached route; the next revalidation tries again
            log.warning("could not reload the route of %s: %s", did, exc)
        else:
            self._routes[did] = route
        finally:
            self._loaded_at[did] = time.monotonic()
            self._refreshing.discard(did)

    def _load(self, number: str) -> Route:
        self.loads += 1
        with self.db.platform() as session:
            did: DID = resolve_did(session, number)
            tenant_id, ivr_name = did.tenant_id, did.ivr
        with self.db.tenant(tenant_id) as session:
            tenant = session.get(Tenant, tenant_id)
            version, body = _published_ivr(session, ivr_name)
            prompts = prompt_storage.catalogue(self.prompt_root, tenant_id, session.scalars(select(Prompt)))
            rendered = self._render(tenant_id, body, prompts)
            return Route(tenant_id=tenant_id, tenant=tenant.slug, did=did.number, ivr_name=ivr_name,
                         version=version, body=body, settings=dict(tenant.settings), prompts=prompts,
                         rendered=rendered)

    def _render(self, tenant_id: int, body: Any, prompts: dict[str, dict[str, str]]) -> dict[str, str]:
        """Files for the static texts; a text the engine cannot render stays live TTS (logged once)."""
        if self.tts is None:
            return {}
        texts = {*static_texts(body), *(p["text"] for p in prompts.values() if "file" not in p and p.get("text")),
                 *FIXED_TEXTS}
        rendered: dict[str, str] = {}
        for text in sorted(texts)[:MAX_RENDERED]:
            try:
                rendered[" ".join(text.split())] = prompt_tts.render(self.prompt_root, tenant_id, text, self.tts)
            except (prompt_tts.TtsError, OSError) as exc:
                log.warning("tenant %s: prompt not rendered, it will use live TTS: %s", tenant_id, exc)
        return rendered

    def invalidate_tenant(self, tenant_id: int) -> list[str]:
        dropped = [d for d, r in self._routes.items() if r.tenant_id == tenant_id]
        for did in dropped:
            del self._routes[did]
        return dropped

    def on_event(self, payload: dict[str, Any]) -> None:
        """An IVR publish or a change of the tenant's settings (its calendar, its zone) drops its routes."""
        if (payload.get("type") == "document.published" and payload.get("kind") == "ivr") \
                or payload.get("type") == SETTINGS_CHANGED:
            dropped = self.invalidate_tenant(int(payload["tenant_id"]))
            if self.tts is not None:
                for did in dropped:  # render the new version's prompts now, not during a call
                    task = asyncio.ensure_future(self._warm(did))
                    self._warming.add(task)
                    task.add_done_callback(self._warming.discard)

    async def _warm(self, did: str) -> None:
        try:
            await self.route(did)
        except Exception as exc:  # the next call loads it again and says what is wrong
            log.warning("could not preload the route of %s after a publish: %s", did, exc)

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


MAX_RENDERED = prompt_tts.MAX_RENDERED
static_texts = prompt_tts.static_texts  # the platform renders the same texts when a version is published


def _published_ivr(session: Session, name: str) -> tuple[int | None, dict[str, Any] | None]:
    try:
        version = DocumentService(session, "runtime").published("ivr", name)
    except NotFound:
        return None, None
    return version.number, version.body
