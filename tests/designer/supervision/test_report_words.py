"""Report pages say things in words, in the reader's language: a queue timeout is a figure with its calls behind
it and every drill-down outcome is a label (never a figure's code or name); exports name the time zone; bad
arguments of the drill-down, the funnel and the report are said in the page's language with the parameter and why;
an unknown queue is refused rather than shown as zeros."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from hotline.platform.db import Database
from tests.platform.reports.seed import T10, add_calls
from tests.platform.reports.seed import call as seed_call

from .test_reports import DAY, _seed

START, END = "2026-03-09T10:00:00%2B08:00", "2026-03-09T11:00:00%2B08:00"


@pytest.fixture(scope="module")
def seeded(db: Database, world) -> int:
    """The seeded day (tests/platform/reports/seed.py) and one call that timed out of general at 10:11."""
    tenant_id = _seed(db, world.tenant_a)
    add_calls(db, tenant_id, [seed_call(T10 + timedelta(minutes=11), wait=120, outcome="voicemail", events=[
        {"type": "queue", "queue": "general", "status": "timeout", "agent": None, "wait_seconds": 120}])])
    return tenant_id


def _outcomes(html: str) -> list[str]:
    table = html.split('data-testid="report-calls"')[1].split("</table>")[0]
    return re.findall(r'<td data-testid="outcome">([^<]*)</td>', table)


def test_a_queue_timeout_is_a_figure_of_the_report_with_its_calls_behind_it(seeded: int, api_as, world) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    totals = supervisor.get(f"/supervision/api/reports?{DAY}&group=day").get_json()["totals"]
    assert (totals["offered"], totals["timed_out"]) == (7, 1)
    assert totals["offered"] == (totals["answered"] + totals["abandoned_queue"] + totals["abandoned_short"]
                                 + totals["timed_out"])
    html = supervisor.get(f"/supervision/reports?kind=calls&{DAY}&group=day&lang=zh_CN").get_data(as_text=True)
    assert "排队超时" in html and 'data-figure="timed_out"' in html
    page = supervisor.get(f"/supervision/reports/calls?start={START}&end={END}&figure=timed_out&lang=zh_CN")
    assert _outcomes(page.get_data(as_text=True)) == ["排队超时"]


@pytest.mark.parametrize(("lang", "words"), [
    ("zh_CN", {"已接通", "排队放弃", "短时放弃", "排队超时", "IVR放弃", "转接", "自助完成"}),
    ("en", {"Answered", "Abandoned in queue", "Short abandon", "Queue timeout", "Abandoned in IVR", "Transferred",
            "Self-service completed"})])
def test_every_drill_down_outcome_is_a_label_in_the_readers_language(seeded: int, api_as, world, lang: str,
                                                                      words: set[str]) -> None:
    page = api_as(world.supervisor_a, world.tenant_a).get(f"/supervision/reports/calls?start={START}&end={END}"
                                                         f"&lang={lang}")
    shown = _outcomes(page.get_data(as_text=True))
    assert len(shown) == 12 and set(shown) == words
    assert not any(s.startswith("figure.") or s in ("呼入量", "Calls", "接通量", "calls") for s in shown)


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _said(response) -> str:
    """The message of a 400: the JSON error, else the page's text."""
    body = response.get_json(silent=True)
    return body["error"] if isinstance(body, dict) else html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(("url", "chinese", "english"), [
    (f"/supervision/reports/calls?start=yesterday&end={END}", "开始时间", "Start time"),
    (f"/supervision/reports/calls?start={END}&end={START}", "结束时间", "End time"),
    (f"/supervision/reports/calls?start={START}&end={END}&figure=nonsense", "数据项", "Figure"),
    (f"/supervision/reports/calls?start={START}&end={END}&agent=x1", "座席", "Agent"),
    ("/supervision/reports/tickets?created_from=2026-13-01&created_to=2026-03-09", "创建日期（起）", "Created from"),
    ("/supervision/reports/tickets?created_from=2026-03-01&created_to=2026-03-09&handler=bob", "处理人", "Handler"),
    ("/supervision/reports/attempts?start=x&end=y", "开始时间", "Start time"),
    ("/supervision/api/funnel?ivr=main&version=abc", "版本", "Version"),
    ("/supervision/api/funnel?ivr=main&version=1&compare=v2", "对比版本", "Compare with"),
    ("/supervision/reports/export?format=pdf", "导出格式", "Export format"),
    (f"/supervision/reports?{DAY}&queue=" + "q" * 65, "队列", "Queue"),
    (f"/supervision/reports/calls?start={START}&end={END}&queue=a%00b", "'queue'", "'queue'"),
    (f"/supervision/reports?{DAY}&did=" + "9" * 5000, "'did'", "'did'"),
], ids=["start", "end", "figure", "agent", "created", "handler", "attempts", "version", "compare", "format",
        "queue-length", "nul", "over-long"])
