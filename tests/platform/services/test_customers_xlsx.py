"""Customers imported from an Excel .xlsx workbook through the CSV import's row checks and merge by phone."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest

from hotline.platform.db import Database
from hotline.platform.services import customer_import, customers, tenants


@pytest.fixture
def tenant(db: Database, unique: Callable[[str], str]) -> int:
    with db.platform() as session:
        return tenants.create_tenant(session, unique("xlsx"), "Excel import test", "test").id


def workbook(rows: list[list[Any]], *, title: str | None = None, first: list[list[Any]] | None = None) -> io.BytesIO:
    """An .xlsx file whose sheet holds `rows` (row 1 first); `first` puts another sheet before it."""
    book = openpyxl.Workbook()
    sheet = book.active
    if first is not None:
        for row in first:
            sheet.append(row)
        sheet = book.create_sheet()
    if title:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def import_xlsx(db: Database, tenant_id: int, stream: io.BytesIO, **kwargs: Any) -> customer_import.ImportReport:
    with db.tenant(tenant_id) as session:
        return customer_import.import_xlsx(session, stream, "importer", **kwargs)


def everyone(db: Database, tenant_id: int) -> dict[str, dict[str, object]]:
    with db.tenant(tenant_id) as session:
        rows, _total = customers.search(session, per_page=500)
        return {c.name: {"phones": [p.phone for p in c.phones], "address": c.address, "vip": c.vip,
                         "flags": list(c.flags), "note": c.note, "data": dict(c.data)} for c in rows}


def test_good_and_bad_rows_are_reported_by_excel_row_number(db: Database, tenant: int) -> None:
    rows: list[list[Any]] = [
        ["Name", "Phones", "Address", "VIP", "Flags", "Note", "since", "score"],
        ["张三", 13800000001, "上海市徐汇区", "是", "monthly_settlement", "老客户", datetime.date(2024, 3, 5), 4.5],
        [None, 13800000003, None, None, None, None, None, None],                   # row 3: missing name
        ["李四", "138-0000-0004 / 021 5555 0004", "北京市", False, None, None, None, None],
        [],                                                                         # row 5: blank, ignored
        ["王五", "13800000005;not-a-phone", None, 1, None, None, None, None],     # row 6: bad phone
        ["赵六", 13800000006.0, None, "maybe", None, None, None, None],           # row 7: bad vip
        ["钱八", None, None, None, None, None, None, None],                         # row 8: missing phone
        ["孙七", 13800000007, None, True, "vip;a", None, datetime.datetime(2024, 1, 2, 9, 30), 7],
    ]
    seen: list[tuple[int, int]] = []
    report = import_xlsx(db, tenant, workbook(rows), progress=lambda done, total: seen.append((done, total)))
    assert (report.created, report.merged, report.skipped, report.total) == (3, 0, 4, 7)
    lines = dict(report.errors)
    assert list(lines) == [3, 6, 7, 8]
    assert lines[3] == "missing name"
    assert lines[6].startswith('bad phone "not-a-phone": ')
    assert lines[7].startswith('bad vip value "maybe"')
    assert lines[8] == "missing phone"
    assert seen[0] == (0, 7) and seen[-1] == (7, 7)
    stored = everyone(db, tenant)
    assert stored == {
        "张三": {"phones": ["13800000001"], "address": "上海市徐汇区", "vip": True, "flags": ["monthly_settlement"],
                 "note": "老客户", "data": {"since": "2024-03-05", "score": "4.5"}},
        "李四": {"phones": ["13800000004", "02155550004"], "address": "北京市", "vip": False, "flags": [],
                 "note": "", "data": {}},
        "孙七": {"phones": ["13800000007"], "address": "", "vip": True, "flags": ["vip", "a"], "note": "",
                 "data": {"since": "2024-01-02 09:30:00", "score": "7"}},
    }


def test_phones_typed_as_numbers_keep_their_digits(db: Database, tenant: int) -> None:
    report = import_xlsx(db, tenant, workbook([["name", "phones"], ["甲", 13812345678], ["乙", 13912345678.0],
                                               ["丙", 2155550004]]))
    assert (report.created, report.errors) == (3, [])
    stored = everyone(db, tenant)
    assert [stored[n]["phones"] for n in ("甲", "乙", "丙")] == [["13812345678"], ["13912345678"], ["2155550004"]]


def test_rows_merge_by_phone_with_existing_customers_and_within_the_sheet(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        existing = customers.create(session, "张三", ["13800000001"], address="旧地址", vip=True, flags=["a"],
                                    note="keep me", actor="t")
    rows: list[list[Any]] = [
        ["name", "phones", "address", "vip", "flags", "note"],
        ["张三丰", 13800000001, "新地址", None, "b", None],
        ["李四", 13900000001, "北京", "否", "x", None],
        ["李四", "13900000002/13900000001", None, "是", "y", "补充"],
    ]
    report = import_xlsx(db, tenant, workbook(rows))
    assert (report.created, report.merged, report.skipped, report.total, report.errors) == (1, 2, 0, 3, [])
    stored = everyone(db, tenant)
    assert stored["张三丰"] == {"phones": ["13800000001"], "address": "新地址", "vip": True, "flags": ["a", "b"],
                               "note": "keep me", "data": {}}
    assert stored["李四"] == {"phones": ["13900000001", "13900000002"], "address": "北京", "vip": True,
                             "flags": ["x", "y"], "note": "补充", "data": {}}
    with db.tenant(tenant) as session:
        assert [c.id for c in customers.find_by_phone(session, "13800000001")] == [existing.id]


def test_a_named_sheet_is_read_instead_of_the_first(db: Database, tenant: int) -> None:
    stream = workbook([["name", "phones"], ["乙", 13800000002]], title="客户",
                      first=[["name", "phones"], ["甲", 13800000001]])
    report = import_xlsx(db, tenant, stream, sheet="客户")
    assert (report.created, report.errors) == (1, [])
    assert set(everyone(db, tenant)) == {"乙"}
    stream.seek(0)
    missing = import_xlsx(db, tenant, stream, sheet="nope")
    assert len(missing.errors) == 1 and missing.errors[0].line == 1 and missing.created == 0
    assert "no sheet named 'nope'" in missing.errors[0].reason and "'客户'" in missing.errors[0].reason


def test_a_bad_header_in_a_sheet_is_one_error(db: Database, tenant: int) -> None:
    report = import_xlsx(db, tenant, workbook([["name", "address"], ["张三", "上海"]]))
    assert len(report.errors) == 1 and report.errors[0].line == 1
    assert "lacks the required column phones" in report.errors[0].reason
    assert everyone(db, tenant) == {}


@pytest.mark.parametrize("content", [b"name,phones\n\xe5\xbc\xa0\xe4\xb8\x89,13800000001\n", b"",
                                     b"PK\x03\x04 truncated zip"])
def test_a_file_that_is_not_xlsx_is_refused_and_nothing_imported(db: Database, tenant: int, content: bytes) -> None:
    report = import_xlsx(db, tenant, io.BytesIO(content))
    assert len(report.errors) == 1 and report.errors[0].line == 1
    assert report.errors[0].reason.startswith("not an Excel .xlsx file: ")
    assert (report.created, report.merged, report.total) == (0, 0, 0)
    assert everyone(db, tenant) == {}
