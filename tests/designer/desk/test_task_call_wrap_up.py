"""A call-back task's call (the tenant's always-on tasks campaign: IVR booking, abandoned call, ticket resolve) in
the desk: the wrap-up offers dispositions by label even though the campaign runs no script, a refused wrap-up is
the page again with the field named in the reader's language and what was typed kept, and once wrapped up the
agent can take calls again (issue 13, task 13d)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from hotline.platform.db import Database
from hotline.platform.models import CallTask, DialAttempt
from hotline.platform.outbound import dialing, task_campaign
from hotline.platform.services import callbacks, ticket_desk
from tests.designer.conftest import PASSWORD

from .conftest import Browser, DeskWorld, tenant_id

pytestmark = [pytest.mark.redis]
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing, inside the tasks campaign's windows


def _extension(db: Database, user: int) -> str:
    with db.platform() as session:
        extension = ticket_desk.extension_of(session, user, create=True)
        assert extension is not None
        return extension


def task_call(db: Database, tenant: int, agent: str) -> tuple[int, int]:
    """A call-back task dialled by the tasks campaign and answered by the agent: (attempt, task)."""
    phone = f"138{uuid.uuid4().int % 100_000_000:08d}"
    with db.tenant(tenant) as session:
        task = callbacks.create(session, "callback", NOW - timedelta(minutes=5), actor="ivr", phone=phone,
                                queue="general")
        campaign = task_campaign.tasks_campaign(session)
        orders = dialing.claim(session, campaign.id, "test", NOW, 50).orders
        (order,) = [o for o in orders if o.phone_e164.endswith(phone[-8:])]
        dialing.record_answer(session, order.attempt_id, NOW)
        dialing.record_call_end(session, order.attempt_id, NOW + timedelta(minutes=2), agent=agent)
        return order.attempt_id, task.id


def test_a_task_call_offers_dispositions_by_label_and_wraps_up(desk_world: DeskWorld, db: Database,
                                                               browser_as: Callable[[str, str], Browser]) -> None:
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    agent = _extension(db, desk_world.agent_id)
    attempt, task = task_call(db, tenant, agent)
    desk = browser_as(desk_world.agent, world.tenant_a)
    page = desk.get(f"/desk/outbound/{attempt}").get_data(as_text=True)
    assert 'value="completed"' in page and "已完成" in page and "其他" in page  # labels, never only "—"
    assert desk.post_json("/desk/api/presence", {"state": "available"}).status_code == 409
    done = desk.post(f"/desk/outbound/{attempt}", {"page": "call", "answers": "{}", "action": "finish",
                                                   "disposition": "completed"})
    assert done.status_code == 302
    with db.tenant(tenant) as session:
        assert session.get(DialAttempt, attempt).disposition == "completed"
        assert session.get(CallTask, task).status == "done"
    assert "已完成" in desk.get(f"/desk/outbound/{attempt}").get_data(as_text=True)
    assert desk.post_json("/desk/api/presence", {"state": "available"}).status_code == 200


def test_the_disposition_ends_the_held_wrap_up_so_calls_are_offered_again(
        desk_world: DeskWorld, db: Database, browser_as: Callable[[str, str], Browser]) -> None:
    """The runtime holds an outbound call's agent in an open wrap-up (no inbound call offered) until the
    disposition; recording it ends that wrap-up, else the agent would stay unreachable (issue 13, 13d #3/#4)."""
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    agent = _extension(db, desk_world.agent_id)
    attempt, _task = task_call(db, tenant, agent)
    desk = browser_as(desk_world.agent, world.tenant_a)
    assert desk.post_json("/desk/api/presence", {"state": "wrap_up"}).status_code == 200  # open, as held
    assert desk.get("/desk/api/state").get_json()["presence"]["state"] == "wrap_up"
    done = desk.post(f"/desk/outbound/{attempt}", {"page": "call", "answers": "{}", "action": "finish",
                                                   "disposition": "other"})
    assert done.status_code == 302
    assert desk.get("/desk/api/state").get_json()["presence"]["state"] == "available"


def test_a_refused_wrap_up_is_the_page_again_naming_the_field_and_keeping_what_was_typed(
        desk_world: DeskWorld, db: Database, browser_as: Callable[[str, str], Browser]) -> None:
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    attempt, _task = task_call(db, tenant, _extension(db, desk_world.agent_id))
    desk = browser_as(desk_world.agent, world.tenant_a)
    # what the tester's form sent: no page name (the script had none), no disposition, a callback time typed
    refused = desk.post(f"/desk/outbound/{attempt}", {"page": "", "answers": "{}", "action": "finish",
                                                      "disposition": "", "callback_at": "2026-11-24T15:30"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="script-problems"' in html
    assert "请先选择通话结果" in html and "is not a page" not in html
    assert 'value="2026-11-24T15:30"' in html  # what was typed is kept
    # a callback disposition with the time typed: kept selected when another field is refused
    again = desk.post(f"/desk/outbound/{attempt}", {"page": "nowhere", "answers": "{}", "action": "finish",
                                                    "disposition": "callback_later", "callback_at": "tomorrow"})
    html = again.get_data(as_text=True)
    assert again.status_code == 400 and "回访时间" in html
    assert 'value="callback_later" data-outcome="callback" selected' in html and 'value="tomorrow"' in html
    english = desk.post(f"/desk/outbound/{attempt}?lang=en", {"page": "", "answers": "{}", "action": "finish"})
    assert english.status_code == 400 and "Choose a disposition" in english.get_data(as_text=True)


@pytest.mark.browser
def test_the_agent_wraps_up_a_task_call_and_takes_calls_again_in_chromium(
        desk_app, desk_world: DeskWorld, db: Database, serve, page) -> None:
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    attempt, task = task_call(db, tenant, _extension(db, desk_world.agent_id))
    base = serve(desk_app)
    page.goto(f"{base}/login?next=/desk/outbound/{attempt}")
    page.fill("input[name=username]", desk_world.agent)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#script-page")
    page.click("#finish")  # no disposition chosen: refused in words, the page stays
    page.wait_for_selector("#script-problems")
    assert "通话结果" in page.inner_text("#script-problems")
    page.select_option("#disposition", "completed")
    page.click("#finish")
    page.wait_for_selector("#wrap-up-done")
    assert "已完成" in page.inner_text("#wrap-up-done")
    with db.tenant(tenant) as session:
        assert session.get(CallTask, task).status == "done"
