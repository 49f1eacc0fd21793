"""Starting a campaign that cannot start says why, and only why (QA 13a #6): a stopped campaign's start is refused
for its status alone — never with an invented "every contact is refused" — and contacts dialled minutes ago (the
minimum gap, a rule that passes) do not make a paused campaign read as if every contact were refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from hotline.platform.db import Database
from hotline.platform.models import Campaign, DialAttempt
from hotline.platform.outbound import campaigns, contacts
from hotline.platform.outbound.campaigns import CampaignRefused
from hotline.platform.services import templates

# Wednesday 2026-03-11, 10:30 in Shanghai: inside the satisfaction survey's 10:00-12:00 window.
MORNING = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)
CSV = "姓名,手机\n张三,13812345678\n李四,13912345678\n"


@pytest.fixture(scope="module")
def tenant(db: Database) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("property_management"), f"rs{uuid.uuid4().hex[:8]}", None,
                               "test").id


def _dialled_campaign(db: Database, tenant: int) -> int:
    """A running agentless survey whose two contacts were each dialled five minutes ago (no answer)."""
    with db.tenant(tenant) as session:
        contact_list = contacts.create_list(session, f"l{uuid.uuid4().hex[:6]}", "service", "op")
        contacts.import_contacts(session, contact_list, "l.csv", CSV.encode())
        campaign = campaigns.create(session, name=f"满意度{uuid.uuid4().hex[:6]}", script="satisfaction_survey",
                                    contact_list_id=contact_list.id, actor="op", min_gap_minutes=60)
        campaigns.start(session, campaign.id, MORNING - timedelta(minutes=10), None, actor="op")
        for phone in ("+8613812345678", "+8613912345678"):
            session.add(DialAttempt(phone_e164=phone, at=MORNING - timedelta(minutes=5), outcome="no_answer",
                                    campaign_id=campaign.id))
        return campaign.id


def test_a_stopped_campaigns_start_is_refused_for_its_status_only(db: Database, tenant: int) -> None:
    campaign_id = _dialled_campaign(db, tenant)
    with db.tenant(tenant) as session:
        campaigns.stop(session, campaign_id, MORNING, actor="op", reason="客户要求暂停")
        with pytest.raises(CampaignRefused) as refused:
            campaigns.start(session, campaign_id, MORNING, None, actor="op")
        assert [p.code for p in refused.value.problems] == ["status"]
        assert refused.value.problems[0].render() == (
            "The campaign is stopped; only a draft or paused campaign can start.")
        assert session.get(Campaign, campaign_id).status == "stopped"


def test_contacts_inside_their_minimum_gap_do_not_read_as_all_refused(db: Database, tenant: int) -> None:
    campaign_id = _dialled_campaign(db, tenant)
    with db.tenant(tenant) as session:
        campaigns.pause(session, campaign_id, actor="op")
        problems, check = campaigns.start_check(session, session.get(Campaign, campaign_id), MORNING, None)
        assert check is not None and check.refused["min_gap"]["count"] == 2  # the check still shows them
        assert [p.code for p in problems] == []  # the dialer takes them up when the gap has passed
        campaigns.resume(session, campaign_id, MORNING, None, actor="op")
        assert session.get(Campaign, campaign_id).status == "running"
