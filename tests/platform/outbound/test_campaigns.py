"""Campaign service: created from a published outbound script and filled from a list; start refused with the
reason (no window left today, no agent signed in, nothing to dial); pause/resume/stop; progress figures from the
attempts; tenants kept apart."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from hotline.platform.db import Database
from hotline.platform.models import DialAttempt
from hotline.platform.outbound import campaigns, contacts
from hotline.platform.outbound.campaigns import AgentState, CampaignRefused
from hotline.platform.outbound.progress import progress
from hotline.platform.services import templates
from hotline.platform.services.documents import DocumentService
from hotline.platform.services.errors import Duplicate, InvalidDocument, NotFound

# Wednesday 2026-03-11 in Shanghai: 10:30 (inside the survey's 10:00-12:00 window) and 23:58 (none left today).
MORNING = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)
BEFORE_MIDNIGHT = datetime(2026, 3, 11, 15, 58, tzinfo=UTC)
CSV = "姓名,手机\n张三,13812345678\n李四,13912345678\n王五,bad\n"
AGENT = AgentState("1001", "available", {})
AWAY = AgentState("1002", "offline", {})


@pytest.fixture(scope="module")
def tenants(db: Database) -> tuple[int, int]:
    ids = []
    for prefix in ("ca", "cb"):
        with db.platform() as session:
            ids.append(templates.clone(session, templates.load("property_management"),
                                       f"{prefix}{uuid.uuid4().hex[:8]}", None, "test").id)
    return ids[0], ids[1]


def _list(session, name: str, purpose: str = "service", csv: str = CSV):
    contact_list = contacts.create_list(session, name, purpose, "op")
    contacts.import_contacts(session, contact_list, "l.csv", csv.encode())
    return contact_list


def _campaign(session, name: str, **values):
    contact_list = _list(session, f"{name}-list")
    return campaigns.create(session, name=name, script=values.pop("script", "satisfaction_survey"),
                            contact_list_id=contact_list.id, actor="op", **values)


def test_a_campaign_takes_the_scripts_version_policy_and_the_lists_contacts(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        campaign = _campaign(session, "满意度-1")
        assert (campaign.status, campaign.mode, campaign.script_version) == ("draft", "agentless", 1)
        assert campaign.windows["timezone"] == "Asia/Shanghai" and len(campaign.windows["windows"]) == 2
        assert campaign.retry_policy == {"busy": {"delay_minutes": 30, "max": 1},
                                         "no_answer": {"delay_minutes": 240, "max": 2}}
        assert campaigns.entry_counts(session, campaign.id) == {"pending": 2}
        assert campaigns.populate(session, campaign) == 0  # filling again adds nothing


def test_new_lines_of_the_list_join_on_populate(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        campaign = _campaign(session, "满意度-2")
        from hotline.platform.models import ContactList

        contacts.import_contacts(session, session.get(ContactList, campaign.contact_list_id), "more.csv",
                                 "姓名,手机\n赵六,13712345678\n".encode())
        assert campaigns.populate(session, campaign) == 1
        assert campaigns.entry_counts(session, campaign.id) == {"pending": 3}


def test_bad_settings_are_reported_by_pointer_and_nothing_is_created(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        with pytest.raises(InvalidDocument) as refused:
            _campaign(session, "坏设置", mode="turbo", max_lines=10_000,
                      windows={"timezone": "Mars/Base", "windows": [{"days": ["funday"], "start": "9", "end": "x"}]},
                      retry_policy={"busy": {"delay_minutes": 0, "max": 1}, "sunny": {"delay_minutes": 5, "max": 1}})
        paths = {f.pointer for f in refused.value.findings}
        assert paths == {"/mode", "/max_lines", "/windows/timezone", "/windows/windows/0/days", "/windows/windows/0",
                         "/retry_policy/busy", "/retry_policy/sunny"}
        assert all(c.name != "坏设置" for c in campaigns.list_campaigns(session))
    with db.tenant(a) as session:
        with pytest.raises(InvalidDocument, match="not published"):
            campaigns.create(session, name="无脚本", script="no_such_script", contact_list_id=None, actor="op")
        _campaign(session, "同名活动")
    with pytest.raises(Duplicate), db.tenant(a) as session:
        campaigns.create(session, name="同名活动", script="satisfaction_survey", contact_list_id=None, actor="op")


def test_a_script_without_dispositions_is_refused_at_publish(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        service = DocumentService(session, "op")
        body = dict(service.published("outbound", "satisfaction_survey").body, dispositions=[])
        service.create("outbound", "no_dispositions", body)
        with pytest.raises(InvalidDocument) as refused:
            service.publish("outbound", "no_dispositions")
        assert any(f.pointer == "/dispositions" for f in refused.value.findings)


def test_start_is_refused_with_the_reason_and_then_runs(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        campaign = _campaign(session, "营销-1", script="new_business", mode="progressive")
        with pytest.raises(CampaignRefused) as refused:
            campaigns.start(session, campaign.id, BEFORE_MIDNIGHT, [AWAY], actor="op")
        codes = {p.code for p in refused.value.problems}
        assert codes == {"no_window_today", "no_agents"}
        # neither skill nor queue: the reason says so without an empty "（—）" (QA 13 round 4 #9)
        no_agents = next(p for p in refused.value.problems if p.code == "no_agents")
        assert "—" not in no_agents.render() and "()" not in no_agents.render()
        assert "2026-03-12 10:00 (Asia/Shanghai)" in str(refused.value)
        assert campaign.status == "draft"
        campaigns.start(session, campaign.id, MORNING, [AGENT], actor="op")
        assert campaign.status == "running" and campaign.started_at == MORNING
        campaigns.pause(session, campaign.id, actor="op")
        with pytest.raises(CampaignRefused):
            campaigns.pause(session, campaign.id, actor="op")
        with pytest.raises(CampaignRefused, match="agent"):
            campaigns.resume(session, campaign.id, MORNING, [], actor="op")
        campaigns.resume(session, campaign.id, MORNING, [AGENT], actor="op")
        with pytest.raises(CampaignRefused, match="why"):
            campaigns.stop(session, campaign.id, MORNING, actor="op", reason=" ")
        campaigns.stop(session, campaign.id, MORNING, actor="op", reason="客户投诉，暂停营销")
        assert (campaign.status, campaign.stopped_at) == ("stopped", MORNING)
        with pytest.raises(CampaignRefused):
            campaigns.start(session, campaign.id, MORNING, [AGENT], actor="op")


def test_an_agentless_campaign_starts_without_agents_and_a_holiday_has_no_window(db: Database, tenants) -> None:
    a, _b = tenants
    from hotline.platform.models import Tenant

    with db.tenant(a) as session:
        campaign = _campaign(session, "满意度-3")
        campaigns.start(session, campaign.id, MORNING, None, actor="op")
        assert campaign.status == "running"
        holiday = _campaign(session, "满意度-4")
        tenant = session.get(Tenant, a)
        before = tenant.settings
        tenant.settings = {**tenant.settings, "calendar": {**(tenant.settings.get("calendar") or {}),
                                                           "holidays": ["2026-03-11"]}}
        session.flush()
        with pytest.raises(CampaignRefused) as refused:
            campaigns.start(session, holiday.id, MORNING, None, actor="op")
        assert [p.code for p in refused.value.problems] == ["no_window_today"]
    with db.tenant(a) as session:
        session.get(Tenant, a).settings = before


def test_progress_counts_attempts_connects_and_abandon_rates_per_window(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        campaign = _campaign(session, "满意度-5")
        two_days_ago, this_morning = MORNING - timedelta(days=2), MORNING - timedelta(hours=1)
        for at, outcome, abandoned in ((two_days_ago, "abandoned", True), (two_days_ago, "answered", False),
                                       (this_morning, "answered", False), (this_morning, "answered", False),
                                       (this_morning, "abandoned", True), (this_morning, "busy", False),
                                       (this_morning, "machine", False), (this_morning, "skipped", False)):
            session.add(DialAttempt(phone_e164="+8613812345678", at=at, outcome=outcome, abandoned=abandoned,
                                    campaign_id=campaign.id, answered_at=at if outcome == "answered" else None,
                                    ended_at=at + timedelta(minutes=3) if outcome == "answered" else None))
        session.flush()
        figures = progress(session, campaign, MORNING, [AGENT, AgentState("1003", "on_call", {}), AWAY])
        assert (figures["attempts"], figures["connects"], figures["skipped"]) == (7, 5, 1)
        assert figures["abandon_rate"] == {"campaign": 0.4, "today": 0.3333, "last_24h": 0.3333}
        assert figures["entries"]["left"] == 2 and figures["done_ratio"] == 0.0
        assert figures["agents"] == {"signed_in": 2, "busy": 1, "occupancy": 0.5}
        assert figures["talk_minutes_today"] == 6.0


def test_another_tenants_campaign_is_not_found(db: Database, tenants) -> None:
    a, b = tenants
    with db.tenant(a) as session:
        campaign_id = _campaign(session, "满意度-6").id
    with db.tenant(b) as session:
        for act in (lambda: campaigns.get(session, campaign_id),
                    lambda: campaigns.start(session, campaign_id, MORNING, [AGENT], actor="op"),
                    lambda: campaigns.pause(session, campaign_id, actor="op"),
                    lambda: campaigns.stop(session, campaign_id, MORNING, actor="op", reason="x")):
            with pytest.raises(NotFound):
                act()


def test_a_campaign_takes_its_list_in_one_insert_select(db: Database, tenants) -> None:
    """QA 13 #1: a 200,000-contact list timed out (48.7 s) as the entries went through Python one by one; they are
    now copied by the database in one INSERT … SELECT, whatever the list's size."""
    from sqlalchemy import event

    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = _list(session, "大名单")
        engine = session.get_bind()
        inserts: list[tuple[str, object]] = []

        def seen(_conn, _cursor, statement, parameters, *_args) -> None:  # type: ignore[no-untyped-def]
            if statement.lstrip().upper().startswith("INSERT INTO CAMPAIGN_ENTRY"):
                inserts.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", seen)
        try:
            campaign = campaigns.create(session, name="大名单活动", script="satisfaction_survey",
                                        contact_list_id=contact_list.id, actor="op")
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert len(inserts) == 1 and "SELECT" in inserts[0][0].upper(), inserts
        assert "12345678" not in str(inserts[0][1])  # no contact's number came through Python
        assert campaigns.entry_counts(session, campaign.id) == {"pending": 2}
        assert campaigns.populate(session, campaign) == 0


