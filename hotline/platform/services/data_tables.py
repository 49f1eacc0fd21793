"""A tenant's data tables — the IVR lookup node's built-in tables (waybill status, account balance) — kept up to
date by the tenant: rows read, upserted and deleted one by one (the JSON API), or loaded from a CSV/.xlsx file
with a report per line, and exported.

A row is a key (what the caller types: a waybill number) and a flat record of named values the flow reads
(`status`, `location`). Everything is bounded, because a tenant types or uploads it and a live call reads it:
key and field lengths, the number of fields, the size of a value, the rows per table.

Files are read by the customer import's own reader (import_jobs.read_records / detect_format, over
import_files: CSV in UTF-8, UTF-16 or GBK/GB18030, or the first sheet of an .xlsx whose unzipped size is
checked first; line numbers as the user sees them), so both imports refuse the same bad files
the same way. The header's first column is the key (named `key` or the table's key label); every other
column is a field. A line with a problem is reported with its number and reason and skipped; the good lines
are kept. An exported file imports back unchanged (but for text a spreadsheet would run as a formula,
which the export prefixes with an apostrophe).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..findings import Finding
from ..models import DataRow, DataTable
from ..scoping import tenant_of
from . import audit, spreadsheet_cells
from .customer_import import LineError
from .errors import InvalidDocument, NotFound
from .import_jobs import MAX_FILE_BYTES, detect_format, read_records

MAX_KEY = 200
MAX_FIELDS = 50
MAX_FIELD_NAME = 64
MAX_VALUE = 1000
MAX_ROWS = 200_000
MAX_ERRORS = 1000
PAGE_MAX = 500
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
Scalar = str | int | float | bool | None


@dataclass
class TableImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    total: int = 0
    errors: list[LineError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "skipped": self.skipped, "total": self.total,
                "errors": [list(e) for e in self.errors]}


def _require_tenant(session: Session) -> None:
    if tenant_of(session) is None:
        raise ValueError("data tables are used in a tenant-scoped session")


def table_dict(table: DataTable, rows: int | None = None) -> dict[str, Any]:
    found = {"name": table.name, "label": table.label, "key_label": table.key_label}
    if rows is not None:
        found["rows"] = rows
    return found


def row_dict(row: DataRow) -> dict[str, Any]:
    return {"key": row.key, "data": dict(row.data or {})}


def tables(session: Session) -> list[dict[str, Any]]:
    """The tenant's tables with their row counts."""
    _require_tenant(session)
    counts = dict(session.execute(select(DataRow.table_id, func.count()).group_by(DataRow.table_id)).all())
    return [table_dict(t, counts.get(t.id, 0)) for t in session.scalars(select(DataTable).order_by(DataTable.name))]


def table(session: Session, name: str) -> DataTable:
    _require_tenant(session)
    found = session.scalar(select(DataTable).where(DataTable.name == name))
    if found is None:
        raise NotFound(f"no data table {name!r}")
    return found


def rows(session: Session, name: str, *, prefix: str = "", limit: int = 100, offset: int = 0
         ) -> tuple[list[dict[str, Any]], int]:
    """A page of rows by key order (keys starting with `prefix`), and how many match in all."""
    t = table(session, name)
    limit, offset = max(1, min(int(limit), PAGE_MAX)), max(0, int(offset))
    where = [DataRow.table_id == t.id]
    if prefix:
        escaped = prefix[:MAX_KEY].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(DataRow.key.like(escaped + "%", escape="\\"))
    total = session.scalar(select(func.count()).select_from(DataRow).where(*where)) or 0
    page = session.scalars(select(DataRow).where(*where).order_by(DataRow.key).limit(limit).offset(offset))
    return [row_dict(r) for r in page], total


def get_row(session: Session, name: str, key: str) -> dict[str, Any]:
    t = table(session, name)
    row = session.scalar(select(DataRow).where(DataRow.table_id == t.id, DataRow.key == key))
    if row is None:
        raise NotFound(f"no row {key!r} in data table {name!r}")
    return row_dict(row)


