"""Contact lists from CSV or Excel files, through the platform's one reader of uploads (import_files): GBK,
GB18030, UTF-8 and UTF-16 CSV, bounded .xlsx.

Columns by header, in Chinese or English: 姓名/name, 电话/手机/phone (required), 时区/timezone,
同意来源/consent_source, 同意时间/consent_at; every other column is kept as a custom field ({{contact.x}} in
scripts, keyed by its header). A bad line is reported with its line number and reason and the good lines import:
a time zone that is not an IANA name (Mars/Olympus), cells beyond the header's columns, a number given twice in the
file (with the line that gave it first) or already on the list (the same E.164) — none is silently dropped or
merged (issue 13, 13b #1). A file in no encoding we read is one error naming the encodings accepted (13b #2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Contact, ContactList
from ..services.import_files import FileRefused, decode_csv
from ..services.import_jobs import read_records
from . import line_problems
from .numbers import NumberRefused, to_e164

HEADERS = {
    "name": ("name", "姓名", "客户姓名"),
    "phone": ("phone", "电话", "手机", "手机号", "联系电话"),
    "timezone": ("timezone", "时区"),
    "consent_source": ("consent_source", "同意来源"),
    "consent_at": ("consent_at", "同意时间"),
}
MAX_CONTACTS = 200_000
MAX_FIELD_LENGTH = 500
#: What decode_csv reads, as the refusal of an unreadable file names it to the user.
ACCEPTED_ENCODINGS = "UTF-8, GBK/GB18030, UTF-16"
#: Codes of the line errors that are duplicates (counted as duplicates, not as refused lines).
DUPLICATE_CODES = frozenset({"contacts.duplicate_in_file", "contacts.already_on_list"})


@dataclass
class ContactImport:
    """What an import did: counts and every refused line with its number and reason."""

    imported: int = 0
    duplicates: int = 0
    #: (line, message): a message is {"code", **params} (the page words it in the reader's language, QA 13 #1);
    #: a plain string is a reader's problem in English (import_jobs) or an old job's stored sentence. Duplicate
    #: lines are here too, with their line numbers (DUPLICATE_CODES), and counted in `duplicates`.
    errors: list[tuple[int, Any]] = field(default_factory=list)
    #: data lines the file reader refused, by line: they stay rows, so lines read = imported + duplicates +
    #: refused (QA 13f #4), and are refused with this reason when their batch runs
    unreadable: dict[int, Any] = field(default_factory=dict)

    @property
    def refused(self) -> int:
        """Lines refused for a fault of their own (the errors that are not duplicates)."""
        return sum(1 for _line, message in self.errors if not is_duplicate(message))


def is_duplicate(message: Any) -> bool:
    return isinstance(message, dict) and message.get("code") in DUPLICATE_CODES


class ListRefused(ValueError):
    """A contact list that cannot be created: a code and its parameters (`message`) for the page to word in the
    reader's language (QA 13 #6); str() is the English sentence."""

    def __init__(self, code: str, english: str, **params: Any) -> None:
        super().__init__(english.format(**params))
        self.message = {"code": code, **params}


def create_list(session: Session, name: str, purpose: str, actor: str) -> ContactList:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ListRefused("contacts.bad_name", "a contact list needs a name of 1 to 100 characters")
    if purpose not in ("service", "marketing"):
        raise ListRefused("contacts.bad_purpose", "purpose must be service or marketing")
    if session.scalar(select(ContactList.id).where(ContactList.name == name)) is not None:
        raise ListRefused("contacts.name_taken", "a contact list named {name!r} already exists", name=name)
    contact_list = ContactList(name=name, purpose=purpose, created_by=actor)
    session.add(contact_list)
    session.flush()
    return contact_list


