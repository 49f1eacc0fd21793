"""Supervision: the overdue list and urging (催办), the per-ticket rule log, the call-back list; roles and
tenants (another tenant's ticket is a 404 by every URL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.dispatch import run_rules
from hotline.platform.jobs import Queues
from hotline.platform.models import Notification, Ticket, utcnow
from hotline.platform.outbound import reasons, task_campaign
from hotline.platform.services import callbacks, tickets
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import Api, World
from tests.jobs_support import run_worker

ApiAs = Callable[..., Api]


@pytest.fixture(scope="module")
def tenant_ids(db: Database, world: World) -> dict[str, int]:
    with db.platform() as session:
        return {"a": get_tenant(session, world.tenant_a).id, "b": get_tenant(session, world.tenant_b).id}


def _late_pickup(db: Database, tenant_id: int, courier_phone: str | None = "13911110000",
                 courier: str = "张建国") -> str:
    """A pickup order created two days ago (its first response and resolution are long overdue)."""
    data = {"phone": "13801234501", "address": "北京市朝阳区望京SOHO T1", "pickup_time": "今天18:00前"}
    if courier_phone:
        data.update(courier=courier, courier_phone=courier_phone)
    with db.tenant(tenant_id) as session:
        return tickets.create(session, "pickup_order", data, "agent1", now=utcnow() - timedelta(days=2)).number


def _only_in_b(db: Database, tenant_ids: dict[str, int]) -> str:
    """A late ticket of tenant B whose number tenant A does not use (numbers are per tenant)."""
    with db.tenant(tenant_ids["a"]) as session:
        taken = set(session.scalars(select(Ticket.number)))
    while True:
        number = _late_pickup(db, tenant_ids["b"], courier="乙方快递员")
        if number not in taken:
            return number


def test_the_overdue_list_shows_late_tickets_to_supervisors(db: Database, world: World, tenant_ids: dict[str, int],
                                                            api_as: ApiAs) -> None:
    number = _late_pickup(db, tenant_ids["a"])
    _late_pickup(db, tenant_ids["b"], courier="乙方快递员")
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    body = supervisor.get("/supervision/api/overdue").get_json()
    row = next(r for r in body["tickets"] if r["number"] == number)
    assert row["overdue"] is True and row["clock"] == "first_response" and row["minutes_left"] < 0
    assert row["handler"] == "张建国" and row["urged"] == 0
    assert "乙方快递员" not in {r["handler"] for r in body["tickets"]}
    page = supervisor.get("/supervision/overdue")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'data-ticket="{number}"' in html and "超时与临近超时工单" in html and "乙方快递员" not in html


def test_the_overdue_page_shows_the_forms_title_and_the_status_label(db: Database, world: World,
                                                                     tenant_ids: dict[str, int],
                                                                     api_as: ApiAs) -> None:
    """Issue 16: the page showed the codes pickup_order and pending instead of 取件下单 and 待派单."""
    number = _late_pickup(db, tenant_ids["a"])
    html = api_as(world.supervisor_a, world.tenant_a).get("/supervision/overdue").get_data(as_text=True)
    row = html.split(f'data-ticket="{number}"', 1)[1].split("</tr>", 1)[0]
    assert "<td>取件下单</td><td>待派单</td>" in row
    assert "pickup_order" not in row and ">pending<" not in row


def test_the_overdue_pages_window_has_one_clean_label(world: World, api_as: ApiAs) -> None:
    """Issue 16: the label read "显示即将到期（分钟内） 分钟", the unit twice."""
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    html = supervisor.get("/supervision/overdue").get_data(as_text=True)
    form = html.split('<form method="get">', 1)[1].split("</form>", 1)[0]
    assert "显示多少分钟内到期的工单" in form and form.count("分钟") == 1
    english = supervisor.get("/supervision/overdue?lang=en").get_data(as_text=True)
    form = english.split('<form method="get">', 1)[1].split("</form>", 1)[0]
    assert "Show tickets due within (minutes)" in form and form.count("minutes") == 1


@pytest.mark.parametrize("role", ["agent_a", "analyst_b"])
def test_agents_and_other_tenants_may_not_see_the_overdue_list(world: World, api_as: ApiAs, role: str) -> None:
    tenant = world.tenant_a if role.endswith("_a") else world.tenant_b
    client = api_as(getattr(world, role), tenant)
    assert client.get("/supervision/api/overdue").status_code == 403
    assert client.get("/supervision/overdue").status_code == 403


def test_urging_counts_records_history_and_notifies_the_handler(db: Database, world: World,
                                                                tenant_ids: dict[str, int], api_as: ApiAs,
                                                                queues: Queues) -> None:
    number = _late_pickup(db, tenant_ids["a"], courier_phone="13911112222")
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    first = supervisor.post(f"/supervision/api/tickets/{number}/urge", {"note": "业主第三次来电"})
    assert first.status_code == 200, first.get_json()
    second = supervisor.post(f"/supervision/api/tickets/{number}/urge", {})
    assert (first.get_json()["count"], second.get_json()["count"]) == (1, 2)
    notified = first.get_json()["notified"]

    def sent() -> bool:
        with db.tenant(tenant_ids["a"]) as session:
            return all(session.get(Notification, n).status == "sent" for n in notified)

    run_worker(queues, until=sent)  # the SMS goes out through the retrying notification job
    with db.tenant(tenant_ids["a"]) as session:
        urges = [e for e in tickets.history(session, number) if e.action == "urge"]
        assert [(e.actor, e.changes["count"], e.changes["note"]) for e in urges] == [
            (world.supervisor_a, 1, "业主第三次来电"), (world.supervisor_a, 2, "")]
        sms = session.scalars(select(Notification).where(Notification.id.in_(first.get_json()["notified"]))).all()
        assert [(n.channel, n.to, n.status) for n in sms] == [("sms", "13911112222", "sent")]
        assert "催办" in sms[0].body and number in sms[0].body and "业主第三次来电" in sms[0].body
    row = next(r for r in supervisor.get("/supervision/api/overdue").get_json()["tickets"] if r["number"] == number)
    assert row["urged"] == 2


def test_the_urge_form_posts_with_csrf_and_redirects_back(db: Database, world: World, tenant_ids: dict[str, int],
                                                          api_as: ApiAs, queues: Queues) -> None:
    number = _late_pickup(db, tenant_ids["a"])
    supervisor = api_as(world.admin_a, world.tenant_a)
    client = supervisor.client
    refused = client.post(f"/supervision/tickets/{number}/urge", data={"note": "x"})
    assert refused.status_code == 400  # no CSRF token
    done = client.post(f"/supervision/tickets/{number}/urge", data={"note": "请今天处理",
                                                                   "csrf_token": supervisor.refresh_token()})
    assert done.status_code == 302 and done.headers["Location"].endswith("/supervision/overdue")
    page = client.get("/supervision/overdue").get_data(as_text=True)
    assert f"工单{number}已催办（第1次）" in page


def test_urging_a_ticket_nobody_handles_names_the_dispatchers_and_writes_one_line(
        db: Database, world: World, tenant_ids: dict[str, int], api_as: ApiAs, queues: Queues) -> None:
    # QA of issue 11, item 8: the message said "已通知1位处理人" though the SMS went to the dispatcher, and the
    # urge wrote a second ("put on the dispatch list") history line for the same alert.
    number = _late_pickup(db, tenant_ids["a"], courier_phone=None)
    supervisor = api_as(world.admin_a, world.tenant_a)
    client = supervisor.client
    done = client.post(f"/supervision/tickets/{number}/urge", data={"csrf_token": supervisor.refresh_token()})
    assert done.status_code == 302
    page = client.get("/supervision/overdue").get_data(as_text=True)
    assert f"工单{number}已催办（第1次），尚无处理人，已通知1位派单员。" in page and "位处理人" not in page
    with db.tenant(tenant_ids["a"]) as session:
        lines = [e for e in tickets.history(session, number) if e.action in ("urge", "manual_dispatch")]
        assert [(e.action, e.changes["notified_to"]) for e in lines] == [("urge", "dispatchers")]
        sms = session.get(Notification, lines[0].changes["notified"][0])
        assert sms is not None and sms.to == "13911113333"  # the template's dispatch_alerts
    again = supervisor.post(f"/supervision/api/tickets/{number}/urge", {}).get_json()
    assert (again["count"], again["notified_to"]) == (2, "dispatchers")


def test_another_tenants_ticket_is_404_by_every_url(db: Database, world: World, tenant_ids: dict[str, int],
                                                    api_as: ApiAs) -> None:
    other = _only_in_b(db, tenant_ids)
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    assert supervisor.post(f"/supervision/api/tickets/{other}/urge", {}).status_code == 404
    assert supervisor.get(f"/supervision/api/tickets/{other}/firings").status_code == 404
    assert supervisor.get(f"/supervision/tickets/{other}/firings").status_code == 404
    assert supervisor.client.post(f"/supervision/tickets/{other}/urge",
                                  data={"csrf_token": supervisor.refresh_token()}).status_code == 404
    with db.tenant(tenant_ids["b"]) as session:
        assert not [e for e in tickets.history(session, other) if e.action == "urge"]


def test_a_resolved_ticket_cannot_be_urged(db: Database, world: World, tenant_ids: dict[str, int],
                                           api_as: ApiAs) -> None:
    number = _late_pickup(db, tenant_ids["a"])
    with db.tenant(tenant_ids["a"]) as session:
        tickets.transition(session, number, "cancelled", base_revision=1, actor="agent1")
    response = api_as(world.supervisor_a, world.tenant_a).post(f"/supervision/api/tickets/{number}/urge", {})
    assert response.status_code == 422 and "already resolved" in response.get_json()["findings"][0]["message"]


def test_the_rule_log_of_a_ticket_for_the_desk_and_the_supervisor(db: Database, world: World,
                                                                  tenant_ids: dict[str, int], api_as: ApiAs) -> None:
    number = _late_pickup(db, tenant_ids["a"], courier_phone=None)
    with db.tenant(tenant_ids["a"]) as session:
        run_rules(session, "ticket.created", {"ticket": tickets.get(session, number)})
    agent = api_as(world.agent_a, world.tenant_a)
    body = agent.get(f"/supervision/api/tickets/{number}/firings").get_json()
    rules = {f["rule"]: f for f in body["firings"]}
    assert rules["pickup_assign_courier"]["event"] == "ticket.created"
    assert rules["pickup_assign_courier"]["outcome"] in ("fired", "partial")
    assert [a["type"] for a in rules["pickup_assign_courier"]["actions"]] == ["assign_by_coverage", "set_status"]
    page = api_as(world.supervisor_a, world.tenant_a).get(f"/supervision/tickets/{number}/firings")
    table = page.get_data(as_text=True).split('data-testid="firings"')[1].split("</table>")[0]
    # Words, not codes (QA of issue 11, item 4): the event, the rule's label, the actions' types.
    assert page.status_code == 200 and "取件单按地址匹配快递员" in table and "工单创建" in table
    assert "按地址匹配分派: 已执行" in table and "修改状态: 已执行" in table
    for code in ("pickup_assign_courier", "ticket.created", "assign_by_coverage", "set_status"):
        assert code not in table, code
    assert agent.get(f"/supervision/tickets/{number}/firings").status_code == 403  # the page is for supervisors


def test_agents_list_and_close_their_callbacks(db: Database, world: World, tenant_ids: dict[str, int],
                                               api_as: ApiAs) -> None:
    number = _late_pickup(db, tenant_ids["a"])
    with db.tenant(tenant_ids["a"]) as session:
        task_id = callbacks.create(session, "callback", utcnow(), actor="t", ticket=tickets.get(session, number),
                                   phone="13801234501", queue="general", note="回呼").id
    with db.tenant(tenant_ids["b"]) as session:
        other_id = callbacks.create(session, "callback", utcnow(), actor="t", phone="13800000000").id
    agent = api_as(world.agent_a, world.tenant_a)
    listed = agent.get(f"/supervision/api/callbacks?ticket={number}").get_json()["tasks"]
    assert [(t["id"], t["kind"], t["phone"], t["status"]) for t in listed] == [
        (task_id, "callback", "13801234501", "pending")]
    assert other_id not in {t["id"] for t in agent.get("/supervision/api/callbacks?status=all").get_json()["tasks"]}
    done = agent.post(f"/supervision/api/callbacks/{task_id}/done", {"result": "已回电，业主满意"})
    assert done.status_code == 200 and done.get_json()["status"] == "done"
    assert agent.post(f"/supervision/api/callbacks/{task_id}/done", {}).status_code == 422
    assert agent.post(f"/supervision/api/callbacks/{other_id}/done", {}).status_code == 404
    assert agent.get("/supervision/api/callbacks?status=bogus").status_code == 400


def test_a_result_the_system_wrote_reads_in_the_readers_language(db: Database, world: World,
                                                                 tenant_ids: dict[str, int], api_as: ApiAs) -> None:
    """Issue 13, 13c #3: the dialer closes a task with a coded reason; the call-back list and the ticket's history
    word it per reader, while what an agent types stays as typed."""
    number = _late_pickup(db, tenant_ids["a"])
    busy = reasons.coded("reason.retries_exhausted", outcome="busy", tried=3, max=2)
    with db.tenant(tenant_ids["a"]) as session:
        task = callbacks.create(session, "callback", utcnow(), actor="t", ticket=tickets.get(session, number),
                                phone="13801234502", queue="general")
        task_campaign.settle(session, task_campaign.entry_of(session, task.id), "failed", busy)
        task_id = task.id
    agent = api_as(world.agent_a, world.tenant_a)

    def result(lang: str) -> str:
        rows = agent.get(f"/supervision/api/callbacks?status=all&ticket={number}&lang={lang}").get_json()["tasks"]
        return next(t["result"] for t in rows if t["id"] == task_id)

    assert result("zh_CN") == "占线：已拨打 3 次；重拨规则最多重拨 2 次"
    assert result("en") == "Busy: tried 3; the retry rule retries at most 2"
    page = agent.get(f"/desk/tickets/{number}?lang=zh_CN").get_data(as_text=True)
    assert "占线：已拨打 3 次" in page and "reason.retries_exhausted" not in page
    with db.tenant(tenant_ids["a"]) as session:
        typed = callbacks.create(session, "callback", utcnow(), actor="t", phone="13801234503")
        callbacks.complete(session, typed.id, actor="agent1", result='{"code": 1} 客户说的')
        assert typed.result == '{"code": 1} 客户说的'


def test_the_overdue_pages_clock_column_is_worded_in_english_too(db: Database, world: World,
                                                                 tenant_ids: dict[str, int], api_as: ApiAs) -> None:
    """QA of issue 16 (fixc18, item 6): under ?lang=en the Clock column read the code first_response."""
    number = _late_pickup(db, tenant_ids["a"])
    html = api_as(world.supervisor_a, world.tenant_a).get("/supervision/overdue?lang=en").get_data(as_text=True)
    row = html.split(f'data-ticket="{number}"', 1)[1].split("</tr>", 1)[0]
    assert "<td>First response</td>" in row and "first_response" not in row