def test_a_campaign_is_not_created_on_a_list_without_contacts(db: Database, tenants) -> None:
    """Issue 13 (13b #3): an import that failed left an empty list, and a campaign was created on it."""
    a, _b = tenants
    with db.tenant(a) as session:
        empty = _list(session, "导入失败的名单", csv="姓名,手机\n王五,bad\n")
        with pytest.raises(InvalidDocument) as refused:
            campaigns.create(session, name="空名单活动", script="satisfaction_survey", contact_list_id=empty.id,
                             actor="op")
        assert [(f.pointer, f.code) for f in refused.value.findings] == [("/contact_list_id", "empty")]
        assert all(c.name != "空名单活动" for c in campaigns.list_campaigns(session))


def test_every_contact_of_a_large_list_is_enrolled_exactly_once(db: Database, tenants) -> None:
    """Issue 13 (13b #6): the set-based enrolment of a large list, filled again after more lines, leaves each
    contact in the campaign once, with its own number."""
    from sqlalchemy import func, insert, select

    from hotline.platform.models import CampaignEntry, Contact

    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "三千人", "service", "op")
        session.execute(insert(Contact), [{"tenant_id": a, "list_id": contact_list.id, "name": "",
                                           "phone_e164": f"+86137{i:08d}", "fields": {}, "line": i + 2}
                                          for i in range(3_000)])
        campaign = campaigns.create(session, name="三千人活动", script="satisfaction_survey",
                                    contact_list_id=contact_list.id, actor="op")
        session.execute(insert(Contact), [{"tenant_id": a, "list_id": contact_list.id, "name": "",
                                           "phone_e164": f"+86136{i:08d}", "fields": {}, "line": i + 3_002}
                                          for i in range(500)])
        assert campaigns.populate(session, campaign) == 500 and campaigns.populate(session, campaign) == 0
        enrolled = session.execute(select(CampaignEntry.contact_id, CampaignEntry.phone_e164)
                                   .where(CampaignEntry.campaign_id == campaign.id)).all()
        listed = session.execute(select(Contact.id, Contact.phone_e164)
                                 .where(Contact.list_id == contact_list.id)).all()
        assert len(enrolled) == 3_500 and sorted(enrolled) == sorted(listed)
        twice = session.scalar(select(func.count()).select_from(
            select(CampaignEntry.contact_id).where(CampaignEntry.campaign_id == campaign.id)
            .group_by(CampaignEntry.contact_id).having(func.count() > 1).subquery()))
        assert twice == 0


