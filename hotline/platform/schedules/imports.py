"""Shifts imported from an Excel or CSV file (UTF-8 or GBK, read by services/import_files.py): one shift per line.

Columns, found by their header in Chinese or English, in any order: 用户名 (the agent's username), 座席类型 (seat
type: its label 实习座席/座席/班组长 or code), 日期 (YYYY-MM-DD or YYYY/M/D), 开始 and 结束 (HH:MM in the tenant's
zone; an end at or before the start is the next morning: an overnight shift), 休息分钟 (break minutes, empty = 0),
备注 (note, optional). Every line is checked by the same rules as the page (service.check), including overlaps
with shifts already saved and with earlier lines of the same file; a bad line is reported with its line number and
the reason, and the good lines are imported.

A file holds at most MAX_LINES lines (a month of 200 agents is 6,200; the cap stops a pasted blob, not a site).
Each line is checked for overlaps and saved in a savepoint, about 6 ms a line on the shared test machine, so a
file is imported by a background job (import_jobs.py: an RQ job, the in-process stand-in without Redis) in
batches, each committed with the progress; a longer file is refused before any line is imported, saying the cap
and to split the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..services import import_files
from ..services.spreadsheet_cells import csv_bytes, restore, xlsx_bytes
from . import service
from .labels import seat_type_code

#: column -> accepted headers (compared case-insensitively, spaces ignored)
COLUMNS: dict[str, tuple[str, ...]] = {
    "username": ("用户名", "工号", "座席账号", "username", "agent"),
    "seat_type": ("座席类型", "seattype", "seat_type", "seat"),
    "date": ("日期", "date"),
    "start": ("开始", "开始时间", "start"),
    "end": ("结束", "结束时间", "end"),
    "break": ("休息分钟", "休息(分钟)", "休息（分钟）", "休息", "break", "breakminutes"),
    "note": ("备注", "note"),
}
REQUIRED = ("username", "seat_type", "date", "start", "end")
#: Lines (after the header) one file may hold; see the module's docstring.
MAX_LINES = 100_000
TOO_MANY_LINES = "The file holds more than %(max)s lines; nothing was imported. Split it into files of at most " \
                 "%(max)s lines (for example one per week or per team)"
TEMPLATE_HEADER = ["用户名", "座席类型", "日期", "开始", "结束", "休息分钟", "备注"]
TEMPLATE_EXAMPLE = ["zhangsan", "座席", "2026-03-16", "09:00", "18:00", "60", "早班"]


@dataclass(frozen=True)
class Problem:
    """One line not imported: the line number (header = 1), an English sentence key and its values."""

    line: int
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportResult:
    created: int = 0
    problems: list[Problem] = field(default_factory=list)


def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        for name, aliases in COLUMNS.items():
            if _norm(cell) in (_norm(a) for a in aliases) and name not in found:
                found[name] = index
    return found, [name for name in REQUIRED if name not in found]


def parse_date(text: str) -> date:
    cleaned = text.strip().split(" ")[0].split("T")[0].replace("/", "-").replace(".", "-")
    year, month, day = (int(part) for part in cleaned.split("-"))
    return date(year, month, day)


def parse_time(text: str) -> time:
    parts = text.strip().split(" ")[-1].split(":")  # "2026-03-16 09:00:00" from an Excel date-time cell
    if len(parts) not in (2, 3):
        raise ValueError(text)
    return time(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 0)


def template(fmt: str) -> bytes:
    """The import template: the header and one example line."""
    rows = [TEMPLATE_HEADER, TEMPLATE_EXAMPLE]
    return xlsx_bytes(rows, "排班") if fmt == "xlsx" else csv_bytes(rows)


@dataclass
class ReadFile:
    """An upload read for importing: its columns and data lines, or the problem that refuses it whole."""

    columns: dict[str, int] = field(default_factory=dict)
    lines: list[Any] = field(default_factory=list)
    refused: Problem | None = None


def read_file(fmt: str, content: bytes) -> ReadFile:
    """The file's columns and lines (records and unreadable lines), up to MAX_LINES; a file without the needed
    header, unreadable, or longer than the cap is refused whole (nothing will be imported)."""
    try:
        stream = iter(import_files.records(fmt, content))
        header = next(stream, None)
    except import_files.FileRefused as exc:
        return ReadFile(refused=Problem(1, "The file cannot be read: %(reason)s", {"reason": str(exc)}))
    if header is None or isinstance(header, import_files.LineError):
        return ReadFile(refused=Problem(1, "The file has no header line"))
    columns, missing = _columns([restore(c) for c in header.cells])
    if missing:
        names = ", ".join(TEMPLATE_HEADER[list(COLUMNS).index(m)] for m in missing)
        return ReadFile(refused=Problem(1, "Missing columns: %(columns)s", {"columns": names}))
    lines: list[Any] = []
    try:
        for record in stream:  # read up to one line past the cap, so a huge file is refused cheaply
            lines.append(record)
            if len(lines) > MAX_LINES:
                return ReadFile(refused=Problem(1, TOO_MANY_LINES, {"max": MAX_LINES}))
    except import_files.FileRefused as exc:
        return ReadFile(refused=Problem(1, "The file cannot be read: %(reason)s", {"reason": str(exc)}))
    return ReadFile(columns, lines)


def import_lines(session: Session, tenant_id: int, columns: dict[str, int], lines: list[Any], zone: ZoneInfo,
                 actor: str, result: ImportResult) -> None:
    """Imports the good lines among `lines` (records of `read_file`), counting into `result`; each line in its
    own savepoint, so a refused line leaves the others (the caller commits)."""
    users = {u.username.casefold(): u.id for u in service.schedulable_agents(session, tenant_id)}
    for record in lines:
        if isinstance(record, import_files.LineError):
            result.problems.append(Problem(record.line, "%(reason)s", {"reason": record.reason}))
            continue
        cells = [restore(c).strip() for c in record.cells]
        if not any(cells):
            continue
        problem = _one_line(session, tenant_id, record.line, cells, columns, users, zone, actor)
        if problem is None:
            result.created += 1
        else:
            result.problems.append(problem)


def import_shifts(session: Session, tenant_id: int, fmt: str, content: bytes, zone: ZoneInfo,
                  actor: str) -> ImportResult:
    """Imports the good lines of the file in the caller's transaction; each problem names its line (for small
    files and scripts: the pages import through import_jobs.py)."""
    result = ImportResult()
    found = read_file(fmt, content)
    if found.refused is not None:
        result.problems.append(found.refused)
        return result
    import_lines(session, tenant_id, found.columns, found.lines, zone, actor, result)
    return result


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def _one_line(session: Session, tenant_id: int, line: int, cells: list[str], columns: dict[str, int],
              users: dict[str, int], zone: ZoneInfo, actor: str) -> Problem | None:
    username = _cell(cells, columns, "username")
    user_id = users.get(username.casefold())
    if user_id is None:
        # One answer whether or not the username exists elsewhere: the import must not tell which usernames
        # other tenants have (QA of issue 15, item 5).
        return Problem(line, "No agent with the username %(user)s", {"user": username[:64]})
    seat = seat_type_code(_cell(cells, columns, "seat_type"))
    if seat is None:
        return Problem(line, service.UNKNOWN_SEAT_TYPE,
                       {"value": _cell(cells, columns, "seat_type")[:40]})
    try:
        day = parse_date(_cell(cells, columns, "date"))
    except ValueError:
        return Problem(line, "Date %(value)s is not a date like 2026-03-16",
                       {"value": _cell(cells, columns, "date")[:40]})
    times = []
    for name in ("start", "end"):
        try:
            times.append(parse_time(_cell(cells, columns, name)))
        except ValueError:
            return Problem(line, "Time %(value)s is not a time like 09:00", {"value": _cell(cells, columns, name)[:40]})
    raw_break = _cell(cells, columns, "break") or "0"
    try:
        break_minutes = int(float(raw_break))
    except ValueError:
        return Problem(line, "Break %(value)s is not a number of minutes", {"value": raw_break[:40]})
    starts = datetime.combine(day, times[0], tzinfo=zone)
    ends = datetime.combine(day, times[1], tzinfo=zone)
    if ends <= starts:  # 22:00-06:00: the night shift ends the next morning
        ends = datetime.combine(day + timedelta(days=1), times[1], tzinfo=zone)
    data = service.ShiftInput(user_id, seat, starts, ends, break_minutes, _cell(cells, columns, "note"))
    try:
        with session.begin_nested():
            service.create(session, tenant_id, data, zone, actor)
    except service.ShiftRefused as exc:
        return Problem(line, exc.key, exc.params)
    return None
