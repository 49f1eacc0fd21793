"""Shifts drawn from the Erlang plan: the day's interval plan (platform/staffing/plan.py, from the tenant's history)
turned into proposed shifts (platform/schedules/draw.py) that the planner assigns to agents and creates.

GET /schedules/draw?day=&interval=&level=&within=&shrinkage=&hours=&break= shows the plan and the proposal;
POST /schedules/draw creates the assigned ones, each checked like any shift (a refused one is named, the others
are created).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest

from ...platform.models import Tenant
from ...platform.schedules import service
from ...platform.schedules.draw import propose
from ...platform.services.ticket_lists import tenant_zone
from ...platform.staffing.plan import INTERVALS, day_plan
from .common import PLAN, date_value, tenant_session, words
from .shifts import monday_of, render_week, seat_choices

#: argument: (default, lowest, highest)
NUMBERS: dict[str, tuple[float, float, float]] = {
    "interval": (30, 15, 60), "level": (80, 1, 99.9), "within": (20, 0, 3600), "shrinkage": (30, 0, 90),
    "hours": (8, 1, 16), "break": (60, 0, 240),
}
MAX_SLOTS = 500


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/draw", "draw", draw_page, methods=["GET"])
    bp.add_url_rule("/draw", "draw_create", draw_create, methods=["POST"])


def _numbers() -> dict[str, float]:
    values = {}
    for name, (default, low, high) in NUMBERS.items():
        raw = request.args.get(name, "").strip()
        try:
            value = float(raw) if raw else float(default)
        except ValueError:
            value = float("nan")
        if not low <= value <= high:
            raise BadRequest(f"{name}: {raw[:20]!r} is not a number from {low:g} to {high:g}")
        values[name] = value
    if int(values["interval"]) not in INTERVALS:
        raise BadRequest("interval must be 15, 30 or 60 minutes")
    return values


def draw_page() -> ResponseReturnValue:
    with tenant_session(PLAN) as (session, who):
        zone = tenant_zone(session)
        tomorrow = datetime.now(UTC).astimezone(zone).date() + timedelta(days=1)
        day = date_value(request.args.get("day"), "Date", tomorrow)
        values = _numbers()
        settings = session.get(Tenant, who.tenant.tenant_id).settings
        interval = int(values["interval"])
        history, plan = day_plan(session, settings, day, interval, values["level"] / 100, values["within"],
                                 values["shrinkage"] / 100)
        needed = [row.positions for row in plan]
        midnight = datetime.combine(day, time.min, tzinfo=zone)
        proposal = propose(needed, midnight, interval, int(values["hours"] * 60)) if any(needed) else []
        agents = service.schedulable_agents(session, who.tenant.tenant_id)
        picks = service.preselect(session, who.tenant.tenant_id, agents,
                                  [(p.starts_at, p.ends_at) for p in proposal])
        slots: list[dict[str, Any]] = [
            {"start": p.starts_at.isoformat(), "end": p.ends_at.isoformat(), "label":
             f"{p.starts_at.strftime('%H:%M')}–{p.ends_at.strftime('%H:%M')}"
             + ("+1" if p.ends_at.date() > p.starts_at.date() else ""),
             "agent": pick}
            for p, pick in zip(proposal, picks, strict=True)]
        rows = [{"start": row.start.strftime("%H:%M"), "calls": round(row.calls, 1), "positions": row.positions,
                 "error": row.error} for row in plan if row.calls or row.error]
        return render_template("schedules/draw.html", zone=zone.key, day=day, values=values, history=history,
                               rows=rows, slots=slots, agents=agents, seat_choices=seat_choices(),
                               intervals=INTERVALS)


def draw_create() -> ResponseReturnValue:
    form = request.form
    try:
        count = min(int(form.get("slots", "0")), MAX_SLOTS)
        break_minutes = int(form.get("break_minutes", "0"))
    except ValueError:
        raise BadRequest("slots and break_minutes must be whole numbers") from None
    created = refused = 0
    day: date | None = None
    with tenant_session(PLAN) as (session, who):
        zone = tenant_zone(session)
        for number in range(count):
            user = form.get(f"slot-{number}-user", "")
            if not user:
                continue  # left unassigned
            try:
                starts = datetime.fromisoformat(form.get(f"slot-{number}-start", ""))
                ends = datetime.fromisoformat(form.get(f"slot-{number}-end", ""))
                user_id = int(user)
            except ValueError:
                raise BadRequest(f"shift {number + 1}: a bad start, end or agent") from None
            if starts.tzinfo is None or ends.tzinfo is None:
                raise BadRequest(f"shift {number + 1}: times must carry their offset")
            day = day or starts.astimezone(zone).date()
            data = service.ShiftInput(user_id, form.get(f"slot-{number}-seat", "agent"), starts, ends, break_minutes,
                                      words("Draw from the Erlang plan")[:200])
            try:
                with session.begin_nested():
                    service.create(session, who.tenant.tenant_id, data, zone, who.username)
            except service.ShiftRefused as exc:
                refused += 1
                flash(words("Shift %(number)s: %(reason)s", {"number": number + 1,
                                                             "reason": words(exc.key, exc.params)}), "error")
            else:
                created += 1
        if refused:  # the good shifts are kept; the answer says some were refused (QA of issue 15, item 5)
            flash(words("%(count)s shifts created.", {"count": created}), "ok")
            return render_week(session, who.tenant.tenant_id, zone, monday_of(day or datetime.now(UTC).date()), 422)
    flash(words("%(count)s shifts created.", {"count": created}), "ok")
    return redirect(url_for("schedules.week", week=day.isoformat() if day else None))
