"""Vendor assessment (seed 004): per vendor and month, service level and answer rate of the site's queues (from
the report service), ticket timeliness and complaints of its agents' tickets, QA score, attrition; thresholds
raise an alert once, through the delivery log; another tenant's calls and tickets never count."""

from __future__ import annotations

import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, Notification, Queue, Ticket, VendorAlert, VendorThreshold
from hotline.platform.settlement import assessment
from hotline.platform.settlement.inputs import parse_month

from ..platform import factories
from . import helpers

MARCH = parse_month("2026-03", ZoneInfo("UTC"))
DAY = helpers.MONTH_START + timedelta(days=4, hours=3)


def _call(queue: str, wait: int, answered: bool, n: int) -> CallRecord:
    start = DAY + timedelta(minutes=n)
    return CallRecord(uuid=uuid.uuid4().hex, did="400", caller="138", started_at=start, queue=queue,
                      wait_seconds=wait, answered_at=start + timedelta(seconds=wait) if answered else None,
                      outcome="bridged" if answered else "abandoned")


def _ticket(agent: int, form: str, late: bool, n: int) -> Ticket:
    created = DAY + timedelta(minutes=n)
    return Ticket(number=uuid.uuid4().hex[:12], form_name=form, form_version=1, status="done", assignee_id=agent,
                  created_at=created, resolution_due=created + timedelta(hours=4),
                  resolved_at=created + timedelta(hours=5 if late else 1))


def _site(db: Database) -> tuple[int, dict[str, int]]:
    with db.platform() as session:
        tenant = factories.tenant(session, "as").id
    with db.tenant(tenant) as session:
        session.add_all([Queue(name="outsourced", label="外包队列", service_level_seconds=20),
                         Queue(name="own", label="自营队列", service_level_seconds=20)])
        partner = helpers.vendor(session, "partner", queues=["outsourced"])
        own = helpers.vendor(session, "own", self_operated=True, queues=["own"])
        agents = [helpers.agent(session, f"p{n}") for n in range(4)]
        for n, uid in enumerate(agents):
            helpers.member(session, partner.id, uid, left="2026-03-15" if n == 3 else None)
        mine = helpers.agent(session, "o1")
        helpers.member(session, own.id, mine)
        # outsourced queue: 10 offered, 6 answered within 20 s, 2 after 60 s, 2 abandoned after 30 s
        session.add_all([_call("outsourced", 10, True, n) for n in range(6)] +
                        [_call("outsourced", 60, True, 6 + n) for n in range(2)] +
                        [_call("outsourced", 30, False, 8 + n) for n in range(2)] +
                        [_call("own", 5, True, 20 + n) for n in range(5)])
        # the partner's agents: 3 tickets completed in time, 1 late, one of them a complaint
        session.add_all([_ticket(agents[0], "repair", False, n) for n in range(3)] +
                        [_ticket(agents[1], "complaint", True, 5)])
        helpers.evaluation(session, agents[0], 80.0)
        helpers.evaluation(session, agents[1], 90.0)
        helpers.evaluation(session, mine, 97.0)
        ids = {"partner": partner.id, "own": own.id}
    return tenant, ids


def test_figures_per_vendor_side_by_side(db: Database) -> None:
    tenant, _ids = _site(db)
    _site(db)  # the same data in another tenant changes nothing here
    with db.tenant(tenant) as session:
        listed = assessment.figures(session, tenant, MARCH)
    assert [r["name"] for r in listed] == ["own", "partner"]  # self-operated first
    rows = {r["name"]: r for r in listed}
    partner, own = rows["partner"], rows["own"]
    assert (partner["offered"], partner["answered"]) == (10, 8)
    assert partner["service_level"] == 60.0 and partner["answer_rate"] == 80.0
    assert partner["timeliness"] == 75.0 and partner["complaints"] == 1
    assert partner["qa_score"] == 85.0 and partner["attrition"] == 25.0 and partner["agents"] == 4
    assert (own["service_level"], own["answer_rate"], own["qa_score"], own["attrition"]) == (100.0, 100.0, 97.0, 0.0)
    assert own["timeliness"] is None and own["complaints"] == 0


def test_thresholds_raise_each_alert_once_through_the_delivery_log(db: Database) -> None:
    tenant, ids = _site(db)
    with db.tenant(tenant) as session:
        assessment.save_threshold(session, "service_level", "80", "sms:13800000000\nemail:ops@example.com")
        assessment.save_threshold(session, "attrition", "10", "")
        assessment.save_threshold(session, "qa_score", "60", "sms:13800000000")
    with db.tenant(tenant) as session:
        raised = assessment.check_alerts(session, tenant, MARCH)
        assert sorted((a.vendor_id, a.metric, a.value, a.limit) for a in raised) == [
            (ids["partner"], "attrition", 25.0, 10.0), (ids["partner"], "service_level", 60.0, 80.0)]
    with db.tenant(tenant) as session:
        assert assessment.check_alerts(session, tenant, MARCH) == []  # already alerted
        sent = session.scalars(select(Notification).order_by(Notification.id)).all()
        assert [(n.channel, n.to, n.status) for n in sent] == [("sms", "13800000000", "sent"),
                                                              ("email", "ops@example.com", "sent")]
        assert sent[0].origin == {"vendor": "partner", "metric": "service_level", "month": "2026-03"}
        assert len(session.scalars(select(VendorAlert)).all()) == 2


