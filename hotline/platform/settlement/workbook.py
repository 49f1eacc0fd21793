"""The statement as rows of cells, which both the page and the Excel export show, so the two cannot disagree.

Numbers are Decimals (written to the workbook as numbers with the statement's decimals, so a spreadsheet sums
them and shows what the page shows); text cells go into the workbook as text, never as formulas (a vendor's
or target's label beginning with "=" stays text; services/spreadsheet_cells.py explains why).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

Row = list[Any]


def rows(record: dict[str, Any], result: dict[str, Any], tr: Callable[[str], str]) -> list[tuple[str, Row]]:
    """(kind, cells): kind is "head" (a table header), "line" or "sum" (a subtotal or total)."""
    d = Decimal
    out: list[tuple[str, Row]] = [
        ("head", [tr("Seat type"), tr("Hours"), tr("Staffing ratio"), tr("Seats"), tr("Unit price"), tr("Amount")])]
    for line in result["seats"]:
        label = tr(f"seat.{line['seat_type']}")
        if line.get("cap"):
            label += " " + tr("(capped at 1:{span})").format(span=record["contract"]["terms"].get("team_lead_span", 20))
        out.append(("line", [label, d(line["hours"]), d(line["ratio"]), d(line["seats"]), d(line["unit_price"]),
                             d(line["amount"])]))
    out.append(("sum", [tr("Seat subtotal"), "", "", "", "", d(result["seat_subtotal"])]))
    scores = result["scores"]
    out.append(("head", [tr("Assessment"), tr("Quality score"), tr("Business score"), tr("Overall score"),
                         tr("Lowest score"), tr("Coefficient")]))
    out.append(("line", ["", *(two(scores[k]) for k in ("quality", "business", "overall", "lowest")),
                         d(result["coefficient"])]))
    out.append(("sum", [tr("Seat fee × coefficient"), "", "", "", "", d(result["assessed"])]))
    bonus = result["bonus"]
    if bonus["lines"]:
        out.append(("head", [tr("Bonus target"), tr("Target value"), tr("Achieved"), tr("Above target"),
                             tr("Bonus per unit"), tr("Bonus")]))
        for line in bonus["lines"]:
            out.append(("line", [line["label"], d(line["target"]), d(line["achieved"]), d(line["excess"]),
                                 d(line["bonus_per_unit"]), d(line["amount"])]))
    out.append(("sum", [tr("Over-target bonus"), "", "", "", "", d(bonus["total"])]))
    out.append(("line", [tr("Partner share"), "", "", "", d(bonus["partner_share"]), d(bonus["partner"])]))
    out.append(("line", [tr("Staff share"), "", "", "", d(bonus["staff_share"]), d(bonus["staff"])]))
    penalties = result["penalties"]
    if penalties["lines"]:
        out.append(("head", [tr("Penalty"), tr("Incidents"), "", "", tr("Amount per incident"), tr("Deduction")]))
        for line in penalties["lines"]:
            out.append(("line", [line["label"], d(line["count"]), "", "", d(line["amount"]), d(line["total"])]))
    out.append(("sum", [tr("Penalties"), "", "", "", "", d(penalties["total"])]))
    out.append(("sum", [tr("Fee for the month"), "", "", "", "", d(result["total"])]))
    return out


SEAT_TYPES = ("trainee", "agent", "team_lead")


def hours_rows(record: dict[str, Any], tr: Callable[[str], str]) -> list[tuple[str, Row]]:
    """The scheduled hours per agent and seat type the seats are computed from (the basis of the bill), as the
    page and the Excel export both show them."""
    out: list[tuple[str, Row]] = [("head", [tr("Agent"), *(tr(f"seat.{t}") for t in SEAT_TYPES)])]
    for agent in record.get("hours", []):
        out.append(("line", [agent["name"], *(two(agent[t]) if agent.get(t) else "" for t in SEAT_TYPES)]))
    return out


def two(value: Any) -> Decimal:
    """Scores and hours with two decimals, one format down a column ("90.00 | 88" and "0 | 1.3600" read as
    different precisions: task 15d item 3); the amounts keep the statement's own decimals."""
    return Decimal(value).quantize(Decimal("0.01"))


def _format(value: Decimal) -> str:
    places = -int(value.as_tuple().exponent) if value.as_tuple().exponent < 0 else 0  # type: ignore[operator]
    return "0" if places == 0 else "0." + "0" * places


def to_xlsx(title: list[str], table: list[tuple[str, Row]], sheet_name: str,
            more: tuple[tuple[str, list[tuple[str, Row]]], ...] = ()) -> bytes:
    """The statement's title lines, then its rows: Decimals as numbers in their own decimals, text as text;
    `more` adds (heading, rows) tables below, as the page shows them (the hours per agent)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:31])
    bold = Font(bold=True)

    def heading(text: str) -> None:
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        cell.font = bold
        sheet.append([cell])

    for text in title:
        heading(text)
    sheet.append([])
    _append(sheet, table, bold)
    for name, rows_ in more:
        sheet.append([])
        heading(name)
        _append(sheet, rows_, bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet: Any, table: list[tuple[str, Row]], bold: Any) -> None:
    from openpyxl.cell import WriteOnlyCell

    for kind, cells in table:
        out = []
        for value in cells:
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=float(value))
                cell.number_format = _format(value)
            else:
                cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
                cell.data_type = "s"  # text is never a formula
            if kind != "line":
                cell.font = bold
            out.append(cell)
        sheet.append(out)
