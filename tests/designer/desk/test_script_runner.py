"""The outbound script runner in the desk: pages with branches, the contact's fields, answers kept, the
disposition required before wrap-up ends (presence stays refused until then), a callback at the contact's time,
要求不再来电 on the tenant's list, bad input answered in words, another tenant's call a 404 — and once in Chromium."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Campaign, CampaignEntry, Contact, ContactList, DialAttempt, DncEntry
from hotline.platform.outbound import dialing, reasons
from hotline.platform.services import ticket_desk
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD

from .conftest import Browser, DeskWorld, tenant_id

pytestmark = [pytest.mark.redis]
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing, inside the script's windows


def _extension(db: Database, user: int) -> str:
    with db.platform() as session:
        extension = ticket_desk.extension_of(session, user, create=True)
        assert extension is not None
        return extension


def answered_call(db: Database, tenant: int, agent: str, phone: str | None = None) -> tuple[int, int]:
    """A return-visit campaign call the agent took (as the dialer and the runtime record it): (attempt, entry)."""
    phone = phone or f"+86138{uuid.uuid4().int % 100_000_000:08d}"
    with db.tenant(tenant) as session:
        contact_list = ContactList(name=f"l{uuid.uuid4().hex[:8]}", created_by="op")
        session.add(contact_list)
        session.flush()
        contact = Contact(list_id=contact_list.id, phone_e164=phone, name="王五", fields={"ticket_number": "TK-7"})
        session.add(contact)
        campaign = Campaign(name=f"回访{uuid.uuid4().hex[:6]}", script="return_visit", script_version=1,
                            mode="progressive", status="running", contact_list_id=contact_list.id,
                            windows={"timezone": "Asia/Shanghai", "windows": [
                                {"days": ["mon"], "start": "09:00", "end": "12:00"}]}, min_gap_minutes=0)
        session.add(campaign)
        session.flush()
        entry = CampaignEntry(campaign_id=campaign.id, contact_id=contact.id, phone_e164=phone)
        session.add(entry)
        session.flush()
        (order,) = dialing.claim(session, campaign.id, "test", NOW, 1).orders
        dialing.record_answer(session, order.attempt_id, NOW)
        dialing.record_call_end(session, order.attempt_id, NOW + timedelta(minutes=3), agent=agent)
        return order.attempt_id, entry.id


def _attempt(db: Database, tenant: int, attempt_id: int) -> DialAttempt:
    with db.tenant(tenant) as session:
        return session.get(DialAttempt, attempt_id)


def _entry(db: Database, tenant: int, entry_id: int) -> CampaignEntry:
    with db.tenant(tenant) as session:
        return session.get(CampaignEntry, entry_id)


def test_branches_answers_and_the_disposition_gate(desk_world: DeskWorld, db: Database,
                                                    browser_as: Callable[[str, str], Browser]) -> None:
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    agent = _extension(db, desk_world.agent_id)
    attempt, entry = answered_call(db, tenant, agent)
    desk = browser_as(desk_world.agent, world.tenant_a)
    page = desk.get(f"/desk/outbound/{attempt}").get_data(as_text=True)
    assert "王五" in page and "TK-7" in page  # the contact's fields, and {{contact.x}} in what the agent reads
    assert 'data-page="greeting"' in page

    # the agent cannot take calls again before the disposition
    refused = desk.post_json("/desk/api/presence", {"state": "available"})
    assert refused.status_code == 409 and refused.get_json()["outbound"] == f"/desk/outbound/{attempt}"

    # a required question left empty is refused in words; nothing moves on
    bad = desk.post(f"/desk/outbound/{attempt}", {"page": "greeting", "answers": "{}", "action": "next"})
    assert bad.status_code == 400 and "接听人" in bad.get_data(as_text=True)
    # "not convenient now" branches to the reschedule page
    later = desk.post(f"/desk/outbound/{attempt}", {"page": "greeting", "answers": "{}", "action": "next",
                                                    "reached": "self", "convenient": "later"})
    assert later.status_code == 200 and 'data-page="reschedule"' in later.get_data(as_text=True)
    # a callback needs the time the contact chose
    no_time = desk.post(f"/desk/outbound/{attempt}", {"page": "reschedule", "answers": '{"reached": "self", '
                                                      '"convenient": "later"}', "action": "finish",
                                                      "disposition": "callback_later"})
    assert no_time.status_code == 400 and "回访时间" in no_time.get_data(as_text=True)
    done = desk.post(f"/desk/outbound/{attempt}", {"page": "reschedule", "answers": '{"reached": "self", '
                                                   '"convenient": "later"}', "action": "finish",
                                                   "disposition": "callback_later",
                                                   "callback_at": "2026-11-24T15:30"})
    assert done.status_code == 302
    row = _attempt(db, tenant, attempt)
    assert row.disposition == "callback_later" and row.answers["convenient"] == "later"
    back = _entry(db, tenant, entry)
    assert back.state == "pending" and back.preferred_agent == agent
    assert back.next_attempt_at == datetime(2026, 11, 24, 7, 30, tzinfo=UTC)  # 15:30 Beijing
    assert desk.post_json("/desk/api/presence", {"state": "available"}).status_code == 200


def test_do_not_call_and_another_tenants_call(desk_world: DeskWorld, db: Database,
                                              browser_as: Callable[[str, str], Browser]) -> None:
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    agent = _extension(db, desk_world.agent_id)
    phone = f"+86138{uuid.uuid4().int % 100_000_000:08d}"
    attempt, entry = answered_call(db, tenant, agent, phone)
    desk = browser_as(desk_world.agent, world.tenant_a)
    response = desk.post(f"/desk/outbound/{attempt}", {"page": "greeting", "answers": "{}", "action": "finish",
                                                       "reached": "self", "convenient": "dnc", "disposition": "dnc"})
    assert response.status_code == 302
    assert _entry(db, tenant, entry).state == "closed"
    with db.tenant(tenant) as session:
        assert session.scalar(select(DncEntry).where(DncEntry.phone_e164 == phone)) is not None
    # the same agent signed in to tenant B cannot open tenant A's call
    other = tenant_id(db, world.tenant_b)
    theirs, _ = answered_call(db, tenant, agent)
    shared = browser_as(desk_world.shared, world.tenant_b)
    assert shared.get(f"/desk/outbound/{theirs}").status_code == 404
    assert other != tenant


@pytest.mark.browser
def test_the_agent_follows_the_script_and_ends_the_wrap_up_in_chromium(
        desk_app, desk_world: DeskWorld, db: Database, serve, page) -> None:
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    attempt, entry = answered_call(db, tenant, _extension(db, desk_world.agent_id))
    base = serve(desk_app)
    page.goto(f"{base}/login?next=/desk/outbound/{attempt}")
    page.fill("input[name=username]", desk_world.agent)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#script-page[data-page=greeting]")
    assert "王五" in page.inner_text("#contact-fields")
    page.check("input[name=reached][value=self]")
    page.check("input[name=convenient][value=yes]")
    page.click("#next-page")
    page.wait_for_selector("#script-page[data-page=resolution]")
    page.check("input[name=solved][value=yes]")
    page.select_option("#disposition", "completed")
    page.click("#finish")
    page.wait_for_selector("#wrap-up-done")
    assert "回访完成" in page.inner_text("#wrap-up-done")  # the label, never the code
    screenshot(page, "desk-outbound-script")
    row = _attempt(db, tenant, attempt)
    assert row.disposition == "completed" and row.answers == {"reached": "self", "convenient": "yes",
                                                               "solved": "yes"}
    assert _entry(db, tenant, entry).state == "done"


def test_a_call_never_answered_needs_only_a_disposition(desk_world: DeskWorld, db: Database,
                                                        browser_as: Callable[[str, str], Browser]) -> None:
    """QA 13 #8: a busy preview call's wrap-up demanded the script's required answers."""
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    agent = _extension(db, desk_world.agent_id)
    attempt, _entry_id = answered_call(db, tenant, agent)
    with db.tenant(tenant) as session:  # as a busy call: never answered
        row = session.get(DialAttempt, attempt)
        row.answered_at, row.outcome, row.disposition = None, "busy", None
    desk = browser_as(desk_world.agent, world.tenant_a)
    done = desk.post(f"/desk/outbound/{attempt}", {"page": "greeting", "answers": "{}", "action": "finish",
                                                   "disposition": "dnc"})
    assert done.status_code == 302, done.get_data(as_text=True)[:500]
    assert _attempt(db, tenant, attempt).disposition == "dnc"


def test_a_refused_answers_ticket_is_told_in_the_agents_language(desk_world: DeskWorld, db: Database,
                                                                 browser_as: Callable[[str, str], Browser]) -> None:
    """Issue 13, 13c #1: the refusal is stored as a code (reasons.py); the desk words it, old rows' sentences too."""
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    agent = _extension(db, desk_world.agent_id)
    desk = browser_as(desk_world.agent, world.tenant_a)
    for stored in (reasons.coded("reason.ticket_refused", form="complaint", findings=["/details: required"]),
                   "ticket not created (complaint): /details: required"):
        attempt, _entry_id = answered_call(db, tenant, agent)
        with db.tenant(tenant) as session:
            row = session.get(DialAttempt, attempt)
            row.disposition, row.reason = "completed", stored
        page = desk.get(f"/desk/outbound/{attempt}?lang=zh_CN").get_data(as_text=True)
        assert 'id="attempt-reason"' in page and "未能按通话回答创建工单: /details: required" in page, stored
        assert "reason.ticket_refused" not in page
