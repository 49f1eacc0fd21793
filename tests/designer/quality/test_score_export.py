"""Task 15a item 5: the QA export (Excel and CSV) says where each score came from — the sheet version, the reviewer
and how the call was picked (random sample, filter, opened directly, calibration, appeal re-score) — by label, with
times in the tenant's zone named in the heading; another tenant's scores are never in it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import time_machine
from flask import Flask

from hotline.platform.db import Database
from hotline.platform.models import Role

from ..conftest import World, make_user
from .helpers import add_call, quality_app, tenant_id, user_id
from .test_quality_pages import ANSWERS, SHEET

#: A Tuesday, 18:00 in Shanghai (the express template's zone).
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
SOURCES = {"zh_CN": ["随机抽样", "条件筛选", "申诉改分", "校准"],
           "en": ["Random sample", "Filter", "Appeal re-score", "Calibration"]}


@pytest.fixture
def app(db: Database, tmp_path: Path) -> Flask:
    return quality_app(db, tmp_path)


def _scored(db: Database, world: World, api_as, unique) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """Four calls of the agent scored four ways, with version 2 of the sheet; returns the sheet title and calls."""
    name = unique("sheet")
    admin = api_as(world.admin_a, world.tenant_a)
    for _ in range(2):  # published twice: version 2
        assert admin.put(f"/quality/api/sheets/{name}", {"title": "导出质检表", "body": SHEET,
                                                         "publish": True}).status_code == 200
    tenant = tenant_id(db, world.tenant_a)
    calls = [add_call(db, tenant, None, agent_id=user_id(db, world.agent_a), started=NOW).uuid for _ in range(4)]
    qa = api_as(world.supervisor_a, world.tenant_a)
    sampled = qa.client.post(f"/quality/calls/{calls[0]}/score", data={
        "csrf_token": qa.refresh_token(), "sheet": name, "source": "sample", "points_greeting": "20",
        "points_accuracy": "65"})
    assert sampled.status_code == 302
    assert qa.post(f"/quality/api/calls/{calls[1]}/evaluations",
                   {"sheet": name, "answers": ANSWERS, "source": "filter"}).status_code == 201
    appealed = qa.post(f"/quality/api/calls/{calls[2]}/evaluations", {"sheet": name, "answers": ANSWERS})
    agent = api_as(world.agent_a, world.tenant_a)
    url = f"/quality/evaluations/{appealed.get_json()['id']}"
    assert agent.client.post(f"{url}/appeal", data={"csrf_token": agent.refresh_token(), "reason": "复述无误",
                                                    "item": "accuracy", "p-accuracy": "70"}).status_code == 302
    assert qa.client.post(f"{url}/resolve", data={"csrf_token": qa.refresh_token(), "note": "复听确认", "amend": "1",
                                                  "p-greeting": "20", "p-accuracy": "70"}).status_code == 302
    started = qa.client.post("/quality/calibrations", data={"csrf_token": qa.refresh_token(), "call": calls[3],
                                                            "sheet": name})
    calibration = int(started.headers["Location"].rsplit("/", 1)[-1])
    assert qa.post(f"/quality/api/calls/{calls[3]}/evaluations",
                   {"sheet": name, "answers": ANSWERS, "calibration": calibration}).status_code == 201
    return "导出质检表", calls


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_each_score_says_its_sheet_version_reviewer_and_source(db: Database, world: World, api_as, unique,
                                                                lang: str) -> None:
    with time_machine.travel(NOW, tick=True):
        title, calls = _scored(db, world, api_as, unique)
        qa = api_as(world.supervisor_a, world.tenant_a)
        query = f"start=2026-03-10&end=2026-03-10&lang={lang}"
        workbook = qa.client.get(f"/quality/report/scores?{query}&format=xlsx")
        text = qa.client.get(f"/quality/report/scores?{query}&format=csv")
        page = qa.client.get(f"/quality/report?start=2026-03-10&end=2026-03-10&lang={lang}").get_data(as_text=True)
    assert workbook.status_code == 200 and text.status_code == 200
    assert 'data-testid="scores-xlsx"' in page and 'data-testid="scores-csv"' in page
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.data), read_only=True).active
    from_excel = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    from_csv = list(csv.reader(io.StringIO(text.get_data(as_text=True).lstrip("\ufeff"))))
    assert from_excel == from_csv
    heading, *rows = from_csv
    ours = {row[1]: row for row in rows if row[1] in calls}
    assert len(ours) == 4
    if lang == "zh_CN":
        assert heading[:9] == ["评分时间 (Asia/Shanghai)", "来电", "座席", "班组", "评分表", "评分表版本", "质检员",
                               "来源", "总分"]
    else:
        assert heading[0] == "Scored at (Asia/Shanghai)" and heading[6:8] == ["Reviewer", "Source"]
    reviewer = world.supervisor_a  # made without a display name: shown by username
    for call, source in zip(calls, SOURCES[lang], strict=True):
        row = ours[call]
        assert row[0] == "2026-03-10 18:00" and row[4:8] == [title, "2", reviewer, source], row
    assert ours[calls[2]][8] == "90" and ours[calls[2]][-1] == world.supervisor_a  # re-scored by
    assert "general" not in {row[3] for row in ours.values()}  # the queue by its label


def test_another_tenants_scores_are_not_in_the_export(db: Database, world: World, api_as, unique) -> None:
    with time_machine.travel(NOW, tick=True):
        _title, calls = _scored(db, world, api_as, unique)
        qa_b = api_as(make_user(db, {world.tenant_b: [Role.QA]}), world.tenant_b)
        text = qa_b.client.get("/quality/report/scores?start=2026-03-10&end=2026-03-10&format=csv")
    assert text.status_code == 200
    assert not any(call in text.get_data(as_text=True) for call in calls)
