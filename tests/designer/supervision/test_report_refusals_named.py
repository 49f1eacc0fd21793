"""QA 14 (second round): every bad argument of a report or drill-down is named in one refusal with its value quoted
whole (a long one cut with "…", saying so); unknown or another tenant's form, agent and handler ids are refused
naming the parameter instead of showing zeros; an over-long saved report name is refused with its length."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Membership, Role
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import make_user

from .test_reports import DAY, _seed

CALLS = "start=2026-03-09T10:00:00%2B08:00&end=2026-03-09T10:15:00%2B08:00"


@pytest.fixture(scope="module")
def seeded(db: Database, world) -> int:
    return _seed(db, world.tenant_a)


@pytest.mark.parametrize(("lang", "words"), [("zh_CN", ("统计周期", "细分维度", "开始日期")),
                                             ("en", ("Group by period", "Break down by", "From"))])
def test_every_bad_report_argument_is_named_in_one_refusal(seeded: int, api_as, world, lang: str,
                                                           words: tuple[str, ...]) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    body = supervisor.get(f"/supervision/api/reports?kind=calls&group=bogus&by=bogus&from=2026-13-01&lang={lang}")
    assert body.status_code == 400
    errors = body.get_json()["errors"]
    assert {e["field"] for e in errors} >= {"group", "by", "from"}, errors
    said = body.get_json()["error"]
    assert all(word in said for word in words), said
    assert "'2026-13-01'" in said


def test_a_value_is_quoted_whole_and_a_long_one_is_cut_saying_so(seeded: int, api_as, world) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    said = supervisor.get("/supervision/api/reports?from=99999-01-01&lang=en").get_json()["error"]
    assert "'99999-01-01'" in said, said
    long = "x" * 300
    said = supervisor.get(f"/supervision/api/reports?from={long}&lang=en").get_json()["error"]
    assert "…" in said and "300 characters" in said and long not in said, said
    said = supervisor.get(f"/supervision/api/reports?from={long}&lang=zh_CN").get_json()["error"]
    assert "…" in said and "300" in said and "字符" in said, said


@pytest.mark.parametrize(("lang", "start", "end"), [("zh_CN", "开始时间", "结束时间"),
                                                    ("en", "Start time", "End time")])
def test_both_bad_ends_of_a_drill_down_are_named(seeded: int, api_as, world, lang: str, start: str,
                                                 end: str) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    page = supervisor.get(f"/supervision/reports/calls?start=bad&end=%3Cb%3Ex&lang={lang}")
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 400
    assert start in text and end in text and "'bad'" in text and "'<b>x'" in text, text[-800:]
    assert "<b>x" not in page.get_data(as_text=True)  # escaped, never markup


def test_an_unknown_form_on_the_ticket_report_is_refused_naming_it(seeded: int, api_as, world) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    body = supervisor.get(f"/supervision/api/reports?kind=tickets&{DAY}&form=%3Cscript%3E&lang=en")
    assert body.status_code == 400 and [e["field"] for e in body.get_json()["errors"]] == ["form"]
    page = supervisor.get(f"/supervision/reports?kind=tickets&{DAY}&form=%3Cscript%3E&lang=zh_CN")
    assert page.status_code == 400 and "工单类型" in html.unescape(page.get_data(as_text=True))


def test_another_tenants_agent_and_handler_are_refused_on_the_drill_downs(seeded: int, db: Database, api_as,
                                                                          world) -> None:
    with db.platform() as session:
        tenant_a = get_tenant(session, world.tenant_a).id
        foreign = session.scalar(select(Membership.user_id).where(Membership.tenant_id == tenant_a))
    admin_b = make_user(db, {world.tenant_b: [Role.TENANT_ADMIN]})
    client = api_as(admin_b, world.tenant_b)
    calls = client.get(f"/supervision/reports/calls?{CALLS}&agent={foreign}&lang=en")
    assert calls.status_code == 400 and "Agent" in html.unescape(calls.get_data(as_text=True))
    tickets = client.get(f"/supervision/reports/tickets?created_from=2026-03-09&created_to=2026-03-09"
                         f"&handler={foreign}&lang=zh_CN")
    assert tickets.status_code == 400 and "处理人" in html.unescape(tickets.get_data(as_text=True))
    nobody = client.get("/supervision/reports/tickets?created_from=2026-03-09&created_to=2026-03-09&handler=0")
    assert nobody.status_code == 200  # 0 is （未分配）, nobody's tickets
    form = client.get("/supervision/reports/tickets?created_from=2026-03-09&created_to=2026-03-09&form=nope")
    assert form.status_code == 400


@pytest.mark.parametrize(("lang", "said"), [("zh_CN", "326"), ("en", "326 characters")])
def test_an_over_long_saved_report_name_is_refused_with_its_length_and_kept(seeded: int, api_as, world, lang: str,
                                                                            said: str) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    name = "日" * 326
    form = supervisor.get(f"/supervision/reports?{DAY}").get_data(as_text=True)
    assert 'maxlength="100"' not in form  # the browser must not cut what is pasted silently
    refused = supervisor.client.post(f"/supervision/reports/saved?lang={lang}", data={
        "name": name, "kind": "calls", "group": "day", "by": "", "from": "2026-03-09", "to": "2026-03-09",
        "schedule": "", "recipients": ""}, headers={"X-CSRFToken": supervisor.token or supervisor.refresh_token()})
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and said in page and "100" in page
    assert f'value="{name}"' in page
