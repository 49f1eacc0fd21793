"""Task 15c item 5: a walk in Chromium over the quality, schedules, settlement and vendor pages, with data on them,
in Chinese and in English; it fails on a stored code shown to a reader (snake_case words, keyed strings such as
`appeal.none`, the appeal states and seat types), on English left in the Chinese pages, and on console errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask

from hotline.platform.db import Database
from hotline.platform.models import Role, User, Vendor, VendorAgent, VendorContract, VendorThreshold
from hotline.platform.settlement.terms import EXAMPLE
from tests.designer.console_guard import watch
from tests.designer.quality.helpers import add_call, quality_app, tenant_id, user_id
from tests.designer.quality.test_quality_pages import ANSWERS, SHEET
from tests.settlement import helpers as settlement_data

from .conftest import World, make_user

pytestmark = pytest.mark.browser

#: Stored words a page must never show as they are.
CODES = re.compile(r"(?<![\w-])(?:[a-z]+_[a-z_]+|(?:appeal|source|live|sheet|recording|evaluation)\.[a-z_]+|"
                   r"none|open|upheld|amended|trainee|self_operated|sms|webhook)(?![\w-])")
#: Latin words a Chinese page may show: formats, units, names the test gave, the zone's name, product names.
LATIN = {"CSV", "Excel", "JSON", "Asia", "Shanghai", "UTC", "YYYY", "MM", "DD", "QA", "WAV", "SLA", "S3", "ID",
         "English",  # the language switch names the other language in its own words
         "GBK", "UTF"}  # the encodings an import accepts


@pytest.fixture
def app(db: Database, tmp_path: Path) -> Flask:
    return quality_app(db, tmp_path)


def _data(db: Database, world: World, api_as, tmp_path: Path, unique) -> dict[str, object]:
    tenant = tenant_id(db, world.tenant_a)
    agent = user_id(db, world.agent_a)
    sheet = unique("sheet")
    admin = api_as(world.admin_a, world.tenant_a)
    assert admin.put(f"/quality/api/sheets/{sheet}", {"title": "通用质检表", "body": SHEET,
                                                      "publish": True}).status_code == 200
    call = add_call(db, tenant, tmp_path, agent_id=agent, started=datetime(2026, 3, 10, 2, tzinfo=UTC))
    qa = api_as(world.supervisor_a, world.tenant_a)
    evaluation = qa.post(f"/quality/api/calls/{call.uuid}/evaluations", {"sheet": sheet, "answers": ANSWERS}
                         ).get_json()["id"]
    as_agent = api_as(world.agent_a, world.tenant_a)
    as_agent.client.post(f"/quality/evaluations/{evaluation}/appeal",
                         data={"csrf_token": as_agent.refresh_token(), "reason": "复核"})
    with db.tenant(tenant) as session:
        vendor = Vendor(name=unique("v"), title="外包甲")
        session.add(vendor)
        session.flush()
        session.add(VendorContract(vendor_id=vendor.id, title="2026 合同", valid_from=datetime(2026, 1, 1).date(),
                                   terms=EXAMPLE))
        session.add(VendorAgent(vendor_id=vendor.id, user_id=agent, joined_on=datetime(2025, 1, 1).date()))
        settlement_data.shifts(session, agent, "team_lead", "20")
        settlement_data.entries(session, vendor.id)
        if not session.query(VendorThreshold).filter_by(metric="attrition").count():  # the world is the module's
            session.add(VendorThreshold(metric="attrition", maximum=9,
                                        recipients=[{"channel": "sms", "to": "13800000000"}]))
        vendor_id, contract = vendor.id, session.query(VendorContract).filter_by(vendor_id=vendor.id).one().id
    return {"sheet": sheet, "call": call.uuid, "evaluation": evaluation, "vendor": vendor_id, "contract": contract}


def _pages(d: dict[str, object]) -> list[str]:
    v = d["vendor"]
    return ["/quality/?mode=filter&start=2026-03-01&end=2026-03-31", f"/quality/calls/{d['call']}",
            f"/quality/evaluations/{d['evaluation']}", "/quality/mine", "/quality/appeals", "/quality/sheets",
            f"/quality/sheets/{d['sheet']}", "/quality/policy", "/quality/report?start=2026-03-01&end=2026-03-31",
            "/quality/audit", "/quality/live", "/schedules/?week=2026-03-02", "/schedules/draw",
            "/schedules/attendance?day=2026-03-02&month=2026-03", "/settlement/", f"/settlement/vendors/{v}",
            f"/settlement/vendors/{v}/contracts/{d['contract']}", f"/settlement/vendors/{v}/statement?month=2026-03",
            "/settlement/assessment?month=2026-03"]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_quality_schedule_and_settlement_pages_show_words_not_codes(db: Database, page, world: World, open_as,
                                                                        api_as, tmp_path: Path, unique,
                                                                        lang: str) -> None:
    d = _data(db, world, api_as, tmp_path, unique)
    everyone = make_user(db, {world.tenant_a: [Role.TENANT_ADMIN, Role.QA, Role.SUPERVISOR, Role.FINANCE]})
    with db.platform() as session:
        names = {u.username for u in session.query(User)} | {u.display_name or "" for u in session.query(User)}
    errors = watch(page)
    base = open_as(everyone, f"/?lang={lang}")
    found: dict[str, list[str]] = {}
    for path in _pages(d):
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, (path, response and response.status)
        text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
        # what the boxes hold is read too (the alert recipients showed "sms:138…"), but for a JSON editor's text
        text += "\n" + "\n".join(page.eval_on_selector_all(
            "textarea", "els => els.map(e => e.value).filter(v => !/^\\s*[\\[{]/.test(v))"))
        shown = [w for w in CODES.findall(text) if w not in names]
        if lang == "zh_CN":
            shown += [w for w in re.findall(r"\b[A-Za-z]{3,}\b", text)
                      if w not in LATIN and w not in names and not any(w in n for n in names)]
        if shown:
            found[path] = sorted(set(shown))
    assert found == {}
    assert errors == []
