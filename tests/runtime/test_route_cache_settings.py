"""A tenant's settings change reaches the runtime's route cache at once (tenant-creation QA, item 5).

The route carries the tenant's settings (its calendar and time zone); only an IVR publish dropped it, so after
a zone change a call took the old calendar until the 30-second revalidation: a call at 10:05 New York time took
the "closed" branch. Now any commit that changes `Tenant.settings` emits `tenant.settings_changed`, which the
cache of every runtime process (here: another asyncio task listening on Redis) turns into a drop.
"""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from hotline.platform.db import Database
from hotline.platform.models import Tenant
from hotline.runtime.call import routing

from .e2e_helpers import REDIS_URL, _attach_redis_sink, clone, require_redis, run, wait_until

pytestmark = [pytest.mark.redis]
DID = "4008005091"


@pytest.fixture(scope="module")
def tenant(db: Database) -> int:
    require_redis()
    return clone(db, "express_delivery", "zone-cache-express", [DID])


def set_zone(db: Database, tenant_id: int, zone: str) -> None:
    with db.platform() as session:
        row = session.get(Tenant, tenant_id)
        row.settings = {**(row.settings or {}), "timezone": zone}


def test_a_settings_change_drops_the_route_in_another_process(db: Database, tenant: int) -> None:
    _attach_redis_sink(db)
    cache = routing.RouteCache(db)

    async def scenario() -> tuple[str | None, str | None]:
        client = aioredis.Redis.from_url(REDIS_URL)
        ready = asyncio.Event()
        listener = asyncio.ensure_future(cache.listen(client, ready))
        try:
            await ready.wait()
            await asyncio.to_thread(set_zone, db, tenant, "Asia/Shanghai")
            await wait_until(lambda: DID not in cache._routes, what="first drop")
            before = (await cache.route(DID)).settings.get("timezone")
            await asyncio.to_thread(set_zone, db, tenant, "America/New_York")
            await wait_until(lambda: DID not in cache._routes, what="invalidation on a settings change")
            return before, (await cache.route(DID)).settings.get("timezone")
        finally:
            listener.cancel()
            await asyncio.gather(listener, return_exceptions=True)
            await client.aclose()

    before, after = run(scenario())
    assert (before, after) == ("Asia/Shanghai", "America/New_York")


def test_a_commit_that_leaves_settings_alone_emits_nothing(db: Database, tenant: int) -> None:
    seen: list[dict] = []
    db.notifier.subscribe(seen.append)
    with db.platform() as session:
        session.get(Tenant, tenant).title = "Zone cache express"
    assert not [p for p in seen if p.get("type") == "tenant.settings_changed"]
    set_zone(db, tenant, "Europe/Paris")
    assert {"type": "tenant.settings_changed", "tenant_id": tenant} in seen
