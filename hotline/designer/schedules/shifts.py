"""The week grid of shifts, one agent per row, with create/edit/delete, the import and its template.

Pages: GET /schedules/?week=YYYY-MM-DD (the week holding that day, Monday first, in the tenant's zone);
POST /schedules/shifts (create), GET|POST /schedules/shifts/<id> (edit), POST /schedules/shifts/<id>/delete;
GET /schedules/template.xlsx|csv (the import itself runs in the background: imports.py). A refused shift comes
back to the page with the reason.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import BadRequest, NotFound

from ...platform.models import SEAT_TYPES, User
from ...platform.schedules import imports, service
from ...platform.schedules.labels import seat_type_label
from ...platform.services.ticket_lists import tenant_zone
from ..i18n import current_locale
from .common import PLAN, date_value, tenant_session, time_value, words


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/", "week", week_page, methods=["GET"])
    bp.add_url_rule("/shifts", "create", create_shift, methods=["POST"])
    bp.add_url_rule("/shifts/<int:shift_id>", "edit", edit_shift, methods=["GET", "POST"])
    bp.add_url_rule("/shifts/<int:shift_id>/delete", "delete", delete_shift, methods=["POST"])
    bp.add_url_rule("/template.<fmt>", "template", template_file, methods=["GET"])


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _today(zone: ZoneInfo) -> date:
    return datetime.now(UTC).astimezone(zone).date()


def seat_choices() -> list[tuple[str, str]]:
    locale = current_locale()
    return [(code, seat_type_label(code, locale)) for code in SEAT_TYPES]


def _form_input(zone: ZoneInfo) -> service.ShiftInput:
    """The shift of the posted form; a malformed field is a 400 naming it."""
    form = request.form
    try:
        user_id = int(form.get("user_id", ""))
    except ValueError:
        raise BadRequest(words("%(user)s is not an agent of this tenant", {"user": form.get("user_id", "")[:20]})) \
            from None
    day = date_value(form.get("day"), "Date")
    start, end = time_value(form.get("start"), "Starts"), time_value(form.get("end"), "Ends")
    raw_break = (form.get("break_minutes") or "0").strip()
    if not raw_break.isdigit():
        raise BadRequest(words("%(field)s: a whole number of minutes from 0", {"field": words("Break (minutes)")}))
    starts = datetime.combine(day, start, tzinfo=zone)
    ends = datetime.combine(day if end > start else day + timedelta(days=1), end, tzinfo=zone)
    return service.ShiftInput(user_id, form.get("seat_type", ""), starts, ends, int(raw_break),
                              form.get("note", "").strip())


def _grid(session: Any, tenant_id: int, zone: ZoneInfo, monday: date) -> dict[str, Any]:
    start = datetime.combine(monday, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=zone)
    agents = service.schedulable_agents(session, tenant_id)
    cells: dict[tuple[int, int], list[dict[str, Any]]] = {}
    locale = current_locale()
    for shift in service.in_range(session, tenant_id, start, end):
        begins, ends = shift.starts_at.astimezone(zone), shift.ends_at.astimezone(zone)
        cells.setdefault((shift.user_id, (begins.date() - monday).days), []).append({
            "id": shift.id, "start": begins.strftime("%H:%M"),
            "end": ends.strftime("%H:%M") + ("+1" if ends.date() > begins.date() else ""),
            "seat": seat_type_label(shift.seat_type, locale), "break": shift.break_minutes, "note": shift.note})
    # shifts of people who no longer hold an agent or supervisor role still show, in rows of their own
    others = sorted({u for u, _ in cells} - {a.id for a in agents})
    former = list(session.scalars(select(User).where(User.id.in_(others)).order_by(User.username))) if others else []
    return {"agents": agents, "former": former, "cells": cells, "days": [monday + timedelta(days=i) for i in range(7)]}


def week_page() -> ResponseReturnValue:
    with tenant_session(PLAN) as (session, who):
        zone = tenant_zone(session)
        monday = monday_of(date_value(request.args.get("week"), "Date", _today(zone)))
        return render_week(session, who.tenant.tenant_id, zone, monday)


def render_week(session: Any, tenant_id: int, zone: ZoneInfo, monday: date, status: int = 200) -> ResponseReturnValue:
    """The week grid; with a status of 422 after a refused shift (the flashed reason shows on it)."""
    grid = _grid(session, tenant_id, zone, monday)
    return render_template("schedules/week.html", monday=monday, zone=zone.key, seat_choices=seat_choices(),
                           max_lines=imports.MAX_LINES,
                           previous=monday - timedelta(days=7), following=monday + timedelta(days=7),
                           **grid), status


def create_shift() -> ResponseReturnValue:
    with tenant_session(PLAN) as (session, who):
        zone = tenant_zone(session)
        data = _form_input(zone)
        try:
            service.create(session, who.tenant.tenant_id, data, zone, who.username)
        except service.ShiftRefused as exc:
            flash(words(exc.key, exc.params), "error")
            return render_week(session, who.tenant.tenant_id, zone, monday_of(data.starts_at.astimezone(zone).date()),
                               422)
        flash(words("Shift saved."), "ok")
    return redirect(url_for("schedules.week", week=data.starts_at.date().isoformat()))


def edit_shift(shift_id: int) -> ResponseReturnValue:
    with tenant_session(PLAN) as (session, who):
        tenant_id, zone = who.tenant.tenant_id, tenant_zone(session)
        try:
            shift = service.get(session, tenant_id, shift_id)
        except service.NotFound:
            raise NotFound() from None
        error = None
        if request.method == "POST":
            data = _form_input(zone)
            try:
                service.update(session, tenant_id, shift_id, data, zone, who.username)
            except service.ShiftRefused as exc:
                error = words(exc.key, exc.params)
            else:
                flash(words("Shift saved."), "ok")
                return redirect(url_for("schedules.week", week=data.starts_at.date().isoformat()))
        begins, ends = shift.starts_at.astimezone(zone), shift.ends_at.astimezone(zone)
        agents = service.schedulable_agents(session, tenant_id)
        if shift.user_id not in {a.id for a in agents}:  # keep the shift's own agent choosable (and chosen)
            agents.append(session.get(User, shift.user_id))
        return render_template("schedules/edit.html", shift=shift, zone=zone.key, error=error,
                               agents=agents, seat_choices=seat_choices(),
                               day=begins.date().isoformat(), start=begins.strftime("%H:%M"),
                               end=ends.strftime("%H:%M")), (400 if error else 200)


def delete_shift(shift_id: int) -> ResponseReturnValue:
    with tenant_session(PLAN) as (session, who):
        zone = tenant_zone(session)
        try:
            shift = service.get(session, who.tenant.tenant_id, shift_id)
        except service.NotFound:
            raise NotFound() from None
        week = shift.starts_at.astimezone(zone).date().isoformat()
        service.delete(session, who.tenant.tenant_id, shift_id)
    flash(words("Shift deleted."), "ok")
    return redirect(url_for("schedules.week", week=week))


def template_file(fmt: str) -> ResponseReturnValue:
    if fmt not in ("xlsx", "csv"):
        raise NotFound()
    with tenant_session(PLAN):
        pass
    mime = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
            else "text/csv; charset=utf-8")
    return Response(imports.template(fmt), content_type=mime,
                    headers={"Content-Disposition": f'attachment; filename="shifts-template.{fmt}"'})
