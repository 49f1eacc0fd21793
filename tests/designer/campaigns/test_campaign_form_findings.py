"""The new-campaign form's call-window and retry errors found by the campaign service (QA 13a #2): in the reader's
language, on the field they belong to, naming the window or retry line counted from 1 as the form shows it — never
an English sentence behind a 0-based JSON Pointer — and everything typed stays in the form."""

from __future__ import annotations

import uuid

import pytest

from hotline.platform.db import Database
from hotline.platform.outbound import contacts

from .conftest import form_post, tenant_id

pytestmark = pytest.mark.redis
WINDOWS = "mon,tue 09:00-12:00\nwed 12:00-09:00"
RETRIES = "busy 30 3\nno_answer 0 3\nsunny 30 3"


def _post(client, list_id: int, name: str):  # type: ignore[no-untyped-def]
    return form_post(client, "/campaigns/new", {
        "name": name, "script": "return_visit", "contact_list": str(list_id), "mode": "", "queue": "", "skill": "",
        "max_lines": "5", "abandon_cap": "3", "max_attempts": "3", "min_gap": "60", "agent_wait": "60",
        "timezone": "Asia/Shanghai", "windows": WINDOWS, "retries": RETRIES})


def _errors(html: str, field: str) -> list[str]:
    marker = f'<p class="field-error" data-testid="error-{field}">'
    return [part.split("</p>", 1)[0] for part in html.split(marker)[1:]]


def test_window_and_retry_errors_name_the_line_in_the_readers_language(api_as, db: Database, world,
                                                                       campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, f"名单{uuid.uuid4().hex[:6]}", "service", "op")
        contacts.import_contacts(session, contact_list, "l.csv", "姓名,手机\n甲,13812345678\n".encode())
        list_id = contact_list.id
    client = api_as(campaigner)
    name = f"回访{uuid.uuid4().hex[:6]}"
    zh = _post(client, list_id, name)
    assert zh.status_code == 422
    html = zh.get_data(as_text=True)
    assert _errors(html, "windows") == ["第 2 个可拨打时段的开始时间须早于结束时间（HH:MM，00:00 至 24:00）"]
    assert _errors(html, "retries") == [
        "重拨规则第 2 行（无人接听）：间隔分钟数须为 1 至 10080，最多重拨次数须为 0 至 20（此行填写的是 0 分钟、3 次）",
        "重拨规则第 3 行：“sunny”既不是呼叫结果（占线、无人接听、呼叫失败、答录机），也不是脚本的处理结果代码"]
    assert "/windows/windows" not in html and "/retry_policy" not in html and "delay_minutes" not in html
    assert f'value="{name}"' in html and "wed 12:00-09:00" in html and "sunny 30 3" in html  # nothing typed is lost
    client.get("/campaigns/?lang=en")
    en = _post(client, list_id, name).get_data(as_text=True)
    assert _errors(en, "windows") == ["Call window 2: the start time must be before the end time (HH:MM, 00:00 to "
                                      "24:00)"]
    assert _errors(en, "retries") == [
        "Retries, line 2 (No answer): the delay must be 1 to 10080 minutes and the most retries 0 to 20 (this "
        "line says 0 minutes, 3 retries)",
        "Retries, line 3: &#39;sunny&#39; is neither a call outcome (Busy, No answer, Call failed, Answering "
        "machine) nor a disposition code of the script"]
    client.get("/campaigns/?lang=zh_CN")


def test_the_task_windows_page_names_the_window_in_the_readers_language(api_as, campaigner) -> None:
    client = api_as(campaigner)
    html = form_post(client, "/campaigns/tasks/windows?lang=zh_CN",
                     {"timezone": "Asia/Shanghai", "windows": "mon 09:00-12:00\nsat 18:00-08:00"}).get_data(
        as_text=True)
    assert _errors(html, "windows") == ["第 2 个可拨打时段的开始时间须早于结束时间（HH:MM，00:00 至 24:00）"]
    assert "sat 18:00-08:00" in html


def test_a_call_window_time_out_of_the_clock_is_refused_at_the_form_naming_the_field(
        api_as, db: Database, world, campaigner) -> None:
    """Issue 13 leftovers: "23:60" was accepted (only the HH:MM shape was checked). Hours 00-24, minutes 00-59, and
    24:00 only as an end: refused at the form, on the windows field, naming the field and the line."""
    a = tenant_id(db, world.tenant_a)
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, f"名单{uuid.uuid4().hex[:6]}", "service", "op")
        contacts.import_contacts(session, contact_list, "l.csv", "姓名,手机\n甲,13812345678\n".encode())
        list_id = contact_list.id
    client = api_as(campaigner)
    name = f"回访{uuid.uuid4().hex[:6]}"
    bad = "mon 09:00-23:60\ntue 24:00-24:00\nwed 18:00-24:00\nthu 25:00-26:00"

    def post(windows: str):  # type: ignore[no-untyped-def]
        return form_post(client, "/campaigns/new", {
            "name": name, "script": "return_visit", "contact_list": str(list_id), "mode": "", "queue": "",
            "skill": "", "max_lines": "5", "abandon_cap": "3", "max_attempts": "3", "min_gap": "60",
            "agent_wait": "60", "timezone": "Asia/Shanghai", "windows": windows, "retries": "busy 30 3"})

    zh = post(bad)
    assert zh.status_code == 422
    html = zh.get_data(as_text=True)
    (error,) = _errors(html, "windows")
    assert "可拨打时段第 1 行：“23:60”不是有效的时间" in error and "分 00–59" in error
    assert "可拨打时段第 2 行：“24:00”只能作为结束时间" in error
    assert "第 3 行" not in error  # 24:00 as an end is fine
    assert "可拨打时段第 4 行：“25:00”不是有效的时间" in error
    assert "mon 09:00-23:60" in html  # nothing typed is lost
    client.get("/campaigns/?lang=en")
    (english,) = _errors(post(bad).get_data(as_text=True), "windows")
    assert "Call windows, line 1: &#39;23:60&#39; is not a time" in english
    assert "Call windows, line 2: &#39;24:00&#39; can only end a window" in english
    client.get("/campaigns/?lang=zh_CN")