def check_row(key: Any, data: Any, pointer: str = "") -> list[Finding]:
    """Every problem with a row, each at its JSON pointer (/key, /data/<field>)."""
    findings: list[Finding] = []
    if not isinstance(key, str) or not key.strip():
        findings.append(Finding(f"{pointer}/key", "error", "a row needs a key (what the caller types)", "required"))
    elif len(key) > MAX_KEY:
        findings.append(Finding(f"{pointer}/key", "error", f"a key has at most {MAX_KEY} characters", "length"))
    if not isinstance(data, Mapping):
        findings.append(Finding(f"{pointer}/data", "error", "data is an object of named values", "type"))
        return findings
    if len(data) > MAX_FIELDS:
        findings.append(Finding(f"{pointer}/data", "error", f"at most {MAX_FIELDS} fields", "length"))
    for name, value in list(data.items())[:MAX_FIELDS + 1]:
        where = f"{pointer}/data/{str(name)[:MAX_FIELD_NAME]}"
        if not isinstance(name, str) or len(name) > MAX_FIELD_NAME or not _FIELD_NAME.match(name):
            findings.append(Finding(where, "error", "a field name starts with a letter or '_' and has only letters, "
                                                    f"digits and '_' (at most {MAX_FIELD_NAME})", "format"))
        if not isinstance(value, Scalar):
            findings.append(Finding(where, "error", "a value is text, a number, true/false or null", "type"))
        elif isinstance(value, str) and len(value) > MAX_VALUE:
            findings.append(Finding(where, "error", f"a value has at most {MAX_VALUE} characters", "length"))
    return findings


def _row_count(session: Session, t: DataTable) -> int:
    return session.scalar(select(func.count()).select_from(DataRow).where(DataRow.table_id == t.id)) or 0


def upsert_row(session: Session, name: str, key: str, data: Any, actor: str) -> tuple[dict[str, Any], bool]:
    """Creates or replaces the row `key`; returns it and whether it was created. InvalidDocument lists every
    bad field."""
    t = table(session, name)
    findings = check_row(key, data)
    row = None if findings else session.scalar(select(DataRow).where(DataRow.table_id == t.id,
                                                                     DataRow.key == key))
    if not findings and row is None and _row_count(session, t) >= MAX_ROWS:
        findings.append(Finding("", "error", f"a data table has at most {MAX_ROWS} rows", "count"))
    if findings:
        raise InvalidDocument("the row is not valid", findings)
    created = row is None
    if row is None:
        row = DataRow(table_id=t.id, key=key)
        session.add(row)
    row.data = dict(data)
    session.flush()
    audit.record(session, actor, "data_row.create" if created else "data_row.update", "data_table", name,
                 {"key": key})
    return row_dict(row), created


def delete_row(session: Session, name: str, key: str, actor: str) -> None:
    t = table(session, name)
    row = session.scalar(select(DataRow).where(DataRow.table_id == t.id, DataRow.key == key))
    if row is None:
        raise NotFound(f"no row {key!r} in data table {name!r}")
    session.delete(row)
    session.flush()
    audit.record(session, actor, "data_row.delete", "data_table", name, {"key": key})


# -- files ------------------------------------------------------------------------------------------------------

def _header(t: DataTable, cells: list[str]) -> tuple[list[str], str | None]:
    names = [c.strip() for c in cells]
    while names and not names[-1]:
        names.pop()
    if not names or names[0].lower() not in {"key", t.key_label.lower(), t.label.lower()}:
        return names, (f"the first column must be the key, headed 'key' or {t.key_label!r}; "
                       "nothing was imported")
    for position, name in enumerate(names[1:], start=2):
        if not name:
            return names, f"column {position} has no name in the header; nothing was imported"
        if not _FIELD_NAME.match(name) or len(name) > MAX_FIELD_NAME:
            return names, (f"column {position} ({name!r}) is not a field name: letters, digits and '_', "
                           "starting with a letter; nothing was imported")
        if names.index(name) != position - 1:
            return names, f"the header names column {name!r} twice; nothing was imported"
    if len(names) - 1 > MAX_FIELDS:
        return names, f"at most {MAX_FIELDS} fields besides the key; nothing was imported"
    return names, None


