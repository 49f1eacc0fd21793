"""Preview dialling on the desk (issue 13, item 1): the next contact and the script's opening page, 跳过 with a
reason recorded on the attempt, 拨打 handing the order to the dialer through Redis and opening the script runner;
a missing reason answered in words, another tenant's contact a 404 — and end to end in Chromium."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import redis
from flask import Flask
from sqlalchemy import select

from hotline.designer.sessions import CLOCK
from hotline.platform.db import Database
from hotline.platform.models import Campaign, CampaignEntry, Contact, ContactList, DialAttempt
from hotline.platform.services import ticket_desk
from hotline.runtime.acd import AcdKeys
from hotline.runtime.dialer import preview_orders
from tests.browser import screenshot
from tests.conftest import REDIS_URL
from tests.designer.conftest import PASSWORD

from .conftest import Browser, DeskWorld, run_acd, tenant_id

pytestmark = [pytest.mark.redis]
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing, inside the windows


@pytest.fixture
def preview_app(desk_app: Flask) -> Flask:
    desk_app.extensions[CLOCK] = lambda: NOW
    return desk_app


def _preview_campaign(db: Database, tenant: int, *names: str) -> tuple[int, list[int]]:
    """A running preview campaign of the return-visit script for the express_general skill: (id, entry ids)."""
    with db.tenant(tenant) as session:
        contact_list = ContactList(name=f"l{uuid.uuid4().hex[:8]}", created_by="op")
        session.add(contact_list)
        session.flush()
        campaign = Campaign(name=f"预览{uuid.uuid4().hex[:6]}", script="return_visit", script_version=1,
                            mode="preview", status="running", contact_list_id=contact_list.id,
                            skill="express_general", min_gap_minutes=0,
                            windows={"timezone": "Asia/Shanghai", "windows": [
                                {"days": ["mon"], "start": "09:00", "end": "20:00"}]})
        session.add(campaign)
        session.flush()
        ids = []
        for name in names:
            phone = f"+86138{uuid.uuid4().int % 100_000_000:08d}"
            contact = Contact(list_id=contact_list.id, phone_e164=phone, name=name, fields={"ticket_number": "TK-9"})
            session.add(contact)
            session.flush()
            entry = CampaignEntry(campaign_id=campaign.id, contact_id=contact.id, phone_e164=phone)
            session.add(entry)
            session.flush()
            ids.append(entry.id)
        return campaign.id, ids


def _orders(prefix: str) -> list[dict]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return [json.loads(raw) for raw in client.lrange(preview_orders.key(f"{prefix}:dialer"), 0, -1)]
    finally:
        client.close()


def _release(db: Database, prefix: str, user_id: int, call_uuid: str) -> None:
    """The agent's reservation for a dialled preview call ends (as when the dialer's originate fails)."""
    from hotline.platform.acd import reservations

    with db.platform() as session:
        extension = ticket_desk.extension_of(session, user_id, create=False)
    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert reservations.release(client, prefix, str(extension), call_uuid) == 1
    finally:
        client.close()


def _attempts(db: Database, tenant: int, entry_id: int) -> list[DialAttempt]:
    with db.tenant(tenant) as session:
        return list(session.scalars(select(DialAttempt).where(DialAttempt.entry_id == entry_id)))


def test_skip_needs_a_reason_and_another_tenants_contact_is_not_found(
        preview_app, desk_world: DeskWorld, db: Database, browser_as: Callable[[str, str], Browser]) -> None:
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    _campaign, (entry,) = _preview_campaign(db, tenant, "孙七")
    desk = browser_as(desk_world.agent, world.tenant_a)
    html = desk.get("/desk/preview").get_data(as_text=True)
    assert "孙七" in html and "拨打" in html and "跳过" in html and "TK-9" in html  # the script's text, filled in
    (attempt,) = _attempts(db, tenant, entry)
    missing = desk.post(f"/desk/preview/{attempt.id}/skip", {"reason": ""})
    assert missing.status_code == 400 and "请选择跳过此联系人的原因" in missing.get_data(as_text=True)
    # an agent of tenant B (the shared agent signed in there) finds no such contact
    shared = browser_as(desk_world.shared, world.tenant_b)
    assert shared.post(f"/desk/preview/{attempt.id}/skip", {"reason": "not_now"}).status_code == 404
    assert shared.post(f"/desk/preview/{attempt.id}/dial").status_code == 404
    assert [a.outcome for a in _attempts(db, tenant, entry)] == ["dialing"]  # still held for the agent
    assert browser_as(world.supervisor_a, world.tenant_a).get("/desk/preview").status_code == 403  # agents only
    # the agent lets the contact go, so no other test of this module finds it held for them
    assert desk.post(f"/desk/preview/{attempt.id}/skip", {"reason": "duplicate"}).status_code == 302


@pytest.mark.browser
def test_the_agent_previews_skips_and_dials_in_chromium(preview_app, desk_world: DeskWorld, db: Database,
                                                         acd_prefix: str, serve, page) -> None:
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    _campaign, (first, second) = _preview_campaign(db, tenant, "周一", "吴二")
    base = serve(preview_app)
    with db.platform() as session:
        extension = ticket_desk.extension_of(session, desk_world.agent_id, create=True)
    run_acd(acd_prefix, lambda acd: acd.presence.login(  # available: may dial (13e #2)
        extension, {str(tenant): {"express_general": 1}}))
    page.goto(f"{base}/login?next=/desk/preview")
    page.fill("input[name=username]", desk_world.agent)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#preview")
    shown = page.inner_text("#contact-fields")
    assert "周一" in shown or "吴二" in shown
    skipped = first if "周一" in shown else second
    page.select_option("#skip-reason", "wrong_data")
    assert "联系人资料有误" in page.inner_text("#skip-reason")  # the reason's label, not its code
    page.click("#preview-skip")
    page.wait_for_selector("#preview")
    dialled = second if skipped == first else first
    assert ("吴二" if dialled == second else "周一") in page.inner_text("#contact-fields")
    screenshot(page, "desk-preview")
    page.click("#preview-dial")
    page.wait_for_selector("#script-page[data-page=greeting]")  # the script runner for the call being placed
    (skip_row,) = _attempts(db, tenant, skipped)
    assert (skip_row.outcome, skip_row.disposition) == ("skipped", "wrong_data") and "wrong" in skip_row.reason
    (dial_row,) = _attempts(db, tenant, dialled)
    (order,) = [o for o in _orders(acd_prefix) if o["attempt_id"] == dial_row.id]
    assert order["mode"] == "preview" and order["call_uuid"] == dial_row.call_uuid
    with db.platform() as session:
        assert order["preferred_agent"] == ticket_desk.extension_of(session, desk_world.agent_id, create=False)
    # the call's state, live (13b #4): ringing with the opener to read, then answered with the questions and wrap-up
    assert page.inner_text("#call-state") == "正在呼叫，对方振铃中"
    assert page.is_visible("#call-wait") and not page.is_visible("#wrap-up") and not page.is_visible("#next-contact")
    # the header follows the agent's ACD state live (13e #4): routed the answered callee, then talking
    from hotline.runtime.acd import WaitingCall

    from .test_workspace import offer_call

    offer_call(acd_prefix, tenant, dial_row.call_uuid, str(extension), dial_row.phone_e164)
    page.wait_for_selector("#hl-presence[data-state=ringing]")
    assert page.inner_text("#hl-presence-state") == "振铃"
    run_acd(acd_prefix, lambda acd: acd.distributor.agent_answered(
        WaitingCall(str(tenant), "general", dial_row.call_uuid, priority=5, skills=()), str(extension)))
    page.wait_for_selector("#hl-presence[data-state=on_call]")
    assert page.inner_text("#hl-presence-state") == "通话中"
    from hotline.platform.outbound import outcomes

    with db.tenant(tenant) as session:
        outcomes.record_answer(session, dial_row.id, NOW)
    page.wait_for_selector("#call-state[data-state=answered]")
    assert page.inner_text("#call-state") == "已接通" and not page.is_visible("#call-wait")
    assert page.is_visible("#wrap-up") and page.is_visible("#script-questions")


def test_the_wrap_up_shows_the_ticket_made_from_the_answers(
        desk_world: DeskWorld, db: Database, browser_as: Callable[[str, str], Browser]) -> None:
    """Issue 13, item 3 on the desk: the express return visit ending 问题未解决 shows its complaint ticket."""
    from .test_script_runner import _extension, answered_call

    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    attempt, _entry = answered_call(db, tenant, _extension(db, desk_world.agent_id))
    desk = browser_as(desk_world.agent, world.tenant_a)
    known = json.dumps({"reached": "self", "convenient": "yes", "solved": "no", "remaining_issue": "包裹至今未派送"})
    done = desk.post(f"/desk/outbound/{attempt}", {"page": "closing_unsolved", "answers": known, "action": "finish",
                                                   "disposition": "unsolved"}, follow_redirects=True)
    html = done.get_data(as_text=True)
    with db.tenant(tenant) as session:
        ticket = session.get(DialAttempt, attempt).ticket_id
        from hotline.platform.models import Ticket
        number = session.get(Ticket, ticket).number
    assert "已按通话回答创建工单" in html and number in html


def test_dialling_reserves_the_agent_in_the_acd_until_the_callee_answers(
        preview_app, desk_world: DeskWorld, db: Database, acd_prefix: str,
        browser_as: Callable[[str, str], Browser]) -> None:
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    _campaign, (entry,) = _preview_campaign(db, tenant, "郑十")
    with db.platform() as session:
        extension = ticket_desk.extension_of(session, desk_world.agent_id, create=True)
    assert extension
    run_acd(acd_prefix, lambda acd: acd.presence.login(extension, {str(tenant): {}}))  # the agent's desk is ready
    desk = browser_as(desk_world.agent, world.tenant_a)
    desk.get("/desk/preview")
    (attempt,) = _attempts(db, tenant, entry)
    assert desk.post(f"/desk/preview/{attempt.id}/dial").status_code == 302
    client = redis.Redis.from_url(REDIS_URL)
    try:
        reserved_for, reserved_until = client.hmget(AcdKeys(acd_prefix).agent(extension), "reserved_for",
                                                    "reserved_until")
        seconds, micros = client.time()
    finally:
        client.close()
    assert reserved_for is not None and reserved_for.decode() == attempt.call_uuid  # held for this callee only
    assert float(reserved_until) > seconds + micros / 1e6 + 30  # through the order's wait and the ring time


def test_after_dialling_the_runner_shows_the_calls_state_by_label_and_the_buttons_that_fit(
        preview_app, desk_world: DeskWorld, db: Database, acd_prefix: str,
        browser_as: Callable[[str, str], Browser]) -> None:
    """Issue 13 (13b #4): after 拨打 the script runner said nothing about the call. It shows 振铃 (waiting, no
    questions or wrap-up yet), then 已接通 with the script, or the failure by its label with 下一位联系人."""
    from hotline.platform.outbound import outcomes

    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    _campaign, (first, second) = _preview_campaign(db, tenant, "冯一", "陈二")
    desk = browser_as(desk_world.agent, world.tenant_a)
    assert desk.post_json("/desk/api/presence", {"state": "available"}).status_code == 200  # may dial (13e #2)
    states = []
    for _entry in (first, second):
        desk.get("/desk/preview")  # holds the next contact for the agent: an attempt not yet dialled
        (attempt,) = [a for e in (first, second) for a in _attempts(db, tenant, e)
                      if a.outcome == "dialing" and a.id not in states]
        assert desk.post(f"/desk/preview/{attempt.id}/dial").status_code == 302
        html = desk.get(f"/desk/outbound/{attempt.id}").get_data(as_text=True)
        assert 'data-state="ringing"' in html and "正在呼叫，对方振铃中" in html
        assert 'id="script-questions" hidden' in html and 'id="wrap-up" data-when="wrap_up" hidden' in html
        assert desk.get(f"/desk/outbound/{attempt.id}/state").get_json()["label"] == "正在呼叫，对方振铃中"
        states.append(attempt.id)
        _release(db, acd_prefix, desk_world.agent_id, attempt.call_uuid)  # this callee is done ringing: next dial
    answered, failed = states
    with db.tenant(tenant) as session:
        outcomes.record_answer(session, answered, NOW)
        assert outcomes.record_failure(session, failed, "USER_BUSY", NOW) == "busy"
    now_answered = desk.get(f"/desk/outbound/{answered}/state").get_json()
    assert (now_answered["state"], now_answered["label"], now_answered["final"]) == ("answered", "已接通", False)
    assert now_answered["actions"] == ["script", "wrap_up"]
    html = desk.get(f"/desk/outbound/{answered}").get_data(as_text=True)
    assert 'id="script-questions" hidden' not in html and 'id="next-contact"' in html
    assert 'id="call-not-connected" hidden' in html
    busy = desk.get(f"/desk/outbound/{failed}/state?lang=en").get_json()
    assert (busy["state"], busy["label"], busy["final"]) == ("busy", "Busy", True)
    assert busy["actions"] == ["wrap_up", "next_contact"] and busy["next_url"] == "/desk/preview"
    html = desk.get(f"/desk/outbound/{failed}?lang=zh_CN").get_data(as_text=True)
    assert "占线" in html and 'id="call-not-connected" hidden' not in html and "下一位联系人" in html
    assert 'data-state="busy"' in html and ">busy<" not in html  # the label, never the code
    # an agent of tenant B finds no such call
    shared = browser_as(desk_world.shared, world.tenant_b)
    assert shared.get(f"/desk/outbound/{failed}/state").status_code == 404


def test_the_preview_page_in_english_words_every_skip_reason(
        preview_app, desk_world: DeskWorld, db: Database, browser_as: Callable[[str, str], Browser]) -> None:
    """QA 13e #3: /desk/preview?lang=en showed the skip reasons as raw keys ("skip.not_now", …)."""
    import re

    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    _campaign, (entry,) = _preview_campaign(db, tenant, "Lee")
    desk = browser_as(desk_world.agent, world.tenant_a)
    html = desk.get("/desk/preview?lang=en").get_data(as_text=True)
    assert "Lee" in html and 'id="skip-reason"' in html
    assert re.findall(r"skip\.\w+", html) == []
    assert "Not the right time to call" in html and "A duplicate of another contact" in html
    (attempt,) = _attempts(db, tenant, entry)
    assert desk.post(f"/desk/preview/{attempt.id}/skip", {"reason": "duplicate"}).status_code == 302  # let it go


