"""The ticket list's export (tester's defect 1): the list as filtered on screen as CSV (UTF-8 with a BOM) and
Excel, labels in the reader's language (never stored codes), times in the tenant's zone named in the header,
formula-looking cells neutralised, a row cap said in words, and only the current tenant's tickets."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from hotline.designer.records import ticket_export
from hotline.platform.models import User
from hotline.platform.services import tickets

WAYBILL = "7730099887701"


@pytest.fixture(scope="module")
def exported(db, world, tenant_ids) -> dict[str, str]:
    """Two tickets of tenant A (one with a formula-looking question) and one of tenant B, same waybill."""
    made = {}
    with db.tenant(tenant_ids["a"]) as session:
        first = tickets.create(session, "tracking_query", {
            "waybill": WAYBILL, "phone": "13801239901", "question": "=HYPERLINK(\"http://x\")",
            "question_type": "no_update"}, world.agent_a)
        first.priority = 9
        made["a1"] = first.number
        made["a2"] = tickets.create(session, "tracking_query", {
            "waybill": WAYBILL, "phone": "13801239902", "question": "包裹破损", "question_type": "no_update"},
            world.agent_a).number
    with db.tenant(tenant_ids["b"]) as session:
        made["b"] = tickets.create(session, "tracking_query", {
            "waybill": WAYBILL, "phone": "13801239903", "question": "乙方的问题", "question_type": "no_update"},
            "b").number
    return made


def _csv(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, so Excel reads the Chinese
    return body.decode("utf-8-sig")


def test_the_csv_export_holds_the_filtered_tickets_in_chinese_labels(pages_as, world, exported) -> None:
    text = _csv(pages_as(world.agent_a).get(f"/records/tickets/export?q={WAYBILL}&format=csv"))
    header = text.splitlines()[0]
    assert "状态" in header and "优先级" in header and "创建时间（" in header
    assert exported["a1"] in text and exported["a2"] in text
    assert "乙方的问题" not in text and "13801239903" not in text  # tenant B's ticket (numbers are per tenant)
    assert "紧急（9）" in text and "普通（5）" in text and "待处理" in text
    assert "物流信息长时间未更新" in text and "no_update" not in text and "pending" not in text
    assert "'=HYPERLINK" in text  # a formula-looking cell is text, not a formula


def test_the_export_in_english_and_as_excel(pages_as, world, exported) -> None:
    response = pages_as(world.agent_a).get(f"/records/tickets/export?q={WAYBILL}&format=xlsx&lang=en")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "Status" in cells[0] and "Priority" in cells[0]
    assert any(str(h).startswith("Created (") for h in cells[0])
    flat = [str(v) for row in cells for v in row]
    assert "Urgent (9)" in flat and "Normal (5)" in flat and "乙方的问题" not in flat
    assert '=HYPERLINK("http://x")' in flat  # a text cell in the workbook, unchanged


def test_filters_narrow_the_export_and_another_tenants_values_find_nothing(pages_as, world, exported, db) -> None:
    agent = pages_as(world.agent_a)
    only = _csv(agent.get("/records/tickets/export?q=13801239902&format=csv"))
    assert exported["a2"] in only and exported["a1"] not in only
    assert "乙方的问题" not in _csv(agent.get("/records/tickets/export?q=13801239903&format=csv"))
    with db.platform() as session:
        other = session.scalar(select(User.id).where(User.username == world.analyst_b))
    theirs = _csv(agent.get(f"/records/tickets/export?assignee={other}&format=csv"))
    assert "乙方的问题" not in theirs and "13801239903" not in theirs


def test_the_row_cap_is_said_in_words(pages_as, world, exported, monkeypatch) -> None:
    monkeypatch.setattr(ticket_export, "ROW_CAP", 1)
    text = _csv(pages_as(world.agent_a).get(f"/records/tickets/export?q={WAYBILL}&format=csv"))
    assert "仅导出前 1 条" in text
    english = _csv(pages_as(world.agent_a).get(f"/records/tickets/export?q={WAYBILL}&format=csv&lang=en"))
    assert "Only the first 1 of 2 tickets" in english


def test_an_unknown_format_is_refused(pages_as, world) -> None:
    assert pages_as(world.agent_a).get("/records/tickets/export?format=pdf").status_code == 400
