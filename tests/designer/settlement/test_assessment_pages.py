"""The vendor comparison page: sites side by side with their figures, thresholds saved through a form (bad input
named and kept), alerts raised by tenant admins only, and another tenant's vendors never shown."""

from __future__ import annotations

from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Queue, Role, VendorAlert, VendorThreshold
from tests.settlement import helpers
from tests.settlement.test_assessment import _call

from ..conftest import World, make_user
from ..quality.helpers import tenant_id
from .test_settlement_pages import form, table


def test_comparison_thresholds_and_alerts(db: Database, world: World, api_as, unique) -> None:
    queue, name = unique("q"), unique("v")
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        session.add(Queue(name=queue, label="外包热线", service_level_seconds=20))
        partner = helpers.vendor(session, name, queues=[queue])
        session.add_all([_call(queue, 10, True, n) for n in range(3)] + [_call(queue, 30, False, 3)])
        vendor_id = partner.id
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    page = supervisor.get("/settlement/assessment?month=2026-03").get_data(as_text=True)
    row = next(r for r in table(page, "comparison") if r[0] == f"{name} 外包")
    assert row[1:6] == ["外包", "0", "4", "75", "75"]  # service level 3/4, answer rate 3/4
    assert 'data-testid="check"' not in page
    assert form(supervisor, "/settlement/assessment/check", {"month": "2026-03"}).status_code == 403
    admin = api_as(world.admin_a, world.tenant_a)
    response = form(admin, "/settlement/assessment/thresholds",
                    {"month": "2026-03", "limit_service_level": "x", "recipients_service_level": "sms:1380"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # the threshold's problems are worded like the contract's, in the reader's language (task D2 of issue 15)
    assert "服务水平 › 阈值（/service_level/limit）：应为 0 到 100 之间的数字" in page and "sms:1380" in page
    english = form(admin, "/settlement/assessment/thresholds?lang=en",
                   {"month": "2026-03", "limit_service_level": "x", "recipients_service_level": ""})
    assert "(/service_level/limit): a number from 0 to 100" in english.get_data(as_text=True)
    admin.get("/settlement/assessment?lang=zh_CN")  # ?lang= is kept for the session: back to Chinese
    assert form(admin, "/settlement/assessment/thresholds",
                {"month": "2026-03", "limit_service_level": "80", "recipients_service_level": "sms:13800000000"}
                ).status_code == 302
    assert form(admin, "/settlement/assessment/check", {"month": "2026-03"}).status_code == 302
    page = admin.get("/settlement/assessment?month=2026-03").get_data(as_text=True)
    alerts = table(page, "alerts")
    assert [f"{name} 外包", "服务水平（%）", "75", "80", "1"] in alerts
    assert 'class="num alert" data-metric="service_level"' in page
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        assert session.scalars(select(VendorAlert.metric).where(VendorAlert.vendor_id == vendor_id)).all() == [
            "service_level"]
    outsider = api_as(make_user(db, {world.tenant_b: [Role.TENANT_ADMIN]}), world.tenant_b)
    assert name not in outsider.get("/settlement/assessment?month=2026-03").get_data(as_text=True)
    assert outsider.get(f"/settlement/vendors/{vendor_id}").status_code == 404


def test_an_inactive_vendor_leaves_the_comparison(db: Database, world: World, api_as, unique) -> None:
    name = unique("v")
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        vendor_id = helpers.vendor(session, name).id
    admin = api_as(world.admin_a, world.tenant_a)
    assert f"{name} 外包" in admin.get("/settlement/assessment?month=2026-03").get_data(as_text=True)
    assert form(admin, f"/settlement/vendors/{vendor_id}", {"title": f"{name} 外包"}).status_code == 302
    assert f"{name} 外包" not in admin.get("/settlement/assessment?month=2026-03").get_data(as_text=True)
    listed = table(admin.get("/settlement/").get_data(as_text=True), "vendors")
    assert [f"{name} 外包", "外包 · 已停用"] in [r[:2] for r in listed]


def test_alert_recipients_are_typed_and_shown_with_the_channels_label(db: Database, world: World, api_as) -> None:
    """Task 15c item 5 (the page walk): the recipients box showed and asked for the stored channel ("sms:138…");
    it shows the channel's label in the reader's language and takes the label (or the code) back."""
    admin = api_as(world.admin_a, world.tenant_a)
    admin.get("/settlement/assessment?lang=zh_CN")
    saved = form(admin, "/settlement/assessment/thresholds",
                 {"month": "2026-03", "limit_attrition": "9", "recipients_attrition": "短信:13800000000\n"
                  "E-mail：qa@example.com"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        row = session.scalars(select(VendorThreshold).where(VendorThreshold.metric == "attrition")).one()
        assert row.recipients == [{"channel": "sms", "to": "13800000000"}, {"channel": "email", "to": "qa@example.com"}]
    box = admin.get("/settlement/assessment?month=2026-03").get_data(as_text=True).split(
        'name="recipients_attrition"')[1].split("</textarea>")[0]
    assert box.endswith(">短信:13800000000\n邮件:qa@example.com") and "sms" not in box
    english = admin.get("/settlement/assessment?month=2026-03&lang=en").get_data(as_text=True)
    assert ">Text message:13800000000\nE-mail:qa@example.com</textarea>" in english


def test_an_internal_webhook_recipient_is_refused_in_the_readers_words(db: Database, world: World, api_as,
                                                                       monkeypatch) -> None:
    """Task 15d item 2a: the URL guard's English reason followed the Chinese prefix."""
    monkeypatch.setenv("HOTLINE_URL_ALLOW", "")  # the test run allow-lists loopback for its local servers
    admin = api_as(world.admin_a, world.tenant_a)
    fields = {"month": "2026-03", "limit_attrition": "9", "recipients_attrition": "webhook:http://127.0.0.1:6379/x"}
    page = form(admin, "/settlement/assessment/thresholds", fields).get_data(as_text=True)
    assert "127.0.0.1 是本机回环地址，平台只调用公网地址" in page and "loopback" not in page
    english = form(admin, "/settlement/assessment/thresholds?lang=en", fields).get_data(as_text=True)
    assert "127.0.0.1 is a loopback address; the platform calls only public addresses" in english