def test_dial_is_refused_in_words_while_the_agent_is_on_another_call(
        preview_app, desk_world: DeskWorld, db: Database, acd_prefix: str,
        browser_as: Callable[[str, str], Browser]) -> None:
    """QA 13e #2: 拨打 by an agent on a progressive call placed the preview call; the callee answered to no agent
    and it counted as an abandon (72-hour rule). Dial only when available; the page disables the button."""
    from .test_workspace import offer_call

    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    _campaign, (entry,) = _preview_campaign(db, tenant, "王五")
    with db.platform() as session:
        extension = ticket_desk.extension_of(session, desk_world.agent_id, create=True)
    desk = browser_as(desk_world.agent, world.tenant_a)
    assert desk.post_json("/desk/api/presence", {"state": "available"}).status_code == 200
    offer_call(acd_prefix, tenant, "call-busy", str(extension), "13800002222", answered=True)
    html = desk.get("/desk/preview").get_data(as_text=True)
    assert 'id="preview-dial" disabled' in html and "通话中" in html
    (attempt,) = _attempts(db, tenant, entry)
    refused = desk.post(f"/desk/preview/{attempt.id}/dial")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "您正在通话中，结束通话后才能拨打" in text and "王五" in text  # kept
    assert [(a.outcome, a.call_uuid is None or a.call_uuid == attempt.call_uuid)
            for a in _attempts(db, tenant, entry)] == [("dialing", True)]
    assert [o for o in _orders(acd_prefix) if o["attempt_id"] == attempt.id] == []  # nothing for the dialer
    english = desk.post(f"/desk/preview/{attempt.id}/dial?lang=en").get_data(as_text=True)
    assert "You are on a call: finish it before dialling." in english
    assert desk.post(f"/desk/preview/{attempt.id}/skip", {"reason": "duplicate"}).status_code == 302  # let it go