def test_a_scripts_custom_contact_column_publishes_and_prelaunch_lists_contacts_without_it(
        db: Database, tenants) -> None:
    """QA 13f #1: the lists page offers other columns as {{contact.<列名>}}, yet a script reading
    {{contact.city}} was refused at publish as an unknown contact field. Another tenant's columns do not count."""
    from hotline.platform.outbound.prelaunch import prelaunch

    a, b = tenants
    with db.tenant(a) as session:
        city_list = _list(session, "带城市的名单", csv="姓名,手机,city\n张三,13812345678,北京\n李四,13912345678,\n")
        service = DocumentService(session, "op")
        body = service.published("outbound", "satisfaction_survey").body
        body["pages"]["intro"]["say"] = "您好，{{contact.city}}的业主" + body["pages"]["intro"]["say"]
        service.create("outbound", "city_survey", body)
        script = service.publish("outbound", "city_survey").body
        check = prelaunch(session, city_list, script, MORNING)
        assert check.missing_variables == []
        assert check.lacking_variables["city"]["count"] == 1
        assert check.lacking_variables["city"]["examples"][0]["line"] == 3  # 李四 has no city
    with db.tenant(b) as session:  # tenant B has no list with a city column
        service = DocumentService(session, "op")
        service.create("outbound", "city_survey", body)
        with pytest.raises(InvalidDocument) as refused:
            service.publish("outbound", "city_survey")
        assert any(f.code == "unknown-field" and "city" in f.message for f in refused.value.findings)
