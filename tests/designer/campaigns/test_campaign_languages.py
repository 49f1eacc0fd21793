"""Every message of the outbound pages in the reader's language (QA of issue 13, round 3): import line errors and
pre-launch reasons are stored as codes and parameters and worded at display, WTForms' own messages come from the
catalogue WTForms ships, old rows' English sentences are mapped back to their codes, and a walk of the campaign
pages in Chinese meets none of the English sentences the tester found."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from hotline.designer.campaigns import strings
from hotline.platform.db import Database
from hotline.platform.models import ImportJob
from hotline.platform.outbound import contact_jobs, contacts, dnc

from .conftest import form_post, tenant_id

pytestmark = pytest.mark.redis
# Wednesday 2026-03-11, 22:30 in Shanghai: outside the return-visit script's windows (next: Thursday 09:00).
NIGHT = datetime(2026, 3, 11, 14, 30, tzinfo=UTC)
CSV = "姓名,手机,同意时间\n甲,13812345678,\n乙,12345,\n丙,13912345678,昨天\n丁,6470112,\n戊,13912345679,\n"
#: English sentences a Chinese page of the area must not show (what the tester found, and their kin).
ENGLISH = ("is not a Chinese mobile", "is a landline without its area code", "is not a date and time",
           "is outside the call windows", "next opening", "attempts made", "on the do-not-call list",
           "Number must be between", "This field is required", "Not a valid", "already exists",
           "write days and hours", "delay_minutes", "disposition dnc", "call disposition", "the phone number is empty",
           "no phone column", "longer than the server", "the file is empty", "neither CSV nor Excel")


def _import(db: Database, tenant: int, text: str = CSV) -> tuple[int, int]:
    with db.tenant(tenant) as session:
        contact_list = contacts.create_list(session, f"名单{uuid.uuid4().hex[:6]}", "service", "op")
        job_id = contact_jobs.create(session, contact_list, "l.csv", text.encode("gbk"), "op").id
        list_id = contact_list.id
    contact_jobs.run(db, tenant, job_id)
    return list_id, job_id


def _create(client, list_id: int, **fields):  # type: ignore[no-untyped-def]
    data = {"name": f"回访{uuid.uuid4().hex[:6]}", "script": "return_visit", "contact_list": str(list_id),
            "mode": "", "queue": "", "skill": "", "max_lines": "5", "abandon_cap": "3", "max_attempts": "3",
            "min_gap": "60", "timezone": "", "windows": "", "retries": ""}
    return form_post(client, "/campaigns/new", {**data, **fields})


def _english_in(html: str) -> list[str]:
    return [sentence for sentence in ENGLISH if sentence in html]


def test_import_line_errors_are_stored_as_codes_and_worded_per_reader(api_as, db, world, campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    list_id, job_id = _import(db, a)
    with db.tenant(a) as session:
        assert session.get(ImportJob, job_id).errors == [
            [3, {"code": "number.not_chinese", "raw": "12345"}],
            [4, {"code": "contacts.bad_consent_time", "value": "昨天"}],
            [5, {"code": "number.no_area_code", "raw": "6470112", "digits": "6470112"}]]
    client = api_as(campaigner)
    page = f"/campaigns/lists/{list_id}/imports/{job_id}"
    zh = client.get(f"{page}?lang=zh_CN").get_data(as_text=True)
    assert "<td>3</td><td>“12345”不是中国大陆的手机、固话或 400/800 号码</td>" in zh
    assert "同意时间“昨天”无法识别" in zh and "“6470112”是缺少区号的固话（例如 010-6470112）" in zh
    assert _english_in(zh) == []
    api = client.get(f"/campaigns/api/imports/{job_id}?lang=zh_CN").get_json()  # what the progress script writes
    assert api["errors"][0]["reason"] == "“12345”不是中国大陆的手机、固话或 400/800 号码"
    en = client.get(f"{page}?lang=en").get_data(as_text=True)
    assert "&#39;12345&#39; is not a Chinese mobile, landline or 400/800 number" in en and "不是" not in en
    api = client.get(f"/campaigns/api/imports/{job_id}?lang=en").get_json()
    assert api["errors"][2]["reason"] == "'6470112' is a landline without its area code (e.g. 010-6470112)"


def test_an_old_jobs_english_errors_are_shown_in_the_readers_language(api_as, db, world, campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    list_id, job_id = _import(db, a, "姓名,手机\n甲,13812345678\n")
    with db.tenant(a) as session:  # as a job imported before the codes stored it
        session.get(ImportJob, job_id).errors = [[2, "'abc' is not a Chinese mobile, landline or 400/800 number"],
                                                 [3, "no phone column (电话 / 手机 / phone)"],
                                                 [4, "a reason nobody mapped"]]
    client = api_as(campaigner)
    zh = client.get(f"/campaigns/lists/{list_id}/imports/{job_id}?lang=zh_CN").get_data(as_text=True)
    assert "“abc”不是中国大陆的手机、固话或 400/800 号码" in zh and "缺少电话列" in zh
    assert "a reason nobody mapped" in zh  # unknown: shown as stored, not lost


def test_prelaunch_reasons_are_worded_in_the_readers_language(api_as, db, world, campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    client = api_as(campaigner)
    list_id, _job = _import(db, a)
    with db.tenant(a) as session:
        dnc.add(session, "13812345678", "operator", "op")
    created = _create(client, list_id)
    assert created.status_code == 302
    with time_machine.travel(NIGHT, tick=False):
        zh = client.get(f"{created.headers['Location']}?lang=zh_CN").get_data(as_text=True)
        en = client.get(f"{created.headers['Location']}?lang=en").get_data(as_text=True)
    assert "在免打扰名单中：本租户名单" in zh
    assert "2026-03-11 22:30（Asia/Shanghai）不在可拨打时段内；下一个时段开始于 2026-03-12 09:00" in zh
    assert _english_in(zh) == []
    assert "on the do-not-call list: this tenant&#39;s list" in en
    assert "2026-03-11 22:30 (Asia/Shanghai) is outside the call windows; next opening 2026-03-12 09:00" in en


def test_form_messages_of_wtforms_and_ours_follow_the_language(api_as, db, world, campaigner) -> None:
    client = api_as(campaigner)
    list_id, _job = _import(db, tenant_id(db, world.tenant_a), "姓名,手机\n甲,13812345678\n")
    bad = {"name": "", "max_lines": "0", "min_gap": "x", "windows": "mon 9-12", "retries": "busy thirty 3"}
    zh = _create(client, list_id, **bad).get_data(as_text=True)
    assert "数值大小必须介于 1 到 200 之间" in zh and "该字段是必填字段" in zh and "不是有效的整数" in zh
    assert "第 1 行：请按“mon,tue 09:00-12:00”的格式填写星期与时段" in zh
    assert _english_in(zh) == []
    client.get("/campaigns/?lang=en")  # the session's choice
    en = _create(client, list_id, **bad).get_data(as_text=True)
    assert "Number must be between 1 and 200." in en and "This field is required." in en
    assert "line 1: write days and hours" in en and "数值" not in en
    client.get("/campaigns/?lang=zh_CN")
    name = f"同名{uuid.uuid4().hex[:6]}"
    form_post(client, "/campaigns/lists", {"name": name, "purpose": "service"})
    again = form_post(client, "/campaigns/lists", {"name": name, "purpose": "service"}).get_data(as_text=True)
    assert f"已存在名为“{name}”的名单" in again and _english_in(again) == []


def test_a_dnc_entry_from_a_disposition_shows_words_not_its_stored_note(api_as, db, world, campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    with db.tenant(a) as session:
        dnc.add(session, "13987654321", "disposition", "agent1", note="disposition dnc")  # as the dialer writes it
    client = api_as(campaigner)
    zh = client.get("/campaigns/dnc?lang=zh_CN").get_data(as_text=True)
    # the disposition by the script's label, not its code (QA 13a #3)
    assert "通话中要求不再来电" in zh and "通话处理结果：要求不再来电" in zh and "disposition dnc" not in zh
    en = client.get("/campaigns/dnc?lang=en").get_data(as_text=True)
    assert "call disposition: 要求不再来电" in en


def test_a_walk_of_the_campaign_pages_in_chinese_meets_no_english_sentence(api_as, db, world, campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    client = api_as(campaigner)
    list_id, job_id = _import(db, a)
    created = _create(client, list_id)
    client.get("/campaigns/?lang=zh_CN")
    pages = ["/campaigns/", "/campaigns/new", created.headers["Location"], "/campaigns/lists",
             f"/campaigns/lists/{list_id}", f"/campaigns/lists/{list_id}/imports/{job_id}", "/campaigns/dnc",
             "/campaigns/tasks/windows"]
    with time_machine.travel(NIGHT + timedelta(days=1), tick=False):
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert _english_in(response.get_data(as_text=True)) == [], url


def test_every_message_code_has_chinese_and_english_words() -> None:
    from hotline.designer.campaigns import messages

    strings.register()
    codes = [k for k in strings.STRINGS if k.split(".")[0] in ("number", "contacts", "detail", "dnc_list")]
    assert len(codes) >= 15
    for code in codes:
        assert code in strings.ENGLISH, code
        assert messages.say({"code": code}, "zh_CN") != messages.say({"code": code}, "en"), code


def test_why_contacts_ended_shows_labels_of_the_stored_codes(api_as, db, world, campaigner) -> None:
    from sqlalchemy import select

    from hotline.platform.models import CampaignEntry

    a = tenant_id(db, world.tenant_a)
    client = api_as(campaigner)
    list_id, _job = _import(db, a)
    created = _create(client, list_id)
    campaign_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with db.tenant(a) as session:  # as the dialer ends them: English words for logs, the code in last_outcome
        first, second = session.scalars(select(CampaignEntry).where(CampaignEntry.campaign_id == campaign_id)
                                        .order_by(CampaignEntry.id)).all()
        first.state, first.last_outcome, first.closed_reason = "skipped", "dnc", "on the do-not-call list: tenant"
        second.state, second.last_outcome, second.closed_reason = "failed", "busy", "busy: 3 times"
    zh = client.get(f"/campaigns/{campaign_id}?lang=zh_CN").get_data(as_text=True)
    assert "联系人结束原因" in zh and "<td>已跳过</td><td>免打扰名单</td><td>1</td>" in zh
    assert "<td>未能接通</td><td>占线</td><td>1</td>" in zh and "busy: 3 times" not in zh
    en = client.get(f"/campaigns/{campaign_id}?lang=en").get_data(as_text=True)
    assert "<td>Skipped</td><td>On the do-not-call list</td><td>1</td>" in en


def test_a_failed_imports_known_reason_is_worded_per_reader(api_as, db, world, campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    list_id, job_id = _import(db, a, "姓名,手机\n甲,13812345678\n")
    with db.tenant(a) as session:  # what contact_jobs.run stores when the list was deleted under it
        job = session.get(ImportJob, job_id)
        job.status, job.failure = "failed", "the contact list no longer exists"
    client = api_as(campaigner)
    zh = client.get(f"/campaigns/lists/{list_id}/imports/{job_id}?lang=zh_CN").get_data(as_text=True)
    assert "名单已被删除，未导入" in zh and "no longer exists" not in zh
    assert client.get(f"/campaigns/api/imports/{job_id}?lang=en").get_json()["failure"] == (
        "the contact list no longer exists")


def test_an_undecodable_file_and_repeated_numbers_are_worded_per_reader(api_as, db, world, campaigner) -> None:
    """Issue 13 (13b #1, #2): an unreadable file was refused in English only, without the encodings accepted."""
    a = tenant_id(db, world.tenant_a)
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, f"乱码{uuid.uuid4().hex[:6]}", "service", "op")
        job_id = contact_jobs.create(session, contact_list, "l.csv", bytes([0x81, 0x30, 0xFF, 0xFE] * 16), "op").id
        list_id = contact_list.id
    contact_jobs.run(db, a, job_id)
    client = api_as(campaigner)
    zh = client.get(f"/campaigns/lists/{list_id}/imports/{job_id}?lang=zh_CN").get_data(as_text=True)
    assert "<td>1</td><td>无法识别文件的编码；支持的编码为 UTF-8, GBK/GB18030, UTF-16" in zh
    assert "neither UTF-8" not in zh
    en = client.get(f"/campaigns/api/imports/{job_id}?lang=en").get_json()
    assert en["errors"][0]["reason"].startswith("the file's encoding cannot be read; accepted encodings are UTF-8")
    list_id, job_id = _import(db, a, "姓名,手机,时区\n甲,13812345678,\n乙,138 1234 5678,\n丙,13912345678,火星\n")
    api = client.get(f"/campaigns/api/imports/{job_id}?lang=zh_CN").get_json()
    assert [e["reason"] for e in api["errors"]] == [
        "号码 +8613812345678 与第 2 行重复，未重复导入",
        "时区“火星”不是有效的时区名称（例如 Asia/Shanghai），该行未导入"]
    assert (api["imported"], api["duplicates"], api["refused"]) == (1, 1, 1)


def test_the_refusal_of_a_list_without_contacts_is_worded_per_reader() -> None:
    """Issue 13 (13b #3): the create refuses an empty list; a page (or a form raced by a failed import) words it."""
    from hotline.designer.campaigns import finding_words
    from hotline.platform.findings import Finding

    strings.register()
    finding = Finding("/contact_list_id", "error", "the contact list has no contacts: import its file again, or "
                      "pick another list", "empty")
    assert finding_words.words(finding, None, "zh_CN") == "该名单没有联系人：请重新导入文件，或选择其他名单"
    assert finding_words.words(finding, None, "en").startswith("the contact list has no contacts")