def test_the_call_state_carries_the_agents_acd_presence_for_the_header(
        preview_app, desk_world: DeskWorld, db: Database, acd_prefix: str,
        browser_as: Callable[[str, str], Browser]) -> None:
    """QA 13e #4: during a preview call the header stayed 空闲 while the runner showed 正在呼叫 / 已接通 and the
    wallboard 振铃. The state the runner polls carries the agent's ACD state, which the page shows in the header."""
    from hotline.runtime.acd import WaitingCall

    from .test_workspace import offer_call

    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    _campaign, (entry,) = _preview_campaign(db, tenant, "钱八")
    with db.platform() as session:
        extension = str(ticket_desk.extension_of(session, desk_world.agent_id, create=True))
    desk = browser_as(desk_world.agent, world.tenant_a)
    assert desk.post_json("/desk/api/presence", {"state": "available"}).status_code == 200
    desk.get("/desk/preview")
    (attempt,) = _attempts(db, tenant, entry)
    assert desk.post(f"/desk/preview/{attempt.id}/dial").status_code == 302
    (attempt,) = _attempts(db, tenant, entry)
    url = f"/desk/outbound/{attempt.id}/state"
    assert desk.get(url).get_json()["presence"] == "available"
    offer_call(acd_prefix, tenant, attempt.call_uuid, extension, attempt.phone_e164)  # the callee answered: routed
    assert desk.get(url).get_json()["presence"] == "ringing"
    run_acd(acd_prefix, lambda acd: acd.distributor.agent_answered(
        WaitingCall(str(tenant), "general", attempt.call_uuid, priority=5, skills=()), extension))
    assert desk.get(url).get_json()["presence"] == "on_call"


