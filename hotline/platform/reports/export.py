"""Reports as CSV and Excel: labelled headers, labels (never codes) in the dimension column, numbers as numbers.

Text cells go through services/spreadsheet_cells (a tenant's queue label beginning with "=" never becomes a
formula); the figures are real numbers in the workbook (a number cannot be a formula), so a spreadsheet sums
them. An empty ratio (no calls) is an empty cell.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from ..services.spreadsheet_cells import csv_bytes
from .service import Report

#: The first column's header, with the zone of the times in it (i18n key; 时段（%(zone)s）in Chinese).
PERIOD_HEADER = "Interval (%(zone)s)"


def table(report: Report, columns: Sequence[str], translate: Callable[[str], str]) -> list[list[Any]]:
    """Header and rows: period, dimension label (when grouped), then each figure; the totals last. The period's
    header names the tenant's time zone the times are in (时段（Asia/Shanghai）): a sheet travels without the page."""
    head = [translate(PERIOD_HEADER) % {"zone": report.period.zone.key}] + (
        [translate(f"dimension.{report.dimension}")] if report.dimension else [])
    rows: list[list[Any]] = [head + [translate(f"figure.{c}") for c in columns]]
    for row in report.rows:
        rows.append([row["period"]] + ([row["label"]] if report.dimension else []) + [row[c] for c in columns])
    rows.append([translate("report.total")] + ([""] if report.dimension else []) + [report.totals[c] for c in columns])
    if report.note:  # how the rows reconcile with the total (by skill: a call in each of its queue's skills)
        rows.append([report.note])
    return rows


def to_csv(rows: list[list[Any]]) -> bytes:
    return csv_bytes(rows)


def to_xlsx(rows: list[list[Any]], sheet_name: str) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:31])
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(WriteOnlyCell(sheet, value=value))
            else:
                cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
                cell.data_type = "s"  # text is never a formula
                cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
