"""The runtime's dispatch rules in memory: a call no rule fires for costs no database read, and a publish of
the tenant's dispatch rules reaches a running runtime over Redis pub/sub (real Redis and database)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
import redis.asyncio as aioredis

from hotline.platform.db import Database
from hotline.platform.dispatch.rule_cache import RULES
from hotline.platform.services.documents import DocumentService
from hotline.runtime.call import dispatch_hook

from ...conftest import REDIS_URL
from ..e2e_helpers import _attach_redis_sink, clone, require_redis, run, wait_until

pytestmark = [pytest.mark.redis]


def test_rules_are_cached_until_a_publish_and_a_call_no_rule_fires_for_reads_nothing(db: Database) -> None:
    require_redis()
    _attach_redis_sink(db)  # publishes go out on Redis, as the platform's notifier does in production
    tenant_id = clone(db, "express_delivery", f"rules-{uuid.uuid4().hex[:8]}", [f"4006{uuid.uuid4().int % 10**6:06d}"])
    plain = {"uuid": "c1", "queue": "general", "caller": "13801234501", "customer": {}, "var": {}}

    def publish_vip_rule() -> None:
        with db.tenant(tenant_id) as session:
            service = DocumentService(session, "test")
            service.create("dispatch", "zz_everyone", {"rules": [
                {"name": "everyone_to_complaint", "event": "call.entered_queue",
                 "actions": [{"type": "route_to_queue", "queue": "complaint", "priority": 8}]}]})
            service.publish("dispatch", "zz_everyone")

    async def scenario():
        client = aioredis.Redis.from_url(REDIS_URL)
        ready = asyncio.Event()
        listener = asyncio.create_task(dispatch_hook.follow_publishes(client, ready))
        try:
            await asyncio.wait_for(ready.wait(), 5)
            assert RULES.live
            loads = RULES.loads
            first = await dispatch_hook.route(db, tenant_id, plain, "general", 5, ())
            second = await dispatch_hook.route(db, tenant_id, {**plain, "uuid": "c2"}, "general", 5, ())
            after_two = RULES.loads - loads
            await asyncio.to_thread(publish_vip_rule)
            await wait_until(lambda: RULES.get(db, tenant_id) is None, what="the publish to drop the cached rules")
            third = await dispatch_hook.route(db, tenant_id, {**plain, "uuid": "c3"}, "general", 5, ())
            return first, second, after_two, third
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
            await client.aclose()

    first, second, after_two, third = run(scenario())
    assert (first.queue, first.rules) == ("general", ()) and (second.queue, second.rules) == ("general", ())
    assert after_two == 1  # read once for both calls; the second came from memory
    assert (third.queue, third.priority, third.rules) == ("complaint", 8, ("everyone_to_complaint",))
    assert not RULES.live  # the listener stopped: the cache is no longer trusted


