"""Task 15a item 3: a refused score sheet, score, appeal or resolution says what is wrong in the reader's language,
names the item by its label, and shows the form again with everything typed (it was English, or a bare 400 page that
lost the answers)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from flask import Flask

from hotline.platform.db import Database

from ..conftest import World
from .helpers import add_call, quality_app, tenant_id, user_id
from .test_quality_pages import ANSWERS, SHEET

WORDS = {
    "zh_CN": {"points": "评分项 “信息准确”：须为 0 到 70 之间的数",
              "remark": "第 1 条评语, 时间点（秒）：须为录音中的秒数",
              "weight": "第 1 部分 “服务规范”，第 1 项 “标准开头语”, 分值：须为 0 到 100 之间的数",
              "note": "处理意见：须为 1 到 1000 个字符"},
    "en": {"points": "Item “信息准确”: a number from 0 to 70", "remark": "Remark 1, At (s): seconds into the recording",
           "weight": "Section 1 “服务规范”, item 1 “标准开头语”, Points: a number from 0 to 100",
           "note": "Resolution note: 1 to 1000 characters"},
}


@pytest.fixture
def app(db: Database, tmp_path: Path) -> Flask:
    return quality_app(db, tmp_path)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_refused_score_keeps_every_answer_and_remark_and_names_the_item(db: Database, world: World, api_as,
                                                                          unique, lang: str) -> None:
    name = unique("sheet")
    assert api_as(world.admin_a, world.tenant_a).put(f"/quality/api/sheets/{name}", {
        "title": "通用质检表", "body": SHEET, "publish": True}).status_code == 200
    call = add_call(db, tenant_id(db, world.tenant_a), None, agent_id=user_id(db, world.agent_a))
    qa = api_as(world.supervisor_a, world.tenant_a)
    refused = qa.client.post(f"/quality/calls/{call.uuid}/score?lang={lang}", data={
        "csrf_token": qa.refresh_token(), "sheet": name, "source": "filter", "points_greeting": "27",
        "points_accuracy": "71", "failed_abuse": "1", "remark_at": ["-3", "12.5"], "remark_item": ["", "accuracy"],
        "remark_text": ["开头没有报工号", "运单号复述有误"]})
    page = _text(refused)
    assert refused.status_code == 422
    assert WORDS[lang]["points"] in page and WORDS[lang]["remark"] in page
    assert "/answers/" not in page and "/remarks/" not in page
    assert 'name="points_greeting" data-item="greeting" min="0" max="30" step="any" required value="27"' in page
    assert 'value="71"' in page and 'name="failed_abuse" value="1" data-item="abuse" checked' in page
    assert 'value="-3.0"' in page and 'value="开头没有报工号"' in page and 'value="运单号复述有误"' in page
    assert '<option value="accuracy" selected>' in page and 'name="source" value="filter"' in page


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_refused_sheet_names_the_item_in_the_readers_language(world: World, api_as, lang: str) -> None:
    admin = api_as(world.admin_a, world.tenant_a)
    refused = admin.client.post(f"/quality/sheets/words?lang={lang}", data={
        "csrf_token": admin.refresh_token(), "title": "t", "s0-title": "服务规范", "s0-0-label": "标准开头语",
        "s0-0-weight": "130"})
    page = _text(refused)
    assert refused.status_code == 400 and WORDS[lang]["weight"] in page and 'value="130"' in page


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_refused_appeal_or_resolution_keeps_what_was_typed(db: Database, world: World, api_as, unique,
                                                            lang: str) -> None:
    name = unique("sheet")
    assert api_as(world.admin_a, world.tenant_a).put(f"/quality/api/sheets/{name}", {
        "title": "通用质检表", "body": SHEET, "publish": True}).status_code == 200
    call = add_call(db, tenant_id(db, world.tenant_a), None, agent_id=user_id(db, world.agent_a))
    qa = api_as(world.supervisor_a, world.tenant_a)
    evaluation = qa.post(f"/quality/api/calls/{call.uuid}/evaluations", {"sheet": name, "answers": ANSWERS}
                         ).get_json()["id"]
    agent = api_as(world.agent_a, world.tenant_a)
    url = f"/quality/evaluations/{evaluation}"
    refused = agent.client.post(f"{url}/appeal?lang={lang}", data={
        "csrf_token": agent.refresh_token(), "reason": "运单号我复述对了", "item": "accuracy", "p-accuracy": "71"})
    page = _text(refused)
    assert refused.status_code == 422 and WORDS[lang]["points"] in page
    assert "运单号我复述对了</textarea>" in page
    assert 'value="accuracy" data-testid="appeal-item-accuracy" aria-label="信息准确" checked' in page
    assert 'name="p-accuracy" min="0" max="70" step="any" value="71"' in page
    assert agent.client.post(f"{url}/appeal", data={"csrf_token": agent.refresh_token(), "reason": "复述无误",
                                                    "item": "accuracy", "p-accuracy": "70"}).status_code == 302
    refused = qa.client.post(f"{url}/resolve?lang={lang}", data={
        "csrf_token": qa.refresh_token(), "note": " ", "amend": "1", "p-greeting": "22", "p-accuracy": "69"})
    page = _text(refused)
    assert refused.status_code == 422 and WORDS[lang]["note"] in page
    assert 'data-testid="amend" checked' in page
    assert 'name="p-greeting" min="0" max="30" step="any" value="22"' in page
    assert 'name="p-accuracy" min="0" max="70" step="any" value="69"' in page


def test_a_refused_calibration_is_the_calls_page_in_the_readers_words(db: Database, world: World, api_as,
                                                                      unique) -> None:
    name, published = unique("draft"), unique("sheet")
    admin = api_as(world.admin_a, world.tenant_a)
    assert admin.put(f"/quality/api/sheets/{name}", {"title": "草稿表", "body": SHEET}).status_code == 200  # a draft
    assert admin.put(f"/quality/api/sheets/{published}", {"title": "通用质检表", "body": SHEET,
                                                          "publish": True}).status_code == 200
    call = add_call(db, tenant_id(db, world.tenant_a), None, agent_id=user_id(db, world.agent_a))
    qa = api_as(world.supervisor_a, world.tenant_a)
    refused = qa.client.post("/quality/calibrations", data={"csrf_token": qa.refresh_token(), "call": call.uuid,
                                                            "sheet": name, "title": "三月校准"})
    page = _text(refused)
    assert refused.status_code == 422 and f"评分表：'{name}' 尚未发布" in page and 'value="三月校准"' in page
