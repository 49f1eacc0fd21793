"""Reading an uploaded CSV or Excel file into (line number, cells) records, within bounds, for the importers.

Tenants upload these files, so they are read as untrusted input (issue 10, item 9: an .xlsx of 341 KB that
unzipped to 100 MB took 62 s and 641 MB; a stray quote silently swallowed the lines after it):

* **.xlsx**: the zip's declared uncompressed sizes are checked *before* anything is parsed — at most
  MAX_UNZIPPED_BYTES in all and no member expanding more than MAX_RATIO times (a zip bomb); rows are then
  streamed (openpyxl read-only) and at most MAX_COLUMNS cells of a row are materialised.
* **CSV** is decoded by detection: a UTF-8 / UTF-16 byte-order mark, else UTF-16 without one (NUL bytes on
  one side of the byte pairs: ASCII's other half, even when Chinese makes up most of the text), else UTF-8,
  else GB18030 (a superset of GBK: what Excel in China saves as "CSV"). A header with tabs and no comma is
  read tab-separated (Excel's "Unicode text").
* A quoted cell that is never closed, or that runs over lines which are records of their own, is reported
  at the line where the quote opened; reading resumes on the next line, so the lines after it import.
* Per line: a NUL character, more than MAX_COLUMNS cells, or a cell over MAX_CELL characters is that
  line's error (PostgreSQL refuses NUL in text: one such cell used to fail a whole batch).
* At most MAX_ROWS data lines; the rest is reported once and not read.

Records come as a stream: `Record` (line, cells) or `LineError` (line, reason), header first.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from typing import Any, NamedTuple

MAX_UNZIPPED_BYTES = 128 * 1024 * 1024
MAX_RATIO = 100
#: Members smaller than this may compress as well as they like (an empty sheet compresses 1000:1).
_RATIO_FLOOR = 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 100
MAX_CELL = 10_000
#: A quoted cell may hold line breaks (an address typed with Alt+Enter), over at most this many lines.
MAX_RECORD_LINES = 50


class LineError(NamedTuple):
    """A line that was not imported: its number in the file (header = 1) and why."""

    line: int
    reason: str


class Record(NamedTuple):
    line: int
    cells: list[str]


class FileRefused(ValueError):
    """The whole file cannot be read; the message says why (reported at line 1, nothing imported)."""


# -- CSV ---------------------------------------------------------------------------------------------------------


def decode_csv(content: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV upload, by detection (see the module docstring); FileRefused if none fits."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if content.startswith(bom):
            return _decode(content[len(bom):], encoding), encoding
    encoding = _utf16_without_bom(content[:4096])
    if encoding is not None:
        return _decode(content, encoding), encoding
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise FileRefused(f"the file is neither UTF-8, UTF-16 nor GBK/GB18030 text (byte {exc.start}); save it as "
                          "\"CSV UTF-8\" and upload again") from None
    if _looks_misread(text):
        raise FileRefused("the file reads as GBK/GB18030 only as rare characters, so it is in another encoding "
                          "(Latin-1, Shift-JIS, ...); accepted are UTF-8, UTF-16 and GBK/GB18030: save it as "
                          "\"CSV UTF-8\" and upload again")
    return text, "gb18030"


#: Above this share of rare characters among the non-ASCII ones, a GB18030 reading is taken as a misreading.
MISREAD_SHARE = 0.3


def _looks_misread(text: str) -> bool:
    """True when most non-ASCII characters of a GB18030 reading are outside GB2312 (the 6,763 common characters
    and their punctuation): GB18030 reads almost any byte pair, so a Latin-1 "Mü" or Shift-JIS kana become rare
    characters ("M黮ler"), while Chinese text is nearly all common ones (QA 13f #6)."""
    sample = [c for c in text[:20_000] if ord(c) > 0x7F]
    if not sample:
        return False
    rare = 0
    for char in sample:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare / len(sample) > MISREAD_SHARE


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 LE or BE when the head's NUL bytes sit on one side of the byte pairs, else None.

    Every ASCII character (digits, commas, line ends: all of a phone column) is a NUL and its byte in UTF-16, the
    NUL on the odd side in LE and the even side in BE; Chinese characters have none. So a mostly Chinese file has
    few NULs — a "a third of the bytes are NUL" rule missed it, and GB18030 (which reads any byte pair) turned it
    into one column of noise, "no phone column" (issue 13, 13c #4) — but they are all on one side. UTF-8 and
    GB18030 text has no NUL at all save a stray one (that line's error, not the file's encoding): at least one
    pair in ten must carry a NUL, and the other side at most a tenth as many.
    """
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0:pairs * 2:2].count(0), head[1:pairs * 2:2].count(0)
    most, least = max(even, odd), min(even, odd)
    if most * 10 < pairs or least * 10 > most:
        return None
    return "utf-16-le" if odd > even else "utf-16-be"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileRefused(f"the file starts as {encoding.upper()} text but byte {exc.start} is not; save it as "
                          "\"CSV UTF-8\" and upload again") from None


def csv_records(text: str, hints: dict[str, int] | None = None) -> Iterator[Record | LineError]:
    """The non-blank records of CSV text, header first, with per-line errors (see the module docstring).
    `hints["lines"]` is set to the number of physical lines (for a progress estimate)."""
    lines = io.StringIO(text.removeprefix("\ufeff"), newline="").readlines()
    if hints is not None:
        hints["lines"] = len(lines)
    first = next((line for line in lines if line.strip()), "")
    # Excel's "Unicode text" (UTF-16) is tab-separated: a header with tabs and no comma says so.
    delimiter = "\t" if "\t" in first and "," not in first else ","
    index, rows = 0, 0
    columns: int | None = None
    while index < len(lines):
        start = index + 1
        record, used = _one_record(lines, index, delimiter)
        if record is None or (used > 1 and columns is not None
                              and _swallows(lines, index, used, columns, delimiter)):
            yield LineError(start, "a quoted cell opened on this line is never closed (an unbalanced \"), so the "
                                   "line was not imported; the lines after it were read on their own")
            index += 1
            continue
        index += used
        if not any(cell.strip() for cell in record):
            continue
        if columns is None:
            columns = len(record)
        else:
            rows += 1
            if rows > MAX_ROWS:
                yield LineError(start, f"the file has more than {MAX_ROWS:,} lines; this line and the ones after it "
                                       "were not imported: split the file")
                return
        problem = line_problem(record)
        yield LineError(start, problem) if problem else Record(start, record)


def _one_record(lines: list[str], index: int, delimiter: str) -> tuple[list[str] | None, int]:
    """The record starting at lines[index] and how many physical lines it used; None when its quote never
    closes within MAX_RECORD_LINES lines."""
    used = 1
    while True:
        chunk = "".join(lines[index:index + used])
        if not _quote_open(chunk, delimiter):
            return next(csv.reader([chunk], delimiter=delimiter), []), used
        if used >= MAX_RECORD_LINES or index + used >= len(lines):
            return None, used
        used += 1


def _quote_open(chunk: str, delimiter: str = ",") -> bool:
    """Whether CSV text ends inside a quoted cell (a quote only opens a cell at the cell's start)."""
    if '"' not in chunk:
        return False
    inside, at_start, i = False, True, 0
    while i < len(chunk):
        char = chunk[i]
        if inside:
            if char == '"':
                if chunk.startswith('"', i + 1):
                    i += 1  # "" inside quotes is one quote
                else:
                    inside = False
        elif char == '"' and at_start:
            inside = True
        at_start = not inside and (char == delimiter or char in "\r\n")
        i += 1
    return inside


def _swallows(lines: list[str], index: int, used: int, columns: int, delimiter: str) -> bool:
    """Whether a multi-line record took in lines that look like records of their own (as many cells as the
    header): then its opening quote is a mistake, not a cell with line breaks."""
    if columns < 2:
        return False
    for line in lines[index + 1:index + used]:
        if _quote_open(line, delimiter):
            continue
        cells = next(csv.reader([line], delimiter=delimiter), [])
        if len(cells) >= columns:
            return True
    return False


def line_problem(cells: list[str]) -> str | None:
    """Why a line's cells cannot be imported as they are (NUL, too many cells, an over-long cell), or None."""
    if len(cells) > MAX_COLUMNS and any(c.strip() for c in cells[MAX_COLUMNS:]):
        return f"{len(cells)} cells; a line may have at most {MAX_COLUMNS} columns"
    for position, cell in enumerate(cells, start=1):
        if "\x00" in cell:
            return f"column {position} contains a NUL character (byte 0), which text cannot hold; remove it"
        if len(cell) > MAX_CELL:
            return f"column {position} is {len(cell):,} characters long; at most {MAX_CELL:,}"
    return None


# -- Excel .xlsx ---------------------------------------------------------------------------------------------------


def check_xlsx_archive(content: bytes) -> None:
    """Refuses an .xlsx whose zip would expand beyond the bounds, from the sizes its directory declares (and
    which zipfile then enforces while reading)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileRefused(f"not an Excel .xlsx file: {exc}") from None
    with archive:
        total = 0
        for member in archive.infolist():
            total += member.file_size
            if member.file_size > _RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise FileRefused(f"the workbook's part {member.filename!r} expands from "
                                  f"{member.compress_size:,} to {member.file_size:,} bytes (more than {MAX_RATIO} "
                                  "times): refused as a zip bomb")
        if total > MAX_UNZIPPED_BYTES:
            raise FileRefused(f"the workbook expands to {total / 1024 / 1024:,.0f} MB; at most "
                              f"{MAX_UNZIPPED_BYTES // 1024 // 1024} MB: split it or save it as CSV")


def xlsx_records(content: bytes, sheet: str | None = None,
                 hints: dict[str, int] | None = None) -> Iterator[Record | LineError]:
    """The non-blank rows of an .xlsx workbook's first sheet (or the one named `sheet`), streamed; line
    numbers are the sheet's row numbers. FileRefused (before any row) for an unreadable or oversized file.
    `hints["lines"]` is set to the row count the sheet declares, when it declares one."""
    check_xlsx_archive(content)
    import openpyxl  # only the Excel import needs it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike for a file it cannot read
        raise FileRefused(f"not an Excel .xlsx file: {exc}") from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0] if workbook.worksheets else None
        else:
            worksheet = workbook[sheet] if sheet in workbook.sheetnames else None
        if worksheet is None:
            names = ", ".join(repr(n) for n in workbook.sheetnames) or "none"
            wanted = f"sheet named {sheet!r}" if sheet is not None else "sheet"
            raise FileRefused(f"the workbook has no {wanted} (its sheets: {names})")
        if hints is not None and isinstance(worksheet.max_row, int):
            hints["lines"] = worksheet.max_row  # the sheet's <dimension>: read, not counted
        rows = 0
        # read-only sheets yield missing rows as empty ones, so counting from 1 gives the Excel row number;
        # max_col keeps a row of 16,384 cells from being built (one more column shows it is too wide)
        for number, row in enumerate(worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1):
            cells = [xlsx_text(value) for value in row]
            if not any(cell.strip() for cell in cells):
                continue
            if rows > MAX_ROWS:
                yield LineError(number, f"the sheet has more than {MAX_ROWS:,} rows; this row and the ones after "
                                        "it were not imported: split the file")
                return
            rows += 1
            if len(cells) > MAX_COLUMNS and cells[MAX_COLUMNS].strip():
                yield LineError(number, f"more than {MAX_COLUMNS} columns; a row may have at most {MAX_COLUMNS}")
                continue
            cells = cells[:MAX_COLUMNS]
            while cells and not cells[-1]:
                cells.pop()
            problem = line_problem(cells)
            yield LineError(number, problem) if problem else Record(number, cells)
    finally:
        workbook.close()


def xlsx_text(value: Any) -> str:
    """A cell's value as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def records(fmt: str, content: bytes, sheet: str | None = None,
            hints: dict[str, int] | None = None) -> Iterator[Record | LineError]:
    """The records of an upload of format "csv" or "xlsx"; FileRefused (from this call or the first record)
    for a file that cannot be read at all."""
    if fmt == "csv":
        text, _encoding = decode_csv(content)
        return csv_records(text, hints)
    return xlsx_records(content, sheet, hints)