def test_a_bad_threshold_is_named(db: Database) -> None:
    with db.platform() as session:
        tenant = factories.tenant(session, "as").id
    with db.tenant(tenant) as session, pytest.raises(assessment.InvalidThreshold) as caught:
        assessment.save_threshold(session, "service_level", "120", "fax:1\nsms:")
    assert caught.value.problems == [
        "/service_level/limit: a number from 0 to 100",
        "/service_level/recipients/0: channel:recipient, channel one of sms, email, webhook",
        "/service_level/recipients/1: channel:recipient, channel one of sms, email, webhook"]


def test_recipients_are_checked_when_the_threshold_is_saved(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unreachable recipients are refused on save, a webhook through the SSRF guard (QA of issue 15, item 13)."""
    monkeypatch.setenv("HOTLINE_URL_ALLOW", "")  # production's default: the suite allows loopback for simulators
    with db.platform() as session:
        tenant = factories.tenant(session, "rc").id
    with db.tenant(tenant) as session, pytest.raises(assessment.InvalidThreshold) as caught:
        assessment.save_threshold(session, "qa_score", "95", "email:not-an-email\nwebhook:http://127.0.0.1:6379/\n"
                                  "sms:call me\nwebhook:ftp://203.0.113.9/x\nemail:ops@example.com")
    problems = caught.value.problems
    assert len(problems) == 4
    assert problems[0] == "/qa_score/recipients/0: 'not-an-email' is not an e-mail address"
    assert problems[1].startswith("/qa_score/recipients/1: ") and "loopback" in problems[1]
    assert problems[2].startswith("/qa_score/recipients/2: 'call me' is not a phone number")
    assert problems[3].startswith("/qa_score/recipients/3: ") and "is not a public http(s) address" in problems[3]
    with db.tenant(tenant) as session:
        assert session.scalars(select(VendorThreshold)).all() == []
        saved = assessment.save_threshold(session, "qa_score", "95",
                                          "email:ops@example.com\nwebhook:https://8.8.8.8/hook\nsms:138 0000 0000")
        assert [r["channel"] for r in saved.recipients] == ["email", "webhook", "sms"]


def test_the_alert_names_the_metric_by_its_label(db: Database) -> None:
    tenant, _ids = _site(db)
    with db.tenant(tenant) as session:
        assessment.save_threshold(session, "service_level", "80", "sms:13800000000")
    with db.tenant(tenant) as session:
        assessment.check_alerts(session, tenant, MARCH)
        body = session.scalars(select(Notification.body)).one()
    assert body == "partner 外包 2026-03：服务水平（%）为 60，低于阈值 80"


@pytest.mark.parametrize("metric", sorted(assessment.LABELS))
def test_the_alert_says_below_a_minimum_and_above_a_maximum(metric: str) -> None:
    """Each metric's words follow its threshold's direction (QA of issue 15, item 12)."""
    row = {"title": "乙外包", metric: 90.0}
    zh = assessment.describe(row, metric, 95.0 if metric not in assessment.LOWER_IS_BETTER else 80.0, "2026-03")
    en = assessment.describe(row, metric, 95.0 if metric not in assessment.LOWER_IS_BETTER else 80.0, "2026-03",
                             "en")
    if metric in assessment.LOWER_IS_BETTER:
        assert "超出阈值 80" in zh and "低于" not in zh and "above the maximum 80" in en
    else:
        assert "低于阈值 95" in zh and "超出" not in zh and "below the minimum 95" in en


def test_the_alerts_command_checks_every_tenant_with_thresholds(db: Database) -> None:
    from click.testing import CliRunner

    from hotline.cli import main

    tenant, _ids = _site(db)
    quiet, _ = _site(db)  # no thresholds: not checked
    with db.tenant(tenant) as session:
        assessment.save_threshold(session, "attrition", "10", "email:ops@example.com")
    env = {"HOTLINE_DATABASE_URL": db.engine.url.render_as_string(hide_password=False)}
    result = CliRunner().invoke(main, ["vendors", "alerts", "--month", "2026-03"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len([line for line in lines if line.endswith("2026-03: 1 new alert(s)")]) == 1
    again = CliRunner().invoke(main, ["vendors", "alerts", "--month", "2026-03"], env=env)
    assert again.exit_code == 0 and "0 new alert(s)" in again.output
    with db.tenant(quiet) as session:
        assert session.scalars(select(VendorAlert)).all() == []
    bad = CliRunner().invoke(main, ["vendors", "alerts", "--month", "2026-13"], env=env)
    assert bad.exit_code != 0 and "is not a month (YYYY-MM)" in bad.output