def test_a_refused_argument_is_said_in_the_readers_language_with_the_parameter_and_why(
        seeded: int, api_as, world, url: str, chinese: str, english: str) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    refused = supervisor.get(url + "&lang=zh_CN")
    assert refused.status_code == 400
    said = _said(refused)
    assert chinese in said and CHINESE.search(said.replace(chinese, "")), said
    assert not re.search(r"\b(give|is not|at most|contains|characters long)\b", said), said
    refused = supervisor.get(url + "&lang=en")
    assert refused.status_code == 400 and english in _said(refused)


def test_a_queue_of_another_tenant_or_none_is_refused_not_shown_as_zeros(seeded: int, db: Database, api_as,
                                                                         world) -> None:
    from hotline.platform.models import Queue, Role
    from tests.designer.conftest import make_user

    with db.platform() as session:
        session.add(Queue(tenant_id=seeded, name="a_only", label="甲专线", skills=["general"]))
    mine = api_as(world.supervisor_a, world.tenant_a)
    assert mine.get(f"/supervision/api/reports?{DAY}&group=day&queue=a_only").status_code == 200
    theirs = api_as(make_user(db, {world.tenant_b: [Role.SUPERVISOR]}), world.tenant_b)
    for url in (f"/supervision/api/reports?{DAY}&group=day&queue=a_only",
                f"/supervision/reports/export?format=csv&{DAY}&queue=a_only",
                f"/supervision/reports/calls?start={START}&end={END}&queue=a_only",
                f"/supervision/api/reports?{DAY}&group=day&queue=nowhere"):
        refused = theirs.get(url + "&lang=zh_CN")
        assert refused.status_code == 400, url
        assert "不是本租户的队列" in _said(refused) and "队列" in _said(refused)
    page = theirs.get(f"/supervision/reports?{DAY}&group=day&queue=nowhere&lang=en")
    assert page.status_code == 400 and "is not a queue of this tenant" in html.unescape(page.get_data(as_text=True))
    assert "甲专线" not in page.get_data(as_text=True)


def test_a_refused_save_keeps_the_figures_the_chart_and_what_was_typed(seeded: int, api_as, world) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    refused = supervisor.client.post("/supervision/reports/saved?lang=zh_CN", data={
        "name": "", "kind": "calls", "group": "day", "by": "queue", "from": "2026-03-09", "to": "2026-03-09",
        "schedule": "daily", "recipients": "boss@example.com, not-an-address"},
        headers={"X-CSRFToken": supervisor.token or supervisor.refresh_token()})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'data-testid="report-errors"' in page
    assert "请给报表起一个 1-100 个字符的名称" in page and "不是邮箱地址：not-an-address" in page
    totals = page.split('data-testid="totals"')[1].split("</tr>")[0]
    assert '<td data-figure="offered">7</td>' in totals and '<td data-figure="answered">4</td>' in totals
    chart = page.split('id="report-data" type="application/json">')[1].split("</script>")[0]
    assert '"lines": [{' in chart and "2026-03-09" in chart
    assert 'value="boss@example.com, not-an-address"' in page and '<option value="daily" selected>' in page
    assert 'name="from" value="2026-03-09"' in page and '<option value="queue" selected>' in page


