"""Every CSV and Excel export writes its cells through here, so tenant text never becomes a formula.

A spreadsheet program treats a cell beginning with `=`, `+`, `-` or `@` as a formula (tab and carriage
return are stripped first by some, leaving such a cell behind), and a formula can call out (`HYPERLINK`,
`WEBSERVICE`, DDE) from the machine of whoever opens the export — "CSV injection" (OWASP). So:

* CSV: such a cell is written with a leading `'`, the prefix spreadsheet programs read as "this is text"
  (and do not show); `restore` removes it again when the file is imported, so a round trip loses nothing.
  A plain signed number (-5, +8613800000001) is left alone: a spreadsheet reads it as a number, not a formula;
* xlsx: every cell is written as a string cell (data type `s`), never a formula, the text unchanged.

Numbers are written as text too: exports hold phone numbers, where a number cell would drop a leading 0/+.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, TextIO

#: First characters a spreadsheet may read as the start of a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _signed_number(text: str) -> bool:
    """-5, +86138…: a number a spreadsheet reads as a number, not a formula (left as it is)."""
    if not text.startswith(("+", "-")) or text != text.strip():
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutral(value: Any) -> str:
    """The cell's text for a CSV file: prefixed with `'` when it would otherwise start a formula."""
    text = _text(value)
    return "'" + text if text.startswith(TRIGGERS) and not _signed_number(text) else text


def restore(text: str) -> str:
    """An imported cell without the prefix `neutral` added (Excel drops it the same way)."""
    return text[1:] if text.startswith("'") and neutral(text[1:]) == text else text


def write_csv(stream: TextIO, rows: Iterable[Iterable[Any]], *, bom: bool = False) -> int:
    """Writes `rows` (the header first) as CSV with every cell neutralised; returns the rows written.
    Open the stream with newline="". `bom=True` starts with a byte-order mark (Excel needs it for UTF-8)."""
    if bom:
        stream.write(BOM)
    writer = csv.writer(stream)
    count = 0
    for row in rows:
        writer.writerow([neutral(cell) for cell in row])
        count += 1
    return count


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV file in UTF-8 with a byte-order mark."""
    out = io.StringIO(newline="")
    write_csv(out, rows, bom=True)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[Iterable[Any]], sheet_name: str) -> bytes:
    """A one-sheet .xlsx workbook whose every cell is a text cell (never a formula)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_text(value))
            cell.data_type = "s"  # openpyxl would make "=…" a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