def _columns(header: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    known: dict[str, int] = {}
    custom: dict[str, int] = {}
    for index, cell in enumerate(header):
        title = cell.strip()
        key = next((k for k, names in HEADERS.items() if title.lower() in names), None)
        if key is not None and key not in known:
            known[key] = index
        elif title:
            custom[title[:64]] = index
    return known, custom


def _consent_time(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip().replace("/", "-"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def import_contacts(session: Session, contact_list: ContactList, filename: str, content: bytes) -> ContactImport:
    """Adds the file's contacts to the list; see the module's docstring for columns and errors."""
    report = ContactImport()
    parsed = parse_file(filename, content, report)
    if parsed is not None:
        header, rows = parsed
        import_rows(session, contact_list, header, rows, report)
        report.errors.sort(key=lambda error: error[0])
    return report


def parse_file(filename: str, content: bytes,
               report: ContactImport) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """(header, data rows) of a file, with unreadable lines and a missing phone column put on the report;
    None when there is nothing to import."""
    from ..services.import_jobs import detect_format

    fmt = detect_format(filename, content)
    if fmt is None:
        report.errors.append((1, {"code": "contacts.not_a_table"}))
        return None
    if fmt == "csv":  # the shared reader's refusal is an English sentence: the code is worded by the page
        try:
            decode_csv(content)
        except FileRefused:
            report.errors.append((1, {"code": "contacts.undecodable", "accepted": ACCEPTED_ENCODINGS}))
            return None
    records, problems = read_records(fmt, content)
    if not records:
        report.errors.extend((p.line, line_problems.coded(p.reason, [])) for p in problems)
        return None
    (header_line, header), rows = records[0], records[1:]
    report.errors.extend((p.line, line_problems.coded(p.reason, [])) for p in problems if p.line <= header_line)
    report.unreadable = {p.line: line_problems.coded(p.reason, header) for p in problems if p.line > header_line}
    rows = sorted(rows + [(line, []) for line in report.unreadable])
    if "phone" not in _columns(header)[0]:
        report.errors.append((1, {"code": "contacts.no_phone_column"}))
        return None
    if len(rows) > MAX_CONTACTS:
        report.errors.append((rows[MAX_CONTACTS][0], {"code": "contacts.too_many", "most": MAX_CONTACTS}))
        rows = rows[:MAX_CONTACTS]
    return header, rows


def on_list(session: Session, contact_list: ContactList) -> dict[str, int]:
    """The list's numbers as `import_rows` takes them: each maps to 0, "on the list before this file"."""
    return dict.fromkeys(session.scalars(select(Contact.phone_e164).where(Contact.list_id == contact_list.id)), 0)


def line_number(header: list[str], cells: list[str]) -> str | None:
    """The E.164 number of a data row, None when it has none (for resuming an import's de-duplication)."""
    index = _columns(header)[0].get("phone")
    try:
        return to_e164(cells[index].strip()) if index is not None and index < len(cells) else None
    except NumberRefused:
        return None


def _valid_zone(name: str) -> bool:
    if len(name) > 64:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def import_rows(session: Session, contact_list: ContactList, header: list[str], rows: list[tuple[int, list[str]]],
                report: ContactImport, seen: dict[str, int] | None = None) -> dict[str, int]:
    """Imports data rows (line number, cells) into the list, counting on `report`; `seen` (number → the file's
    line that gave it, 0 for a number on the list before; loaded when not given) carries the de-duplication
    across batches. Returns it."""
    known, custom = _columns(header)
    if seen is None:
        seen = on_list(session, contact_list)
    for line, cells in rows:
        if line in report.unreadable:
            report.errors.append((line, report.unreadable[line]))
            continue

        def cell(key: str, cells: list[str] = cells) -> str:
            index = known.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            # a cell with no column: a shifted line (a comma in a name) whose values would land in wrong fields
            used = max(i for i, c in enumerate(cells) if c.strip()) + 1
            report.errors.append((line, {"code": "contacts.extra_cells", "cells": used, "columns": len(header)}))
            continue
        try:
            number = to_e164(cell("phone"))
        except NumberRefused as exc:
            report.errors.append((line, exc.message))
            continue
        try:
            consent_at = _consent_time(cell("consent_at")) if cell("consent_at") else None
        except ValueError:
            report.errors.append((line, {"code": "contacts.bad_consent_time", "value": cell("consent_at")[:40]}))
            continue
        if cell("timezone") and not _valid_zone(cell("timezone")):
            report.errors.append((line, {"code": "contacts.bad_timezone", "value": cell("timezone")[:64]}))
            continue
        if number in seen:
            first = seen[number]
            report.errors.append((line, {"code": "contacts.duplicate_in_file", "phone": number, "first": first}
                                  if first else {"code": "contacts.already_on_list", "phone": number}))
            report.duplicates += 1
            continue
        seen[number] = line
        fields: dict[str, Any] = {title: cells[i][:MAX_FIELD_LENGTH] for title, i in custom.items() if i < len(cells)}
        session.add(Contact(list_id=contact_list.id, name=cell("name")[:100], phone_e164=number,
                            timezone=cell("timezone") or None, fields=fields,
                            consent_source=cell("consent_source")[:200] or None, consent_at=consent_at, line=line))
        report.imported += 1
    session.flush()
    return seen
