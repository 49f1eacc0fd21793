"""The runtime's cache of tracking-webhook answers: per tenant, for the node's cache_seconds, never a failure."""

from __future__ import annotations

import dataclasses

from hotline.runtime.flow import InMemoryServices, webhook_raising, webhook_records
from hotline.runtime.flow.lookup_cache import LookupCache

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
