"""Why a contact's dialling ended is stored as a code with its parameters and read in the reader's language (QA 13a
#5): the dialer's and the desk's reasons in the database are `{"code": …}`, not English prose; the results export
words them per request language; rows written before the codes still read, in the reader's language when known."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hotline.designer.campaigns import messages, strings
from hotline.platform.db import Database
from hotline.platform.models import CampaignEntry, DialAttempt
from hotline.platform.outbound import dialing, dnc, preview

from .conftest import preview_campaign, tenant_id

pytestmark = pytest.mark.redis
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing


def test_reasons_are_stored_as_codes_and_exported_in_the_readers_language(api_as, db: Database, world,
                                                                          campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    campaign_id, phones = preview_campaign(db, a, ("郑一", "王二", "冯三"),
                                           retry_policy={"busy": {"delay_minutes": 30, "max": 0}})
    with db.tenant(a) as session:
        dnc.add(session, phones[2], "operator", "op")
    with db.tenant(a) as session:
        first = preview.offer(session, "1001", set(), NOW)
        preview.skip(session, first.attempt_id, "1001", "duplicate", NOW)
        second = preview.offer(session, "1001", set(), NOW)
        preview.dial(session, second.attempt_id, "1001", NOW)
        dialing.record_failure(session, second.attempt_id, "USER_BUSY", NOW + timedelta(seconds=20))
        assert preview.offer(session, "1001", set(), NOW) is None  # the third: refused, on the DNC list
    with db.tenant(a) as session:
        stored = {phone: reason for phone, reason in session.execute(
            select(CampaignEntry.phone_e164, CampaignEntry.closed_reason)
            .where(CampaignEntry.campaign_id == campaign_id))}
        assert json.loads(stored[phones[0]]) == {"code": "reason.agent_skip", "agent": "1001", "skip": "duplicate"}
        assert json.loads(stored[phones[1]]) == {"code": "reason.retries_exhausted", "outcome": "busy", "tried": 1,
                                                 "max": 0}
        assert json.loads(stored[phones[2]]) == {"code": "detail.dnc", "lists": ["tenant"]}
        skipped = session.scalar(select(DialAttempt.reason).where(DialAttempt.phone_e164 == phones[0]))
        assert json.loads(skipped)["code"] == "reason.agent_skip"
    client = api_as(campaigner)
    zh = list(csv.reader(io.StringIO(client.get(f"/campaigns/{campaign_id}/export?format=csv&lang=zh_CN")
                                     .get_data(as_text=True).lstrip("\ufeff"))))
    assert zh[0][-2:] == ["原因", "工单"]
    why = {row[1]: row[-2] for row in zh[1:]}
    assert why["郑一"] == "座席 1001 跳过：重复的联系人" and why["冯三"] == "在免打扰名单中：本租户名单"
    en = list(csv.reader(io.StringIO(client.get(f"/campaigns/{campaign_id}/export?format=csv&lang=en")
                                     .get_data(as_text=True).lstrip("\ufeff"))))
    assert en[0][-2] == "Why" and {row[1]: row[-2] for row in en[1:]}["郑一"] == (
        "skipped by agent 1001: a duplicate of another contact")
    assert "reason." not in "".join(",".join(row) for row in zh + en)  # never a code


def test_old_rows_english_reasons_still_read_in_the_readers_language() -> None:
    strings.register()
    assert messages.say("busy: 3 times, the policy retries 2", "zh_CN") == "占线：已拨打 3 次；重拨规则最多重拨 2 次"
    assert messages.say("skipped in preview: the contact's data is wrong", "zh_CN") == "座席跳过：联系人资料有误"
    assert messages.say("answered, but the call never reached a runtime (no agent or script took it)", "zh_CN") == (
        "已接通，但呼叫未到达座席或语音流程")
    assert messages.say("on the do-not-call list: tenant, platform", "zh_CN") == "在免打扰名单中：本租户名单、平台名单"
    assert messages.say("task done by 张丽: 已回访", "zh_CN") == "任务已由 张丽 办结：已回访"
    assert messages.say("a reason nobody mapped", "zh_CN") == "a reason nobody mapped"  # shown as stored
    assert messages.say('{"code":"reason.wrong_number"}', "en") == "wrong number"
