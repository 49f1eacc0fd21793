"""Issue 13, item 5: the call-task campaign's windows page (campaign operators and tenant admins, each tenant its
own) and the platform-wide do-not-call page (platform operators only), with their validation."""

from __future__ import annotations

from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Campaign, PlatformDncEntry
from hotline.platform.models.campaigns import TASKS_CAMPAIGN_NAME
from hotline.platform.outbound import dnc, task_campaign

from .conftest import form_post, tenant_id


def _tasks_windows(db: Database, tenant: int) -> dict:
    with db.tenant(tenant) as session:
        return dict(task_campaign.tasks_campaign(session).windows)


def test_the_task_campaigns_windows_are_edited_per_tenant(api_as, db, world, campaigner) -> None:
    a, b = tenant_id(db, world.tenant_a), tenant_id(db, world.tenant_b)
    before_b = _tasks_windows(db, b)
    client = api_as(campaigner)
    page = client.get("/campaigns/tasks/windows").get_data(as_text=True)
    assert "mon,tue,wed,thu,fri,sat,sun 09:00-20:00" in page and "可拨打时段" in page
    saved = form_post(client, "/campaigns/tasks/windows", {
        "timezone": "Asia/Urumqi", "windows": "mon,tue,wed,thu,fri 10:00-12:00\nsat 14:00-18:00"},
        follow_redirects=True)
    assert saved.status_code == 200 and "可拨打时段已保存" in saved.get_data(as_text=True)
    assert _tasks_windows(db, a) == {"timezone": "Asia/Urumqi", "windows": [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "10:00", "end": "12:00"},
        {"days": ["sat"], "start": "14:00", "end": "18:00"}]}
    assert _tasks_windows(db, b) == before_b  # tenant B's task campaign is untouched
    with db.tenant(b) as session:
        assert session.scalar(select(Campaign.id).where(Campaign.name == TASKS_CAMPAIGN_NAME,
                                                        Campaign.tenant_id == a)) is None


def test_bad_windows_are_refused_on_their_field_and_keep_the_stored_ones(api_as, db, world, campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    client = api_as(campaigner)
    before = _tasks_windows(db, a)
    bad_line = form_post(client, "/campaigns/tasks/windows", {"timezone": "Asia/Shanghai",
                                                              "windows": "mon 09:00-12:00\nfunday 09:00-10:00"})
    assert bad_line.status_code == 422 and "第 2 行" in bad_line.get_data(as_text=True)
    backwards = form_post(client, "/campaigns/tasks/windows", {"timezone": "Asia/Shanghai",
                                                               "windows": "mon 12:00-09:00"})
    assert backwards.status_code == 422
    assert "第 1 个可拨打时段的开始时间须早于结束时间" in backwards.get_data(as_text=True)
    assert "/windows/windows/0" not in backwards.get_data(as_text=True)  # counted from 1, worded (QA 13a #2)
    zone = form_post(client, "/campaigns/tasks/windows", {"timezone": "Mars/Olympus", "windows": "mon 09:00-12:00"})
    html = zone.get_data(as_text=True)
    assert zone.status_code == 422 and "未知时区" in html and 'data-testid="error-timezone"' in html
    assert _tasks_windows(db, a) == before


def test_agents_may_not_edit_the_task_windows_and_admins_may(api_as, db, world) -> None:
    agent = api_as(world.agent_a)
    assert agent.get("/campaigns/tasks/windows").status_code == 403
    assert form_post(agent, "/campaigns/tasks/windows", {"timezone": "UTC", "windows": "mon 00:00-24:00"}
                     ).status_code == 403
    assert api_as(world.admin_a).get("/campaigns/tasks/windows").status_code == 200


def test_the_platform_operator_keeps_the_platform_wide_list(api_as, db, world, campaigner) -> None:
    operator = api_as(world.operator)
    added = form_post(operator, "/campaigns/platform-dnc", {"phone": "139 0000 7777", "note": "工信部投诉"},
                      follow_redirects=True)
    html = added.get_data(as_text=True)
    assert "+8613900007777" in html and "已加入平台免打扰名单" in html and "工信部投诉" in html
    bad = form_post(operator, "/campaigns/platform-dnc", {"phone": "12345"})
    assert bad.status_code == 422 and "不是中国大陆的手机、固话或 400/800 号码" in bad.get_data(as_text=True)
    with db.platform() as session:
        entry_id = session.scalar(select(PlatformDncEntry.id).where(PlatformDncEntry.phone_e164 == "+8613900007777"))
    a = tenant_id(db, world.tenant_a)
    with db.tenant(a) as session:  # every tenant's dialer sees it at once
        assert dnc.lists_holding(session, ["+8613900007777"]) == {"+8613900007777": ("platform",)}
    # a tenant's campaign operator (or admin) can neither see, add to nor lift the operator's list
    tenant_side = api_as(campaigner)
    assert tenant_side.get("/campaigns/platform-dnc").status_code == 403
    assert form_post(tenant_side, "/campaigns/platform-dnc", {"phone": "13900008888"}).status_code == 403
    assert form_post(tenant_side, f"/campaigns/platform-dnc/{entry_id}/delete").status_code == 403
    assert "+8613900007777" not in tenant_side.get("/campaigns/dnc").get_data(as_text=True)
    form_post(operator, f"/campaigns/platform-dnc/{entry_id}/delete")
    with db.platform() as session:
        assert session.get(PlatformDncEntry, entry_id) is None
    assert form_post(operator, f"/campaigns/platform-dnc/{entry_id}/delete").status_code == 404


def test_a_campaigns_wait_for_the_booked_agent_is_set_on_the_form_and_bounded(api_as, db, world, campaigner) -> None:
    """Issue 13, item 2: the wait before a booked callback goes to any agent is the operator's setting."""
    from .test_campaign_pages import _create, _list

    a = tenant_id(db, world.tenant_a)
    client = api_as(campaigner)
    assert "预约回呼等待原座席（秒）" in client.get("/campaigns/new").get_data(as_text=True)
    too_long = _create(client, _list(db, a), agent_wait="999999")
    assert too_long.status_code == 422 and 'data-testid="error-agent_wait"' in too_long.get_data(as_text=True)
    made = _create(client, _list(db, a), agent_wait="300")
    campaign_id = int(made.headers["Location"].rsplit("/", 1)[1])
    with db.tenant(a) as session:
        assert session.get(Campaign, campaign_id).agent_wait_seconds == 300


def test_every_problem_of_the_task_windows_is_reported_at_once(api_as, db, world, campaigner) -> None:
    """QA 13f #5: with a bad zone, only the zone's error came back; the windows' came on the next submit."""
    client = api_as(campaigner)
    response = form_post(client, "/campaigns/tasks/windows", {"timezone": "Mars/Olympus",
                                                              "windows": "funday 09:00-10:00\nmon 18:00-09:00"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "未知时区" in html and "第 1 行" in html
    assert "第 2 个可拨打时段的开始时间须早于结束时间" in html
