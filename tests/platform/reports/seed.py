"""Seeded calls and tickets for the report tests, each with the figure it must produce written beside it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, Queue
from hotline.platform.services.tenants import create_tenant

#: Monday 9 March 2026, 10:00 in Shanghai (02:00 UTC): the seeded day.
DAY_START_UTC = datetime(2026, 3, 8, 16, 0, tzinfo=UTC)
T10 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)


def make_tenant(db: Database, *, settings: dict[str, Any] | None = None) -> int:
    with db.platform() as session:
        tenant = create_tenant(session, f"r{uuid.uuid4().hex[:8]}", "Report test", "test",
                               settings={"timezone": "Asia/Shanghai", **(settings or {})})
        session.add(Queue(tenant_id=tenant.id, name="general", label="综合", skills=["general"],
                          service_level_seconds=20, wrap_up_seconds=10))
        session.add(Queue(tenant_id=tenant.id, name="vip", label="VIP", skills=["vip"],
                          service_level_seconds=10, wrap_up_seconds=0))
        return tenant.id


def call(started: datetime, *, queue: str | None = "general", wait: int | None = None, talk: float | None = None,
         outcome: str = "completed", steps: list[dict[str, Any]] | None = None,
         events: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    answered = started + timedelta(seconds=(wait or 0) + 30) if talk is not None else None
    return {"uuid": uuid.uuid4().hex, "did": extra.pop("did", "4008000001"), "caller": "13800000000",
            "started_at": started, "answered_at": answered,
            "ended_at": (answered + timedelta(seconds=talk)) if answered else started + timedelta(seconds=60),
            "queue": queue, "wait_seconds": wait, "outcome": outcome,
            "trace": {"steps": steps or [], "events": events or []}, "ivr_document": "main", "ivr_version": 1,
            **extra}


def add_calls(db: Database, tenant_id: int, calls: list[dict[str, Any]]) -> None:
    with db.tenant(tenant_id) as session:
        for values in calls:
            session.add(CallRecord(**values))


MENU = {"node": "menu", "type": "menu", "digits": ["1"], "next": "track"}
MENU_2 = {"node": "menu", "type": "menu", "digits": ["2"], "next": "to_agent"}
TRACK = {"node": "track", "type": "lookup", "next": "bye"}
BYE = {"node": "bye", "type": "hangup"}
TO_AGENT = {"node": "to_agent", "type": "queue"}


def seeded_calls(t: datetime) -> list[dict[str, Any]]:
    """Ten calls in the 10:00-10:15 interval, one test call, and one call at 10:20 (the next interval).

    general: offered 5, answered 3 (waits 5, 20, 45 → 2 within 20 s), abandoned in the queue 1 (wait 30),
             short abandon 1 (wait 3); handle = talk + 10 s wrap-up: 110, 210, 70 → sum 390, AHT 130
    vip:     offered 1, answered 1 (wait 12 > 10 s target), handle 50 + 0 = 50
    IVR:     abandoned in the IVR 2 (hung up at the menu; at the lookup), self-service 1 (ended at "bye"),
             transferred 1
    callbacks 1, survey scores 5 and 2
    """
    m = timedelta(minutes=1)
    return [
        call(t, wait=5, talk=100, steps=[MENU_2, TO_AGENT], events=[{"type": "survey", "score": 5}]),
        call(t + m, wait=20, talk=200, steps=[MENU_2, TO_AGENT], agent_id=None),
        call(t + 2 * m, wait=45, talk=60, steps=[MENU_2, TO_AGENT], events=[{"type": "survey", "score": 2}]),
        call(t + 3 * m, wait=30, outcome="abandoned", steps=[MENU_2, TO_AGENT]),
        call(t + 4 * m, wait=3, outcome="abandoned", steps=[MENU_2, TO_AGENT],
             events=[{"type": "callback", "queue": "general", "number": "13800000000"}]),
        call(t + 5 * m, queue="vip", wait=12, talk=50, did="4008000002"),
        call(t + 6 * m, queue=None, outcome="caller_hangup", steps=[{"node": "menu", "type": "menu"}]),
        call(t + 7 * m, queue=None, outcome="caller_hangup", steps=[MENU, {"node": "track", "type": "lookup"}]),
        call(t + 8 * m, queue=None, outcome="completed", steps=[MENU, TRACK, BYE]),
        call(t + 9 * m, queue=None, outcome="transferred",
             steps=[{"node": "menu", "type": "menu", "digits": ["0"], "next": "out"},
                    {"node": "out", "type": "transfer"}]),
        call(t + 10 * m, wait=1, talk=10, test_call=True, steps=[MENU_2, TO_AGENT]),  # never counted
        call(t + 20 * m, queue=None, outcome="completed", steps=[MENU, TRACK, BYE]),
    ]
