"""The in-memory dispatch rules: `could_route` says "no rule can fire" only when `route_call` would return
None and log nothing, and the cache drops a tenant's rules on a publish of its dispatch documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from hotline.platform.db import Database
from hotline.platform.dispatch.call_events import could_route, route_call
from hotline.platform.dispatch.rule_cache import RuleCache, may_fire
from hotline.platform.models import RuleFiring
from hotline.platform.services import templates
from hotline.platform.services.documents import DocumentService

Unique = Callable[[str], str]


@pytest.fixture
def tenant_id(db: Database, unique: Unique) -> int:
    with db.platform() as session:
        tid = templates.clone(session, templates.load("express_delivery"), unique("cache"), None, "test").id
    with db.tenant(tid) as session:  # a rule whose condition cannot be evaluated ("in" needs a list)
        service = DocumentService(session, "test")
        service.create("dispatch", "zz_odd", {"rules": [
            {"name": "menu_nine", "event": "call.entered_queue",
             "when": {"field": "var.menu", "op": "eq", "value": "9"},
             "actions": [{"type": "route_to_queue", "queue": "complaint", "priority": 8}]},
            {"name": "disabled", "event": "call.entered_queue", "enabled": False,
             "actions": [{"type": "route_to_queue", "queue": "complaint", "priority": 1}]}]})
        service.publish("dispatch", "zz_odd")
    return tid


CALLS: list[dict[str, Any]] = [
    {"queue": "general", "caller": "13801234501"},
    {"queue": "general", "caller": "13801234501", "customer": {"monthly_settlement": True}},
    {"queue": "complaint", "caller": "13801234502"},
    {"queue": "general", "caller": "13801234503", "var": {"menu": "9"}},
    {"queue": "general", "caller": "13801234504", "var": {"menu": "2"}, "customer": {"vip": True}},
    {"queue": "general"},
]


def test_could_route_is_false_exactly_when_route_call_decides_and_logs_nothing(db: Database, tenant_id: int) -> None:
    cache = RuleCache()
    rules = cache.load(db, tenant_id)
    assert rules and cache.get(db, tenant_id) == rules
    seen = []
    for i, call in enumerate(CALLS):
        uuid = f"rc{tenant_id}-{i}"
        with db.tenant(tenant_id) as session:
            decision = route_call(session, tenant_id, {**call, "uuid": uuid})
        with db.tenant(tenant_id) as session:
            logged = session.scalar(select(func.count()).select_from(RuleFiring).where(RuleFiring.call_uuid == uuid))
        assert could_route(rules, {**call, "uuid": uuid}) == (decision is not None or logged > 0), call
        seen.append(decision is not None)
    assert True in seen and False in seen  # both kinds of call were tried


def test_a_condition_that_cannot_be_evaluated_goes_to_the_engine() -> None:
    rule = {"name": "odd", "event": "call.entered_queue", "when": {"field": "call.queue", "op": "in", "value": 3}}
    assert may_fire([rule], "call.entered_queue", {"call": {"queue": "general"}})
    assert not may_fire([rule], "ticket.created", {"call": {"queue": "general"}})
    assert may_fire([{"name": "always", "event": "call.entered_queue"}], "call.entered_queue", {})


def test_publishing_dispatch_rules_drops_the_tenants_entry_only(db: Database, tenant_id: int, unique: Unique) -> None:
    with db.platform() as session:
        other = templates.clone(session, templates.load("express_delivery"), unique("cache2"), None, "test").id
    cache = RuleCache()
    cache.load(db, tenant_id)
    cache.load(db, other)
    cache.on_event({"type": "document.published", "tenant_id": tenant_id, "kind": "ivr", "name": "main"})
    assert cache.get(db, tenant_id) is not None
    cache.on_event({"type": "document.published", "tenant_id": tenant_id, "kind": "dispatch", "name": "x"})
    assert cache.get(db, tenant_id) is None and cache.get(db, other) is not None
    cache.on_event({"type": "document.published", "kind": "dispatch"})  # whose? drop everything
    assert cache.get(db, other) is None


def test_a_publish_during_a_load_is_not_overwritten_by_the_old_rules(db: Database, tenant_id: int,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    cache = RuleCache()
    from hotline.platform.dispatch import rule_cache

    real = rule_cache.published_rules

    def slow(session):  # the publish event arrives while the old rules are being read
        found = real(session)
        cache.invalidate(tenant_id)
        return found

    monkeypatch.setattr(rule_cache, "published_rules", slow)
    cache.load(db, tenant_id)
    assert cache.get(db, tenant_id) is None


def test_entries_expire_and_a_new_listener_starts_empty(db: Database, tenant_id: int) -> None:
    cache = RuleCache(max_age_seconds=0)
    cache.load(db, tenant_id)
    assert cache.get(db, tenant_id) is None
    cache = RuleCache()
    assert not cache.live
    cache.load(db, tenant_id)
    cache.listening(+1)
    assert cache.live and cache.get(db, tenant_id) is None
    cache.listening(-1)
    assert not cache.live