def test_a_second_dial_is_refused_in_words_while_the_first_preview_call_rings(
        preview_app, desk_world: DeskWorld, db: Database, acd_prefix: str,
        browser_as: Callable[[str, str], Browser]) -> None:
    """Issue 13 leftovers: after 拨打 the agent is reserved for that callee (ACD state still `available`), and a
    second 拨打 on the next contact was accepted: two callees for one agent. Refused while the first one rings."""
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    _campaign, (first, second) = _preview_campaign(db, tenant, "钱七", "孙八")
    desk = browser_as(desk_world.agent, world.tenant_a)
    assert desk.post_json("/desk/api/presence", {"state": "available"}).status_code == 200
    desk.get("/desk/preview")
    (dialled,) = [a for e in (first, second) for a in _attempts(db, tenant, e)]
    assert desk.post(f"/desk/preview/{dialled.id}/dial").status_code == 302  # the first callee rings
    html = desk.get("/desk/preview").get_data(as_text=True)  # the next contact, held for the agent
    assert 'id="preview-dial" disabled' in html and "您拨打的预览外呼还在振铃" in html
    (held,) = [a for e in (first, second) for a in _attempts(db, tenant, e) if a.id != dialled.id]
    refused = desk.post(f"/desk/preview/{held.id}/dial")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "您拨打的预览外呼还在振铃" in text
    english = desk.post(f"/desk/preview/{held.id}/dial?lang=en").get_data(as_text=True)
    assert "The preview call you dialled is still ringing" in english
    assert [o["attempt_id"] for o in _orders(acd_prefix)] == [dialled.id]  # nothing more for the dialer
    with db.tenant(tenant) as session:
        assert session.get(DialAttempt, held.id).outcome == "dialing"  # the contact stays held, not lost
    assert desk.post(f"/desk/preview/{held.id}/skip", {"reason": "duplicate"}).status_code == 302  # let it go


