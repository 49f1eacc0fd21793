"""An agent's preview skip reads as the agent's, with the reason the agent chose (QA 13a #1): in the campaign's
progress, in why its contacts ended, and in the CSV and Excel results — never as "skipped by the rules"."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest
import time_machine

from hotline.platform.db import Database
from hotline.platform.models import CampaignEntry
from hotline.platform.outbound import dnc, preview

from .conftest import preview_campaign, tenant_id

pytestmark = pytest.mark.redis
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing


def test_an_agents_skip_is_the_agents_with_its_reason_on_the_page_and_in_exports(api_as, db: Database, world,
                                                                                  campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    campaign_id, phones = preview_campaign(db, a, ("钱一", "孙二"))
    with db.tenant(a) as session:  # the second contact is refused by the rules: on the do-not-call list
        dnc.add(session, phones[1], "operator", "op")
    with db.tenant(a) as session:
        offer = preview.offer(session, "1001", set(), NOW)
        preview.skip(session, offer.attempt_id, "1001", "wrong_data", NOW)
        assert preview.offer(session, "1001", set(), NOW) is None  # the rules refuse the second
    client = api_as(campaigner)
    with time_machine.travel(NOW, tick=False):
        zh = client.get(f"/campaigns/{campaign_id}?lang=zh_CN").get_data(as_text=True)
        en = client.get(f"/campaigns/{campaign_id}?lang=en").get_data(as_text=True)
    assert '<th>座席跳过</th><td data-figure="skipped_by_agent">1</td>' in zh
    assert '<th>因合规规则跳过</th><td data-figure="skipped">1</td>' in zh
    assert "<td>未能接通</td><td>座席跳过：联系人资料有误</td><td>1</td>" in zh
    assert "<td>已跳过</td><td>免打扰名单</td><td>1</td>" in zh and "按规则跳过" not in zh
    assert '<th>Skipped by agents</th><td data-figure="skipped_by_agent">1</td>' in en
    assert "Skipped by the agent: wrong contact data" in en
    rows = list(csv.reader(io.StringIO(client.get(f"/campaigns/{campaign_id}/export?format=csv&lang=zh_CN")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    by_name = {row[1]: row[3:6] for row in rows[1:]}
    assert by_name["钱一"] == ["座席跳过", "否", "座席跳过：联系人资料有误"]
    assert by_name["孙二"] == ["按规则跳过", "否", "免打扰名单"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/campaigns/{campaign_id}/export?format=xlsx&lang=en").data))
    cells = {row[1]: row[3:6] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert cells["钱一"] == ("Skipped by the agent", "no", "Skipped by the agent: wrong contact data")
    assert cells["孙二"][0] == "Skipped by a rule"


def test_an_agents_skip_ended_before_its_code_was_kept_still_reads_as_the_agents(api_as, db: Database, world,
                                                                                 campaigner) -> None:
    from sqlalchemy import select

    a = tenant_id(db, world.tenant_a)
    campaign_id, _phones = preview_campaign(db, a, ("周三",))
    with db.tenant(a) as session:  # as preview.skip stored it before: last outcome "skipped", the words for logs
        entry = session.scalar(select(CampaignEntry).where(CampaignEntry.campaign_id == campaign_id))
        entry.state, entry.last_outcome = "closed", "skipped"
        entry.closed_reason = "skipped in preview: a duplicate of another contact"
    zh = api_as(campaigner).get(f"/campaigns/{campaign_id}?lang=zh_CN").get_data(as_text=True)
    assert "<td>已关闭</td><td>座席跳过：重复的联系人</td><td>1</td>" in zh and "按规则跳过" not in zh
