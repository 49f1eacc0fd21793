"""Batch import and export of a tenant's customers as CSV, and
import from an Excel .xlsx workbook (one sheet, laid out like the CSV file; lines are the sheet's rows).

Files are read by `import_files` (CSV in UTF-8, UTF-16 or GBK/GB18030 by detection; .xlsx with its
unzipped size checked first; per-line errors for unbalanced quotes, NUL characters and oversized lines).

Columns: name, phones (several separated by ';' or '/'), address, vip (是/否/true/false/1/0/yes/no), flags
(';' separated), note. Header names are matched without regard to case or surrounding spaces; any other
column is kept in the customer's `data` under its header. A header without `name` or `phones` is refused as a
whole. Each bad line is skipped and reported with its line number (the header is line 1; a record spanning
several lines is reported at its first line) and the reason; the good lines import.

A line whose phone belongs to an existing customer of the tenant is merged into that customer: phones and
flags are united, non-empty fields overwrite, non-empty extra columns are set in `data`. The same customer
appearing twice in the file is merged the same way (the first line creates it). Blank lines are ignored.

Old .xls workbooks are not read: save them as .xlsx or "CSV UTF-8" first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import phones as phone_numbers
from ..models import Customer, CustomerPhone
from ..words import yes_no
from . import audit, customers, import_files, spreadsheet_cells
from .errors import ServiceError
from .import_files import FileRefused, LineError, xlsx_text

COLUMNS = ("name", "phones", "address", "vip", "flags", "note")
REQUIRED = ("name", "phones")
_PHONE_SPLIT = re.compile(r"[;/；／]")
_FLAG_SPLIT = re.compile(r"[;；]")
_VIP = {"是": True, "否": False, "true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
_BOM = "\ufeff"


@dataclass
class ImportReport:
    created: int = 0
    #: lines merged into a customer that existed before the import or came from an earlier line
    merged: int = 0
    skipped: int = 0
    #: data lines read (blank lines not counted); always created + merged + skipped
    total: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "merged": self.merged, "skipped": self.skipped, "total": self.total,
                "errors": [list(e) for e in self.errors]}


@dataclass
class _Line:
    number: int
    name: str
    phones: list[str]
    address: str
    vip: bool | None
    flags: list[str]
    note: str
    data: dict[str, str]


def _records(text: str) -> tuple[list[tuple[int, list[str]]], list[LineError]]:
    """(line number of the record's first line, cells) for every non-blank record, and unreadable lines
    (an unbalanced quote, a NUL character, too many cells: see import_files)."""
    records: list[tuple[int, list[str]]] = []
    problems: list[LineError] = []
    for item in import_files.csv_records(text):
        if isinstance(item, LineError):
            problems.append(item)
        else:
            records.append((item.line, item.cells))
    return records, problems


def _header(cells: list[str]) -> tuple[list[str], str | None]:
    """Column keys (a standard column's name, or the header as written for `data`), or why it is refused."""
    keys: list[str] = []
    for position, cell in enumerate(cells, start=1):
        cell = cell.strip()
        key = cell.lower() if cell.lower() in COLUMNS else (cell or f"column{position}")
        if key in keys:
            return keys, f"the header names column {cell!r} twice"
        keys.append(key)
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        return keys, (f"the header row lacks the required column{'s' if len(missing) > 1 else ''} "
                      f"{' and '.join(missing)} (expected columns: {', '.join(COLUMNS)}); nothing was imported")
    return keys, None


def _parse(number: int, keys: list[str], cells: list[str]) -> _Line | str:
    """The line's values, or the reasons it cannot be imported."""
    reasons: list[str] = []
    extra = [c for c in cells[len(keys):] if c.strip()]
    if extra:
        reasons.append(f"{len(cells)} cells but the header has {len(keys)} columns")
    # restore: a cell our own export neutralised ("'+86…") imports as it was.
    values = {key: (spreadsheet_cells.restore(cells[i].strip()) if i < len(cells) else "")
              for i, key in enumerate(keys)}
    name = values["name"]
    if not name:
        reasons.append("missing name")
    elif len(name) > customers.MAX_NAME:
        reasons.append(f"name longer than {customers.MAX_NAME} characters")
    numbers: list[str] = []
    raw_phones = [p.strip() for p in _PHONE_SPLIT.split(values["phones"]) if p.strip()]
    if not raw_phones:
        reasons.append("missing phone")
    for raw in raw_phones:
        try:
            normalized = phone_numbers.normalize(raw)
        except ValueError as exc:
            reasons.append(f'bad phone "{raw}": {exc}')
            continue
        if normalized not in numbers:
            numbers.append(normalized)
    vip: bool | None = None
    raw_vip = values.get("vip", "")
    if raw_vip:
        vip = _VIP.get(raw_vip.lower())
        if vip is None:
            reasons.append(f'bad vip value "{raw_vip}" (use 是/否, true/false or 1/0)')
    if reasons:
        return "; ".join(reasons)
    return _Line(number=number, name=name, phones=numbers, address=values.get("address", ""), vip=vip,
                 flags=customers.clean_flags(_FLAG_SPLIT.split(values.get("flags", ""))), note=values.get("note", ""),
                 data={k: v for k, v in values.items() if k not in COLUMNS and v})


def _matches(session: Session, numbers: list[str]) -> list[Customer]:
    owners = select(CustomerPhone.customer_id).where(CustomerPhone.phone.in_(numbers))
    return list(session.scalars(select(Customer).where(Customer.id.in_(owners))
                                .options(selectinload(Customer.phones)).order_by(Customer.id)))


def parse_counted(number: int, keys: list[str], cells: list[str], report: ImportReport) -> _Line | None:
    """One data line parsed and counted into `report`; a bad one is None, recorded as skipped with its reason."""
    report.total += 1
    parsed = _parse(number, keys, cells)
    if isinstance(parsed, str):
        report.errors.append(LineError(number, parsed))
        report.skipped += 1
        return None
    return parsed


def merged_fields(line: _Line, flags: list[str], data: dict[str, Any] | None) -> dict[str, Any]:
    """What a line about a known customer (with these flags and data) sets, phones apart: the name, the flags
    united, each non-empty field overwritten and the non-empty extra columns set in `data`. The one merge rule
    of the synchronous import and the import jobs."""
    changes: dict[str, Any] = {"name": line.name, "flags": customers.clean_flags([*flags, *line.flags])}
    if line.address:
        changes["address"] = line.address
    if line.note:
        changes["note"] = line.note
    if line.vip is not None:
        changes["vip"] = line.vip
    if line.data:
        changes["data"] = {**(data or {}), **line.data}
    return changes


def _merge(session: Session, customer: Customer, line: _Line, actor: str) -> None:
    phones = [p.phone for p in customer.phones]
    customers.update(session, customer.id, actor=actor, phones=phones + [n for n in line.phones if n not in phones],
                     **merged_fields(line, customer.flags, customer.data))


def import_csv(session: Session, stream: TextIO, actor: str, *,
               progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Imports the customers of a CSV file into the session's tenant (the caller commits).

    `progress(done, total)` is called with (0, total) first and after every data line.
    """
    records, unreadable = _records(stream.read())
    return _import_records(session, records, unreadable, actor, progress)


def import_xlsx(session: Session, stream: BinaryIO, actor: str, *,
                progress: Callable[[int, int], None] | None = None, sheet: str | None = None) -> ImportReport:
    """Imports the customers of an Excel .xlsx workbook's first sheet (or the sheet named `sheet`) into the
    session's tenant (the caller commits), exactly as `import_csv` does; line numbers are the sheet's row
    numbers (the header is row 1). Cells are read as their stored values (a formula as its last computed
    result); whole numbers become their digits, so a phone typed as a number stays a phone, and dates ISO text.
    The workbook's size is checked before it is parsed (import_files).
    """
    records: list[tuple[int, list[str]]] = []
    unreadable: list[LineError] = []
    try:
        for item in import_files.xlsx_records(stream.read(), sheet):
            if isinstance(item, LineError):
                unreadable.append(item)
            else:
                records.append((item.line, item.cells))
    except FileRefused as exc:
        return ImportReport(errors=[LineError(1, f"{exc}; nothing was imported")])
    return _import_records(session, records, unreadable, actor, progress)


#: Kept for the import jobs, which read cells the same way.
_xlsx_text = xlsx_text


def _import_records(session: Session, records: list[tuple[int, list[str]]], unreadable: list[LineError],
                    actor: str, progress: Callable[[int, int], None] | None) -> ImportReport:
    """Imports (line number, cells) records, the first being the header; `unreadable` are lines already refused."""
    report = ImportReport()
    if not records:
        report.errors.append(LineError(1, "the file is empty; it needs a header row with at least the columns "
                                          "name and phones"))
        return report
    (header_line, header_cells), rows = records[0], records[1:]
    keys, refused = _header(header_cells)
    if refused:
        report.errors.append(LineError(header_line, refused))
        report.total = report.skipped = len(rows) + len([u for u in unreadable if u.line > header_line])
        return report
    report.errors.extend(unreadable)
    report.total = report.skipped = len(unreadable)
    if progress:
        progress(0, len(rows))
    for done, (number, cells) in enumerate(rows, start=1):
        parsed = parse_counted(number, keys, cells, report)
        if parsed is not None:
            _import_line(session, parsed, actor, report)
        if progress:
            progress(done, len(rows))
    report.errors.sort(key=lambda e: e.line)
    audit.record(session, actor, "customer.import", "customer", "", {
        "created": report.created, "merged": report.merged, "skipped": report.skipped, "total": report.total})
    return report


def _import_line(session: Session, line: _Line, actor: str, report: ImportReport) -> None:
    found = _matches(session, line.phones)
    try:
        if len(found) > 1:
            owners = ", ".join(f"#{c.id} {c.name!r}" for c in found)
            raise ServiceError(f"its phones belong to several customers ({owners}); merge those first")
        if found:
            _merge(session, found[0], line, actor)
            report.merged += 1
        else:
            customers.create(session, line.name, line.phones, address=line.address, vip=bool(line.vip),
                             flags=line.flags, note=line.note, data=line.data, actor=actor)
            report.created += 1
    except ServiceError as exc:
        report.errors.append(LineError(line.number, str(exc)))
        report.skipped += 1


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def export_csv(session: Session, stream: TextIO, *, bom: bool = False) -> int:
    """Writes every customer of the session's tenant (oldest first) in the import's columns, `data` keys as
    extra columns; returns how many. Open the stream with newline="". `bom=True` starts the file with a
    byte-order mark, which Excel needs to read UTF-8."""
    rows = list(session.scalars(select(Customer).options(selectinload(Customer.phones)).order_by(Customer.id)))
    extra = sorted({key for c in rows for key in c.data if key.strip().lower() not in COLUMNS})
    lines = ([c.name, ";".join(p.phone for p in c.phones), c.address, yes_no(c.vip, "zh_CN"),
              ";".join(str(f) for f in c.flags), c.note, *(_cell(c.data.get(key)) for key in extra)] for c in rows)
    spreadsheet_cells.write_csv(stream, [[*COLUMNS, *extra], *lines], bom=bom)
    return len(rows)