def test_tabs_dialling_the_held_contact_at_the_same_instant_place_one_call_and_refuse_the_rest_in_words(
        preview_app, desk_world: DeskWorld, db: Database, acd_prefix: str,
        browser_as: Callable[[str, str], Browser]) -> None:
    """The desk checked "not reserved" and then reserved, apart: tabs pressing 拨打 together all passed the check,
    and the dialer got an order from each (two callees for one agent). The reservation is one conditional Lua
    script now (platform/acd/reservations.py reserve_if_free): one tab dials, the others are refused in words."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    _campaign, (entry,) = _preview_campaign(db, tenant, "周九")
    tabs = [browser_as(desk_world.agent, world.tenant_a) for _ in range(6)]
    assert tabs[0].post_json("/desk/api/presence", {"state": "available"}).status_code == 200
    tabs[0].get("/desk/preview")
    (attempt,) = _attempts(db, tenant, entry)
    barrier = threading.Barrier(len(tabs))

    def press(tab: Browser) -> tuple[int, str]:
        barrier.wait(10)
        response = tab.post(f"/desk/preview/{attempt.id}/dial")
        return response.status_code, response.get_data(as_text=True)

    with ThreadPoolExecutor(max_workers=len(tabs)) as pool:
        replies = list(pool.map(press, tabs))
    assert sorted(status for status, _ in replies) == [302] + [409] * (len(tabs) - 1)
    for status, text in replies:
        assert status == 302 or "您拨打的预览外呼还在振铃" in text or "此联系人已不再为您保留" in text, text
    assert [o["attempt_id"] for o in _orders(acd_prefix)] == [attempt.id]  # one call for the dialer
