"""Attendance (考勤): a local day's presence per agent, adherence per interval, and the month's overtime, with CSV
and Excel exports that carry the same labels as the page (never the stored codes).

GET /schedules/attendance?day=YYYY-MM-DD&interval=15|30|60&month=YYYY-MM;
GET /schedules/attendance/export?what=day|adherence|month&format=csv|xlsx (same arguments).
Before the figures are drawn the tenant's newest ACD state changes are copied (platform/schedules/presence_log.py),
so the page is current even when no worker runs; an unreachable Redis only leaves the figures at the last copy.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from redis.exceptions import RedisError
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest

from ...platform.models import User
from ...platform.schedules.attendance import adherence, day_attendance, month_overtime
from ...platform.schedules.presence_log import copy_state_changes
from ...platform.services.spreadsheet_cells import csv_bytes, xlsx_bytes
from ...platform.services.ticket_lists import tenant_zone
from ...platform.settlement.overtime import STANDARD_MONTH_HOURS
from ...platform.settlement.workbook import two
from ..area_common import int_arg
from .common import PLAN, date_value, tenant_session, words

DAY_COLUMNS = ("Agent", "Scheduled (h)", "Logged in (h)", "Available (h)", "Talk (h)", "Wrap-up (h)", "Break (h)",
               "Outside the shift (h)", "First login", "Last logout")
ADHERENCE_COLUMNS = ("Interval", "Scheduled agents", "Working agents", "Adherence %")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/attendance", "attendance", attendance_page, methods=["GET"])
    bp.add_url_rule("/attendance/export", "attendance_export", attendance_export, methods=["GET"])


def _copy_presence(session: Session, tenant_id: int) -> str | None:
    """Copies the newest state changes; the reason when the live presence could not be read."""
    from ..desk.acd_bridge import desk_acd

    try:
        acd = desk_acd()
        with session.begin_nested():
            copy_state_changes(session, acd.redis, tenant_id, acd.prefix)
    except (RedisError, OSError) as exc:
        return type(exc).__name__
    return None


def _month(raw: str | None, default: date) -> tuple[int, int]:
    text = (raw or "").strip()
    if not text:
        return default.year, default.month
    try:
        year, month = (int(part) for part in text.split("-"))
        date(year, month, 1)
    except ValueError:
        raise BadRequest(words("%(field)s: give a month as YYYY-MM", {"field": words("Month")})) from None
    return year, month


def _local(at: datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%H:%M") if at else ""


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.display_name or u.username for u in session.query(User).filter(User.id.in_(ids))}


def _figures(session: Session, tenant_id: int, zone: ZoneInfo, with_month: bool = True) -> dict[str, Any]:
    today = datetime.now(UTC).astimezone(zone).date()
    day = date_value(request.args.get("day"), "Day", today)
    interval = int_arg("interval", 60, 15, 60)
    if interval not in (15, 30, 60):
        raise BadRequest("interval must be 15, 30 or 60 minutes")
    year, month = _month(request.args.get("month"), day)
    days = day_attendance(session, tenant_id, zone, day)
    intervals = adherence(session, tenant_id, zone, day, interval)
    # the month walks every change of the month (seconds at hundreds of agents, docs/schedules.md): on request only
    overtime = month_overtime(session, tenant_id, zone, year, month) if with_month else []
    names = _names(session, {r.user_id for r in days} | {r.user_id for r in overtime})
    # every hours cell with two decimals, as the settlement statement's (QA 15: 3.0000 beside 166.64 beside 0)
    day_rows = [[names.get(r.user_id, str(r.user_id)), two(r.scheduled_hours),
                 *(two(r.hours(f)) for f in ("logged_in", "available", "talk", "wrap_up", "break", "outside_shift")),
                 _local(r.first_login, zone), _local(r.last_logout, zone)] for r in days]
    adherence_rows = [[f"{i.start.strftime('%H:%M')}–{(i.start + timedelta(minutes=interval)).strftime('%H:%M')}",
                       round(i.scheduled_minutes / interval, 2),
                       # an interval still to come has nothing worked yet: "—", not 0 % (QA of issue 15, item 14)
                       "—" if i.future else round(i.working_minutes / interval, 2),
                       "—" if i.percent is None else i.percent]
                      for i in intervals if i.scheduled_minutes > 0]
    month_rows = [[names.get(r.user_id, str(r.user_id)), *(two(h) for h in (
        r.scheduled_hours, r.logged_in_hours, r.outside_shift_hours, r.standard_hours, r.above_standard_hours))]
                  for r in overtime]
    return {"day": day, "interval": interval, "month": f"{year}-{month:02d}", "day_rows": day_rows,
            "adherence_rows": adherence_rows, "month_rows": month_rows if with_month else None}


def _month_columns() -> tuple[str, ...]:
    """The month table's headings; the standard's says which standard (the one the settlement bills overtime from)."""
    return ("Agent", "Scheduled (h)", "Logged in (h)", "Outside the shift (h)",
            words("Standard month (h: the agent's vendor contract; %(hours)s without one)",
                  {"hours": STANDARD_MONTH_HOURS}), "Above the standard month (h)")


def attendance_page() -> ResponseReturnValue:
    with tenant_session(PLAN) as (session, who):
        zone = tenant_zone(session)
        problem = _copy_presence(session, who.tenant.tenant_id)
        figures = _figures(session, who.tenant.tenant_id, zone, with_month=bool(request.args.get("month")))
        return render_template("schedules/attendance.html", zone=zone.key, problem=problem,
                               day_columns=DAY_COLUMNS, adherence_columns=ADHERENCE_COLUMNS,
                               month_columns=_month_columns(), **figures)


def attendance_export() -> ResponseReturnValue:
    what = request.args.get("what", "day")
    fmt = request.args.get("format", "csv")
    if what not in ("day", "adherence", "month") or fmt not in ("csv", "xlsx"):
        raise BadRequest("what must be day, adherence or month; format csv or xlsx")
    with tenant_session(PLAN) as (session, who):
        zone = tenant_zone(session)
        _copy_presence(session, who.tenant.tenant_id)
        figures = _figures(session, who.tenant.tenant_id, zone, with_month=what == "month")
    columns = {"day": DAY_COLUMNS, "adherence": ADHERENCE_COLUMNS, "month": _month_columns()}[what]
    rows = [[words(c) for c in columns], *figures[f"{what}_rows"]]
    name = f"attendance-{what}-{figures['month'] if what == 'month' else figures['day'].isoformat()}"
    if fmt == "xlsx":
        return Response(xlsx_bytes(rows, words("Attendance")[:31]),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    return Response(csv_bytes(rows), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
