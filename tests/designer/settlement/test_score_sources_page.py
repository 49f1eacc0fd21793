"""The statement page says, per score, whether it was computed (and from which figures and weights) or entered
(by whom, when), in Chinese and English; another tenant's calls in a queue of the same name
never count."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Queue, VendorMonth
from tests.settlement import helpers
from tests.settlement.test_assessment import _call

from ..conftest import World
from ..quality.helpers import tenant_id
from .test_settlement_pages import table


def test_the_statement_shows_how_each_score_was_obtained(db: Database, world: World, api_as, unique) -> None:
    queue = unique("q")
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        row = helpers.worked_month(session, unique("v"))  # QA 90 and 95 -> 92.50
        row.queues = [queue]
        session.add(Queue(name=queue, label="外包队列", service_level_seconds=20))
        # 10 offered, 6 answered within 20 s, 2 after 60 s, 2 abandoned: service level 60, answer rate 80
        session.add_all([_call(queue, 10, True, n) for n in range(6)] + [_call(queue, 60, True, 6 + n)
                                                                          for n in range(2)] +
                        [_call(queue, 30, False, 8 + n) for n in range(2)])
        month = session.scalars(select(VendorMonth).where(VendorMonth.vendor_id == row.id)).one()
        month.business_score, month.updated_by = None, "li"
        month.updated_at = datetime(2026, 4, 1, 2, 30, tzinfo=UTC)
        vendor_id, name = row.id, row.name
    with db.tenant(tenant_id(db, world.tenant_b)) as session:  # the same queue name in B, every call abandoned
        session.add(Queue(name=queue, label="别家队列", service_level_seconds=20))
        session.add_all([_call(queue, 50, False, 20 + n) for n in range(30)])
    admin = api_as(world.admin_a, world.tenant_a)
    url = f"/settlement/vendors/{vendor_id}/statement?month=2026-03"
    rows = table(admin.get(url).get_data(as_text=True), "score-sources")
    # no ticket figures: (0.4 × 75 + 0.3 × 88.888…) ÷ 0.7 = 80.95; the overall score entered (95) wins
    assert rows[0] == ["考核", "评分", "来源"]
    assert rows[1] == ["质量考核分数", "92.50", "按本月质检评分计算"]
    assert rows[2] == ["业务考核分数", "80.95", "计算得出：服务水平（%） 60.0 ÷ 目标 80 × 权重 0.4 → 75.00；"
                                               "接通率（%） 80.0 ÷ 目标 90 × 权重 0.3 → 88.89"]
    assert rows[3][:2] == ["考核总成绩", "95.00"] and rows[3][2].startswith("由 li 于 2026-04-01 ")
    english = table(admin.get(url + "&lang=en").get_data(as_text=True), "score-sources")
    assert english[2] == ["Business score", "80.95", "computed: Service level (%) 60.0 ÷ target 80 × weight 0.4 → "
                                                     "75.00; Answer rate (%) 80.0 ÷ target 90 × weight 0.3 → 88.89"]
    assert english[3][2].startswith("entered by li at 2026-04-01 ")
    statement = table(admin.get(url).get_data(as_text=True), "statement")
    assert any(r[:4] == ["", "92.50", "80.95", "95.00"] for r in statement)  # the lowest (80.95) picks the band
    # the comparison page shows the same computed business score for the vendor
    page = admin.get("/settlement/assessment?month=2026-03&lang=zh_CN").get_data(as_text=True)
    mine = page.split(f'data-vendor="{name}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-metric="business_score">80.95</td>' in mine
    assert "业务考核分数（计算）" in page
