"""A saved report's name that cannot be stored (a NUL byte) is refused like any other refused save (QA 14 item 7):
the report shown again with the error in the reader's language, the rest of what was typed kept."""

from __future__ import annotations

import html

import pytest

from hotline.platform.db import Database

from .test_reports import _seed


@pytest.fixture(scope="module")
def seeded(db: Database, world) -> int:
    return _seed(db, world.tenant_a)


@pytest.mark.parametrize(("lang", "said"), [("zh_CN", "报表名称含有空字符（NUL，第 3 个字符），请删除"),
                                            ("en", "the report's name contains a NUL character (at character 3)")])
def test_a_nul_in_the_name_shows_the_report_again_with_the_error_in_the_readers_language(
        seeded: int, api_as, world, lang: str, said: str) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    refused = supervisor.client.post(f"/supervision/reports/saved?lang={lang}", data={
        "name": "日报\x00表", "kind": "calls", "group": "day", "by": "queue", "from": "2026-03-09",
        "to": "2026-03-09", "schedule": "daily", "recipients": "boss@example.com"},
        headers={"X-CSRFToken": supervisor.token or supervisor.refresh_token()})
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and 'data-testid="report-errors"' in page
    assert said in page and "form field" not in page
    totals = page.split('data-testid="totals"')[1].split("</tr>")[0]
    assert '<td data-figure="offered">' in totals
    assert 'value="日报表"' in page and 'value="boss@example.com"' in page and "\x00" not in page
