"""Counts with their nouns on the outbound pages (QA 13a #4): English says "1 contact" and "2 contacts", never
"13 / 13 line"; Chinese puts the line number where Chinese puts it ("第 13 行"), not "行 13"."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import time_machine

from hotline.designer.campaigns import messages, strings
from hotline.platform.db import Database
from hotline.platform.outbound import contact_jobs, contacts, dnc

from .conftest import form_post, tenant_id

pytestmark = pytest.mark.redis
# Wednesday 2026-03-11, 10:30 in Shanghai: inside the express return-visit script's 09:00-12:00 window.
MORNING = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)


def _one_contact_list(db: Database, tenant: int, phone: str) -> tuple[int, int]:
    with db.tenant(tenant) as session:
        contact_list = contacts.create_list(session, f"名单{uuid.uuid4().hex[:6]}", "service", "op")
        job_id = contact_jobs.create(session, contact_list, "l.csv", f"姓名,手机\n甲,{phone}\n".encode(), "op").id
        list_id = contact_list.id
    contact_jobs.run(db, tenant, job_id)
    return list_id, job_id


def _create(client, list_id: int):  # type: ignore[no-untyped-def]
    return form_post(client, "/campaigns/new", {
        "name": f"回访{uuid.uuid4().hex[:6]}", "script": "return_visit", "contact_list": str(list_id), "mode": "",
        "queue": "", "skill": "", "max_lines": "5", "abandon_cap": "3", "max_attempts": "3", "min_gap": "60",
        "agent_wait": "60", "timezone": "", "windows": "", "retries": ""}, follow_redirects=True)


def test_counts_read_right_in_english_and_chinese(api_as, db: Database, world, campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    list_id, job_id = _one_contact_list(db, a, phone)
    with db.tenant(a) as session:
        dnc.add(session, phone, "operator", "op")
    client = api_as(campaigner)
    client.get("/campaigns/?lang=en")
    created = _create(client, list_id)
    url = created.request.path
    assert "Campaign created with 1 contact." in created.get_data(as_text=True)
    job = client.get(f"/campaigns/lists/{list_id}/imports/{job_id}").get_data(as_text=True)
    assert 'Lines read: <span data-k="done">1</span> / <span data-k="total">1</span>' in job
    assert "<th>Line</th>" in job and "</span> line" not in job
    with time_machine.travel(MORNING, tick=False):
        en = client.get(url).get_data(as_text=True)
        client.get("/campaigns/?lang=zh_CN")
        zh = client.get(url).get_data(as_text=True)
    assert f"line 2: +86{phone}" in en
    assert f"第 2 行：+86{phone}" in zh and "行 2" not in zh
    assert "外呼活动已创建，共 1 个联系人。" in _create(client, list_id).get_data(as_text=True)
    job = client.get(f"/campaigns/lists/{list_id}/imports/{job_id}").get_data(as_text=True)
    assert '已读取 <span data-k="done">1</span> / <span data-k="total">1</span> 行' in job and "<th>行号</th>" in job


def test_the_rules_details_count_without_a_wrong_plural() -> None:
    strings.register()
    assert messages.say({"code": "detail.attempt_cap", "made": 1, "cap": 1}, "en") == "attempts made: 1; the cap is 1"
    assert messages.say({"code": "detail.min_gap", "minutes": 1, "gap": 1}, "en") == (
        "last attempt 1 min ago; the minimum gap is 1 min")
    assert messages.say({"code": "detail.attempt_cap", "made": 1, "cap": 3}, "zh_CN") == "已拨打 1 次；上限为 3 次"
