"""The runtime's cache of tracking-webhook answers: per tenant, for the node's cache_seconds, never a failure."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

import pytest
from redis.asyncio import Redis

from hotline.runtime.flow import InMemoryServices, webhook_raising, webhook_records
from hotline.runtime.flow.lookup_cache import LookupCache, RedisLookupCache

from .acd_helpers import REDIS_URL, require_redis
from .flow_helpers import CALL, flow, run_flow

RECORDS = {"7730012345601": {"status": "派送中"}}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _flow(cache_seconds: int) -> dict:
    return flow({
        "start": {"type": "set", "values": {"waybill": "7730012345601"}, "next": "look"},
        "look": {"type": "lookup", "source": {"webhook": {"url": "https://track.example/api",
                                                          "cache_seconds": cache_seconds}},
                 "key": "{{waybill}}", "assign": {"status": "status"}, "found": "found", "not_found": "missing",
                 "error": "failed"},
        "found": {"type": "hangup", "prompt": {"text": "{{status}}"}},
        "missing": {"type": "hangup", "prompt": {"text": "没有"}},
        "failed": {"type": "hangup", "prompt": {"text": "转人工"}},
    }, "start")


def _call(cache: LookupCache, behaviour, tenant: str = "express", cache_seconds: int = 60) -> InMemoryServices:
    services = InMemoryServices(webhook=behaviour, lookup_cache=cache)
    run_flow(_flow(cache_seconds), services=services, call=dataclasses.replace(CALL, tenant=tenant))
    return services


def test_an_answer_is_reused_until_its_seconds_pass() -> None:
    clock = Clock()
    cache = LookupCache(clock=clock)
    assert len(_call(cache, webhook_records(RECORDS)).webhook_calls) == 1
    assert len(_call(cache, webhook_records(RECORDS)).webhook_calls) == 0
    clock.now += 61
    assert len(_call(cache, webhook_records(RECORDS)).webhook_calls) == 1


def test_another_tenant_never_gets_the_answer_of_the_same_url() -> None:
    cache = LookupCache()
    _call(cache, webhook_records(RECORDS), tenant="express")
    assert len(_call(cache, webhook_records({}), tenant="other").webhook_calls) == 1


def test_a_failure_is_never_kept_and_no_cache_seconds_asks_every_time() -> None:
    cache = LookupCache()
    failing = _call(cache, webhook_raising(ConnectionRefusedError("down")))
    assert failing.webhook_calls and len(cache) == 0
    assert len(_call(cache, webhook_records(RECORDS)).webhook_calls) == 1  # asked again after the failure
    assert len(_call(cache, webhook_records(RECORDS), cache_seconds=0).webhook_calls) == 1


def test_the_cache_is_bounded_oldest_first() -> None:
    cache = LookupCache(max_entries=2)
    for key in ("a", "b", "c"):
        cache.put(("t", "u", "GET", key), {"k": key}, 60)
    assert len(cache) == 2 and cache.get(("t", "u", "GET", "a")) == (False, None)
    assert cache.get(("t", "u", "GET", "c")) == (True, {"k": "c"})


def _redis_cache(test, **options):  # type: ignore[no-untyped-def]
    """Runs `test(cache, client)` with a RedisLookupCache on the test Redis under its own prefix."""
    require_redis()
    prefix = f"test:lookup:{uuid.uuid4().hex[:12]}"

    async def main():  # type: ignore[no-untyped-def]
        client = Redis.from_url(REDIS_URL)
        try:
            return await test(RedisLookupCache(client, prefix, **options), client)
        finally:
            keys = [k async for k in client.scan_iter(match=f"{prefix}:*")]
            if keys:
                await client.delete(*keys)
            await client.aclose()

    return asyncio.run(main())


@pytest.mark.redis
def test_runtime_processes_share_answers_through_redis_per_tenant() -> None:
    """Issue 11 QA: the cache was one per process, so a second runtime (or a restarted one) asked the
    tenant's tracking system again; now every process reads the same answers, and tenants stay apart."""

    async def test(cache: RedisLookupCache, client: Redis) -> None:
        other_process = RedisLookupCache(client, cache.prefix)
        key = ("express", "https://track.example/api", "GET", "7730012345601")
        await cache.store(key, {"status": "派送中"}, 60)
        assert await other_process.fetch(key) == (True, {"status": "派送中"})
        assert await other_process.fetch(("other", *key[1:])) == (False, None)
        await cache.store(("express", "u", "GET", "gone"), {"x": 1}, 0)  # no seconds: not kept
        assert await cache.fetch(("express", "u", "GET", "gone")) == (False, None)
        assert 0 < await client.ttl(cache._keys(key)[0]) <= 60

    _redis_cache(test)


@pytest.mark.redis
def test_the_redis_cache_is_bounded_per_tenant_and_skips_huge_answers() -> None:
    async def test(cache: RedisLookupCache, client: Redis) -> None:
        for n in range(5):
            await cache.store(("busy", "u", "GET", str(n)), {"n": n}, 60 + n)
        await cache.store(("quiet", "u", "GET", "1"), {"n": 1}, 60)
        assert await client.zcard(f"{cache.prefix}:busy:index") == 3
        assert (await cache.fetch(("busy", "u", "GET", "0")))[0] is False  # the soonest to expire went first
        assert (await cache.fetch(("busy", "u", "GET", "4")))[0] is True
        assert (await cache.fetch(("quiet", "u", "GET", "1")))[0] is True  # another tenant is untouched
        await cache.store(("busy", "u", "GET", "huge"), {"x": "长" * 40_000}, 60)
        assert (await cache.fetch(("busy", "u", "GET", "huge")))[0] is False

    _redis_cache(test, max_entries_per_tenant=3)


def test_a_cache_that_is_down_is_a_miss_never_a_failed_lookup() -> None:
    """A real client of a Redis that is not there (nothing listens on port 1): the lookup still answers."""
    down = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    services = InMemoryServices(webhook=webhook_records(RECORDS), lookup_cache=RedisLookupCache(down, "p"))
    _result, channel, _ = run_flow(_flow(60), services=services)
    assert len(services.webhook_calls) == 1
    assert channel.heard == ["派送中"]
