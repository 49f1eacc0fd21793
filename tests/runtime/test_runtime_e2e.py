"""Calls over real TCP: the simulator (FreeSWITCH's wire protocol) → the runtime → the published IVR,
with real Redis and a real database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Notification, Ticket
from hotline.runtime.simswitch import SILENCE, CallerScript

from .e2e_helpers import CLOSED, call_record, clone, require_redis, run, stack

pytestmark = [pytest.mark.redis]
EXPRESS_DID = "4008001001"


@pytest.fixture(scope="module")
def express(db: Database) -> int:
    require_redis()
    return clone(db, "express_delivery", "e2e-express", [EXPRESS_DID])


def test_tracking_query_plays_the_waybill_status(db: Database, express: int) -> None:
    async def scenario():
        async with stack(db) as s:
            return await s.switch.place_call(CallerScript(
                did=EXPRESS_DID, caller="13700000000", presses=["1", "7730012345601#", SILENCE, SILENCE]))

    record = run(scenario())
    heard = "\n".join(record.prompts)
    assert "派送中" in heard and "北京朝阳望京网点" in heard, heard
    assert "7730012345601" in heard
    cdr = call_record(db, express, record.uuid)
    assert cdr.ivr_document == "main" and cdr.ivr_version == 1
    visited = [step["node"] for step in cdr.trace["steps"]]
    assert visited[:5] == ["business_hours", "welcome", "vip_check", "main_menu", "track_collect"]
    assert "track_result" in visited
    menu = next(step for step in cdr.trace["steps"] if step["node"] == "track_menu")
    assert menu["digits"] == [None, None]  # silence, not the waybill of the previous prompt


def test_closed_hours_take_the_closed_path(db: Database, express: int) -> None:
    async def scenario():
        async with stack(db, clock=CLOSED) as s:
            return await s.switch.place_call(CallerScript(did=EXPRESS_DID, caller="13700000001",
                                                          presses=["9", SILENCE, SILENCE, SILENCE]))

    record = run(scenario())
    cdr = call_record(db, express, record.uuid)
    visited = [step["node"] for step in cdr.trace["steps"]]
    assert visited[:3] == ["business_hours", "closed_notice", "closed_menu"]


def test_pickup_creates_a_ticket_and_sends_an_sms(db: Database, express: int) -> None:
    async def scenario():
        async with stack(db) as s:  # 13801234501 is a known customer with an address
            return await s.switch.place_call(CallerScript(did=EXPRESS_DID, caller="13801234501",
                                                          presses=["2", "1", "1"]))

    record = run(scenario())
    with db.tenant(express) as session:
        ticket = session.scalar(select(Ticket).where(Ticket.form_name == "pickup_order")
                                .order_by(Ticket.id.desc()))
        assert ticket.data["phone"] == "13801234501" and ticket.data["pickup_time"] == "今天18:00前"
        sms = session.scalar(select(Notification).where(Notification.origin["call"].as_string() == record.uuid))
        assert sms is not None and ticket.number in sms.body and sms.status == "sent"