def import_file(session: Session, name: str, filename: str, content: bytes, actor: str) -> TableImportReport:
    """Loads a CSV or .xlsx file into the table: each line creates or replaces the row of its key."""
    t = table(session, name)
    if not content:
        return TableImportReport(errors=[LineError(1, "the file is empty; nothing was imported")])
    if len(content) > MAX_FILE_BYTES:
        return TableImportReport(errors=[LineError(1, f"the file is larger than {MAX_FILE_BYTES // 1024 // 1024} "
                                                      "MB; nothing was imported")])
    fmt = detect_format(filename or "", content)
    if fmt is None:
        return TableImportReport(errors=[LineError(1, "not a CSV (.csv) or Excel (.xlsx) file; nothing was "
                                                      "imported")])
    records, unreadable = read_records(fmt, content)
    # unreadable lines (an unbalanced quote, a NUL character: import_files) are lines skipped too
    report = TableImportReport(errors=list(unreadable), skipped=len(unreadable), total=len(unreadable))
    if not records:
        if not report.errors:
            report.errors.append(LineError(1, "the file has no header row; nothing was imported"))
        return report
    (_, header_cells), lines = records[0], records[1:]
    names, refused = _header(t, header_cells)
    if refused:
        report.errors.insert(0, LineError(records[0][0], refused))
        return report
    existing = {r.key: r for r in session.scalars(select(DataRow).where(DataRow.table_id == t.id))}
    seen: dict[str, int] = {}
    for number, cells in lines:
        report.total += 1
        reason = _line_problem(names, cells, seen, number)
        # restore: a cell the export neutralised ("'=…") loads back as it was.
        key = spreadsheet_cells.restore(cells[0].strip()) if cells else ""
        data = {n: spreadsheet_cells.restore(cells[i].strip()) for i, n in enumerate(names) if i and i < len(cells)}
        if reason is None:
            problems = check_row(key, data)
            reason = "; ".join(f"{f.pointer.rsplit('/', 1)[-1]}: {f.message}" for f in problems) or None
        if reason is None and key not in existing and len(existing) >= MAX_ROWS:
            reason = f"the table already has {MAX_ROWS} rows"
        if reason is not None:
            report.skipped += 1
            if len(report.errors) < MAX_ERRORS:
                report.errors.append(LineError(number, reason))
            continue
        seen[key] = number
        row = existing.get(key)
        if row is None:
            row = DataRow(table_id=t.id, key=key)
            session.add(row)
            existing[key] = row
            report.created += 1
        else:
            report.updated += 1
        row.data = data
    session.flush()
    audit.record(session, actor, "data_table.import", "data_table", name,
                 {"file": (filename or "")[:200], **{k: v for k, v in report.as_dict().items() if k != "errors"},
                  "errors": len(report.errors)})
    return report


def _line_problem(names: list[str], cells: list[str], seen: dict[str, int], number: int) -> str | None:
    extra = [c for c in cells[len(names):] if c.strip()]
    if extra:
        return f"{len(cells)} cells but the header has {len(names)} columns"
    key = cells[0].strip() if cells else ""
    if key in seen:
        return f"key {key!r} repeats line {seen[key]} (the earlier line was kept)"
    return None


def _cell(value: Any) -> str:
    """A value as its cell's text (booleans as true/false); spreadsheet_cells neutralises it on export."""
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def export_csv(session: Session, name: str) -> bytes:
    """The table as CSV (UTF-8 with a byte-order mark, for Excel): the key, then every field in first-seen order."""
    t = table(session, name)
    found = list(session.scalars(select(DataRow).where(DataRow.table_id == t.id).order_by(DataRow.key)))
    fields = list(dict.fromkeys(f for r in found for f in (r.data or {})))
    rows = ([_cell(r.key), *(_cell((r.data or {}).get(f)) for f in fields)] for r in found)
    return spreadsheet_cells.csv_bytes([["key", *fields], *rows])