def test_an_agents_row_and_its_figures_open_the_calls_bridged_to_the_agent(seeded: int, db: Database, api_as,
                                                                            world) -> None:
    """Tuesday 10 March: two calls bridged to 王小明's extension, one recorded without his user."""
    import uuid as uuidlib

    from hotline.platform.models import AgentExtension, Membership, Role, User

    with db.platform() as session:
        user = User(username=f"u{uuidlib.uuid4().hex[:8]}", display_name="王小明")
        session.add(user)
        session.flush()
        session.add(Membership(tenant_id=seeded, user_id=user.id, role=Role.AGENT))
        extension = f"77{user.id}"
        session.add(AgentExtension(user_id=user.id, extension=extension))
        wang = user.id
    bridged = [{"type": "queue", "queue": "general", "status": "answered", "agent": extension, "wait_seconds": 5}]
    tuesday = T10 + timedelta(days=1)
    add_calls(db, seeded, [seed_call(tuesday, wait=5, talk=100, agent_id=wang, events=bridged),
                           seed_call(tuesday + timedelta(minutes=1), wait=5, talk=60, agent_id=None, events=bridged)])
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    body = supervisor.get("/supervision/api/reports?from=2026-03-10&to=2026-03-10&group=day&by=agent").get_json()
    assert [(r["label"], r["answered"]) for r in body["rows"]] == [("王小明", 2)]
    page = supervisor.get("/supervision/reports?from=2026-03-10&to=2026-03-10&group=day&by=agent&lang=zh_CN")
    link = re.search(r'<td data-figure="answered"><a href="([^"]+)"', page.get_data(as_text=True)).group(1)
    listed = supervisor.get(html.unescape(link)).get_data(as_text=True)
    table = listed.split('data-testid="report-calls"')[1].split("</table>")[0]
    assert table.count("<td>王小明</td>") == 2 and len(_outcomes(listed)) == 2


def test_an_agent_or_number_of_another_tenant_or_none_is_refused_not_shown_as_zeros(seeded: int, db: Database,
                                                                                    api_as, world) -> None:
    """QA 14 item 6: agent=999999, another tenant's user or DID gave zeros as if nothing had happened."""
    from sqlalchemy import select

    from hotline.platform.models import DID, Role, User
    from hotline.platform.services.tenants import get_tenant
    from tests.designer.conftest import make_user

    other_user = make_user(db, {world.tenant_b: [Role.AGENT]})
    with db.platform() as session:
        tenant_b = get_tenant(session, world.tenant_b).id
        session.add(DID(tenant_id=tenant_b, number="4009990014", label="乙热线"))
        other_id = session.scalar(select(User.id).where(User.username == other_user))
    mine = api_as(world.supervisor_a, world.tenant_a)
    for arg, said in ((f"agent={other_id}", "不是本租户的座席"), ("agent=999999", "不是本租户的座席"),
                      ("did=4009990014", "不是本租户的号码")):
        for kind in ("calls", "tickets"):
            refused = mine.get(f"/supervision/api/reports?{DAY}&group=day&kind={kind}&{arg}&lang=zh_CN")
            assert refused.status_code == 400 and said in _said(refused), (arg, kind)
    ours = api_as(make_user(db, {world.tenant_b: [Role.SUPERVISOR]}), world.tenant_b)
    assert ours.get(f"/supervision/api/reports?{DAY}&group=day&did=4009990014&agent={other_id}").status_code == 200


@pytest.mark.parametrize(("lang", "said"), [("zh_CN", "漏斗分析最多统计 1200 天"),
                                            ("en", "too long a range for a funnel")])
def test_the_funnels_too_long_range_is_said_for_the_funnel(seeded: int, api_as, world, lang: str, said: str) -> None:
    """QA 14 item 8: the funnel said 'too long a range for this grouping', though a funnel has no grouping."""
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    refused = supervisor.get(f"/supervision/api/funnel?ivr=main&version=1&from=2020-01-01&to=2026-03-09&lang={lang}")
    assert refused.status_code == 400 and said in _said(refused) and "grouping" not in _said(refused)
